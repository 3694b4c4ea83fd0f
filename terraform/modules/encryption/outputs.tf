output "key_arn" {
  description = "ARN of the platform's customer-managed KMS key (what services take as kms_key_id / kms_key_arn)."
  value       = aws_kms_key.this.arn
}

output "key_id" {
  description = "ID (UUID) of the platform's KMS key."
  value       = aws_kms_key.this.key_id
}

output "alias_name" {
  description = "Alias of the key, alias/<name>."
  value       = aws_kms_alias.this.name
}

output "alias_arn" {
  description = "ARN of the key's alias."
  value       = aws_kms_alias.this.arn
}
