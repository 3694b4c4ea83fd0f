output "alb_arn" {
  description = "ARN of the Application Load Balancer."
  value       = aws_lb.this.arn
}

output "alb_arn_suffix" {
  description = "ARN suffix of the ALB (the LoadBalancer dimension of its CloudWatch metrics)."
  value       = aws_lb.this.arn_suffix
}

output "alb_dns_name" {
  description = "Public DNS name of the ALB (point the shop's domain at it with an alias record)."
  value       = aws_lb.this.dns_name
}

output "alb_zone_id" {
  description = "Route 53 hosted zone id of the ALB, for alias records."
  value       = aws_lb.this.zone_id
}

output "url" {
  description = "Base URL of the shop through the ALB (https when a certificate is configured)."
  value       = "${local.https_enabled ? "https" : "http"}://${aws_lb.this.dns_name}"
}

output "target_group_arn" {
  description = "ARN of the web target group (the Auto Scaling Group registers instances here)."
  value       = aws_lb_target_group.web.arn
}

output "target_group_arn_suffix" {
  description = "ARN suffix of the target group (the TargetGroup dimension of its CloudWatch metrics)."
  value       = aws_lb_target_group.web.arn_suffix
}

output "http_listener_arn" {
  description = "ARN of the port 80 listener (redirects to HTTPS when a certificate is set)."
  value       = aws_lb_listener.http.arn
}

output "https_listener_arn" {
  description = "ARN of the port 443 listener, or null without a certificate."
  value       = one(aws_lb_listener.https[*].arn)
}

output "access_log_bucket_name" {
  description = "S3 bucket holding the ALB access logs (under the alb/ prefix)."
  value       = aws_s3_bucket.access_logs.id
}

output "access_log_bucket_arn" {
  description = "ARN of the access log bucket."
  value       = aws_s3_bucket.access_logs.arn
}

output "deletion_protection" {
  description = "Whether the load balancer is protected from deletion."
  value       = aws_lb.this.enable_deletion_protection
}

output "health_check_path" {
  description = "Path the target group probes; pass it to the web module so nginx answers it."
  value       = var.health_check_path
}
