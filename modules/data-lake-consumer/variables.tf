variable "name" {
  description = "Team workspace name (e.g. \"mlgov-team-a\"): prefixes every resource name of the module (Athena workgroup, role, results bucket, KMS alias)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,22}[a-z0-9]$", var.name))
    error_message = "name must be 2-24 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen; got \"${var.name}\"."
  }
}

variable "organization_id" {
  description = "AWS Organizations id; the Athena role may be assumed only by principals of this organization (aws:PrincipalOrgID)."
  type        = string

  validation {
    condition     = can(regex("^o-[a-z0-9]{10,32}$", var.organization_id))
    error_message = "organization_id must be \"o-\" followed by 10-32 lowercase letters or digits; got \"${var.organization_id}\"."
  }
}

variable "lake_account_id" {
  description = "AWS account id of the data lake account whose Glue Data Catalog holds shared_databases (the catalog id of the resource links' targets)."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.lake_account_id))
    error_message = "lake_account_id must be a 12-digit AWS account id; got \"${var.lake_account_id}\"."
  }
}

variable "shared_databases" {
  description = "Names of the databases in the lake account's Glue Data Catalog that the lake account granted this account (DESCRIBE on the database, SELECT and DESCRIBE on its tables); one resource link is created per database."
  type        = list(string)

  validation {
    condition     = length(var.shared_databases) > 0 && length(distinct(var.shared_databases)) == length(var.shared_databases)
    error_message = "shared_databases must list at least one database, each once; got [${join(", ", var.shared_databases)}]."
  }

  validation {
    condition     = alltrue([for d in var.shared_databases : can(regex("^[a-z0-9_]{1,255}$", d))])
    error_message = "shared_databases entries must be Glue database names of 1-255 lowercase letters, digits or underscores (Athena requires lower case); not: ${join(", ", [for d in var.shared_databases : d if !can(regex("^[a-z0-9_]{1,255}$", d))])}."
  }
}

variable "resource_link_prefix" {
  description = "Prefix of the resource link names: the link to shared database D is named \"<resource_link_prefix><D>\" (default \"lake_\", e.g. lake_sales). The project templates query tables as <prefix><database>.<table>."
  type        = string
  default     = "lake_"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,63}$", var.resource_link_prefix))
    error_message = "resource_link_prefix must be 1-64 lowercase letters, digits or underscores, starting with a letter (Athena database names are lower case); got \"${var.resource_link_prefix}\"."
  }

  validation {
    condition     = alltrue([for d in var.shared_databases : length("${var.resource_link_prefix}${d}") <= 255])
    error_message = "resource_link_prefix plus a shared database name must stay within 255 characters (the Glue database name limit)."
  }
}

variable "manage_data_lake_settings" {
  description = "Whether the module sets this account's Lake Formation data lake settings (administrators = lake_admin_principal_arns and the principal running Terraform, no IAMAllowedPrincipals defaults). The settings are one object per account and region: set false when another stack owns them."
  type        = bool
  default     = true
}

variable "lake_admin_principal_arns" {
  description = "Exact IAM role or user ARNs of this account's Lake Formation data lake administrators besides the principal running Terraform, which the module always adds (only administrators may create the resource links and grant on them)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.lake_admin_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/[A-Za-z0-9+=,.@_/-]+$", a))])
    error_message = "lake_admin_principal_arns must list exact IAM role or user ARNs (no wildcards, no account roots); not: ${join(", ", [for a in var.lake_admin_principal_arns : a if !can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/[A-Za-z0-9+=,.@_/-]+$", a))])}."
  }
}

variable "athena_user_principal_arns" {
  description = "Exact IAM role ARNs allowed to assume the Athena role, e.g. the workspace's persona and execution roles (\"arn:aws:iam::<account>:role/mlgov-team-a-data-scientist\")."
  type        = list(string)

  validation {
    condition     = length(var.athena_user_principal_arns) > 0 && alltrue([for a in var.athena_user_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$", a))])
    error_message = "athena_user_principal_arns must list at least one exact IAM role ARN (no wildcards, no account roots); not: ${join(", ", [for a in var.athena_user_principal_arns : a if !can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$", a))])}."
  }
}

