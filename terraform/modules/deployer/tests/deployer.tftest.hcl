# Plan-only tests with the shared mocked AWS provider: no account, no network. The
# policy documents are plain objects (policies.tf), so every statement is known at
# plan time and read back here with jsondecode.

mock_provider "aws" {
  source = "../../tests/mocks"
}

variables {
  project           = "shop"
  environments      = ["dev", "prod"]
  user_name         = "shop-deployer"
  region            = "eu-west-1"
  state_bucket_arn  = "arn:aws:s3:::shop-terraform-state-123456789012"
  state_kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}

run "group_user_and_policies" {
  command = plan

  assert {
    condition     = aws_iam_group.this.name == "shop-deployers" && aws_iam_user.this.name == "shop-deployer"
    error_message = "The group must be <project>-deployers and the user named by user_name."
  }
  assert {
    condition     = aws_iam_user_group_membership.this.groups == toset(["shop-deployers"])
    error_message = "The user must be a member of the deployers group."
  }
  assert {
    condition     = keys(aws_iam_policy.this) == ["compute", "data", "ec2", "iam_kms", "observability", "state"]
    error_message = "One managed policy per area is expected."
  }
  assert {
    condition     = aws_iam_policy.this["iam_kms"].name == "shop-deployer-iam-kms" && aws_iam_policy.mfa.name == "shop-deployer-require-mfa"
    error_message = "Policies are named <project>-deployer-<area>."
  }
  assert {
    # Group attachment limit: 10 managed policies per group by default.
    condition     = length(aws_iam_group_policy_attachment.this) == length(aws_iam_policy.this) && length(aws_iam_policy.this) + 1 <= 10
    error_message = "Every deployment policy and the MFA policy must be attached to the group, within IAM's 10 managed policies per group."
  }
  assert {
    condition     = output.policy_documents == { for area, policy in aws_iam_policy.this : area => policy.policy }
    error_message = "policy_documents must be exactly the documents the group's policies carry (one source of truth)."
  }
  assert {
    condition     = !contains(values(output.policy_documents), aws_iam_policy.mfa.policy)
    error_message = "The MFA policy must not be among the documents the CodeBuild role receives."
  }
}

run "no_wildcard_action_on_wildcard_resource" {
  command = plan

  assert {
    condition = alltrue(flatten([
      for doc in concat(values(output.policy_documents), [aws_iam_policy.mfa.policy]) : [
        for s in jsondecode(doc).Statement : [
          for a in try(s.Action, []) : !(a == "*" || can(regex("^[a-z0-9-]+:\\*$", a)))
        ] if s.Effect == "Allow"
      ]
    ]))
    error_message = "No Allow statement may grant \"*\" or \"<service>:*\"."
  }
  assert {
    # "*" resources only for read-only or list calls, plus kms:CreateKey (no resource)
    # which is tag-conditioned.
    condition = alltrue(flatten([
      for doc in values(output.policy_documents) : [
        for s in jsondecode(doc).Statement : [
          for a in s.Action : can(regex(":(Describe|List|Get)[A-Za-z]*\\*?$", a)) || (a == "kms:CreateKey" && can(s.Condition.StringEquals["aws:RequestTag/Project"]))
        ] if s.Effect == "Allow" && contains(s.Resource, "*")
      ]
    ]))
    error_message = "Only Describe*/List*/Get* calls (and the tag-conditioned kms:CreateKey) may have Resource \"*\"."
  }
  assert {
    condition = alltrue(flatten([
      for doc in values(output.policy_documents) : [
        for s in jsondecode(doc).Statement : [
          for r in s.Resource : r == "*" || can(regex("^arn:aws:[a-z0-9-]+:(eu-west-1)?:(123456789012)?:", r))
        ]
      ]
    ]))
    error_message = "Every resource must be \"*\" or an ARN of this partition, region and account."
  }
}

