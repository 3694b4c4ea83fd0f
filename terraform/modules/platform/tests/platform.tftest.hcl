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

# Unset area fields reach the leaf modules as null; each leaf applies its own default
# (and its own validation: bad values are tested there, next to the rule).
run "unset_area_fields_keep_the_module_defaults" {
  command = plan

  assert {
    condition     = output.web.placement == "private" && module.web.max_size == 2 && output.web.cpu_target_percent == 70
    error_message = "without inputs the web servers are private, at most 2, held at 70 % CPU"
  }
  assert {
    condition     = module.load_balancer.health_check_path == "/healthz"
    error_message = "the load balancer owns the health-check path and defaults it to /healthz"
  }
  assert {
    condition     = length(output.network.admin_cidr_blocks) == 0 && length(output.network.availability_zones) == 2
    error_message = "without inputs SSH stays closed and the VPC spans 2 AZs"
  }
}

run "area_fields_reach_the_modules" {
  command = plan

  variables {
    log_retention_days = 14
    network            = { admin_cidr_blocks = ["203.0.113.0/24"], az_count = 3 }
    load_balancer      = { health_check_path = "/lb-health" }
    web                = { max_size = 4, cpu_target_percent = 60 }
    database           = { multi_az = true, backup_retention_period = 10 }
    monitoring         = { alarm_thresholds = { db_cpu_percent = 90 } }
  }

  assert {
    condition     = output.network.admin_cidr_blocks == tolist(["203.0.113.0/24"]) && length(output.network.availability_zones) == 3
    error_message = "network fields reach the network and security group modules"
  }
  assert {
    condition     = module.load_balancer.health_check_path == "/lb-health"
    error_message = "the health-check path reaches the load balancer (and from it the web module)"
  }
  assert {
    condition     = module.web.max_size == 4 && output.web.cpu_target_percent == 60
    error_message = "web fields reach the web module"
  }
  assert {
    condition     = module.database.protections.multi_az && module.database.protections.backup_retention_period == 10
    error_message = "database fields reach the database module; multi_az overrides the production default"
  }
}
