# Web tier: the public Application Load Balancer, the Auto Scaling Group of web
# servers behind it, and the bastion operators use to reach the database.

module "load_balancer" {
  source = "../load-balancer"

  name              = local.name
  region            = var.region
  vpc_id            = module.network.vpc_id
  public_subnet_ids = module.network.public_subnet_ids
  security_group_id = module.security_groups.alb_security_group_id
  certificate_arn   = var.certificate_arn
  health_check_path = module.web.health_check_path

  # Production keeps the ALB and its access logs through an accidental destroy; other
  # environments tear down freely.
  deletion_protection       = var.production
  access_logs_force_destroy = !var.production
}

module "web" {
  source = "../web"

  name   = local.name
  region = var.region

  placement          = var.web_placement
  private_subnet_ids = module.network.app_subnet_ids
  public_subnet_ids  = module.network.public_subnet_ids
  security_group_id  = module.security_groups.web_security_group_id
  target_group_arn   = module.load_balancer.target_group_arn

  instance_type      = var.web_instance_type
  ami_id             = var.web_ami_id
  min_size           = var.web_min_size
  max_size           = var.web_max_size
  desired_capacity   = var.web_desired_capacity
  cpu_target_percent = var.web_cpu_target_percent

  kms_key_arn        = module.encryption.key_arn
  log_retention_days = var.log_retention_days

  db_address           = module.database.address
  db_port              = module.database.port
  db_name              = module.database.db_name
  db_secret_arn        = module.database.master_user_secret_arn
  session_table_name   = module.sessions.table_name
  session_table_arn    = module.sessions.table_arn
  assets_bucket_name   = module.static_assets.bucket_name
  assets_bucket_arn    = module.static_assets.bucket_arn
  efs_file_system_id   = module.product_images.file_system_id
  efs_file_system_arn  = module.product_images.file_system_arn
  efs_access_point_id  = module.product_images.access_point_id
  efs_access_point_arn = module.product_images.access_point_arn

  site_title   = var.web_site_title
  app_artifact = var.web_app_artifact
}

module "bastion" {
  source = "../bastion"

  name              = local.name
  subnet_id         = module.network.public_subnet_ids[0]
  security_group_id = module.security_groups.bastion_security_group_id
  instance_type     = var.bastion_instance_type
  ami_id            = var.bastion_ami_id
  public_key        = var.bastion_public_key
  kms_key_arn       = module.encryption.key_arn

  termination_protection = var.production
}
