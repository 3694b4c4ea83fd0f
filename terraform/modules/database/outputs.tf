output "db_instance_identifier" {
  description = "Identifier of the RDS instance (CloudWatch dimension DBInstanceIdentifier)."
  value       = aws_db_instance.this.identifier
}

output "db_instance_arn" {
  description = "ARN of the RDS instance."
  value       = aws_db_instance.this.arn
}

output "address" {
  description = "DNS name of the instance endpoint (private; resolves only inside the VPC)."
  value       = aws_db_instance.this.address
}

output "port" {
  description = "PostgreSQL port of the instance."
  value       = aws_db_instance.this.port
}

output "db_name" {
  description = "Name of the application database."
  value       = aws_db_instance.this.db_name
}

output "username" {
  description = "Master user name (its password is in the master user secret)."
  value       = aws_db_instance.this.username
}

output "master_user_secret_arn" {
  description = "ARN of the Secrets Manager secret RDS manages for the master user (JSON with username and password); grant secretsmanager:GetSecretValue and kms:Decrypt on the platform key to read it."
  value       = aws_db_instance.this.master_user_secret[0].secret_arn
}

output "log_group_names" {
  description = "CloudWatch log groups of the exported PostgreSQL logs, keyed by log type (postgresql, upgrade ...)."
  value       = { for type, group in aws_cloudwatch_log_group.exports : type => group.name }
}

output "parameter_group_name" {
  description = "Name of the instance's DB parameter group."
  value       = aws_db_parameter_group.this.name
}

output "monitoring_role_arn" {
  description = "ARN of the Enhanced Monitoring role, or null when monitoring_interval is 0."
  value       = one(aws_iam_role.monitoring[*].arn)
}

output "protections" {
  description = "Protections in force on the instance: deletion protection, final snapshot on delete, Multi-AZ, backup retention days."
  value = {
    deletion_protection     = aws_db_instance.this.deletion_protection
    final_snapshot          = !aws_db_instance.this.skip_final_snapshot
    multi_az                = aws_db_instance.this.multi_az
    backup_retention_period = aws_db_instance.this.backup_retention_period
  }
}
