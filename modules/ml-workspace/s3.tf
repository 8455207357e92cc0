# Team storage: a data bucket and the model-artifact bucket. The artifact bucket defaults to
# SageMaker's default bucket name (sagemaker-<region>-<account>), which the SageMaker SDK
# uses when no bucket is named and which the hub's promoter reads by default. Both are
# hardened the same way (internal submodule): owner-enforced, public access blocked,
# versioned, SSE-KMS with S3 Bucket Keys under the team key, TLS-only, lifecycle for
# noncurrent versions and incomplete multipart uploads, optional access logs.

module "data_bucket" {
  source = "./modules/s3-bucket"

  bucket_name                        = local.data_bucket_name
  kms_key_arn                        = aws_kms_key.this.arn
  access_log_bucket_name             = var.access_log_bucket_name
  noncurrent_version_expiration_days = var.noncurrent_version_expiration_days
  tags                               = merge(local.tags, { "mlgov:bucket" = "data" })
}

module "artifact_bucket" {
  source = "./modules/s3-bucket"

  bucket_name                        = local.artifact_bucket_name
  kms_key_arn                        = aws_kms_key.this.arn
  access_log_bucket_name             = var.access_log_bucket_name
  noncurrent_version_expiration_days = var.noncurrent_version_expiration_days
  tags                               = merge(local.tags, { "mlgov:bucket" = "model-artifacts" })
}

locals {
  # Project buckets (created by the SageMaker project templates) are team buckets too.
  team_bucket_arns = concat(
    [module.data_bucket.bucket_arn, module.artifact_bucket.bucket_arn],
    local.projects_enabled ? [local.project_bucket_arn_pattern] : [],
  )
}
