variable "name" {
  description = "Name of the lake (e.g. \"mlgov-lake\"): prefixes every resource name (buckets, KMS alias, registration role, Athena workgroup)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,22}[a-z0-9]$", var.name))
    error_message = "name must be 2-24 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen; got \"${var.name}\"."
  }
}

variable "organization_id" {
  description = "AWS Organizations id; the lake and results buckets deny principals outside this organization (aws:PrincipalOrgID); consumer accounts belong to it."
  type        = string

  validation {
    condition     = can(regex("^o-[a-z0-9]{10,32}$", var.organization_id))
    error_message = "organization_id must be \"o-\" followed by 10-32 lowercase letters or digits; got \"${var.organization_id}\"."
  }
}

variable "tags" {
  description = "Tags applied to every taggable resource of the module."
  type        = map(string)
  default     = {}
}

################################################################################
# Lake Formation
################################################################################

variable "lake_admin_principal_arns" {
  description = "Exact IAM role or user ARNs (e.g. IAM Identity Center permission-set roles) that become Lake Formation data lake administrators. The principal running Terraform is added as well: only administrators may create LF-tags, assign them and grant on them."
  type        = list(string)

  validation {
    condition     = length(var.lake_admin_principal_arns) > 0
    error_message = "lake_admin_principal_arns must name at least one IAM role or user ARN."
  }

  validation {
    condition     = alltrue([for a in var.lake_admin_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/[A-Za-z0-9+=,.@_/-]+$", a))])
    error_message = "lake_admin_principal_arns must contain exact IAM role or user ARNs (arn:<partition>:iam::<account>:role/<name>, no wildcards); not: ${join(", ", [for a in var.lake_admin_principal_arns : a if !can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/[A-Za-z0-9+=,.@_/-]+$", a))])}."
  }
}

variable "lf_tags" {
  description = "LF-tags of the lake: tag key -> allowed values, e.g. { domain = [\"sales\", \"marketing\"], classification = [\"public\", \"internal\", \"confidential\"] }. Databases, tables and consumer grants may only use these keys and values."
  type        = map(list(string))

  validation {
    condition     = length(var.lf_tags) > 0
    error_message = "lf_tags must define at least one LF-tag key (grants are LF-tag expressions)."
  }

  validation {
    condition     = alltrue([for k in keys(var.lf_tags) : can(regex("^[a-z][a-z0-9_.:/=+@-]{0,127}$", k))])
    error_message = "lf_tags keys must be 1-128 characters, lowercase, starting with a letter (letters, digits, _ . : / = + @ -); not: ${join(", ", [for k in keys(var.lf_tags) : k if !can(regex("^[a-z][a-z0-9_.:/=+@-]{0,127}$", k))])}."
  }

  validation {
    condition     = alltrue([for k, v in var.lf_tags : length(v) > 0 && length(v) <= 1000 && length(distinct(v)) == length(v)])
    error_message = "every lf_tags key needs 1-1000 distinct values; not: ${join(", ", [for k, v in var.lf_tags : k if !(length(v) > 0 && length(v) <= 1000 && length(distinct(v)) == length(v))])}."
  }

  validation {
    condition     = alltrue(flatten([for k, v in var.lf_tags : [for value in v : can(regex("^[a-zA-Z0-9_.:/=+@-]{1,256}$", value))]]))
    error_message = "lf_tags values must be 1-256 letters, digits or _ . : / = + @ - (no spaces, no wildcard); not: ${join(", ", flatten([for k, v in var.lf_tags : [for value in v : "${k}=${value}" if !can(regex("^[a-zA-Z0-9_.:/=+@-]{1,256}$", value))]]))}."
  }
}

