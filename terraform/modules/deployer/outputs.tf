output "group_name" {
  description = "Name of the deployers' IAM group (<project>-deployers)."
  value       = aws_iam_group.this.name
}

output "group_arn" {
  description = "ARN of the deployers' IAM group."
  value       = aws_iam_group.this.arn
}

output "user_name" {
  description = "Name of the deployer IAM user; create its access key with `aws iam create-access-key --user-name <this>` (README)."
  value       = aws_iam_user.this.name
}

output "user_arn" {
  description = "ARN of the deployer IAM user."
  value       = aws_iam_user.this.arn
}

output "policy_arns" {
  description = "ARNs of the deployment policies by area (state, ec2, compute, data, observability, iam_kms); the MFA policy is mfa_policy_arn."
  value       = { for area, policy in aws_iam_policy.this : area => policy.arn }
}

output "mfa_policy_arn" {
  description = "ARN of the deny-unless-MFA policy (attached to the group only, never to a role)."
  value       = aws_iam_policy.mfa.arn
}

output "policy_documents" {
  description = "The deployment policy documents by area, as minified JSON: the one source of truth the pipeline attaches to its CodeBuild role (aws_iam_policy or aws_iam_role_policy per entry). The MFA policy is not among them: a role has no MFA."
  value       = local.policy_json
}