variable "grant_shared_database_permissions" {
  description = "Whether the module grants the Athena role DESCRIBE on each shared database and SELECT and DESCRIBE on all its tables in the lake account's catalog (besides DESCRIBE on the resource links). Lake Formation accepts these grants only if the lake account granted this account the same permissions with the grant option; set false when the lake account grants the Athena role itself."
  type        = bool
  default     = true
}

variable "athena_bytes_scanned_cutoff_per_query" {
  description = "Upper limit of data, in bytes, that one query in the workgroup may scan; Athena cancels the query past it (at least 10485760, i.e. 10 MB)."
  type        = number
  default     = 107374182400

  validation {
    condition     = var.athena_bytes_scanned_cutoff_per_query >= 10485760 && floor(var.athena_bytes_scanned_cutoff_per_query) == var.athena_bytes_scanned_cutoff_per_query
    error_message = "athena_bytes_scanned_cutoff_per_query must be a whole number of bytes of at least 10485760 (10 MB, the Athena minimum); got ${var.athena_bytes_scanned_cutoff_per_query}."
  }
}

variable "results_retention_days" {
  description = "Days after which query results in the results bucket expire (noncurrent versions are deleted one day later)."
  type        = number
  default     = 30

  validation {
    condition     = var.results_retention_days >= 1 && floor(var.results_retention_days) == var.results_retention_days
    error_message = "results_retention_days must be a whole number of at least 1; got ${var.results_retention_days}."
  }
}

variable "access_log_bucket_name" {
  description = "Existing bucket, in the same account and region, that receives the results bucket's S3 server access logs, or null for none."
  type        = string
  default     = null

  validation {
    condition     = var.access_log_bucket_name == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", coalesce(var.access_log_bucket_name, "x")))
    error_message = "access_log_bucket_name must be a valid S3 bucket name or null; got \"${coalesce(var.access_log_bucket_name, "null")}\"."
  }
}

variable "create_kms_key" {
  description = "Whether the module creates the key (rotation on) that encrypts query results and the results bucket; false uses kms_key_arn. A flag rather than kms_key_arn == null, so that kms_key_arn may be known only after apply (e.g. ml-workspace's kms_key_arn in the same configuration)."
  type        = bool
  default     = true
}

variable "kms_key_arn" {
  description = "ARN of an existing customer managed KMS key (e.g. the team key of ml-workspace) that encrypts query results and the results bucket when create_kms_key is false; must be null when it is true."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", coalesce(var.kms_key_arn, "x")))
    error_message = "kms_key_arn must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>) or null; got \"${coalesce(var.kms_key_arn, "null")}\"."
  }

  validation {
    condition     = var.create_kms_key == (var.kms_key_arn == null)
    error_message = "kms_key_arn must be set when create_kms_key is false, and null when it is true."
  }
}

variable "shared_feature_group_arns" {
  description = "ARNs of the central feature store's feature groups shared with this account through AWS RAM (read-only managed permission). The Athena role may describe them, read their records and search the shared feature group catalog; their offline stores are tables of a shared database (list it in shared_databases)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.shared_feature_group_arns : can(regex("^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:[0-9]{12}:feature-group/[a-z0-9-]{1,64}$", a))])
    error_message = "shared_feature_group_arns must contain feature group ARNs (arn:<partition>:sagemaker:<region>:<account>:feature-group/<name>); not: ${join(", ", [for a in var.shared_feature_group_arns : a if !can(regex("^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:[0-9]{12}:feature-group/[a-z0-9-]{1,64}$", a))])}."
  }
}

variable "project_settings_parameter_path" {
  description = "SSM path under which the team's lake settings are written for the SageMaker project templates (athena-role-arn, athena-workgroup), e.g. \"/mlgov/project-settings/\" as in ml-workspace's sagemaker_projects; null for none."
  type        = string
  default     = null

  validation {
    condition     = var.project_settings_parameter_path == null || can(regex("^(/[a-zA-Z0-9_.-]+)+/$", coalesce(var.project_settings_parameter_path, "x")))
    error_message = "project_settings_parameter_path must be an SSM path like \"/mlgov/project-settings/\" (leading and trailing slash) or null; got \"${coalesce(var.project_settings_parameter_path, "null")}\"."
  }
}

variable "tags" {
  description = "Tags applied to every taggable resource of the module."
  type        = map(string)
  default     = {}
}
