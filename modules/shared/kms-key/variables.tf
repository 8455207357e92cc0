variable "alias_name" {
  description = "Alias of the key, \"alias/<name>\" (not \"alias/aws/...\", which AWS reserves)."
  type        = string

  validation {
    condition     = can(regex("^alias/[a-zA-Z0-9/_-]{1,250}$", var.alias_name)) && !startswith(var.alias_name, "alias/aws/")
    error_message = "alias_name must be \"alias/\" followed by letters, digits, /, _ or - and must not start with \"alias/aws/\"; got \"${var.alias_name}\"."
  }
}

variable "description" {
  description = "What the key encrypts, shown in the KMS console and in CloudTrail."
  type        = string

  validation {
    condition     = length(var.description) > 0 && length(var.description) <= 8192
    error_message = "description must be 1-8192 characters."
  }
}

variable "policy_documents" {
  description = "IAM policy documents (JSON) whose statements join the key policy after the delegation to IAM in the key's account (sid EnableIamPolicies): AWS services and other accounts, with their conditions."
  type        = list(string)
  default     = []

  validation {
    condition     = !anytrue([for doc in var.policy_documents : contains([for s in try(jsondecode(doc).Statement, []) : try(s.Sid, "")], "EnableIamPolicies")])
    error_message = "policy_documents must not contain a statement with sid \"EnableIamPolicies\": the module writes that statement itself."
  }
}

variable "deletion_window_in_days" {
  description = "Days between scheduling the key's deletion and its deletion (7-30); data encrypted under it is unreadable afterwards."
  type        = number
  default     = 30

  validation {
    condition     = var.deletion_window_in_days >= 7 && var.deletion_window_in_days <= 30 && floor(var.deletion_window_in_days) == var.deletion_window_in_days
    error_message = "deletion_window_in_days must be a whole number from 7 to 30; got ${var.deletion_window_in_days}."
  }
}

variable "rotation_period_in_days" {
  description = "Days between automatic rotations of the key material (90-2560); null keeps AWS's default of 365 days. Rotation itself is always on."
  type        = number
  default     = null

  validation {
    condition     = var.rotation_period_in_days == null || try(var.rotation_period_in_days >= 90 && var.rotation_period_in_days <= 2560 && floor(var.rotation_period_in_days) == var.rotation_period_in_days, false)
    error_message = "rotation_period_in_days must be null or a whole number from 90 to 2560; got ${coalesce(var.rotation_period_in_days, "null")}."
  }
}

variable "tags" {
  description = "Tags applied to the key."
  type        = map(string)
  default     = {}
}
