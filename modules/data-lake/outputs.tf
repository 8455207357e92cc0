output "bucket_names" {
  description = "Names of the lake buckets, keyed by zone (raw, curated)."
  value       = { for zone in local.zones : zone => module.zone_bucket[zone].bucket_name }
}

output "bucket_arns" {
  description = "ARNs of the lake buckets, keyed by zone (raw, curated); both are registered with Lake Formation."
  value       = { for zone in local.zones : zone => module.zone_bucket[zone].bucket_arn }
}

output "results_bucket_name" {
  description = "Name of the Athena query results bucket."
  value       = module.results_bucket.bucket_name
}

output "results_bucket_arn" {
  description = "ARN of the Athena query results bucket."
  value       = module.results_bucket.bucket_arn
}

output "kms_key_arn" {
  description = "ARN of the lake KMS key (zone and results buckets, Athena results)."
  value       = module.kms_key.key_arn
}

output "registration_role_arn" {
  description = "ARN of the role Lake Formation assumes for the registered zone locations."
  value       = aws_iam_role.registration.arn
}

output "lake_admin_arns" {
  description = "Lake Formation data lake administrators: lake_admin_principal_arns and the principal that ran Terraform."
  value       = local.lake_admins
}

output "database_names" {
  description = "Names of the Glue databases of the lake."
  value       = sort([for database in aws_glue_catalog_database.this : database.name])
}

output "table_names" {
  description = "Names of the Glue tables, keyed by database name."
  value = {
    for database in keys(var.databases) : database => sort([
      for key, table in aws_glue_catalog_table.this : table.name if local.tables[key].database == database
    ])
  }
}

output "lf_tag_keys" {
  description = "Keys of the LF-tags defined in the lake's catalog."
  value       = sort([for tag in aws_lakeformation_lf_tag.this : tag.key])
}

output "athena_workgroup_name" {
  description = "Name of the lake's Athena workgroup (enforced configuration, encrypted results)."
  value       = aws_athena_workgroup.this.name
}

output "consumer_grants" {
  description = "LF-tag expressions granted to each consumer account (account id -> { expression, permissions, filtered_tables }); the permissions apply to matching tables and to the data cells filters of filtered_tables (\"<database>.<table>\"), matching databases get DESCRIBE."
  value = {
    for account, grant in var.consumer_grants : account => {
      expression      = grant.expression
      permissions     = sort(aws_lakeformation_permissions.table[account].permissions)
      filtered_tables = sort([for key, filter in local.table_filters : filter.table if filter.account == account && contains(keys(aws_lakeformation_permissions.filtered), key)])
    }
  }
}

output "feature_store_database_name" {
  description = "Glue database of the feature groups' offline stores, or null without a feature store."
  value       = local.feature_store_enabled ? aws_glue_catalog_database.feature_store[0].name : null
}

output "feature_store_bucket_name" {
  description = "Bucket of the feature groups' offline stores (registered with Lake Formation), or null without a feature store."
  value       = local.feature_store_enabled ? module.feature_store_bucket[0].bucket_name : null
}

output "feature_store_role_arn" {
  description = "Role SageMaker Feature Store assumes to write the offline stores, or null without a feature store."
  value       = local.feature_store_enabled ? aws_iam_role.feature_store[0].arn : null
}

output "feature_group_arns" {
  description = "ARNs of the feature groups, keyed by name."
  value       = { for name, group in aws_sagemaker_feature_group.this : name => group.arn }
}

output "feature_group_tables" {
  description = "Glue table of each feature group's offline store (in feature_store_database_name), keyed by group name."
  value       = local.feature_tables
}

output "feature_shares" {
  description = "Feature groups shared read-only through AWS RAM, keyed by consumer account id (each of those accounts also discovers the feature group catalog)."
  value       = local.feature_shares
}
