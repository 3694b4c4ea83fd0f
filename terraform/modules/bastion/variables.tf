variable "name" {
  type        = string
  description = "Resource name prefix, e.g. shop-dev. Resources are named <name>-bastion."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name))
    error_message = "name must be 2-31 lowercase letters, digits or hyphens, starting with a letter, such as shop-dev."
  }
}

variable "subnet_id" {
  type        = string
  description = "Public subnet the bastion runs in."

  validation {
    condition     = can(regex("^subnet-[0-9a-f]{8,17}$", var.subnet_id))
    error_message = "subnet_id must be a subnet id such as subnet-0123456789abcdef0."
  }
}

variable "security_group_id" {
  type        = string
  description = "Security group of the bastion (SSH 22 only from the operator CIDRs; out to the database)."

  validation {
    condition     = can(regex("^sg-[0-9a-f]{8,17}$", var.security_group_id))
    error_message = "security_group_id must be a security group id such as sg-0123456789abcdef0."
  }
}

variable "instance_type" {
  type        = string
  description = "EC2 instance type of the bastion. Burstable families only (t3, t3a): a bastion idles."
  default     = "t3.micro"
  nullable    = false

  validation {
    condition     = can(regex("^(t3|t3a)\\.(nano|micro|small|medium)$", var.instance_type))
    error_message = "instance_type must be a small x86_64 burstable type such as t3.micro (t3/t3a nano to medium)."
  }
}

variable "public_key" {
  type        = string
  description = "OpenSSH public key of the operators (one line, e.g. \"ssh-ed25519 AAAA... alice@laptop\"). Empty (default) = no key pair and no SSH login: use Session Manager port forwarding instead."
  default     = ""
  nullable    = false

  validation {
    condition     = var.public_key == "" || can(regex("^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\\.com) [A-Za-z0-9+/]+={0,3}( [^\\r\\n]*)?$", var.public_key))
    error_message = "public_key must be empty or one OpenSSH public key line such as \"ssh-ed25519 AAAAC3Nza... alice@laptop\" (ssh-ed25519, ssh-rsa or ecdsa-sha2-nistp256/384/521); never a private key."
  }
}

variable "ami_ssm_parameter" {
  type        = string
  description = "Public SSM parameter holding the AMI id (latest Amazon Linux 2023, x86_64)."
  default     = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"

  validation {
    condition     = can(regex("^/aws/service/ami-amazon-linux-latest/al2023-ami-.*x86_64$", var.ami_ssm_parameter))
    error_message = "ami_ssm_parameter must be an Amazon Linux 2023 x86_64 public parameter such as /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64."
  }
}

variable "ami_id" {
  type        = string
  description = "Explicit AMI id (Amazon Linux 2023) overriding ami_ssm_parameter; pin it to postpone a rebuild onto a newer AMI. null = use the parameter."
  default     = null

  validation {
    condition     = var.ami_id == null || can(regex("^ami-[0-9a-f]{8,17}$", var.ami_id))
    error_message = "ami_id must be null or an AMI id such as ami-0123456789abcdef0."
  }
}

variable "root_volume_size" {
  type        = number
  description = "Size of the encrypted gp3 root volume in GiB."
  default     = 8

  validation {
    condition     = var.root_volume_size >= 8 && var.root_volume_size <= 50 && floor(var.root_volume_size) == var.root_volume_size
    error_message = "root_volume_size must be a whole number of GiB between 8 and 50, such as 8."
  }
}

variable "kms_key_arn" {
  type        = string
  description = "KMS key encrypting the root volume (the platform key). null = the AWS managed aws/ebs key."
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]+$", var.kms_key_arn))
    error_message = "kms_key_arn must be null or a KMS key ARN such as arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-4e5f-6789-abcd-ef0123456789."
  }
}

variable "postgresql_client_version" {
  type        = number
  description = "Major version of the PostgreSQL client installed on the bastion (Amazon Linux 2023 package postgresql<N>); match the RDS engine."
  default     = 16

  validation {
    condition     = contains([15, 16, 17], var.postgresql_client_version)
    error_message = "postgresql_client_version must be 15, 16 or 17 (the clients Amazon Linux 2023 packages)."
  }
}

variable "termination_protection" {
  type        = bool
  description = "Protect the bastion against API termination (the platform turns it on in production)."
  default     = false
}
