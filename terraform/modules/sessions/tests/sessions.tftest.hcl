# Mock-provider tests: what the module asks DynamoDB for, and which inputs it refuses.

mock_provider "aws" {
  # Shared mocks: terraform/tests/mocks (relative to the module directory).
  source = "../../tests/mocks"
}

variables {
  name        = "shop-test"
  kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
}

run "table_meets_the_requirements" {
  command = plan

  assert {
    condition     = aws_dynamodb_table.this.name == "shop-test-sessions" && aws_dynamodb_table.this.billing_mode == "PAY_PER_REQUEST"
    error_message = "The session table must be named <name>-sessions and billed on demand."
  }
  assert {
    condition     = aws_dynamodb_table.this.hash_key == "session_id" && aws_dynamodb_table.this.range_key == null && [for a in aws_dynamodb_table.this.attribute : "${a.name}:${a.type}"] == ["session_id:S"]
    error_message = "The partition key must be session_id (string), with no sort key."
  }
  assert {
    condition     = aws_dynamodb_table.this.ttl[0].enabled && aws_dynamodb_table.this.ttl[0].attribute_name == "expires_at"
    error_message = "TTL must be enabled on expires_at."
  }
  assert {
    condition     = aws_dynamodb_table.this.point_in_time_recovery[0].enabled
    error_message = "Point-in-time recovery must be on."
  }
  assert {
    condition     = aws_dynamodb_table.this.server_side_encryption[0].enabled && aws_dynamodb_table.this.server_side_encryption[0].kms_key_arn == var.kms_key_arn
    error_message = "The table must be encrypted with the platform KMS key."
  }
  assert {
    condition     = aws_dynamodb_table.this.deletion_protection_enabled
    error_message = "Deletion protection must be on by default."
  }
}

run "deletion_protection_follows_the_input" {
  command = plan

  variables {
    deletion_protection = false
  }

  assert {
    condition     = aws_dynamodb_table.this.deletion_protection_enabled == false
    error_message = "deletion_protection = false must reach the table."
  }
}

run "rejects_ttl_on_the_key" {
  command = plan
  variables {
    ttl_attribute = "session_id"
  }
  expect_failures = [var.ttl_attribute]
}

run "rejects_bad_name" {
  command = plan
  variables {
    name = "Shop_Test"
  }
  expect_failures = [var.name]
}

run "rejects_non_kms_arn" {
  command = plan
  variables {
    kms_key_arn = "alias/aws/dynamodb"
  }
  expect_failures = [var.kms_key_arn]
}
