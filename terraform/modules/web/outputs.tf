output "autoscaling_group_name" {
  description = "Name of the web Auto Scaling Group (the AutoScalingGroupName dimension of its metrics)."
  value       = aws_autoscaling_group.web.name
}

output "autoscaling_group_arn" {
  description = "ARN of the web Auto Scaling Group."
  value       = aws_autoscaling_group.web.arn
}

output "launch_template_id" {
  description = "Id of the web launch template."
  value       = aws_launch_template.web.id
}

output "launch_template_latest_version" {
  description = "Latest version of the web launch template (the one the group runs)."
  value       = aws_launch_template.web.latest_version
}

output "ami_id" {
  description = "AMI the web servers launch from."
  value       = aws_launch_template.web.image_id
}

output "subnet_ids" {
  description = "Subnets the web servers run in (app subnets, or public subnets with placement = \"public\")."
  value       = local.subnet_ids
}

output "placement" {
  description = "Placement of the web servers: private or public."
  value       = var.placement
}

output "instance_profile_name" {
  description = "Name of the web servers' instance profile."
  value       = aws_iam_instance_profile.web.name
}

output "log_group_names" {
  description = "Web log groups by key (nginx-access, nginx-error, app, system) => log group name."
  value       = { for key, group in aws_cloudwatch_log_group.web : key => group.name }
}

output "scaling_policy_name" {
  description = "Name of the CPU target tracking policy."
  value       = aws_autoscaling_policy.cpu_target.name
}

output "scaling_policy_arn" {
  description = "ARN of the CPU target tracking policy."
  value       = aws_autoscaling_policy.cpu_target.arn
}

output "max_size" {
  description = "Maximum number of web servers (the monitoring module's at-max-capacity alarm compares with it)."
  value       = aws_autoscaling_group.web.max_size
}

output "cpu_target_percent" {
  description = "Average CPU utilisation the group is held at."
  value       = var.cpu_target_percent
}

output "cloudwatch_agent_parameter_name" {
  description = "SSM parameter holding the CloudWatch agent configuration."
  value       = aws_ssm_parameter.cloudwatch_agent.name
}

output "app_artifact_parameter_name" {
  description = "SSM parameter naming the application artifact (s3://bucket/key or none)."
  value       = aws_ssm_parameter.app_artifact.name
}

output "product_images_path" {
  description = "Where the product images file system is mounted on every web server."
  value       = local.product_images_path
}
