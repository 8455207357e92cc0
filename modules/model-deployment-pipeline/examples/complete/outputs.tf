output "pipeline_name" {
  description = "Name of the deployment pipeline."
  value       = module.model_deployment_pipeline.pipeline_name
}

output "approval_action_arn" {
  description = "ARN of the production approval action."
  value       = module.model_deployment_pipeline.approval_action_arn
}

output "codebuild_role_arns" {
  description = "CodeBuild role ARN per stage, to be trusted by the target accounts' deploy roles."
  value       = module.model_deployment_pipeline.codebuild_role_arns
}

output "governance_officer_role_arn" {
  description = "ARN of the governance officer role."
  value       = module.model_deployment_pipeline.governance_officer_role_arn
}

output "ml_engineer_role_arn" {
  description = "ARN of the ML engineer role."
  value       = module.model_deployment_pipeline.ml_engineer_role_arn
}
