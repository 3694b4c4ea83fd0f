output "table_name" {
  description = "Name of the session table (hash key session_id, string; TTL attribute per ttl_attribute)."
  value       = aws_dynamodb_table.this.name
}

output "table_arn" {
  description = "ARN of the session table, for the web role's IAM policy."
  value       = aws_dynamodb_table.this.arn
}

output "ttl_attribute" {
  description = "Attribute the application must set to the session's expiry (epoch seconds)."
  value       = var.ttl_attribute
}

output "deletion_protection" {
  description = "Whether the table is protected from deletion."
  value       = aws_dynamodb_table.this.deletion_protection_enabled
}
