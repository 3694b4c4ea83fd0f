mock_provider "aws" {
  # Shared mocks: terraform/tests/mocks (relative to the module directory).
  source = "../../tests/mocks"
}

variables {
  name              = "shop-test"
  subnet_id         = "subnet-0bbbbbbbbbbbbbbb1"
  security_group_id = "sg-0123456789abcdef0"
  kms_key_arn       = "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-4e5f-6789-abcd-ef0123456789"
}

run "t3_micro_in_the_given_public_subnet_with_detailed_monitoring" {
  command = plan

  assert {
    condition     = aws_instance.this.instance_type == "t3.micro"
    error_message = "The bastion must be t3.micro by default."
  }
  assert {
    condition     = aws_instance.this.subnet_id == var.subnet_id && toset(aws_instance.this.vpc_security_group_ids) == toset([var.security_group_id])
    error_message = "The bastion must run in the given subnet with the given security group."
  }
  assert {
    condition     = aws_instance.this.monitoring == true
    error_message = "Detailed monitoring must be on."
  }
  assert {
    condition     = aws_instance.this.ami == "ami-0123456789abcdef0" && length(data.aws_ssm_parameter.ami) == 1
    error_message = "The AMI must come from the Amazon Linux 2023 SSM parameter."
  }
}

run "imdsv2_and_encrypted_gp3_root_volume" {
  command = plan

  assert {
    condition     = aws_instance.this.metadata_options[0].http_tokens == "required" && aws_instance.this.metadata_options[0].http_put_response_hop_limit == 1
    error_message = "IMDSv2 must be required with hop limit 1."
  }
  assert {
    condition     = aws_instance.this.root_block_device[0].encrypted == true && aws_instance.this.root_block_device[0].volume_type == "gp3" && aws_instance.this.root_block_device[0].kms_key_id == var.kms_key_arn
    error_message = "The root volume must be gp3 encrypted with the given key."
  }
}

run "elastic_ip_in_vpc_domain" {
  command = plan

  assert {
    condition     = aws_eip.this.domain == "vpc"
    error_message = "The Elastic IP must be a VPC address."
  }
}

run "user_data_hardens_sshd_and_installs_psql" {
  command = plan

  assert {
    condition = alltrue([
      for line in ["PasswordAuthentication no", "PermitRootLogin no", "KbdInteractiveAuthentication no", "AllowTcpForwarding local", "X11Forwarding no"] :
      strcontains(aws_instance.this.user_data, line)
    ])
    error_message = "sshd must be hardened: no passwords, no root, local forwarding only."
  }
  assert {
    condition     = strcontains(aws_instance.this.user_data, "dnf -y install postgresql16")
    error_message = "The PostgreSQL 16 client must be installed."
  }
  assert {
    condition     = aws_instance.this.user_data_replace_on_change == true
    error_message = "Changing the hardening must rebuild the bastion."
  }
}

run "without_public_key_no_key_pair_ssm_only" {
  command = plan

  assert {
    condition     = length(aws_key_pair.this) == 0
    error_message = "Without a public key there must be no key pair."
  }
  assert {
    condition     = output.ssh_command == null && output.ssh_enabled == false
    error_message = "Without a public key SSH must be reported as disabled."
  }
}

run "with_public_key_key_pair_is_created_and_used" {
  command = plan

  variables {
    public_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBm2sH0mGw5aJ3xzBXm9mQ0J6Zz7t1C3aP0kGQ0fSx9e alice@laptop"
  }

  assert {
    condition     = length(aws_key_pair.this) == 1 && aws_key_pair.this[0].key_name == "shop-test-bastion"
    error_message = "A public key must create the bastion's key pair."
  }
  assert {
    condition     = aws_instance.this.key_name == "shop-test-bastion"
    error_message = "The instance must use the key pair."
  }
}

run "instance_profile_has_only_session_manager" {
  command = plan

  assert {
    condition     = aws_iam_role_policy_attachment.ssm_core.policy_arn == "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
    error_message = "The bastion role must carry AmazonSSMManagedInstanceCore."
  }
}

run "rejects_malformed_public_key" {
  command = plan

  variables {
    public_key = "AAAAC3NzaC1lZDI1NTE5AAAAIBm2sH0mGw5aJ3xzBXm9mQ0J6Zz7t1C3aP0kGQ0fSx9e"
  }

  expect_failures = [var.public_key]
}

run "rejects_private_key_pasted_as_public_key" {
  command = plan

  variables {
    public_key = "-----BEGIN OPENSSH PRIVATE KEY-----"
  }

  expect_failures = [var.public_key]
}

run "rejects_large_instance_type" {
  command = plan

  variables {
    instance_type = "m5.xlarge"
  }

  expect_failures = [var.instance_type]
}

run "rejects_malformed_subnet_id" {
  command = plan

  variables {
    subnet_id = "public-a"
  }

  expect_failures = [var.subnet_id]
}
