output "vpc_id" {
  description = "ID of the platform's VPC."
  value       = module.network.vpc_id
}

output "vpc_cidr_block" {
  description = "IPv4 CIDR of the VPC."
  value       = module.network.vpc_cidr_block
}

output "availability_zones" {
  description = "Availability zones in use, in order; the subnet ID lists follow it."
  value       = module.network.availability_zones
}

output "tier_cidr_blocks" {
  description = "CIDR holding all subnets of each tier: public, app, data."
  value       = module.network.tier_cidr_blocks
}

output "public_subnet_ids" {
  description = "Public subnet IDs (load balancer, bastion, NAT), in AZ order."
  value       = module.network.public_subnet_ids
}

output "app_subnet_ids" {
  description = "Private app subnet IDs (web servers), in AZ order."
  value       = module.network.app_subnet_ids
}

output "data_subnet_ids" {
  description = "Private data subnet IDs (database, file system), in AZ order."
  value       = module.network.data_subnet_ids
}

output "internet_gateway_id" {
  description = "ID of the internet gateway."
  value       = module.network.internet_gateway_id
}

output "nat_gateway_ids" {
  description = "NAT gateway IDs (one, or one per AZ)."
  value       = module.network.nat_gateway_ids
}

output "nat_public_ips" {
  description = "Public IPs the web servers' outbound traffic leaves from."
  value       = module.network.nat_public_ips
}

output "public_route_table_id" {
  description = "ID of the public route table."
  value       = module.network.public_route_table_id
}

output "app_route_table_ids" {
  description = "App route table IDs keyed by AZ."
  value       = module.network.app_route_table_ids
}

output "data_route_table_id" {
  description = "ID of the data route table (no route out of the VPC)."
  value       = module.network.data_route_table_id
}

output "network_acl_ids" {
  description = "Network ACL IDs keyed by tier: public, app, data."
  value       = module.network.network_acl_ids
}

output "vpc_endpoint_ids" {
  description = "Gateway endpoint IDs keyed by service: s3, dynamodb."
  value       = module.network.vpc_endpoint_ids
}

output "flow_log_group_name" {
  description = "CloudWatch log group of the VPC flow logs."
  value       = module.network.flow_log_group_name
}

output "admin_cidr_blocks" {
  description = "Operator ranges allowed to SSH to the bastion (empty: SSH closed)."
  value       = var.admin_cidr_blocks
}

output "alb_security_group_id" {
  description = "Security group of the load balancer."
  value       = module.security_groups.alb_security_group_id
}

output "web_security_group_id" {
  description = "Security group of the web servers."
  value       = module.security_groups.web_security_group_id
}

output "bastion_security_group_id" {
  description = "Security group of the bastion."
  value       = module.security_groups.bastion_security_group_id
}

output "database_security_group_id" {
  description = "Security group of the database."
  value       = module.security_groups.database_security_group_id
}

output "efs_security_group_id" {
  description = "Security group of the product images file system."
  value       = module.security_groups.efs_security_group_id
}

output "kms_key_arn" {
  description = "ARN of the platform's KMS key."
  value       = module.encryption.key_arn
}

output "kms_key_id" {
  description = "ID of the platform's KMS key."
  value       = module.encryption.key_id
}

output "kms_alias_name" {
  description = "Alias of the platform's KMS key."
  value       = module.encryption.alias_name
}
