variable "name" {
  type        = string
  description = "Resource name prefix, e.g. shop-dev. The instance is named <name>-postgres."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name))
    error_message = "name must be 2-31 characters of lowercase letters, digits and hyphens, starting with a letter, such as shop-dev."
  }
}

variable "subnet_ids" {
  type        = list(string)
  description = "Private data-tier subnet ids for the DB subnet group, at least two in different AZs (RDS requires two AZs even for a single-AZ instance)."

  validation {
    condition     = length(var.subnet_ids) >= 2 && alltrue([for s in var.subnet_ids : can(regex("^subnet-[0-9a-f]+$", s))])
    error_message = "subnet_ids must list at least two subnet ids such as subnet-0123abcd, one per AZ."
  }
}

variable "security_group_ids" {
  type        = list(string)
  description = "Security groups of the instance; the data-tier group that admits PostgreSQL (5432) only from the web servers and the bastion."

  validation {
    condition     = length(var.security_group_ids) >= 1 && alltrue([for s in var.security_group_ids : can(regex("^sg-[0-9a-f]+$", s))])
    error_message = "security_group_ids must list at least one security group id such as sg-0123abcd."
  }
}

variable "kms_key_arn" {
  type        = string
  description = "ARN of the platform KMS key: encrypts storage, snapshots, the master user secret, Performance Insights and the log groups."

  validation {
    condition     = can(regex("^arn:aws[a-zA-Z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN such as arn:aws:kms:eu-west-1:123456789012:key/1234abcd-...."
  }
}

variable "instance_class" {
  type        = string
  description = "RDS instance class. A current-generation class that supports storage encryption (db.t3, db.t4g, db.m5+ or db.r5+ families)."
  default     = "db.t3.micro"
  nullable    = false

  validation {
    # Allow-list of current-generation families only: older ones (db.t2.micro,
    # db.m1/m3/r3 ...) either cannot encrypt storage or are end-of-life.
    condition     = can(regex("^db\\.(t3|t4g|m[5-8][agi]?d?|r[5-8][abgi]?d?)\\.(micro|small|medium|large|[0-9]*xlarge)$", var.instance_class))
    error_message = "instance_class must be a current-generation RDS class with storage encryption, such as db.t3.micro, db.t4g.small, db.m6g.large or db.r6i.xlarge (the db. prefix is required)."
  }

  validation {
    # micro/small/medium sizes exist only in the burstable families.
    condition     = !can(regex("^db\\.[mr]", var.instance_class)) || can(regex("(large|xlarge)$", var.instance_class))
    error_message = "instance_class: the db.m* and db.r* families start at large (e.g. db.m6g.large); micro, small and medium exist only for db.t3/db.t4g."
  }
}

variable "engine_version" {
  type        = string
  description = "PostgreSQL version: a major (\"17\", RDS picks the latest minor and auto_minor_version_upgrade keeps it current) or major.minor (\"17.4\")."
  default     = "17"
  nullable    = false

  validation {
    condition     = can(regex("^[0-9]{2}(\\.[0-9]{1,2})?$", var.engine_version)) && try(tonumber(split(".", var.engine_version)[0]) >= 13, false)
    error_message = "engine_version must be a PostgreSQL major version 13 or newer, optionally with a minor version, such as \"17\" or \"16.4\"."
  }
}

variable "allow_major_version_upgrade" {
  type        = bool
  description = "Allow Terraform to apply a change of engine_version's major version (an in-place upgrade with downtime). Turn on for the upgrade, off again afterwards."
  default     = false
}

variable "db_name" {
  type        = string
  description = "Name of the application database created in the instance."
  default     = "shop"
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,62}$", var.db_name)) && !contains(["postgres", "template0", "template1", "rdsadmin"], var.db_name)
    error_message = "db_name must be 1-63 lowercase letters, digits or underscores starting with a letter, and not postgres, template0, template1 or rdsadmin (e.g. shop)."
  }
}

variable "username" {
  type        = string
  description = "Master user name. Its password is generated and rotated by RDS in Secrets Manager; it never appears in Terraform."
  default     = "shop_admin"
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,62}$", var.username)) && !can(regex("^(pg_|rds)", var.username)) && !contains(["public", "user", "all", "select"], var.username)
    error_message = "username must be 1-63 lowercase letters, digits or underscores starting with a letter, not starting with pg_ or rds, and not an SQL reserved word (public, user, all, select), e.g. shop_admin."
  }
}

variable "allocated_storage" {
  type        = number
  description = "Initial gp3 storage in GiB (20 is the gp3 minimum)."
  default     = 20
  nullable    = false

  validation {
    condition     = var.allocated_storage >= 20 && var.allocated_storage <= 65536 && floor(var.allocated_storage) == var.allocated_storage
    error_message = "allocated_storage must be a whole number of GiB between 20 and 65536."
  }
}

variable "max_allocated_storage" {
  type        = number
  description = "Storage autoscaling limit in GiB; RDS grows the volume up to this when it runs low. 0 turns autoscaling off."
  default     = 100
  nullable    = false

  validation {
    condition     = var.max_allocated_storage == 0 || (var.max_allocated_storage > var.allocated_storage && var.max_allocated_storage <= 65536)
    error_message = "max_allocated_storage must be 0 (autoscaling off) or greater than allocated_storage and at most 65536 GiB, e.g. 100."
  }
}

