variable "name_prefix" {
  description = "Prefix of the two service control policies (\"<prefix>-ml-separation-of-duties\", \"<prefix>-ml-platform-integrity\")."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,40}$", var.name_prefix))
    error_message = "name_prefix must be 1-41 lowercase letters, digits or hyphens starting with a letter; got \"${var.name_prefix}\"."
  }
}

variable "attach_to" {
  description = "Organization targets the policies are attached to: OU ids (ou-...), the root (r-...) or account ids (12 digits). SCPs never apply to the management account."
  type        = list(string)

  validation {
    condition     = length(var.attach_to) > 0 && alltrue([for t in var.attach_to : can(regex("^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32}|[0-9]{12})$", t))])
    error_message = "attach_to must list at least one OU id (ou-xxxx-xxxxxxxx), root id (r-xxxx) or 12-digit account id; got ${jsonencode(var.attach_to)}."
  }
}

variable "break_glass_role_arns" {
  description = "Role ARN patterns exempt from every statement: the written break-glass path (see the README). Keep it to one role per account, assumable only from the management account with MFA."
  type        = list(string)

  validation {
    condition     = length(var.break_glass_role_arns) > 0 && alltrue([for a in var.break_glass_role_arns : can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|\\*):role/", a))])
    error_message = "break_glass_role_arns must list role ARN patterns such as \"arn:aws:iam::*:role/mlgov-break-glass\"; got ${jsonencode(var.break_glass_role_arns)}."
  }
}

variable "platform_admin_role_arns" {
  description = "Role ARN patterns that build the platform (the Terraform deployment role, the Service Catalog launch role that creates team workspaces): they may change the protected roles, functions, parameters and pipeline, but never approve a model."
  type        = list(string)

  validation {
    condition     = length(var.platform_admin_role_arns) > 0 && alltrue([for a in var.platform_admin_role_arns : can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|\\*):role/", a))])
    error_message = "platform_admin_role_arns must list role ARN patterns; got ${jsonencode(var.platform_admin_role_arns)}."
  }
}

variable "model_approval" {
  description = <<-EOT
    Who may set a model package's approval status.
    registry_account_id: the account of the central registry; only central_approver_role_arns change statuses there.
    central_approver_role_arns: the ML engineer role(s) of the registry account.
    team_approver_role_arns: role ARN patterns of the teams' lead data scientists (dev accounts).
    never_approver_role_arns: patterns that match team_approver_role_arns but must not approve (Studio execution roles).
  EOT
  type = object({
    registry_account_id        = string
    central_approver_role_arns = list(string)
    team_approver_role_arns    = list(string)
    never_approver_role_arns   = optional(list(string), [])
  })

  validation {
    condition     = can(regex("^[0-9]{12}$", var.model_approval.registry_account_id))
    error_message = "model_approval.registry_account_id must be a 12-digit account id; got \"${var.model_approval.registry_account_id}\"."
  }

  validation {
    condition     = length(var.model_approval.central_approver_role_arns) > 0
    error_message = "model_approval.central_approver_role_arns must name at least one role (the ML engineer)."
  }
}

variable "deployment" {
  description = <<-EOT
    The deployment pipeline and its builds.
    pipeline_arns: the pipelines (arn:...:codepipeline:<region>:<account>:<name>).
    build_project_arns: their CodeBuild projects.
    production_approver_role_arns: the only roles that may answer the pipelines' manual approvals (governance officer).
    operator_role_arns: the roles that run them (pipeline service role, trigger function role).
  EOT
  type = object({
    pipeline_arns                 = list(string)
    build_project_arns            = list(string)
    production_approver_role_arns = list(string)
    operator_role_arns            = list(string)
  })

  validation {
    condition     = length(var.deployment.pipeline_arns) > 0 && alltrue([for a in var.deployment.pipeline_arns : can(regex("^arn:aws[a-z-]*:codepipeline:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9.@_-]+$", a))])
    error_message = "deployment.pipeline_arns must list CodePipeline ARNs (arn:aws:codepipeline:<region>:<account>:<name>); got ${jsonencode(var.deployment.pipeline_arns)}."
  }

  validation {
    condition     = length(var.deployment.production_approver_role_arns) > 0
    error_message = "deployment.production_approver_role_arns must name at least one role (the governance officer)."
  }
}

variable "protected_resources" {
  description = <<-EOT
    What only platform admins may change.
    function_arns: the promotion and trigger functions.
    parameter_arns: their SSM parameters and the deployment settings (patterns allowed).
    tooling_object_arns: the deployment tooling bundle object(s) (arn:aws:s3:::bucket/key).
    role_arns: platform roles and the role name patterns Service Catalog portfolios grant access to (created, changed or trusted only by platform admins).
    bucket_arns: buckets whose policies, versioning and lifecycle only platform admins change (the registry's artifacts, the pipeline's tooling, the signed function packages).
    signing_profile_arns: Signer profiles that sign the functions' code (patterns allowed): only platform admins sign with them, cancel them or revoke their signatures.
    model_package_group_arns: central model package groups whose resource policy only platform admins and policy_writer_role_arns change.
    policy_writer_role_arns: roles that attach the group policy at run time (the promoter).
  EOT
  type = object({
    function_arns            = list(string)
    parameter_arns           = list(string)
    tooling_object_arns      = list(string)
    role_arns                = list(string)
    bucket_arns              = optional(list(string), [])
    signing_profile_arns     = optional(list(string), [])
    model_package_group_arns = optional(list(string), [])
    policy_writer_role_arns  = optional(list(string), [])
  })
}

variable "require_vpc_only_sagemaker_domains" {
  description = "Deny creating or updating a SageMaker domain whose AppNetworkAccessType is not VpcOnly."
  type        = bool
  default     = true
}

variable "protect_cloudtrail" {
  description = "Deny stopping, deleting or reconfiguring CloudTrail trails."
  type        = bool
  default     = true
}

variable "service_catalog_delegated_admin_account_id" {
  description = "Account registered as Service Catalog delegated administrator (the hub that owns the portfolios), after enabling Service Catalog's AWS Organizations access. Null: neither is managed (only the management account may do both)."
  type        = string
  default     = null

  validation {
    condition     = var.service_catalog_delegated_admin_account_id == null || can(regex("^[0-9]{12}$", var.service_catalog_delegated_admin_account_id))
    error_message = "service_catalog_delegated_admin_account_id must be a 12-digit account id or null; got \"${coalesce(var.service_catalog_delegated_admin_account_id, "null")}\"."
  }
}

variable "tags" {
  description = "Tags for the policies."
  type        = map(string)
  default     = {}
}
