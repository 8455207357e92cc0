output "domain_id" {
  description = "Domain id."
  value       = module.unified_studio_domain.domain_id
}

output "domain_portal_url" {
  description = "SageMaker Unified Studio portal."
  value       = module.unified_studio_domain.domain_portal_url
}

output "project_ids" {
  description = "Project ids by team."
  value       = module.unified_studio_domain.project_ids
}

output "manage_access_role_arn" {
  description = "Role to add to the lake's Lake Formation administrators."
  value       = module.unified_studio_domain.manage_access_role_arn
}

output "kms_key_arn" {
  description = "Domain KMS key."
  value       = module.unified_studio_domain.kms_key_arn
}
