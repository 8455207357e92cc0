# Glue databases and tables of the datasets in `databases`. The databases are created after the
# data lake settings, so they get no IAMAllowedPrincipals default for new tables.
resource "aws_glue_catalog_database" "this" {
  for_each = var.databases

  name        = each.key
  description = each.value.description
  tags        = local.tags

  depends_on = [aws_lakeformation_data_lake_settings.this]
}

resource "aws_glue_catalog_table" "this" {
  for_each = local.tables

  database_name = aws_glue_catalog_database.this[each.value.database].name
  name          = each.value.name
  description   = each.value.description
  table_type    = "EXTERNAL_TABLE"

  parameters = merge(local.formats[each.value.format].table_parameters, { EXTERNAL = "TRUE" })

  storage_descriptor {
    location      = "s3://${local.bucket_names[each.value.zone]}/${each.value.database}/${each.value.name}/"
    input_format  = local.formats[each.value.format].input_format
    output_format = local.formats[each.value.format].output_format

    ser_de_info {
      name                  = each.value.format
      serialization_library = local.formats[each.value.format].serialization_library
      parameters            = local.formats[each.value.format].serde_parameters
    }

    dynamic "columns" {
      for_each = each.value.columns

      content {
        name    = columns.value.name
        type    = columns.value.type
        comment = columns.value.comment
      }
    }
  }

  dynamic "partition_keys" {
    for_each = each.value.partition_keys

    content {
      name = partition_keys.value.name
      type = partition_keys.value.type
    }
  }

  # The zone's location must be registered before data lands under it.
  depends_on = [aws_lakeformation_resource.zone]
}

# LF-tags of each database; its tables inherit them.
resource "aws_lakeformation_resource_lf_tags" "database" {
  for_each = var.databases

  database {
    name = aws_glue_catalog_database.this[each.key].name
  }

  dynamic "lf_tag" {
    for_each = each.value.lf_tags

    content {
      key   = aws_lakeformation_lf_tag.this[lf_tag.key].key
      value = lf_tag.value
    }
  }
}

# Table-level LF-tags, only where a table overrides its database's value of a key.
resource "aws_lakeformation_resource_lf_tags" "table" {
  for_each = { for key, table in local.tables : key => table if length(table.lf_tags) > 0 }

  table {
    database_name = aws_glue_catalog_table.this[each.key].database_name
    name          = aws_glue_catalog_table.this[each.key].name
  }

  dynamic "lf_tag" {
    for_each = each.value.lf_tags

    content {
      key   = aws_lakeformation_lf_tag.this[lf_tag.key].key
      value = lf_tag.value
    }
  }

  depends_on = [aws_lakeformation_resource_lf_tags.database]
}