variable "multi_az" {
  type        = bool
  description = "Run a synchronous standby in a second AZ (automatic failover; doubles the instance cost). Production turns it on."
  default     = false
}

variable "backup_retention_period" {
  type        = number
  description = "Days of automated daily backups (and point-in-time recovery) to keep. The platform requirement is 7."
  default     = 7
  nullable    = false

  validation {
    condition     = var.backup_retention_period >= 1 && var.backup_retention_period <= 35 && floor(var.backup_retention_period) == var.backup_retention_period
    error_message = "backup_retention_period must be a whole number of days from 1 to 35 (0 would disable automated backups), e.g. 7."
  }
}

variable "backup_window" {
  type        = string
  description = "Daily automated backup window, UTC, hh24:mi-hh24:mi, at least 30 minutes, not overlapping maintenance_window."
  default     = "02:00-03:00"
  nullable    = false

  validation {
    condition     = can(regex("^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$", var.backup_window))
    error_message = "backup_window must be a UTC time range hh24:mi-hh24:mi such as 02:00-03:00."
  }
}

variable "maintenance_window" {
  type        = string
  description = "Weekly maintenance window, UTC, ddd:hh24:mi-ddd:hh24:mi; keep it after the backup window so a fresh backup exists before patching."
  default     = "sun:03:30-sun:04:30"
  nullable    = false

  validation {
    condition     = can(regex("^(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):[0-5][0-9]-(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):[0-5][0-9]$", var.maintenance_window))
    error_message = "maintenance_window must be a UTC range ddd:hh24:mi-ddd:hh24:mi in lowercase such as sun:03:30-sun:04:30."
  }
}

variable "deletion_protection" {
  type        = bool
  description = "Refuse to delete the instance, and take a final snapshot when it is deleted. The platform sets it from var.production."
  default     = true
}

variable "apply_immediately" {
  type        = bool
  description = "Apply modifications now instead of in the next maintenance window (some cause a restart)."
  default     = false
}

variable "ca_cert_identifier" {
  type        = string
  description = "Certificate authority of the server certificate clients verify with sslmode=verify-full."
  default     = "rds-ca-rsa2048-g1"

  validation {
    condition     = can(regex("^rds-ca-[a-z0-9-]+$", var.ca_cert_identifier))
    error_message = "ca_cert_identifier must be an RDS CA name such as rds-ca-rsa2048-g1 or rds-ca-ecc384-g1."
  }
}

variable "slow_query_log_min_duration_ms" {
  type        = number
  description = "Log every statement that runs at least this many milliseconds (log_min_duration_statement). -1 turns slow-query logging off."
  default     = 500
  nullable    = false

  validation {
    condition     = var.slow_query_log_min_duration_ms == -1 || (var.slow_query_log_min_duration_ms >= 0 && var.slow_query_log_min_duration_ms <= 2147483647 && floor(var.slow_query_log_min_duration_ms) == var.slow_query_log_min_duration_ms)
    error_message = "slow_query_log_min_duration_ms must be -1 (off) or a whole number of milliseconds, e.g. 500."
  }
}

variable "cloudwatch_logs_exports" {
  type        = list(string)
  description = "PostgreSQL logs RDS publishes to CloudWatch Logs (postgresql, upgrade, iam-db-auth-error); the module creates each log group with retention and KMS first."
  default     = ["postgresql", "upgrade"]

  validation {
    condition     = length(var.cloudwatch_logs_exports) > 0 && alltrue([for l in var.cloudwatch_logs_exports : contains(["postgresql", "upgrade", "iam-db-auth-error"], l)])
    error_message = "cloudwatch_logs_exports must be a non-empty list of postgresql, upgrade or iam-db-auth-error."
  }
}

variable "log_retention_days" {
  type        = number
  description = "Retention of the exported PostgreSQL log groups, in days."
  default     = 7
  nullable    = false

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653."
  }
}

variable "performance_insights_enabled" {
  type        = bool
  description = "Enable Performance Insights (Database Insights standard mode). RDS for PostgreSQL supports it on every class including db.t3.micro, and 7 days of history are free."
  default     = true
  nullable    = false
}

variable "performance_insights_retention_period" {
  type        = number
  description = "Days of Performance Insights history: 7 (free) or a multiple of 31 up to 731 (paid)."
  default     = 7

  validation {
    condition     = var.performance_insights_retention_period == 7 || (var.performance_insights_retention_period % 31 == 0 && var.performance_insights_retention_period >= 31 && var.performance_insights_retention_period <= 731)
    error_message = "performance_insights_retention_period must be 7 or a multiple of 31 between 31 and 731, e.g. 7."
  }
}

variable "monitoring_interval" {
  type        = number
  description = "Enhanced Monitoring (OS metrics) granularity in seconds: 1, 5, 10, 15, 30 or 60; 0 turns it off. The module creates the monitoring role when on."
  default     = 60
  nullable    = false

  validation {
    condition     = contains([0, 1, 5, 10, 15, 30, 60], var.monitoring_interval)
    error_message = "monitoring_interval must be one of 0 (off), 1, 5, 10, 15, 30 or 60 seconds."
  }
}
