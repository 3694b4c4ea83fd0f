# One-time set-up per AWS account: the S3 bucket that holds the environments'
# Terraform state, and the deployer identity (deployer.tf) that may use it. Locking uses S3 conditional writes (`use_lockfile = true`,
# Terraform >= 1.10), so no DynamoDB lock table is needed.

provider "aws" {
  region = var.region

  # With aws_endpoint set (the local AWS emulator), the same contract as
  # terraform/environments/local: every service this root calls goes to the
  # emulator with fake keys and no credential or account checks against AWS.
  # Unset (the default), these are the provider's defaults and nothing changes.
  access_key                  = local.emulated ? "emulator" : null
  secret_key                  = local.emulated ? "emulator" : null
  skip_credentials_validation = local.emulated
  skip_metadata_api_check     = local.emulated
  skip_region_validation      = local.emulated
  s3_use_path_style           = local.emulated
  max_retries                 = local.emulated ? 2 : null

  endpoints {
    codebuild       = local.endpoint
    codeconnections = local.endpoint
    codepipeline    = local.endpoint
    events          = local.endpoint
    iam             = local.endpoint
    kms             = local.endpoint
    logs            = local.endpoint
    s3              = local.endpoint
    sns             = local.endpoint
    sts             = local.endpoint
  }

  default_tags {
    tags = {
      Project   = var.project
      ManagedBy = "terraform"
      Purpose   = "delivery"
    }
  }
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  bucket_name = "${var.project}-terraform-state-${data.aws_caller_identity.current.account_id}"

  emulated = var.aws_endpoint != ""
  endpoint = local.emulated ? var.aws_endpoint : null
}

resource "aws_kms_key" "state" {
  description             = "Encrypts the ${var.project} Terraform state bucket"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.state_key.json
}

data "aws_iam_policy_document" "state_key" {
  # checkov:skip=CKV_AWS_111: a key policy's "*" resource means this key only; the account root statement is AWS's default key policy
  # checkov:skip=CKV_AWS_356: as above, a key policy cannot name its own key ARN
  # checkov:skip=CKV_AWS_109: as above; key administration is delegated to IAM in this account
  # Key administration and use stay with IAM policies of this account, the default
  # AWS key policy; CI roles get kms:Decrypt/GenerateDataKey on this key in IAM.
  statement {
    sid       = "AccountAdministration"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }
}

resource "aws_kms_alias" "state" {
  name          = "alias/${var.project}-terraform-state"
  target_key_id = aws_kms_key.state.key_id
}

resource "aws_s3_bucket" "state" {
  # checkov:skip=CKV_AWS_144: cross-region replication of state is a recovery choice per team; versioning keeps every revision
  # checkov:skip=CKV2_AWS_62: nothing consumes events of the state bucket
  # checkov:skip=CKV_AWS_18: access logging of the state bucket needs a second bucket; CloudTrail data events are the recommended audit
  bucket = local.bucket_name

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_s3_bucket_versioning" "state" {
  bucket = aws_s3_bucket.state.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "state" {
  bucket = aws_s3_bucket.state.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.state.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_public_access_block" "state" {
  bucket                  = aws_s3_bucket.state.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "state" {
  bucket = aws_s3_bucket.state.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "state" {
  bucket = aws_s3_bucket.state.id
  rule {
    id     = "expire-old-state-versions"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = var.state_version_retention_days
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }
}

data "aws_iam_policy_document" "state_bucket" {
  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.state.arn,
      "${aws_s3_bucket.state.arn}/*",
    ]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "state" {
  bucket = aws_s3_bucket.state.id
  policy = data.aws_iam_policy_document.state_bucket.json
}
