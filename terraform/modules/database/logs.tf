# The log groups RDS publishes to, created by Terraform first so the platform's
# retention and KMS encryption apply (and destroy removes them).
resource "aws_cloudwatch_log_group" "exports" {
  # checkov:skip=CKV_AWS_338: the platform requirement is 1-week retention (log_retention_days input, default 7); longer is a cost decision per environment
  for_each = toset(var.cloudwatch_logs_exports)

  name              = "/aws/rds/instance/${local.identifier}/${each.key}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn

  tags = {
    Name = "${local.identifier}-${each.key}"
  }
}
