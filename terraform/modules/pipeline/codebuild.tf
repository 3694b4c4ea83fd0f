# Four build projects, one per kind of stage; the pipeline tells plan, apply and smoke
# which environment through the action's TARGET_ENVIRONMENT variable. Each runs its
# own spec under buildspecs/ of the repository.

locals {
  builds = {
    validate = {
      description = "Static checks of the repository: fmt, validate, checkov, terraform test, unit tests"
      buildspec   = var.buildspecs.validate
      role_arn    = aws_iam_role.validate.arn
    }
    plan = {
      description = "terraform plan of one environment; the saved plan, its JSON, text and SHA-256 are the artifact"
      buildspec   = var.buildspecs.plan
      role_arn    = aws_iam_role.deploy.arn
    }
    apply = {
      description = "terraform apply of the approved saved plan (SHA-256 checked); never plans again"
      buildspec   = var.buildspecs.apply
      role_arn    = aws_iam_role.deploy.arn
    }
    smoke = {
      description = "Smoke test of one environment after its apply: the health endpoint through the load balancer"
      buildspec   = var.buildspecs.smoke
      role_arn    = aws_iam_role.deploy.arn
    }
  }

  # Variables every build sees. AWS_REGION is set by CodeBuild itself.
  build_variables = merge(
    {
      PROJECT            = var.project
      TERRAFORM_VERSION  = var.terraform_version
      STATE_BUCKET       = element(split(":", var.state_bucket_arn), 5)
      STATE_KMS_KEY_ARN  = var.state_kms_key_arn
      ENVIRONMENTS_DIR   = var.environments_dir
      ARTIFACTS_BUCKET   = module.artifacts_bucket.name
      PLAN_REVIEW_URL    = var.plan_review_url
      TF_IN_AUTOMATION   = "1"
      CHECKPOINT_DISABLE = "1"
    },
    # On the emulator, every AWS call of the build goes there (the SDKs and the AWS
    # CLI read AWS_ENDPOINT_URL; the local root reads TF_VAR_aws_endpoint).
    var.aws_endpoint == "" ? {} : {
      AWS_ENDPOINT_URL    = var.aws_endpoint
      TF_VAR_aws_endpoint = var.aws_endpoint
    },
  )
}

resource "aws_cloudwatch_log_group" "build" {
  # checkov:skip=CKV_AWS_338: build logs are kept one week by requirement (log_retention_days, default 7); the audit trail of deployments is the pipeline's execution history and CloudTrail
  for_each = local.builds

  name              = "/aws/codebuild/${local.name}-${each.key}"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.this.arn

  tags = { Name = "${local.name}-${each.key}" }
}

resource "aws_codebuild_project" "this" {
  for_each = local.builds

  name           = "${local.name}-${each.key}"
  description    = each.value.description
  service_role   = each.value.role_arn
  build_timeout  = var.build_timeout_minutes
  encryption_key = aws_kms_key.this.arn

  source {
    type      = "CODEPIPELINE"
    buildspec = each.value.buildspec
  }

  artifacts {
    type = "CODEPIPELINE"
  }

  environment {
    compute_type                = "BUILD_GENERAL1_SMALL"
    image                       = var.build_image
    type                        = "LINUX_CONTAINER"
    image_pull_credentials_type = "CODEBUILD"
    privileged_mode             = false

    dynamic "environment_variable" {
      for_each = local.build_variables
      content {
        name  = environment_variable.key
        value = environment_variable.value
        type  = "PLAINTEXT"
      }
    }
  }

  logs_config {
    cloudwatch_logs {
      group_name = aws_cloudwatch_log_group.build[each.key].name
      status     = "ENABLED"
    }

    s3_logs {
      status = "DISABLED"
    }
  }

  tags = { Name = "${local.name}-${each.key}" }
}
