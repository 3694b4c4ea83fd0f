# Session store of the web tier: one item per session, keyed by an opaque random id,
# expired by DynamoDB's TTL sweeper so no cleanup job is needed.

resource "aws_dynamodb_table" "this" {
  # checkov:skip=CKV2_AWS_16: on-demand (PAY_PER_REQUEST) tables scale by themselves; auto scaling applies only to provisioned capacity
  name = "${var.name}-sessions"
  # On-demand: no idle capacity to pay for, no throttling on a traffic spike.
  billing_mode = "PAY_PER_REQUEST"
  # Session ids are random, so they spread evenly over partitions; lookups are
  # always by id, so no sort key or index is needed.
  hash_key = "session_id"

  attribute {
    name = "session_id"
    type = "S"
  }

  # Items whose expires_at (epoch seconds) has passed are deleted within days at no
  # cost; the application must still treat expired items as absent when it reads.
  ttl {
    enabled        = true
    attribute_name = var.ttl_attribute
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }

  deletion_protection_enabled = var.deletion_protection

  tags = {
    Name = "${var.name}-sessions"
  }
}
