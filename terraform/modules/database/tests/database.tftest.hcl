# Mock-provider tests: what the module asks AWS for, and which inputs it refuses.

mock_provider "aws" {
  # Data sources come from the shared mocks (terraform/tests/mocks; the path is
  # relative to the module directory); only this module's own values are below.
  source = "../../tests/mocks"

  mock_resource "aws_iam_role" {
    defaults = {
      arn = "arn:aws:iam::123456789012:role/shop-test-rds-monitoring"
    }
  }
  mock_resource "aws_db_instance" {
    defaults = {
      master_user_secret = [{
        secret_arn    = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-1234-AbCdEf"
        secret_status = "active"
        kms_key_id    = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
      }]
    }
  }
}

variables {
  name               = "shop-test"
  subnet_ids         = ["subnet-0aaa1111", "subnet-0bbb2222"]
  security_group_ids = ["sg-0ddd4444"]
  kms_key_arn        = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
}

run "defaults_meet_the_requirements" {
  command = plan

  assert {
    condition     = aws_db_instance.this.engine == "postgres" && aws_db_instance.this.instance_class == "db.t3.micro"
    error_message = "The database must be PostgreSQL on db.t3.micro by default."
  }
  assert {
    condition     = aws_db_instance.this.backup_retention_period == 7
    error_message = "Automated backups must be kept 7 days."
  }
  assert {
    condition     = aws_db_instance.this.backup_window == "02:00-03:00" && aws_db_instance.this.maintenance_window == "sun:03:30-sun:04:30"
    error_message = "The backup window must come before the maintenance window."
  }
  assert {
    condition     = aws_db_instance.this.storage_encrypted && aws_db_instance.this.kms_key_id == var.kms_key_arn
    error_message = "Storage must be encrypted with the platform KMS key."
  }
  assert {
    condition     = aws_db_instance.this.publicly_accessible == false
    error_message = "The instance must not be publicly accessible."
  }
  assert {
    condition     = aws_db_instance.this.manage_master_user_password == true && aws_db_instance.this.master_user_secret_kms_key_id == var.kms_key_arn && aws_db_instance.this.password == null
    error_message = "The master password must be managed by Secrets Manager (encrypted with the platform key), never set in code."
  }
  assert {
    condition     = aws_db_instance.this.storage_type == "gp3" && aws_db_instance.this.allocated_storage == 20 && aws_db_instance.this.max_allocated_storage == 100
    error_message = "Storage must be 20 GiB of gp3 with autoscaling up to 100 GiB."
  }
  assert {
    condition     = toset(aws_db_instance.this.enabled_cloudwatch_logs_exports) == toset(["postgresql", "upgrade"])
    error_message = "PostgreSQL and upgrade logs must be exported to CloudWatch Logs."
  }
  assert {
    condition     = aws_cloudwatch_log_group.exports["postgresql"].name == "/aws/rds/instance/shop-test-postgres/postgresql" && aws_cloudwatch_log_group.exports["postgresql"].retention_in_days == 7 && aws_cloudwatch_log_group.exports["postgresql"].kms_key_id == var.kms_key_arn
    error_message = "The module must create the RDS log group itself with 7-day retention and KMS."
  }
  assert {
    condition     = aws_db_subnet_group.this.subnet_ids == toset(var.subnet_ids)
    error_message = "The DB subnet group must span exactly the data subnets."
  }
  assert {
    condition     = aws_db_parameter_group.this.family == "postgres17"
    error_message = "The parameter group family must follow the major engine version."
  }
  assert {
    condition     = contains([for p in aws_db_parameter_group.this.parameter : "${p.name}=${p.value}"], "rds.force_ssl=1")
    error_message = "The parameter group must force TLS (rds.force_ssl=1)."
  }
  assert {
    condition     = contains([for p in aws_db_parameter_group.this.parameter : "${p.name}=${p.value}"], "log_min_duration_statement=500")
    error_message = "Slow queries (>= 500 ms) must be logged."
  }
  assert {
    condition     = aws_db_instance.this.deletion_protection && !aws_db_instance.this.skip_final_snapshot && aws_db_instance.this.final_snapshot_identifier == "shop-test-postgres-final"
    error_message = "By default the instance must be protected and leave a final snapshot."
  }
  assert {
    condition     = aws_db_instance.this.copy_tags_to_snapshot && aws_db_instance.this.auto_minor_version_upgrade && aws_db_instance.this.iam_database_authentication_enabled
    error_message = "Snapshots must carry tags; minor upgrades and IAM auth must be on."
  }
  assert {
    condition     = aws_db_instance.this.performance_insights_enabled && aws_db_instance.this.performance_insights_retention_period == 7 && aws_db_instance.this.performance_insights_kms_key_id == var.kms_key_arn
    error_message = "Performance Insights must be on with the free 7-day retention, encrypted with the platform key."
  }
  assert {
    condition     = aws_db_instance.this.monitoring_interval == 60 && length(aws_iam_role.monitoring) == 1
    error_message = "Enhanced Monitoring must be on at 60 s with its own role."
  }
  assert {
    condition     = aws_db_instance.this.multi_az == false
    error_message = "Multi-AZ must be off unless asked for."
  }
}

