# RDS for PostgreSQL in the private data subnets: encrypted with the platform key,
# never publicly reachable, master password owned by Secrets Manager, daily automated
# backups, logs in CloudWatch with a bounded retention.

locals {
  identifier    = "${var.name}-postgres"
  major_version = split(".", var.engine_version)[0]

  # Backup and maintenance windows as minute offsets, to prove they do not overlap
  # (RDS rejects overlapping windows only at apply time, after a long wait).
  backup_start = tonumber(substr(var.backup_window, 0, 2)) * 60 + tonumber(substr(var.backup_window, 3, 2))
  backup_end_  = tonumber(substr(var.backup_window, 6, 2)) * 60 + tonumber(substr(var.backup_window, 9, 2))
  backup_end   = local.backup_end_ > local.backup_start ? local.backup_end_ : local.backup_end_ + 1440

  week_days         = { mon = 0, tue = 1, wed = 2, thu = 3, fri = 4, sat = 5, sun = 6 }
  maintenance_start = local.week_days[substr(var.maintenance_window, 0, 3)] * 1440 + tonumber(substr(var.maintenance_window, 4, 2)) * 60 + tonumber(substr(var.maintenance_window, 7, 2))
  maintenance_end_  = local.week_days[substr(var.maintenance_window, 10, 3)] * 1440 + tonumber(substr(var.maintenance_window, 14, 2)) * 60 + tonumber(substr(var.maintenance_window, 17, 2))
  maintenance_end   = local.maintenance_end_ > local.maintenance_start ? local.maintenance_end_ : local.maintenance_end_ + 10080

  # The backup window repeats daily; compare every daily occurrence that can meet the
  # (possibly week-wrapping) maintenance window.
  windows_overlap = anytrue([
    for day in range(-1, 14) :
    day * 1440 + local.backup_start < local.maintenance_end && local.maintenance_start < day * 1440 + local.backup_end
  ])
}

resource "aws_db_subnet_group" "this" {
  name        = "${var.name}-db"
  description = "Private data-tier subnets of ${var.name}"
  subnet_ids  = var.subnet_ids

  tags = {
    Name = "${var.name}-db"
  }
}

resource "aws_db_instance" "this" {
  # checkov:skip=CKV_AWS_157: Multi-AZ is the multi_az input; production turns it on, dev/local keep one AZ to halve the cost
  # checkov:skip=CKV_AWS_293: deletion_protection is an input (default true); the platform sets it from var.production so local/dev can be destroyed
  # checkov:skip=CKV_AWS_133: backup_retention_period is an input validated to 1-35 days (default 7), so backups cannot be off; checkov cannot follow the platform's null through nullable = false to that default
  # checkov:skip=CKV_AWS_353: performance_insights_enabled is an input (default true); checkov cannot follow the platform's null through nullable = false to that default
  # checkov:skip=CKV_AWS_118: monitoring_interval is an input (default 60 s, 0 turns it off); checkov cannot follow the platform's null through nullable = false to that default
  identifier     = local.identifier
  engine         = "postgres"
  engine_version = var.engine_version
  instance_class = var.instance_class

  db_name  = var.db_name
  username = var.username
  # RDS generates the password, stores it in Secrets Manager encrypted with the
  # platform key and rotates it: no password ever exists in code, plan or state.
  manage_master_user_password   = true
  master_user_secret_kms_key_id = var.kms_key_arn
  # IAM tokens let the application avoid long-lived passwords altogether.
  iam_database_authentication_enabled = true

  db_subnet_group_name   = aws_db_subnet_group.this.name
  vpc_security_group_ids = var.security_group_ids
  publicly_accessible    = false
  multi_az               = var.multi_az
  parameter_group_name   = aws_db_parameter_group.this.name
  ca_cert_identifier     = var.ca_cert_identifier

  storage_type          = "gp3"
  allocated_storage     = var.allocated_storage
  max_allocated_storage = var.max_allocated_storage
  storage_encrypted     = true
  kms_key_id            = var.kms_key_arn

  backup_retention_period = var.backup_retention_period
  backup_window           = var.backup_window
  maintenance_window      = var.maintenance_window
  copy_tags_to_snapshot   = true
  # Protected instances leave a final snapshot behind when deleted; unprotected
  # ones (local, dev) are thrown away whole.
  deletion_protection       = var.deletion_protection
  skip_final_snapshot       = !var.deletion_protection
  final_snapshot_identifier = var.deletion_protection ? "${local.identifier}-final" : null
  delete_automated_backups  = !var.deletion_protection

  auto_minor_version_upgrade  = true
  allow_major_version_upgrade = var.allow_major_version_upgrade
  apply_immediately           = var.apply_immediately

  enabled_cloudwatch_logs_exports = var.cloudwatch_logs_exports

  performance_insights_enabled          = var.performance_insights_enabled
  performance_insights_kms_key_id       = var.performance_insights_enabled ? var.kms_key_arn : null
  performance_insights_retention_period = var.performance_insights_enabled ? var.performance_insights_retention_period : null

  monitoring_interval = var.monitoring_interval
  monitoring_role_arn = var.monitoring_interval > 0 ? aws_iam_role.monitoring[0].arn : null

  tags = {
    Name = local.identifier
  }

  # RDS creates the export log groups itself (never expiring, unencrypted) if they do
  # not exist yet; creating them first makes retention and KMS apply from the start.
  depends_on = [aws_cloudwatch_log_group.exports]

  lifecycle {
    precondition {
      condition     = local.backup_end - local.backup_start >= 30
      error_message = "backup_window must last at least 30 minutes, e.g. 02:00-03:00."
    }
    precondition {
      condition     = !local.windows_overlap
      error_message = "backup_window must not overlap maintenance_window; put the backup before it, e.g. 02:00-03:00 and sun:03:30-sun:04:30."
    }
  }
}
