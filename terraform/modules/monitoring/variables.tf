variable "name" {
  type        = string
  description = "Resource name prefix, e.g. shop-dev. Names the topic (<name>-alerts), the dashboard (<name>), the budget and every alarm."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name))
    error_message = "name must be 2-31 characters of lowercase letters, digits and hyphens, starting with a letter, such as shop-dev."
  }
}

variable "region" {
  type        = string
  description = "AWS region of the monitored resources; the dashboard widgets query this region."

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as eu-west-1."
  }
}

variable "kms_key_arn" {
  type        = string
  description = "ARN of the platform KMS key that encrypts the alert topic. Its key policy must let cloudwatch.amazonaws.com and budgets.amazonaws.com use it (kms:GenerateDataKey*, kms:Decrypt) or they cannot publish."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN such as arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab (not an alias)."
  }
}

variable "alarm_emails" {
  type        = list(string)
  description = "Email addresses subscribed to the alert topic (alarms and budget). Each recipient must confirm the subscription from the email AWS sends. Empty is allowed (e.g. the local emulator)."
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for email in var.alarm_emails : can(regex("^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}$", email))])
    error_message = "Every alarm_emails entry must be an email address such as ops@example.com."
  }

  validation {
    condition     = length(distinct([for email in var.alarm_emails : lower(email)])) == length(var.alarm_emails)
    error_message = "alarm_emails must not list the same address twice."
  }
}

variable "autoscaling_group_name" {
  type        = string
  description = "Name of the web tier Auto Scaling Group (AutoScalingGroupName dimension of the CPU and capacity alarms)."

  validation {
    condition     = length(trimspace(var.autoscaling_group_name)) > 0 && length(var.autoscaling_group_name) <= 255
    error_message = "autoscaling_group_name must be the Auto Scaling Group's name (1-255 characters)."
  }
}

variable "autoscaling_max_size" {
  type        = number
  description = "max_size of the web Auto Scaling Group: the at-max-capacity alarm fires when the in-service count stays at this value."

  validation {
    condition     = var.autoscaling_max_size >= 1 && floor(var.autoscaling_max_size) == var.autoscaling_max_size
    error_message = "autoscaling_max_size must be a whole number of instances, at least 1."
  }
}

variable "bastion_instance_id" {
  type        = string
  description = "EC2 instance ID of the bastion host (InstanceId dimension of its CPU alarm)."

  validation {
    condition     = can(regex("^i-[0-9a-f]{8,17}$", var.bastion_instance_id))
    error_message = "bastion_instance_id must be an EC2 instance ID such as i-0123456789abcdef0."
  }
}

variable "db_instance_identifier" {
  type        = string
  description = "Identifier of the RDS instance (DBInstanceIdentifier dimension of the database alarms)."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,62}$", var.db_instance_identifier))
    error_message = "db_instance_identifier must be an RDS identifier: lowercase letters, digits and hyphens, starting with a letter, such as shop-dev-db."
  }
}

variable "alb_arn_suffix" {
  type        = string
  description = "arn_suffix of the Application Load Balancer (LoadBalancer dimension), e.g. app/shop-dev/50dc6c495c0c9188."

  validation {
    condition     = can(regex("^app/[A-Za-z0-9-]+/[0-9a-f]+$", var.alb_arn_suffix))
    error_message = "alb_arn_suffix must be the load balancer's arn_suffix such as app/shop-dev/50dc6c495c0c9188."
  }
}

variable "target_group_arn_suffix" {
  type        = string
  description = "arn_suffix of the web target group (TargetGroup dimension), e.g. targetgroup/shop-dev-web/6d0ecf831eec9f09."

  validation {
    condition     = can(regex("^targetgroup/[A-Za-z0-9-]+/[0-9a-f]+$", var.target_group_arn_suffix))
    error_message = "target_group_arn_suffix must be the target group's arn_suffix such as targetgroup/shop-dev-web/6d0ecf831eec9f09."
  }
}

variable "dynamodb_table_name" {
  type        = string
  description = "Name of the DynamoDB session table shown on the dashboard (throttling)."

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", var.dynamodb_table_name))
    error_message = "dynamodb_table_name must be a DynamoDB table name: 3-255 letters, digits, '_', '-' or '.'."
  }
}

