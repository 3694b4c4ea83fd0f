variable "name" {
  type        = string
  description = "Resource name prefix, e.g. shop-dev. The key's alias is alias/<name>."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name))
    error_message = "name must be 2-31 characters of lowercase letters, digits and hyphens, starting with a letter, such as shop-dev."
  }
}

variable "region" {
  type        = string
  description = "AWS region of the key (the provider's region). Used to name the regional CloudWatch Logs service principal and ARNs in the key policy."

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as eu-west-1."
  }
}

variable "deletion_window_in_days" {
  type        = number
  description = "Days KMS waits before deleting the key after it is scheduled for deletion (7-30). During the window the deletion can be cancelled; after it, everything encrypted with the key is unreadable for good."
  default     = 30
  nullable    = false

  validation {
    condition     = var.deletion_window_in_days >= 7 && var.deletion_window_in_days <= 30 && floor(var.deletion_window_in_days) == var.deletion_window_in_days
    error_message = "deletion_window_in_days must be a whole number of days from 7 to 30, such as 30."
  }
}
