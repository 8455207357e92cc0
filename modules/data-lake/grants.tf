# Grants to the ML dev accounts, by LF-tag expression: the databases the expression matches are
# described, the tables it matches get the configured permissions (DESCRIBE and/or SELECT).
# Never a grant option, never ALL: a consumer account cannot pass access on or change the
# catalog. Shared through AWS RAM (CROSS_ACCOUNT_VERSION 4); the account's own administrator
# then creates resource links and grants within that account.
resource "aws_lakeformation_permissions" "database" {
  for_each = var.consumer_grants

  principal   = each.key
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

  principal   = each.key
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
