# Plan-and-apply tests with a mocked AWS provider: no account, no emulator needed.
# They pin the alarm wiring (metric, dimensions, threshold, actions), the topic, the
# budget and the input validation.

mock_provider "aws" {
  # Data sources come from the shared mocks (terraform/tests/mocks; the path is
  # relative to the module directory); only this module's own values are below.
  source = "../../tests/mocks"

  override_resource {
    target = aws_sns_topic.alerts
    values = { arn = "arn:aws:sns:eu-west-1:123456789012:shop-test-alerts" }
  }
}

variables {
  name                    = "shop-test"
  region                  = "eu-west-1"
  kms_key_arn             = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  alarm_emails            = ["ops@example.com", "oncall@example.org"]
  autoscaling_group_name  = "shop-test-web"
  autoscaling_max_size    = 2
  bastion_instance_id     = "i-0123456789abcdef0"
  db_instance_identifier  = "shop-test-db"
  alb_arn_suffix          = "app/shop-test/50dc6c495c0c9188"
  target_group_arn_suffix = "targetgroup/shop-test-web/6d0ecf831eec9f09"
  dynamodb_table_name     = "shop-test-sessions"
  efs_file_system_id      = "fs-0123456789abcdef0"
  budget_amount_usd       = 150
}

run "alert_topic_is_encrypted_and_emails_subscribe" {
  command = apply

  assert {
    condition     = aws_sns_topic.alerts.name == "shop-test-alerts"
    error_message = "The alert topic must be named <name>-alerts."
  }

  assert {
    condition     = aws_sns_topic.alerts.kms_master_key_id == var.kms_key_arn
    error_message = "The alert topic must be encrypted with the platform KMS key."
  }

  assert {
    condition     = length(aws_sns_topic_subscription.email) == 2
    error_message = "Each alarm_emails address must get one subscription."
  }

  assert {
    condition     = alltrue([for s in aws_sns_topic_subscription.email : s.protocol == "email" && s.topic_arn == aws_sns_topic.alerts.arn])
    error_message = "Subscriptions must be email subscriptions to the alert topic."
  }

  assert {
    condition     = sort([for s in aws_sns_topic_subscription.email : s.endpoint]) == tolist(["oncall@example.org", "ops@example.com"])
    error_message = "Subscription endpoints must be the alarm_emails addresses."
  }
}

run "topic_policy_lets_only_this_accounts_cloudwatch_and_budgets_publish" {
  command = plan

  assert {
    condition = toset([
      for s in data.aws_iam_policy_document.alerts_topic.statement : one(flatten([for p in s.principals : p.identifiers]))
      if s.effect == "Allow"
    ]) == toset(["cloudwatch.amazonaws.com", "budgets.amazonaws.com"])
    error_message = "Only CloudWatch and Budgets may be allowed to publish."
  }

  assert {
    condition = alltrue([
      for s in data.aws_iam_policy_document.alerts_topic.statement :
      contains([for c in s.condition : c.variable if c.test == "StringEquals"], "aws:SourceAccount")
      if s.effect == "Allow"
    ])
    error_message = "Every publish grant must be conditioned on aws:SourceAccount."
  }
}

run "no_email_is_allowed_for_local" {
  command = plan

  variables {
    alarm_emails = []
  }

  assert {
    condition     = length(aws_sns_topic_subscription.email) == 0
    error_message = "No alarm_emails must mean no subscription."
  }
}

