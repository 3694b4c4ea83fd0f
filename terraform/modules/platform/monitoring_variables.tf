# Inputs of the monitoring area (monitoring.tf); alarm_emails and monthly_budget_usd are
# top-level inputs (variables.tf). Every field is optional and has no default here: an
# unset field reaches the monitoring module as null and that module applies its own
# default and validation.

variable "monitoring" {
  type = object({
    alarm_thresholds = optional(object({
      web_cpu_percent          = optional(number)
      bastion_cpu_percent      = optional(number)
      db_cpu_percent           = optional(number)
      db_free_storage_bytes    = optional(number)
      db_freeable_memory_bytes = optional(number)
      alb_5xx_rate_percent     = optional(number)
      asg_at_max_minutes       = optional(number)
    }))
    budget_alert_thresholds = optional(object({
      actual_percent     = optional(number)
      forecasted_percent = optional(number)
    }))
    budget_emails = optional(list(string))
  })
  description = <<-EOT
    Alarms, dashboard and budget (modules/monitoring); unset fields keep that module's
    defaults.
    alarm_thresholds: web_cpu_percent (70), bastion_cpu_percent (80), db_cpu_percent (80),
    db_free_storage_bytes (2 GiB), db_freeable_memory_bytes (128 MiB),
    alb_5xx_rate_percent (5), asg_at_max_minutes (15); percentages 1-100.
    budget_alert_thresholds: actual_percent (80) and forecasted_percent (100) of
    monthly_budget_usd.
    budget_emails: extra addresses the budget emails directly, at most 10 ([]).
  EOT
  default     = {}
  nullable    = false
}
