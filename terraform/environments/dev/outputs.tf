output "alb_url" {
  description = "URL of the shop through the load balancer."
  value       = module.platform.alb_url
}

output "bastion_ssh_command" {
  description = "SSH command for the bastion host."
  value       = module.platform.bastion_ssh_command
}

output "db_address" {
  description = "Endpoint of the PostgreSQL database (reachable from the web tier and the bastion only)."
  value       = module.platform.db_address
}

output "dashboard_name" {
  description = "CloudWatch dashboard of the platform."
  value       = module.platform.dashboard_name
}

output "platform" {
  description = "Every output of the platform module (network, web, data, monitoring), for tools and tests."
  value       = module.platform
}
