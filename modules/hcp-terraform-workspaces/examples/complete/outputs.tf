output "workspace_ids" {
  description = "Workspace IDs by key."
  value       = module.hcp_terraform_workspaces.workspace_ids
}

output "run_triggers" {
  description = "Run triggers between the workspaces."
  value       = module.hcp_terraform_workspaces.run_triggers
}
