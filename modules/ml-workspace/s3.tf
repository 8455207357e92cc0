# Team storage: a data bucket and the model-artifact bucket. The artifact bucket defaults to
# SageMaker's default bucket name (sagemaker-<region>-<account>), which the SageMaker SDK
# uses when no bucket is named and which the hub's promoter reads by default. Both are the
# shared block (modules/shared/s3-bucket): owner-enforced, public access blocked, versioned,
# SSE-KMS with S3 Bucket Keys under the team key, TLS 1.2+ only, SSE-S3 and other keys refused,
# lifecycle for noncurrent versions and incomplete multipart uploads, optional access logs.
# No organization fence (organization_id is not passed): the buckets never had one; who reads
# them is decided by the team's identity policies and the hub promoter's role.
#
# Not replicated to another region (the block's CKV_AWS_144 skip): team data and model artifacts
# stay in the dev account's region (data residency); replication is an organization-level
# decision. No event notifications (CKV2_AWS_62): notebooks, jobs and the hub promoter read the
# buckets directly, and model approvals travel as SageMaker events.

module "data_bucket" {
  source = "../shared/s3-bucket"

  bucket_name                        = local.data_bucket_name
  kms_key_arn                        = module.kms_key.key_arn
  access_log_bucket_name             = var.access_log_bucket_name
  noncurrent_version_expiration_days = var.noncurrent_version_expiration_days
  tags                               = merge(local.tags, { "mlgov:bucket" = "data" })
}

module "artifact_bucket" {
  source = "../shared/s3-bucket"

  bucket_name                        = local.artifact_bucket_name
  kms_key_arn                        = module.kms_key.key_arn
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
