# One topic carries every alert of the platform: CloudWatch alarms (ALARM and OK
# transitions) and AWS Budgets notifications. People subscribe once.

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  # amazonaws.com, or amazonaws.com.cn in the China partition.
  dns_suffix = data.aws_partition.current.dns_suffix
}

resource "aws_sns_topic" "alerts" {
  name = "${var.name}-alerts"
  # Alarm payloads name resources and thresholds: encrypt them with the platform key.
  # The key policy (encryption module) lets CloudWatch and Budgets use the key.
  kms_master_key_id = var.kms_key_arn

  tags = {
    Name = "${var.name}-alerts"
  }
}

data "aws_iam_policy_document" "alerts_topic" {
  # Only this account's alarms and budgets may publish. The source conditions stop a
  # CloudWatch alarm or budget in another account from using our topic (confused deputy).
  statement {
    sid       = "CloudWatchAlarmsPublish"
    effect    = "Allow"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alerts.arn]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.${local.dns_suffix}"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:cloudwatch:${var.region}:${local.account_id}:alarm:*"]
    }
  }

  statement {
    sid       = "BudgetsPublish"
    effect    = "Allow"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alerts.arn]

    principals {
      type        = "Service"
      identifiers = ["budgets.${local.dns_suffix}"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:budgets::${local.account_id}:*"]
    }
  }

  # Whoever else publishes (people, the portal) must do it over TLS.
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alerts.arn]

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

# Replaces the default topic policy (which lets any principal of the account manage
# the topic). Principals of this account still manage it through their IAM policies.
resource "aws_sns_topic_policy" "alerts" {
  arn    = aws_sns_topic.alerts.arn
  policy = data.aws_iam_policy_document.alerts_topic.json
}

# Each address gets a confirmation email from AWS; until it is confirmed the
# subscription stays "pending confirmation" and nothing is delivered to it.
resource "aws_sns_topic_subscription" "email" {
  for_each = toset(var.alarm_emails)

  topic_arn = aws_sns_topic.alerts.arn
  protocol  = "email"
  endpoint  = each.value
}
