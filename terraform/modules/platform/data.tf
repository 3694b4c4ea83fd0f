# Data tier: the PostgreSQL database, the DynamoDB session table, the EFS file system
# of product images and the S3 bucket of static assets. Every store is encrypted with
# the platform key, reachable only from inside the VPC (or through IAM), and
# protected against deletion when var.production is on.

locals {
  # The platform ships the repository's storefront assets (the static-assets module
  # alone uploads nothing by default); environments may point elsewhere.
  static_assets_dir = coalesce(var.static_assets.assets_dir, "${path.module}/../../../assets/static")
}

module "database" {
  source = "../database"

  name               = local.name
  subnet_ids         = module.network.data_subnet_ids
  security_group_ids = [module.security_groups.database_security_group_id]
  kms_key_arn        = module.encryption.key_arn

  instance_class          = var.database.instance_class
  engine_version          = var.database.engine_version
  db_name                 = var.database.db_name
  username                = var.database.username
  allocated_storage       = var.database.allocated_storage
  max_allocated_storage   = var.database.max_allocated_storage
  backup_retention_period = var.database.backup_retention_period
  backup_window           = var.database.backup_window
  maintenance_window      = var.database.maintenance_window

  # A standby in a second AZ costs as much as the primary: production only, unless
  # an environment decides otherwise.
  multi_az            = coalesce(var.database.multi_az, var.production)
  deletion_protection = var.production

  slow_query_log_min_duration_ms = var.database.slow_query_log_min_duration_ms
  log_retention_days             = var.log_retention_days
  performance_insights_enabled   = var.database.performance_insights_enabled
  monitoring_interval            = var.database.monitoring_interval
}

module "sessions" {
  source = "../sessions"

  name                = local.name
  kms_key_arn         = module.encryption.key_arn
  deletion_protection = var.production
}

module "product_images" {
  source = "../product-images"

  name = local.name
  # Keyed by AZ so adding an AZ adds one mount target and touches no other.
  subnet_ids_by_az   = zipmap(module.network.availability_zones, module.network.data_subnet_ids)
  security_group_ids = [module.security_groups.efs_security_group_id]
  kms_key_arn        = module.encryption.key_arn
  web_role_arn       = module.web_role.arn
  throughput_mode    = var.product_images.throughput_mode
}

module "static_assets" {
  source = "../static-assets"

  name                               = local.name
  kms_key_arn                        = module.encryption.key_arn
  assets_dir                         = local.static_assets_dir
  noncurrent_version_expiration_days = var.static_assets.noncurrent_version_expiration_days
  # Outside production, destroy empties the bucket (objects and versions) first.
  force_destroy = !var.production
}
