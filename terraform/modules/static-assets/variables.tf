variable "name" {
  type        = string
  description = "Resource name prefix, e.g. shop-dev. The default bucket name is <name>-static-assets-<account id>."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name))
    error_message = "name must be 2-31 characters of lowercase letters, digits and hyphens, starting with a letter, such as shop-dev."
  }
}

variable "bucket_name" {
  type        = string
  description = "Exact bucket name, to override the default <name>-static-assets-<account id>. S3 names are global."
  default     = null

  validation {
    condition     = var.bucket_name == null || (can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.bucket_name)) && !can(regex("^xn--|-s3alias$|--ol-s3$", var.bucket_name)))
    error_message = "bucket_name must be 3-63 lowercase letters, digits and hyphens, starting and ending with a letter or digit (no dots, so TLS wildcard certificates match), such as shop-prod-assets."
  }
}

variable "kms_key_arn" {
  type        = string
  description = "ARN of the platform KMS key for SSE-KMS. Readers (the web role) need kms:Decrypt on it."

  validation {
    condition     = can(regex("^arn:aws[a-zA-Z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN such as arn:aws:kms:eu-west-1:123456789012:key/1234abcd-...."
  }
}

variable "assets_dir" {
  type        = string
  description = "Directory whose files (recursively) are uploaded to the bucket root with their relative paths as keys; null uploads nothing (a deploy pipeline fills the bucket)."
  default     = null

  validation {
    condition     = var.assets_dir == null || try(length(fileset(var.assets_dir, "**")) > 0, false)
    error_message = "assets_dir must be a directory containing at least one file, such as ../../../assets/static, or null."
  }
}

variable "noncurrent_version_expiration_days" {
  type        = number
  description = "Days an overwritten or deleted asset version is kept (for rollback) before it expires."
  default     = 30
  nullable    = false

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1 && var.noncurrent_version_expiration_days <= 3650 && floor(var.noncurrent_version_expiration_days) == var.noncurrent_version_expiration_days
    error_message = "noncurrent_version_expiration_days must be a whole number of days from 1 to 3650, e.g. 30."
  }
}

variable "force_destroy" {
  type        = bool
  description = "Let terraform destroy delete the bucket with its objects and versions. The platform turns it on only outside production."
  default     = false
}
