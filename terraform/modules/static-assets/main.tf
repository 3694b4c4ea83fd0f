# Private bucket holding the site's static assets (CSS, JS, logos). Browsers never
# talk to S3: the web servers sync the bucket into nginx's document root at boot and
# on a timer, and the ALB serves them over TLS with the pages (see README).

data "aws_caller_identity" "current" {}

locals {
  # Bucket names are global: the account id makes the default unique without a
  # random suffix, so the name is stable and predictable for IAM policies.
  bucket_name = coalesce(var.bucket_name, "${var.name}-static-assets-${data.aws_caller_identity.current.account_id}")
}

resource "aws_s3_bucket" "this" {
  # checkov:skip=CKV_AWS_18: server access logs would need a second bucket for a few files synced by our own role; CloudTrail data events are the audit path if needed
  # checkov:skip=CKV_AWS_144: the contents are rebuilt from assets/ in the repository; a cross-region replica adds cost and no recovery value
  # checkov:skip=CKV2_AWS_62: nothing consumes object events; the web servers poll with aws s3 sync on a timer
  bucket        = local.bucket_name
  force_destroy = var.force_destroy

  tags = {
    Name = local.bucket_name
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket = aws_s3_bucket.this.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# ACLs off: the bucket owner owns every object and only policies grant access.
resource "aws_s3_bucket_ownership_controls" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id

  versioning_configuration {
    status = "Enabled"
  }
}

# SSE-KMS with the platform key: one key and one audit trail for every store. The
# bucket key makes S3 ask KMS once per bucket key period instead of once per object,
# so the timer-driven sync costs almost no KMS requests.
resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    id     = "expire-old-versions"
    status = "Enabled"

    filter {}

    # Old versions are there to roll back a bad deploy, not to keep forever.
    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_expiration_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  # Rules apply to versions that exist once versioning is on.
  depends_on = [aws_s3_bucket_versioning.this]
}

resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "DenyNonTlsRequests"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = [aws_s3_bucket.this.arn, "${aws_s3_bucket.this.arn}/*"]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
      {
        Sid       = "DenyOutdatedTls"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = [aws_s3_bucket.this.arn, "${aws_s3_bucket.this.arn}/*"]
        Condition = { NumericLessThan = { "s3:TlsVersion" = "1.2" } }
      },
    ]
  })

  # A policy put while the public access block is still being written can race it.
  depends_on = [aws_s3_bucket_public_access_block.this]
}
