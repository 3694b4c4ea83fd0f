# The local environment talks to the AWS emulator (moto server) on this machine.
# Only the endpoint differs from a real account: every module is the same code that
# dev and prod apply to AWS. The keys are fake on purpose; nothing here reaches AWS.
provider "aws" {
  region     = var.region
  access_key = "emulator"
  secret_key = "emulator"

  skip_credentials_validation = true
  skip_requesting_account_id  = false
  skip_metadata_api_check     = true
  skip_region_validation      = true
  s3_use_path_style           = true
  # Fail fast on an API the emulator lacks instead of retrying for minutes.
  max_retries = 2

  endpoints {
    acm            = var.aws_endpoint
    autoscaling    = var.aws_endpoint
    backup         = var.aws_endpoint
    budgets        = var.aws_endpoint
    cloudwatch     = var.aws_endpoint
    codebuild      = var.aws_endpoint
    codepipeline   = var.aws_endpoint
    dynamodb       = var.aws_endpoint
    ec2            = var.aws_endpoint
    efs            = var.aws_endpoint
    elbv2          = var.aws_endpoint
    events         = var.aws_endpoint
    iam            = var.aws_endpoint
    kms            = var.aws_endpoint
    logs           = var.aws_endpoint
    rds            = var.aws_endpoint
    s3             = var.aws_endpoint
    secretsmanager = var.aws_endpoint
    sns            = var.aws_endpoint
    sqs            = var.aws_endpoint
    ssm            = var.aws_endpoint
    sts            = var.aws_endpoint
  }

  default_tags {
    tags = local.tags
  }
}
