mock_provider "aws" {
  # Data sources come from the shared mocks (terraform/tests/mocks; the path is
  # relative to the module directory); only this module's own values are below.
  source = "../../tests/mocks"

  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/shop-test/web/x" }
  }
  mock_resource "aws_ssm_parameter" {
    defaults = { arn = "arn:aws:ssm:eu-west-1:123456789012:parameter/shop-test/web/x" }
  }
}

variables {
  name                 = "shop-test"
  region               = "eu-west-1"
  private_subnet_ids   = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"]
  public_subnet_ids    = ["subnet-0bbbbbbbbbbbbbbb1", "subnet-0bbbbbbbbbbbbbbb2"]
  security_group_id    = "sg-0123456789abcdef0"
  target_group_arn     = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/shop-test-web/0123456789abcdef"
  health_check_path    = "/healthz"
  instance_role_name   = "shop-test-web"
  kms_key_arn          = "arn:aws:kms:eu-west-1:123456789012:key/0a1b2c3d-4e5f-6789-abcd-ef0123456789"
  db_address           = "shop-test.abcdefghijkl.eu-west-1.rds.amazonaws.com"
  db_name              = "shop"
  db_secret_arn        = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-0123-AbCdEf"
  session_table_name   = "shop-test-sessions"
  session_table_arn    = "arn:aws:dynamodb:eu-west-1:123456789012:table/shop-test-sessions"
  assets_bucket_name   = "shop-test-assets"
  assets_bucket_arn    = "arn:aws:s3:::shop-test-assets"
  efs_file_system_id   = "fs-0123456789abcdef0"
  efs_file_system_arn  = "arn:aws:elasticfilesystem:eu-west-1:123456789012:file-system/fs-0123456789abcdef0"
  efs_access_point_id  = "fsap-0123456789abcdef0"
  efs_access_point_arn = "arn:aws:elasticfilesystem:eu-west-1:123456789012:access-point/fsap-0123456789abcdef0"
}

run "launch_template_is_t3_micro_with_detailed_monitoring_and_imdsv2" {
  command = plan

  assert {
    condition     = aws_launch_template.web.instance_type == "t3.micro"
    error_message = "Web servers must be t3.micro by default."
  }
  assert {
    condition     = aws_launch_template.web.monitoring[0].enabled == true
    error_message = "Detailed monitoring must be on."
  }
  assert {
    condition     = aws_launch_template.web.metadata_options[0].http_tokens == "required" && aws_launch_template.web.metadata_options[0].http_put_response_hop_limit == 1
    error_message = "IMDSv2 must be required with hop limit 1."
  }
  assert {
    condition     = aws_launch_template.web.block_device_mappings[0].ebs[0].encrypted == "true" && aws_launch_template.web.block_device_mappings[0].ebs[0].volume_type == "gp3"
    error_message = "The root volume must be encrypted gp3."
  }
  assert {
    condition     = aws_launch_template.web.key_name == null
    error_message = "No SSH key pair by default."
  }
  assert {
    condition     = aws_launch_template.web.image_id == "ami-0123456789abcdef0" && length(data.aws_ssm_parameter.ami) == 1
    error_message = "The AMI must come from the Amazon Linux 2023 SSM parameter by default."
  }
}

run "user_data_mounts_efs_with_tls_serves_health_and_starts_agent" {
  command = plan

  assert {
    condition     = strcontains(base64decode(aws_launch_template.web.user_data), "efs _netdev,noresvport,tls,iam,accesspoint=fsap-0123456789abcdef0")
    error_message = "EFS must be mounted over TLS with IAM through the access point."
  }
  assert {
    condition     = strcontains(base64decode(aws_launch_template.web.user_data), "location = /healthz")
    error_message = "nginx must answer the /healthz health check itself."
  }
  assert {
    condition     = strcontains(base64decode(aws_launch_template.web.user_data), "-c \"ssm:/shop-test/web/cloudwatch-agent-config\"")
    error_message = "The CloudWatch agent must load its configuration from the module's SSM parameter."
  }
  assert {
    condition     = strcontains(base64decode(aws_launch_template.web.user_data), "DB_SECRET_ARN=arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-0123-AbCdEf")
    error_message = "The application environment must carry the DB secret ARN."
  }
}

