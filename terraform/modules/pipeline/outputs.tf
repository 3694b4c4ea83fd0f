output "pipeline_name" {
  description = "Name of the pipeline (<project>-delivery)."
  value       = aws_codepipeline.this.name
}

output "pipeline_arn" {
  description = "ARN of the pipeline."
  value       = aws_codepipeline.this.arn
}

output "stages" {
  description = "Stage names in execution order."
  value       = concat(["Source", "Validate"], [for stage in local.deploy_stages : stage.name])
}

output "artifacts_bucket" {
  description = "Name of the artifacts bucket (source zips, saved plans, readable plans under plans/)."
  value       = module.artifacts_bucket.name
}

output "source_bucket" {
  description = "Name of the S3 source bucket (upload the repository as source.zip there); null with the GitHub source."
  value       = local.github ? null : module.source_bucket[0].name
}

output "source_object_key" {
  description = "Key of the source zip in the source bucket; null with the GitHub source."
  value       = local.github ? null : local.source_object_key
}

output "codeconnections_connection_arn" {
  description = "ARN of the GitHub connection (complete its hand-shake once in the console, README); null with the S3 source."
  value       = local.github ? aws_codeconnections_connection.github[0].arn : null
}

output "notifications_topic_arn" {
  description = "SNS topic of approval requests and failures."
  value       = aws_sns_topic.notifications.arn
}

output "build_projects" {
  description = "CodeBuild project names by kind (validate, plan, apply, smoke)."
  value       = { for kind, project in aws_codebuild_project.this : kind => project.name }
}

output "kms_key_arn" {
  description = "ARN of the key that encrypts artifacts, build logs and notifications."
  value       = aws_kms_key.this.arn
}

output "callback_url" {
  description = "Where the pipeline's state changes are sent (the portal's callback); empty without one."
  value       = var.callback_url
}
