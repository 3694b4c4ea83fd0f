# One parameter group per major version: the family follows engine_version, and a
# major upgrade creates the new group before the instance switches to it.
resource "aws_db_parameter_group" "this" {
  name_prefix = "${var.name}-postgres${local.major_version}-"
  family      = "postgres${local.major_version}"
  description = "PostgreSQL ${local.major_version} settings of ${var.name}: TLS only, slow-query and connection logging"

  # Refuse unencrypted client connections (sslmode=require or stronger).
  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  # Slow statements are the first thing to look at when the shop gets slow.
  parameter {
    name  = "log_min_duration_statement"
    value = tostring(var.slow_query_log_min_duration_ms)
  }

  # Schema changes are audited; row-level statements are not (volume, and PII).
  parameter {
    name  = "log_statement"
    value = "ddl"
  }

  parameter {
    name  = "log_connections"
    value = "1"
  }

  parameter {
    name  = "log_disconnections"
    value = "1"
  }

  # Lock waits longer than deadlock_timeout (1 s) explain most stalls.
  parameter {
    name  = "log_lock_waits"
    value = "1"
  }

  # Sorts and hashes spilling to disk (over 10 MB) point at missing indexes or work_mem.
  parameter {
    name  = "log_temp_files"
    value = "10240"
  }

  tags = {
    Name = "${var.name}-postgres${local.major_version}"
  }

  lifecycle {
    create_before_destroy = true
  }
}
