# Inputs of the network area (network.tf). Every field is optional and has no default
# here: an unset field reaches the leaf module as null and the leaf module applies its
# own default and validation, so each lives in one place.

variable "encryption" {
  type = object({
    deletion_window_in_days = optional(number)
  })
  description = <<-EOT
    Platform KMS key (modules/encryption); unset fields keep that module's defaults.
    deletion_window_in_days: days between scheduling the key for deletion and its
    deletion, 7-30 (30).
  EOT
  default     = {}
  nullable    = false
}

variable "network" {
  type = object({
    vpc_cidr                = optional(string)
    az_count                = optional(number)
    nat_gateway_per_az      = optional(bool)
    admin_cidr_blocks       = optional(list(string))
    allow_ssh_from_anywhere = optional(bool)
  })
  description = <<-EOT
    VPC, network ACLs and security groups (modules/network, modules/security-groups);
    unset fields keep those modules' defaults.
    vpc_cidr: IPv4 CIDR of the VPC, /16 to /23 ("10.20.0.0/16").
    az_count: availability zones every tier spans, 2 or 3 (2).
    nat_gateway_per_az: one NAT gateway per AZ; unset follows var.production.
    admin_cidr_blocks: operators' IPv4 ranges allowed to SSH to the bastion, such as
    ["203.0.113.0/24"] (empty: SSH closed, Session Manager still works).
    allow_ssh_from_anywhere: force flag accepting 0.0.0.0/0 in admin_cidr_blocks (false).
  EOT
  default     = {}
  nullable    = false
}
