# One encrypted SQS dead-letter queue for EventBridge: SSE-KMS under the caller's key, two weeks
# of retention by default, a policy that lets EventBridge send only on behalf of the named rules
# or buses (aws:SourceArn) and refuses plain HTTP to everyone.

resource "aws_sqs_queue" "this" {
  name                      = var.name
  message_retention_seconds = var.message_retention_seconds
  kms_master_key_id         = var.kms_key_arn
  # One data key per five minutes instead of per message: a burst of failed deliveries does not
  # become a burst of KMS calls.
  kms_data_key_reuse_period_seconds = 300
  tags                              = var.tags
}

data "aws_iam_policy_document" "this" {
  statement {
    sid       = "AllowEventBridgeFromNamedSources"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.this.arn]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = var.eventbridge_source_arns
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
  policy    = data.aws_iam_policy_document.this.json
}
