output "kms_key_arn" {
  description = "ARN of the registry KMS key (SSE-KMS key for promoted artifacts; HUB_KMS_KEY_ARN of the promoter)."
  value       = module.kms_key.key_arn
}

output "kms_key_id" {
  description = "Id of the registry KMS key."
  value       = module.kms_key.key_id
}

output "kms_alias_name" {
  description = "Alias name of the registry KMS key."
  value       = module.kms_key.alias_name
}

output "artifact_bucket_name" {
  description = "Name of the hub artifact bucket (HUB_ARTIFACT_BUCKET of the promoter)."
  value       = module.artifact_bucket.bucket_name
}

output "artifact_bucket_arn" {
  description = "ARN of the hub artifact bucket."
  value       = module.artifact_bucket.bucket_arn
}

output "image_repository_arns" {
  description = "Map of promoted-image repository name to repository ARN."
  value       = { for name, repository in aws_ecr_repository.this : name => repository.arn }
}

output "image_repository_urls" {
  description = "Map of promoted-image repository name to repository URL (registry host/name)."
  value       = { for name, repository in aws_ecr_repository.this : name => repository.repository_url }
}

output "model_package_group_policy_template" {
  description = "JSON resource policy for central model package groups in which the literal token {model_package_group_name} stands for the group name."
  value       = data.aws_iam_policy_document.model_package_group.json
}

output "artifact_bucket_policy_json" {
  description = "JSON bucket policy attached to the artifact bucket (TLS, SSE-KMS and cross-account promoted/ write denies, consumer reads, artifact writer statement on staging/ when artifact_writers is set)."
  value       = module.artifact_bucket.bucket_policy_json
}

output "kms_key_policy_json" {
  description = "JSON key policy of the registry KMS key (hub delegation, consumer decrypt through services, artifact writer statement when artifact_writers is set)."
  value       = module.kms_key.policy_json
}
