variable "tags" {
  description = "A map of tags to add to every taggable resource the module creates."
  type        = map(string)
  default     = {}
}

variable "organization_id" {
  description = "AWS Organizations id whose member accounts may be granted access (used in aws:PrincipalOrgID and aws:SourceOrgID conditions)."
  type        = string

  validation {
    condition     = can(regex("^o-[a-z0-9]{10,32}$", var.organization_id))
    error_message = "The organization_id must be \"o-\" followed by 10 to 32 lowercase letters or digits, e.g. o-a1b2c3d4e5."
  }
}

variable "consumer_account_ids" {
  description = "Account ids of the deployment targets (test, prod) that may read promoted artifacts, pull promoted images and deploy central model packages."
  type        = list(string)

  validation {
    condition     = length(var.consumer_account_ids) > 0 && alltrue([for id in var.consumer_account_ids : can(regex("^[0-9]{12}$", id))])
    error_message = "The consumer_account_ids must be a non-empty list of 12-digit AWS account ids."
  }

  validation {
    condition     = length(distinct(var.consumer_account_ids)) == length(var.consumer_account_ids)
    error_message = "The consumer_account_ids must not contain duplicates."
  }

  # The ECR repository policy (10,240 characters) is the tightest limit: about 129 accounts
  # measured worst case; 100 leaves headroom (see README, "Policy size limits").
  validation {
    condition     = length(var.consumer_account_ids) <= 100
    error_message = "At most 100 consumer accounts are supported, so every resource policy stays within its AWS size limit."
  }
}

################################################################################
# KMS
################################################################################

variable "kms_alias_name" {
  description = "Alias of the registry KMS key, including the \"alias/\" prefix (naming contract: alias/{prefix}-model-registry)."
  type        = string

  validation {
    condition     = can(regex("^alias/[a-zA-Z0-9/_-]{1,250}$", var.kms_alias_name)) && !startswith(var.kms_alias_name, "alias/aws/")
    error_message = "The kms_alias_name must start with \"alias/\", contain only letters, digits, \"/\", \"_\" and \"-\", be at most 256 characters, and must not start with the reserved \"alias/aws/\"."
  }
}

variable "kms_key_deletion_window_in_days" {
  description = "Waiting period, in days, before the registry KMS key is deleted after it is scheduled for deletion."
  type        = number
  default     = 30

  validation {
    condition     = var.kms_key_deletion_window_in_days >= 7 && var.kms_key_deletion_window_in_days <= 30 && floor(var.kms_key_deletion_window_in_days) == var.kms_key_deletion_window_in_days
    error_message = "The kms_key_deletion_window_in_days must be a whole number between 7 and 30."
  }
}

################################################################################
# S3 artifact store
################################################################################

variable "artifact_bucket_name" {
  description = "Name of the hub artifact bucket (naming contract: {prefix}-model-artifacts-{hub_account_id}-{region})."
  type        = string

  validation {
    condition = alltrue([
      can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.artifact_bucket_name)),
      !strcontains(var.artifact_bucket_name, ".."),
      !can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+$", var.artifact_bucket_name)),
      !startswith(var.artifact_bucket_name, "xn--"),
      !endswith(var.artifact_bucket_name, "-s3alias"),
    ])
    error_message = "The artifact_bucket_name must be a valid S3 bucket name: 3-63 lowercase letters, digits, \".\" or \"-\", starting and ending with a letter or digit, no \"..\", not an IP address, no \"xn--\" prefix or \"-s3alias\" suffix."
  }
}

variable "noncurrent_version_expiration_days" {
  description = "Number of days after which noncurrent object versions in the artifact bucket are permanently deleted."
  type        = number
  default     = 90

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1 && floor(var.noncurrent_version_expiration_days) == var.noncurrent_version_expiration_days
    error_message = "The noncurrent_version_expiration_days must be a whole number of at least 1."
  }
}

variable "staging_expiration_days" {
  description = "Number of days after which staged copies under staging/ in the artifact bucket (written by the dev accounts' promotion-source roles, then copied to promoted/ by the promoter) and their noncurrent versions are permanently deleted."
  type        = number
  default     = 7

  validation {
    condition     = var.staging_expiration_days >= 1 && var.staging_expiration_days <= 90 && floor(var.staging_expiration_days) == var.staging_expiration_days
    error_message = "The staging_expiration_days must be a whole number between 1 and 90: staged copies are only kept so a failed promotion can resume."
  }
}

variable "access_logging" {
  description = "Server access logging target for the artifact bucket (an existing log bucket that accepts S3 log delivery); null disables access logging."
  type = object({
    target_bucket = string
    target_prefix = optional(string)
  })
  default = null

  validation {
    condition     = var.access_logging == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.access_logging.target_bucket))
    error_message = "The access_logging.target_bucket must be a valid S3 bucket name (3-63 lowercase letters, digits, \".\" or \"-\")."
  }
}

