terraform {
  required_version = ">= 1.11"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 7.0"
    }
  }
  # State stays on this machine (gitignored): the emulator is thrown away after a run.
  backend "local" {}
}
