output "resource_link_names" {
  description = "Resource link names, keyed by shared database name (\"<resource_link_prefix><database>\", e.g. sales = \"lake_sales\"); query tables as <link>.<table>."
  value       = { for d, link in aws_glue_catalog_database.resource_link : d => link.name }
}

output "athena_workgroup_name" {
  description = "Name of the Athena workgroup (enforced configuration: results location, SSE_KMS, bytes-scanned cutoff)."
  value       = aws_athena_workgroup.this.name
}

output "athena_role_arn" {
  description = "ARN of the role data scientists and pipelines assume for Athena on the shared databases."
  value       = aws_iam_role.athena.arn
}

output "athena_role_name" {
  description = "Name of the Athena role."
  value       = aws_iam_role.athena.name
}

output "results_bucket_name" {
  description = "Name of the Athena query results bucket."
  value       = module.results_bucket.bucket_name
}

output "kms_key_arn" {
  description = "ARN of the KMS key that encrypts query results: kms_key_arn when given, otherwise the key the module created."
  value       = local.results_kms_key
}

output "project_settings_parameter_names" {
  description = "SSM parameters written for the SageMaker project templates, by setting name (empty when project_settings_parameter_path is null)."
  value       = { for k, p in aws_ssm_parameter.project_settings : k => p.name }
}
