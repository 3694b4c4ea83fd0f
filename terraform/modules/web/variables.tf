# The web tier's interface: 39 typed, described and validated inputs (instances, scaling,
# health checks, logs, storage). Kept in one file, longer than most, so the interface reads
# in one place; defaults and validation live only here (the platform passes values as-is).

variable "name" {
  type        = string
  description = "Resource name prefix, e.g. shop-dev. Resources are named <name>-web..."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name))
    error_message = "name must be 2-31 lowercase letters, digits or hyphens, starting with a letter, such as shop-dev."
  }
}

variable "region" {
  type        = string
  description = "AWS region the web servers run in (written into their environment and used in KMS conditions)."

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as eu-west-1."
  }
}

# ---------------------------------------------------------------------------------
# Placement
# ---------------------------------------------------------------------------------

variable "placement" {
  type        = string
  description = "Where the web servers run: \"private\" (default; app subnets, no public IPs, reachable only through the ALB, outbound through NAT) or \"public\" (public subnets with public IPs, as originally requested; no NAT traffic but every instance is internet-addressable)."
  default     = "private"
  nullable    = false

  validation {
    condition     = contains(["private", "public"], var.placement)
    error_message = "placement must be \"private\" or \"public\"."
  }
}

variable "private_subnet_ids" {
  type        = list(string)
  description = "Private app subnets (one per availability zone) used when placement = \"private\"."

  validation {
    condition     = alltrue([for s in var.private_subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))])
    error_message = "private_subnet_ids must be subnet ids such as subnet-0123456789abcdef0."
  }

  validation {
    condition     = var.placement != "private" || length(var.private_subnet_ids) > 0
    error_message = "private_subnet_ids must list at least one subnet when placement = \"private\"."
  }
}

variable "public_subnet_ids" {
  type        = list(string)
  description = "Public subnets (one per availability zone) used when placement = \"public\"."
  default     = []

  validation {
    condition     = alltrue([for s in var.public_subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))])
    error_message = "public_subnet_ids must be subnet ids such as subnet-0123456789abcdef0."
  }

  validation {
    condition     = var.placement != "public" || length(var.public_subnet_ids) > 0
    error_message = "public_subnet_ids must list at least one subnet when placement = \"public\"."
  }
}

variable "security_group_id" {
  type        = string
  description = "Security group of the web servers (HTTP from the ALB only)."

  validation {
    condition     = can(regex("^sg-[0-9a-f]{8,17}$", var.security_group_id))
    error_message = "security_group_id must be a security group id such as sg-0123456789abcdef0."
  }
}

variable "target_group_arn" {
  type        = string
  description = "ALB target group the Auto Scaling Group registers its instances in."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:[0-9]{12}:targetgroup/.+$", var.target_group_arn))
    error_message = "target_group_arn must be an ELBv2 target group ARN such as arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/shop-web/0123456789abcdef."
  }
}

variable "health_check_path" {
  type        = string
  description = "Path the load balancer probes (the load-balancer module's health_check_path output); nginx answers it itself, so a slow or absent application never takes the fleet out of service."

  validation {
    condition     = can(regex("^/[A-Za-z0-9._~/-]*$", var.health_check_path))
    error_message = "health_check_path must be an absolute URL path such as /healthz."
  }
}

variable "instance_role_name" {
  type        = string
  description = "Name of the IAM role the web servers run as (the web-role module's name output). This module attaches the servers' permissions and the instance profile to it."

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.instance_role_name))
    error_message = "instance_role_name must be an IAM role name such as shop-dev-web."
  }
}

# ---------------------------------------------------------------------------------
# Instances
# ---------------------------------------------------------------------------------

