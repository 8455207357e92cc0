# Lake storage: one bucket per zone (raw: as ingested; curated: cleaned, typed, partitioned)
# and Athena's query results. Hardened the same way (modules/shared/s3-bucket): owner-enforced,
# public access blocked, versioned, SSE-KMS with S3 Bucket Keys under the lake key, TLS 1.2+
# only, SSE-S3 and other keys refused, principals outside the organization denied, lifecycle for
# noncurrent versions and incomplete multipart uploads, optional access logs.
#
# Not replicated to another region (the block's CKV_AWS_144 skip): lake data stays in the Data
# Governance account's region (data residency); replication is an organization-level decision.
# No event notifications (CKV2_AWS_62): ingestion jobs write, Athena and Lake Formation credential
# vending read directly; the catalog is maintained by Terraform, not by event-driven crawlers.

module "zone_bucket" {
  source   = "../shared/s3-bucket"
  for_each = toset(local.zones)

  bucket_name                        = local.bucket_names[each.key]
  kms_key_arn                        = module.kms_key.key_arn
  organization_id                    = var.organization_id
  access_log_bucket_name             = var.access_log_bucket_name
  noncurrent_version_expiration_days = var.noncurrent_version_expiration_days
  tags                               = merge(local.tags, { "mlgov:bucket" = each.key })
}

module "results_bucket" {
  source = "../shared/s3-bucket"

  bucket_name                        = local.bucket_names.results
  kms_key_arn                        = module.kms_key.key_arn
  organization_id                    = var.organization_id
  access_log_bucket_name             = var.access_log_bucket_name
  noncurrent_version_expiration_days = var.noncurrent_version_expiration_days
  tags                               = merge(local.tags, { "mlgov:bucket" = "athena-results" })
}
