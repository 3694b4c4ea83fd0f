# EventBridge around the pipeline (AWS's recommended way; CodeStar Notifications is
# the older one):
#   source    - a new source.zip version starts the pipeline (S3 source only)
#   alerts    - failures and approvals needed go to the notifications topic
#   callback  - every pipeline, stage and action state change goes to the portal

resource "aws_cloudwatch_event_rule" "source" {
  count = local.github ? 0 : 1

  name        = "${local.name}-source"
  description = "A new ${local.source_object_key} in the source bucket starts ${local.pipeline_name}"

  event_pattern = jsonencode({
    source      = ["aws.s3"]
    detail-type = ["Object Created"]
    detail = {
      bucket = { name = [module.source_bucket[0].name] }
      object = { key = [local.source_object_key] }
    }
  })

  tags = { Name = "${local.name}-source" }
}

resource "aws_cloudwatch_event_target" "source" {
  count = local.github ? 0 : 1

  rule     = aws_cloudwatch_event_rule.source[0].name
  arn      = aws_codepipeline.this.arn
  role_arn = aws_iam_role.events.arn
}

resource "aws_cloudwatch_event_rule" "alerts" {
  name        = "${local.name}-alerts"
  description = "Failed executions of ${local.pipeline_name} and approvals waiting for a person"

  event_pattern = jsonencode({
    source    = ["aws.codepipeline"]
    resources = [local.pipeline_arn]
    "$or" = [
      {
        detail-type = ["CodePipeline Pipeline Execution State Change"]
        detail      = { state = ["FAILED"] }
      },
      {
        detail-type = ["CodePipeline Action Execution State Change"]
        detail = {
          state = ["STARTED"]
          type  = { category = ["Approval"] }
        }
      },
    ]
  })

  tags = { Name = "${local.name}-alerts" }
}

resource "aws_cloudwatch_event_target" "alerts" {
  rule = aws_cloudwatch_event_rule.alerts.name
  arn  = aws_sns_topic.notifications.arn

  input_transformer {
    input_paths = {
      pipeline  = "$.detail.pipeline"
      execution = "$.detail.execution-id"
      stage     = "$.detail.stage"
      state     = "$.detail.state"
      kind      = "$.detail-type"
    }
    input_template = "\"<kind>: <pipeline> execution <execution> is <state> (stage <stage>).\""
  }
}

# The portal's callback. The API key lives in the EventBridge connection (AWS keeps
# it in Secrets Manager); in Terraform it is a sensitive input, never an output.
resource "aws_cloudwatch_event_connection" "portal" {
  count = var.callback_url == "" ? 0 : 1

  name               = "${local.name}-portal"
  description        = "Authenticates ${local.pipeline_name}'s state changes to the portal"
  authorization_type = "API_KEY"

  auth_parameters {
    api_key {
      key   = "X-Pipeline-Callback-Key"
      value = var.callback_api_key
    }
  }
}

resource "aws_cloudwatch_event_api_destination" "portal" {
  count = var.callback_url == "" ? 0 : 1

  name                             = "${local.name}-portal"
  description                      = "The portal's CodePipeline callback"
  invocation_endpoint              = var.callback_url
  http_method                      = "POST"
  invocation_rate_limit_per_second = 10
  connection_arn                   = aws_cloudwatch_event_connection.portal[0].arn
}

resource "aws_cloudwatch_event_rule" "callback" {
  count = var.callback_url == "" ? 0 : 1

  name        = "${local.name}-callback"
  description = "Every state change of ${local.pipeline_name}, for the portal"

  event_pattern = jsonencode({
    source    = ["aws.codepipeline"]
    resources = [local.pipeline_arn]
    detail-type = [
      "CodePipeline Pipeline Execution State Change",
      "CodePipeline Stage Execution State Change",
      "CodePipeline Action Execution State Change",
    ]
  })

  tags = { Name = "${local.name}-callback" }
}

resource "aws_cloudwatch_event_target" "callback" {
  count = var.callback_url == "" ? 0 : 1

  rule     = aws_cloudwatch_event_rule.callback[0].name
  arn      = aws_cloudwatch_event_api_destination.portal[0].arn
  role_arn = aws_iam_role.events.arn

  retry_policy {
    maximum_event_age_in_seconds = 3600
    maximum_retry_attempts       = 10
  }
}
