variable "region" {
  type        = string
  description = "AWS region of the state bucket (use the region the environments deploy to)."
  default     = "eu-west-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as eu-west-1."
  }
}

variable "project" {
  type        = string
  description = "Project name; the bucket is named <project>-terraform-state-<account id>."
  default     = "shop"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,15}$", var.project))
    error_message = "project must be 2-16 characters of lowercase letters, digits and hyphens, starting with a letter, such as shop."
  }
}

variable "state_version_retention_days" {
  type        = number
  description = "Days an overwritten state version is kept before it expires (recovery window)."
  default     = 90

  validation {
    condition     = var.state_version_retention_days >= 7 && var.state_version_retention_days <= 3650
    error_message = "state_version_retention_days must be between 7 and 3650."
  }
}

variable "deployer_user_name" {
  type        = string
  description = "Name of the deployer IAM user; empty (default) names it <project>-deployer."
  default     = ""
  nullable    = false

  validation {
    condition     = var.deployer_user_name == "" || can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.deployer_user_name))
    error_message = "deployer_user_name must be empty or 1-64 letters, digits or + = , . @ _ - (IAM's rule), such as shop-deployer."
  }
}

variable "deployer_environments" {
  type        = list(string)
  description = "Environments the deployer may plan and apply (names such as dev, prod; validated by the deployer module: 1 to 4 names)."
  default     = ["dev", "prod"]
  nullable    = false
}

variable "aws_endpoint" {
  type        = string
  description = "URL of the local AWS emulator, such as http://127.0.0.1:5000; empty (default) talks to AWS. Set, the provider sends every call there with fake credentials (as terraform/environments/local does)."
  default     = ""
  nullable    = false

  validation {
    condition     = var.aws_endpoint == "" || can(regex("^https?://[A-Za-z0-9.\\-]+(:[0-9]{1,5})?/?$", var.aws_endpoint))
    error_message = "aws_endpoint must be empty or the emulator's URL, such as http://127.0.0.1:5000."
  }
}
