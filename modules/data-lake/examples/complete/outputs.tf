output "bucket_names" {
  description = "Lake buckets by zone."
  value       = module.data_lake.bucket_names
}

output "results_bucket_name" {
  description = "Athena query results bucket."
  value       = module.data_lake.results_bucket_name
}

output "kms_key_arn" {
  description = "Lake KMS key."
  value       = module.data_lake.kms_key_arn
}

output "registration_role_arn" {
  description = "Role Lake Formation assumes for the registered zones."
  value       = module.data_lake.registration_role_arn
}

output "database_names" {
  description = "Glue databases of the lake."
  value       = module.data_lake.database_names
}

output "table_names" {
  description = "Glue tables by database."
  value       = module.data_lake.table_names
}

output "lf_tag_keys" {
  description = "LF-tag keys of the lake."
  value       = module.data_lake.lf_tag_keys
}

output "athena_workgroup_name" {
  description = "Athena workgroup of the lake."
  value       = module.data_lake.athena_workgroup_name
}

output "consumer_grants" {
  description = "LF-tag expressions granted per consumer account."
  value       = module.data_lake.consumer_grants
}

output "lake_admin_arns" {
  description = "Lake Formation data lake administrators."
  value       = module.data_lake.lake_admin_arns
}

output "feature_store_bucket_name" {
  description = "Bucket of the feature groups' offline stores."
  value       = module.data_lake.feature_store_bucket_name
}

output "feature_store_role_arn" {
  description = "Role SageMaker Feature Store assumes to write the offline stores."
  value       = module.data_lake.feature_store_role_arn
}

output "feature_group_arns" {
  description = "Feature groups by name."
  value       = module.data_lake.feature_group_arns
}

output "feature_shares" {
  description = "Feature groups shared read-only, by consumer account."
  value       = module.data_lake.feature_shares
}