variable "databases" {
  description = "Glue databases of the lake, keyed by database name: description, lf_tags (tag key -> one value, assigned to the database and inherited by its tables) and tables (zone \"raw\" or \"curated\" selects the bucket, format \"parquet\", \"csv\" or \"json\", columns, partition keys, and lf_tags overriding the database's per key)."
  type = map(object({
    description = optional(string)
    lf_tags     = map(string)
    tables = optional(map(object({
      description = optional(string)
      zone        = optional(string, "curated")
      format      = optional(string, "parquet")
      columns = list(object({
        name    = string
        type    = string
        comment = optional(string)
      }))
      partition_keys = optional(list(object({
        name = string
        type = string
      })), [])
      lf_tags = optional(map(string), {})
    })), {})
  }))

  validation {
    condition     = alltrue([for d in keys(var.databases) : can(regex("^[a-z][a-z0-9_]{0,254}$", d))])
    error_message = "databases keys are Glue database names: lowercase letters, digits and underscores, starting with a letter (Athena reads no other names); not: ${join(", ", [for d in keys(var.databases) : d if !can(regex("^[a-z][a-z0-9_]{0,254}$", d))])}."
  }

  validation {
    condition     = alltrue(flatten([for d, db in var.databases : [for t in keys(db.tables) : can(regex("^[a-z][a-z0-9_]{0,254}$", t))]]))
    error_message = "table names must be lowercase letters, digits and underscores, starting with a letter; not: ${join(", ", flatten([for d, db in var.databases : [for t in keys(db.tables) : "${d}.${t}" if !can(regex("^[a-z][a-z0-9_]{0,254}$", t))]]))}."
  }

  validation {
    condition     = alltrue(flatten([for d, db in var.databases : [for k, v in db.lf_tags : contains(keys(var.lf_tags), k) && contains(lookup(var.lf_tags, k, []), v)]]))
    error_message = "database lf_tags must use keys and values declared in lf_tags; not: ${join(", ", flatten([for d, db in var.databases : [for k, v in db.lf_tags : "${d}: ${k}=${v} (allowed: ${contains(keys(var.lf_tags), k) ? join("|", var.lf_tags[k]) : "no such key; keys are ${join(", ", keys(var.lf_tags))}"})" if !(contains(keys(var.lf_tags), k) && contains(lookup(var.lf_tags, k, []), v))]]))}."
  }

  validation {
    condition     = alltrue(flatten([for d, db in var.databases : [for t, table in db.tables : [for k, v in table.lf_tags : contains(keys(var.lf_tags), k) && contains(lookup(var.lf_tags, k, []), v)]]]))
    error_message = "table lf_tags must use keys and values declared in lf_tags; not: ${join(", ", flatten([for d, db in var.databases : [for t, table in db.tables : [for k, v in table.lf_tags : "${d}.${t}: ${k}=${v} (allowed: ${contains(keys(var.lf_tags), k) ? join("|", var.lf_tags[k]) : "no such key; keys are ${join(", ", keys(var.lf_tags))}"})" if !(contains(keys(var.lf_tags), k) && contains(lookup(var.lf_tags, k, []), v))]]]))}."
  }

  validation {
    condition     = alltrue(flatten([for d, db in var.databases : [for t, table in db.tables : contains(["raw", "curated"], table.zone)]]))
    error_message = "table zone must be \"raw\" or \"curated\"; not: ${join(", ", flatten([for d, db in var.databases : [for t, table in db.tables : "${d}.${t} (\"${table.zone}\")" if !contains(["raw", "curated"], table.zone)]]))}."
  }

  validation {
    condition     = alltrue(flatten([for d, db in var.databases : [for t, table in db.tables : contains(["parquet", "csv", "json"], table.format)]]))
    error_message = "table format must be \"parquet\", \"csv\" or \"json\"; not: ${join(", ", flatten([for d, db in var.databases : [for t, table in db.tables : "${d}.${t} (\"${table.format}\")" if !contains(["parquet", "csv", "json"], table.format)]]))}."
  }

  validation {
    condition     = alltrue(flatten([for d, db in var.databases : [for t, table in db.tables : length(table.columns) > 0]]))
    error_message = "every table needs at least one column; not: ${join(", ", flatten([for d, db in var.databases : [for t, table in db.tables : "${d}.${t}" if length(table.columns) == 0]]))}."
  }

  validation {
    condition     = alltrue(flatten([for d, db in var.databases : [for t, table in db.tables : [for c in concat(table.columns, table.partition_keys) : can(regex("^[a-z_][a-z0-9_]{0,254}$", c.name)) && trimspace(c.type) != ""]]]))
    error_message = "columns and partition keys need a lowercase name (letters, digits, underscores) and a non-empty Hive type (e.g. string, bigint, decimal(10,2)); not: ${join(", ", flatten([for d, db in var.databases : [for t, table in db.tables : [for c in concat(table.columns, table.partition_keys) : "${d}.${t}.${c.name} (type \"${c.type}\")" if !(can(regex("^[a-z_][a-z0-9_]{0,254}$", c.name)) && trimspace(c.type) != "")]]]))}."
  }

  validation {
    condition     = alltrue(flatten([for d, db in var.databases : [for t, table in db.tables : length(distinct([for c in concat(table.columns, table.partition_keys) : c.name])) == length(concat(table.columns, table.partition_keys))]]))
    error_message = "column and partition key names must be unique within a table; not: ${join(", ", flatten([for d, db in var.databases : [for t, table in db.tables : "${d}.${t}" if length(distinct([for c in concat(table.columns, table.partition_keys) : c.name])) != length(concat(table.columns, table.partition_keys))]]))}."
  }
}

