variable "region" {
  type        = string
  description = "AWS region to deploy to."
  default     = "eu-west-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as eu-west-1."
  }
}

variable "allowed_account_ids" {
  type        = list(string)
  description = "AWS account ids this environment may be applied to; guards against applying with the wrong credentials. Empty allows any."
  default     = []

  validation {
    condition     = alltrue([for id in var.allowed_account_ids : can(regex("^[0-9]{12}$", id))])
    error_message = "allowed_account_ids must be 12-digit AWS account ids, such as [\"123456789012\"]."
  }
}

variable "alarm_emails" {
  type        = list(string)
  description = "E-mail addresses that receive alarms and budget alerts (each must confirm the SNS subscription)."

  validation {
    condition     = length(var.alarm_emails) > 0
    error_message = "alarm_emails needs at least one address, such as [\"ops@example.com\"]: alarms nobody receives protect nothing."
  }
}

variable "admin_cidr_blocks" {
  type        = list(string)
  description = "Operators' IPv4 ranges allowed to SSH to the bastion, such as [\"203.0.113.0/24\"]. Empty keeps SSH closed (Session Manager still works)."
  default     = []
}

variable "bastion_public_key" {
  type        = string
  description = "OpenSSH public key for the bastion (\"ssh-ed25519 AAAA... you@laptop\"). Empty: Session Manager only."
  default     = ""
}

variable "certificate_arn" {
  type        = string
  description = "ACM certificate ARN for HTTPS on the load balancer; null serves HTTP only (not for a real shop)."
  default     = null
}

variable "monthly_budget_usd" {
  type        = number
  description = "Monthly AWS cost budget in USD; alerts at 80 % actual and 100 % forecast."
}