run "asg_bounds_health_checks_and_zero_downtime_refresh" {
  command = plan

  assert {
    condition     = aws_autoscaling_group.web.min_size == 1 && aws_autoscaling_group.web.max_size == 2 && aws_autoscaling_group.web.desired_capacity == 1
    error_message = "The group must default to min 1, max 2, desired 1."
  }
  assert {
    condition     = aws_autoscaling_group.web.health_check_type == "ELB" && aws_autoscaling_group.web.health_check_grace_period == 300
    error_message = "The group must use ELB health checks with a grace period."
  }
  assert {
    condition     = toset(aws_autoscaling_group.web.target_group_arns) == toset([var.target_group_arn])
    error_message = "The group must register its instances in the target group."
  }
  assert {
    condition = (
      aws_autoscaling_group.web.instance_refresh[0].strategy == "Rolling" &&
      aws_autoscaling_group.web.instance_refresh[0].preferences[0].min_healthy_percentage == 100 &&
      aws_autoscaling_group.web.instance_refresh[0].preferences[0].max_healthy_percentage == 200
    )
    error_message = "The instance refresh must launch before terminating (min healthy 100 %, max 200 %)."
  }
  assert {
    condition     = aws_autoscaling_group.web.default_instance_warmup == 300
    error_message = "An instance warm-up must be set."
  }
  assert {
    condition     = contains(aws_autoscaling_group.web.enabled_metrics, "GroupInServiceInstances")
    error_message = "Group metrics must be enabled for the dashboard."
  }
}

run "scales_on_average_cpu_at_70_percent" {
  command = plan

  assert {
    condition     = aws_autoscaling_policy.cpu_target.policy_type == "TargetTrackingScaling"
    error_message = "Scaling must be target tracking."
  }
  assert {
    condition     = aws_autoscaling_policy.cpu_target.target_tracking_configuration[0].predefined_metric_specification[0].predefined_metric_type == "ASGAverageCPUUtilization"
    error_message = "Scaling must track the group's average CPU."
  }
  assert {
    condition     = aws_autoscaling_policy.cpu_target.target_tracking_configuration[0].target_value == 70
    error_message = "The CPU target must be 70 % by default."
  }
}

run "private_placement_uses_app_subnets_without_public_ips" {
  command = plan

  assert {
    condition     = toset(aws_autoscaling_group.web.vpc_zone_identifier) == toset(var.private_subnet_ids)
    error_message = "Private placement must use the app subnets."
  }
  assert {
    condition     = aws_launch_template.web.network_interfaces[0].associate_public_ip_address == "false"
    error_message = "Private placement must not assign public IPs."
  }
}

run "public_placement_uses_public_subnets_with_public_ips" {
  command = plan

  variables {
    placement = "public"
  }

  assert {
    condition     = toset(aws_autoscaling_group.web.vpc_zone_identifier) == toset(var.public_subnet_ids)
    error_message = "Public placement must use the public subnets."
  }
  assert {
    condition     = aws_launch_template.web.network_interfaces[0].associate_public_ip_address == "true"
    error_message = "Public placement must assign public IPs."
  }
}

run "custom_bounds_target_and_ami_override" {
  command = plan

  variables {
    min_size           = 2
    max_size           = 4
    desired_capacity   = 3
    cpu_target_percent = 55
    ami_id             = "ami-0fedcba9876543210"
  }

  assert {
    condition     = aws_autoscaling_group.web.min_size == 2 && aws_autoscaling_group.web.max_size == 4 && aws_autoscaling_group.web.desired_capacity == 3
    error_message = "The bounds must follow the inputs."
  }
  assert {
    condition     = aws_autoscaling_policy.cpu_target.target_tracking_configuration[0].target_value == 55
    error_message = "The CPU target must follow cpu_target_percent."
  }
  assert {
    condition     = aws_launch_template.web.image_id == "ami-0fedcba9876543210" && length(data.aws_ssm_parameter.ami) == 0
    error_message = "An explicit ami_id must replace the SSM lookup."
  }
}

run "app_artifact_goes_to_parameter_and_none_when_empty" {
  command = plan

  assert {
    condition     = aws_ssm_parameter.app_artifact.value == "none"
    error_message = "Without an artifact the parameter must say none."
  }
}

run "app_artifact_is_published" {
  command = plan

  variables {
    app_artifact = "s3://shop-artifacts/shop/1.4.2.tar.gz"
  }

  assert {
    condition     = aws_ssm_parameter.app_artifact.value == "s3://shop-artifacts/shop/1.4.2.tar.gz"
    error_message = "The artifact URL must be published in the SSM parameter."
  }
  assert {
    condition     = local.app_artifact_arn == "arn:aws:s3:::shop-artifacts/shop/1.4.2.tar.gz"
    error_message = "The instance role must be allowed to read exactly the artifact object."
  }
}

