output "state_bucket_name" {
  description = "Put this in terraform/environments/<env>/backend.hcl as `bucket`."
  value       = aws_s3_bucket.state.id
}

output "state_kms_key_arn" {
  description = "KMS key encrypting the state; CI roles need kms:Decrypt and kms:GenerateDataKey on it."
  value       = aws_kms_key.state.arn
}

output "backend_config" {
  description = "backend.hcl content for an environment (replace <env>)."
  value       = <<-EOT
    bucket       = "${aws_s3_bucket.state.id}"
    key          = "<env>/terraform.tfstate"
    region       = "${var.region}"
    encrypt      = true
    kms_key_id   = "${aws_kms_key.state.arn}"
    use_lockfile = true
  EOT
}