variable "instance_type" {
  type        = string
  description = "EC2 instance type of the web servers. Burstable families only (t3, t3a, t4g): the web tier idles most of the time and scales out on CPU."
  default     = "t3.micro"
  nullable    = false

  validation {
    condition     = can(regex("^(t3|t3a|t4g)\\.(nano|micro|small|medium|large|xlarge|2xlarge)$", var.instance_type))
    error_message = "instance_type must be a t3, t3a or t4g size such as t3.micro."
  }

  validation {
    # t4g is Graviton (arm64): the AMI must match the CPU architecture.
    condition     = var.ami_id != null || (startswith(var.instance_type, "t4g.") == strcontains(var.ami_ssm_parameter, "arm64"))
    error_message = "instance_type and ami_ssm_parameter disagree on CPU architecture: t4g needs an arm64 AMI parameter (e.g. /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64), t3/t3a an x86_64 one."
  }
}

variable "cpu_credits" {
  type        = string
  description = "Burstable CPU credit mode. \"unlimited\" (default) lets a busy instance exceed its baseline so CPU can actually reach the scaling target; \"standard\" caps cost but throttles at the baseline (10 % on t3.micro), which would hide load from the scaling policy."
  default     = "unlimited"

  validation {
    condition     = contains(["standard", "unlimited"], var.cpu_credits)
    error_message = "cpu_credits must be \"standard\" or \"unlimited\"."
  }
}

variable "ami_ssm_parameter" {
  type        = string
  description = "Public SSM parameter holding the AMI id to launch (latest Amazon Linux 2023). A new AMI shows up as a launch template change in the next plan and rolls out through the instance refresh."
  default     = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
  nullable    = false

  validation {
    condition     = can(regex("^/aws/service/ami-amazon-linux-latest/al2023-ami-", var.ami_ssm_parameter))
    error_message = "ami_ssm_parameter must be an Amazon Linux 2023 public parameter such as /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64 (the user data is written for AL2023)."
  }
}

variable "ami_id" {
  type        = string
  description = "Explicit AMI id (an Amazon Linux 2023 derivative) that overrides ami_ssm_parameter, e.g. to pin a version. null = use the parameter."
  default     = null

  validation {
    condition     = var.ami_id == null || can(regex("^ami-[0-9a-f]{8,17}$", var.ami_id))
    error_message = "ami_id must be null or an AMI id such as ami-0123456789abcdef0."
  }
}

variable "key_name" {
  type        = string
  description = "EC2 key pair for SSH. null (default) = no key: operators use SSM Session Manager, and port 22 is not open on the web servers anyway."
  default     = null

  validation {
    condition     = var.key_name == null || can(regex("^[A-Za-z0-9 ._-]{1,255}$", var.key_name))
    error_message = "key_name must be null or an existing EC2 key pair name."
  }
}

variable "root_volume_size" {
  type        = number
  description = "Size of the encrypted gp3 root volume in GiB (Amazon Linux 2023 needs at least 8)."
  default     = 8

  validation {
    condition     = var.root_volume_size >= 8 && var.root_volume_size <= 100 && floor(var.root_volume_size) == var.root_volume_size
    error_message = "root_volume_size must be a whole number of GiB between 8 and 100, such as 8."
  }
}

variable "ebs_kms_key_arn" {
  type        = string
  description = "Customer managed KMS key for the root volumes. null (default) = the AWS managed aws/ebs key. A customer key works only if its key policy lets the Auto Scaling service-linked role (AWSServiceRoleForAutoScaling) use it and create grants; otherwise instances fail to launch."
  default     = null

  validation {
    condition     = var.ebs_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]+$", var.ebs_kms_key_arn))
    error_message = "ebs_kms_key_arn must be null or a KMS key ARN such as arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-4e5f-6789-abcd-ef0123456789."
  }
}

# ---------------------------------------------------------------------------------
# Auto Scaling
# ---------------------------------------------------------------------------------

variable "min_size" {
  type        = number
  description = "Minimum number of web servers."
  default     = 1
  nullable    = false

  validation {
    condition     = var.min_size >= 1 && floor(var.min_size) == var.min_size
    error_message = "min_size must be a whole number of at least 1 (the shop always needs one server)."
  }
}

