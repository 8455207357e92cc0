# Central feature store (optional, var.feature_store): SageMaker feature groups whose offline
# store is part of the governed lake.
#
# - Offline store: its own bucket (hardened like the zones, lake key), registered with Lake
#   Formation through the registration role; SageMaker writes each group's Parquet files there
#   and creates the group's Glue table in the feature store database. The table inherits the
#   database's LF-tags (a group may override keys), so the teams' LF-tag grants decide who
#   queries the offline store through Athena, exactly as for the lake's own tables.
# - Online store (per group, optional): encrypted with the lake key.
# - Cross-account: AWS RAM shares the feature group catalog (discovery: the consumer accounts
#   can search every group's name and definitions; AWS offers it per account, all or nothing)
#   and, per consumer account, the groups shared with it with the read-only managed permission
#   (DescribeFeatureGroup, DescribeFeatureMetadata, GetRecord, BatchGetRecord). Never read-write
#   or admin. The shares do not admit principals outside the organization.

locals {
  feature_store_enabled = var.feature_store != null
  feature_store         = local.feature_store_enabled ? var.feature_store : { database = "feature_store", lf_tags = {}, feature_groups = {} }
  feature_groups        = local.feature_store.feature_groups

  feature_store_bucket_name = "${var.name}-features-${local.account_id}-${local.region}"
  feature_store_bucket_arn  = "arn:${local.partition}:s3:::${local.feature_store_bucket_name}"

  # Glue table of each group's offline store: the group's name with "_" for "-" (Athena reads
  # no hyphens in unquoted names).
  feature_tables = { for group in keys(local.feature_groups) : group => replace(group, "-", "_") }

  # Consumer account -> the feature groups shared with it.
  feature_shares = {
    for account in distinct(flatten([for g in values(local.feature_groups) : g.shared_with_account_ids])) : account => sort([
      for group, g in local.feature_groups : group if contains(g.shared_with_account_ids, account)
    ])
  }

  ram_permission_prefix = "arn:${local.partition}:ram::aws:permission"
}

module "feature_store_bucket" {
  source = "../shared/s3-bucket"
  count  = local.feature_store_enabled ? 1 : 0

  bucket_name                        = local.feature_store_bucket_name
  kms_key_arn                        = module.kms_key.key_arn
  organization_id                    = var.organization_id
  access_log_bucket_name             = var.access_log_bucket_name
  noncurrent_version_expiration_days = var.noncurrent_version_expiration_days
  tags                               = merge(local.tags, { "mlgov:bucket" = "feature-store-offline" })
}

resource "aws_lakeformation_resource" "feature_store" {
  count = local.feature_store_enabled ? 1 : 0

  arn      = module.feature_store_bucket[0].bucket_arn
  role_arn = aws_iam_role.registration.arn

  depends_on = [aws_iam_role_policy.registration, aws_lakeformation_data_lake_settings.this]
}

resource "aws_glue_catalog_database" "feature_store" {
  count = local.feature_store_enabled ? 1 : 0

  name         = local.feature_store.database
  description  = "Offline stores of the ${var.name} feature groups (tables created by SageMaker Feature Store)."
  location_uri = "s3://${local.feature_store_bucket_name}/offline-store/"
  tags         = local.tags

  depends_on = [aws_lakeformation_data_lake_settings.this]
}

resource "aws_lakeformation_resource_lf_tags" "feature_store" {
  count = local.feature_store_enabled ? 1 : 0

  database {
    name = aws_glue_catalog_database.feature_store[0].name
  }

  dynamic "lf_tag" {
    for_each = local.feature_store.lf_tags

    content {
      key   = aws_lakeformation_lf_tag.this[lf_tag.key].key
      value = lf_tag.value
    }
  }
}

