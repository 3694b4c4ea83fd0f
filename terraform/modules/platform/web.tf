# Web tier: the public Application Load Balancer, the web servers' IAM role, the Auto
# Scaling Group of web servers behind the load balancer, and the bastion operators use
# to reach the database. Data flows one way: load balancer -> web (target group,
# health-check path) and web role -> product images and web.

module "load_balancer" {
  source = "../load-balancer"

  name              = local.name
  region            = var.region
  vpc_id            = module.network.vpc_id
  public_subnet_ids = module.network.public_subnet_ids
  security_group_id = module.security_groups.alb_security_group_id
  certificate_arn   = var.load_balancer.certificate_arn
  health_check_path = var.load_balancer.health_check_path

  # Production keeps the ALB and its access logs through an accidental destroy; other
  # environments tear down freely.
  deletion_protection       = var.production
  access_logs_force_destroy = !var.production
}

# On its own so that the product images file system policy can name the role while the
# web module mounts that file system (see modules/web-role).
module "web_role" {
  source = "../web-role"

  name = local.name
}

module "web" {
  source = "../web"

  name   = local.name
  region = var.region

  placement          = var.web.placement
  private_subnet_ids = module.network.app_subnet_ids
  public_subnet_ids  = module.network.public_subnet_ids
  security_group_id  = module.security_groups.web_security_group_id
  target_group_arn   = module.load_balancer.target_group_arn
  health_check_path  = module.load_balancer.health_check_path
  instance_role_name = module.web_role.name

  instance_type      = var.web.instance_type
  ami_ssm_parameter  = var.web.ami_ssm_parameter
  ami_id             = var.web.ami_id
  min_size           = var.web.min_size
  max_size           = var.web.max_size
  desired_capacity   = var.web.desired_capacity
  cpu_target_percent = var.web.cpu_target_percent

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

  site_title   = var.web.site_title
  app_artifact = var.web.app_artifact
}

# The role moved out of the web module (same role, same name); no replacement.
moved {
  from = module.web.aws_iam_role.web
  to   = module.web_role.aws_iam_role.this
}

module "bastion" {
  source = "../bastion"

  name              = local.name
  subnet_id         = module.network.public_subnet_ids[0]
  security_group_id = module.security_groups.bastion_security_group_id
  instance_type     = var.bastion.instance_type
  ami_id            = var.bastion.ami_id
  public_key        = var.bastion.public_key
  kms_key_arn       = module.encryption.key_arn

  termination_protection = var.production
}
