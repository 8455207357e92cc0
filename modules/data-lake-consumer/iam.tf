# The role data scientists and pipelines use for Athena on the shared databases: assumed only by
# athena_user_principal_arns inside the organization; its identity policy reaches this module's
# workgroup, the resource links and their targets, the results bucket and the results key.
data "aws_iam_policy_document" "athena_trust" {
  statement {
    sid     = "AthenaUsers"
    actions = ["sts:AssumeRole", "sts:SetSourceIdentity"]

    principals {
      type        = "AWS"
      identifiers = var.athena_user_principal_arns
    }

    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = [var.organization_id]
    }
  }
}

resource "aws_iam_role" "athena" {
  name                 = local.athena_role_name
  description          = "Athena on the data lake's shared databases (resource links ${var.resource_link_prefix}*) through the ${local.workgroup_name} workgroup."
  assume_role_policy   = data.aws_iam_policy_document.athena_trust.json
  max_session_duration = 3600
  tags                 = local.tags
}

data "aws_iam_policy_document" "athena" {
  statement {
    sid = "QueryInTheWorkgroup"
    actions = [
      "athena:BatchGetNamedQuery",
      "athena:BatchGetQueryExecution",
      "athena:CreateNamedQuery",
      "athena:DeleteNamedQuery",
      "athena:GetNamedQuery",
      "athena:GetQueryExecution",
      "athena:GetQueryResults",
      "athena:GetQueryResultsStream",
      "athena:GetQueryRuntimeStatistics",
      "athena:GetWorkGroup",
      "athena:ListNamedQueries",
      "athena:ListQueryExecutions",
      "athena:StartQueryExecution",
      "athena:StopQueryExecution",
    ]
    resources = [aws_athena_workgroup.this.arn]
  }

  statement {
    sid = "BrowseTheDataCatalogInAthena"
    actions = [
      "athena:GetDataCatalog",
      "athena:GetDatabase",
      "athena:GetTableMetadata",
      "athena:ListDatabases",
      "athena:ListTableMetadata",
    ]
    resources = ["arn:${local.partition}:athena:${local.region}:${local.account_id}:datacatalog/AwsDataCatalog"]
  }

  # Glue authorizes a query on a resource link against the link (this account's catalog) and
  # against its target (the lake account's catalog); Lake Formation then decides what the role
  # sees. The lake account's catalog policy must admit this account (the data-lake module).
  statement {
    sid = "ReadResourceLinksAndTheirTargets"
    actions = [
      "glue:GetDatabase",
      "glue:GetDatabases",
      "glue:GetPartition",
      "glue:GetPartitions",
      "glue:GetTable",
      "glue:GetTables",
    ]
    resources = concat(
      ["${local.glue_arn}:catalog", "${local.lake_glue_arn}:catalog"],
      flatten([
        for d, link in local.resource_link_names : [
          "${local.glue_arn}:database/${link}",
          "${local.glue_arn}:table/${link}/*",
          "${local.lake_glue_arn}:database/${d}",
          "${local.lake_glue_arn}:table/${d}/*",
        ]
      ]),
    )
  }

  # Lake Formation hands out temporary credentials for the tables' S3 locations through
  # GetDataAccess; the action has no resource-level permissions, so "*" is the only resource
  # IAM accepts. What the credentials reach is decided by the Lake Formation grants.
  statement {
    sid       = "LakeFormationDataAccess"
    actions   = ["lakeformation:GetDataAccess"]
    resources = ["*"]
  }

  statement {
    sid = "ReadWriteQueryResults"
    actions = [
      "s3:AbortMultipartUpload",
      "s3:GetBucketLocation",
      "s3:GetObject",
      "s3:ListBucket",
      "s3:ListBucketMultipartUploads",
      "s3:ListMultipartUploadParts",
      "s3:PutObject",
    ]
    resources = [local.results_bucket_arn, "${local.results_bucket_arn}/*"]
  }

  statement {
    sid = "UseTheResultsKey"
    actions = [
      "kms:Decrypt",
      "kms:DescribeKey",
      "kms:Encrypt",
      "kms:GenerateDataKey",
    ]
    resources = [local.results_kms_key]
  }
}

# Shared feature groups (RAM read-only permission): describe them and read their online records.
# Search finds them through the shared feature group catalog; it takes no resource ARN, and what
# it returns from the lake account is what that account's catalog share makes discoverable.
data "aws_iam_policy_document" "feature_groups" {
  count = length(var.shared_feature_group_arns) > 0 ? 1 : 0

  statement {
    sid = "ReadSharedFeatureGroups"
    actions = [
      "sagemaker:BatchGetRecord",
      "sagemaker:DescribeFeatureGroup",
      "sagemaker:DescribeFeatureMetadata",
      "sagemaker:GetRecord",
    ]
    resources = var.shared_feature_group_arns
  }

  statement {
    sid       = "DiscoverSharedFeatureGroups"
    actions   = ["sagemaker:Search"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "feature_groups" {
  count = length(var.shared_feature_group_arns) > 0 ? 1 : 0

  name   = "shared-feature-groups"
  role   = aws_iam_role.athena.id
  policy = data.aws_iam_policy_document.feature_groups[0].json
}

resource "aws_iam_role_policy" "athena" {
  name   = "athena-lake-queries"
  role   = aws_iam_role.athena.id
  policy = data.aws_iam_policy_document.athena.json
}
