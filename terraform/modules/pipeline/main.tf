# The delivery pipeline of the platform: a CodePipeline V2 that takes the repository,
# runs the static checks, then for each environment in order plans, waits for a
# person's approval, applies exactly the approved plan and smoke-tests the result.
# This file holds what the stages share: the key, the artifacts and source buckets
# and the notifications topic. codebuild.tf has the builds, pipeline.tf the pipeline,
# events.tf the EventBridge rules, iam.tf the roles.

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  dns_suffix = data.aws_partition.current.dns_suffix
  name       = "${var.project}-pipeline"

  pipeline_name = "${var.project}-delivery"
  pipeline_arn  = "arn:${local.partition}:codepipeline:${var.region}:${local.account_id}:${local.pipeline_name}"

  github = var.source_repository.provider == "GitHub"
  # The S3 source: the key CodePipeline watches (EventBridge rule in events.tf).
  source_object_key = "source.zip"
}

# One key for everything the pipeline writes: artifacts (source zips, saved plans),
# build logs and the notifications topic.
resource "aws_kms_key" "this" {
  description             = "Encrypts the ${local.pipeline_name} pipeline's artifacts, build logs and notifications"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.key.json

  tags = { Name = local.name }
}

resource "aws_kms_alias" "this" {
  name          = "alias/${local.name}"
  target_key_id = aws_kms_key.this.key_id
}

data "aws_iam_policy_document" "key" {
  # checkov:skip=CKV_AWS_111: a key policy's "*" resource means this key only
  # checkov:skip=CKV_AWS_356: as above, a key policy cannot name its own key ARN
  # checkov:skip=CKV_AWS_109: key administration is delegated to IAM in this account (AWS's default key policy)
  statement {
    sid       = "AccountAdministration"
    effect    = "Allow"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  # CloudWatch Logs encrypts the build log groups, and only those (encryption context).
  statement {
    sid       = "BuildLogs"
    effect    = "Allow"
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["logs.${var.region}.${local.dns_suffix}"]
    }

    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:${local.partition}:logs:${var.region}:${local.account_id}:log-group:/aws/codebuild/${local.name}-*"]
    }
  }

  # EventBridge publishes failure and approval events to the encrypted topic.
  statement {
    sid       = "EventBridgeToTopic"
    effect    = "Allow"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["events.${local.dns_suffix}"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

module "artifacts_bucket" {
  source = "./bucket"

  name                       = "${local.name}-artifacts-${local.account_id}"
  kms_key_arn                = aws_kms_key.this.arn
  expiration_days            = var.artifact_expiration_days
  force_destroy              = var.force_destroy
  send_events_to_eventbridge = false
}

# The S3 source: `make pipeline` (or a team's own CI) uploads the repository as
# source.zip; a new version starts the pipeline.
module "source_bucket" {
  source = "./bucket"
  count  = local.github ? 0 : 1

  name                       = "${local.name}-source-${local.account_id}"
  kms_key_arn                = aws_kms_key.this.arn
  expiration_days            = var.artifact_expiration_days
  force_destroy              = var.force_destroy
  send_events_to_eventbridge = true
}

# GitHub through AWS CodeConnections. Terraform creates the connection in PENDING
# state; an administrator completes the hand-shake once in the console (README).
resource "aws_codeconnections_connection" "github" {
  count = local.github ? 1 : 0

  name          = "${var.project}-github"
  provider_type = "GitHub"

  tags = { Name = "${var.project}-github" }
}

# Approval requests and pipeline failures, for people. The portal gets every state
# change through the API destination instead (events.tf).
resource "aws_sns_topic" "notifications" {
  name              = local.name
  kms_master_key_id = aws_kms_key.this.arn

  tags = { Name = local.name }
}

resource "aws_sns_topic_policy" "notifications" {
  arn    = aws_sns_topic.notifications.arn
  policy = data.aws_iam_policy_document.notifications.json
}

data "aws_iam_policy_document" "notifications" {
  statement {
    sid       = "EventBridgePublish"
    effect    = "Allow"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.notifications.arn]

    principals {
      type        = "Service"
      identifiers = ["events.${local.dns_suffix}"]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:events:${var.region}:${local.account_id}:rule/${local.name}-*"]
    }
  }

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.notifications.arn]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_sns_topic_subscription" "email" {
  for_each = toset(var.notification_emails)

  topic_arn = aws_sns_topic.notifications.arn
  protocol  = "email"
  endpoint  = each.value
}
