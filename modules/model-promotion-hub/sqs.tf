################################################################################
# Dead-letter queue: events EventBridge could not deliver and failed async invocations
################################################################################

# The SSE-KMS queue and its policy come from modules/shared/dead-letter-queue: EventBridge may
# send only on behalf of this module's rule (target DLQ) and bus (encryption-failure DLQ), and
# plain HTTP is refused to everyone. The promoter's on-failure destination writes with its
# execution role, which is granted sqs:SendMessage by its identity policy in this same account.
module "dead_letter_queue" {
  source = "../shared/dead-letter-queue"

  name                      = local.dead_letter_queue_name
  kms_key_arn               = local.kms_key_arn
  message_retention_seconds = var.dead_letter_queue_message_retention_seconds
  eventbridge_source_arns   = [local.rule_arn, local.event_bus_arn]

  tags = var.tags
}
