# This account's side of the governed data lake: who administers Lake Formation here, one
# resource link per shared database, and the Athena role's Lake Formation permissions.

# Data lake settings are one object per account and region (PutDataLakeSettings replaces it
# whole); `manage_data_lake_settings = false` leaves them to another stack. No
# create_*_default_permissions blocks: new databases and tables get no IAMAllowedPrincipals
# grant, so Lake Formation permissions, not IAM alone, decide access.
resource "aws_lakeformation_data_lake_settings" "this" {
  count = var.manage_data_lake_settings ? 1 : 0

  admins = local.lake_admins
}

# Resource link <prefix><D> -> database D in the lake account's catalog. Athena cannot name a
# database of another account's catalog directly; it queries <prefix><D>.<table>.
resource "aws_glue_catalog_database" "resource_link" {
  for_each = local.resource_link_names

  name        = each.value
  description = "Resource link to ${each.key} in the data lake account ${var.lake_account_id} (Lake Formation cross-account share)."

  target_database {
    catalog_id    = var.lake_account_id
    database_name = each.key
    region        = local.region
  }

  depends_on = [aws_lakeformation_data_lake_settings.this]
}

# DESCRIBE on the resource link: without it the link is visible only to its creator. A grant on
# a link never grants anything on its target (see the grants below).
resource "aws_lakeformation_permissions" "resource_link" {
  for_each = local.resource_link_names

  principal   = aws_iam_role.athena.arn
  permissions = ["DESCRIBE"]

  database {
    catalog_id = local.account_id
    name       = aws_glue_catalog_database.resource_link[each.key].name
  }
}

# The target, named in the lake account's catalog: DESCRIBE on the shared database and SELECT +
# DESCRIBE on all of its tables. Lake Formation accepts this grant from this account's data lake
# administrator only when the lake account granted this account these permissions with the
# grant option (README, "Lake Formation grants").
resource "aws_lakeformation_permissions" "shared_database" {
  for_each = var.grant_shared_database_permissions ? local.resource_link_names : {}

  principal   = aws_iam_role.athena.arn
  permissions = ["DESCRIBE"]

  database {
    catalog_id = var.lake_account_id
    name       = each.key
  }

  depends_on = [aws_lakeformation_data_lake_settings.this]
}

resource "aws_lakeformation_permissions" "shared_tables" {
  for_each = var.grant_shared_database_permissions ? local.resource_link_names : {}

  principal   = aws_iam_role.athena.arn
  permissions = ["DESCRIBE", "SELECT"]

  table {
    catalog_id    = var.lake_account_id
    database_name = each.key
    wildcard      = true
  }

  depends_on = [aws_lakeformation_data_lake_settings.this]
}
