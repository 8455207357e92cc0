# The results bucket and the results key moved into the shared blocks (modules/shared/s3-bucket,
# modules/shared/kms-key). These blocks keep existing deployments in place when upgrading:
# Terraform moves the resources in the state instead of destroying and creating them.

moved {
  from = aws_kms_key.results[0]
  to   = module.kms_key[0].aws_kms_key.this
}

moved {
  from = aws_kms_alias.results[0]
  to   = module.kms_key[0].aws_kms_alias.this
}

moved {
  from = aws_s3_bucket.results
  to   = module.results_bucket.aws_s3_bucket.this
}

moved {
  from = aws_s3_bucket_ownership_controls.results
  to   = module.results_bucket.aws_s3_bucket_ownership_controls.this
}

moved {
  from = aws_s3_bucket_public_access_block.results
  to   = module.results_bucket.aws_s3_bucket_public_access_block.this
}

moved {
  from = aws_s3_bucket_versioning.results
  to   = module.results_bucket.aws_s3_bucket_versioning.this
}

moved {
  from = aws_s3_bucket_server_side_encryption_configuration.results
  to   = module.results_bucket.aws_s3_bucket_server_side_encryption_configuration.this
}

moved {
  from = aws_s3_bucket_lifecycle_configuration.results
  to   = module.results_bucket.aws_s3_bucket_lifecycle_configuration.this
}

moved {
  from = aws_s3_bucket_logging.results[0]
  to   = module.results_bucket.aws_s3_bucket_logging.this[0]
}

moved {
  from = aws_s3_bucket_policy.results
  to   = module.results_bucket.aws_s3_bucket_policy.this
}
