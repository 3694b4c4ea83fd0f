terraform {
  required_version = ">= 1.11"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 7.0"
    }
  }
  # The bootstrap root keeps its own (tiny) state locally: it creates the bucket
  # that every other environment's state lives in. Back it up or import it later.
  # Declared (rather than left to the default) so that `terraform init
  # -backend-config=path=...` can place that state elsewhere (make pipeline does).
  backend "local" {}
}
