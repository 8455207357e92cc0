# The artifacts bucket and its key moved into the shared blocks (modules/shared/s3-bucket,
# modules/shared/kms-key). These blocks keep existing deployments in place when upgrading:
# Terraform moves the resources in the state instead of destroying and creating them. The CORS
# configuration and the objects stay where they were.

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
  to   = module.artifacts_bucket.aws_s3_bucket.this
}

moved {
  from = aws_s3_bucket_ownership_controls.this
  to   = module.artifacts_bucket.aws_s3_bucket_ownership_controls.this
}

moved {
  from = aws_s3_bucket_public_access_block.this
  to   = module.artifacts_bucket.aws_s3_bucket_public_access_block.this
}

moved {
  from = aws_s3_bucket_versioning.this
  to   = module.artifacts_bucket.aws_s3_bucket_versioning.this
}

moved {
  from = aws_s3_bucket_server_side_encryption_configuration.this
  to   = module.artifacts_bucket.aws_s3_bucket_server_side_encryption_configuration.this
}

moved {
  from = aws_s3_bucket_lifecycle_configuration.this
  to   = module.artifacts_bucket.aws_s3_bucket_lifecycle_configuration.this
}

moved {
  from = aws_s3_bucket_logging.this[0]
  to   = module.artifacts_bucket.aws_s3_bucket_logging.this[0]
}

moved {
  from = aws_s3_bucket_policy.this
  to   = module.artifacts_bucket.aws_s3_bucket_policy.this
}
