output "network" {
  description = "The VPC: vpc_id, vpc_cidr_block, availability_zones (in order; the subnet ID lists follow it), tier_cidr_blocks (public, app, data), public/app/data_subnet_ids, internet_gateway_id, nat_gateway_ids, nat_public_ips (where the web servers' outbound traffic leaves from), public_route_table_id, app_route_table_ids (by AZ), data_route_table_id (no route out of the VPC), network_acl_ids and vpc_endpoint_ids (s3, dynamodb) by key, flow_log_group_name, admin_cidr_blocks (operator ranges allowed to SSH to the bastion)."
  value = {
    vpc_id                = module.network.vpc_id
    vpc_cidr_block        = module.network.vpc_cidr_block
    availability_zones    = module.network.availability_zones
    tier_cidr_blocks      = module.network.tier_cidr_blocks
    public_subnet_ids     = module.network.public_subnet_ids
    app_subnet_ids        = module.network.app_subnet_ids
    data_subnet_ids       = module.network.data_subnet_ids
    internet_gateway_id   = module.network.internet_gateway_id
    nat_gateway_ids       = module.network.nat_gateway_ids
    nat_public_ips        = module.network.nat_public_ips
    public_route_table_id = module.network.public_route_table_id
    app_route_table_ids   = module.network.app_route_table_ids
    data_route_table_id   = module.network.data_route_table_id
    network_acl_ids       = module.network.network_acl_ids
    vpc_endpoint_ids      = module.network.vpc_endpoint_ids
    flow_log_group_name   = module.network.flow_log_group_name
    admin_cidr_blocks     = module.security_groups.admin_cidr_blocks
  }
}

output "security_group_ids" {
  description = "Security group IDs keyed by role: alb, web, bastion, database, efs."
  value       = module.security_groups.security_group_ids
}

output "encryption" {
  description = "The platform's KMS key: key_arn, key_id, alias_name."
  value = {
    key_arn    = module.encryption.key_arn
    key_id     = module.encryption.key_id
    alias_name = module.encryption.alias_name
  }
}