run "cpu_alarms_watch_the_web_group_bastion_and_database" {
  command = apply

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.metric["web_cpu_high"].namespace == "AWS/EC2" &&
      aws_cloudwatch_metric_alarm.metric["web_cpu_high"].metric_name == "CPUUtilization" &&
      aws_cloudwatch_metric_alarm.metric["web_cpu_high"].dimensions == tomap({ AutoScalingGroupName = "shop-test-web" }) &&
      aws_cloudwatch_metric_alarm.metric["web_cpu_high"].threshold == 70 &&
      aws_cloudwatch_metric_alarm.metric["web_cpu_high"].comparison_operator == "GreaterThanThreshold" &&
      aws_cloudwatch_metric_alarm.metric["web_cpu_high"].period == 60 &&
      aws_cloudwatch_metric_alarm.metric["web_cpu_high"].evaluation_periods == 3 &&
      aws_cloudwatch_metric_alarm.metric["web_cpu_high"].datapoints_to_alarm == 3
    )
    error_message = "The web CPU alarm must watch AWS/EC2 CPUUtilization of the ASG above 70 % for 3 of 3 minutes."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.metric["bastion_cpu_high"].dimensions == tomap({ InstanceId = "i-0123456789abcdef0" }) &&
      aws_cloudwatch_metric_alarm.metric["bastion_cpu_high"].metric_name == "CPUUtilization" &&
      aws_cloudwatch_metric_alarm.metric["bastion_cpu_high"].threshold == 80
    )
    error_message = "The bastion CPU alarm must watch the bastion instance above 80 %."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.metric["db_cpu_high"].namespace == "AWS/RDS" &&
      aws_cloudwatch_metric_alarm.metric["db_cpu_high"].metric_name == "CPUUtilization" &&
      aws_cloudwatch_metric_alarm.metric["db_cpu_high"].dimensions == tomap({ DBInstanceIdentifier = "shop-test-db" }) &&
      aws_cloudwatch_metric_alarm.metric["db_cpu_high"].threshold == 80
    )
    error_message = "The RDS CPU alarm must watch AWS/RDS CPUUtilization of the DB instance above 80 %."
  }

  assert {
    condition = alltrue([
      for alarm in values(aws_cloudwatch_metric_alarm.metric) :
      alarm.actions_enabled && alarm.alarm_actions == toset(["arn:aws:sns:eu-west-1:123456789012:shop-test-alerts"]) && alarm.ok_actions == toset(["arn:aws:sns:eu-west-1:123456789012:shop-test-alerts"])
    ])
    error_message = "Every alarm must notify the alert topic on ALARM and on OK."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.alb_5xx_rate.alarm_actions == toset([aws_sns_topic.alerts.arn]) &&
      aws_cloudwatch_metric_alarm.alb_5xx_rate.ok_actions == toset([aws_sns_topic.alerts.arn])
    )
    error_message = "The 5xx rate alarm must notify the alert topic on ALARM and on OK."
  }

  assert {
    condition     = alltrue([for alarm in values(aws_cloudwatch_metric_alarm.metric) : length(alarm.alarm_description) > 40 && startswith(alarm.alarm_name, "shop-test-")])
    error_message = "Every alarm needs a <name>- prefixed name and a description that says what to do."
  }

  assert {
    condition     = length(output.alarm_names) == 9 && output.alarm_names["db_cpu_high"] == "shop-test-db-cpu-high"
    error_message = "alarm_names must list all nine alarms by purpose."
  }
}

run "database_storage_memory_and_load_balancer_alarms" {
  command = plan

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.metric["db_free_storage_low"].metric_name == "FreeStorageSpace" &&
      aws_cloudwatch_metric_alarm.metric["db_free_storage_low"].comparison_operator == "LessThanThreshold" &&
      aws_cloudwatch_metric_alarm.metric["db_free_storage_low"].threshold == 2147483648
    )
    error_message = "The free storage alarm must fire below 2 GiB by default."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.metric["db_freeable_memory_low"].metric_name == "FreeableMemory" &&
      aws_cloudwatch_metric_alarm.metric["db_freeable_memory_low"].comparison_operator == "LessThanThreshold"
    )
    error_message = "The freeable memory alarm must fire below its threshold."
  }

  assert {
    condition = aws_cloudwatch_metric_alarm.metric["alb_unhealthy_hosts"].dimensions == tomap({
      LoadBalancer = "app/shop-test/50dc6c495c0c9188"
      TargetGroup  = "targetgroup/shop-test-web/6d0ecf831eec9f09"
    })
    error_message = "UnHealthyHostCount needs both the TargetGroup and LoadBalancer dimensions."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.metric["alb_no_healthy_hosts"].treat_missing_data == "breaching"
    error_message = "No HealthyHostCount data means no target reports healthy: it must count as breaching."
  }

  assert {
    condition = (
      length(aws_cloudwatch_metric_alarm.alb_5xx_rate.metric_query) == 4 &&
      toset([for q in aws_cloudwatch_metric_alarm.alb_5xx_rate.metric_query : one(q.metric).metric_name if length(q.metric) > 0]) == toset(["RequestCount", "HTTPCode_ELB_5XX_Count", "HTTPCode_Target_5XX_Count"]) &&
      aws_cloudwatch_metric_alarm.alb_5xx_rate.threshold == 5
    )
    error_message = "The 5xx alarm must be a rate of ELB + target 5xx over RequestCount, above 5 %."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.metric["asg_at_max_capacity"].namespace == "AWS/AutoScaling" &&
      aws_cloudwatch_metric_alarm.metric["asg_at_max_capacity"].metric_name == "GroupInServiceInstances" &&
      aws_cloudwatch_metric_alarm.metric["asg_at_max_capacity"].comparison_operator == "GreaterThanOrEqualToThreshold" &&
      aws_cloudwatch_metric_alarm.metric["asg_at_max_capacity"].threshold == 2 &&
      aws_cloudwatch_metric_alarm.metric["asg_at_max_capacity"].evaluation_periods == 15 &&
      aws_cloudwatch_metric_alarm.metric["asg_at_max_capacity"].datapoints_to_alarm == 15
    )
    error_message = "The at-max alarm must fire when in-service instances stay at max size for 15 minutes."
  }
}

