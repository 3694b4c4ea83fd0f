mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
}

run "state_bucket_is_private_versioned_and_kms_encrypted" {
  command = plan

  assert {
    condition     = aws_s3_bucket.state.bucket == "shop-terraform-state-123456789012"
    error_message = "the bucket name must embed the account id to be globally unique"
  }
  assert {
    condition     = aws_s3_bucket_versioning.state.versioning_configuration[0].status == "Enabled"
    error_message = "state must be versioned"
  }
  assert {
    condition     = one(aws_s3_bucket_server_side_encryption_configuration.state.rule).apply_server_side_encryption_by_default[0].sse_algorithm == "aws:kms"
    error_message = "state must be encrypted with KMS"
  }
  assert {
    condition = alltrue([
      aws_s3_bucket_public_access_block.state.block_public_acls,
      aws_s3_bucket_public_access_block.state.block_public_policy,
      aws_s3_bucket_public_access_block.state.ignore_public_acls,
      aws_s3_bucket_public_access_block.state.restrict_public_buckets,
    ])
    error_message = "every public access block setting must be on"
  }
  assert {
    condition     = aws_kms_key.state.enable_key_rotation
    error_message = "the state key must rotate"
  }
}

run "rejects_a_too_short_recovery_window" {
  command = plan
  variables {
    state_version_retention_days = 1
  }
  expect_failures = [var.state_version_retention_days]
}

run "rejects_a_malformed_region" {
  command = plan
  variables {
    region = "Ireland"
  }
  expect_failures = [var.region]
}
