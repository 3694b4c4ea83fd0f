# The role EC2 instances assume, named after the environment.

mock_provider "aws" {
  source = "../../tests/mocks"
}

variables {
  name = "shop-test"
}

run "role_for_ec2_named_after_the_environment" {
  command = plan

  assert {
    condition     = aws_iam_role.this.name == "shop-test-web" && aws_iam_role.this.max_session_duration == 3600
    error_message = "The role must be named <name>-web with one-hour sessions."
  }
  assert {
    condition     = [for p in data.aws_iam_policy_document.assume_role.statement[0].principals : p.identifiers] == [toset(["ec2.amazonaws.com"])]
    error_message = "Only EC2 may assume the web role."
  }
}

run "rejects_a_name_with_capitals" {
  command = plan
  variables {
    name = "Shop-Test"
  }
  expect_failures = [var.name]
}
