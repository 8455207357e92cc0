output "domain_id" {
  description = "ID of the team's SageMaker domain."
  value       = module.ml_workspace.domain_id
}

output "persona_role_arns" {
  description = "ARNs of the lead data scientist and data scientist persona roles."
  value       = module.ml_workspace.persona_role_arns
}

output "execution_role_arns" {
  description = "ARNs of the Studio and pipeline execution roles."
  value       = module.ml_workspace.execution_role_arns
}

output "artifact_bucket_name" {
  description = "Model-artifact bucket the hub promoter reads (SageMaker's default bucket)."
  value       = module.ml_workspace.artifact_bucket_name
}

output "mlflow_tracking_server_arn" {
  description = "ARN of the team's MLflow tracking server."
  value       = module.ml_workspace.mlflow_tracking_server_arn
}

output "model_package_group_policy_json" {
  description = "Resource policy to put on each team model package group."
  value       = module.ml_workspace.model_package_group_policy_json
}
