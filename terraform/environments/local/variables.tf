variable "aws_endpoint" {
  type        = string
  description = "URL of the local AWS emulator, e.g. http://127.0.0.1:5000 (make demo sets it)."

  validation {
    condition     = can(regex("^https?://[A-Za-z0-9.\\-]+(:[0-9]{1,5})?/?$", var.aws_endpoint))
    error_message = "aws_endpoint must be the emulator's URL, such as http://127.0.0.1:5000."
  }
}

variable "region" {
  type        = string
  description = "AWS region the emulator pretends to be."
  default     = "eu-west-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as eu-west-1."
  }
}
