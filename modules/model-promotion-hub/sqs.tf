################################################################################
# Dead-letter queue: events EventBridge could not deliver and failed async invocations
################################################################################

resource "aws_sqs_queue" "this" {
  name                              = local.dead_letter_queue_name
  message_retention_seconds         = var.dead_letter_queue_message_retention_seconds
  kms_master_key_id                 = local.kms_key_arn
  kms_data_key_reuse_period_seconds = 300

  tags = var.tags
}

data "aws_iam_policy_document" "dead_letter_queue" {
  # Only EventBridge, and only on behalf of this module's rule (target DLQ) and bus
  # (encryption-failure DLQ). The promoter's on-failure destination writes with its execution
  # role, which is granted sqs:SendMessage by its identity policy in this same account.
  statement {
    sid       = "AllowEventBridgeFromPromotionRuleAndBus"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.this.arn]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [local.rule_arn, local.event_bus_arn]
    }
  }

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["sqs:*"]
    resources = [aws_sqs_queue.this.arn]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_sqs_queue_policy" "this" {
  queue_url = aws_sqs_queue.this.id
  policy    = data.aws_iam_policy_document.dead_letter_queue.json
}
