# Mock-provider tests: what the module asks EFS for, and which inputs it refuses.

mock_provider "aws" {
  # Data sources come from the shared mocks (terraform/tests/mocks; the path is
  # relative to the module directory); only this module's own values are below.
  source = "../../tests/mocks"

  mock_resource "aws_efs_file_system" {
    defaults = {
      arn = "arn:aws:elasticfilesystem:eu-west-1:123456789012:file-system/fs-0123456789abcdef0"
    }
  }
  mock_resource "aws_efs_access_point" {
    defaults = {
      arn = "arn:aws:elasticfilesystem:eu-west-1:123456789012:access-point/fsap-0123456789abcdef0"
    }
  }
}

variables {
  name = "shop-test"
  subnet_ids_by_az = {
    "eu-west-1a" = "subnet-0aaa1111"
    "eu-west-1b" = "subnet-0bbb2222"
  }
  security_group_ids = ["sg-0eee5555"]
  kms_key_arn        = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"
  web_role_arn       = "arn:aws:iam::123456789012:role/shop-test-web"
}

run "file_system_is_encrypted_with_one_mount_target_per_az" {
  command = plan

  assert {
    condition     = aws_efs_file_system.this.encrypted && aws_efs_file_system.this.kms_key_id == var.kms_key_arn
    error_message = "The file system must be encrypted with the platform KMS key."
  }
  assert {
    condition     = aws_efs_file_system.this.performance_mode == "generalPurpose" && aws_efs_file_system.this.throughput_mode == "elastic"
    error_message = "Defaults must be generalPurpose performance and elastic throughput."
  }
  assert {
    condition     = toset(keys(aws_efs_mount_target.this)) == toset(["eu-west-1a", "eu-west-1b"]) && aws_efs_mount_target.this["eu-west-1b"].subnet_id == "subnet-0bbb2222"
    error_message = "There must be exactly one mount target per AZ, in that AZ's data subnet."
  }
  assert {
    condition     = alltrue([for mt in aws_efs_mount_target.this : mt.security_groups == toset(var.security_group_ids)])
    error_message = "Every mount target must use the EFS security group."
  }
  assert {
    condition     = [for p in aws_efs_file_system.this.lifecycle_policy : coalesce(p.transition_to_ia, p.transition_to_primary_storage_class)] == ["AFTER_30_DAYS", "AFTER_1_ACCESS"]
    error_message = "Files must move to IA after 30 days and back on first access."
  }
  assert {
    condition     = aws_efs_backup_policy.this.backup_policy[0].status == "ENABLED"
    error_message = "Automatic backups must be enabled."
  }
  assert {
    condition     = aws_efs_access_point.this.posix_user[0].uid == 1000 && aws_efs_access_point.this.posix_user[0].gid == 1000
    error_message = "The access point must enforce POSIX uid/gid 1000."
  }
  assert {
    condition     = aws_efs_access_point.this.root_directory[0].path == "/product-images" && aws_efs_access_point.this.root_directory[0].creation_info[0].permissions == "0755" && aws_efs_access_point.this.root_directory[0].creation_info[0].owner_uid == 1000
    error_message = "The access point must root clients in /product-images, created 0755 and owned by the app user."
  }
}

run "file_system_policy_denies_non_tls_and_allows_only_the_web_role" {
  command = apply

  assert {
    condition = anytrue([
      for s in jsondecode(aws_efs_file_system_policy.this.policy).Statement :
      s.Effect == "Deny" && s.Principal.AWS == "*" && s.Action == "*" && try(s.Condition.Bool["aws:SecureTransport"], "") == "false"
    ])
    error_message = "The policy must deny every request made without TLS."
  }
  assert {
    condition = [
      for s in jsondecode(aws_efs_file_system_policy.this.policy).Statement : s.Principal.AWS if s.Effect == "Allow"
    ] == [var.web_role_arn]
    error_message = "The web role must be the only principal allowed."
  }
  assert {
    condition = alltrue([
      for s in jsondecode(aws_efs_file_system_policy.this.policy).Statement :
      s.Condition.StringEquals["elasticfilesystem:AccessPointArn"] == output.access_point_arn && !contains(s.Action, "elasticfilesystem:ClientRootAccess") if s.Effect == "Allow"
    ])
    error_message = "The web role must be allowed only through the access point, without root access."
  }
  assert {
    condition     = output.file_system_arn == "arn:aws:elasticfilesystem:eu-west-1:123456789012:file-system/fs-0123456789abcdef0" && length(output.mount_target_ids) == 2
    error_message = "Outputs must expose the file system and its mount targets."
  }
}

run "rejects_subnets_not_keyed_by_az" {
  command = plan
  variables {
    subnet_ids_by_az = { "0" = "subnet-0aaa1111" }
  }
  expect_failures = [var.subnet_ids_by_az]
}

run "rejects_root_uid" {
  command = plan
  variables {
    posix_uid = 0
  }
  expect_failures = [var.posix_uid]
}

run "rejects_provisioned_throughput" {
  command = plan
  variables {
    throughput_mode = "provisioned"
  }
  expect_failures = [var.throughput_mode]
}

run "rejects_a_user_arn_as_web_role" {
  command = plan
  variables {
    web_role_arn = "arn:aws:iam::123456789012:user/someone"
  }
  expect_failures = [var.web_role_arn]
}
