output "monitoring" {
  description = "Alerting: sns_topic_arn (every alarm and the budget publish to it), dashboard_name, alarm_names (by purpose: web_cpu_high, db_cpu_high, ...), budget_name, alarm_emails (subscribed; each must confirm the AWS email)."
  value = {
    sns_topic_arn  = module.monitoring.sns_topic_arn
    dashboard_name = module.monitoring.dashboard_name
    alarm_names    = module.monitoring.alarm_names
    budget_name    = module.monitoring.budget_name
    alarm_emails   = var.alarm_emails
  }
}