run "thresholds_are_inputs" {
  command = plan

  variables {
    autoscaling_max_size = 6
    alarm_thresholds = {
      web_cpu_percent    = 60
      db_cpu_percent     = 90
      asg_at_max_minutes = 30
    }
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.metric["web_cpu_high"].threshold == 60 &&
      aws_cloudwatch_metric_alarm.metric["db_cpu_high"].threshold == 90 &&
      aws_cloudwatch_metric_alarm.metric["bastion_cpu_high"].threshold == 80 &&
      aws_cloudwatch_metric_alarm.metric["asg_at_max_capacity"].threshold == 6 &&
      aws_cloudwatch_metric_alarm.metric["asg_at_max_capacity"].evaluation_periods == 30
    )
    error_message = "Given thresholds must be used and omitted ones must keep their defaults."
  }
}

run "dashboard_names_the_real_resources" {
  command = plan

  assert {
    condition     = aws_cloudwatch_dashboard.platform.dashboard_name == "shop-test"
    error_message = "The dashboard must be named <name>."
  }

  assert {
    condition = alltrue([
      for needle in ["shop-test-web", "shop-test-db", "app/shop-test/50dc6c495c0c9188", "shop-test-sessions", "fs-0123456789abcdef0", "ReadThrottleEvents", "WriteThrottleEvents", "ThrottledRequests", "MeteredIOBytes", "PermittedThroughput", "TargetResponseTime", "p99", "GroupInServiceInstances", "DatabaseConnections"] :
      strcontains(aws_cloudwatch_dashboard.platform.dashboard_body, needle)
    ])
    error_message = "The dashboard must show ALB, web tier, database, session table and EFS metrics of the real resources."
  }

  assert {
    condition     = length(jsondecode(aws_cloudwatch_dashboard.platform.dashboard_body).widgets) == 10
    error_message = "The dashboard body must be valid JSON with the ten widgets."
  }
}

run "budget_warns_at_80_actual_and_100_forecast" {
  command = apply

  variables {
    budget_emails = ["finance@example.com"]
  }

  assert {
    condition = (
      aws_budgets_budget.monthly_cost.budget_type == "COST" &&
      aws_budgets_budget.monthly_cost.time_unit == "MONTHLY" &&
      aws_budgets_budget.monthly_cost.limit_unit == "USD" &&
      tonumber(aws_budgets_budget.monthly_cost.limit_amount) == 150 &&
      aws_budgets_budget.monthly_cost.account_id == "123456789012"
    )
    error_message = "The budget must be a monthly USD cost budget of budget_amount_usd for this account."
  }

  assert {
    condition = toset([
      for n in aws_budgets_budget.monthly_cost.notification : "${n.notification_type}:${n.threshold}:${n.threshold_type}:${n.comparison_operator}"
    ]) == toset(["ACTUAL:80:PERCENTAGE:GREATER_THAN", "FORECASTED:100:PERCENTAGE:GREATER_THAN"])
    error_message = "The budget must notify at 80 % actual and 100 % forecasted spend."
  }

  assert {
    condition = alltrue([
      for n in aws_budgets_budget.monthly_cost.notification :
      n.subscriber_sns_topic_arns == toset([aws_sns_topic.alerts.arn]) && n.subscriber_email_addresses == toset(["finance@example.com"])
    ])
    error_message = "Both budget notifications must publish to the alert topic and email budget_emails."
  }
}

run "rejects_an_invalid_email" {
  command = plan

  variables {
    alarm_emails = ["ops@example.com", "not-an-email"]
  }

  expect_failures = [var.alarm_emails]
}

run "rejects_a_duplicate_email" {
  command = plan

  variables {
    alarm_emails = ["ops@example.com", "OPS@example.com"]
  }

  expect_failures = [var.alarm_emails]
}

run "rejects_a_cpu_threshold_of_0" {
  command = plan

  variables {
    alarm_thresholds = { web_cpu_percent = 0 }
  }

  expect_failures = [var.alarm_thresholds]
}

run "rejects_a_cpu_threshold_of_101" {
  command = plan

  variables {
    alarm_thresholds = { db_cpu_percent = 101 }
  }

  expect_failures = [var.alarm_thresholds]
}

run "rejects_a_5xx_rate_above_100" {
  command = plan

  variables {
    alarm_thresholds = { alb_5xx_rate_percent = 150 }
  }

  expect_failures = [var.alarm_thresholds]
}

run "rejects_a_budget_of_0" {
  command = plan

  variables {
    budget_amount_usd = 0
  }

  expect_failures = [var.budget_amount_usd]
}

run "rejects_a_budget_threshold_of_0" {
  command = plan

  variables {
    budget_alert_thresholds = { actual_percent = 0 }
  }

  expect_failures = [var.budget_alert_thresholds]
}

run "rejects_a_kms_alias_instead_of_a_key_arn" {
  command = plan

  variables {
    kms_key_arn = "alias/shop"
  }

  expect_failures = [var.kms_key_arn]
}

run "rejects_a_bad_bastion_id_and_alb_suffix" {
  command = plan

  variables {
    bastion_instance_id = "bastion"
    alb_arn_suffix      = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/shop-test/50dc6c495c0c9188"
  }

  expect_failures = [var.bastion_instance_id, var.alb_arn_suffix]
}
