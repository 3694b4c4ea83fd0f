# Plan-only tests with the shared mocked AWS provider.

mock_provider "aws" {
  source = "../../../tests/mocks"
}

variables {
  name            = "shop-pipeline-artifacts-123456789012"
  kms_key_arn     = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  expiration_days = 30
}

run "private_kms_tls_only_and_expiring" {
  command = plan

  assert {
    condition     = aws_s3_bucket_public_access_block.this.block_public_acls && aws_s3_bucket_public_access_block.this.block_public_policy && aws_s3_bucket_public_access_block.this.ignore_public_acls && aws_s3_bucket_public_access_block.this.restrict_public_buckets
    error_message = "Every public access must be blocked."
  }
  assert {
    condition     = alltrue([for rule in aws_s3_bucket_server_side_encryption_configuration.this.rule : rule.apply_server_side_encryption_by_default[0].sse_algorithm == "aws:kms" && rule.bucket_key_enabled])
    error_message = "Objects must be SSE-KMS encrypted."
  }
  assert {
    condition     = aws_s3_bucket_lifecycle_configuration.this.rule[0].expiration[0].days == 30 && aws_s3_bucket_lifecycle_configuration.this.rule[0].noncurrent_version_expiration[0].noncurrent_days == 30
    error_message = "Objects and old versions must expire after expiration_days."
  }
  # The TLS-only policy names the bucket ARN, unknown at plan: the emulator
  # integration test reads it back (tests/integration/test_bootstrap.py).
  assert {
    condition     = length(aws_s3_bucket_notification.this) == 0
    error_message = "No EventBridge notifications unless asked for."
  }
}

run "eventbridge_notifications_when_asked" {
  command = plan

  variables {
    send_events_to_eventbridge = true
  }

  assert {
    condition     = aws_s3_bucket_notification.this[0].eventbridge
    error_message = "send_events_to_eventbridge must turn on S3's EventBridge notifications."
  }
}

run "rejects_a_bad_bucket_name" {
  command = plan
  variables {
    name = "Shop_Artifacts"
  }
  expect_failures = [var.name]
}

run "rejects_zero_expiration" {
  command = plan
  variables {
    expiration_days = 0
  }
  expect_failures = [var.expiration_days]
}
