# Permissions of the instance role (created by the web-role module and passed in as
# instance_role_name): exactly what the web server and the shop application need,
# each statement scoped to this environment's resources.

data "aws_partition" "current" {}

locals {
  partition = data.aws_partition.current.partition

  # s3://bucket/key -> the one object the servers may download as the application.
  app_artifact_parts = var.app_artifact == "" ? null : regex("^s3://([^/]+)/(.+)$", var.app_artifact)
  app_artifact_arn   = local.app_artifact_parts == null ? null : "arn:${local.partition}:s3:::${local.app_artifact_parts[0]}/${local.app_artifact_parts[1]}"
}

# Session Manager (shell and port forwarding without SSH keys or open ports).
resource "aws_iam_role_policy_attachment" "ssm_core" {
  role       = var.instance_role_name
  policy_arn = "arn:${local.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"
}

data "aws_iam_policy_document" "web" {
  statement {
    sid = "SessionTableItems"
    actions = [
      "dynamodb:BatchGetItem",
      "dynamodb:BatchWriteItem",
      "dynamodb:ConditionCheckItem",
      "dynamodb:DeleteItem",
      "dynamodb:DescribeTable",
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:Query",
      "dynamodb:UpdateItem",
    ]
    resources = [var.session_table_arn, "${var.session_table_arn}/index/*"]
  }

  statement {
    sid       = "AssetsBucketList"
    actions   = ["s3:ListBucket"]
    resources = [var.assets_bucket_arn]
  }

  statement {
    sid       = "AssetsBucketRead"
    actions   = ["s3:GetObject"]
    resources = ["${var.assets_bucket_arn}/*"]
  }

  dynamic "statement" {
    for_each = local.app_artifact_arn == null ? [] : [local.app_artifact_arn]
    content {
      sid       = "ApplicationArtifactRead"
      actions   = ["s3:GetObject"]
      resources = [statement.value]
    }
  }

  statement {
    sid       = "DatabaseSecretRead"
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = [var.db_secret_arn]
  }

  # The platform key may protect the DB secret and the assets bucket; decrypting is
  # allowed only when Secrets Manager or S3 asks on the instance's behalf.
  statement {
    sid       = "PlatformKeyDecryptViaServices"
    actions   = ["kms:Decrypt"]
    resources = [var.kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values = [
        "secretsmanager.${var.region}.amazonaws.com",
        "s3.${var.region}.amazonaws.com",
      ]
    }
  }

  # Product images: mount and write only through this module's access point (no root
  # access, no other access point).
  statement {
    sid       = "ProductImagesThroughAccessPoint"
    actions   = ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"]
    resources = [var.efs_file_system_arn]

    condition {
      test     = "StringEquals"
      variable = "elasticfilesystem:AccessPointArn"
      values   = [var.efs_access_point_arn]
    }
  }

  statement {
    sid = "OwnLogGroups"
    actions = [
      "logs:CreateLogStream",
      "logs:DescribeLogStreams",
      "logs:PutLogEvents",
    ]
    resources = flatten([
      for group in aws_cloudwatch_log_group.web : [group.arn, "${group.arn}:*"]
    ])
  }

  statement {
    sid     = "OwnParameters"
    actions = ["ssm:GetParameter"]
    resources = [
      aws_ssm_parameter.cloudwatch_agent.arn,
      aws_ssm_parameter.app_artifact.arn,
    ]
  }

  # PutMetricData has no resource-level permissions; the namespace condition keeps the
  # instances to the CloudWatch agent's namespace.
  statement {
    sid       = "AgentMetrics"
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "cloudwatch:namespace"
      values   = ["CWAgent"]
    }
  }

  # The agent resolves ${aws:AutoScalingGroupName} from the instance's tags.
  # DescribeTags has no resource-level permissions.
  statement {
    sid       = "AgentInstanceTags"
    actions   = ["ec2:DescribeTags"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "web" {
  name   = "${var.name}-web"
  role   = var.instance_role_name
  policy = data.aws_iam_policy_document.web.json
}

resource "aws_iam_instance_profile" "web" {
  name = "${var.name}-web"
  role = var.instance_role_name

  tags = { Name = "${var.name}-web" }
}
