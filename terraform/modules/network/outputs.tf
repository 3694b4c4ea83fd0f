output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "vpc_cidr_block" {
  description = "IPv4 CIDR of the VPC."
  value       = aws_vpc.this.cidr_block
}

output "availability_zones" {
  description = "Availability zones in use, in order. Every *_subnet_ids list follows this order."
  value       = local.azs
}

output "tier_cidr_blocks" {
  description = "CIDR block of each tier (public, app, data) that holds all of its subnets; what the network ACLs name."
  value       = local.tier_cidr_blocks
}

output "public_subnet_ids" {
  description = "IDs of the public subnets (load balancer, bastion, NAT gateways), in availability_zones order."
  value       = [for az in local.azs : aws_subnet.public[az].id]
}

output "app_subnet_ids" {
  description = "IDs of the private app subnets (web servers), in availability_zones order."
  value       = [for az in local.azs : aws_subnet.app[az].id]
}

output "data_subnet_ids" {
  description = "IDs of the private data subnets (database, file system), in availability_zones order."
  value       = [for az in local.azs : aws_subnet.data[az].id]
}

output "public_subnets" {
  description = "Public subnet IDs keyed by availability zone."
  value       = { for az, s in aws_subnet.public : az => s.id }
}

output "app_subnets" {
  description = "App subnet IDs keyed by availability zone."
  value       = { for az, s in aws_subnet.app : az => s.id }
}

output "data_subnets" {
  description = "Data subnet IDs keyed by availability zone."
  value       = { for az, s in aws_subnet.data : az => s.id }
}

output "subnet_cidr_blocks" {
  description = "CIDR of every subnet: tier => availability zone => CIDR."
  value       = local.subnet_cidr_blocks
}

output "internet_gateway_id" {
  description = "ID of the internet gateway."
  value       = aws_internet_gateway.this.id
}

output "nat_gateway_ids" {
  description = "IDs of the NAT gateways (one, or one per AZ), in availability_zones order."
  value       = [for az in local.nat_azs : aws_nat_gateway.this[az].id]
}

output "nat_public_ips" {
  description = "Public IPs the app tier's outbound traffic leaves from (for allow-lists at third parties)."
  value       = [for az in local.nat_azs : aws_eip.nat[az].public_ip]
}

output "public_route_table_id" {
  description = "ID of the public route table (default route to the internet gateway)."
  value       = aws_route_table.public.id
}

output "app_route_table_ids" {
  description = "App route table IDs keyed by availability zone (default route to a NAT gateway)."
  value       = { for az, rt in aws_route_table.app : az => rt.id }
}

output "data_route_table_id" {
  description = "ID of the data route table (no route out of the VPC)."
  value       = aws_route_table.data.id
}

output "network_acl_ids" {
  description = "Network ACL IDs keyed by tier: public, app, data."
  value       = { for tier, acl in aws_network_acl.this : tier => acl.id }
}

output "vpc_endpoint_ids" {
  description = "Gateway endpoint IDs keyed by service: s3, dynamodb."
  value       = { for svc, ep in aws_vpc_endpoint.gateway : svc => ep.id }
}

output "vpc_endpoint_prefix_list_ids" {
  description = "Prefix list IDs of the gateway endpoints keyed by service (s3, dynamodb), for security group rules that reach S3 or DynamoDB only."
  value       = { for svc, ep in aws_vpc_endpoint.gateway : svc => ep.prefix_list_id }
}

output "flow_log_id" {
  description = "ID of the VPC flow log."
  value       = aws_flow_log.this.id
}

output "flow_log_group_name" {
  description = "Name of the CloudWatch log group receiving the VPC flow logs."
  value       = aws_cloudwatch_log_group.flow_logs.name
}

output "flow_log_group_arn" {
  description = "ARN of the CloudWatch log group receiving the VPC flow logs."
  value       = aws_cloudwatch_log_group.flow_logs.arn
}

output "flow_log_role_arn" {
  description = "ARN of the IAM role VPC Flow Logs writes with."
  value       = aws_iam_role.flow_logs.arn
}
