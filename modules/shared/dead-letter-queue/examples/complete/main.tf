# The dead-letter queue of one EventBridge rule: events the rule matched but could not deliver
# to its target land here, encrypted under a key EventBridge may use for this rule only.

provider "aws" {
  region = "eu-central-1"
}

resource "aws_cloudwatch_event_rule" "approvals" {
  name        = "example-model-approvals"
  description = "SageMaker model package approvals."
  event_pattern = jsonencode({
    source        = ["aws.sagemaker"]
    "detail-type" = ["SageMaker Model Package State Change"]
  })
}

data "aws_iam_policy_document" "eventbridge_uses_key" {
  statement {
    sid       = "EventBridgeEncryptsDeadLetters"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_cloudwatch_event_rule.approvals.arn]
    }
  }
}

module "key" {
  source = "../../../kms-key"

  alias_name              = "alias/example-dead-letters"
  description             = "Encrypts the example dead-letter queue."
  policy_documents        = [data.aws_iam_policy_document.eventbridge_uses_key.json]
  deletion_window_in_days = 7
}

module "dead_letter_queue" {
  source = "../.."

  name                    = "example-model-approvals-dlq"
  kms_key_arn             = module.key.key_arn
  eventbridge_source_arns = [aws_cloudwatch_event_rule.approvals.arn]
  tags                    = { "mlgov:example" = "dead-letter-queue" }
}

# The rule's target: a queue some consumer reads (it would need its own policy for EventBridge).
resource "aws_sqs_queue" "consumer" {
  name                              = "example-approval-consumer"
  kms_master_key_id                 = module.key.key_arn
  kms_data_key_reuse_period_seconds = 300
}

resource "aws_cloudwatch_event_target" "consumer" {
  rule = aws_cloudwatch_event_rule.approvals.name
  arn  = aws_sqs_queue.consumer.arn

  dead_letter_config {
    arn = module.dead_letter_queue.queue_arn
  }
}
