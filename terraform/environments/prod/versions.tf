terraform {
  required_version = ">= 1.11"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 7.0"
    }
  }
  # Remote state in the bucket made by terraform/bootstrap. Values are supplied at
  # init time so one file serves every account:
  #   terraform init -backend-config=backend.hcl
  # (see backend.hcl.example next to this file).
  backend "s3" {}
}
