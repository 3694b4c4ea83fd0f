output "database" {
  description = "The PostgreSQL database: instance_identifier, address (private DNS name), port, db_name, master_user_secret_arn (Secrets Manager secret managed by RDS with the master credentials), log_group_names (by log type), parameter_group_name."
  value = {
    instance_identifier    = module.database.db_instance_identifier
    address                = module.database.address
    port                   = module.database.port
    db_name                = module.database.db_name
    master_user_secret_arn = module.database.master_user_secret_arn
    log_group_names        = module.database.log_group_names
    parameter_group_name   = module.database.parameter_group_name
  }
}

output "sessions" {
  description = "The DynamoDB session table (hash key session_id, TTL expires_at): table_name, table_arn."
  value = {
    table_name = module.sessions.table_name
    table_arn  = module.sessions.table_arn
  }
}

output "product_images" {
  description = "The EFS file system of product images: file_system_id, access_point_id (what the web servers mount: /product-images, fixed POSIX owner)."
  value = {
    file_system_id  = module.product_images.file_system_id
    access_point_id = module.product_images.access_point_id
  }
}

output "static_assets" {
  description = "The S3 bucket of static assets the web servers sync: bucket_name, object_keys (uploaded from the repository)."
  value = {
    bucket_name = module.static_assets.bucket_name
    object_keys = module.static_assets.object_keys
  }
}
