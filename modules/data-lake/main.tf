data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

# The principal running Terraform, as an IAM role ARN even when it runs with an assumed-role
# session: it must be a data lake administrator to create LF-tags, assign them and grant on them.
data "aws_iam_session_context" "current" {
  arn = data.aws_caller_identity.current.arn
}

locals {
  partition  = data.aws_partition.current.partition
  dns_suffix = data.aws_partition.current.dns_suffix
  region     = data.aws_region.current.id
  account_id = data.aws_caller_identity.current.account_id

  tags = merge(var.tags, {
    "mlgov:component" = "data-lake"
    "mlgov:lake"      = var.name
  })

  zones = ["raw", "curated"]
  bucket_names = {
    raw     = "${var.name}-raw-${local.account_id}-${local.region}"
    curated = "${var.name}-curated-${local.account_id}-${local.region}"
    results = "${var.name}-results-${local.account_id}-${local.region}"
  }

  # Every bucket Lake Formation vends access to: the zones and, when enabled, the offline store.
  registered_bucket_arns = concat(
    [for zone in local.zones : module.zone_bucket[zone].bucket_arn],
    local.feature_store_enabled ? [module.feature_store_bucket[0].bucket_arn] : [],
  )

  lake_admins = distinct(concat(var.lake_admin_principal_arns, [data.aws_iam_session_context.current.issuer_arn]))

  # Every table of every database, keyed "<database>.<table>".
  tables = merge([
    for database, db in var.databases : {
      for table, t in db.tables : "${database}.${table}" => merge(t, { database = database, name = table })
    }
  ]...)

  # Hive storage of each format: input/output format, SerDe and its parameters.
  formats = {
    parquet = {
      input_format          = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
      output_format         = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"
      serialization_library = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
      serde_parameters      = { "serialization.format" = "1" }
      table_parameters      = { classification = "parquet" }
    }
    csv = {
      input_format          = "org.apache.hadoop.mapred.TextInputFormat"
      output_format         = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"
      serialization_library = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"
      serde_parameters      = { "field.delim" = ",", "serialization.format" = "," }
      table_parameters      = { classification = "csv", "skip.header.line.count" = "1" }
    }
    json = {
      input_format          = "org.apache.hadoop.mapred.TextInputFormat"
      output_format         = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"
      serialization_library = "org.openx.data.jsonserde.JsonSerDe"
      serde_parameters      = { "serialization.format" = "1" }
      table_parameters      = { classification = "json" }
    }
  }

  workgroup_name = coalesce(var.athena_workgroup_name, var.name)

  # Whom each grant names: the account (its data lake administrator re-grants inside it) or, with
  # principal_arn, one IAM role of that account directly (nothing to re-grant there).
  grant_principals = { for account, grant in var.consumer_grants : account => coalesce(grant.principal_arn, account) }

  # Every table filter of every consumer grant, keyed "<account>/<database>.<table>".
  table_filters = merge([
    for account, grant in var.consumer_grants : {
      for table, filter in grant.table_filters : "${account}/${table}" => merge(filter, {
        account     = account
        table       = table
        database    = split(".", table)[0]
        name        = split(".", table)[1]
        permissions = grant.permissions
        expression  = grant.expression
      })
    }
  ]...)
}
