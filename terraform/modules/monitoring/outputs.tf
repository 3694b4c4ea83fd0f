output "sns_topic_arn" {
  description = "ARN of the alert topic every alarm and the budget publish to; subscribe more endpoints (chat, paging) to it."
  value       = aws_sns_topic.alerts.arn
}

output "sns_topic_name" {
  description = "Name of the alert topic (<name>-alerts)."
  value       = aws_sns_topic.alerts.name
}

output "dashboard_name" {
  description = "Name of the CloudWatch dashboard (<name>)."
  value       = aws_cloudwatch_dashboard.platform.dashboard_name
}

output "dashboard_arn" {
  description = "ARN of the CloudWatch dashboard."
  value       = aws_cloudwatch_dashboard.platform.dashboard_arn
}

output "alarm_names" {
  description = "Alarm names keyed by purpose (web_cpu_high, bastion_cpu_high, db_cpu_high, db_free_storage_low, db_freeable_memory_low, alb_5xx_rate_high, alb_unhealthy_hosts, alb_no_healthy_hosts, asg_at_max_capacity)."
  value       = { for key, alarm in local.alarms : key => alarm.alarm_name }
}

output "alarm_arns" {
  description = "Alarm ARNs keyed like alarm_names."
  value       = { for key, alarm in local.alarms : key => alarm.arn }
}

output "budget_name" {
  description = "Name of the monthly cost budget (<name>-monthly-cost)."
  value       = aws_budgets_budget.monthly_cost.name
}
