# Plan-only tests with a mocked AWS provider: no account, no network.

mock_provider "aws" {
  # Shared mocks: terraform/tests/mocks (relative to the module directory).
  source = "../../tests/mocks"
}

variables {
  name   = "shop-test"
  region = "eu-west-1"
}

run "key_rotates_and_has_an_alias" {
  command = plan

  assert {
    condition     = aws_kms_key.this.enable_key_rotation
    error_message = "Key rotation must be on."
  }

  assert {
    condition     = aws_kms_key.this.deletion_window_in_days == 30
    error_message = "The deletion window defaults to 30 days."
  }

  assert {
    condition     = aws_kms_alias.this.name == "alias/shop-test"
    error_message = "The alias must be alias/<name>."
  }
}

run "key_policy_names_only_the_expected_principals" {
  command = plan

  assert {
    condition = toset(flatten([for s in jsondecode(aws_kms_key.this.policy).Statement : values(s.Principal)])) == toset([
      "arn:aws:iam::123456789012:root",
      "logs.eu-west-1.amazonaws.com",
      "cloudwatch.amazonaws.com",
      "budgets.amazonaws.com",
    ])
    error_message = "The key policy must name exactly the account root, regional CloudWatch Logs, CloudWatch and Budgets."
  }

  assert {
    condition = alltrue([for s in jsondecode(aws_kms_key.this.policy).Statement :
    s.Effect == "Allow" && !contains(flatten([values(s.Principal)]), "*")])
    error_message = "No statement may allow a wildcard principal."
  }
}

run "logs_may_use_the_key_only_for_this_accounts_log_groups" {
  command = plan

  assert {
    condition = one([for s in jsondecode(aws_kms_key.this.policy).Statement :
      s.Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"]
    if s.Sid == "AllowCloudWatchLogsOfThisAccount"]) == "arn:aws:logs:eu-west-1:123456789012:log-group:*"
    error_message = "CloudWatch Logs must be limited to log groups of this account and region."
  }
}

run "alarm_and_budget_publishers_get_only_data_key_actions" {
  command = plan

  assert {
    condition = alltrue([for s in jsondecode(aws_kms_key.this.policy).Statement :
      toset(s.Action) == toset(["kms:GenerateDataKey*", "kms:Decrypt"]) && s.Condition.StringEquals["aws:SourceAccount"] == "123456789012"
    if contains(["AllowCloudWatchAlarmsToPublishToEncryptedTopics", "AllowBudgetsToPublishToEncryptedTopics"], s.Sid)])
    error_message = "CloudWatch and Budgets may only generate data keys and decrypt, for this account."
  }
}

run "deletion_window_is_passed_through" {
  command = plan

  variables {
    deletion_window_in_days = 7
  }

  assert {
    condition     = aws_kms_key.this.deletion_window_in_days == 7
    error_message = "deletion_window_in_days must reach the key."
  }
}

run "rejects_deletion_window_below_7" {
  command = plan

  variables {
    deletion_window_in_days = 6
  }

  expect_failures = [var.deletion_window_in_days]
}

run "rejects_deletion_window_above_30" {
  command = plan

  variables {
    deletion_window_in_days = 31
  }

  expect_failures = [var.deletion_window_in_days]
}

run "rejects_bad_name" {
  command = plan

  variables {
    name = "Shop_Dev"
  }

  expect_failures = [var.name]
}

run "rejects_bad_region" {
  command = plan

  variables {
    region = "europe"
  }

  expect_failures = [var.region]
}