variable "efs_file_system_id" {
  type        = string
  description = "ID of the EFS file system holding product images, shown on the dashboard (throughput)."

  validation {
    condition     = can(regex("^fs-[0-9a-f]{8,40}$", var.efs_file_system_id))
    error_message = "efs_file_system_id must be an EFS file system ID such as fs-0123456789abcdef0."
  }
}

variable "alarm_thresholds" {
  type = object({
    web_cpu_percent          = optional(number, 70)
    bastion_cpu_percent      = optional(number, 80)
    db_cpu_percent           = optional(number, 80)
    db_free_storage_bytes    = optional(number, 2147483648)
    db_freeable_memory_bytes = optional(number, 134217728)
    alb_5xx_rate_percent     = optional(number, 5)
    asg_at_max_minutes       = optional(number, 15)
  })
  description = <<-EOT
    Alarm thresholds; omitted attributes keep their defaults.
    web_cpu_percent (70, the scale-out target), bastion_cpu_percent (80), db_cpu_percent (80):
    average CPU %. db_free_storage_bytes (2 GiB, 10 % of a 20 GiB volume) and
    db_freeable_memory_bytes (128 MiB, 1/8 of a db.t3.micro): alarm below these.
    alb_5xx_rate_percent (5): share of requests answered with a 5xx by the load balancer or
    the targets. asg_at_max_minutes (15): how long the web group may sit at max_size.
  EOT
  default     = {}
  nullable    = false

  validation {
    condition = alltrue([
      for percent in [
        var.alarm_thresholds.web_cpu_percent,
        var.alarm_thresholds.bastion_cpu_percent,
        var.alarm_thresholds.db_cpu_percent,
        var.alarm_thresholds.alb_5xx_rate_percent,
      ] : percent >= 1 && percent <= 100
    ])
    error_message = "alarm_thresholds web_cpu_percent, bastion_cpu_percent, db_cpu_percent and alb_5xx_rate_percent are percentages: each must be between 1 and 100, such as 70."
  }

  validation {
    condition     = var.alarm_thresholds.db_free_storage_bytes >= 104857600 && var.alarm_thresholds.db_freeable_memory_bytes >= 16777216
    error_message = "alarm_thresholds db_free_storage_bytes must be at least 104857600 (100 MiB) and db_freeable_memory_bytes at least 16777216 (16 MiB); they are bytes, such as 2147483648 for 2 GiB."
  }

  validation {
    condition     = var.alarm_thresholds.asg_at_max_minutes >= 2 && var.alarm_thresholds.asg_at_max_minutes <= 1440 && floor(var.alarm_thresholds.asg_at_max_minutes) == var.alarm_thresholds.asg_at_max_minutes
    error_message = "alarm_thresholds asg_at_max_minutes must be a whole number of minutes between 2 and 1440, such as 15."
  }
}

variable "budget_amount_usd" {
  type        = number
  description = "Monthly cost budget in US dollars for the account the platform runs in."

  validation {
    condition     = var.budget_amount_usd > 0
    error_message = "budget_amount_usd must be a positive amount of US dollars, such as 150."
  }
}

variable "budget_alert_thresholds" {
  type = object({
    actual_percent     = optional(number, 80)
    forecasted_percent = optional(number, 100)
  })
  description = "Budget notifications: when ACTUAL spend passes actual_percent (80) of the budget, and when the FORECASTED month-end spend passes forecasted_percent (100)."
  default     = {}
  nullable    = false

  validation {
    condition = alltrue([
      for percent in [var.budget_alert_thresholds.actual_percent, var.budget_alert_thresholds.forecasted_percent] :
      percent >= 1 && percent <= 1000
    ])
    error_message = "budget_alert_thresholds actual_percent and forecasted_percent must be percentages of the budget between 1 and 1000, such as 80 and 100."
  }
}

variable "budget_emails" {
  type        = list(string)
  description = "Extra addresses (e.g. finance) AWS Budgets emails directly, besides publishing to the alert topic. At most 10."
  default     = []
  nullable    = false

  validation {
    condition     = length(var.budget_emails) <= 10 && alltrue([for email in var.budget_emails : can(regex("^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}$", email))])
    error_message = "budget_emails must be at most 10 email addresses such as finance@example.com."
  }
}
