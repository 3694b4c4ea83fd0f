output "alb_dns_name" {
  description = "Public DNS name of the load balancer."
  value       = module.load_balancer.alb_dns_name
}

output "alb_url" {
  description = "URL of the shop through the load balancer."
  value       = module.load_balancer.url
}

output "alb_arn" {
  description = "ARN of the load balancer."
  value       = module.load_balancer.alb_arn
}

output "alb_target_group_arn" {
  description = "ARN of the web target group."
  value       = module.load_balancer.target_group_arn
}

output "alb_access_log_bucket" {
  description = "S3 bucket with the load balancer's access logs."
  value       = module.load_balancer.access_log_bucket_name
}

output "web_autoscaling_group_name" {
  description = "Name of the web Auto Scaling Group."
  value       = module.web.autoscaling_group_name
}

output "web_launch_template_id" {
  description = "Id of the web launch template."
  value       = module.web.launch_template_id
}

output "web_subnet_ids" {
  description = "Subnets the web servers run in."
  value       = module.web.subnet_ids
}

output "web_placement" {
  description = "Placement of the web servers (private or public)."
  value       = module.web.placement
}

output "web_instance_role_name" {
  description = "IAM role of the web servers."
  value       = module.web.instance_role_name
}

output "web_scaling_policy_name" {
  description = "Name of the web tier's CPU target tracking policy."
  value       = module.web.scaling_policy_name
}

output "web_cpu_target_percent" {
  description = "CPU utilisation the web tier is held at."
  value       = module.web.cpu_target_percent
}

output "web_log_group_names" {
  description = "Web log groups by key (nginx-access, nginx-error, app, system)."
  value       = module.web.log_group_names
}

output "web_app_artifact_parameter" {
  description = "SSM parameter naming the deployed shop application artifact."
  value       = module.web.app_artifact_parameter_name
}

output "web_cloudwatch_agent_parameter" {
  description = "SSM parameter with the web servers' CloudWatch agent configuration."
  value       = module.web.cloudwatch_agent_parameter_name
}

output "bastion_instance_id" {
  description = "Id of the bastion instance."
  value       = module.bastion.instance_id
}

output "bastion_public_ip" {
  description = "Elastic IP of the bastion."
  value       = module.bastion.public_ip
}

output "bastion_ssh_command" {
  description = "SSH login to the bastion (null when no public key is configured)."
  value       = module.bastion.ssh_command
}

output "bastion_db_tunnel_command" {
  description = "SSH tunnel to the database through the bastion (then connect psql to localhost:5432); null without an SSH key."
  value       = module.bastion.ssh_enabled ? "ssh -N -L 5432:${module.database.address}:${module.database.port} ec2-user@${module.bastion.public_ip}" : null
}

output "bastion_ssm_db_tunnel_command" {
  description = "Keyless alternative: Session Manager port forwarding to the database through the bastion (AWS CLI + Session Manager plugin)."
  value       = "aws ssm start-session --target ${module.bastion.instance_id} --document-name AWS-StartPortForwardingSessionToRemoteHost --parameters '{\"host\":[\"${module.database.address}\"],\"portNumber\":[\"${module.database.port}\"],\"localPortNumber\":[\"5432\"]}'"
}