run "documents_fit_the_managed_policy_size_limit" {
  command = plan

  assert {
    # AWS counts a managed policy without whitespace; jsonencode(jsondecode()) minifies.
    condition     = alltrue([for doc in concat(values(output.policy_documents), [aws_iam_policy.mfa.policy]) : length(jsonencode(jsondecode(doc))) < 6144])
    error_message = "Each policy must stay below IAM's 6,144-character managed policy limit."
  }
}

run "largest_inputs_still_fit_the_size_limit" {
  command = plan

  variables {
    project           = "shop-platform-xy"
    environments      = ["production", "staging001", "develop001", "sandbox001"]
    region            = "ap-southeast-2"
    state_bucket_arn  = "arn:aws:s3:::shop-platform-xy-terraform-state-123456789012"
    state_kms_key_arn = "arn:aws:kms:ap-southeast-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }

  assert {
    condition     = alltrue([for doc in concat(values(output.policy_documents), [aws_iam_policy.mfa.policy]) : length(jsonencode(jsondecode(doc))) < 6144])
    error_message = "With a 16-character project and 4 ten-character environments each policy must still stay below 6,144 characters."
  }
}

run "names_and_tags_scope_every_grant" {
  command = plan

  assert {
    condition = alltrue([
      for s in jsondecode(output.policy_documents["compute"]).Statement :
      alltrue([for r in s.Resource : r == "*" || can(regex(":(autoScalingGroupName|loadbalancer/app|listener/app|targetgroup)/shop-(dev|prod)-", r)) || can(regex(":regional/webacl/", r))])
    ])
    error_message = "Auto Scaling and load balancer grants must name shop-dev-* / shop-prod-* resources."
  }
  assert {
    condition = alltrue([
      for s in jsondecode(output.policy_documents["ec2"]).Statement :
      s.Condition.StringEquals["aws:RequestTag/Project"] == "shop" && s.Condition.StringEquals["aws:RequestTag/Environment"] == ["dev", "prod"]
      if contains(["Ec2CreateTagged", "Ec2AdoptDefaultSecurityGroupAndNacl"], s.Sid)
    ])
    error_message = "EC2 creates must require the Project and Environment request tags."
  }
  assert {
    condition = one([
      for s in jsondecode(output.policy_documents["ec2"]).Statement : s.Condition.StringEquals["ec2:CreateAction"]
      if s.Sid == "Ec2TagOnCreate"
    ]) == ["AllocateAddress", "AuthorizeSecurityGroupEgress", "AuthorizeSecurityGroupIngress", "CreateFlowLogs", "CreateInternetGateway", "CreateLaunchTemplate", "CreateNatGateway", "CreateNetworkAcl", "CreateRouteTable", "CreateSecurityGroup", "CreateSubnet", "CreateVpc", "CreateVpcEndpoint", "ImportKeyPair", "RunInstances"]
    error_message = "Untagged-resource CreateTags must be limited to tagging on create (ec2:CreateAction)."
  }
  assert {
    condition = alltrue([
      for s in jsondecode(output.policy_documents["ec2"]).Statement :
      s.Condition.StringEquals["aws:ResourceTag/Project"] == "shop"
      if s.Sid == "Ec2ManageTagged"
    ])
    error_message = "Changes to EC2 resources must require the platform's Project tag."
  }
  assert {
    condition = alltrue([
      for s in jsondecode(output.policy_documents["iam_kms"]).Statement :
      s.Condition.StringEquals["aws:ResourceTag/Project"] == "shop" if startswith(s.Sid, "KmsPlatformKey") || s.Sid == "KmsGrantsForAwsServices"
    ])
    error_message = "Use of KMS keys must be limited to keys tagged Project = shop."
  }
  assert {
    condition = toset(one([
      for s in jsondecode(output.policy_documents["state"]).Statement : s.Resource if s.Sid == "StateObjectsReadWrite"
      ])) == toset([
      "arn:aws:s3:::shop-terraform-state-123456789012/dev/*",
      "arn:aws:s3:::shop-terraform-state-123456789012/prod/*",
    ])
    error_message = "State access must be limited to the environments' key prefixes."
  }
  assert {
    condition = one([
      for s in jsondecode(output.policy_documents["state"]).Statement : s.Resource if s.Sid == "StateLockRelease"
    ]) == ["arn:aws:s3:::shop-terraform-state-123456789012/dev/*.tflock", "arn:aws:s3:::shop-terraform-state-123456789012/prod/*.tflock"]
    error_message = "The deployer may delete only lock files (*.tflock), never state."
  }
}

run "pass_role_only_to_the_platform_services" {
  command = plan

  assert {
    condition = alltrue(flatten([
      for doc in values(output.policy_documents) : [
        for s in jsondecode(doc).Statement :
        can(s.Condition.StringEquals["iam:PassedToService"]) && alltrue([for r in s.Resource : can(regex("^arn:aws:iam::123456789012:role/shop-(dev|prod)-\\*$", r))])
        if contains(s.Action, "iam:PassRole")
      ]
    ]))
    error_message = "iam:PassRole must be limited to the platform's roles and carry an iam:PassedToService condition."
  }
  assert {
    condition = one(concat([
      for doc in values(output.policy_documents) : [
        for s in jsondecode(doc).Statement : s.Condition.StringEquals["iam:PassedToService"] if contains(s.Action, "iam:PassRole")
      ]
    ]...)) == ["ec2.amazonaws.com", "monitoring.rds.amazonaws.com", "vpc-flow-logs.amazonaws.com"]
    error_message = "Roles may be passed to EC2, RDS Enhanced Monitoring and VPC Flow Logs only."
  }
}

run "mfa_required_for_everything_but_mfa_setup" {
  command = plan

  assert {
    condition = one([
      for s in jsondecode(aws_iam_policy.mfa.policy).Statement : s
      if s.Effect == "Deny"
      ]) == {
      Sid       = "DenyAllExceptMfaSetupWithoutMfa"
      Effect    = "Deny"
      NotAction = ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser", "iam:ListMFADevices", "iam:ListVirtualMFADevices", "iam:ResyncMFADevice", "sts:GetSessionToken"]
      Resource  = ["*"]
      Condition = { BoolIfExists = { "aws:MultiFactorAuthPresent" = "false" } }
    }
    error_message = "Without MFA everything but MFA self-service and sts:GetSessionToken must be denied (BoolIfExists aws:MultiFactorAuthPresent false)."
  }
  assert {
    condition = alltrue([
      for s in jsondecode(aws_iam_policy.mfa.policy).Statement :
      alltrue([for r in s.Resource : r == "*" || endswith(r, "/$${aws:username}")]) if s.Effect == "Allow"
    ])
    error_message = "MFA self-service must be limited to the caller's own user and device."
  }
}

run "rejects_empty_environments" {
  command = plan
  variables {
    environments = []
  }
  expect_failures = [var.environments]
}

run "rejects_a_bad_environment_name" {
  command = plan
  variables {
    environments = ["dev", "Prod"]
  }
  expect_failures = [var.environments]
}

run "rejects_a_bad_project_name" {
  command = plan
  variables {
    project = "Shop_Platform"
  }
  expect_failures = [var.project]
}

run "rejects_a_bad_user_name" {
  command = plan
  variables {
    user_name = "shop deployer!"
  }
  expect_failures = [var.user_name]
}

run "rejects_a_state_bucket_that_is_not_an_arn" {
  command = plan
  variables {
    state_bucket_arn = "shop-terraform-state-123456789012"
  }
  expect_failures = [var.state_bucket_arn]
}

run "rejects_a_kms_alias_for_the_state_key" {
  command = plan
  variables {
    state_kms_key_arn = "alias/shop-terraform-state"
  }
  expect_failures = [var.state_kms_key_arn]
}
