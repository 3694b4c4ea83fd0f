# The delivery pipeline: CodePipeline V2 with the static checks, then plan, approval,
# apply of the approved plan and a smoke test per environment. Its deploy builds hold
# the deployer's policies (deployer.tf), so people and automation share one set.

module "pipeline" {
  source = "../modules/pipeline"

  project             = var.project
  region              = var.region
  environments        = var.environments
  environments_dir    = var.pipeline_environments_dir
  buildspecs          = var.pipeline_buildspecs
  source_repository   = var.pipeline_source
  state_bucket_arn    = aws_s3_bucket.state.arn
  state_kms_key_arn   = aws_kms_key.state.arn
  deploy_policy_arns  = module.deployer.policy_arns
  notification_emails = var.notification_emails
  plan_review_url     = var.portal_url
  # Whether a key is set is not secret; the key itself stays sensitive.
  callback_url     = var.portal_url != "" && nonsensitive(var.portal_callback_api_key != "") ? "${trimsuffix(var.portal_url, "/")}/api/pipeline/events" : ""
  callback_api_key = var.portal_callback_api_key
  aws_endpoint     = var.aws_endpoint
  # Only on the emulator may destroy empty the pipeline's buckets.
  force_destroy = local.emulated
}
