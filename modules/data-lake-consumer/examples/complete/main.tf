# ML dev account of team-a consuming the databases "sales", "marketing" and "feature_store" (the
# offline stores of the central feature store) that the data lake account (666666666666) shares
# with it, and one feature group shared read-only through AWS RAM: resource links lake_<database>,
# the team's Athena workgroup and the Athena role its persona and execution roles assume.

provider "aws" {
  region = "eu-central-1"

  default_tags {
    tags = {
      "mlgov:environment" = "example"
    }
  }
}

data "aws_caller_identity" "current" {}

locals {
  name_prefix     = "mlgov"
  team            = "team-a"
  workspace_name  = "${local.name_prefix}-${local.team}"
  lake_account_id = "666666666666"
  dev_account_id  = data.aws_caller_identity.current.account_id
  role_arn_prefix = "arn:aws:iam::${local.dev_account_id}:role"
}

module "data_lake_consumer" {
  source = "../.."

  name             = local.workspace_name
  organization_id  = "o-exampleorg1"
  lake_account_id  = local.lake_account_id
  shared_databases = ["sales", "marketing", "feature_store"]

  # The central feature store's group that the lake account shares read-only with this account.
  shared_feature_group_arns = ["arn:aws:sagemaker:eu-central-1:${local.lake_account_id}:feature-group/customer-orders"]

  # The role Terraform runs as in this account creates the links and grants, so it is an admin.
  lake_admin_principal_arns = ["${local.role_arn_prefix}/${local.name_prefix}-terraform-deployer"]

  # ml-workspace's persona roles and execution roles (Studio and pipelines) of team-a.
  athena_user_principal_arns = [
    "${local.role_arn_prefix}/${local.workspace_name}-lead-data-scientist",
    "${local.role_arn_prefix}/${local.workspace_name}-data-scientist",
    "${local.role_arn_prefix}/${local.workspace_name}-studio-lead-data-scientist",
    "${local.role_arn_prefix}/${local.workspace_name}-studio-data-scientist",
    "${local.role_arn_prefix}/${local.workspace_name}-pipeline-execution",
  ]

  # Where ml-workspace's sagemaker_projects settings live: the lake and feature-store project
  # templates read the Athena role and workgroup from here.
  project_settings_parameter_path = "/mlgov/project-settings/"

  athena_bytes_scanned_cutoff_per_query = 10 * 1024 * 1024 * 1024 # 10 GiB
  results_retention_days                = 14
  access_log_bucket_name                = "example-org-s3-access-logs"

  tags = {
    "mlgov:owner" = "team-a"
  }
}
