variable "db_instance_class" {
  type        = string
  description = "RDS instance class of the PostgreSQL database (validated by the database module)."
  default     = "db.t3.micro"
}

variable "db_engine_version" {
  type        = string
  description = "PostgreSQL major (\"17\") or major.minor (\"17.4\") version."
  default     = "17"
}

variable "db_name" {
  type        = string
  description = "Name of the shop's application database."
  default     = "shop"
}

variable "db_username" {
  type        = string
  description = "Master user name; its password lives only in the RDS-managed Secrets Manager secret."
  default     = "shop_admin"
}

variable "db_allocated_storage" {
  type        = number
  description = "Initial gp3 storage of the database in GiB."
  default     = 20
}

variable "db_max_allocated_storage" {
  type        = number
  description = "Storage autoscaling limit of the database in GiB (0 turns autoscaling off)."
  default     = 100
}

variable "db_backup_retention_days" {
  type        = number
  description = "Days of automated daily database backups. The requirement is 7."
  default     = 7
}

variable "db_backup_window" {
  type        = string
  description = "Daily backup window (UTC, hh24:mi-hh24:mi), before the maintenance window."
  default     = "02:00-03:00"
}

variable "db_maintenance_window" {
  type        = string
  description = "Weekly maintenance window (UTC, ddd:hh24:mi-ddd:hh24:mi)."
  default     = "sun:03:30-sun:04:30"
}

variable "db_multi_az" {
  type        = bool
  description = "Multi-AZ standby for the database; null follows var.production (on in production, off elsewhere for cost)."
  default     = null
}

variable "db_slow_query_log_min_duration_ms" {
  type        = number
  description = "Statements slower than this many milliseconds are logged (-1 turns it off)."
  default     = 500
}

variable "db_performance_insights_enabled" {
  type        = bool
  description = "Performance Insights on the database (7 days of history are free; supported on db.t3.micro for PostgreSQL)."
  default     = true
}

variable "db_monitoring_interval" {
  type        = number
  description = "Enhanced Monitoring interval in seconds (0 off, 1, 5, 10, 15, 30, 60)."
  default     = 60
}

variable "product_images_throughput_mode" {
  type        = string
  description = "EFS throughput mode of the product images: elastic (pay per use) or bursting."
  default     = "elastic"
}

variable "static_assets_dir" {
  type        = string
  description = "Directory uploaded to the static assets bucket; null uses the repository's assets/static."
  default     = null
}

variable "static_assets_noncurrent_version_days" {
  type        = number
  description = "Days old versions of static assets are kept for rollback."
  default     = 30
}
