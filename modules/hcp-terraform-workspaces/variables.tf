variable "organization" {
  description = "HCP Terraform organization that holds the project and the workspaces."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{3,40}$", var.organization))
    error_message = "organization must be an HCP Terraform organization name: 3-40 letters, digits, _ or -."
  }
}

variable "project_name" {
  description = "Project of the workspaces. Its name is part of every run's identity token, so hcp-terraform-run-roles must name the same project."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9 _-]{3,40}$", var.project_name))
    error_message = "project_name must be 3-40 letters, digits, spaces, _ or -."
  }
}

variable "create_project" {
  description = "Create the project; false looks up an existing project of that name in the organization."
  type        = bool
  default     = true
}

variable "workspaces" {
  description = "Workspaces by key. name: the workspace name (the state of one stack); working_directory: the stack's folder in the repository for VCS-driven runs (cdktf.out/stacks/<stack>); environment_variables: plain (not secret) environment variables such as the TFC_AWS_* variables of dynamic credentials; triggered_by: keys of workspaces in this map whose successful applies queue a run here."
  type = map(object({
    name                  = string
    description           = optional(string, "")
    working_directory     = optional(string)
    environment_variables = optional(map(string), {})
    triggered_by          = optional(list(string), [])
    auto_apply            = optional(bool, false)
  }))

  validation {
    condition     = length(var.workspaces) > 0 && alltrue([for ws in values(var.workspaces) : can(regex("^[A-Za-z0-9_-]{1,90}$", ws.name))])
    error_message = "workspaces must hold at least one workspace; each name is 1-90 letters, digits, _ or -."
  }

  validation {
    condition     = length(distinct([for ws in values(var.workspaces) : ws.name])) == length(var.workspaces)
    error_message = "Two workspaces have the same name."
  }

  validation {
    condition = alltrue(flatten([
      for key, ws in var.workspaces : [for source in ws.triggered_by : contains(keys(var.workspaces), source) && source != key]
    ]))
    error_message = "Each triggered_by entry must be the key of another workspace in workspaces."
  }

  validation {
    condition = alltrue(flatten([
      for ws in values(var.workspaces) : [for key in keys(ws.environment_variables) : can(regex("^[A-Za-z_][A-Za-z0-9_]*$", key))]
    ]))
    error_message = "Environment variable names must be letters, digits and _, not starting with a digit."
  }
}

variable "vcs_repo" {
  description = "Repository whose commits start runs (VCS-driven workflow), with the HCP Terraform OAuth token or GitHub App installation that reads it; null creates CLI-driven workspaces (runs start from terraform plan/apply on an operator's or CI's machine)."
  type = object({
    identifier                 = string
    branch                     = optional(string)
    oauth_token_id             = optional(string)
    github_app_installation_id = optional(string)
  })
  default = null

  validation {
    condition     = var.vcs_repo == null || try((var.vcs_repo.oauth_token_id == null) != (var.vcs_repo.github_app_installation_id == null), false)
    error_message = "vcs_repo needs exactly one of oauth_token_id or github_app_installation_id."
  }

  validation {
    condition     = var.vcs_repo == null || can(regex("^[^/\\s]+/[^/\\s]+$", var.vcs_repo.identifier))
    error_message = "vcs_repo.identifier must be <owner>/<repository>."
  }
}

variable "execution_mode" {
  description = "Where runs execute: remote (HCP Terraform's workers) or agent (self-hosted agents of agent_pool_id). Dynamic provider credentials need one of the two; local execution would run with the operator's own credentials."
  type        = string
  default     = "remote"

  validation {
    condition     = contains(["remote", "agent"], var.execution_mode)
    error_message = "execution_mode must be remote or agent."
  }
}

variable "agent_pool_id" {
  description = "Agent pool of the runs when execution_mode is agent."
  type        = string
  default     = null

  validation {
    condition     = (var.execution_mode == "agent") == (var.agent_pool_id != null)
    error_message = "agent_pool_id is required with execution_mode = agent and must be null otherwise."
  }
}

variable "terraform_version" {
  description = "Terraform version or constraint of the workspaces' runs (for example ~> 1.11.0); null leaves HCP Terraform's default for new workspaces."
  type        = string
  default     = null
}

variable "speculative_enabled" {
  description = "Run speculative plans for pull requests (VCS-driven workspaces). With separate plan and apply roles, these plans hold read-only credentials only."
  type        = bool
  default     = true
}
