# Plan-only tests with the shared mocked AWS provider: the pipeline's shape (stage
# order, what each action gets), its buckets, logs and events, and the inputs it
# rejects.

mock_provider "aws" {
  source = "../../tests/mocks"
}

variables {
  project           = "shop"
  region            = "eu-west-1"
  state_bucket_arn  = "arn:aws:s3:::shop-terraform-state-123456789012"
  state_kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  deploy_policy_arns = {
    state = "arn:aws:iam::123456789012:policy/shop-deployer-state"
    ec2   = "arn:aws:iam::123456789012:policy/shop-deployer-ec2"
  }
}

run "stages_in_order_for_each_environment" {
  command = plan

  assert {
    condition     = aws_codepipeline.this.pipeline_type == "V2" && aws_codepipeline.this.name == "shop-delivery"
    error_message = "The pipeline must be a V2 pipeline named <project>-delivery."
  }
  assert {
    condition = [for stage in aws_codepipeline.this.stage : stage.name] == [
      "Source", "Validate",
      "Plan-dev", "Approve-dev", "Apply-dev", "Smoke-dev",
      "Plan-prod", "Approve-prod", "Apply-prod", "Smoke-prod",
    ]
    error_message = "Stages must be Source, Validate, then Plan, Approve, Apply, Smoke per environment in the given order."
  }
  assert {
    condition     = output.stages == [for stage in aws_codepipeline.this.stage : stage.name]
    error_message = "The stages output must list the pipeline's stages in order."
  }
}

run "apply_takes_the_saved_plan_of_its_environment" {
  command = plan

  assert {
    condition = alltrue([
      for stage in aws_codepipeline.this.stage : (
        stage.action[0].input_artifacts == tolist(["source", "plan_${trimprefix(stage.name, "Apply-")}"]) &&
        stage.action[0].configuration.PrimarySource == "source"
      ) if startswith(stage.name, "Apply-")
    ])
    error_message = "Each Apply stage must take the source and the plan_<environment> artifact of its own Plan stage."
  }
  assert {
    condition = alltrue([
      for stage in aws_codepipeline.this.stage : (
        stage.action[0].output_artifacts == tolist(["plan_${trimprefix(stage.name, "Plan-")}"]) &&
        jsondecode(stage.action[0].configuration.EnvironmentVariables)[0].value == trimprefix(stage.name, "Plan-")
      ) if startswith(stage.name, "Plan-")
    ])
    error_message = "Each Plan stage must output plan_<environment> and tell the build TARGET_ENVIRONMENT."
  }
  assert {
    condition = alltrue([
      for stage in aws_codepipeline.this.stage : (
        stage.action[0].provider == "Manual" &&
        strcontains(stage.action[0].configuration.ExternalEntityLink, "PLAN_REVIEW_LINK")
      ) if startswith(stage.name, "Approve-")
    ])
    error_message = "Each Approve stage must be a manual approval linking to the readable plan."
  }
}

run "builds_run_the_repository_specs_with_pinned_terraform" {
  command = plan

  assert {
    condition = { for kind, project in aws_codebuild_project.this : kind => project.source[0].buildspec } == {
      validate = "buildspec.yml"
      plan     = "buildspecs/plan.yml"
      apply    = "buildspecs/apply.yml"
      smoke    = "buildspecs/smoke.yml"
    }
    error_message = "The projects must run buildspec.yml (validate) and buildspecs/<kind>.yml."
  }
  assert {
    condition = alltrue([
      for project in aws_codebuild_project.this : contains(
        [for variable in project.environment[0].environment_variable : "${variable.name}=${variable.value}"],
        "TERRAFORM_VERSION=1.11.4"
      )
    ])
    error_message = "Every build must get the pinned TERRAFORM_VERSION."
  }
  assert {
    condition     = alltrue([for group in aws_cloudwatch_log_group.build : group.retention_in_days == 7])
    error_message = "Build logs must be kept 7 days."
  }
  assert {
    # Role ARNs are unknown at plan; the names say which role holds what.
    condition     = alltrue([for attachment in aws_iam_role_policy_attachment.deploy : attachment.role == "shop-pipeline-deploy"]) && aws_iam_role.validate.name == "shop-pipeline-validate"
    error_message = "The deployer policies must go to the deploy role only; the validate role holds none."
  }
  assert {
    condition     = keys(aws_iam_role_policy_attachment.deploy) == ["ec2", "state"]
    error_message = "The deploy role must hold exactly the deployer policies it is given."
  }
}

