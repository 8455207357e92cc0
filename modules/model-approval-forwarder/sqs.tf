################################################################################
# Dead-letter queue for approval events the hub bus did not accept
################################################################################

resource "aws_sqs_queue" "this" {
  name                              = local.dead_letter_queue_name
  message_retention_seconds         = var.dead_letter_queue_message_retention_seconds
  kms_master_key_id                 = local.kms_key_arn
  kms_data_key_reuse_period_seconds = 300

  tags = var.tags
}

data "aws_iam_policy_document" "dead_letter_queue" {
  statement {
    sid       = "AllowEventBridgeFromForwarderRule"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.this.arn]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [local.rule_arn]
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
