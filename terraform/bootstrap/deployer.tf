# The deployer: an IAM group with least-privilege policies for the platform's
# environments and a user in it (no access key: see the module's README). It lives
# here because it needs the state bucket and key, and because an administrator, not
# the deployer itself, applies this root.

module "deployer" {
  source = "../modules/deployer"

  project           = var.project
  environments      = var.environments
  user_name         = local.deployer_user_name
  region            = var.region
  state_bucket_arn  = aws_s3_bucket.state.arn
  state_kms_key_arn = aws_kms_key.state.arn
}

locals {
  deployer_user_name = var.deployer_user_name != "" ? var.deployer_user_name : "${var.project}-deployer"
}
