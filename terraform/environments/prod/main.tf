# Production: the same platform with production = true, which turns on deletion
# protection (load balancer, database, session table), a final database snapshot,
# Multi-AZ RDS and one NAT gateway per AZ, and keeps buckets from force-destroy.

locals {
  tags = {
    Project     = "shop"
    Environment = "prod"
    ManagedBy   = "terraform"
    Repository  = "shop-platform"
  }
}

module "platform" {
  source = "../../modules/platform"

  environment = "prod"
  region      = var.region
  production  = true

  alarm_emails       = var.alarm_emails
  monthly_budget_usd = var.monthly_budget_usd

  network       = { admin_cidr_blocks = var.admin_cidr_blocks }
  bastion       = { public_key = var.bastion_public_key }
  load_balancer = { certificate_arn = var.certificate_arn }
}
