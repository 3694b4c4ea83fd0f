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
