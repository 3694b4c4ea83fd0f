output "alb_security_group_id" {
  description = "ID of the load balancer's security group."
  value       = aws_security_group.this["alb"].id
}

output "web_security_group_id" {
  description = "ID of the web servers' security group."
  value       = aws_security_group.this["web"].id
}

output "bastion_security_group_id" {
  description = "ID of the bastion's security group."
  value       = aws_security_group.this["bastion"].id
}

output "database_security_group_id" {
  description = "ID of the database's security group."
  value       = aws_security_group.this["database"].id
}

output "efs_security_group_id" {
  description = "ID of the file system's (EFS mount targets') security group."
  value       = aws_security_group.this["efs"].id
}

output "security_group_ids" {
  description = "All security group IDs keyed by role: alb, web, bastion, database, efs."
  value       = { for role, sg in aws_security_group.this : role => sg.id }
}

output "admin_cidr_blocks" {
  description = "Operator ranges allowed to SSH to the bastion (empty: SSH closed)."
  value       = var.admin_cidr_blocks
}
