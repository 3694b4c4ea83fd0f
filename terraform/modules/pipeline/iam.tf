# Roles of the pipeline, each with only what its part does:
#   pipeline  - CodePipeline itself: move artifacts, start the builds, notify approvers
#   validate  - the static checks: no AWS access beyond its logs and artifacts
#   deploy    - plan, apply and smoke: the deployer's policies (the same documents the
#               deployer group holds) plus its logs and artifacts
#   events    - EventBridge: start the pipeline on a new source, call the portal

data "aws_iam_policy_document" "assume" {
  for_each = {
    pipeline = "codepipeline"
    validate = "codebuild"
    deploy   = "codebuild"
    events   = "events"
  }

  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["${each.value}.${local.dns_suffix}"]
    }

    # Confused deputy: only this account's pipeline, builds and rules.
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "pipeline" {
  name               = local.name
  description        = "CodePipeline ${local.pipeline_name}: artifacts, builds, approval notifications"
  assume_role_policy = data.aws_iam_policy_document.assume["pipeline"].json

  tags = { Name = local.name }
}

resource "aws_iam_role_policy" "pipeline" {
  name   = "pipeline"
  role   = aws_iam_role.pipeline.id
  policy = data.aws_iam_policy_document.pipeline.json
}

data "aws_iam_policy_document" "pipeline" {
  statement {
    sid       = "Artifacts"
    actions   = ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:GetBucketVersioning", "s3:GetBucketLocation"]
    resources = concat([module.artifacts_bucket.arn, "${module.artifacts_bucket.arn}/*"], local.github ? [] : [module.source_bucket[0].arn, "${module.source_bucket[0].arn}/*"])
  }

  statement {
    sid       = "Key"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
    resources = [aws_kms_key.this.arn]
  }

  statement {
    sid       = "Builds"
    actions   = ["codebuild:StartBuild", "codebuild:BatchGetBuilds", "codebuild:StopBuild"]
    resources = [for project in aws_codebuild_project.this : project.arn]
  }

  statement {
    sid       = "ApprovalNotifications"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.notifications.arn]
  }

  dynamic "statement" {
    for_each = local.github ? [1] : []
    content {
      sid       = "GitHubConnection"
      actions   = ["codeconnections:UseConnection", "codestar-connections:UseConnection"]
      resources = [aws_codeconnections_connection.github[0].arn]
    }
  }
}

resource "aws_iam_role" "validate" {
  name               = "${local.name}-validate"
  description        = "CodeBuild ${local.name}-validate: static checks, no access to the environments"
  assume_role_policy = data.aws_iam_policy_document.assume["validate"].json

  tags = { Name = "${local.name}-validate" }
}

resource "aws_iam_role" "deploy" {
  name               = "${local.name}-deploy"
  description        = "CodeBuild ${local.name}-plan, -apply, -smoke: the deployer's permissions"
  assume_role_policy = data.aws_iam_policy_document.assume["deploy"].json

  tags = { Name = "${local.name}-deploy" }
}

# The same managed policies the deployer group holds: one source of truth.
resource "aws_iam_role_policy_attachment" "deploy" {
  for_each = var.deploy_policy_arns

  role       = aws_iam_role.deploy.name
  policy_arn = each.value
}

# What every build needs for itself: its log group, its artifacts, the key, and (for
# the plan stage) putting the readable plan where the approval link points.
resource "aws_iam_role_policy" "build" {
  for_each = {
    validate = aws_iam_role.validate.id
    deploy   = aws_iam_role.deploy.id
  }

  name   = "build"
  role   = each.value
  policy = data.aws_iam_policy_document.build[each.key].json
}

data "aws_iam_policy_document" "build" {
  for_each = toset(["validate", "deploy"])

  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = [for kind, group in aws_cloudwatch_log_group.build : "${group.arn}:*" if(each.key == "validate") == (kind == "validate")]
  }

  statement {
    sid       = "Artifacts"
    actions   = ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"]
    resources = ["${module.artifacts_bucket.arn}/*"]
  }

  statement {
    sid       = "ArtifactsBucket"
    actions   = ["s3:GetBucketLocation", "s3:GetBucketAcl"]
    resources = [module.artifacts_bucket.arn]
  }

  statement {
    sid       = "Key"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
    resources = [aws_kms_key.this.arn]
  }

  statement {
    sid       = "Reports"
    actions   = ["codebuild:CreateReportGroup", "codebuild:CreateReport", "codebuild:UpdateReport", "codebuild:BatchPutTestCases"]
    resources = ["arn:${local.partition}:codebuild:${var.region}:${local.account_id}:report-group/${local.name}-*"]
  }
}

resource "aws_iam_role" "events" {
  name               = "${local.name}-events"
  description        = "EventBridge rules of ${local.pipeline_name}: start it on a new source, call the portal"
  assume_role_policy = data.aws_iam_policy_document.assume["events"].json

  tags = { Name = "${local.name}-events" }
}

resource "aws_iam_role_policy" "events" {
  name   = "events"
  role   = aws_iam_role.events.id
  policy = data.aws_iam_policy_document.events.json
}

data "aws_iam_policy_document" "events" {
  statement {
    sid       = "StartPipeline"
    actions   = ["codepipeline:StartPipelineExecution"]
    resources = [aws_codepipeline.this.arn]
  }

  dynamic "statement" {
    for_each = var.callback_url == "" ? [] : [1]
    content {
      sid       = "CallPortal"
      actions   = ["events:InvokeApiDestination"]
      resources = ["${aws_cloudwatch_event_api_destination.portal[0].arn}"]
    }
  }
}
