# Inputs of the data area (data.tf). Every field is optional and has no default here:
# an unset field reaches the leaf module as null and the leaf module applies its own
# default and validation, so each lives in one place.

variable "database" {
  type = object({
    instance_class                 = optional(string)
    engine_version                 = optional(string)
    db_name                        = optional(string)
    username                       = optional(string)
    allocated_storage              = optional(number)
    max_allocated_storage          = optional(number)
    backup_retention_period        = optional(number)
    backup_window                  = optional(string)
    maintenance_window             = optional(string)
    multi_az                       = optional(bool)
    slow_query_log_min_duration_ms = optional(number)
    performance_insights_enabled   = optional(bool)
    monitoring_interval            = optional(number)
  })
  description = <<-EOT
    PostgreSQL on RDS (modules/database); unset fields keep that module's defaults.
    instance_class ("db.t3.micro"), engine_version ("17"), db_name ("shop"),
    username ("shop_admin"), allocated_storage (20 GiB), max_allocated_storage
    (100 GiB, 0 = no autoscaling), backup_retention_period (7 days), backup_window
    ("02:00-03:00" UTC), maintenance_window ("sun:03:30-sun:04:30" UTC),
    multi_az (unset follows var.production), slow_query_log_min_duration_ms (500, -1 off),
    performance_insights_enabled (true), monitoring_interval (60 s, 0 off).
  EOT
  default     = {}
  nullable    = false
}

variable "product_images" {
  type = object({
    throughput_mode = optional(string)
  })
  description = <<-EOT
    EFS file system of product images (modules/product-images); unset fields keep that
    module's defaults. throughput_mode: "elastic" (pay per use) or "bursting" ("elastic").
  EOT
  default     = {}
  nullable    = false
}

variable "static_assets" {
  type = object({
    assets_dir                         = optional(string)
    noncurrent_version_expiration_days = optional(number)
  })
  description = <<-EOT
    S3 bucket of static assets (modules/static-assets); unset fields keep that module's
    defaults. assets_dir: directory uploaded to the bucket (null: the repository's
    assets/static). noncurrent_version_expiration_days: days old versions are kept (30).
  EOT
  default     = {}
  nullable    = false
}
