output "project_id" {
  description = "ID of the project that holds the workspaces."
  value       = local.project_id
}

output "workspace_ids" {
  description = "Workspace IDs by key."
  value       = { for key, ws in tfe_workspace.this : key => ws.id }
}

output "workspace_names" {
  description = "Workspace names by key."
  value       = { for key, ws in tfe_workspace.this : key => ws.name }
}

output "run_triggers" {
  description = "The run triggers, as <source key>-><workspace key>: an apply in the source queues a run in the workspace."
  value       = keys(tfe_run_trigger.this)
}
