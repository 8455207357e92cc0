# Lake storage: one bucket per zone (raw: as ingested; curated: cleaned, typed, partitioned)
# and Athena's query results. Hardened the same way (internal submodule): owner-enforced,
# public access blocked, versioned, SSE-KMS with S3 Bucket Keys under the lake key, TLS-only,
# principals outside the organization denied, lifecycle for noncurrent versions and incomplete
# multipart uploads, optional access logs.

module "zone_bucket" {
  source   = "./modules/s3-bucket"
  for_each = toset(local.zones)

  bucket_name                        = local.bucket_names[each.key]
  kms_key_arn                        = aws_kms_key.this.arn
  organization_id                    = var.organization_id
  access_log_bucket_name             = var.access_log_bucket_name
  noncurrent_version_expiration_days = var.noncurrent_version_expiration_days
  tags                               = merge(local.tags, { "mlgov:bucket" = each.key })
}

module "results_bucket" {
  source = "./modules/s3-bucket"

  bucket_name                        = local.bucket_names.results
  kms_key_arn                        = aws_kms_key.this.arn
  organization_id                    = var.organization_id
  access_log_bucket_name             = var.access_log_bucket_name
  noncurrent_version_expiration_days = var.noncurrent_version_expiration_days
  tags                               = merge(local.tags, { "mlgov:bucket" = "athena-results" })
}