variable "consumer_grants" {
  description = "Lake Formation grants to ML dev accounts, keyed by account id: expression (LF-tag key -> allowed values; matching databases get DESCRIBE, matching tables the permissions), permissions (a subset of DESCRIBE and SELECT; never ALL, never with grant option), principal_arn (null: the grants name the account, whose data lake administrator re-grants inside it; an IAM role ARN of that account: the grants name that role directly, nothing to re-grant) and table_filters (\"<database>.<table>\" -> column_names or excluded_column_names and/or a row_filter expression: the account gets the permissions on that data cells filter only, for tables its expression does not match). Shared to the account through AWS RAM (cross-account version 4)."
  type = map(object({
    expression    = map(list(string))
    permissions   = optional(list(string), ["DESCRIBE", "SELECT"])
    principal_arn = optional(string)
    table_filters = optional(map(object({
      column_names          = optional(list(string))
      excluded_column_names = optional(list(string))
      row_filter            = optional(string)
    })), {})
  }))
  default = {}

  validation {
    condition     = alltrue([for a in keys(var.consumer_grants) : can(regex("^[0-9]{12}$", a))])
    error_message = "consumer_grants keys must be 12-digit AWS account ids; not: ${join(", ", [for a in keys(var.consumer_grants) : a if !can(regex("^[0-9]{12}$", a))])}."
  }

  validation {
    condition     = alltrue([for a, g in var.consumer_grants : g.principal_arn == null || can(regex("^arn:aws[a-z-]*:iam::${a}:role/[A-Za-z0-9+=,.@_/-]+$", coalesce(g.principal_arn, "x")))])
    error_message = "consumer_grants[*].principal_arn must be an exact IAM role ARN of the grant's own account; not: ${join(", ", [for a, g in var.consumer_grants : "${a}: ${coalesce(g.principal_arn, "null")}" if !(g.principal_arn == null || can(regex("^arn:aws[a-z-]*:iam::${a}:role/[A-Za-z0-9+=,.@_/-]+$", coalesce(g.principal_arn, "x"))))])}."
  }

  validation {
    condition     = alltrue([for a, g in var.consumer_grants : length(g.expression) > 0])
    error_message = "every consumer grant needs a non-empty LF-tag expression (an empty one would match nothing); not: ${join(", ", [for a, g in var.consumer_grants : a if length(g.expression) == 0])}."
  }

  validation {
    condition     = alltrue(flatten([for a, g in var.consumer_grants : [for k, v in g.expression : contains(keys(var.lf_tags), k) && length(v) > 0 && length(setsubtract(v, lookup(var.lf_tags, k, []))) == 0]]))
    error_message = "consumer grant expressions must use LF-tag keys and values declared in lf_tags, each key with at least one value; not: ${join(", ", flatten([for a, g in var.consumer_grants : [for k, v in g.expression : "${a}: ${k} in [${join(", ", v)}] (${contains(keys(var.lf_tags), k) ? "allowed: ${join("|", var.lf_tags[k])}" : "no such key; keys are ${join(", ", keys(var.lf_tags))}"})" if !(contains(keys(var.lf_tags), k) && length(v) > 0 && length(setsubtract(v, lookup(var.lf_tags, k, []))) == 0)]]))}."
  }

  validation {
    condition     = alltrue([for a, g in var.consumer_grants : length(g.permissions) > 0 && length(setsubtract(g.permissions, ["DESCRIBE", "SELECT"])) == 0])
    error_message = "consumer grant permissions must be a non-empty subset of [\"DESCRIBE\", \"SELECT\"] (never ALL, ALTER, DROP, INSERT, DELETE or a grant option); not: ${join(", ", [for a, g in var.consumer_grants : "${a} [${join(", ", g.permissions)}]" if !(length(g.permissions) > 0 && length(setsubtract(g.permissions, ["DESCRIBE", "SELECT"])) == 0)])}."
  }

  validation {
    condition     = alltrue(flatten([for a, g in var.consumer_grants : [for t in keys(g.table_filters) : contains(flatten([for d, db in var.databases : [for n in keys(db.tables) : "${d}.${n}"]]), t)]]))
    error_message = "consumer grant table_filters keys must name a table of databases as \"<database>.<table>\"; not: ${join(", ", flatten([for a, g in var.consumer_grants : [for t in keys(g.table_filters) : "${a}: ${t}" if !(contains(flatten([for d, db in var.databases : [for n in keys(db.tables) : "${d}.${n}"]]), t))]]))}."
  }

  validation {
    condition     = alltrue(flatten([for a, g in var.consumer_grants : [for t, f in g.table_filters : !(f.column_names != null && f.excluded_column_names != null) && (f.column_names != null || f.excluded_column_names != null || f.row_filter != null)]]))
    error_message = "each consumer grant table filter needs column_names or excluded_column_names (not both) and/or a row_filter; not: ${join(", ", flatten([for a, g in var.consumer_grants : [for t, f in g.table_filters : "${a}: ${t}" if !(!(f.column_names != null && f.excluded_column_names != null) && (f.column_names != null || f.excluded_column_names != null || f.row_filter != null))]]))}."
  }

  validation {
    condition     = alltrue(flatten([for a, g in var.consumer_grants : [for t, f in g.table_filters : f.row_filter == null || trimspace(coalesce(f.row_filter, " ")) != ""]]))
    error_message = "a consumer grant row_filter must be a non-empty PartiQL condition (e.g. \"country = 'DE'\") or null for all rows; not: ${join(", ", flatten([for a, g in var.consumer_grants : [for t, f in g.table_filters : "${a}: ${t}" if !(f.row_filter == null || trimspace(coalesce(f.row_filter, " ")) != "")]]))}."
  }
}

