# A clean plan of the dev root with its example inputs (mock provider: no AWS
# account needed), and its own input checks.

mock_provider "aws" {
  source = "../../tests/mocks"
}

variables {
  alarm_emails       = ["ops@example.com"]
  admin_cidr_blocks  = ["203.0.113.0/24"]
  monthly_budget_usd = 200
}

run "plans_the_whole_platform" {
  command = plan

  assert {
    condition     = module.platform.web.placement == "private"
    error_message = "web servers default to the private app subnets"
  }
  assert {
    condition     = module.platform.network.admin_cidr_blocks == tolist(["203.0.113.0/24"])
    error_message = "the operator ranges reach the bastion's security group unchanged"
  }
}

run "refuses_to_run_without_an_alert_recipient" {
  command = plan
  variables {
    alarm_emails = []
  }
  expect_failures = [var.alarm_emails]
}
