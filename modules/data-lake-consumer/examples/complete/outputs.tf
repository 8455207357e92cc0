output "resource_link_names" {
  description = "Resource links of the shared databases, keyed by database (lake_sales, lake_marketing)."
  value       = module.data_lake_consumer.resource_link_names
}

output "athena_workgroup_name" {
  description = "Athena workgroup of team-a on the data lake."
  value       = module.data_lake_consumer.athena_workgroup_name
}

output "athena_role_arn" {
  description = "Role team-a's personas and pipelines assume for Athena."
  value       = module.data_lake_consumer.athena_role_arn
}

output "results_bucket_name" {
  description = "Athena query results bucket."
  value       = module.data_lake_consumer.results_bucket_name
}

output "kms_key_arn" {
  description = "KMS key of the query results (created by the module here)."
  value       = module.data_lake_consumer.kms_key_arn
}