################################################################################
# Central feature store
################################################################################

variable "feature_store" {
  description = "Central feature store, or null for none: database (Glue database of the offline stores, default \"feature_store\"), lf_tags (tag key -> one value, assigned to that database and inherited by every group's offline table) and feature_groups keyed by feature group name: description, record_identifier and event_time (names of two of its features; the event time feature is String (ISO 8601) or Fractional (epoch seconds)), features (name, type Integral | Fractional | String), online (also keep an online store, encrypted with the lake key), lf_tags (overrides of the database's values for the group's offline table) and shared_with_account_ids (ML dev accounts that may discover the catalog and read the group's records read-only through AWS RAM; its offline table is governed by their LF-tag grants)."
  type = object({
    database = optional(string, "feature_store")
    lf_tags  = map(string)
    feature_groups = optional(map(object({
      description       = optional(string)
      record_identifier = string
      event_time        = string
      features = list(object({
        name = string
        type = string
      }))
      online                  = optional(bool, false)
      lf_tags                 = optional(map(string), {})
      shared_with_account_ids = optional(list(string), [])
    })), {})
  })
  default = null

  validation {
    condition     = var.feature_store == null || can(regex("^[a-z][a-z0-9_]{0,254}$", try(var.feature_store.database, "")))
    error_message = "feature_store.database must be a Glue database name of lowercase letters, digits and underscores, starting with a letter; got \"${try(var.feature_store.database, "")}\"."
  }

  validation {
    condition     = var.feature_store == null || try(!contains(keys(var.databases), var.feature_store.database), true)
    error_message = "feature_store.database must not be one of databases (${join(", ", keys(var.databases))}): its tables are created by SageMaker Feature Store."
  }

  validation {
    condition     = var.feature_store == null || try(length(var.feature_store.lf_tags) > 0 && alltrue([for k, v in var.feature_store.lf_tags : contains(lookup(var.lf_tags, k, []), v)]), false)
    error_message = "feature_store.lf_tags must assign at least one LF-tag, each a key and value declared in lf_tags (keys: ${join(", ", keys(var.lf_tags))})."
  }

  validation {
    condition     = var.feature_store == null || try(alltrue([for name in keys(var.feature_store.feature_groups) : can(regex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$", name)) && length(name) <= 63]), false)
    error_message = "feature_store.feature_groups keys are feature group names: up to 63 lowercase letters, digits and single hyphens, starting with a letter (the Glue table name replaces hyphens with underscores); not: ${join(", ", [for name in keys(var.feature_store.feature_groups) : name if !(can(regex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$", name)) && length(name) <= 63)])}."
  }

  validation {
    condition     = var.feature_store == null || try(alltrue(flatten([for g, group in var.feature_store.feature_groups : [for f in group.features : can(regex("^[a-z][a-z0-9_]{0,63}$", f.name)) && contains(["Integral", "Fractional", "String"], f.type) && !contains(["is_deleted", "write_time", "api_invocation_time"], f.name)]])), false)
    error_message = "features need a lowercase name (letters, digits, _; up to 64; not is_deleted, write_time or api_invocation_time, which the offline store adds) and type Integral, Fractional or String; not: ${join(", ", flatten([for g, group in var.feature_store.feature_groups : [for f in group.features : "${g}.${f.name} (${f.type})" if !(can(regex("^[a-z][a-z0-9_]{0,63}$", f.name)) && contains(["Integral", "Fractional", "String"], f.type) && !contains(["is_deleted", "write_time", "api_invocation_time"], f.name))]]))}."
  }

  validation {
    condition     = var.feature_store == null || try(alltrue([for g, group in var.feature_store.feature_groups : length(group.features) == length(distinct([for f in group.features : f.name])) && contains([for f in group.features : f.name], group.record_identifier) && contains([for f in group.features : f.name if f.type != "Integral"], group.event_time)]), false)
    error_message = "every feature group needs unique feature names, a record_identifier among its features and an event_time feature of type String or Fractional; not: ${join(", ", [for g, group in var.feature_store.feature_groups : g if !(length(group.features) == length(distinct([for f in group.features : f.name])) && contains([for f in group.features : f.name], group.record_identifier) && contains([for f in group.features : f.name if f.type != "Integral"], group.event_time))])}."
  }

  validation {
    condition     = var.feature_store == null || try(alltrue(flatten([for g, group in var.feature_store.feature_groups : [for k, v in group.lf_tags : contains(lookup(var.lf_tags, k, []), v)]])), false)
    error_message = "feature group lf_tags must use keys and values declared in lf_tags; not: ${join(", ", flatten([for g, group in var.feature_store.feature_groups : [for k, v in group.lf_tags : "${g}: ${k}=${v}" if !contains(lookup(var.lf_tags, k, []), v)]]))}."
  }

  validation {
    condition     = var.feature_store == null || try(alltrue(flatten([for g, group in var.feature_store.feature_groups : [for a in group.shared_with_account_ids : can(regex("^[0-9]{12}$", a))]])), false)
    error_message = "feature group shared_with_account_ids must be 12-digit AWS account ids; not: ${join(", ", flatten([for g, group in var.feature_store.feature_groups : [for a in group.shared_with_account_ids : "${g}: ${a}" if !can(regex("^[0-9]{12}$", a))]]))}."
  }
}