variable "max_size" {
  type        = number
  description = "Maximum number of web servers the CPU target tracking may scale out to."
  default     = 2
  nullable    = false

  validation {
    condition     = floor(var.max_size) == var.max_size && var.max_size >= var.min_size && var.max_size <= 20
    error_message = "max_size must be a whole number between min_size and 20, such as 2."
  }
}

variable "desired_capacity" {
  type        = number
  description = "Number of web servers at creation (scaling then moves it between min_size and max_size)."
  default     = 1
  nullable    = false

  validation {
    condition     = floor(var.desired_capacity) == var.desired_capacity && var.desired_capacity >= var.min_size && var.desired_capacity <= var.max_size
    error_message = "desired_capacity must be a whole number with min_size <= desired_capacity <= max_size."
  }
}

variable "cpu_target_percent" {
  type        = number
  description = "Average CPU utilisation of the group (ASGAverageCPUUtilization) that target tracking holds: above it the group scales out, well below it scales in."
  default     = 70
  nullable    = false

  validation {
    condition     = var.cpu_target_percent >= 1 && var.cpu_target_percent <= 100
    error_message = "cpu_target_percent must be a percentage between 1 and 100, such as 70."
  }
}

variable "health_check_grace_period" {
  type        = number
  description = "Seconds after launch before failed ELB health checks count (covers the first-boot bootstrap: packages, EFS mount, nginx)."
  default     = 300

  validation {
    condition     = var.health_check_grace_period >= 0 && var.health_check_grace_period <= 7200
    error_message = "health_check_grace_period must be between 0 and 7200 seconds, such as 300."
  }
}

variable "instance_warmup" {
  type        = number
  description = "Seconds a new instance is given before its metrics count toward scaling and before an instance refresh moves on."
  default     = 300

  validation {
    condition     = var.instance_warmup >= 0 && var.instance_warmup <= 3600
    error_message = "instance_warmup must be between 0 and 3600 seconds, such as 300."
  }
}

# ---------------------------------------------------------------------------------
# What the web servers use (data tier, encryption, logs)
# ---------------------------------------------------------------------------------

variable "kms_key_arn" {
  type        = string
  description = "Platform KMS key: encrypts the web log groups; the instances may decrypt with it only through Secrets Manager and S3."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN such as arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-4e5f-6789-abcd-ef0123456789."
  }
}

variable "log_retention_days" {
  type        = number
  description = "Retention of the web log groups in days."
  default     = 7
  nullable    = false

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653."
  }
}

variable "db_address" {
  type        = string
  description = "Hostname of the PostgreSQL database (written into the application's environment)."

  validation {
    condition     = length(var.db_address) > 0
    error_message = "db_address must be the database hostname."
  }
}

variable "db_port" {
  type        = number
  description = "Port of the PostgreSQL database."
  default     = 5432

  validation {
    condition     = var.db_port >= 1 && var.db_port <= 65535
    error_message = "db_port must be between 1 and 65535, such as 5432."
  }
}

variable "db_name" {
  type        = string
  description = "Name of the application database."

  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9_]{0,62}$", var.db_name))
    error_message = "db_name must be a PostgreSQL identifier such as shop."
  }
}

variable "db_secret_arn" {
  type        = string
  description = "Secrets Manager secret with the database credentials (RDS-managed master secret). Only its ARN reaches the instances; the application reads the value at run time."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$", var.db_secret_arn))
    error_message = "db_secret_arn must be a Secrets Manager secret ARN such as arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-0123-AbCdEf."
  }
}

variable "session_table_name" {
  type        = string
  description = "DynamoDB table holding the shop's sessions."

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", var.session_table_name))
    error_message = "session_table_name must be a DynamoDB table name (3-255 letters, digits, _ . -)."
  }
}

