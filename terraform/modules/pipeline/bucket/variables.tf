variable "name" {
  type        = string
  description = "Bucket name (global), such as shop-pipeline-artifacts-123456789012."
  nullable    = false

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.name))
    error_message = "name must be 3-63 lowercase letters, digits and hyphens, such as shop-pipeline-artifacts-123456789012."
  }
}

variable "kms_key_arn" {
  type        = string
  description = "ARN of the KMS key that encrypts every object (SSE-KMS with a bucket key)."
  nullable    = false
}

variable "expiration_days" {
  type        = number
  description = "Days after which objects (and old versions) expire."
  nullable    = false

  validation {
    condition     = var.expiration_days >= 1 && var.expiration_days <= 365
    error_message = "expiration_days must be between 1 and 365."
  }
}

variable "force_destroy" {
  type        = bool
  description = "Whether destroy may delete the bucket with objects in it."
  default     = false
  nullable    = false
}

variable "send_events_to_eventbridge" {
  type        = bool
  description = "Whether S3 sends this bucket's object events to EventBridge (the S3 source's trigger)."
  default     = false
  nullable    = false
}
