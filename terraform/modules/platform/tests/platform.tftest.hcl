# The composition as a whole: a clean plan for a non-production and a production
# environment, and the switches `production` turns on.

mock_provider "aws" {
  source = "../../tests/mocks"
}

variables {
  environment  = "dev"
  region       = "eu-west-1"
  alarm_emails = ["ops@example.com"]
}

run "development_plans_cheap_and_disposable" {
  command = plan

  assert {
    condition     = length(module.network.nat_gateway_ids) == 1
    error_message = "outside production one NAT gateway serves every AZ (cost)"
  }
  assert {
    condition     = startswith(module.database.db_instance_identifier, "shop-dev")
    error_message = "resource names start with <project>-<environment>"
  }
  assert {
    condition = !anytrue([
      module.database.protections.deletion_protection,
      module.database.protections.multi_az,
      module.sessions.deletion_protection,
      module.load_balancer.deletion_protection,
    ])
    error_message = "dev must stay freely destroyable and single-AZ"
  }
  assert {
    condition     = module.database.protections.backup_retention_period == 7
    error_message = "every environment keeps 7 days of automated database backups"
  }
}

run "production_turns_on_protections_and_high_availability" {
  command = plan

  variables {
    environment = "prod"
    production  = true
  }

  assert {
    condition     = length(module.network.nat_gateway_ids) == 2
    error_message = "production gets one NAT gateway per AZ"
  }
  assert {
    condition = alltrue([
      module.database.protections.deletion_protection,
      module.database.protections.final_snapshot,
      module.database.protections.multi_az,
      module.sessions.deletion_protection,
      module.load_balancer.deletion_protection,
    ])
    error_message = "production protects its data-bearing resources and runs Multi-AZ"
  }
}

run "rejects_an_environment_name_with_capitals" {
  command = plan
  variables {
    environment = "Prod"
  }
  expect_failures = [var.environment]
}

run "rejects_a_log_retention_cloudwatch_does_not_accept" {
  command = plan
  variables {
    log_retention_days = 8
  }
  expect_failures = [var.log_retention_days]
}

run "rejects_ssh_from_the_whole_internet" {
  command = plan
  variables {
    admin_cidr_blocks = ["0.0.0.0/0"]
  }
  expect_failures = [var.admin_cidr_blocks]
}
