# Logs and metrics of the web servers (CloudWatch agent), and the SSM parameters the
# servers read at boot: the agent's configuration and the application artifact.

locals {
  # Log group key => the file on the instance it receives.
  log_files = {
    nginx-access = "/var/log/nginx/access.log"
    nginx-error  = "/var/log/nginx/error.log"
    app          = "/var/log/shop-app/app.log"
    system       = "/var/log/messages"
  }

  cloudwatch_agent_config = {
    agent = {
      metrics_collection_interval = 60
      # Metrics are per group, not per host: new instances do not mint new metric
      # series (each series is billed), and the dashboard reads one line per group.
      omit_hostname = true
    }
    metrics = {
      namespace = "CWAgent"
      append_dimensions = {
        AutoScalingGroupName = "$${aws:AutoScalingGroupName}"
      }
      aggregation_dimensions = [["AutoScalingGroupName"]]
      metrics_collected = {
        mem = {
          measurement = ["mem_used_percent"]
        }
        disk = {
          measurement = ["used_percent"]
          resources   = ["/"]
          drop_device = true
        }
      }
    }
    logs = {
      logs_collected = {
        files = {
          collect_list = [
            for key, file in local.log_files : {
              file_path       = file
              log_group_name  = aws_cloudwatch_log_group.web[key].name
              log_stream_name = "{instance_id}"
              timezone        = "UTC"
            }
          ]
        }
      }
    }
  }
}

resource "aws_cloudwatch_log_group" "web" {
  # checkov:skip=CKV_AWS_338: Retention is an input set to one week by requirement (log_retention_days); a year of web logs is not wanted here.
  for_each = local.log_files

  name              = "/${var.name}/web/${each.key}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn

  tags = { Name = "/${var.name}/web/${each.key}" }
}

resource "aws_ssm_parameter" "cloudwatch_agent" {
  # checkov:skip=CKV2_AWS_34: Agent configuration is not secret; a SecureString would make every reader need KMS decrypt for nothing.
  name        = "/${var.name}/web/cloudwatch-agent-config"
  description = "CloudWatch agent configuration of the ${var.name} web servers (logs and memory/disk metrics)."
  type        = "String"
  tier        = "Standard"
  value       = jsonencode(local.cloudwatch_agent_config)

  tags = { Name = "/${var.name}/web/cloudwatch-agent-config" }
}

resource "aws_ssm_parameter" "app_artifact" {
  # checkov:skip=CKV2_AWS_34: Holds an S3 URL, not a secret.
  name        = "/${var.name}/web/app-artifact"
  description = "s3://bucket/key of the shop application tarball the ${var.name} web servers run, or none."
  type        = "String"
  tier        = "Standard"
  value       = local.app_artifact_value

  tags = { Name = "/${var.name}/web/app-artifact" }
}
