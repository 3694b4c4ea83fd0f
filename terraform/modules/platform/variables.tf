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
  description = "Retention in days of every CloudWatch log group the platform creates (flow logs, web, database); null keeps the modules' default of 7. Validated by each module against the values CloudWatch Logs accepts."
  default     = null
}

variable "production" {
  type        = bool
  description = "Turns on the protections a production environment needs: deletion protection on the load balancer, database and session table, final database snapshot, Multi-AZ defaults. Off for local and dev so they can be torn down freely."
  default     = false
}

variable "alarm_emails" {
  type        = list(string)
  description = "Email addresses that receive alarms and budget warnings (each confirms the subscription email from AWS). Empty for the local emulator. Validated by the monitoring module (address format, no duplicates)."
  default     = []
  nullable    = false
}

variable "monthly_budget_usd" {
  type        = number
  description = "Monthly AWS cost budget in USD (validated by the monitoring module: a positive amount); warnings at 80 % actual and 100 % forecasted spend. The default 200 sits about 60 % above the dev estimate (about 127 USD in eu-west-1, docs/cost), so the 80 % warning (160) means unexpected spend, not normal running. Size it from `python -m platformkit.cost` for each environment (prod estimate: about 182 USD, budget 250)."
  default     = 200
  nullable    = false
}
