# A monthly cost budget for the account the platform runs in. It warns when actual
# spend passes 80 % of the amount and when AWS forecasts the month will end above it,
# early enough to act. Budgets publish to the same alert topic (plus optional direct
# emails, e.g. finance), so the people who get alarms get cost warnings too.
#
# The budget covers the whole account: put each environment in its own account (the
# usual AWS layout) or filter by a cost allocation tag once one is activated.

resource "aws_budgets_budget" "monthly_cost" {
  name         = "${var.name}-monthly-cost"
  account_id   = local.account_id
  budget_type  = "COST"
  time_unit    = "MONTHLY"
  limit_amount = format("%.2f", var.budget_amount_usd)
  limit_unit   = "USD"

  notification {
    notification_type          = "ACTUAL"
    comparison_operator        = "GREATER_THAN"
    threshold                  = var.budget_alert_thresholds.actual_percent
    threshold_type             = "PERCENTAGE"
    subscriber_sns_topic_arns  = [aws_sns_topic.alerts.arn]
    subscriber_email_addresses = var.budget_emails
  }

  notification {
    notification_type          = "FORECASTED"
    comparison_operator        = "GREATER_THAN"
    threshold                  = var.budget_alert_thresholds.forecasted_percent
    threshold_type             = "PERCENTAGE"
    subscriber_sns_topic_arns  = [aws_sns_topic.alerts.arn]
    subscriber_email_addresses = var.budget_emails
  }

  # Budgets checks it may publish when the notification is created.
  depends_on = [aws_sns_topic_policy.alerts]

  tags = {
    Name = "${var.name}-monthly-cost"
  }
}
