variable "project" {
  type        = string
  description = "Project name, the first part of every platform resource name (<project>-<environment>-...) and the value of the Project tag the policies require. Names the group <project>-deployers and the policies <project>-deployer-<area>."
  default     = "shop"
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,15}$", var.project))
    error_message = "project must be 2-16 characters of lowercase letters, digits and hyphens, starting with a letter, such as shop."
  }
}

variable "environments" {
  type        = list(string)
  description = "Environments the deployer may plan and apply, such as [\"dev\", \"prod\"]. Every grant is scoped to <project>-<environment>-* names, Environment tags with these values and <environment>/ state keys. At most 4 keep each policy under AWS's 6,144-character limit."

  validation {
    condition     = length(var.environments) >= 1 && length(var.environments) <= 4
    error_message = "environments needs 1 to 4 environment names, such as [\"dev\", \"prod\"]: a deployer for no environment is useless, and more than 4 would push the policies past AWS's 6,144-character limit (use a second deployer)."
  }

  validation {
    condition     = alltrue([for env in var.environments : can(regex("^[a-z][a-z0-9]{1,9}$", env))])
    error_message = "each environment must be 2-10 lowercase letters or digits, starting with a letter, such as dev or prod (the platform module's rule)."
  }

  validation {
    condition     = length(distinct(var.environments)) == length(var.environments)
    error_message = "environments must not repeat a name."
  }
}

variable "user_name" {
  type        = string
  description = "Name of the IAM user for interactive deployments, such as shop-deployer. Terraform creates no access key for it (see README)."

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.user_name))
    error_message = "user_name must be 1-64 letters, digits or + = , . @ _ - (IAM's rule), such as shop-deployer."
  }
}

variable "region" {
  type        = string
  description = "AWS region the environments deploy to; regional ARNs in the policies name it, and the read-only statements on \"*\" are limited to it (aws:RequestedRegion)."

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as eu-west-1."
  }
}

variable "state_bucket_arn" {
  type        = string
  description = "ARN of the Terraform state bucket made by terraform/bootstrap, such as arn:aws:s3:::shop-terraform-state-123456789012. The deployer may read and write <environment>/* keys in it, lock files (*.tflock) included."

  validation {
    condition     = can(regex("^arn:aws(-cn|-us-gov)?:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.state_bucket_arn))
    error_message = "state_bucket_arn must be an S3 bucket ARN such as arn:aws:s3:::shop-terraform-state-123456789012 (no key, no trailing slash)."
  }
}

variable "state_kms_key_arn" {
  type        = string
  description = "ARN of the KMS key that encrypts the state bucket (terraform/bootstrap's state_kms_key_arn output); the deployer may encrypt and decrypt with it."

  validation {
    condition     = can(regex("^arn:aws(-cn|-us-gov)?:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", var.state_kms_key_arn))
    error_message = "state_kms_key_arn must be a KMS key ARN such as arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab (not an alias)."
  }
}
