# Bastion host: the one way from an operator's machine to the private database, by
# SSH (key only, port 22 from the operator CIDRs, enforced by the security group) or
# by SSM Session Manager port forwarding (no key, no open port).

locals {
  ssh_enabled = var.public_key != ""
  ami_id      = var.ami_id != null ? var.ami_id : data.aws_ssm_parameter.ami[0].insecure_value
}

data "aws_partition" "current" {}

data "aws_ssm_parameter" "ami" {
  count = var.ami_id == null ? 1 : 0
  name  = var.ami_ssm_parameter
}

resource "aws_key_pair" "this" {
  count = local.ssh_enabled ? 1 : 0

  key_name   = "${var.name}-bastion"
  public_key = var.public_key

  tags = { Name = "${var.name}-bastion" }
}

data "aws_iam_policy_document" "assume_role" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

# Session Manager only: the bastion itself needs no AWS data access.
resource "aws_iam_role" "this" {
  name                 = "${var.name}-bastion"
  description          = "Bastion of ${var.name}: SSM Session Manager only."
  assume_role_policy   = data.aws_iam_policy_document.assume_role.json
  max_session_duration = 3600

  tags = { Name = "${var.name}-bastion" }
}

resource "aws_iam_role_policy_attachment" "ssm_core" {
  role       = aws_iam_role.this.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"
}

resource "aws_iam_instance_profile" "this" {
  name = "${var.name}-bastion"
  role = aws_iam_role.this.name

  tags = { Name = "${var.name}-bastion" }
}

# A new Amazon Linux release shows up in the plan as a replacement of this instance:
# the bastion is stateless, its Elastic IP stays, and a patched host is the point.
# Pin ami_id to postpone it.
resource "aws_instance" "this" {
  # checkov:skip=CKV_AWS_88: A bastion is reached from the operator's network by definition; the Elastic IP is its fixed address and the security group admits only the operator CIDRs on port 22.
  ami                    = local.ami_id
  instance_type          = var.instance_type
  subnet_id              = var.subnet_id
  vpc_security_group_ids = [var.security_group_id]
  key_name               = local.ssh_enabled ? aws_key_pair.this[0].key_name : null
  iam_instance_profile   = aws_iam_instance_profile.this.name
  ebs_optimized          = true
  monitoring             = true

  # A public address from boot, so the bootstrap reaches the package mirrors before the
  # Elastic IP is associated (the EIP then replaces it).
  associate_public_ip_address = true

  disable_api_termination = var.termination_protection

  user_data = templatefile("${path.module}/templates/user-data.sh.tftpl", {
    postgresql_major_version = var.postgresql_client_version
  })
  # Hardening lives in the user data: a change must rebuild the host, not be ignored
  # by an instance that already booted.
  user_data_replace_on_change = true

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
    instance_metadata_tags      = "disabled"
  }

  root_block_device {
    volume_type           = "gp3"
    volume_size           = var.root_volume_size
    encrypted             = true
    kms_key_id            = var.kms_key_arn
    delete_on_termination = true

    tags = { Name = "${var.name}-bastion-root" }
  }

  tags = { Name = "${var.name}-bastion" }
}

resource "aws_eip" "this" {
  domain   = "vpc"
  instance = aws_instance.this.id

  tags = { Name = "${var.name}-bastion" }
}
