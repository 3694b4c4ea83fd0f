output "db_instance_identifier" {
  description = "Identifier of the PostgreSQL RDS instance."
  value       = module.database.db_instance_identifier
}

output "db_address" {
  description = "Private DNS name of the database endpoint."
  value       = module.database.address
}

output "db_port" {
  description = "PostgreSQL port."
  value       = module.database.port
}

output "db_name" {
  description = "Name of the application database."
  value       = module.database.db_name
}

output "db_master_user_secret_arn" {
  description = "Secrets Manager secret (managed by RDS) with the master user's credentials."
  value       = module.database.master_user_secret_arn
}

output "db_log_group_names" {
  description = "CloudWatch log groups of the exported PostgreSQL logs, keyed by log type."
  value       = module.database.log_group_names
}

output "db_parameter_group_name" {
  description = "DB parameter group of the instance (TLS forced, slow queries logged)."
  value       = module.database.parameter_group_name
}

output "sessions_table_name" {
  description = "DynamoDB table of web sessions (hash key session_id, TTL expires_at)."
  value       = module.sessions.table_name
}

output "sessions_table_arn" {
  description = "ARN of the session table."
  value       = module.sessions.table_arn
}

output "product_images_file_system_id" {
  description = "EFS file system of the product images."
  value       = module.product_images.file_system_id
}

output "product_images_access_point_id" {
  description = "EFS access point the web servers mount (/product-images, fixed POSIX owner)."
  value       = module.product_images.access_point_id
}

output "static_assets_bucket_name" {
  description = "S3 bucket of the static assets the web servers sync."
  value       = module.static_assets.bucket_name
}

output "static_assets_object_keys" {
  description = "Asset keys uploaded from the repository."
  value       = module.static_assets.object_keys
}
