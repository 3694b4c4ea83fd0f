# The local environment: the whole platform on the AWS emulator. Same module, same
# inputs as dev apart from the name; every input is defaulted so that
# `terraform init && terraform apply -var aws_endpoint=http://127.0.0.1:5000` works.

locals {
  tags = {
    Project     = "shop"
    Environment = "local"
    ManagedBy   = "terraform"
    Repository  = "shop-platform"
  }
}

module "platform" {
  source = "../../modules/platform"

  environment = "local"
  region      = var.region
  production  = false
}
