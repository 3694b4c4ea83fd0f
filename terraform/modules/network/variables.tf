variable "name" {
  type        = string
  description = "Resource name prefix, e.g. shop-dev. Every resource's Name tag starts with it."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name))
    error_message = "name must be 2-31 characters of lowercase letters, digits and hyphens, starting with a letter, such as shop-dev."
  }
}

variable "region" {
  type        = string
  description = "AWS region of the VPC (the provider's region). Names the gateway endpoints' services and the ARNs in the flow log role."

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as eu-west-1."
  }
}

variable "vpc_cidr" {
  type        = string
  description = "IPv4 CIDR of the VPC, /16 to /23. It is cut into four equal tier blocks (public, app, data, one spare) and each tier block into four AZ subnets, so every subnet is 1/16 of the VPC (a /20 in a /16)."
  default     = "10.20.0.0/16"
  nullable    = false

  validation {
    # cidrsubnet(x, 0, 0) returns x's network address: equal only for a canonical CIDR.
    condition     = try(cidrsubnet(var.vpc_cidr, 0, 0) == var.vpc_cidr && can(cidrnetmask(var.vpc_cidr)), false)
    error_message = "vpc_cidr must be an IPv4 network in CIDR notation with its network address, such as 10.20.0.0/16."
  }

  validation {
    # Subnets are /(prefix+4); the load balancer needs subnets of /27 or larger and
    # AWS allows VPCs from /16 to /28.
    condition     = try(tonumber(split("/", var.vpc_cidr)[1]) >= 16 && tonumber(split("/", var.vpc_cidr)[1]) <= 23, false)
    error_message = "vpc_cidr must have a prefix length from /16 to /23 (subnets are 1/16 of the VPC and the load balancer needs /27 or larger subnets), such as 10.20.0.0/16."
  }
}

variable "az_count" {
  type        = number
  description = "Number of availability zones to spread every tier over: 2 (the minimum for the load balancer and a Multi-AZ database) or 3."
  default     = 2
  nullable    = false

  validation {
    condition     = contains([2, 3], var.az_count)
    error_message = "az_count must be 2 or 3."
  }
}

variable "availability_zones" {
  type        = list(string)
  description = "Explicit availability zone names to use, in order (e.g. [\"eu-west-1a\", \"eu-west-1b\"]). Empty (the default) picks the first az_count zones the region offers without opt-in. When set, it must list exactly az_count zones of the region."
  default     = []

  validation {
    condition     = length(var.availability_zones) == 0 || length(var.availability_zones) == var.az_count
    error_message = "availability_zones must be empty or list exactly az_count zone names."
  }

  validation {
    condition     = alltrue([for az in var.availability_zones : startswith(az, var.region) && can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9][a-z]$", az))])
    error_message = "availability_zones must be zone names of the region, such as eu-west-1a."
  }

  validation {
    condition     = length(distinct(var.availability_zones)) == length(var.availability_zones)
    error_message = "availability_zones must not repeat a zone."
  }
}

variable "nat_gateway_per_az" {
  type        = bool
  description = "true: one NAT gateway per AZ, so losing an AZ does not cut the others off the internet (HA, about 33 USD/month each plus data). false: a single NAT gateway in the first AZ that every app subnet routes through (cheapest; outbound traffic of the other AZs crosses AZs and stops if that AZ fails)."
  default     = false
}

variable "web_subnet_tier" {
  type        = string
  description = "Where the web servers run: \"private\" (app subnets behind the load balancer and NAT; the Well-Architected choice) or \"public\" (public subnets with public IPs). The network ACLs then let the public tier reach the file system (NFS 2049) in the data tier."
  default     = "private"
  nullable    = false

  validation {
    condition     = contains(["private", "public"], var.web_subnet_tier)
    error_message = "web_subnet_tier must be \"private\" or \"public\"."
  }
}

variable "admin_cidr_blocks" {
  type        = list(string)
  description = "IPv4 CIDRs of the operators allowed to SSH (22) into the public tier (the bastion), e.g. your office or VPN egress range. Empty (the default) allows no SSH at all. At most 10 (network ACLs hold 20 inbound rules)."
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

variable "flow_log_retention_days" {
  type        = number
  description = "Retention of the VPC flow log group, in days."
  default     = 7
  nullable    = false

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.flow_log_retention_days)
    error_message = "flow_log_retention_days must be a value CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653."
  }
}

variable "kms_key_arn" {
  type        = string
  description = "ARN of the KMS key that encrypts the flow log group (the platform key from the encryption module; its policy must let CloudWatch Logs use it)."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN such as arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab."
  }
}
