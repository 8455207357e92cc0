# The bucket and the key moved into the shared building blocks (modules/shared/s3-bucket and
# modules/shared/kms-key). These blocks keep existing deployments in place when upgrading: the
# resources are moved in the state, not destroyed and created again.

moved {
  from = aws_kms_key.this
  to   = module.kms_key.aws_kms_key.this
}

moved {
  from = aws_kms_alias.this
  to   = module.kms_key.aws_kms_alias.this
}

moved {
  from = aws_s3_bucket.this
  to   = module.artifact_bucket.aws_s3_bucket.this
}

moved {
  from = aws_s3_bucket_ownership_controls.this
  to   = module.artifact_bucket.aws_s3_bucket_ownership_controls.this
}

moved {
  from = aws_s3_bucket_public_access_block.this
  to   = module.artifact_bucket.aws_s3_bucket_public_access_block.this
}

moved {
  from = aws_s3_bucket_versioning.this
  to   = module.artifact_bucket.aws_s3_bucket_versioning.this
}

moved {
  from = aws_s3_bucket_server_side_encryption_configuration.this
  to   = module.artifact_bucket.aws_s3_bucket_server_side_encryption_configuration.this
}

moved {
  from = aws_s3_bucket_lifecycle_configuration.this
  to   = module.artifact_bucket.aws_s3_bucket_lifecycle_configuration.this
}

moved {
  from = aws_s3_bucket_logging.this[0]
  to   = module.artifact_bucket.aws_s3_bucket_logging.this[0]
}

moved {
  from = aws_s3_bucket_policy.this
  to   = module.artifact_bucket.aws_s3_bucket_policy.this
}
