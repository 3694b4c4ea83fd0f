# One customer-managed KMS key for the whole platform: CloudWatch Logs, SNS, RDS, EFS,
# DynamoDB and Secrets Manager all encrypt with it. One key keeps the cost at one key
# ($1/month) and one audit trail; the key policy below names the only service
# principals that may use it directly, everything else goes through IAM.

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  # The dns suffix (amazonaws.com, amazonaws.com.cn) of service principals.
  dns_suffix = data.aws_partition.current.dns_suffix
}

locals {
  account_root = "arn:${local.partition}:iam::${local.account_id}:root"

  # The key policy is built as a plain object (not aws_iam_policy_document) so the
  # module's tests can read every statement back at plan time.
  key_policy = {
    Version = "2012-10-17"
    Statement = [
      # Without this statement no IAM policy could grant use of the key and the key
      # could become unmanageable. It delegates to IAM: only principals whose IAM
      # policies allow kms:* actions on this key can use or administer it. In a key
      # policy "Resource": "*" means this key.
      {
        Sid       = "EnableIamPoliciesOfThisAccount"
        Effect    = "Allow"
        Principal = { AWS = local.account_root }
        Action    = "kms:*"
        Resource  = "*"
      },
      # CloudWatch Logs encrypts log groups itself (no IAM principal of ours calls
      # KMS), so the regional service principal needs the key, but only for log
      # groups of this account and region: the encryption context names the group.
      {
        Sid       = "AllowCloudWatchLogsOfThisAccount"
        Effect    = "Allow"
        Principal = { Service = "logs.${var.region}.${local.dns_suffix}" }
        Action = [
          "kms:Encrypt*",
          "kms:Decrypt*",
          "kms:ReEncrypt*",
          "kms:GenerateDataKey*",
          "kms:Describe*",
        ]
        Resource = "*"
        Condition = {
          ArnLike = {
            "kms:EncryptionContext:aws:logs:arn" = "arn:${local.partition}:logs:${var.region}:${local.account_id}:log-group:*"
          }
        }
      },
      # CloudWatch alarms publish to the platform's SNS topic, which is encrypted
      # with this key: SNS asks KMS for a data key on the publisher's behalf. The
      # conditions keep other accounts' alarms from using the key through the
      # service (confused deputy).
      {
        Sid       = "AllowCloudWatchAlarmsToPublishToEncryptedTopics"
        Effect    = "Allow"
        Principal = { Service = "cloudwatch.${local.dns_suffix}" }
        Action    = ["kms:GenerateDataKey*", "kms:Decrypt"]
        Resource  = "*"
        Condition = {
          StringEquals = { "aws:SourceAccount" = local.account_id }
          ArnLike      = { "aws:SourceArn" = "arn:${local.partition}:cloudwatch:${var.region}:${local.account_id}:alarm:*" }
        }
      },
      # AWS Budgets publishes its alerts to the same encrypted topic. Budgets are
      # global, so their ARNs carry no region.
      {
        Sid       = "AllowBudgetsToPublishToEncryptedTopics"
        Effect    = "Allow"
        Principal = { Service = "budgets.${local.dns_suffix}" }
        Action    = ["kms:GenerateDataKey*", "kms:Decrypt"]
        Resource  = "*"
        Condition = {
          StringEquals = { "aws:SourceAccount" = local.account_id }
          ArnLike      = { "aws:SourceArn" = "arn:${local.partition}:budgets::${local.account_id}:*" }
        }
      },
    ]
  }
}

resource "aws_kms_key" "this" {
  description             = "${var.name}: encrypts the platform's logs, SNS topic, database, file system, session table and secrets."
  key_usage               = "ENCRYPT_DECRYPT"
  deletion_window_in_days = var.deletion_window_in_days
  # Yearly automatic rotation: old key material stays available to decrypt, so
  # rotation needs no re-encryption and no downtime.
  enable_key_rotation = true
  policy              = jsonencode(local.key_policy)

  tags = {
    Name = var.name
  }
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.name}"
  target_key_id = aws_kms_key.this.key_id
}
