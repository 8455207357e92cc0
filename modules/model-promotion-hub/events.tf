################################################################################
# Promotion event bus: cross-account PutEvents from the workloads OU only
################################################################################

resource "aws_cloudwatch_event_bus" "this" {
  name               = var.event_bus_name
  description        = "Receives SageMaker model package approval events forwarded from ML dev accounts."
  kms_key_identifier = local.kms_key_arn

  # Events that fail encryption or decryption on a customer managed key bus are kept, not dropped.
  dead_letter_config {
    arn = module.dead_letter_queue.queue_arn
  }

  tags = var.tags
}

data "aws_iam_policy_document" "event_bus" {
  # One statement whatever the number of dev accounts when the OU path form is used: the
  # principal is "*" and the organization id / OU path conditions do the restriction.
  # Listed account ids, when given, narrow the principal further (both forms apply together).
  statement {
    sid       = "AllowSageMakerApprovalEventsFromWorkloads"
    actions   = ["events:PutEvents"]
    resources = [aws_cloudwatch_event_bus.this.arn]

    principals {
      type        = "AWS"
      identifiers = length(var.allowed_account_ids) > 0 ? [for id in sort(var.allowed_account_ids) : "arn:${local.partition}:iam::${id}:root"] : ["*"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = [var.organization_id]
    }

    dynamic "condition" {
      for_each = var.workloads_ou_path == null ? [] : [var.workloads_ou_path]

      content {
        test     = "ForAnyValue:StringLike"
        variable = "aws:PrincipalOrgPaths"
        values   = ["${condition.value}*"]
      }
    }

    # One PutEvents call can carry several entries, so the keys are multivalued: every entry
    # must be a SageMaker model package state change (EventBridge documents ForAllValues here).
    condition {
      test     = "ForAllValues:StringEquals"
      variable = "events:source"
      values   = [local.sagemaker_events_source]
    }

    condition {
      test     = "ForAllValues:StringEquals"
      variable = "events:detail-type"
      values   = [local.sagemaker_detail_type]
    }

    # ForAllValues is also true when a key is absent; require both keys to be present.
    condition {
      test     = "Null"
      variable = "events:source"
      values   = ["false"]
    }

    condition {
      test     = "Null"
      variable = "events:detail-type"
      values   = ["false"]
    }
  }
}

resource "aws_cloudwatch_event_bus_policy" "this" {
  event_bus_name = aws_cloudwatch_event_bus.this.name
  policy         = data.aws_iam_policy_document.event_bus.json

  lifecycle {
    precondition {
      condition     = var.workloads_ou_path != null || length(var.allowed_account_ids) > 0
      error_message = "Set workloads_ou_path, allowed_account_ids or both: the bus policy must not admit the whole organization."
    }

    precondition {
      condition     = var.workloads_ou_path == null || startswith(coalesce(var.workloads_ou_path, "-"), "${var.organization_id}/")
      error_message = "The workloads_ou_path must belong to organization_id (it starts with \"<organization_id>/\")."
    }
  }
}

# Every SageMaker state change that reaches the bus is archived so approvals can be replayed
# after an outage or a fix; the idempotent promoter makes replays safe.
# The archive uses EventBridge's AWS owned key: a customer managed key on archives
# (`kms_key_identifier`) exists only in provider 6.x, and this module supports 5.100 (see README).
resource "aws_cloudwatch_event_archive" "this" {
  name             = local.archive_name
  description      = "Replayable history of SageMaker model package state changes received by ${var.event_bus_name}."
  event_source_arn = aws_cloudwatch_event_bus.this.arn
  event_pattern    = local.archive_event_pattern
  retention_days   = var.archive_retention_days
}

################################################################################
# Rule: approved model packages -> promoter Lambda
################################################################################

resource "aws_cloudwatch_event_rule" "this" {
  name           = local.rule_name
  description    = "Starts the model promoter for every model package approved in an ML dev account."
  event_bus_name = aws_cloudwatch_event_bus.this.name
  event_pattern  = local.event_pattern

  tags = var.tags
}

resource "aws_cloudwatch_event_target" "this" {
  rule           = aws_cloudwatch_event_rule.this.name
  event_bus_name = aws_cloudwatch_event_bus.this.name
  target_id      = "model-promoter"
  arn            = aws_lambda_function.this.arn

  # Covers delivery failures (throttling, service errors); function errors are retried by
  # Lambda's asynchronous invocation settings (aws_lambda_function_event_invoke_config).
  retry_policy {
    maximum_event_age_in_seconds = var.event_retry_maximum_event_age_in_seconds
    maximum_retry_attempts       = var.event_retry_maximum_retry_attempts
  }

  dead_letter_config {
    arn = module.dead_letter_queue.queue_arn
  }

  depends_on = [module.dead_letter_queue]
}

resource "aws_lambda_permission" "this" {
  statement_id  = "AllowInvokeFromPromotionRule"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.this.function_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.this.arn
}