run "log_groups_have_retention_and_kms" {
  command = plan

  assert {
    condition     = length(aws_cloudwatch_log_group.web) == 4 && alltrue([for g in aws_cloudwatch_log_group.web : g.retention_in_days == 7 && g.kms_key_id == var.kms_key_arn])
    error_message = "Every web log group must keep 7 days and be KMS encrypted."
  }
}

run "rejects_min_greater_than_max" {
  command = plan

  variables {
    min_size         = 3
    max_size         = 2
    desired_capacity = 2
  }

  expect_failures = [var.max_size]
}

run "rejects_desired_above_max" {
  command = plan

  variables {
    desired_capacity = 3
  }

  expect_failures = [var.desired_capacity]
}

run "rejects_desired_below_min" {
  command = plan

  variables {
    min_size         = 2
    max_size         = 3
    desired_capacity = 1
  }

  expect_failures = [var.desired_capacity]
}

run "rejects_cpu_target_0" {
  command = plan

  variables {
    cpu_target_percent = 0
  }

  expect_failures = [var.cpu_target_percent]
}

run "rejects_cpu_target_101" {
  command = plan

  variables {
    cpu_target_percent = 101
  }

  expect_failures = [var.cpu_target_percent]
}

run "rejects_non_burstable_instance_type" {
  command = plan

  variables {
    instance_type = "m5.large"
  }

  expect_failures = [var.instance_type]
}

run "rejects_graviton_type_with_x86_ami" {
  command = plan

  variables {
    instance_type = "t4g.micro"
  }

  expect_failures = [var.instance_type]
}

run "rejects_unknown_placement" {
  command = plan

  variables {
    placement = "dmz"
  }

  expect_failures = [var.placement]
}

run "rejects_public_placement_without_public_subnets" {
  command = plan

  variables {
    placement         = "public"
    public_subnet_ids = []
  }

  expect_failures = [var.public_subnet_ids]
}

run "rejects_malformed_app_artifact" {
  command = plan

  variables {
    app_artifact = "https://example.com/shop.zip"
  }

  expect_failures = [var.app_artifact]
}

run "rejects_malformed_ami_id" {
  command = plan

  variables {
    ami_id = "ubuntu-latest"
  }

  expect_failures = [var.ami_id]
}

run "rejects_malformed_secret_arn" {
  command = plan

  variables {
    db_secret_arn = "rds!db-0123"
  }

  expect_failures = [var.db_secret_arn]
}

run "accepts_graviton_type_with_arm64_ami" {
  command = plan

  variables {
    instance_type     = "t4g.micro"
    ami_ssm_parameter = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"
  }

  assert {
    condition     = aws_launch_template.web.instance_type == "t4g.micro"
    error_message = "t4g with an arm64 AMI parameter must be accepted."
  }
}

run "null_inputs_keep_the_module_defaults" {
  # The platform passes unset fields of its `web` object as null.
  command = plan
  variables {
    placement          = null
    instance_type      = null
    min_size           = null
    max_size           = null
    desired_capacity   = null
    cpu_target_percent = null
    log_retention_days = null
    site_title         = null
    app_artifact       = null
  }

  assert {
    condition     = aws_launch_template.web.instance_type == "t3.micro" && aws_autoscaling_group.web.min_size == 1 && aws_autoscaling_group.web.max_size == 2 && aws_autoscaling_group.web.desired_capacity == 1
    error_message = "null inputs must fall back to the module defaults (t3.micro, 1-2 servers, 1 at creation)."
  }
  assert {
    condition     = aws_autoscaling_policy.cpu_target.target_tracking_configuration[0].target_value == 70 && output.placement == "private"
    error_message = "null inputs must fall back to the 70 % CPU target and private placement."
  }
}

run "serves_the_health_check_path_it_is_given" {
  command = plan
  variables {
    health_check_path = "/lb-health"
  }

  assert {
    condition     = strcontains(base64decode(aws_launch_template.web.user_data), "/lb-health")
    error_message = "nginx must answer the load balancer's health-check path."
  }
}

run "rejects_relative_health_check_path" {
  command = plan
  variables {
    health_check_path = "healthz"
  }
  expect_failures = [var.health_check_path]
}
