# One dashboard for the whole platform, top to bottom in the order a request flows:
# load balancer, web tier, database, sessions, shared images; alarm states first.
# Widgets are laid out on CloudWatch's 24-column grid: three 8-wide graphs per row.

locals {
  alb = ["LoadBalancer", var.alb_arn_suffix]

  dashboard_widgets = [
    {
      type = "alarm", x = 0, y = 0, width = 24, height = 3
      properties = {
        title  = "Alarms"
        alarms = [for alarm in values(local.alarms) : alarm.arn]
      }
    },
    {
      type = "metric", x = 0, y = 3, width = 8, height = 6
      properties = {
        title   = "ALB requests per minute"
        region  = var.region
        view    = "timeSeries"
        stat    = "Sum"
        period  = 60
        metrics = [concat(["AWS/ApplicationELB", "RequestCount"], local.alb)]
      }
    },
    {
      type = "metric", x = 8, y = 3, width = 8, height = 6
      properties = {
        title  = "ALB target response time (seconds)"
        region = var.region
        view   = "timeSeries"
        period = 60
        metrics = [
          for percentile in ["p50", "p95", "p99"] :
          concat(["AWS/ApplicationELB", "TargetResponseTime"], local.alb, [{ stat = percentile, label = percentile }])
        ]
      }
    },
    {
      type = "metric", x = 16, y = 3, width = 8, height = 6
      properties = {
        title  = "ALB 5xx per minute"
        region = var.region
        view   = "timeSeries"
        stat   = "Sum"
        period = 60
        metrics = [
          concat(["AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count"], local.alb, [{ label = "from the load balancer" }]),
          concat(["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count"], local.alb, [{ label = "from the web servers" }]),
        ]
      }
    },
    {
      type = "metric", x = 0, y = 9, width = 8, height = 6
      properties = {
        title  = "Web tier CPU (%)"
        region = var.region
        view   = "timeSeries"
        period = 60
        metrics = [
          ["AWS/EC2", "CPUUtilization", "AutoScalingGroupName", var.autoscaling_group_name, { stat = "Average", label = "average" }],
          ["AWS/EC2", "CPUUtilization", "AutoScalingGroupName", var.autoscaling_group_name, { stat = "Maximum", label = "busiest instance" }],
        ]
        yAxis       = { left = { min = 0, max = 100 } }
        annotations = { horizontal = [{ label = "alarm / scale-out", value = var.alarm_thresholds.web_cpu_percent }] }
      }
    },
    {
      type = "metric", x = 8, y = 9, width = 8, height = 6
      properties = {
        title  = "Web tier instances"
        region = var.region
        view   = "timeSeries"
        stat   = "Average"
        period = 60
        metrics = [
          ["AWS/AutoScaling", "GroupInServiceInstances", "AutoScalingGroupName", var.autoscaling_group_name, { label = "in service" }],
          ["AWS/AutoScaling", "GroupDesiredCapacity", "AutoScalingGroupName", var.autoscaling_group_name, { label = "desired" }],
          concat(["AWS/ApplicationELB", "HealthyHostCount", "TargetGroup", var.target_group_arn_suffix], local.alb, [{ label = "healthy targets" }]),
        ]
        yAxis       = { left = { min = 0 } }
        annotations = { horizontal = [{ label = "max size", value = var.autoscaling_max_size }] }
      }
    },
    {
      type = "metric", x = 16, y = 9, width = 8, height = 6
      properties = {
        title  = "Database CPU (%) and connections"
        region = var.region
        view   = "timeSeries"
        stat   = "Average"
        period = 60
        metrics = [
          ["AWS/RDS", "CPUUtilization", "DBInstanceIdentifier", var.db_instance_identifier, { label = "CPU %" }],
          ["AWS/RDS", "DatabaseConnections", "DBInstanceIdentifier", var.db_instance_identifier, { label = "connections", yAxis = "right" }],
        ]
      }
    },
    {
      type = "metric", x = 0, y = 15, width = 8, height = 6
      properties = {
        title  = "Database free storage and memory (bytes)"
        region = var.region
        view   = "timeSeries"
        stat   = "Minimum"
        period = 300
        metrics = [
          ["AWS/RDS", "FreeStorageSpace", "DBInstanceIdentifier", var.db_instance_identifier, { label = "free storage" }],
          ["AWS/RDS", "FreeableMemory", "DBInstanceIdentifier", var.db_instance_identifier, { label = "freeable memory", yAxis = "right" }],
        ]
      }
    },
    {
      type = "metric", x = 8, y = 15, width = 8, height = 6
      properties = {
        title  = "Session table throttling"
        region = var.region
        view   = "timeSeries"
        stat   = "Sum"
        period = 60
        metrics = [
          ["AWS/DynamoDB", "ReadThrottleEvents", "TableName", var.dynamodb_table_name, { label = "read throttle events" }],
          ["AWS/DynamoDB", "WriteThrottleEvents", "TableName", var.dynamodb_table_name, { label = "write throttle events" }],
          # ThrottledRequests is reported per operation (GetItem, PutItem ...): sum them all.
          [{ expression = "SEARCH('{AWS/DynamoDB,Operation,TableName} MetricName=\"ThrottledRequests\" TableName=\"${var.dynamodb_table_name}\"', 'Sum', 60)", id = "throttled", label = "throttled requests" }],
        ]
      }
    },
    {
      type = "metric", x = 16, y = 15, width = 8, height = 6
      properties = {
        title  = "Product images (EFS) throughput (bytes/s)"
        region = var.region
        view   = "timeSeries"
        period = 60
        metrics = [
          [{ expression = "metered / PERIOD(metered)", id = "used", label = "metered I/O" }],
          ["AWS/EFS", "MeteredIOBytes", "FileSystemId", var.efs_file_system_id, { id = "metered", stat = "Sum", visible = false }],
          ["AWS/EFS", "PermittedThroughput", "FileSystemId", var.efs_file_system_id, { stat = "Average", label = "permitted" }],
        ]
      }
    },
  ]
}

resource "aws_cloudwatch_dashboard" "platform" {
  dashboard_name = var.name
  dashboard_body = jsonencode({ widgets = local.dashboard_widgets })
}
