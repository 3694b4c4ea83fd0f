# Source -> Validate -> for each environment in order: Plan -> Approve -> Apply -> Smoke.
# The Apply stage gets the Plan stage's artifact (the saved plan) and applies exactly
# that; a change pushed after the plan never reaches it, because every stage of one
# execution works on the source revision that started it.

locals {
  deploy_stages = flatten([
    for environment in var.environments : [
      {
        name             = "Plan-${environment}"
        action           = "Plan"
        category         = "Build"
        provider         = "CodeBuild"
        input_artifacts  = ["source"]
        output_artifacts = ["plan_${environment}"]
        namespace        = "plan_${environment}"
        configuration = {
          ProjectName          = aws_codebuild_project.this["plan"].name
          EnvironmentVariables = local.target_variables[environment]
        }
      },
      {
        name             = "Approve-${environment}"
        action           = "Approve"
        category         = "Approval"
        provider         = "Manual"
        input_artifacts  = []
        output_artifacts = []
        namespace        = null
        configuration = {
          NotificationArn    = aws_sns_topic.notifications.arn
          CustomData         = "Review the saved plan of ${environment}: #{plan_${environment}.PLAN_SUMMARY}. Approving applies exactly that plan."
          ExternalEntityLink = "#{plan_${environment}.PLAN_REVIEW_LINK}"
        }
      },
      {
        name             = "Apply-${environment}"
        action           = "Apply"
        category         = "Build"
        provider         = "CodeBuild"
        input_artifacts  = ["source", "plan_${environment}"]
        output_artifacts = []
        namespace        = null
        configuration = {
          ProjectName          = aws_codebuild_project.this["apply"].name
          PrimarySource        = "source"
          EnvironmentVariables = local.target_variables[environment]
        }
      },
      {
        name             = "Smoke-${environment}"
        action           = "Smoke"
        category         = "Test"
        provider         = "CodeBuild"
        input_artifacts  = ["source"]
        output_artifacts = []
        namespace        = null
        configuration = {
          ProjectName          = aws_codebuild_project.this["smoke"].name
          EnvironmentVariables = local.target_variables[environment]
        }
      },
    ]
  ])

  # The build projects are shared; the action names the environment.
  target_variables = {
    for environment in var.environments : environment => jsonencode([
      { name = "TARGET_ENVIRONMENT", value = environment, type = "PLAINTEXT" },
    ])
  }
}

resource "aws_codepipeline" "this" {
  name          = local.pipeline_name
  role_arn      = aws_iam_role.pipeline.arn
  pipeline_type = "V2"
  # One execution at a time, in order: a newer commit waits behind an execution that
  # is waiting for approval instead of superseding it mid-way.
  execution_mode = "QUEUED"

  artifact_store {
    type     = "S3"
    location = module.artifacts_bucket.name

    encryption_key {
      id   = aws_kms_key.this.arn
      type = "KMS"
    }
  }

  stage {
    name = "Source"

    dynamic "action" {
      for_each = local.github ? [] : [1]
      content {
        name             = "Source"
        category         = "Source"
        owner            = "AWS"
        provider         = "S3"
        version          = "1"
        output_artifacts = ["source"]
        namespace        = "source"

        configuration = {
          S3Bucket             = module.source_bucket[0].name
          S3ObjectKey          = local.source_object_key
          PollForSourceChanges = "false" # EventBridge starts the pipeline (events.tf)
        }
      }
    }

    dynamic "action" {
      for_each = local.github ? [1] : []
      content {
        name             = "Source"
        category         = "Source"
        owner            = "AWS"
        provider         = "CodeStarSourceConnection"
        version          = "1"
        output_artifacts = ["source"]
        namespace        = "source"

        configuration = {
          ConnectionArn        = aws_codeconnections_connection.github[0].arn
          FullRepositoryId     = var.source_repository.repository
          BranchName           = var.source_repository.branch
          OutputArtifactFormat = "CODE_ZIP"
          DetectChanges        = "false" # the trigger below starts the pipeline on a push
        }
      }
    }
  }

  stage {
    name = "Validate"

    action {
      name            = "Validate"
      category        = "Test"
      owner           = "AWS"
      provider        = "CodeBuild"
      version         = "1"
      input_artifacts = ["source"]

      configuration = {
        ProjectName = aws_codebuild_project.this["validate"].name
      }
    }
  }

  # Plan -> Approve -> Apply -> Smoke for one environment, then the next one.
  dynamic "stage" {
    for_each = local.deploy_stages
    content {
      name = stage.value.name

      action {
        name             = stage.value.action
        category         = stage.value.category
        owner            = "AWS"
        provider         = stage.value.provider
        version          = "1"
        input_artifacts  = stage.value.input_artifacts
        output_artifacts = stage.value.output_artifacts
        namespace        = stage.value.namespace
        configuration    = stage.value.configuration
      }
    }
  }

  dynamic "trigger" {
    for_each = local.github ? [1] : []
    content {
      provider_type = "CodeStarSourceConnection"

      git_configuration {
        source_action_name = "Source"

        push {
          branches {
            includes = [var.source_repository.branch]
          }
        }
      }
    }
  }

  tags = { Name = local.pipeline_name }
}
