output "domain_id" {
  description = "ID of the SageMaker Unified Studio (DataZone V2) domain (dzd-...)."
  value       = aws_datazone_domain.this.id
}

output "domain_arn" {
  description = "ARN of the domain."
  value       = aws_datazone_domain.this.arn
}

output "domain_portal_url" {
  description = "URL of the domain's SageMaker Unified Studio portal."
  value       = aws_datazone_domain.this.portal_url
}

output "project_ids" {
  description = "IDs of the DataZone projects, keyed by team (project name)."
  value       = { for team, project in aws_datazone_project.this : team => project.id }
}

output "data_lake_blueprint_id" {
  description = "ID of the managed DataLake environment blueprint enabled in the domain's region."
  value       = data.aws_datazone_environment_blueprint.data_lake.id
}

output "domain_execution_role_arn" {
  description = "ARN of the role DataZone assumes to act for the domain's users."
  value       = aws_iam_role.domain_execution.arn
}

output "domain_service_role_arn" {
  description = "ARN of the role DataZone assumes for domain-level actions."
  value       = aws_iam_role.domain_service.arn
}

output "manage_access_role_arn" {
  description = "ARN of the data-lake blueprint's manage-access role (publishes Glue data, grants through Lake Formation); make it a Lake Formation administrator of the lake it governs."
  value       = aws_iam_role.manage_access.arn
}

output "provisioning_role_arn" {
  description = "ARN of the data-lake blueprint's provisioning role (creates the blueprint's resources for projects)."
  value       = aws_iam_role.provisioning.arn
}

output "kms_key_arn" {
  description = "ARN of the KMS key that encrypts the domain (created by the module, or kms_key_arn)."
  value       = local.kms_key_arn
}
