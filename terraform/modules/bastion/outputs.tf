output "instance_id" {
  description = "Id of the bastion instance (target of Session Manager sessions)."
  value       = aws_instance.this.id
}

output "public_ip" {
  description = "Elastic IP of the bastion: the fixed address operators SSH to."
  value       = aws_eip.this.public_ip
}

output "private_ip" {
  description = "Private IP of the bastion (allow it in the database security group)."
  value       = aws_instance.this.private_ip
}

output "allocation_id" {
  description = "Allocation id of the bastion's Elastic IP."
  value       = aws_eip.this.allocation_id
}

output "ssh_enabled" {
  description = "Whether SSH login exists (a public key was given). When false the bastion is reachable only through Session Manager."
  value       = local.ssh_enabled
}

output "key_pair_name" {
  description = "EC2 key pair of the bastion, or null when SSH is disabled."
  value       = one(aws_key_pair.this[*].key_name)
}

output "ssh_command" {
  description = "How to log in over SSH (null when no public key was given)."
  value       = local.ssh_enabled ? "ssh ec2-user@${aws_eip.this.public_ip}" : null
}

output "ssm_session_command" {
  description = "How to open a shell without SSH (AWS CLI with the Session Manager plugin)."
  value       = "aws ssm start-session --target ${aws_instance.this.id}"
}

output "iam_role_name" {
  description = "IAM role of the bastion (AmazonSSMManagedInstanceCore only)."
  value       = aws_iam_role.this.name
}
