variable "project" {
  type        = string
  description = "Project name; names every pipeline resource <project>-pipeline-* and the pipeline itself <project>-delivery."
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,15}$", var.project))
    error_message = "project must be 2-16 characters of lowercase letters, digits and hyphens, starting with a letter, such as shop."
  }
}

variable "region" {
  type        = string
  description = "AWS region of the pipeline, its builds and the environments it deploys, such as eu-west-1."
  nullable    = false

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as eu-west-1."
  }
}

variable "environments" {
  type        = list(string)
  description = "Environments the pipeline deploys, in order, each a directory under environments_dir: every one gets Plan, Approve, Apply and Smoke stages, such as [\"dev\", \"prod\"] ([\"local\"] on the emulator)."
  default     = ["dev", "prod"]
  nullable    = false

  validation {
    condition     = length(var.environments) >= 1 && length(var.environments) <= 4 && length(distinct(var.environments)) == length(var.environments)
    error_message = "environments must list 1 to 4 distinct environment names in deployment order, such as [\"dev\", \"prod\"]."
  }

  validation {
    condition     = alltrue([for name in var.environments : can(regex("^[a-z][a-z0-9]{1,9}$", name))])
    error_message = "Each environment name must be 2-10 lowercase letters and digits, starting with a letter, such as dev or prod."
  }
}

variable "environments_dir" {
  type        = string
  description = "Directory of the environment roots inside the repository; the pipeline runs terraform in <environments_dir>/<environment>."
  default     = "terraform/environments"
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$", var.environments_dir)) && !strcontains(var.environments_dir, "..")
    error_message = "environments_dir must be a relative path inside the repository without .., such as terraform/environments."
  }
}

variable "buildspecs" {
  type = object({
    validate = optional(string, "buildspec.yml")
    plan     = optional(string, "buildspecs/plan.yml")
    apply    = optional(string, "buildspecs/apply.yml")
    smoke    = optional(string, "buildspecs/smoke.yml")
  })
  description = "Buildspec of each build project, relative to the repository root. The defaults are this repository's; another repository (or a test) brings its own."
  default     = {}
  nullable    = false

  validation {
    condition     = alltrue([for path in values(var.buildspecs) : can(regex("^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*\\.ya?ml$", path)) && !strcontains(path, "..")])
    error_message = "Each buildspec must be a relative .yml path inside the repository, such as buildspecs/plan.yml."
  }
}

variable "source_repository" {
  type = object({
    provider   = string
    repository = optional(string, "")
    branch     = optional(string, "main")
  })
  description = "Where the code comes from. provider = \"GitHub\": repository \"owner/name\" and branch through an AWS CodeConnections connection that this module creates (an administrator completes its one-time hand-shake in the console, see README). provider = \"S3\": a zip uploaded to the source bucket this module creates, key source.zip (the emulator, or teams without GitHub)."
  default     = { provider = "S3" }
  nullable    = false

  validation {
    condition     = contains(["GitHub", "S3"], var.source_repository.provider)
    error_message = "source_repository.provider must be \"GitHub\" or \"S3\"."
  }

  validation {
    condition     = var.source_repository.provider != "GitHub" || can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.source_repository.repository))
    error_message = "With provider = \"GitHub\", source_repository.repository must be owner/name, such as acme/shop-platform."
  }

  validation {
    condition     = length(var.source_repository.branch) > 0 && !strcontains(var.source_repository.branch, " ")
    error_message = "source_repository.branch must be a branch name such as main."
  }
}

variable "state_bucket_arn" {
  type        = string
  description = "ARN of the Terraform state bucket (terraform/bootstrap); the builds keep each environment's state under <environment>/terraform.tfstate in it."
  nullable    = false

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.state_bucket_arn))
    error_message = "state_bucket_arn must be an S3 bucket ARN such as arn:aws:s3:::shop-terraform-state-123456789012."
  }
}

variable "state_kms_key_arn" {
  type        = string
  description = "ARN of the KMS key of the state bucket; the builds write state with it (S3 backend kms_key_id)."
  nullable    = false

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]+$", var.state_kms_key_arn))
    error_message = "state_kms_key_arn must be a KMS key ARN such as arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab."
  }
}

variable "deploy_policy_arns" {
  type        = map(string)
  description = "Customer-managed policies the plan, apply and smoke builds get, by area: the deployer module's policies (its policy_arns output), so people and the pipeline hold the same permissions."
  nullable    = false

  validation {
    condition     = length(var.deploy_policy_arns) >= 1 && length(var.deploy_policy_arns) <= 8
    error_message = "deploy_policy_arns must map 1 to 8 areas to policy ARNs (a role holds at most 10 managed policies and the builds need 2 of their own)."
  }
}