run "unprotected_environment_skips_final_snapshot" {
  command = plan

  variables {
    deletion_protection = false
    multi_az            = true
  }

  assert {
    condition     = !aws_db_instance.this.deletion_protection && aws_db_instance.this.skip_final_snapshot && aws_db_instance.this.final_snapshot_identifier == null
    error_message = "Without deletion protection the instance must be deletable without a final snapshot."
  }
  assert {
    condition     = aws_db_instance.this.multi_az
    error_message = "multi_az must reach the instance."
  }
}

run "minor_version_picks_its_family_and_monitoring_can_be_off" {
  command = plan

  variables {
    engine_version      = "16.4"
    monitoring_interval = 0
  }

  assert {
    condition     = aws_db_parameter_group.this.family == "postgres16" && aws_db_instance.this.engine_version == "16.4"
    error_message = "engine_version 16.4 must use the postgres16 family."
  }
  assert {
    condition     = length(aws_iam_role.monitoring) == 0 && aws_db_instance.this.monitoring_interval == 0
    error_message = "monitoring_interval 0 must not create the monitoring role."
  }
}

run "rejects_backup_retention_0" {
  command = plan
  variables {
    backup_retention_period = 0
  }
  expect_failures = [var.backup_retention_period]
}

run "rejects_backup_retention_36" {
  command = plan
  variables {
    backup_retention_period = 36
  }
  expect_failures = [var.backup_retention_period]
}

run "rejects_engine_version_in_words" {
  command = plan
  variables {
    engine_version = "sixteen"
  }
  expect_failures = [var.engine_version]
}

run "rejects_engine_version_with_four_parts" {
  command = plan
  variables {
    engine_version = "16.x.y.z"
  }
  expect_failures = [var.engine_version]
}

run "rejects_end_of_life_major" {
  command = plan
  variables {
    engine_version = "12"
  }
  expect_failures = [var.engine_version]
}

run "rejects_instance_class_without_db_prefix" {
  command = plan
  variables {
    instance_class = "t3.micro"
  }
  expect_failures = [var.instance_class]
}

run "rejects_instance_class_without_encryption" {
  command = plan
  variables {
    instance_class = "db.t2.micro"
  }
  expect_failures = [var.instance_class]
}

run "rejects_absurd_instance_class" {
  command = plan
  variables {
    instance_class = "db.r6g.micro"
  }
  expect_failures = [var.instance_class]
}

run "rejects_log_retention_8_days" {
  command = plan
  variables {
    log_retention_days = 8
  }
  expect_failures = [var.log_retention_days]
}

run "rejects_bad_backup_window_format" {
  command = plan
  variables {
    backup_window = "2:00-3:00"
  }
  expect_failures = [var.backup_window]
}

run "rejects_bad_maintenance_window_format" {
  command = plan
  variables {
    maintenance_window = "Sunday 03:30"
  }
  expect_failures = [var.maintenance_window]
}

run "rejects_backup_window_shorter_than_30_minutes" {
  command = plan
  variables {
    backup_window = "02:00-02:15"
  }
  expect_failures = [aws_db_instance.this]
}

run "rejects_backup_window_overlapping_maintenance" {
  command = plan
  variables {
    backup_window = "03:00-04:00"
  }
  expect_failures = [aws_db_instance.this]
}

run "rejects_overlap_across_midnight" {
  command = plan
  variables {
    backup_window      = "23:30-00:30"
    maintenance_window = "mon:00:00-mon:01:00"
  }
  expect_failures = [aws_db_instance.this]
}

run "rejects_autoscaling_limit_below_allocated_storage" {
  command = plan
  variables {
    max_allocated_storage = 10
  }
  expect_failures = [var.max_allocated_storage]
}

run "rejects_reserved_database_name" {
  command = plan
  variables {
    db_name = "postgres"
  }
  expect_failures = [var.db_name]
}

run "rejects_reserved_username" {
  command = plan
  variables {
    username = "rdsadmin"
  }
  expect_failures = [var.username]
}

run "rejects_unknown_log_export" {
  command = plan
  variables {
    cloudwatch_logs_exports = ["postgresql", "audit"]
  }
  expect_failures = [var.cloudwatch_logs_exports]
}

run "rejects_performance_insights_retention_30" {
  command = plan
  variables {
    performance_insights_retention_period = 30
  }
  expect_failures = [var.performance_insights_retention_period]
}

run "rejects_monitoring_interval_120" {
  command = plan
  variables {
    monitoring_interval = 120
  }
  expect_failures = [var.monitoring_interval]
}

# Last: an apply run keeps mock state that later plan runs would inherit.
run "outputs_follow_the_contract" {
  command = apply

  assert {
    condition     = output.master_user_secret_arn == "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-1234-AbCdEf"
    error_message = "master_user_secret_arn must come from the RDS-managed secret."
  }
  assert {
    condition     = output.log_group_names == { postgresql = "/aws/rds/instance/shop-test-postgres/postgresql", upgrade = "/aws/rds/instance/shop-test-postgres/upgrade" }
    error_message = "log_group_names must map each exported log type to its group."
  }
  assert {
    condition     = output.db_instance_identifier == "shop-test-postgres" && output.db_name == "shop"
    error_message = "Identifier and database name outputs are wrong."
  }
}
