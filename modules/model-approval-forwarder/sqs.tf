################################################################################
# Dead-letter queue for approval events the hub bus did not accept
################################################################################

# The SSE-KMS queue and its policy come from modules/shared/dead-letter-queue: EventBridge may
# send only on behalf of this module's forwarding rule, and plain HTTP is refused to everyone.
module "dead_letter_queue" {
  source = "../shared/dead-letter-queue"

  name                      = local.dead_letter_queue_name
  kms_key_arn               = local.kms_key_arn
  message_retention_seconds = var.dead_letter_queue_message_retention_seconds
  eventbridge_source_arns   = [local.rule_arn]

  tags = var.tags
}
