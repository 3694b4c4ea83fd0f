variable "project" {
  type        = string
  description = "Short project name used as the first part of every resource name."
  default     = "shop"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,15}$", var.project))
    error_message = "project must be 2-16 characters of lowercase letters, digits and hyphens, starting with a letter, such as shop."
  }
}

variable "environment" {
  type        = string
  description = "Environment name (local, dev, staging, prod ...); the second part of every resource name."

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,9}$", var.environment))
    error_message = "environment must be 2-10 lowercase letters or digits, starting with a letter, such as dev or prod."
  }
}

variable "region" {
  type        = string
  description = "AWS region the platform is deployed to (the provider's region)."

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as eu-west-1."
  }
}

variable "log_retention_days" {
  type        = number
  description = "Retention of every CloudWatch log group the platform creates, in days."
  default     = 7

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653."
  }
}

variable "production" {
  type        = bool
  description = "Turns on the protections a production environment needs: deletion protection on the load balancer, database and session table, final database snapshot, Multi-AZ defaults. Off for local and dev so they can be torn down freely."
  default     = false
}
