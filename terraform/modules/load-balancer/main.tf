# Internet-facing Application Load Balancer in front of the web Auto Scaling Group.
# TLS terminates here when a certificate is given; the target group speaks HTTP to the
# web servers inside the VPC (their security group only admits the ALB's).

locals {
  https_enabled = var.certificate_arn != null
}

resource "aws_lb" "this" {
  # checkov:skip=CKV_AWS_150: Deletion protection is the deletion_protection input (default true); the platform sets it from var.production, so only disposable environments (local, dev) turn it off.
  # checkov:skip=CKV2_AWS_76: No WAF web ACL is created here; an optional one (web_acl_arn) is the environment's choice, and its managed rule groups are configured where it is defined.
  name               = "${var.name}-alb"
  load_balancer_type = "application"
  internal           = false
  subnets            = var.public_subnet_ids
  security_groups    = [var.security_group_id]

  # Reject requests whose headers are not valid HTTP instead of passing them to nginx
  # (request smuggling / header injection defence).
  drop_invalid_header_fields = true
  desync_mitigation_mode     = "defensive"
  enable_deletion_protection = var.deletion_protection
  idle_timeout               = var.idle_timeout

  access_logs {
    enabled = true
    bucket  = aws_s3_bucket.access_logs.id
    prefix  = local.access_log_prefix
  }

  tags = { Name = "${var.name}-alb" }

  # ELB writes a test object when access logs are switched on; the bucket policy has to
  # be in place first or the ALB create fails with "Access Denied for bucket".
  depends_on = [aws_s3_bucket_policy.access_logs]
}

resource "aws_lb_target_group" "web" {
  # checkov:skip=CKV_AWS_378: TLS terminates at the ALB; the hop to the web servers stays inside the VPC and their security group admits only the ALB.
  name        = "${var.name}-web"
  vpc_id      = var.vpc_id
  port        = var.target_port
  protocol    = "HTTP"
  target_type = "instance"

  # Web requests are short; 30 s lets in-flight requests finish during a scale-in or an
  # instance refresh without holding the roll for the 300 s default.
  deregistration_delay = var.deregistration_delay

  health_check {
    enabled             = true
    path                = var.health_check_path
    protocol            = "HTTP"
    port                = "traffic-port"
    matcher             = "200"
    interval            = 15
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }

  tags = { Name = "${var.name}-web" }
}

# Port 80: permanent redirect to HTTPS when a certificate exists, otherwise it serves
# the site directly (environments without a domain, and the local emulator).
resource "aws_lb_listener" "http" {
  # checkov:skip=CKV_AWS_2: Port 80 redirects to HTTPS whenever certificate_arn is set; it forwards plain HTTP only in environments without a certificate (local emulator, dev without a domain).
  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type             = local.https_enabled ? "redirect" : "forward"
    target_group_arn = local.https_enabled ? null : aws_lb_target_group.web.arn

    dynamic "redirect" {
      for_each = local.https_enabled ? [1] : []
      content {
        protocol    = "HTTPS"
        port        = "443"
        status_code = "HTTP_301"
      }
    }
  }

  tags = { Name = "${var.name}-http" }
}

resource "aws_lb_listener" "https" {
  count = local.https_enabled ? 1 : 0

  load_balancer_arn = aws_lb.this.arn
  port              = 443
  protocol          = "HTTPS"
  # TLS 1.3 + TLS 1.2 with forward-secret AEAD ciphers only.
  ssl_policy      = var.ssl_policy
  certificate_arn = var.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.web.arn
  }

  tags = { Name = "${var.name}-https" }
}

resource "aws_wafv2_web_acl_association" "this" {
  count = var.web_acl_arn == null ? 0 : 1

  resource_arn = aws_lb.this.arn
  web_acl_arn  = var.web_acl_arn
}
