variable "name" {
  type        = string
  description = "Resource name prefix, e.g. shop-dev. The table is named <name>-sessions."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name))
    error_message = "name must be 2-31 characters of lowercase letters, digits and hyphens, starting with a letter, such as shop-dev."
  }
}

variable "kms_key_arn" {
  type        = string
  description = "ARN of the platform KMS key that encrypts the table, its backups and streams."

  validation {
    condition     = can(regex("^arn:aws[a-zA-Z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN such as arn:aws:kms:eu-west-1:123456789012:key/1234abcd-...."
  }
}

variable "ttl_attribute" {
  type        = string
  description = "Item attribute holding the session's expiry time in epoch seconds; DynamoDB deletes items after it."
  default     = "expires_at"

  validation {
    condition     = can(regex("^[A-Za-z_][A-Za-z0-9_.-]{0,254}$", var.ttl_attribute)) && var.ttl_attribute != "session_id"
    error_message = "ttl_attribute must be an attribute name such as expires_at (letters, digits, _ . -), other than the key session_id."
  }
}

variable "deletion_protection" {
  type        = bool
  description = "Refuse DeleteTable on the table. The platform sets it from var.production."
  default     = true
}
