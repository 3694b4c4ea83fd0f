# Observability and alerting: alarms of every tier to one SNS topic, the platform
# dashboard and the monthly cost budget. Log groups are created by the module that
# produces the logs (network, web, database), each with var.log_retention_days and
# the platform key.

module "monitoring" {
  source = "../monitoring"

  name        = local.name
  region      = var.region
  kms_key_arn = module.encryption.key_arn

  alarm_emails     = var.alarm_emails
  alarm_thresholds = var.monitoring.alarm_thresholds

  autoscaling_group_name = module.web.autoscaling_group_name
  # The at-max-capacity alarm compares in-service instances with the group's max size.
  autoscaling_max_size    = module.web.max_size
  bastion_instance_id     = module.bastion.instance_id
  db_instance_identifier  = module.database.db_instance_identifier
  alb_arn_suffix          = module.load_balancer.alb_arn_suffix
  target_group_arn_suffix = module.load_balancer.target_group_arn_suffix
  dynamodb_table_name     = module.sessions.table_name
  efs_file_system_id      = module.product_images.file_system_id

  budget_amount_usd       = var.monthly_budget_usd
  budget_alert_thresholds = var.monitoring.budget_alert_thresholds
  budget_emails           = var.monitoring.budget_emails
}
