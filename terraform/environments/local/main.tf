# The local environment: the whole platform on the AWS emulator. The same module
# and the same inputs as dev apart from the values below; every input has a default
# so that `terraform init && terraform apply -var aws_endpoint=http://127.0.0.1:5000`
# works with nothing else.

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

  alarm_emails = ["ops@example.com"]

  network = {
    # Documentation range (RFC 5737) so the SSH rule path is exercised; nothing real.
    admin_cidr_blocks = ["203.0.113.0/24"]
  }
  bastion = {
    # Throwaway key made for the emulator; its private half was discarded at once.
    public_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIGmETh/Vc4vo3HBnoGVmPE/zy/3o6C5T1sMp+bg83nq emulator-only-throwaway"
  }
}
