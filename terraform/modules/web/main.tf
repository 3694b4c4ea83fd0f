# Web servers: launch template, Auto Scaling Group across the AZs behind the ALB, and
# CPU target tracking.

locals {
  subnet_ids = var.placement == "public" ? var.public_subnet_ids : var.private_subnet_ids

  # Fixed on purpose: the application's environment and the docs name this path.
  product_images_path = "/mnt/product-images"

  ami_id = var.ami_id != null ? var.ami_id : data.aws_ssm_parameter.ami[0].insecure_value

  # The SSM parameter cannot hold an empty string; "none" means "no application".
  app_artifact_value = var.app_artifact == "" ? "none" : var.app_artifact

  landing_page = templatefile("${path.module}/templates/index.html.tftpl", {
    site_title = var.site_title
    name       = var.name
  })

  user_data = templatefile("${path.module}/templates/user-data.sh.tftpl", {
    region                     = var.region
    mount_path                 = local.product_images_path
    health_check_path          = var.health_check_path
    efs_file_system_id         = var.efs_file_system_id
    efs_access_point_id        = var.efs_access_point_id
    assets_bucket              = var.assets_bucket_name
    landing_page               = local.landing_page
    app_port                   = var.app_port
    app_artifact_parameter     = aws_ssm_parameter.app_artifact.name
    cloudwatch_agent_parameter = aws_ssm_parameter.cloudwatch_agent.name
    db_host                    = var.db_address
    db_port                    = var.db_port
    db_name                    = var.db_name
    db_secret_arn              = var.db_secret_arn
    session_table              = var.session_table_name
  })

  # Provider default_tags do not reach instances launched by an Auto Scaling Group;
  # copying them into the launch template keeps cost allocation and ownership tags on
  # every instance and volume.
  instance_tags = merge(data.aws_default_tags.current.tags, { Name = "${var.name}-web" })
}

data "aws_ssm_parameter" "ami" {
  count = var.ami_id == null ? 1 : 0
  name  = var.ami_ssm_parameter
}

data "aws_default_tags" "current" {}

resource "aws_launch_template" "web" {
  name        = "${var.name}-web"
  description = "Web servers of ${var.name}: nginx + the shop application slot on Amazon Linux 2023."

  image_id      = local.ami_id
  instance_type = var.instance_type
  key_name      = var.key_name
  ebs_optimized = true
  user_data     = base64encode(local.user_data)

  # Each change creates a new version and makes it the default, so the console and
  # manual launches match what the Auto Scaling Group runs.
  update_default_version = true

  iam_instance_profile {
    arn = aws_iam_instance_profile.web.arn
  }

  # Detailed (1-minute) monitoring: target tracking reacts within minutes, not five.
  monitoring {
    enabled = true
  }

  # IMDSv2 only; hop limit 1 keeps the credentials away from anything one network hop
  # further, such as a container on the host.
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
    instance_metadata_tags      = "disabled"
  }

  credit_specification {
    cpu_credits = var.cpu_credits
  }

  network_interfaces {
    device_index                = 0
    associate_public_ip_address = var.placement == "public"
    security_groups             = [var.security_group_id]
    delete_on_termination       = true
  }

  block_device_mappings {
    device_name = "/dev/xvda"

    ebs {
      volume_type           = "gp3"
      volume_size           = var.root_volume_size
      encrypted             = true
      kms_key_id            = var.ebs_kms_key_arn
      delete_on_termination = true
    }
  }

  dynamic "tag_specifications" {
    for_each = toset(["instance", "volume", "network-interface"])
    content {
      resource_type = tag_specifications.value
      tags          = local.instance_tags
    }
  }

  tags = { Name = "${var.name}-web" }

  lifecycle {
    precondition {
      # EC2 rejects user data above 16 KiB (before base64).
      condition     = length(local.user_data) <= 16384
      error_message = "The rendered web user data exceeds EC2's 16 KiB limit; shorten the landing page or site_title."
    }
  }
}

resource "aws_autoscaling_group" "web" {
  name                = "${var.name}-web"
  min_size            = var.min_size
  max_size            = var.max_size
  desired_capacity    = var.desired_capacity
  vpc_zone_identifier = local.subnet_ids
  target_group_arns   = [var.target_group_arn]

  # Replace instances the ALB finds unhealthy, not only those EC2 finds broken; the
  # grace period covers the first-boot bootstrap.
  health_check_type         = "ELB"
  health_check_grace_period = var.health_check_grace_period
  default_instance_warmup   = var.instance_warmup

  # Pin the numeric version (not $Latest) so a template change is a visible change of
  # the group, which starts the instance refresh below.
  launch_template {
    id      = aws_launch_template.web.id
    version = aws_launch_template.web.latest_version
  }

  # Zero-downtime roll on every launch template change: with 100 % minimum healthy and
  # up to 200 %, the refresh launches the replacement and waits for it to be healthy
  # and warm before it terminates the old instance.
  instance_refresh {
    strategy = "Rolling"
    preferences {
      min_healthy_percentage = 100
      max_healthy_percentage = 200
      instance_warmup        = tostring(var.instance_warmup)
    }
  }

  # Group metrics (1-minute) for the dashboard: in-service, pending, desired ...
  enabled_metrics = [
    "GroupMinSize",
    "GroupMaxSize",
    "GroupDesiredCapacity",
    "GroupInServiceInstances",
    "GroupPendingInstances",
    "GroupStandbyInstances",
    "GroupTerminatingInstances",
    "GroupTotalInstances",
  ]
  metrics_granularity = "1Minute"

  # Instances carry their tags from the launch template (tag_specifications).
  tag {
    key                 = "Name"
    value               = "${var.name}-web"
    propagate_at_launch = false
  }

  lifecycle {
    precondition {
      condition     = length(local.subnet_ids) > 0
      error_message = "No subnets for placement \"${var.placement}\": pass ${var.placement}_subnet_ids."
    }
  }
}

# Target tracking, not step scaling: one number (the CPU target) and AWS creates and
# tunes both alarms, scales out proportionally to how far CPU is above the target,
# and scales in conservatively, without the flapping a hand-tuned step policy invites.
resource "aws_autoscaling_policy" "cpu_target" {
  name                   = "${var.name}-web-cpu-target"
  autoscaling_group_name = aws_autoscaling_group.web.name
  policy_type            = "TargetTrackingScaling"

  target_tracking_configuration {
    predefined_metric_specification {
      predefined_metric_type = "ASGAverageCPUUtilization"
    }
    target_value     = var.cpu_target_percent
    disable_scale_in = false
  }
}
