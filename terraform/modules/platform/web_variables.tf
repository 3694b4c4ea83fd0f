variable "certificate_arn" {
  type        = string
  description = "ACM certificate (in the platform's region) for HTTPS on the load balancer. When set, HTTP redirects to HTTPS; null serves plain HTTP (no domain yet, local emulator)."
  default     = null

  validation {
    condition     = var.certificate_arn == null || can(regex("^arn:aws[a-z-]*:acm:[a-z]{2}(-gov)?-[a-z]+-[0-9]:[0-9]{12}:certificate/[0-9a-f-]{36}$", var.certificate_arn))
    error_message = "certificate_arn must be null or an ACM certificate ARN such as arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789."
  }
}

variable "web_placement" {
  type        = string
  description = "Where the web servers run: \"private\" (app subnets behind the ALB, Well-Architected default) or \"public\" (public subnets with public IPs, as originally requested). See modules/web/README.md for the trade-off."
  default     = "private"

  validation {
    condition     = contains(["private", "public"], var.web_placement)
    error_message = "web_placement must be \"private\" or \"public\"."
  }
}

variable "web_instance_type" {
  type        = string
  description = "Instance type of the web servers (t3, t3a; t4g needs an arm64 AMI)."
  default     = "t3.micro"

  validation {
    condition     = can(regex("^(t3|t3a)\\.(nano|micro|small|medium|large|xlarge|2xlarge)$", var.web_instance_type))
    error_message = "web_instance_type must be a t3 or t3a size such as t3.micro."
  }
}

variable "web_ami_id" {
  type        = string
  description = "Pin the web servers to this Amazon Linux 2023 AMI; null follows the latest AL2023 AMI (rolled out by instance refresh)."
  default     = null

  validation {
    condition     = var.web_ami_id == null || can(regex("^ami-[0-9a-f]{8,17}$", var.web_ami_id))
    error_message = "web_ami_id must be null or an AMI id such as ami-0123456789abcdef0."
  }
}

variable "web_min_size" {
  type        = number
  description = "Minimum number of web servers."
  default     = 1

  validation {
    condition     = var.web_min_size >= 1 && floor(var.web_min_size) == var.web_min_size
    error_message = "web_min_size must be a whole number of at least 1."
  }
}

variable "web_max_size" {
  type        = number
  description = "Maximum number of web servers."
  default     = 2

  validation {
    condition     = floor(var.web_max_size) == var.web_max_size && var.web_max_size >= var.web_min_size && var.web_max_size <= 20
    error_message = "web_max_size must be a whole number between web_min_size and 20, such as 2."
  }
}

variable "web_desired_capacity" {
  type        = number
  description = "Number of web servers at creation (min <= desired <= max)."
  default     = 1

  validation {
    condition     = floor(var.web_desired_capacity) == var.web_desired_capacity && var.web_desired_capacity >= var.web_min_size && var.web_desired_capacity <= var.web_max_size
    error_message = "web_desired_capacity must be a whole number with web_min_size <= web_desired_capacity <= web_max_size."
  }
}

variable "web_cpu_target_percent" {
  type        = number
  description = "Average CPU utilisation the web Auto Scaling Group is held at by target tracking (scales out above it)."
  default     = 70

  validation {
    condition     = var.web_cpu_target_percent >= 1 && var.web_cpu_target_percent <= 100
    error_message = "web_cpu_target_percent must be a percentage between 1 and 100, such as 70."
  }
}

variable "web_site_title" {
  type        = string
  description = "Title of the landing page the web servers show until the shop application is deployed."
  default     = "Shop"

  validation {
    condition     = can(regex("^[A-Za-z0-9 .,'&!-]{1,60}$", var.web_site_title))
    error_message = "web_site_title must be 1-60 letters, digits, spaces or . , ' & ! - characters."
  }
}

variable "web_app_artifact" {
  type        = string
  description = "The shop application: s3://bucket/key of its .tar.gz (see modules/web/README.md for the contract). Empty = landing page only."
  default     = ""

  validation {
    condition     = var.web_app_artifact == "" || can(regex("^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/[A-Za-z0-9!_.*'()/+=-]+\\.(tar\\.gz|tgz)$", var.web_app_artifact))
    error_message = "web_app_artifact must be empty or an S3 URL of a tarball such as s3://shop-artifacts/shop/1.4.2.tar.gz."
  }
}

variable "bastion_instance_type" {
  type        = string
  description = "Instance type of the bastion."
  default     = "t3.micro"

  validation {
    condition     = can(regex("^(t3|t3a)\\.(nano|micro|small|medium)$", var.bastion_instance_type))
    error_message = "bastion_instance_type must be a small burstable type such as t3.micro."
  }
}

variable "bastion_ami_id" {
  type        = string
  description = "Pin the bastion to this Amazon Linux 2023 AMI; null uses the latest AL2023 AMI (a newer one replaces the bastion; its Elastic IP stays)."
  default     = null

  validation {
    condition     = var.bastion_ami_id == null || can(regex("^ami-[0-9a-f]{8,17}$", var.bastion_ami_id))
    error_message = "bastion_ami_id must be null or an AMI id such as ami-0123456789abcdef0."
  }
}

variable "bastion_public_key" {
  type        = string
  description = "Operators' OpenSSH public key for the bastion (\"ssh-ed25519 AAAA... name\"). Empty = no SSH key; reach the database with Session Manager port forwarding."
  default     = ""

  validation {
    condition     = var.bastion_public_key == "" || can(regex("^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\\.com) [A-Za-z0-9+/]+={0,3}( [^\\r\\n]*)?$", var.bastion_public_key))
    error_message = "bastion_public_key must be empty or one OpenSSH public key line such as \"ssh-ed25519 AAAAC3Nza... alice@laptop\"."
  }
}
