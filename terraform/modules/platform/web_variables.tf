# Inputs of the web area (web.tf). Every field is optional and has no default here:
# an unset field reaches the leaf module as null and the leaf module applies its own
# default and validation, so each lives in one place.

variable "load_balancer" {
  type = object({
    certificate_arn   = optional(string)
    health_check_path = optional(string)
  })
  description = <<-EOT
    Application Load Balancer (modules/load-balancer); unset fields keep that module's
    defaults.
    certificate_arn: ACM certificate in the platform's region for HTTPS; HTTP then
    redirects to HTTPS (null: plain HTTP, for no domain yet or the local emulator).
    health_check_path: path the target group probes and nginx answers ("/healthz").
  EOT
  default     = {}
  nullable    = false
}

variable "web" {
  type = object({
    placement          = optional(string)
    instance_type      = optional(string)
    ami_ssm_parameter  = optional(string)
    ami_id             = optional(string)
    min_size           = optional(number)
    max_size           = optional(number)
    desired_capacity   = optional(number)
    cpu_target_percent = optional(number)
    site_title         = optional(string)
    app_artifact       = optional(string)
  })
  description = <<-EOT
    Web servers (modules/web); unset fields keep that module's defaults.
    placement: "private" (app subnets behind the ALB) or "public" (public subnets with
    public IPs); also sets the network ACLs ("private").
    instance_type: t3, t3a or t4g size ("t3.micro"; t4g needs an arm64
    ami_ssm_parameter). ami_ssm_parameter: AL2023 public parameter of the AMI.
    ami_id: pin an AMI (null follows the parameter).
    min_size (1), max_size (2, at most 20), desired_capacity (1).
    cpu_target_percent: CPU the group is held at by target tracking (70).
    site_title: landing page title ("Shop").
    app_artifact: s3://bucket/key.tar.gz of the shop application ("" = landing page only).
  EOT
  default     = {}
  nullable    = false
}

variable "bastion" {
  type = object({
    instance_type = optional(string)
    ami_id        = optional(string)
    public_key    = optional(string)
  })
  description = <<-EOT
    Bastion host (modules/bastion); unset fields keep that module's defaults.
    instance_type: t3/t3a nano to medium ("t3.micro").
    ami_id: pin an AMI (null: the latest Amazon Linux 2023).
    public_key: operators' OpenSSH public key line ("" = no SSH key; use Session Manager).
  EOT
  default     = {}
  nullable    = false
}
