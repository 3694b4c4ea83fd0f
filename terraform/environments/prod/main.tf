# Production: the same platform with the protections production needs switched on.

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
}
