output "name" {
  description = "Name of the web servers' IAM role (the web module attaches its policies and instance profile to it)."
  value       = aws_iam_role.this.name
}

output "arn" {
  description = "ARN of the web servers' IAM role (the principal of the product images file system policy)."
  value       = aws_iam_role.this.arn
}
