# The artifact bucket, the pipeline key and the trigger's dead-letter queue now come from the
# shared building blocks (modules/shared/s3-bucket, modules/shared/kms-key,
# modules/shared/dead-letter-queue). These blocks keep existing deployments in place when
# upgrading: Terraform moves the state entries instead of destroying and creating the bucket, its
# settings, the key and the queue.

moved {
  from = aws_s3_bucket.artifacts
  to   = module.artifact_bucket.aws_s3_bucket.this
}

moved {
  from = aws_s3_bucket_ownership_controls.artifacts
  to   = module.artifact_bucket.aws_s3_bucket_ownership_controls.this
}

moved {
  from = aws_s3_bucket_public_access_block.artifacts
  to   = module.artifact_bucket.aws_s3_bucket_public_access_block.this
}

moved {
  from = aws_s3_bucket_versioning.artifacts
  to   = module.artifact_bucket.aws_s3_bucket_versioning.this
}

moved {
  from = aws_s3_bucket_server_side_encryption_configuration.artifacts
  to   = module.artifact_bucket.aws_s3_bucket_server_side_encryption_configuration.this
}

moved {
  from = aws_s3_bucket_lifecycle_configuration.artifacts
  to   = module.artifact_bucket.aws_s3_bucket_lifecycle_configuration.this
}

moved {
  from = aws_s3_bucket_logging.artifacts
  to   = module.artifact_bucket.aws_s3_bucket_logging.this
}

moved {
  from = aws_s3_bucket_policy.artifacts
  to   = module.artifact_bucket.aws_s3_bucket_policy.this
}

moved {
  from = aws_kms_key.this
  to   = module.kms_key.aws_kms_key.this
}

moved {
  from = aws_kms_alias.this
  to   = module.kms_key.aws_kms_alias.this
}

moved {
  from = aws_sqs_queue.trigger_dlq
  to   = module.trigger_dead_letter_queue.aws_sqs_queue.this
}

moved {
  from = aws_sqs_queue_policy.trigger_dlq
  to   = module.trigger_dead_letter_queue.aws_sqs_queue_policy.this
}
