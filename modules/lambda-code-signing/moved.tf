# The package bucket and its key now come from the shared building blocks
# (modules/shared/s3-bucket, modules/shared/kms-key). These blocks keep existing deployments in
# place when upgrading: Terraform moves the state entries instead of destroying and creating the
# bucket, its settings and the key.

moved {
  from = aws_s3_bucket.packages
  to   = module.package_bucket.aws_s3_bucket.this
}

moved {
  from = aws_s3_bucket_ownership_controls.packages
  to   = module.package_bucket.aws_s3_bucket_ownership_controls.this
}

moved {
  from = aws_s3_bucket_public_access_block.packages
  to   = module.package_bucket.aws_s3_bucket_public_access_block.this
}

moved {
  from = aws_s3_bucket_versioning.packages
  to   = module.package_bucket.aws_s3_bucket_versioning.this
}

moved {
  from = aws_s3_bucket_server_side_encryption_configuration.packages
  to   = module.package_bucket.aws_s3_bucket_server_side_encryption_configuration.this
}

moved {
  from = aws_s3_bucket_lifecycle_configuration.packages
  to   = module.package_bucket.aws_s3_bucket_lifecycle_configuration.this
}

moved {
  from = aws_s3_bucket_logging.packages
  to   = module.package_bucket.aws_s3_bucket_logging.this
}

moved {
  from = aws_s3_bucket_policy.packages
  to   = module.package_bucket.aws_s3_bucket_policy.this
}

moved {
  from = aws_kms_key.packages
  to   = module.kms_key.aws_kms_key.this
}

moved {
  from = aws_kms_alias.packages
  to   = module.kms_key.aws_kms_alias.this
}
