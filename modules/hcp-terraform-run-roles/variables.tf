variable "name_prefix" {
  description = "Prefix of the role names: <name_prefix>-plan and <name_prefix>-apply, or <name_prefix>-run when plan and apply share one role."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,58}$", var.name_prefix))
    error_message = "name_prefix must be 1-58 characters of letters, digits and +=,.@_- (an IAM role name is at most 64 characters)."
  }
}

variable "hostname" {
  description = "Hostname of HCP Terraform or of a Terraform Enterprise installation: the OIDC issuer is https://<hostname>, and its claims are named <hostname>:aud and <hostname>:sub."
  type        = string
  default     = "app.terraform.io"

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?$", var.hostname))
    error_message = "hostname must be a bare hostname such as app.terraform.io (no scheme, no path)."
  }
}

variable "organization" {
  description = "HCP Terraform organization whose runs may assume the roles (the organization claim of the run's identity token)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{3,40}$", var.organization))
    error_message = "organization must be an HCP Terraform organization name: 3-40 letters, digits, _ or -."
  }
}

variable "project" {
  description = "HCP Terraform project that holds the workspaces (the project claim). Only runs of the named workspaces in this project are trusted."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9 _-]{3,40}$", var.project))
    error_message = "project must be an HCP Terraform project name: 3-40 letters, digits, spaces, _ or -."
  }
}

variable "workspaces" {
  description = "Names of the workspaces whose runs may assume the roles. Each name is matched exactly: there is no wildcard, so a workspace created later is not trusted until it is listed here."
  type        = list(string)

  validation {
    condition     = length(var.workspaces) > 0 && alltrue([for name in var.workspaces : can(regex("^[A-Za-z0-9_-]{1,90}$", name))])
    error_message = "workspaces must name at least one workspace; each name is 1-90 letters, digits, _ or - (no wildcards)."
  }

  validation {
    condition     = length(distinct(var.workspaces)) == length(var.workspaces)
    error_message = "workspaces must not name a workspace twice."
  }
}

variable "separate_plan_role" {
  description = "true: plan-phase runs get a read-only role and apply-phase runs the role that may change the account (TFC_AWS_PLAN_ROLE_ARN / TFC_AWS_APPLY_ROLE_ARN). false: one role for both phases (TFC_AWS_RUN_ROLE_ARN)."
  type        = bool
  default     = true
}

variable "plan_policy_arns" {
  description = "Managed policies of the plan role (with separate_plan_role). A plan refreshes every resource of the stack, so it needs read access to all of them; null attaches the partition's ReadOnlyAccess."
  type        = list(string)
  default     = null

  validation {
    condition     = var.plan_policy_arns == null || alltrue([for arn in coalesce(var.plan_policy_arns, []) : can(regex("^arn:aws[a-z-]*:iam::(aws|[0-9]{12}):policy/.+$", arn))])
    error_message = "plan_policy_arns must be IAM policy ARNs."
  }
}

variable "apply_policy_arns" {
  description = "Managed policies of the role that applies (the apply role, or the single run role). It needs what the stack's resources need to be created, changed and destroyed; there is deliberately no default."
  type        = list(string)

  validation {
    condition     = length(var.apply_policy_arns) > 0 && alltrue([for arn in var.apply_policy_arns : can(regex("^arn:aws[a-z-]*:iam::(aws|[0-9]{12}):policy/.+$", arn))])
    error_message = "apply_policy_arns must name at least one IAM policy ARN."
  }
}

variable "permissions_boundary_arn" {
  description = "Permissions boundary set on every role of this module; null sets none."
  type        = string
  default     = null

  validation {
    condition     = var.permissions_boundary_arn == null || can(regex("^arn:aws[a-z-]*:iam::(aws|[0-9]{12}):policy/.+$", var.permissions_boundary_arn))
    error_message = "permissions_boundary_arn must be an IAM policy ARN or null."
  }
}

variable "audience" {
  description = "Audience (aud claim) of the identity tokens. HCP Terraform uses aws.workload.identity unless the workspace sets TFC_AWS_WORKLOAD_IDENTITY_AUDIENCE; workspace_environment_variables carries a non-default value."
  type        = string
  default     = "aws.workload.identity"

  validation {
    condition     = length(var.audience) > 0 && length(var.audience) <= 255
    error_message = "audience must be 1-255 characters."
  }
}

variable "create_oidc_provider" {
  description = "Create the IAM OIDC identity provider for https://<hostname>. An account holds at most one provider per issuer URL: set false and pass oidc_provider_arn when one exists (its client IDs must include audience)."
  type        = bool
  default     = true
}

variable "oidc_provider_arn" {
  description = "ARN of the account's existing OIDC provider for https://<hostname>, used when create_oidc_provider is false."
  type        = string
  default     = null

  validation {
    condition     = var.oidc_provider_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/.+$", var.oidc_provider_arn))
    error_message = "oidc_provider_arn must be an IAM OIDC provider ARN or null."
  }

  validation {
    condition     = var.create_oidc_provider != (var.oidc_provider_arn != null)
    error_message = "Set exactly one of create_oidc_provider = true or oidc_provider_arn (the account's existing provider for https://<hostname>)."
  }
}

variable "max_session_duration" {
  description = "Longest session, in seconds, the roles allow. Raise it when a run takes longer than an hour (a SageMaker endpoint update can)."
  type        = number
  default     = 3600

  validation {
    condition     = var.max_session_duration >= 3600 && var.max_session_duration <= 43200 && floor(var.max_session_duration) == var.max_session_duration
    error_message = "max_session_duration must be a whole number of seconds from 3600 to 43200."
  }
}

variable "tags" {
  description = "Tags added to every resource of the module."
  type        = map(string)
  default     = {}
}
