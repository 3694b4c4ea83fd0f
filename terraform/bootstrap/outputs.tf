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

output "deployer" {
  description = "The deployer identity: group and user names and ARNs, policy ARNs by area, and policy_documents (area => JSON) for the pipeline's CodeBuild role. Create the user's access key with the CLI (terraform/modules/deployer/README.md), never in Terraform."
  value = {
    group_name       = module.deployer.group_name
    group_arn        = module.deployer.group_arn
    user_name        = module.deployer.user_name
    user_arn         = module.deployer.user_arn
    policy_arns      = module.deployer.policy_arns
    mfa_policy_arn   = module.deployer.mfa_policy_arn
    policy_documents = module.deployer.policy_documents
  }
}