# The role SageMaker Feature Store assumes to write the offline store and create its Glue tables.
data "aws_iam_policy_document" "feature_store_trust" {
  statement {
    sid     = "SageMakerFeatureStore"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["sagemaker.${local.dns_suffix}"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "feature_store" {
  count = local.feature_store_enabled ? 1 : 0

  name               = "${var.name}-feature-store"
  description        = "Assumed by SageMaker Feature Store to write the ${var.name} offline stores and create their Glue tables."
  assume_role_policy = data.aws_iam_policy_document.feature_store_trust.json
  tags               = local.tags
}

data "aws_iam_policy_document" "feature_store" {
  count = local.feature_store_enabled ? 1 : 0

  statement {
    sid       = "OfflineStoreBucket"
    actions   = ["s3:GetBucketAcl", "s3:GetBucketLocation", "s3:ListBucket"]
    resources = [module.feature_store_bucket[0].bucket_arn]
  }

  statement {
    sid       = "WriteOfflineStoreObjects"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:PutObjectAcl"]
    resources = ["${module.feature_store_bucket[0].bucket_arn}/offline-store/*"]
  }

  statement {
    sid       = "UseLakeKey"
    actions   = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey", "kms:CreateGrant"]
    resources = [module.kms_key.key_arn]
  }

  # Glue authorizes the catalog calls; Lake Formation (CREATE_TABLE on the database, below)
  # decides whether the table may be created.
  statement {
    sid     = "OfflineStoreTables"
    actions = ["glue:CreateTable", "glue:GetDatabase", "glue:GetTable", "glue:UpdateTable"]
    resources = [
      "arn:${local.partition}:glue:${local.region}:${local.account_id}:catalog",
      "arn:${local.partition}:glue:${local.region}:${local.account_id}:database/${local.feature_store.database}",
      "arn:${local.partition}:glue:${local.region}:${local.account_id}:table/${local.feature_store.database}/*",
    ]
  }
}

resource "aws_iam_role_policy" "feature_store" {
  count = local.feature_store_enabled ? 1 : 0

  name   = "offline-store"
  role   = aws_iam_role.feature_store[0].id
  policy = data.aws_iam_policy_document.feature_store[0].json
}

# What the Feature Store role may do in Lake Formation: create its groups' tables (their creator
# then holds them) and use the offline store location. Nothing on the lake's other databases.
resource "aws_lakeformation_permissions" "feature_store_database" {
  count = local.feature_store_enabled ? 1 : 0

  principal   = aws_iam_role.feature_store[0].arn
  permissions = ["CREATE_TABLE", "DESCRIBE"]

  database {
    name = aws_glue_catalog_database.feature_store[0].name
  }
}

resource "aws_lakeformation_permissions" "feature_store_location" {
  count = local.feature_store_enabled ? 1 : 0

  principal   = aws_iam_role.feature_store[0].arn
  permissions = ["DATA_LOCATION_ACCESS"]

  data_location {
    arn = aws_lakeformation_resource.feature_store[0].arn
  }
}

resource "aws_sagemaker_feature_group" "this" {
  for_each = local.feature_groups

  feature_group_name             = each.key
  description                    = each.value.description
  record_identifier_feature_name = each.value.record_identifier
  event_time_feature_name        = each.value.event_time
  role_arn                       = aws_iam_role.feature_store[0].arn

  dynamic "feature_definition" {
    for_each = each.value.features

    content {
      feature_name = feature_definition.value.name
      feature_type = feature_definition.value.type
    }
  }

  offline_store_config {
    disable_glue_table_creation = false

    s3_storage_config {
      s3_uri     = "s3://${module.feature_store_bucket[0].bucket_name}/offline-store"
      kms_key_id = module.kms_key.key_arn
    }

    data_catalog_config {
      catalog    = "AwsDataCatalog"
      database   = aws_glue_catalog_database.feature_store[0].name
      table_name = local.feature_tables[each.key]
    }
  }

  dynamic "online_store_config" {
    for_each = each.value.online ? [1] : []

    content {
      enable_online_store = true
      # Stated rather than left to the service default: the provider replaces the group when
      # the value read back differs from the configuration.
      storage_type = "Standard"

      security_config {
        kms_key_id = module.kms_key.key_arn
      }
    }
  }

  tags = merge(local.tags, { "mlgov:feature-group" = each.key })

  depends_on = [
    aws_iam_role_policy.feature_store,
    aws_lakeformation_permissions.feature_store_database,
    aws_lakeformation_permissions.feature_store_location,
    aws_lakeformation_resource_lf_tags.feature_store,
  ]
}

# A group's own LF-tags, where it overrides the feature store database's value of a key.
resource "aws_lakeformation_resource_lf_tags" "feature_group" {
  for_each = { for group, g in local.feature_groups : group => g if length(g.lf_tags) > 0 }

  table {
    database_name = aws_sagemaker_feature_group.this[each.key].offline_store_config[0].data_catalog_config[0].database
    name          = aws_sagemaker_feature_group.this[each.key].offline_store_config[0].data_catalog_config[0].table_name
  }

  dynamic "lf_tag" {
    for_each = each.value.lf_tags

    content {
      key   = aws_lakeformation_lf_tag.this[lf_tag.key].key
      value = lf_tag.value
    }
  }

  depends_on = [aws_lakeformation_resource_lf_tags.feature_store]
}

# Discovery: the feature group catalog, to every account that is shared at least one group.
resource "aws_ram_resource_share" "feature_catalog" {
  count = length(local.feature_shares) > 0 ? 1 : 0

  name                      = "${var.name}-feature-catalog"
  allow_external_principals = false
  permission_arns           = ["${local.ram_permission_prefix}/AWSRAMPermissionSageMakerCatalogResourceSearch"]
  tags                      = local.tags
}

resource "aws_ram_resource_association" "feature_catalog" {
  count = length(local.feature_shares) > 0 ? 1 : 0

  resource_arn       = "arn:${local.partition}:sagemaker:${local.region}:${local.account_id}:sagemaker-catalog/DefaultFeatureGroupCatalog"
  resource_share_arn = aws_ram_resource_share.feature_catalog[0].arn
}

resource "aws_ram_principal_association" "feature_catalog" {
  for_each = local.feature_shares

  principal          = each.key
  resource_share_arn = aws_ram_resource_share.feature_catalog[0].arn
}

# Read-only access: one share per consumer account with the groups shared with it.
resource "aws_ram_resource_share" "feature_groups" {
  for_each = local.feature_shares

  name                      = "${var.name}-feature-groups-${each.key}"
  allow_external_principals = false
  permission_arns           = ["${local.ram_permission_prefix}/AWSRAMPermissionSageMakerFeatureGroupReadOnly"]
  tags                      = local.tags
}

resource "aws_ram_resource_association" "feature_groups" {
  for_each = merge([
    for account, groups in local.feature_shares : {
      for group in groups : "${account}/${group}" => { account = account, group = group }
    }
  ]...)

  resource_arn       = aws_sagemaker_feature_group.this[each.value.group].arn
  resource_share_arn = aws_ram_resource_share.feature_groups[each.value.account].arn
}

resource "aws_ram_principal_association" "feature_groups" {
  for_each = local.feature_shares

  principal          = each.key
  resource_share_arn = aws_ram_resource_share.feature_groups[each.key].arn

  lifecycle {
    precondition {
      condition     = each.key != local.account_id
      error_message = "feature_store.feature_groups[*].shared_with_account_ids must name other accounts than the lake's own (${local.account_id})."
    }
  }
}
