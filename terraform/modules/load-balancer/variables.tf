variable "name" {
  type        = string
  description = "Resource name prefix, e.g. shop-dev. The ALB is named <name>-alb and the target group <name>-web (both at most 32 characters)."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,27}$", var.name)) && !endswith(var.name, "-")
    error_message = "name must be 2-28 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen, such as shop-dev (the ALB name <name>-alb must fit in 32 characters)."
  }
}

variable "region" {
  type        = string
  description = "AWS region of the load balancer (the provider's region; scopes the log-delivery permission to this region's load balancer ARN)."

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as eu-west-1."
  }
}

variable "vpc_id" {
  type        = string
  description = "VPC of the target group."

  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))
    error_message = "vpc_id must be a VPC id such as vpc-0123456789abcdef0."
  }
}

variable "public_subnet_ids" {
  type        = list(string)
  description = "Public subnets the ALB is placed in, one per availability zone (at least two, an ALB requirement)."

  validation {
    condition     = length(var.public_subnet_ids) >= 2 && alltrue([for s in var.public_subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))])
    error_message = "public_subnet_ids must list at least two subnet ids such as subnet-0123456789abcdef0 (an ALB spans two or more availability zones)."
  }
}

variable "security_group_id" {
  type        = string
  description = "Security group of the ALB (HTTP/HTTPS from the internet, out only to the web servers)."

  validation {
    condition     = can(regex("^sg-[0-9a-f]{8,17}$", var.security_group_id))
    error_message = "security_group_id must be a security group id such as sg-0123456789abcdef0."
  }
}

variable "deletion_protection" {
  type        = bool
  description = "Refuse to delete the ALB through the API. The platform turns it on in production; leave it off where the stack is torn down routinely."
  default     = true
}

variable "certificate_arn" {
  type        = string
  description = "ACM certificate ARN for the HTTPS listener. When set, port 80 redirects to HTTPS; when null, port 80 forwards to the web servers (no domain yet, local emulator)."
  default     = null

  validation {
    condition     = var.certificate_arn == null || can(regex("^arn:aws[a-z-]*:acm:[a-z]{2}(-gov)?-[a-z]+-[0-9]:[0-9]{12}:certificate/[0-9a-f-]{36}$", var.certificate_arn))
    error_message = "certificate_arn must be null or an ACM certificate ARN such as arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789."
  }
}

variable "ssl_policy" {
  type        = string
  description = "TLS negotiation policy of the HTTPS listener. The default allows only TLS 1.3 and TLS 1.2 with forward-secret ciphers."
  default     = "ELBSecurityPolicy-TLS13-1-2-2021-06"

  validation {
    condition     = can(regex("^ELBSecurityPolicy-(TLS13-1-[23]-|FS-1-2-Res-)", var.ssl_policy))
    error_message = "ssl_policy must be a TLS 1.2+ ELB policy such as ELBSecurityPolicy-TLS13-1-2-2021-06 or ELBSecurityPolicy-FS-1-2-Res-2020-10."
  }
}

variable "health_check_path" {
  type        = string
  description = "Path the target group probes on every web server (also an output: the web module configures nginx to answer it). nginx answers it itself, so a slow or absent application never takes the fleet out of service."
  default     = "/healthz"
  nullable    = false

  validation {
    condition     = can(regex("^/[A-Za-z0-9._~/-]*$", var.health_check_path))
    error_message = "health_check_path must be an absolute URL path such as /healthz."
  }
}

variable "target_port" {
  type        = number
  description = "Port nginx listens on on the web servers."
  default     = 80

  validation {
    condition     = var.target_port >= 1 && var.target_port <= 65535 && floor(var.target_port) == var.target_port
    error_message = "target_port must be a whole number between 1 and 65535, such as 80."
  }
}

variable "deregistration_delay" {
  type        = number
  description = "Seconds a deregistering target keeps receiving in-flight requests (connection draining). Short requests need little."
  default     = 30

  validation {
    condition     = var.deregistration_delay >= 0 && var.deregistration_delay <= 3600
    error_message = "deregistration_delay must be between 0 and 3600 seconds, such as 30."
  }
}

variable "idle_timeout" {
  type        = number
  description = "Seconds an idle client connection is kept open by the ALB."
  default     = 60

  validation {
    condition     = var.idle_timeout >= 1 && var.idle_timeout <= 4000
    error_message = "idle_timeout must be between 1 and 4000 seconds, such as 60."
  }
}

variable "access_log_retention_days" {
  type        = number
  description = "Days ALB access log objects are kept before the lifecycle rule expires them."
  default     = 90

  validation {
    condition     = var.access_log_retention_days >= 1 && floor(var.access_log_retention_days) == var.access_log_retention_days
    error_message = "access_log_retention_days must be a whole number of days, at least 1, such as 90."
  }
}

variable "access_logs_force_destroy" {
  type        = bool
  description = "Let terraform destroy delete the access log bucket with its objects. Keep false in production so logs survive an accidental destroy."
  default     = false
}

variable "web_acl_arn" {
  type        = string
  description = "Optional AWS WAFv2 web ACL (REGIONAL scope) to associate with the ALB."
  default     = null

  validation {
    condition     = var.web_acl_arn == null || can(regex("^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:[0-9]{12}:regional/webacl/.+$", var.web_acl_arn))
    error_message = "web_acl_arn must be null or a regional WAFv2 web ACL ARN such as arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/shop/0a1b2c3d-...."
  }
}