################################################################################
# Storage and Athena
################################################################################

variable "access_log_bucket_name" {
  description = "Existing bucket, in the same account and region as the lake buckets, that receives their S3 server access logs (prefix s3/<bucket>/), or null for none."
  type        = string
  default     = null

  validation {
    condition     = var.access_log_bucket_name == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", coalesce(var.access_log_bucket_name, "x")))
    error_message = "access_log_bucket_name must be a valid S3 bucket name or null; got \"${coalesce(var.access_log_bucket_name, "null")}\"."
  }
}

variable "noncurrent_version_expiration_days" {
  description = "Days after which noncurrent object versions in the lake and results buckets are deleted."
  type        = number
  default     = 90

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1 && floor(var.noncurrent_version_expiration_days) == var.noncurrent_version_expiration_days
    error_message = "noncurrent_version_expiration_days must be a whole number of at least 1; got ${var.noncurrent_version_expiration_days}."
  }
}

variable "kms_key_deletion_window_in_days" {
  description = "Waiting period, in days, before the lake KMS key is deleted after it is scheduled for deletion."
  type        = number
  default     = 30

  validation {
    condition     = var.kms_key_deletion_window_in_days >= 7 && var.kms_key_deletion_window_in_days <= 30 && floor(var.kms_key_deletion_window_in_days) == var.kms_key_deletion_window_in_days
    error_message = "kms_key_deletion_window_in_days must be a whole number from 7 to 30; got ${var.kms_key_deletion_window_in_days}."
  }
}

variable "athena_workgroup_name" {
  description = "Name of the Athena workgroup; null for the lake name."
  type        = string
  default     = null

  validation {
    condition     = var.athena_workgroup_name == null || can(regex("^[a-zA-Z0-9._-]{1,128}$", coalesce(var.athena_workgroup_name, "x")))
    error_message = "athena_workgroup_name must be 1-128 letters, digits, periods, underscores or hyphens; got \"${coalesce(var.athena_workgroup_name, "null")}\"."
  }
}

variable "athena_bytes_scanned_cutoff_per_query" {
  description = "Upper limit of bytes one query in the workgroup may scan before Athena cancels it (at least 10 MiB = 10485760); null for no limit."
  type        = number
  default     = 107374182400

  validation {
    condition     = var.athena_bytes_scanned_cutoff_per_query == null || coalesce(var.athena_bytes_scanned_cutoff_per_query, 10485760) >= 10485760
    error_message = "athena_bytes_scanned_cutoff_per_query must be at least 10485760 bytes (10 MiB) or null; got ${coalesce(var.athena_bytes_scanned_cutoff_per_query, 0)}."
  }
}
