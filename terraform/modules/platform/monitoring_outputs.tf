output "sns_topic_arn" {
  description = "ARN of the alert topic every alarm and the cost budget publish to."
  value       = module.monitoring.sns_topic_arn
}

output "dashboard_name" {
  description = "Name of the platform's CloudWatch dashboard."
  value       = module.monitoring.dashboard_name
}

output "alarm_names" {
  description = "CloudWatch alarm names keyed by purpose (web_cpu_high, db_cpu_high, ...)."
  value       = module.monitoring.alarm_names
}

output "budget_name" {
  description = "Name of the monthly cost budget."
  value       = module.monitoring.budget_name
}

output "alarm_emails" {
  description = "Addresses subscribed to the alert topic (each must confirm the AWS email)."
  value       = var.alarm_emails
}