variable "notification_emails" {
  type        = list(string)
  description = "Addresses that get approval requests and pipeline failures (each confirms the SNS subscription once). Empty: nobody is subscribed; subscribe later."
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for email in var.notification_emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", email))])
    error_message = "notification_emails must be e-mail addresses such as ops@example.com."
  }
}

variable "callback_url" {
  type        = string
  description = "HTTPS URL of the portal's CodePipeline callback (POST /api/pipeline/events); pipeline, stage and action state changes are sent there through an EventBridge API destination. Empty (default): no callback."
  default     = ""
  nullable    = false

  validation {
    condition     = var.callback_url == "" || can(regex("^https://[^\\s]+$", var.callback_url)) || can(regex("^http://(127\\.0\\.0\\.1|localhost)(:[0-9]+)?(/[^\\s]*)?$", var.callback_url))
    error_message = "callback_url must be empty or an https:// URL such as https://portal.example.com/api/pipeline/events (http:// only for 127.0.0.1 or localhost)."
  }
}

variable "callback_api_key" {
  type        = string
  description = "Shared secret the callback carries in its X-Pipeline-Callback-Key header; the portal checks it. Pass it as TF_VAR_callback_api_key, never in a committed file. Required with callback_url."
  default     = ""
  sensitive   = true
  nullable    = false

  validation {
    condition     = var.callback_api_key == "" || length(var.callback_api_key) >= 32
    error_message = "callback_api_key must be at least 32 characters (for example the output of: openssl rand -hex 32)."
  }
}

variable "plan_review_url" {
  type        = string
  description = "Base URL of the page where reviewers read a plan, such as the portal's https://portal.example.com; the approval request links to <this>/pipeline. Empty: the link points to the plan text in the artifacts bucket in the S3 console."
  default     = ""
  nullable    = false

  validation {
    condition     = var.plan_review_url == "" || can(regex("^https?://[^\\s]+$", var.plan_review_url))
    error_message = "plan_review_url must be empty or a URL such as https://portal.example.com."
  }
}

variable "terraform_version" {
  type        = string
  description = "Terraform release the builds download and verify (signature and SHA-256); must satisfy the roots' required_version (>= 1.11)."
  default     = "1.11.4"
  nullable    = false

  validation {
    condition     = can(regex("^1\\.(1[1-9]|[2-9][0-9])\\.[0-9]+$", var.terraform_version))
    error_message = "terraform_version must be a release such as 1.11.4 (1.11 or later: the roots require >= 1.11)."
  }
}

variable "build_image" {
  type        = string
  description = "CodeBuild image of every build project."
  default     = "aws/codebuild/amazonlinux-x86_64-standard:5.0"
  nullable    = false
}

variable "build_timeout_minutes" {
  type        = number
  description = "Minutes after which a build is stopped (apply of a new environment with a database takes about 20)."
  default     = 60
  nullable    = false

  validation {
    condition     = var.build_timeout_minutes >= 5 && var.build_timeout_minutes <= 480
    error_message = "build_timeout_minutes must be between 5 and 480 (CodeBuild's limits)."
  }
}

variable "log_retention_days" {
  type        = number
  description = "Days the build logs are kept in CloudWatch Logs."
  default     = 7
  nullable    = false

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365], var.log_retention_days)
    error_message = "log_retention_days must be one of CloudWatch's values: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180 or 365."
  }
}

variable "artifact_expiration_days" {
  type        = number
  description = "Days after which pipeline artifacts (source zips, saved plans) expire from the artifacts bucket."
  default     = 30
  nullable    = false

  validation {
    condition     = var.artifact_expiration_days >= 1 && var.artifact_expiration_days <= 365
    error_message = "artifact_expiration_days must be between 1 and 365."
  }
}

variable "force_destroy" {
  type        = bool
  description = "Whether destroy may delete the artifacts and source buckets with objects in them (true only on the emulator or a throw-away account)."
  default     = false
  nullable    = false
}

variable "aws_endpoint" {
  type        = string
  description = "URL of the local AWS emulator the builds talk to, such as http://127.0.0.1:5000 (make pipeline); empty (default) on AWS."
  default     = ""
  nullable    = false

  validation {
    condition     = var.aws_endpoint == "" || can(regex("^https?://[A-Za-z0-9.\\-]+(:[0-9]{1,5})?/?$", var.aws_endpoint))
    error_message = "aws_endpoint must be empty or the emulator's URL, such as http://127.0.0.1:5000."
  }
}
