output "bucket_name" {
  description = "Name of the static assets bucket (the web tier syncs s3://<bucket_name>/ to its document root)."
  value       = aws_s3_bucket.this.id
}

output "bucket_arn" {
  description = "ARN of the bucket, for the web role's s3:ListBucket / s3:GetObject grants."
  value       = aws_s3_bucket.this.arn
}

output "object_keys" {
  description = "Keys of the assets uploaded from assets_dir."
  value       = sort(keys(aws_s3_object.asset))
}
