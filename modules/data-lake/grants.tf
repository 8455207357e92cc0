# Grants to the ML dev accounts, by LF-tag expression: the databases the expression matches are
# described, the tables it matches get the configured permissions (DESCRIBE and/or SELECT).
# Never a grant option, never ALL: a consumer account cannot pass access on or change the
# catalog. Shared through AWS RAM (CROSS_ACCOUNT_VERSION 4); the account's own administrator
# then creates resource links and grants within that account.
resource "aws_lakeformation_permissions" "database" {
  for_each = var.consumer_grants

  principal   = local.grant_principals[each.key]
  permissions = ["DESCRIBE"]

  lf_tag_policy {
    resource_type = "DATABASE"

    dynamic "expression" {
      for_each = each.value.expression

      content {
        key    = aws_lakeformation_lf_tag.this[expression.key].key
        values = expression.value
      }
    }
  }

  lifecycle {
    precondition {
      condition     = each.key != local.account_id
      error_message = "consumer_grants must name other accounts than the lake's own (${local.account_id}); its principals are governed by the lake administrators."
    }
  }

  depends_on = [aws_lakeformation_resource_lf_tags.database, aws_lakeformation_resource_lf_tags.table]
}

resource "aws_lakeformation_permissions" "table" {
  for_each = var.consumer_grants

  principal   = local.grant_principals[each.key]
  permissions = each.value.permissions

  lf_tag_policy {
    resource_type = "TABLE"

    dynamic "expression" {
      for_each = each.value.expression

      content {
        key    = aws_lakeformation_lf_tag.this[expression.key].key
        values = expression.value
      }
    }
  }

  depends_on = [aws_lakeformation_resource_lf_tags.database, aws_lakeformation_resource_lf_tags.table]
}

# DESCRIBE on the LF-tag values of the account's expression. Without a grant option, this is what
# lets the consumer account's data lake administrator cascade the grant to its own roles with
# the same (or a narrower) expression (Lake Formation's "delegation using DESCRIBE permissions"
# on tag-value pairs); it opens no data by itself.
resource "aws_lakeformation_permissions" "lf_tag" {
  for_each = merge([
    for account, grant in var.consumer_grants : {
      for key, values in grant.expression : "${account}/${key}" => { account = account, key = key, values = values }
    }
  ]...)

  principal   = local.grant_principals[each.value.account]
  permissions = ["DESCRIBE"]

  lf_tag {
    key    = aws_lakeformation_lf_tag.this[each.value.key].key
    values = each.value.values
  }
}

# Column and row filters: where a grant names a table in table_filters, the account gets its
# permissions on a data cells filter of that table only (the columns it names or all but the
# excluded ones, the rows the PartiQL condition selects). The table must not match the account's
# LF-tag expression, or the tag grant would open the whole table anyway.
resource "aws_lakeformation_data_cells_filter" "this" {
  for_each = local.table_filters

  table_data {
    table_catalog_id = local.account_id
    database_name    = aws_glue_catalog_table.this[each.value.table].database_name
    table_name       = aws_glue_catalog_table.this[each.value.table].name
    name             = "consumer-${each.value.account}"
    column_names     = each.value.column_names

    dynamic "column_wildcard" {
      for_each = each.value.column_names == null ? [each.value.excluded_column_names] : []

      content {
        excluded_column_names = coalesce(column_wildcard.value, [])
      }
    }

    row_filter {
      filter_expression = each.value.row_filter

      dynamic "all_rows_wildcard" {
        for_each = each.value.row_filter == null ? [1] : []

        content {}
      }
    }
  }

  lifecycle {
    precondition {
      condition = length(setsubtract(concat(coalesce(each.value.column_names, []), coalesce(each.value.excluded_column_names, [])), [
        for c in concat(local.tables[each.value.table].columns, local.tables[each.value.table].partition_keys) : c.name
      ])) == 0
      error_message = "consumer_grants[\"${each.value.account}\"].table_filters[\"${each.value.table}\"] names columns the table does not have: ${join(", ", setsubtract(concat(coalesce(each.value.column_names, []), coalesce(each.value.excluded_column_names, [])), [for c in concat(local.tables[each.value.table].columns, local.tables[each.value.table].partition_keys) : c.name]))}."
    }

    precondition {
      condition = !alltrue([
        for key, values in each.value.expression : contains(values, lookup(merge(var.databases[each.value.database].lf_tags, local.tables[each.value.table].lf_tags), key, ""))
      ])
      error_message = "consumer_grants[\"${each.value.account}\"].table_filters[\"${each.value.table}\"] filters a table the account's LF-tag expression already grants in full; change the table's lf_tags or the expression."
    }
  }

  depends_on = [aws_lakeformation_resource_lf_tags.table]
}

resource "aws_lakeformation_permissions" "filtered" {
  for_each = local.table_filters

  principal   = local.grant_principals[each.value.account]
  permissions = each.value.permissions

  data_cells_filter {
    table_catalog_id = local.account_id
    database_name    = aws_lakeformation_data_cells_filter.this[each.key].table_data[0].database_name
    table_name       = aws_lakeformation_data_cells_filter.this[each.key].table_data[0].table_name
    name             = aws_lakeformation_data_cells_filter.this[each.key].table_data[0].name
  }
}