run "artifact_store_is_kms_encrypted" {
  command = plan

  assert {
    condition     = length(aws_codepipeline.this.artifact_store) == 1 && alltrue([for store in aws_codepipeline.this.artifact_store : store.encryption_key[0].type == "KMS"])
    error_message = "The artifact store must be KMS-encrypted."
  }
  assert {
    condition     = aws_kms_key.this.enable_key_rotation && aws_cloudwatch_log_group.build["plan"].name == "/aws/codebuild/shop-pipeline-plan"
    error_message = "The pipeline key must rotate; build log groups are /aws/codebuild/<project>-pipeline-<kind>."
  }
}

run "no_callback_without_url" {
  command = plan

  assert {
    condition     = length(aws_cloudwatch_event_api_destination.portal) == 0 && length(aws_cloudwatch_event_rule.callback) == 0
    error_message = "Without callback_url there must be no API destination."
  }
}

run "callback_goes_to_the_portal_with_the_key_header" {
  command = plan

  variables {
    callback_url     = "https://portal.example.com/api/pipeline/events"
    callback_api_key = "0123456789abcdef0123456789abcdef"
  }

  assert {
    condition     = aws_cloudwatch_event_api_destination.portal[0].invocation_endpoint == "https://portal.example.com/api/pipeline/events" && aws_cloudwatch_event_api_destination.portal[0].http_method == "POST"
    error_message = "The API destination must POST to the callback URL."
  }
  assert {
    condition     = aws_cloudwatch_event_connection.portal[0].auth_parameters[0].api_key[0].key == "X-Pipeline-Callback-Key"
    error_message = "The connection must send the API key in X-Pipeline-Callback-Key."
  }
  assert {
    condition     = length(jsondecode(aws_cloudwatch_event_rule.callback[0].event_pattern)["detail-type"]) == 3
    error_message = "The callback rule must match pipeline, stage and action state changes."
  }
}

run "github_source_through_codeconnections" {
  command = plan

  variables {
    source_repository = { provider = "GitHub", repository = "acme/shop-platform", branch = "main" }
  }

  assert {
    condition     = aws_codepipeline.this.stage[0].action[0].provider == "CodeStarSourceConnection" && aws_codepipeline.this.stage[0].action[0].configuration.FullRepositoryId == "acme/shop-platform"
    error_message = "The GitHub source must be a CodeStarSourceConnection action on the repository."
  }
  assert {
    condition     = length(module.source_bucket) == 0 && length(aws_cloudwatch_event_rule.source) == 0 && length(aws_codeconnections_connection.github) == 1
    error_message = "With GitHub there is a connection and no source bucket or S3 trigger."
  }
}

run "rejects_a_buildspec_outside_the_repository" {
  command = plan
  variables {
    buildspecs = { smoke = "../elsewhere/smoke.yml" }
  }
  expect_failures = [var.buildspecs]
}

run "rejects_duplicate_environments" {
  command = plan
  variables {
    environments = ["dev", "dev"]
  }
  expect_failures = [var.environments]
}

run "rejects_bad_environment_names" {
  command = plan
  variables {
    environments = ["Dev"]
  }
  expect_failures = [var.environments]
}

run "rejects_github_without_repository" {
  command = plan
  variables {
    source_repository = { provider = "GitHub" }
  }
  expect_failures = [var.source_repository]
}

run "rejects_unknown_source_provider" {
  command = plan
  variables {
    source_repository = { provider = "GitLab" }
  }
  expect_failures = [var.source_repository]
}

run "rejects_plain_http_callback" {
  command = plan
  variables {
    callback_url = "http://portal.example.com/api/pipeline/events"
  }
  expect_failures = [var.callback_url]
}

run "rejects_a_short_callback_key" {
  command = plan
  variables {
    callback_api_key = "short"
  }
  expect_failures = [var.callback_api_key]
}

run "rejects_terraform_older_than_required" {
  command = plan
  variables {
    terraform_version = "1.9.8"
  }
  expect_failures = [var.terraform_version]
}

run "rejects_a_log_retention_cloudwatch_does_not_offer" {
  command = plan
  variables {
    log_retention_days = 10
  }
  expect_failures = [var.log_retention_days]
}
