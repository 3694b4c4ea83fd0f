variable "name" {
  type        = string
  description = "Resource name prefix, e.g. shop-dev. Security group names start with <name>-<role>-."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name))
    error_message = "name must be 2-31 characters of lowercase letters, digits and hyphens, starting with a letter, such as shop-dev."
  }
}

variable "vpc_id" {
  type        = string
  description = "ID of the VPC the security groups belong to (the network module's vpc_id)."

  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))
    error_message = "vpc_id must be a VPC ID such as vpc-0123456789abcdef0."
  }
}

variable "admin_cidr_blocks" {
  type        = list(string)
  description = "IPv4 CIDRs of the operators allowed to SSH (22) into the bastion, e.g. your office or VPN egress range. Empty (the default) allows no SSH at all; Session Manager still works. At most 10."
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for c in var.admin_cidr_blocks : try(cidrsubnet(c, 0, 0) == c && can(cidrnetmask(c)), false)])
    error_message = "admin_cidr_blocks must be IPv4 networks in CIDR notation with their network address, such as 203.0.113.0/24 or 198.51.100.7/32."
  }

  validation {
    # Anything wider than a /8 (0.0.0.0/0, or 0.0.0.0/1 + 128.0.0.0/1) is the internet.
    condition     = var.allow_ssh_from_anywhere || alltrue([for c in var.admin_cidr_blocks : try(tonumber(split("/", c)[1]) >= 8, false)])
    error_message = "admin_cidr_blocks must not contain 0.0.0.0/0 or any range wider than /8: SSH open to the internet is refused. Name your operators' ranges (such as 203.0.113.0/24), or set allow_ssh_from_anywhere = true if you really mean it."
  }

  validation {
    condition     = length(var.admin_cidr_blocks) <= 10 && length(distinct(var.admin_cidr_blocks)) == length(var.admin_cidr_blocks)
    error_message = "admin_cidr_blocks must hold at most 10 distinct CIDRs (summarise ranges if you need more)."
  }
}

variable "allow_ssh_from_anywhere" {
  type        = bool
  description = "Force flag: allow 0.0.0.0/0 in admin_cidr_blocks. Leave false; SSH from the whole internet invites brute-force attempts."
  default     = false
  nullable    = false
}
