output "file_system_id" {
  description = "Id of the EFS file system (fs-...)."
  value       = aws_efs_file_system.this.id
}

output "file_system_arn" {
  description = "ARN of the EFS file system."
  value       = aws_efs_file_system.this.arn
}

output "access_point_id" {
  description = "Id of the access point (fsap-...) the web servers mount: mount -t efs -o tls,iam,accesspoint=<id> <file_system_id>: /mnt."
  value       = aws_efs_access_point.this.id
}

output "access_point_arn" {
  description = "ARN of the access point, for the web role's IAM conditions."
  value       = aws_efs_access_point.this.arn
}

output "dns_name" {
  description = "DNS name of the file system (resolves to the mount target of the client's AZ)."
  value       = aws_efs_file_system.this.dns_name
}

output "mount_target_ids" {
  description = "Mount target ids keyed by availability zone."
  value       = { for az, mt in aws_efs_mount_target.this : az => mt.id }
}
