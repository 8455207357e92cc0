output "kms_key_arn" {
  description = "ARN of the registry KMS key."
  value       = module.central_model_registry.kms_key_arn
}

output "artifact_bucket_name" {
  description = "Name of the hub artifact bucket."
  value       = module.central_model_registry.artifact_bucket_name
}

output "image_repository_urls" {
  description = "Map of promoted-image repository name to repository URL."
  value       = module.central_model_registry.image_repository_urls
}

output "model_package_group_policy_template" {
  description = "Model package group resource policy template with the {model_package_group_name} token."
  value       = module.central_model_registry.model_package_group_policy_template
}
