# Development: the whole platform at minimum cost; freely destroyable.

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
}
