# One HCP Terraform workspace per synthesized stack: its state, the variables that give its runs
# AWS credentials (dynamic provider credentials, no stored keys), where its configuration comes
# from, and which workspaces' applies queue a run in it.

resource "tfe_project" "this" {
  count = var.create_project ? 1 : 0

  organization = var.organization
  name         = var.project_name
}

data "tfe_project" "existing" {
  count = var.create_project ? 0 : 1

  organization = var.organization
  name         = var.project_name
}

locals {
  project_id = var.create_project ? tfe_project.this[0].id : data.tfe_project.existing[0].id

  variables = merge([
    for key, ws in var.workspaces : {
      for name, value in ws.environment_variables : "${key}/${name}" => {
        workspace = key
        name      = name
        value     = value
      }
    }
  ]...)

  run_triggers = merge([
    for key, ws in var.workspaces : {
      for source in ws.triggered_by : "${source}->${key}" => { workspace = key, source = source }
    }
  ]...)
}

resource "tfe_workspace" "this" {
  for_each = var.workspaces

  organization        = var.organization
  project_id          = local.project_id
  name                = each.value.name
  description         = each.value.description
  working_directory   = each.value.working_directory
  auto_apply          = each.value.auto_apply
  terraform_version   = var.terraform_version
  speculative_enabled = var.speculative_enabled

  dynamic "vcs_repo" {
    for_each = var.vcs_repo == null ? [] : [var.vcs_repo]

    content {
      identifier                 = vcs_repo.value.identifier
      branch                     = vcs_repo.value.branch
      oauth_token_id             = vcs_repo.value.oauth_token_id
      github_app_installation_id = vcs_repo.value.github_app_installation_id
    }
  }
}

resource "tfe_workspace_settings" "this" {
  for_each = var.workspaces

  workspace_id   = tfe_workspace.this[each.key].id
  execution_mode = var.execution_mode
  agent_pool_id  = var.agent_pool_id
}

resource "tfe_variable" "environment" {
  for_each = local.variables

  workspace_id = tfe_workspace.this[each.value.workspace].id
  category     = "env"
  key          = each.value.name
  value        = each.value.value
  description  = "Set by the hcp-terraform-workspaces module."
}

resource "tfe_run_trigger" "this" {
  for_each = local.run_triggers

  workspace_id  = tfe_workspace.this[each.value.workspace].id
  sourceable_id = tfe_workspace.this[each.value.source].id
}
