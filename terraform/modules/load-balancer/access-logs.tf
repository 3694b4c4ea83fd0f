# S3 bucket receiving the ALB's access logs: private, owner-enforced, TLS-only,
# versioned and expired by lifecycle.

locals {
  access_log_prefix = "alb"
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

# Account of Elastic Load Balancing in this region (regions opened before August 2022
# deliver logs as this account). Newer regions deliver as the log-delivery service
# principal, granted below as well, so the policy works in both kinds of region.
# Looked up in the provider's region, which is the load balancer's.
data "aws_elb_service_account" "this" {}

resource "aws_s3_bucket" "access_logs" {
  # checkov:skip=CKV_AWS_18: This bucket is the log destination itself; logging it to another bucket would only move the problem.
  # checkov:skip=CKV_AWS_144: Cross-region replication of access logs is not worth doubling their cost here; they are an operational aid, not business data.
  # checkov:skip=CKV_AWS_145: ALB access log delivery supports only SSE-S3 (AES256); SSE-KMS makes delivery fail.
  # checkov:skip=CKV2_AWS_62: Nothing consumes events for new log objects; notifications would be noise.
  # A generated suffix keeps the globally unique bucket name collision-free across
  # accounts and regions without leaking the account id into the name.
  bucket_prefix = "${var.name}-alb-"
  force_destroy = var.access_logs_force_destroy

  tags = { Name = "${var.name}-alb-access-logs" }
}

resource "aws_s3_bucket_public_access_block" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# ACLs off: every object belongs to this account, including those ELB writes.
resource "aws_s3_bucket_ownership_controls" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

# SSE-S3 is the only server-side encryption ALB log delivery supports.
resource "aws_s3_bucket_server_side_encryption_configuration" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_versioning" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id

  rule {
    id     = "expire-access-logs"
    status = "Enabled"

    filter {}

    expiration {
      days = var.access_log_retention_days
    }

    # Versioning keeps overwritten/deleted copies; expire them too so the bucket
    # does not grow forever.
    noncurrent_version_expiration {
      noncurrent_days = 1
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  depends_on = [aws_s3_bucket_versioning.access_logs]
}

data "aws_iam_policy_document" "access_logs" {
  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.access_logs.arn,
      "${aws_s3_bucket.access_logs.arn}/*",
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

  # Write-only, and only under this account's prefix of this load balancer.
  statement {
    sid       = "AllowElbLogDeliveryAccount"
    effect    = "Allow"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.access_logs.arn}/${local.access_log_prefix}/AWSLogs/${data.aws_caller_identity.current.account_id}/*"]

    principals {
      type        = "AWS"
      identifiers = [data.aws_elb_service_account.this.arn]
    }
  }

  statement {
    sid       = "AllowElbLogDeliveryService"
    effect    = "Allow"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.access_logs.arn}/${local.access_log_prefix}/AWSLogs/${data.aws_caller_identity.current.account_id}/*"]

    principals {
      type        = "Service"
      identifiers = ["logdelivery.elasticloadbalancing.amazonaws.com"]
    }

    # Confused-deputy guard: only deliveries on behalf of this account.
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${data.aws_partition.current.partition}:elasticloadbalancing:${var.region}:${data.aws_caller_identity.current.account_id}:loadbalancer/app/${var.name}-alb/*"]
    }
  }
}

resource "aws_s3_bucket_policy" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id
  policy = data.aws_iam_policy_document.access_logs.json

  # A policy written before the public access block can be judged public and rejected.
  depends_on = [aws_s3_bucket_public_access_block.access_logs]
}