variable "artifact_writers" {
  description = "Cross-account writers of staged artifacts: the role, same name in each listed dev account, that signs the first of the promoter's two server-side copies (naming contract: {prefix}-promotion-source); each may write only under staging/<its own account id>/, never promoted/. Null grants no cross-account write."
  type = object({
    role_name         = string
    account_ids       = list(string)
    organization_path = optional(string)
  })
  default = null

  validation {
    condition     = var.artifact_writers == null || can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", try(var.artifact_writers.role_name, "")))
    error_message = "The artifact_writers.role_name must be an IAM role name without path: 1-64 characters from letters, digits and +=,.@_-."
  }

  validation {
    condition = var.artifact_writers == null || (
      length(try(var.artifact_writers.account_ids, [])) > 0 &&
      alltrue([for id in try(var.artifact_writers.account_ids, []) : can(regex("^[0-9]{12}$", id))])
    )
    error_message = "The artifact_writers.account_ids must be a non-empty list of 12-digit AWS account ids (the dev accounts promoted from)."
  }

  validation {
    condition = var.artifact_writers == null || (
      length(distinct(try(var.artifact_writers.account_ids, []))) == length(try(var.artifact_writers.account_ids, []))
    )
    error_message = "The artifact_writers.account_ids must not contain duplicates."
  }

  # Every account id is listed once in the bucket policy and once in the key policy; 100 keeps
  # both far below their limits (see README, "Policy size limits").
  validation {
    condition     = var.artifact_writers == null || length(try(var.artifact_writers.account_ids, [])) <= 100
    error_message = "At most 100 artifact_writers.account_ids are supported, so the bucket and key policies stay within their AWS size limits."
  }

  validation {
    # Each operand is safe on null values: Terraform evaluates both sides of "||".
    condition = var.artifact_writers == null || try(var.artifact_writers.organization_path == null, true) || (
      can(regex("^o-[a-z0-9]{10,32}/r-[a-z0-9]{4,32}/(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}/)*$", var.artifact_writers.organization_path)) &&
      try(startswith(var.artifact_writers.organization_path, "${var.organization_id}/"), false)
    )
    error_message = "The artifact_writers.organization_path must be an aws:PrincipalOrgPaths value of this organization ending in \"/\", e.g. o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/."
  }
}

################################################################################
# ECR
################################################################################

variable "image_repository_names" {
  description = "Names of the ECR repositories for promoted images, one per dev team (naming contract: {prefix}-promoted/{team})."
  type        = list(string)
  default     = []

  validation {
    condition = alltrue([
      for name in var.image_repository_names :
      length(name) >= 2 && length(name) <= 256 && can(regex("^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$", name))
    ])
    error_message = "Each image_repository_names entry must be 2-256 characters of lowercase letters and digits, separated by single \".\", \"_\", \"-\" or \"/\" (e.g. mlgov-promoted/team-a)."
  }

  validation {
    condition     = length(distinct(var.image_repository_names)) == length(var.image_repository_names)
    error_message = "The image_repository_names must not contain duplicates."
  }
}

variable "untagged_image_expiration_days" {
  description = "Number of days after which untagged images in the promoted-image repositories expire."
  type        = number
  default     = 14

  validation {
    condition     = var.untagged_image_expiration_days >= 1 && floor(var.untagged_image_expiration_days) == var.untagged_image_expiration_days
    error_message = "The untagged_image_expiration_days must be a whole number of at least 1."
  }
}

################################################################################
# Model package group policy template
################################################################################

variable "deny_external_model_package_writes" {
  description = "Whether the model package group policy template carries an explicit Deny of CreateModelPackage/UpdateModelPackage/DeleteModelPackage for principals outside the hub account."
  type        = bool
  default     = true
}

variable "model_approver_role_arns" {
  description = "Roles that alone may set a central package's approval status (the ML engineer), as aws:PrincipalArn patterns. The group policy template then denies every other principal UpdateModelPackage with a status, and registration with any status but PendingManualApproval. Null leaves both to IAM and the organization's SCPs."
  type        = list(string)
  default     = null

  validation {
    condition     = var.model_approver_role_arns == null || alltrue([for a in coalesce(var.model_approver_role_arns, []) : can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|\\*):role/", a))])
    error_message = "model_approver_role_arns must be role ARN patterns (arn:aws:iam::<account>:role/<name>); got ${jsonencode(var.model_approver_role_arns)}."
  }
}

variable "promoted_artifact_writer_role_arns" {
  description = "Roles that alone may write or delete objects under promoted/ (the promoter), as aws:PrincipalArn patterns; nobody but break_glass_role_arns deletes an object version there, so the version a lineage manifest records stays readable. Null keeps the hub-account-only rule."
  type        = list(string)
  default     = null

  validation {
    condition     = var.promoted_artifact_writer_role_arns == null || alltrue([for a in coalesce(var.promoted_artifact_writer_role_arns, []) : can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|\\*):role/", a))])
    error_message = "promoted_artifact_writer_role_arns must be role ARN patterns (arn:aws:iam::<account>:role/<name>); got ${jsonencode(var.promoted_artifact_writer_role_arns)}."
  }
}

variable "break_glass_role_arns" {
  description = "Role ARN patterns exempt from the approval and promoted-artifact statements above (the organization's break-glass role)."
  type        = list(string)
  default     = []
}
