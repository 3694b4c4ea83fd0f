mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
}

# The bucket's and the key's ARNs are unknown until apply; known values let the
# deployer's policy documents be read back at plan time.
override_resource {
  target          = aws_s3_bucket.state
  override_during = plan
  values          = { arn = "arn:aws:s3:::shop-terraform-state-123456789012" }
}

override_resource {
  target          = aws_kms_key.state
  override_during = plan
  values          = { arn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" }
}

run "state_bucket_is_private_versioned_and_kms_encrypted" {
  command = plan

  assert {
    condition     = aws_s3_bucket.state.bucket == "shop-terraform-state-123456789012"
    error_message = "the bucket name must embed the account id to be globally unique"
  }
  assert {
    condition     = aws_s3_bucket_versioning.state.versioning_configuration[0].status == "Enabled"
    error_message = "state must be versioned"
  }
  assert {
    condition     = one(aws_s3_bucket_server_side_encryption_configuration.state.rule).apply_server_side_encryption_by_default[0].sse_algorithm == "aws:kms"
    error_message = "state must be encrypted with KMS"
  }
  assert {
    condition = alltrue([
      aws_s3_bucket_public_access_block.state.block_public_acls,
      aws_s3_bucket_public_access_block.state.block_public_policy,
      aws_s3_bucket_public_access_block.state.ignore_public_acls,
      aws_s3_bucket_public_access_block.state.restrict_public_buckets,
    ])
    error_message = "every public access block setting must be on"
  }
  assert {
    condition     = aws_kms_key.state.enable_key_rotation
    error_message = "the state key must rotate"
  }
}

run "deployer_group_and_user_without_access_key" {
  command = plan

  assert {
    condition     = module.deployer.group_name == "shop-deployers" && module.deployer.user_name == "shop-deployer"
    error_message = "The deployer group and user must default to <project>-deployers and <project>-deployer."
  }
  assert {
    condition     = keys(output.deployer.policy_documents) == ["compute", "data", "ec2", "iam_kms", "observability", "state"]
    error_message = "The bootstrap must output the deployer's policy documents for the pipeline's CodeBuild role."
  }
  assert {
    condition = toset(one([
      for s in jsondecode(output.deployer.policy_documents["state"]).Statement : s.Resource if s.Sid == "StateObjectsReadWrite"
    ])) == toset(["arn:aws:s3:::shop-terraform-state-123456789012/dev/*", "arn:aws:s3:::shop-terraform-state-123456789012/prod/*"])
    error_message = "The deployer's state access must be the bootstrap bucket's dev/ and prod/ keys."
  }
}

run "deployer_user_name_and_environments_are_inputs" {
  command = plan
  variables {
    deployer_user_name = "ci-shop"
    environments       = ["staging"]
  }

  assert {
    condition     = module.deployer.user_name == "ci-shop"
    error_message = "deployer_user_name must name the user."
  }
  assert {
    condition     = strcontains(output.deployer.policy_documents["compute"], "shop-staging-") && !strcontains(output.deployer.policy_documents["compute"], "shop-dev-")
    error_message = "environments must decide which environments the policies name."
  }
}

run "plans_against_the_emulator_endpoint" {
  command = plan
  variables {
    aws_endpoint = "http://127.0.0.1:5000"
  }

  assert {
    condition     = aws_s3_bucket.state.bucket == "shop-terraform-state-123456789012"
    error_message = "Setting aws_endpoint must change nothing but where the provider sends its calls."
  }
}

run "rejects_a_malformed_endpoint" {
  command = plan
  variables {
    aws_endpoint = "127.0.0.1:5000"
  }
  expect_failures = [var.aws_endpoint]
}

run "rejects_a_malformed_deployer_user_name" {
  command = plan
  variables {
    deployer_user_name = "shop deployer"
  }
  expect_failures = [var.deployer_user_name]
}

run "rejects_a_too_short_recovery_window" {
  command = plan
  variables {
    state_version_retention_days = 1
  }
  expect_failures = [var.state_version_retention_days]
}

run "rejects_a_malformed_region" {
  command = plan
  variables {
    region = "Ireland"
  }
  expect_failures = [var.region]
}

run "pipeline_deploys_the_same_environments_as_the_deployer" {
  command = plan

  variables {
    environments = ["local"]
  }

  assert {
    condition     = output.pipeline.stages == ["Source", "Validate", "Plan-local", "Approve-local", "Apply-local", "Smoke-local"]
    error_message = "The pipeline must deploy exactly the environments the deployer may deploy."
  }
  assert {
    condition     = length(module.pipeline.build_projects) == 4
    error_message = "The pipeline must have its four build projects."
  }
}

run "portal_callback_only_with_url_and_key" {
  command = plan

  variables {
    portal_url              = "https://portal.example.com/"
    portal_callback_api_key = "0123456789abcdef0123456789abcdef"
  }

  assert {
    condition     = output.pipeline.callback_url == "https://portal.example.com/api/pipeline/events"
    error_message = "With portal_url and its key, state changes must go to <portal_url>/api/pipeline/events."
  }
}

run "no_portal_callback_without_a_key" {
  command = plan

  variables {
    portal_url = "https://portal.example.com"
  }

  assert {
    condition     = output.pipeline.callback_url == ""
    error_message = "Without portal_callback_api_key there must be no callback."
  }
}

run "rejects_a_plain_http_portal" {
  command = plan

  variables {
    portal_url              = "http://portal.example.com"
    portal_callback_api_key = "0123456789abcdef0123456789abcdef"
  }

  expect_failures = [var.portal_url]
}
