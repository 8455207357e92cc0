# The key and the dead-letter queue moved into the shared building blocks
# (modules/shared/kms-key and modules/shared/dead-letter-queue). These blocks keep existing
# deployments in place when upgrading: the resources are moved in the state, not destroyed and
# created again.

moved {
  from = aws_kms_key.this[0]
  to   = module.kms_key[0].aws_kms_key.this
}

moved {
  from = aws_kms_alias.this[0]
  to   = module.kms_key[0].aws_kms_alias.this
}

moved {
  from = aws_sqs_queue.this
  to   = module.dead_letter_queue.aws_sqs_queue.this
}

moved {
  from = aws_sqs_queue_policy.this
  to   = module.dead_letter_queue.aws_sqs_queue_policy.this
}
