# Enhanced Monitoring: RDS publishes OS metrics (CPU steal, memory, disk queue) that
# CloudWatch's hypervisor view cannot see, which matters on a burstable db.t3 class.
data "aws_partition" "current" {}

data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "monitoring_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["monitoring.rds.amazonaws.com"]
    }

    # Only RDS acting for this account may assume the role (confused deputy).
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "monitoring" {
  count = var.monitoring_interval > 0 ? 1 : 0

  name               = "${var.name}-rds-monitoring"
  description        = "Lets RDS publish Enhanced Monitoring metrics of ${local.identifier}"
  assume_role_policy = data.aws_iam_policy_document.monitoring_assume.json

  tags = {
    Name = "${var.name}-rds-monitoring"
  }
}

resource "aws_iam_role_policy_attachment" "monitoring" {
  count = var.monitoring_interval > 0 ? 1 : 0

  role       = aws_iam_role.monitoring[0].name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
}
