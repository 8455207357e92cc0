# The data-capture bucket and the endpoint key now come from the shared building blocks
# (modules/shared/s3-bucket, modules/shared/kms-key). These blocks keep existing deployments in
# place when upgrading: Terraform moves the state entries instead of destroying and creating the
# bucket, its settings and the key.

moved {
  from = aws_s3_bucket.data_capture
  to   = module.data_capture_bucket.aws_s3_bucket.this
}

moved {
  from = aws_s3_bucket_ownership_controls.data_capture
  to   = module.data_capture_bucket.aws_s3_bucket_ownership_controls.this
}

moved {
  from = aws_s3_bucket_public_access_block.data_capture
  to   = module.data_capture_bucket.aws_s3_bucket_public_access_block.this
}

moved {
  from = aws_s3_bucket_versioning.data_capture
  to   = module.data_capture_bucket.aws_s3_bucket_versioning.this
}

moved {
  from = aws_s3_bucket_server_side_encryption_configuration.data_capture
  to   = module.data_capture_bucket.aws_s3_bucket_server_side_encryption_configuration.this
}

moved {
  from = aws_s3_bucket_lifecycle_configuration.data_capture
  to   = module.data_capture_bucket.aws_s3_bucket_lifecycle_configuration.this
}

moved {
  from = aws_s3_bucket_logging.data_capture
  to   = module.data_capture_bucket.aws_s3_bucket_logging.this
}

moved {
  from = aws_s3_bucket_policy.data_capture
  to   = module.data_capture_bucket.aws_s3_bucket_policy.this
}

moved {
  from = aws_kms_key.this
  to   = module.kms_key.aws_kms_key.this
}

moved {
  from = aws_kms_alias.this
  to   = module.kms_key.aws_kms_alias.this
}
