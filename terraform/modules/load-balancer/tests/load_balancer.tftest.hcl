mock_provider "aws" {
  # Shared mocks: terraform/tests/mocks (relative to the module directory).
  source = "../../tests/mocks"
}

variables {
  name              = "shop-test"
  region            = "eu-west-1"
  vpc_id            = "vpc-0123456789abcdef0"
  public_subnet_ids = ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"]
  security_group_id = "sg-0123456789abcdef0"
}

run "internet_facing_alb_in_public_subnets_hardened" {
  command = plan

  assert {
    condition     = aws_lb.this.internal == false && aws_lb.this.load_balancer_type == "application"
    error_message = "The ALB must be an internet-facing application load balancer."
  }
  assert {
    condition     = toset(aws_lb.this.subnets) == toset(var.public_subnet_ids)
    error_message = "The ALB must sit in the public subnets."
  }
  assert {
    condition     = aws_lb.this.drop_invalid_header_fields == true
    error_message = "Invalid header fields must be dropped."
  }
  assert {
    condition     = aws_lb.this.enable_deletion_protection == true
    error_message = "Deletion protection must default to on."
  }
  assert {
    condition     = aws_lb.this.access_logs[0].enabled == true && aws_lb.this.access_logs[0].prefix == "alb"
    error_message = "Access logs must be delivered to the module's bucket under alb/."
  }
}

run "target_group_probes_health_endpoint_and_drains_quickly" {
  command = plan

  assert {
    condition     = aws_lb_target_group.web.health_check[0].path == "/healthz" && aws_lb_target_group.web.health_check[0].matcher == "200"
    error_message = "The target group must probe /healthz and expect 200."
  }
  assert {
    condition     = aws_lb_target_group.web.deregistration_delay == "30"
    error_message = "The deregistration delay must be 30 seconds by default."
  }
}

run "without_certificate_http_forwards_and_no_https_listener" {
  command = plan

  assert {
    condition     = aws_lb_listener.http.default_action[0].type == "forward"
    error_message = "Without a certificate, port 80 must forward to the target group."
  }
  assert {
    condition     = length(aws_lb_listener.https) == 0
    error_message = "Without a certificate there must be no HTTPS listener."
  }
}

run "with_certificate_http_redirects_to_https_with_tls13_policy" {
  command = plan

  variables {
    certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789"
  }

  assert {
    condition     = aws_lb_listener.http.default_action[0].type == "redirect"
    error_message = "With a certificate, port 80 must redirect."
  }
  assert {
    condition     = aws_lb_listener.http.default_action[0].redirect[0].protocol == "HTTPS" && aws_lb_listener.http.default_action[0].redirect[0].status_code == "HTTP_301"
    error_message = "The redirect must be a permanent redirect to HTTPS."
  }
  assert {
    condition     = length(aws_lb_listener.https) == 1 && aws_lb_listener.https[0].port == 443
    error_message = "With a certificate there must be one HTTPS listener on 443."
  }
  assert {
    condition     = aws_lb_listener.https[0].ssl_policy == "ELBSecurityPolicy-TLS13-1-2-2021-06"
    error_message = "The HTTPS listener must use the TLS 1.3/1.2 policy."
  }
}

run "deletion_protection_follows_input" {
  command = plan

  variables {
    deletion_protection = false
  }

  assert {
    condition     = aws_lb.this.enable_deletion_protection == false
    error_message = "deletion_protection = false must switch deletion protection off."
  }
}

run "access_log_bucket_is_private_sse_s3_versioned_and_expires" {
  command = plan

  assert {
    condition = (
      aws_s3_bucket_public_access_block.access_logs.block_public_acls &&
      aws_s3_bucket_public_access_block.access_logs.block_public_policy &&
      aws_s3_bucket_public_access_block.access_logs.ignore_public_acls &&
      aws_s3_bucket_public_access_block.access_logs.restrict_public_buckets
    )
    error_message = "All four public access block settings must be on."
  }
  assert {
    condition     = aws_s3_bucket_ownership_controls.access_logs.rule[0].object_ownership == "BucketOwnerEnforced"
    error_message = "ACLs must be disabled (BucketOwnerEnforced)."
  }
  assert {
    condition     = one(one(aws_s3_bucket_server_side_encryption_configuration.access_logs.rule).apply_server_side_encryption_by_default).sse_algorithm == "AES256"
    error_message = "Access logs must be encrypted with SSE-S3 (the only option ALB log delivery supports)."
  }
  assert {
    condition     = aws_s3_bucket_versioning.access_logs.versioning_configuration[0].status == "Enabled"
    error_message = "The access log bucket must be versioned."
  }
  assert {
    condition     = aws_s3_bucket_lifecycle_configuration.access_logs.rule[0].expiration[0].days == 90
    error_message = "Access logs must expire after access_log_retention_days (90 by default)."
  }
  assert {
    condition     = aws_s3_bucket.access_logs.force_destroy == false
    error_message = "The access log bucket must not be force-destroyable by default."
  }
}

run "rejects_malformed_certificate_arn" {
  command = plan

  variables {
    certificate_arn = "arn:aws:iam::123456789012:server-certificate/shop"
  }

  expect_failures = [var.certificate_arn]
}

run "rejects_weak_tls_policy" {
  command = plan

  variables {
    ssl_policy = "ELBSecurityPolicy-2016-08"
  }

  expect_failures = [var.ssl_policy]
}

run "rejects_single_subnet" {
  command = plan

  variables {
    public_subnet_ids = ["subnet-0aaaaaaaaaaaaaaaa"]
  }

  expect_failures = [var.public_subnet_ids]
}

run "rejects_relative_health_check_path" {
  command = plan

  variables {
    health_check_path = "healthz"
  }

  expect_failures = [var.health_check_path]
}

run "rejects_name_too_long_for_alb" {
  command = plan

  variables {
    name = "a-very-long-project-name-prod1"
  }

  expect_failures = [var.name]
}