variable "session_table_arn" {
  type        = string
  description = "ARN of the session table (the instance role may read and write items there and nowhere else)."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:[0-9]{12}:table/.+$", var.session_table_arn))
    error_message = "session_table_arn must be a DynamoDB table ARN such as arn:aws:dynamodb:eu-west-1:123456789012:table/shop-dev-sessions."
  }
}

variable "assets_bucket_name" {
  type        = string
  description = "S3 bucket of static website assets, synced to every web server."

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.assets_bucket_name))
    error_message = "assets_bucket_name must be an S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)."
  }
}

variable "assets_bucket_arn" {
  type        = string
  description = "ARN of the static assets bucket (read-only for the instances)."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.assets_bucket_arn))
    error_message = "assets_bucket_arn must be an S3 bucket ARN such as arn:aws:s3:::shop-dev-assets."
  }
}

variable "efs_file_system_id" {
  type        = string
  description = "EFS file system holding the product images."

  validation {
    condition     = can(regex("^fs-[0-9a-f]{8,17}$", var.efs_file_system_id))
    error_message = "efs_file_system_id must be an EFS file system id such as fs-0123456789abcdef0."
  }
}

variable "efs_file_system_arn" {
  type        = string
  description = "ARN of the product images file system (IAM authorisation of the mount)."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:elasticfilesystem:[a-z0-9-]+:[0-9]{12}:file-system/fs-[0-9a-f]+$", var.efs_file_system_arn))
    error_message = "efs_file_system_arn must be an EFS file system ARN such as arn:aws:elasticfilesystem:eu-west-1:123456789012:file-system/fs-0123456789abcdef0."
  }
}

variable "efs_access_point_id" {
  type        = string
  description = "EFS access point the web servers mount through (it pins the POSIX user and root directory)."

  validation {
    condition     = can(regex("^fsap-[0-9a-f]{8,17}$", var.efs_access_point_id))
    error_message = "efs_access_point_id must be an EFS access point id such as fsap-0123456789abcdef0."
  }
}

variable "efs_access_point_arn" {
  type        = string
  description = "ARN of the EFS access point; the instance role may mount and write only through it."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:elasticfilesystem:[a-z0-9-]+:[0-9]{12}:access-point/fsap-[0-9a-f]+$", var.efs_access_point_arn))
    error_message = "efs_access_point_arn must be an EFS access point ARN such as arn:aws:elasticfilesystem:eu-west-1:123456789012:access-point/fsap-0123456789abcdef0."
  }
}

# ---------------------------------------------------------------------------------
# Content and the customer's application slot
# ---------------------------------------------------------------------------------

variable "site_title" {
  type        = string
  description = "Title shown on the landing page served while no application is deployed."
  default     = "Shop"
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9 .,'&!-]{1,60}$", var.site_title))
    error_message = "site_title must be 1-60 letters, digits, spaces or . , ' & ! - characters."
  }
}

variable "app_artifact" {
  type        = string
  description = "The customer's shop application: s3://bucket/key of a .tar.gz with an executable ./start that listens on 127.0.0.1:<app_port>. Empty (default) = no application; nginx serves the landing page. Use a new key per release: the servers redeploy when this value changes."
  default     = ""
  nullable    = false

  validation {
    condition     = var.app_artifact == "" || can(regex("^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/[A-Za-z0-9!_.*'()/+=-]+\\.(tar\\.gz|tgz)$", var.app_artifact))
    error_message = "app_artifact must be empty or an S3 URL of a tarball such as s3://shop-artifacts/shop/1.4.2.tar.gz."
  }
}

variable "app_port" {
  type        = number
  description = "Loopback port the application listens on; nginx proxies to it."
  default     = 8080

  validation {
    condition     = var.app_port >= 1024 && var.app_port <= 65535 && var.app_port != 80
    error_message = "app_port must be an unprivileged port between 1024 and 65535, such as 8080."
  }
}
