################################################################################
# Alarm topic and alarms
################################################################################

resource "aws_sns_topic" "this" {
  name              = local.alarm_topic_name
  display_name      = "Model promotion alarms"
  kms_master_key_id = local.kms_key_arn

  tags = var.tags
}

data "aws_iam_policy_document" "alarm_topic" {
  statement {
    sid       = "AllowAlarmsOfThisAccount"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.this.arn]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:cloudwatch:${local.region}:${local.account_id}:alarm:*"]
    }
  }
}

resource "aws_sns_topic_policy" "this" {
  arn    = aws_sns_topic.this.arn
  policy = data.aws_iam_policy_document.alarm_topic.json
}

resource "aws_sns_topic_subscription" "email" {
  for_each = toset(var.alarm_email_addresses)

  topic_arn = aws_sns_topic.this.arn
  protocol  = "email"
  endpoint  = each.value
}

locals {
  # Every alarm fires on the first occurrence: a failed promotion needs a human either way.
  alarms = {
    function-errors = {
      description = "The model promoter raised an error; the event is retried, then sent to ${local.dead_letter_queue_name}."
      namespace   = "AWS/Lambda"
      metric_name = "Errors"
      statistic   = "Sum"
      dimensions  = { FunctionName = aws_lambda_function.this.function_name }
    }
    function-throttles = {
      description = "The model promoter was throttled (reserved concurrency ${var.reserved_concurrent_executions})."
      namespace   = "AWS/Lambda"
      metric_name = "Throttles"
      statistic   = "Sum"
      dimensions  = { FunctionName = aws_lambda_function.this.function_name }
    }
    dead-letter-queue-not-empty = {
      description = "Undelivered approval events or failed promotions are waiting in ${local.dead_letter_queue_name}; inspect, fix, then replay from the archive."
      namespace   = "AWS/SQS"
      metric_name = "ApproximateNumberOfMessagesVisible"
      statistic   = "Maximum"
      dimensions  = { QueueName = module.dead_letter_queue.queue_name }
    }
    # A refused approval means someone other than the team's lead approved in a dev account
    # (IAM there was changed, or a role was misused): a governance incident, not a retry.
    approval-refused = {
      description = "The model promoter refused an approved model package because its approver is not the team's lead data scientist role (${var.approver_role_name_template}); the log line names the package and the approver."
      namespace   = var.metrics_namespace
      metric_name = "PromotionsRefused"
      statistic   = "Sum"
      # The function's embedded metrics carry its Powertools service name and the reason.
      dimensions = { service = local.powertools_service_name, reason = "approver-not-allowed" }
    }
    rule-failed-invocations = {
      description = "EventBridge could not invoke the model promoter for an approved model package."
      namespace   = "AWS/Events"
      metric_name = "FailedInvocations"
      statistic   = "Sum"
      # Rules on a custom bus publish metrics with both dimensions.
      dimensions = { EventBusName = aws_cloudwatch_event_bus.this.name, RuleName = aws_cloudwatch_event_rule.this.name }
    }
  }
}

locals {
  # Every `reason` the promoter counts a refusal under (model_promoter.handler.REJECTION_CODES):
  # the metric has no reason-less series, so the alarm on any refusal adds these up.
  rejection_reasons = [
    "invalid-event",
    "unknown-source-account",
    "group-name-too-long",
    "not-approved",
    "approver-not-allowed",
    "artifact-verification-failed",
    "image-registry-not-allowed",
    "image-not-pinned",
  ]
}

# Any refused promotion (an unexpected event, a package no longer approved, a copy that does not
# match its source, an image from a registry that is not allowed): each needs a human, none is
# retried.
resource "aws_cloudwatch_metric_alarm" "rejections" {
  alarm_name          = "${var.function_name}-promotions-refused"
  alarm_description   = "The model promoter refused a promotion (PromotionsRefused, any reason: ${join(", ", local.rejection_reasons)}); the function's \"event rejected\" log line names the package, the reason and its details."
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.this.arn]
  ok_actions          = [aws_sns_topic.this.arn]

  metric_query {
    id          = "refused"
    expression  = join(" + ", [for index, _ in local.rejection_reasons : "FILL(r${index}, 0)"])
    label       = "Promotions refused, any reason"
    return_data = true
  }

  dynamic "metric_query" {
    for_each = local.rejection_reasons

    content {
      id = "r${metric_query.key}"

      metric {
        namespace   = var.metrics_namespace
        metric_name = "PromotionsRefused"
        period      = var.alarm_period_seconds
        stat        = "Sum"
        dimensions  = { service = local.powertools_service_name, reason = metric_query.value }
      }
    }
  }

  tags = var.tags

  depends_on = [aws_sns_topic_policy.this]
}

resource "aws_cloudwatch_metric_alarm" "this" {
  for_each = local.alarms

  alarm_name          = "${var.function_name}-${each.key}"
  alarm_description   = each.value.description
  namespace           = each.value.namespace
  metric_name         = each.value.metric_name
  statistic           = each.value.statistic
  dimensions          = each.value.dimensions
  period              = var.alarm_period_seconds
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.this.arn]
  ok_actions          = [aws_sns_topic.this.arn]

  tags = var.tags

  depends_on = [aws_sns_topic_policy.this]
}
