variable "name" {
  type        = string
  description = "Resource name prefix, e.g. shop-dev. The role is named <name>-web."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name))
    error_message = "name must be 2-31 lowercase letters, digits or hyphens, starting with a letter, such as shop-dev."
  }
}
