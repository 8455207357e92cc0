variable "name" {
  description = "Name of the SageMaker Unified Studio (DataZone V2) domain (e.g. \"mlgov-studio\"); also prefixes the names of its IAM roles and KMS alias."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,22}[a-z0-9]$", var.name))
    error_message = "name must be 2-24 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen; got \"${var.name}\"."
  }
}

variable "description" {
  description = "Description of the domain shown in the portal, or null for none."
  type        = string
  default     = null

  validation {
    condition     = var.description == null || length(coalesce(var.description, " ")) <= 2048
    error_message = "description must be at most 2048 characters."
  }
}

variable "tags" {
  description = "Tags applied to every taggable resource of the module."
  type        = map(string)
  default     = {}
}

################################################################################
# Sign-in
################################################################################

variable "single_sign_on_type" {
  description = "\"IAM_IDC\" lets users sign in to the portal through IAM Identity Center (the instance must be in the domain's region); \"DISABLED\" leaves the domain IAM-based."
  type        = string
  default     = "DISABLED"

  validation {
    condition     = contains(["IAM_IDC", "DISABLED"], var.single_sign_on_type)
    error_message = "single_sign_on_type must be \"IAM_IDC\" or \"DISABLED\"; got \"${var.single_sign_on_type}\"."
  }
}

variable "single_sign_on_user_assignment" {
  description = "With IAM_IDC: \"MANUAL\" admits only the Identity Center users and groups added to the domain, \"AUTOMATIC\" every user of the Identity Center instance."
  type        = string
  default     = "MANUAL"

  validation {
    condition     = contains(["MANUAL", "AUTOMATIC"], var.single_sign_on_user_assignment)
    error_message = "single_sign_on_user_assignment must be \"MANUAL\" or \"AUTOMATIC\"; got \"${var.single_sign_on_user_assignment}\"."
  }
}

################################################################################
# Encryption
################################################################################

variable "create_kms_key" {
  description = "Whether the module creates the domain key (rotation on, key policy admitting the domain roles of this account); false uses kms_key_arn. A flag rather than kms_key_arn == null, so that kms_key_arn may be known only after apply."
  type        = bool
  default     = true
}

variable "kms_key_arn" {
  description = "ARN of an existing symmetric customer managed KMS key in the domain's account and region that encrypts the domain when create_kms_key is false (its key policy must admit the domain roles, see domain_execution_role_arn and domain_service_role_arn); must be null when it is true."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", coalesce(var.kms_key_arn, "x")))
    error_message = "kms_key_arn must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>, not an alias) or null; got \"${coalesce(var.kms_key_arn, "null")}\"."
  }

  validation {
    condition     = var.create_kms_key == (var.kms_key_arn == null)
    error_message = "kms_key_arn must be set when create_kms_key is false, and null when it is true."
  }
}

variable "kms_key_deletion_window_in_days" {
  description = "Waiting period, in days, before the domain key created by the module is deleted after it is scheduled for deletion."
  type        = number
  default     = 30

  validation {
    condition     = var.kms_key_deletion_window_in_days >= 7 && var.kms_key_deletion_window_in_days <= 30 && floor(var.kms_key_deletion_window_in_days) == var.kms_key_deletion_window_in_days
    error_message = "kms_key_deletion_window_in_days must be a whole number from 7 to 30; got ${var.kms_key_deletion_window_in_days}."
  }
}

################################################################################
# IAM
################################################################################

variable "permissions_boundary_arn" {
  description = "ARN of the IAM policy set as permissions boundary on the four roles of the module, or null for none."
  type        = string
  default     = null

  validation {
    condition     = var.permissions_boundary_arn == null || can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+$", coalesce(var.permissions_boundary_arn, "x")))
    error_message = "permissions_boundary_arn must be an IAM policy ARN (arn:<partition>:iam::<account or aws>:policy/<name>) or null; got \"${coalesce(var.permissions_boundary_arn, "null")}\"."
  }
}

################################################################################
# Data-lake blueprint and projects
################################################################################

variable "data_lake_s3_location" {
  description = "S3 URI (s3://<bucket>[/<prefix>]) where the data-lake blueprint keeps project data in this region (its S3Location regional parameter), or null for the blueprint's default."
  type        = string
  default     = null

  validation {
    condition     = var.data_lake_s3_location == null || can(regex("^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?$", coalesce(var.data_lake_s3_location, "x")))
    error_message = "data_lake_s3_location must be an S3 URI (s3://<bucket>[/<prefix>]) or null; got \"${coalesce(var.data_lake_s3_location, "null")}\"."
  }
}

variable "teams" {
  description = "One DataZone project per team, keyed by project name (1-64 letters, digits, underscores, hyphens or inner spaces): description (at most 2048 characters). The principal running Terraform owns the projects."
  type = map(object({
    description = optional(string)
  }))
  default = {}

  validation {
    condition     = alltrue([for team in keys(var.teams) : can(regex("^[A-Za-z0-9_-]([A-Za-z0-9_ -]{0,62}[A-Za-z0-9_-])?$", team))])
    error_message = "teams keys are DataZone project names: 1-64 letters, digits, underscores, hyphens or spaces, not starting or ending with a space; not: ${join(", ", [for team in keys(var.teams) : "\"${team}\"" if !can(regex("^[A-Za-z0-9_-]([A-Za-z0-9_ -]{0,62}[A-Za-z0-9_-])?$", team))])}."
  }

  validation {
    condition     = alltrue([for team, t in var.teams : t.description == null || length(coalesce(t.description, " ")) <= 2048])
    error_message = "teams descriptions must be at most 2048 characters; not: ${join(", ", [for team, t in var.teams : team if !(t.description == null || length(coalesce(t.description, " ")) <= 2048)])}."
  }
}
