variable "region" {
  type        = string
  description = "AWS region of the state bucket (use the region the environments deploy to)."
  default     = "eu-west-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as eu-west-1."
  }
}

variable "project" {
  type        = string
  description = "Project name; the bucket is named <project>-terraform-state-<account id>."
  default     = "shop"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,15}$", var.project))
    error_message = "project must be 2-16 characters of lowercase letters, digits and hyphens, starting with a letter, such as shop."
  }
}

variable "state_version_retention_days" {
  type        = number
  description = "Days an overwritten state version is kept before it expires (recovery window)."
  default     = 90

  validation {
    condition     = var.state_version_retention_days >= 7 && var.state_version_retention_days <= 3650
    error_message = "state_version_retention_days must be between 7 and 3650."
  }
}

variable "deployer_user_name" {
  type        = string
  description = "Name of the deployer IAM user; empty (default) names it <project>-deployer."
  default     = ""
  nullable    = false

  validation {
    condition     = var.deployer_user_name == "" || can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.deployer_user_name))
    error_message = "deployer_user_name must be empty or 1-64 letters, digits or + = , . @ _ - (IAM's rule), such as shop-deployer."
  }
}

variable "environments" {
  type        = list(string)
  description = "Environments the deployer may plan and apply and the pipeline deploys, in deployment order, such as [\"dev\", \"prod\"] ([\"local\"] on the emulator). Validated by the deployer and pipeline modules: 1 to 4 names."
  default     = ["dev", "prod"]
  nullable    = false
}

variable "pipeline_source" {
  type = object({
    provider   = string
    repository = optional(string, "")
    branch     = optional(string, "main")
  })
  description = "The pipeline's source: { provider = \"GitHub\", repository = \"owner/name\", branch = \"main\" } through AWS CodeConnections (hand-shake once in the console), or { provider = \"S3\" }: a source.zip uploaded to the pipeline's source bucket (the emulator, teams without GitHub)."
  default     = { provider = "S3" }
  nullable    = false
}

variable "pipeline_environments_dir" {
  type        = string
  description = "Directory of the environment roots in the repository the pipeline deploys (terraform/environments here)."
  default     = "terraform/environments"
  nullable    = false
}

variable "pipeline_buildspecs" {
  type = object({
    validate = optional(string, "buildspec.yml")
    plan     = optional(string, "buildspecs/plan.yml")
    apply    = optional(string, "buildspecs/apply.yml")
    smoke    = optional(string, "buildspecs/smoke.yml")
  })
  description = "Buildspec of each build project, relative to the repository root; the defaults are this repository's."
  default     = {}
  nullable    = false
}

variable "notification_emails" {
  type        = list(string)
  description = "Addresses that get the pipeline's approval requests and failures, such as [\"ops@example.com\"]."
  default     = []
  nullable    = false
}

variable "portal_url" {
  type        = string
  description = "Base URL of the self-service portal, such as https://portal.example.com: approval requests link to its pipeline page, and with portal_callback_api_key set the pipeline's state changes are sent to <portal_url>/api/pipeline/events. Empty (default): neither."
  default     = ""
  nullable    = false

  validation {
    condition     = var.portal_url == "" || can(regex("^https://[^\\s/]+(/[^\\s]*)?$", var.portal_url)) || can(regex("^http://(127\\.0\\.0\\.1|localhost)(:[0-9]+)?/?$", var.portal_url))
    error_message = "portal_url must be empty or an https:// URL such as https://portal.example.com (http:// only for 127.0.0.1 or localhost)."
  }
}

variable "portal_callback_api_key" {
  type        = string
  description = "Shared secret of the portal's pipeline callback (the portal's PORTAL_PIPELINE_CALLBACK_KEY); pass it as TF_VAR_portal_callback_api_key. Empty: no callback."
  default     = ""
  sensitive   = true
  nullable    = false
}

variable "aws_endpoint" {
  type        = string
  description = "URL of the local AWS emulator, such as http://127.0.0.1:5000; empty (default) talks to AWS. Set, the provider sends every call there with fake credentials (as terraform/environments/local does)."
  default     = ""
  nullable    = false

  validation {
    condition     = var.aws_endpoint == "" || can(regex("^https?://[A-Za-z0-9.\\-]+(:[0-9]{1,5})?/?$", var.aws_endpoint))
    error_message = "aws_endpoint must be empty or the emulator's URL, such as http://127.0.0.1:5000."
  }
}
