# The documented outputs (README, RUNBOOK) stay flat; everything else is in
# `platform`, grouped by area (network, web, database, monitoring, ...).

output "alb_url" {
  description = "URL of the shop through the load balancer."
  value       = module.platform.load_balancer.url
}

output "bastion_ssh_command" {
  description = "SSH command for the bastion host."
  value       = module.platform.bastion.ssh_command
}

output "db_address" {
  description = "Endpoint of the PostgreSQL database (reachable from the web tier and the bastion only)."
  value       = module.platform.database.address
}

output "dashboard_name" {
  description = "CloudWatch dashboard of the platform."
  value       = module.platform.monitoring.dashboard_name
}

output "platform" {
  description = "Every output of the platform module, one object per area (network, security_group_ids, encryption, load_balancer, web, bastion, database, sessions, product_images, static_assets, monitoring), for tools and tests."
  value       = module.platform
}
