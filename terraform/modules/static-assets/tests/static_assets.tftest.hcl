# Mock-provider tests: what the module asks S3 for, and which inputs it refuses.

mock_provider "aws" {
  # Data sources come from the shared mocks (terraform/tests/mocks; the path is
  # relative to the module directory); only this module's own values are below.
  source = "../../tests/mocks"

  mock_resource "aws_s3_bucket" {
    defaults = {
      arn = "arn:aws:s3:::shop-test-static-assets-123456789012"
    }
  }
}

variables {
  name        = "shop-test"
  kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
  assets_dir  = "tests/fixtures/assets"
}

run "bucket_is_private_versioned_and_encrypted" {
  command = plan

  assert {
    condition     = aws_s3_bucket.this.bucket == "shop-test-static-assets-123456789012"
    error_message = "The default bucket name must be <name>-static-assets-<account id>."
  }
  assert {
    condition = alltrue([
      aws_s3_bucket_public_access_block.this.block_public_acls,
      aws_s3_bucket_public_access_block.this.block_public_policy,
      aws_s3_bucket_public_access_block.this.ignore_public_acls,
      aws_s3_bucket_public_access_block.this.restrict_public_buckets,
    ])
    error_message = "All four public access block settings must be true."
  }
  assert {
    condition     = aws_s3_bucket_ownership_controls.this.rule[0].object_ownership == "BucketOwnerEnforced"
    error_message = "ACLs must be disabled (BucketOwnerEnforced)."
  }
  assert {
    condition     = aws_s3_bucket_versioning.this.versioning_configuration[0].status == "Enabled"
    error_message = "Versioning must be enabled."
  }
  assert {
    condition = anytrue([
      for r in aws_s3_bucket_server_side_encryption_configuration.this.rule :
      anytrue([for d in r.apply_server_side_encryption_by_default : d.sse_algorithm == "aws:kms" && d.kms_master_key_id == var.kms_key_arn]) && r.bucket_key_enabled
    ])
    error_message = "Default encryption must be SSE-KMS with the platform key and a bucket key."
  }
  assert {
    condition     = aws_s3_bucket_lifecycle_configuration.this.rule[0].noncurrent_version_expiration[0].noncurrent_days == 30 && aws_s3_bucket_lifecycle_configuration.this.rule[0].abort_incomplete_multipart_upload[0].days_after_initiation == 7
    error_message = "Old versions must expire after 30 days and incomplete uploads be aborted."
  }
  assert {
    condition     = aws_s3_bucket.this.force_destroy == false
    error_message = "force_destroy must be off by default."
  }
}

run "assets_are_uploaded_with_content_types" {
  command = plan

  assert {
    condition     = toset(keys(aws_s3_object.asset)) == toset(["css/site.css", "img/Logo.SVG", "blob.bin"])
    error_message = "Every file under assets_dir must become an object keyed by its relative path."
  }
  assert {
    condition     = aws_s3_object.asset["css/site.css"].content_type == "text/css; charset=utf-8" && aws_s3_object.asset["img/Logo.SVG"].content_type == "image/svg+xml" && aws_s3_object.asset["blob.bin"].content_type == "application/octet-stream"
    error_message = "Content types must come from the (case-insensitive) extension, octet-stream otherwise."
  }
  assert {
    condition     = aws_s3_object.asset["css/site.css"].source_hash == filemd5("tests/fixtures/assets/css/site.css") && aws_s3_object.asset["css/site.css"].kms_key_id == var.kms_key_arn
    error_message = "Objects must carry a content hash (so edits re-upload) and use the platform key."
  }
}

run "bucket_policy_denies_requests_without_tls" {
  command = apply

  assert {
    condition = anytrue([
      for s in jsondecode(aws_s3_bucket_policy.this.policy).Statement :
      s.Effect == "Deny" && s.Principal == "*" && s.Action == "s3:*" && try(s.Condition.Bool["aws:SecureTransport"], "") == "false" && contains(s.Resource, "arn:aws:s3:::shop-test-static-assets-123456789012/*")
    ])
    error_message = "The bucket policy must deny every non-TLS request to the bucket and its objects."
  }
  assert {
    condition     = length([for s in jsondecode(aws_s3_bucket_policy.this.policy).Statement : s if s.Effect == "Allow"]) == 0
    error_message = "The bucket policy must not grant anything (readers get access through IAM)."
  }
  assert {
    condition     = output.object_keys == tolist(["blob.bin", "css/site.css", "img/Logo.SVG"])
    error_message = "object_keys must list the uploaded assets."
  }
}

run "no_assets_dir_uploads_nothing_and_name_can_be_set" {
  command = plan

  variables {
    assets_dir    = null
    bucket_name   = "shop-prod-assets"
    force_destroy = true
  }

  assert {
    condition     = length(aws_s3_object.asset) == 0 && aws_s3_bucket.this.bucket == "shop-prod-assets" && aws_s3_bucket.this.force_destroy
    error_message = "assets_dir = null must upload nothing; bucket_name and force_destroy must reach the bucket."
  }
}

run "rejects_missing_assets_dir" {
  command = plan
  variables {
    assets_dir = "tests/fixtures/does-not-exist"
  }
  expect_failures = [var.assets_dir]
}

run "rejects_bucket_name_with_dots" {
  command = plan
  variables {
    bucket_name = "shop.assets"
  }
  expect_failures = [var.bucket_name]
}

run "rejects_zero_day_version_expiry" {
  command = plan
  variables {
    noncurrent_version_expiration_days = 0
  }
  expect_failures = [var.noncurrent_version_expiration_days]
}
