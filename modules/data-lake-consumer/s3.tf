# Athena query results: the shared block (modules/shared/s3-bucket): owner-enforced, public
# access blocked, versioned, SSE-KMS with S3 Bucket Keys under the results key, TLS 1.2+ only,
# uploads with another key or without SSE-KMS denied, optional server access logs. Results are
# scratch output: noncurrent versions are deleted after one day and incomplete uploads aborted
# after one day (the block's own rule), current results expire after results_retention_days.
#
# Not replicated to another region (the block's CKV_AWS_144 skip): results are scratch output
# that expires after results_retention_days; replicating them would copy shared lake data out of
# the region for nothing. No event notifications (CKV2_AWS_62): Athena clients read results
# through GetQueryResults or the object key Athena returns.
module "results_bucket" {
  source = "../shared/s3-bucket"

  bucket_name                            = local.results_bucket
  kms_key_arn                            = local.results_kms_key
  access_log_bucket_name                 = var.access_log_bucket_name
  noncurrent_version_expiration_days     = 1
  abort_incomplete_multipart_upload_days = 1
  lifecycle_rules = [
    {
      id              = "expire-query-results"
      expiration_days = var.results_retention_days
    },
  ]
  tags = merge(local.tags, { "mlgov:bucket" = "athena-results" })
}
