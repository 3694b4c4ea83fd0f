variable "alarm_emails" {
  type        = list(string)
  description = "Email addresses that receive alarms and budget warnings (each confirms the subscription email from AWS). Empty for the local emulator."
  default     = []
  # Validated by the monitoring module (address format, no duplicates).
}

variable "alarm_thresholds" {
  type = object({
    web_cpu_percent          = optional(number)
    bastion_cpu_percent      = optional(number)
    db_cpu_percent           = optional(number)
    db_free_storage_bytes    = optional(number)
    db_freeable_memory_bytes = optional(number)
    alb_5xx_rate_percent     = optional(number)
    asg_at_max_minutes       = optional(number)
  })
  description = "Alarm thresholds to change; omitted ones keep the monitoring module's defaults (web CPU 70 % = the scale-out target, bastion CPU 80 %, RDS CPU 80 %, RDS free storage 2 GiB, RDS freeable memory 128 MiB, ALB 5xx rate 5 %, web group at max size for 15 minutes). Percentages must be 1-100."
  default     = {}
  nullable    = false
}

variable "monthly_budget_usd" {
  type        = number
  description = "Monthly AWS cost budget in USD; warnings at 80 % actual and 100 % forecasted spend. The default 200 sits about 60 % above the dev estimate (about 127 USD in eu-west-1, docs/cost), so the 80 % warning (160) means unexpected spend, not normal running. Size it from `python -m platformkit.cost` for each environment (prod estimate: about 182 USD, budget 250)."
  default     = 200

  validation {
    condition     = var.monthly_budget_usd > 0
    error_message = "monthly_budget_usd must be a positive amount of US dollars, such as 150."
  }
}

variable "budget_alert_thresholds" {
  type = object({
    actual_percent     = optional(number, 80)
    forecasted_percent = optional(number, 100)
  })
  description = "Percent of monthly_budget_usd at which the budget warns: actual spend (80) and forecasted month-end spend (100)."
  default     = {}
  nullable    = false
}

variable "budget_emails" {
  type        = list(string)
  description = "Extra addresses (e.g. finance) the budget emails directly, besides the alert topic. At most 10."
  default     = []
}
