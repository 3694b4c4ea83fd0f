# Development: the whole platform at minimum cost (one NAT gateway, single-AZ
# database, no deletion protection); freely destroyable.

locals {
  tags = {
    Project     = "shop"
    Environment = "dev"
    ManagedBy   = "terraform"
    Repository  = "shop-platform"
  }
}

module "platform" {
  source = "../../modules/platform"

  environment = "dev"
  region      = var.region
  production  = false

  alarm_emails       = var.alarm_emails
  monthly_budget_usd = var.monthly_budget_usd

  network       = { admin_cidr_blocks = var.admin_cidr_blocks }
  bastion       = { public_key = var.bastion_public_key }
  load_balancer = { certificate_arn = var.certificate_arn }
}
