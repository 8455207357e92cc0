# Lake Formation is the only authority over the lake's catalog and data.
#
# - Administrators: exactly lake_admin_principal_arns plus the principal running Terraform.
# - No default permissions: without create_database_default_permissions and
#   create_table_default_permissions blocks, PutDataLakeSettings clears both lists, so
#   IAMAllowedPrincipals gets nothing on new databases and tables (IAM policies alone open nothing).
# - CROSS_ACCOUNT_VERSION 4: cross-account grants (also LF-tag grants) are shared through AWS RAM
#   with the consumer account, not through the catalog's resource policy.
resource "aws_lakeformation_data_lake_settings" "this" {
  admins = local.lake_admins

  parameters = {
    CROSS_ACCOUNT_VERSION = "4"
  }
}

# The role Lake Formation assumes to vend data access to registered locations. A role of the
# module rather than the service-linked role, so that the lake key policy can name it.
data "aws_iam_policy_document" "registration_trust" {
  statement {
    sid     = "LakeFormationAssumesRole"
    actions = ["sts:AssumeRole", "sts:SetContext"]

    principals {
      type        = "Service"
      identifiers = ["lakeformation.${local.dns_suffix}"]
    }
  }
}

resource "aws_iam_role" "registration" {
  name               = "${var.name}-lf-registration"
  description        = "Assumed by Lake Formation to read and write the ${var.name} lake zones on behalf of granted principals."
  assume_role_policy = data.aws_iam_policy_document.registration_trust.json
  tags               = local.tags
}

data "aws_iam_policy_document" "registration" {
  statement {
    sid       = "ListLakeZones"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
    resources = local.registered_bucket_arns
  }

  statement {
    sid       = "ReadWriteLakeObjects"
    actions   = ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObject"]
    resources = [for arn in local.registered_bucket_arns : "${arn}/*"]
  }

  statement {
    sid       = "UseLakeKey"
    actions   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*", "kms:DescribeKey"]
    resources = [module.kms_key.key_arn]
  }
}

resource "aws_iam_role_policy" "registration" {
  name   = "lake-zones"
  role   = aws_iam_role.registration.id
  policy = data.aws_iam_policy_document.registration.json
}

# Both zones are registered: Lake Formation decides who reads them, through the role above.
resource "aws_lakeformation_resource" "zone" {
  for_each = toset(local.zones)

  arn      = module.zone_bucket[each.key].bucket_arn
  role_arn = aws_iam_role.registration.arn

  depends_on = [aws_iam_role_policy.registration, aws_lakeformation_data_lake_settings.this]
}

resource "aws_lakeformation_lf_tag" "this" {
  for_each = var.lf_tags

  key    = each.key
  values = each.value

  depends_on = [aws_lakeformation_data_lake_settings.this]
}
