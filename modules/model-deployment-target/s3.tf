# Data capture: request/response samples of the endpoints, the input for model
# monitoring and the audit of what a deployed model actually answered.
# The hardened bucket comes from modules/shared/s3-bucket: SSE-KMS under the
# endpoint key (uploads asking for SSE-S3 or naming another key are denied; those
# that name none get the bucket default, which is the same key), TLS 1.2+ only,
# public access blocked, owner-enforced, versioned, noncurrent versions expired
# after 30 days, incomplete uploads aborted. Writers are granted through IAM (the
# execution role's WriteDataCapture), so the bucket policy holds only the block's
# guards.
module "data_capture_bucket" {
  source = "../shared/s3-bucket"

  bucket_name                        = local.data_capture_bucket_name
  kms_key_arn                        = module.kms_key.key_arn
  noncurrent_version_expiration_days = 30
  access_log_bucket_name             = var.access_log_bucket_name
  tags                               = local.tags

  # The whole bucket: STANDARD_IA after 30 days, deleted after data_capture_retention_days.
  lifecycle_rules = [
    {
      id              = "tier-and-expire-captured-data"
      transitions     = [{ days = 30, storage_class = "STANDARD_IA" }]
      expiration_days = var.data_capture_retention_days
    },
  ]
}
