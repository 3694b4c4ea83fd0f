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

output "pipeline" {
  description = "The delivery pipeline: its name, stages in order, buckets (upload the repository as <source_bucket>/<source_object_key> with the S3 source), build projects, notifications topic and, with the GitHub source, the connection to hand-shake once in the console."
  value = {
    pipeline_name                  = module.pipeline.pipeline_name
    pipeline_arn                   = module.pipeline.pipeline_arn
    stages                         = module.pipeline.stages
    artifacts_bucket               = module.pipeline.artifacts_bucket
    source_bucket                  = module.pipeline.source_bucket
    source_object_key              = module.pipeline.source_object_key
    codeconnections_connection_arn = module.pipeline.codeconnections_connection_arn
    notifications_topic_arn        = module.pipeline.notifications_topic_arn
    build_projects                 = module.pipeline.build_projects
    callback_url                   = module.pipeline.callback_url
  }
}
