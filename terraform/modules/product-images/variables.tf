variable "name" {
  type        = string
  description = "Resource name prefix, e.g. shop-dev."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name))
    error_message = "name must be 2-31 characters of lowercase letters, digits and hyphens, starting with a letter, such as shop-dev."
  }
}

variable "subnet_ids_by_az" {
  type        = map(string)
  description = "Data-tier subnet per availability zone, e.g. { \"eu-west-1a\" = \"subnet-0a...\" }; one mount target is created in each."

  validation {
    condition     = length(var.subnet_ids_by_az) >= 1 && alltrue([for az, s in var.subnet_ids_by_az : can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9][a-z]$", az)) && can(regex("^subnet-[0-9a-f]+$", s))])
    error_message = "subnet_ids_by_az must map availability zone names to subnet ids, such as { \"eu-west-1a\" = \"subnet-0123abcd\" }."
  }
}

variable "security_group_ids" {
  type        = list(string)
  description = "Security groups of the mount targets: the EFS group that admits NFS (2049) only from the web servers."

  validation {
    condition     = length(var.security_group_ids) >= 1 && length(var.security_group_ids) <= 5 && alltrue([for s in var.security_group_ids : can(regex("^sg-[0-9a-f]+$", s))])
    error_message = "security_group_ids must list 1-5 security group ids such as sg-0123abcd."
  }
}

variable "kms_key_arn" {
  type        = string
  description = "ARN of the platform KMS key that encrypts the file system at rest."

  validation {
    condition     = can(regex("^arn:aws[a-zA-Z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN such as arn:aws:kms:eu-west-1:123456789012:key/1234abcd-...."
  }
}

variable "web_role_arn" {
  type        = string
  description = "ARN of the web servers' IAM role: the only principal the file system policy lets mount and write (through the access point)."

  validation {
    condition     = can(regex("^arn:aws[a-zA-Z-]*:iam::[0-9]{12}:role/.+$", var.web_role_arn))
    error_message = "web_role_arn must be an IAM role ARN such as arn:aws:iam::123456789012:role/shop-dev-web."
  }
}

variable "throughput_mode" {
  type        = string
  description = "elastic (pay per GB transferred, never throttled; recommended for small, spiky use) or bursting (free throughput that scales with stored size, burst credits)."
  default     = "elastic"
  nullable    = false

  validation {
    condition     = contains(["elastic", "bursting"], var.throughput_mode)
    error_message = "throughput_mode must be elastic or bursting (provisioned is not offered: it bills a fixed MiB/s around the clock)."
  }
}

variable "posix_uid" {
  type        = number
  description = "POSIX user id the access point enforces for every file operation (the web app's user, e.g. nginx)."
  default     = 1000

  validation {
    condition     = var.posix_uid >= 1 && var.posix_uid <= 4294967294 && floor(var.posix_uid) == var.posix_uid
    error_message = "posix_uid must be a whole number from 1 to 4294967294 (0 would make every client root), e.g. 1000."
  }
}

variable "posix_gid" {
  type        = number
  description = "POSIX group id the access point enforces for every file operation."
  default     = 1000

  validation {
    condition     = var.posix_gid >= 1 && var.posix_gid <= 4294967294 && floor(var.posix_gid) == var.posix_gid
    error_message = "posix_gid must be a whole number from 1 to 4294967294 (0 is the root group), e.g. 1000."
  }
}
