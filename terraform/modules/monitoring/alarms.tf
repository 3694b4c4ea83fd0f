# Every alarm notifies the alert topic when it fires (alarm_actions) and when it
# clears (ok_actions), so a recipient always knows whether a problem is still open.
#
# Evaluation windows, and why:
# - web CPU, 3 of 3 one-minute periods: the same window as the target tracking policy's
#   own scale-out alarm (70 %), so operators hear about load at the moment the group
#   scales; "at max capacity" below says when scaling has run out of room.
# - bastion and RDS CPU, 5 of 5 minutes: no autoscaling behind them, only sustained
#   load matters (a bastion busy for 5 minutes is unusual: someone is running something).
# - storage and memory: 5-minute periods, they move slowly; a single low minimum is
#   already actionable for storage.
# - ALB: 3 of 5 minutes, tolerant of one-off spikes, still fast for an outage.
#
# treat_missing_data: "missing" (keep the last state) for metrics that always report
# while the resource exists; "notBreaching" where no data means no traffic; "breaching"
# where no data means no healthy target is reporting at all.

locals {
  gib = 1073741824
  mib = 1048576

  metric_alarms = {
    web_cpu_high = {
      name                = "${var.name}-web-cpu-high"
      description         = "Web Auto Scaling Group ${var.autoscaling_group_name}: average CPU above ${var.alarm_thresholds.web_cpu_percent} % for 3 minutes. The group is scaling out; if it is already at max size, see the at-max-capacity alarm."
      namespace           = "AWS/EC2"
      metric_name         = "CPUUtilization"
      dimensions          = { AutoScalingGroupName = var.autoscaling_group_name }
      statistic           = "Average"
      period              = 60
      evaluation_periods  = 3
      datapoints_to_alarm = 3
      comparison_operator = "GreaterThanThreshold"
      threshold           = var.alarm_thresholds.web_cpu_percent
      treat_missing_data  = "missing"
    }
    bastion_cpu_high = {
      name                = "${var.name}-bastion-cpu-high"
      description         = "Bastion ${var.bastion_instance_id}: CPU above ${var.alarm_thresholds.bastion_cpu_percent} % for 5 minutes. A jump host should be idle; check who is logged in and what runs."
      namespace           = "AWS/EC2"
      metric_name         = "CPUUtilization"
      dimensions          = { InstanceId = var.bastion_instance_id }
      statistic           = "Average"
      period              = 60
      evaluation_periods  = 5
      datapoints_to_alarm = 5
      comparison_operator = "GreaterThanThreshold"
      threshold           = var.alarm_thresholds.bastion_cpu_percent
      treat_missing_data  = "missing"
    }
    db_cpu_high = {
      name                = "${var.name}-db-cpu-high"
      description         = "RDS ${var.db_instance_identifier}: CPU above ${var.alarm_thresholds.db_cpu_percent} % for 5 minutes. Look at Performance Insights / pg_stat_statements for the queries; consider a larger instance class."
      namespace           = "AWS/RDS"
      metric_name         = "CPUUtilization"
      dimensions          = { DBInstanceIdentifier = var.db_instance_identifier }
      statistic           = "Average"
      period              = 60
      evaluation_periods  = 5
      datapoints_to_alarm = 5
      comparison_operator = "GreaterThanThreshold"
      threshold           = var.alarm_thresholds.db_cpu_percent
      treat_missing_data  = "missing"
    }
    db_free_storage_low = {
      name                = "${var.name}-db-free-storage-low"
      description         = "RDS ${var.db_instance_identifier}: free storage below ${format("%.2f", var.alarm_thresholds.db_free_storage_bytes / local.gib)} GiB. Increase allocated_storage (or enable storage autoscaling) before the database goes read-only."
      namespace           = "AWS/RDS"
      metric_name         = "FreeStorageSpace"
      dimensions          = { DBInstanceIdentifier = var.db_instance_identifier }
      statistic           = "Minimum"
      period              = 300
      evaluation_periods  = 1
      datapoints_to_alarm = 1
      comparison_operator = "LessThanThreshold"
      threshold           = var.alarm_thresholds.db_free_storage_bytes
      treat_missing_data  = "missing"
    }
    db_freeable_memory_low = {
      name                = "${var.name}-db-freeable-memory-low"
      description         = "RDS ${var.db_instance_identifier}: freeable memory below ${format("%.0f", var.alarm_thresholds.db_freeable_memory_bytes / local.mib)} MiB for 15 minutes. The instance is swapping or close to it; check connections and work_mem, or move to a larger class."
      namespace           = "AWS/RDS"
      metric_name         = "FreeableMemory"
      dimensions          = { DBInstanceIdentifier = var.db_instance_identifier }
      statistic           = "Average"
      period              = 300
      evaluation_periods  = 3
      datapoints_to_alarm = 3
      comparison_operator = "LessThanThreshold"
      threshold           = var.alarm_thresholds.db_freeable_memory_bytes
      treat_missing_data  = "missing"
    }
    alb_unhealthy_hosts = {
      name                = "${var.name}-alb-unhealthy-hosts"
      description         = "Load balancer ${var.alb_arn_suffix}: at least one web target failed its health checks in 3 of the last 5 minutes. The Auto Scaling Group replaces it; if this persists check the web server logs."
      namespace           = "AWS/ApplicationELB"
      metric_name         = "UnHealthyHostCount"
      dimensions          = { LoadBalancer = var.alb_arn_suffix, TargetGroup = var.target_group_arn_suffix }
      statistic           = "Maximum"
      period              = 60
      evaluation_periods  = 5
      datapoints_to_alarm = 3
      comparison_operator = "GreaterThanThreshold"
      threshold           = 0
      treat_missing_data  = "notBreaching"
    }
    alb_no_healthy_hosts = {
      name                = "${var.name}-alb-no-healthy-hosts"
      description         = "Load balancer ${var.alb_arn_suffix}: no healthy web target for 3 of the last 5 minutes; the site is down."
      namespace           = "AWS/ApplicationELB"
      metric_name         = "HealthyHostCount"
      dimensions          = { LoadBalancer = var.alb_arn_suffix, TargetGroup = var.target_group_arn_suffix }
      statistic           = "Minimum"
      period              = 60
      evaluation_periods  = 5
      datapoints_to_alarm = 3
      comparison_operator = "LessThanThreshold"
      threshold           = 1
      treat_missing_data  = "breaching"
    }
    asg_at_max_capacity = {
      name                = "${var.name}-web-asg-at-max-capacity"
      description         = "Web Auto Scaling Group ${var.autoscaling_group_name}: all ${var.autoscaling_max_size} allowed instances in service for ${var.alarm_thresholds.asg_at_max_minutes} minutes; it cannot scale out further. Raise the max size or find the load."
      namespace           = "AWS/AutoScaling"
      metric_name         = "GroupInServiceInstances"
      dimensions          = { AutoScalingGroupName = var.autoscaling_group_name }
      statistic           = "Minimum"
      period              = 60
      evaluation_periods  = var.alarm_thresholds.asg_at_max_minutes
      datapoints_to_alarm = var.alarm_thresholds.asg_at_max_minutes
      comparison_operator = "GreaterThanOrEqualToThreshold"
      threshold           = var.autoscaling_max_size
      treat_missing_data  = "missing"
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "metric" {
  for_each = local.metric_alarms

  alarm_name          = each.value.name
  alarm_description   = each.value.description
  namespace           = each.value.namespace
  metric_name         = each.value.metric_name
  dimensions          = each.value.dimensions
  statistic           = each.value.statistic
  period              = each.value.period
  evaluation_periods  = each.value.evaluation_periods
  datapoints_to_alarm = each.value.datapoints_to_alarm
  comparison_operator = each.value.comparison_operator
  threshold           = each.value.threshold
  treat_missing_data  = each.value.treat_missing_data

  actions_enabled = true
  alarm_actions   = [aws_sns_topic.alerts.arn]
  ok_actions      = [aws_sns_topic.alerts.arn]

  tags = {
    Name = each.value.name
  }
}

# 5xx rate = (5xx produced by the load balancer + 5xx returned by the targets) /
# requests. A rate, not a count, so the alarm means the same at 10 and 10,000
# requests a minute; below 10 requests a minute it stays quiet, since a single failed
# request out of three is noise, not an incident.
resource "aws_cloudwatch_metric_alarm" "alb_5xx_rate" {
  alarm_name          = "${var.name}-alb-5xx-rate-high"
  alarm_description   = "Load balancer ${var.alb_arn_suffix}: more than ${var.alarm_thresholds.alb_5xx_rate_percent} % of requests answered with a 5xx (load balancer or targets) in 3 of the last 5 minutes."
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.alarm_thresholds.alb_5xx_rate_percent
  treat_missing_data  = "notBreaching"

  metric_query {
    id          = "rate"
    label       = "5xx rate (%)"
    expression  = "IF(requests >= 10, 100 * (FILL(elb_5xx, 0) + FILL(target_5xx, 0)) / requests, 0)"
    return_data = true
  }

  metric_query {
    id = "requests"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "RequestCount"
      dimensions  = { LoadBalancer = var.alb_arn_suffix }
      stat        = "Sum"
      period      = 60
    }
  }

  metric_query {
    id = "elb_5xx"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "HTTPCode_ELB_5XX_Count"
      dimensions  = { LoadBalancer = var.alb_arn_suffix }
      stat        = "Sum"
      period      = 60
    }
  }

  metric_query {
    id = "target_5xx"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "HTTPCode_Target_5XX_Count"
      dimensions  = { LoadBalancer = var.alb_arn_suffix }
      stat        = "Sum"
      period      = 60
    }
  }

  actions_enabled = true
  alarm_actions   = [aws_sns_topic.alerts.arn]
  ok_actions      = [aws_sns_topic.alerts.arn]

  tags = {
    Name = "${var.name}-alb-5xx-rate-high"
  }
}

locals {
  alarms = merge(
    { for key, alarm in aws_cloudwatch_metric_alarm.metric : key => alarm },
    { alb_5xx_rate_high = aws_cloudwatch_metric_alarm.alb_5xx_rate },
  )
}
