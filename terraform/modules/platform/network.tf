# Network foundation: the platform KMS key, the VPC with its three subnet tiers,
# network ACLs and flow logs, and the security groups every other area attaches.

module "encryption" {
  source = "../encryption"

  name                    = local.name
  region                  = var.region
  deletion_window_in_days = var.encryption.deletion_window_in_days
}

module "network" {
  source = "../network"

  name     = local.name
  region   = var.region
  vpc_cidr = var.network.vpc_cidr
  az_count = var.network.az_count
  # Production pays for one NAT gateway per AZ; other environments share one.
  nat_gateway_per_az = coalesce(var.network.nat_gateway_per_az, var.production)
  # The network ACLs follow where the web servers are placed. Unset, both this and
  # the web module default to "private".
  web_subnet_tier = var.web.placement

  admin_cidr_blocks       = var.network.admin_cidr_blocks
  allow_ssh_from_anywhere = var.network.allow_ssh_from_anywhere

  flow_log_retention_days = var.log_retention_days
  kms_key_arn             = module.encryption.key_arn
}

module "security_groups" {
  source = "../security-groups"

  name   = local.name
  vpc_id = module.network.vpc_id

  admin_cidr_blocks       = var.network.admin_cidr_blocks
  allow_ssh_from_anywhere = var.network.allow_ssh_from_anywhere
}
