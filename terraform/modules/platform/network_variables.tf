variable "vpc_cidr" {
  type        = string
  description = "IPv4 CIDR of the platform's VPC, /16 to /23. Pick a range that does not overlap networks you will peer or connect over VPN with."
  default     = "10.20.0.0/16"

  validation {
    condition     = try(cidrsubnet(var.vpc_cidr, 0, 0) == var.vpc_cidr && can(cidrnetmask(var.vpc_cidr)), false)
    error_message = "vpc_cidr must be an IPv4 network in CIDR notation with its network address, such as 10.20.0.0/16."
  }
}

variable "az_count" {
  type        = number
  description = "Number of availability zones every tier spans: 2 or 3."
  default     = 2

  validation {
    condition     = contains([2, 3], var.az_count)
    error_message = "az_count must be 2 or 3."
  }
}

variable "nat_gateway_per_az" {
  type        = bool
  description = "One NAT gateway per AZ (true: an AZ outage does not cut the other AZs' web servers off the internet) or a single shared one (false: about 33 USD/month cheaper per AZ). null (the default) follows var.production: per-AZ in production, single elsewhere."
  default     = null
}

variable "admin_cidr_blocks" {
  type        = list(string)
  description = "IPv4 CIDRs of your operators (office, VPN egress, e.g. [\"203.0.113.0/24\"]) allowed to SSH to the bastion. Empty by default: nothing can be guessed safely here (0.0.0.0/0 is refused, the VPC's own range would be meaningless for a bastion), so SSH stays closed until you name your ranges; Session Manager through the bastion's instance role still works meanwhile."
  default     = []

  validation {
    condition     = alltrue([for c in var.admin_cidr_blocks : try(cidrsubnet(c, 0, 0) == c && can(cidrnetmask(c)), false)])
    error_message = "admin_cidr_blocks must be IPv4 networks in CIDR notation with their network address, such as 203.0.113.0/24 or 198.51.100.7/32."
  }

  validation {
    condition     = var.allow_ssh_from_anywhere || alltrue([for c in var.admin_cidr_blocks : try(tonumber(split("/", c)[1]) >= 8, false)])
    error_message = "admin_cidr_blocks must not contain 0.0.0.0/0 or any range wider than /8: SSH open to the internet is refused. Name your operators' ranges (such as 203.0.113.0/24), or set allow_ssh_from_anywhere = true if you really mean it."
  }
}

variable "allow_ssh_from_anywhere" {
  type        = bool
  description = "Force flag: accept 0.0.0.0/0 in admin_cidr_blocks. Leave false."
  default     = false
}

variable "kms_deletion_window_in_days" {
  type        = number
  description = "Days between scheduling the platform KMS key for deletion and its actual deletion (7-30); the deletion can be cancelled within the window. Everything the key encrypted is lost after it."
  default     = 30

  validation {
    condition     = var.kms_deletion_window_in_days >= 7 && var.kms_deletion_window_in_days <= 30 && floor(var.kms_deletion_window_in_days) == var.kms_deletion_window_in_days
    error_message = "kms_deletion_window_in_days must be a whole number of days from 7 to 30, such as 30."
  }
}
