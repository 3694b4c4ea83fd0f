# The deployer identity: an IAM group with the platform's customer-managed policies
# (policies.tf) and one user in it for interactive deployments. Terraform creates no
# access key: a key made here would sit in plain text in the state. The README gives
# the one CLI command that creates it, and how to rotate it. Automation does not use
# the user: the pipeline's CodeBuild role gets the same documents (policy_documents
# output), without the MFA policy.

resource "aws_iam_policy" "this" {
  for_each = local.policy_json

  name        = "${var.project}-deployer-${replace(each.key, "_", "-")}"
  description = "Deploy ${var.project} (${join(", ", var.environments)}): ${each.key} permissions, scoped to ${var.project}-<environment>-* resources."
  policy      = each.value

  tags = { Name = "${var.project}-deployer-${replace(each.key, "_", "-")}" }
}

resource "aws_iam_policy" "mfa" {
  name        = "${var.project}-deployer-require-mfa"
  description = "Denies everything but MFA self-service to ${var.project} deployers without an MFA session."
  policy      = jsonencode(local.mfa_document)

  tags = { Name = "${var.project}-deployer-require-mfa" }
}

resource "aws_iam_group" "this" {
  name = "${var.project}-deployers"
}

resource "aws_iam_group_policy_attachment" "this" {
  for_each = aws_iam_policy.this

  group      = aws_iam_group.this.name
  policy_arn = each.value.arn
}

resource "aws_iam_group_policy_attachment" "mfa" {
  group      = aws_iam_group.this.name
  policy_arn = aws_iam_policy.mfa.arn
}

resource "aws_iam_user" "this" {
  # checkov:skip=CKV_AWS_273: the issue asks for an IAM user for interactive deploys (accounts without IAM Identity Center); the group denies everything without MFA and Terraform creates no access key
  name = var.user_name
  # A user with an access key or MFA device (made outside Terraform) is not deleted
  # behind its owner's back: remove those first (README, "Removing the deployer").
  force_destroy = false

  tags = { Name = var.user_name }
}

resource "aws_iam_user_group_membership" "this" {
  user   = aws_iam_user.this.name
  groups = [aws_iam_group.this.name]
}
