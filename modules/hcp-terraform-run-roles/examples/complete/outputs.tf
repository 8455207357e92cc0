output "plan_role_arn" {
  description = "Role of the workspaces' plan runs."
  value       = module.hcp_terraform_run_roles.plan_role_arn
}

output "apply_role_arn" {
  description = "Role of the workspaces' apply runs."
  value       = module.hcp_terraform_run_roles.apply_role_arn
}

output "workspace_environment_variables" {
  description = "Environment variables to set on each listed workspace."
  value       = module.hcp_terraform_run_roles.workspace_environment_variables
}
