# ML dev account of team-a: forwards approvals of two model package groups to the hub bus and
# lets the hub promoter read the team's artifacts and images and copy them into the hub.

provider "aws" {
  region = "eu-west-1"
}

locals {
  name_prefix    = "mlgov"
  hub_account_id = "111111111111"
  dev_account_id = "222222222222"
  region         = "eu-west-1"
}

module "model_approval_forwarder" {
  source = "../.."

  organization_id = "o-exampleorg1"

  rule_name           = "${local.name_prefix}-forward-approved-models"
  forwarder_role_name = "${local.name_prefix}-forward-approved-models"
  hub_event_bus_arn   = "arn:aws:events:${local.region}:${local.hub_account_id}:event-bus/${local.name_prefix}-model-promotion"

  model_package_group_names = ["churn-model", "fraud-model"]

  promotion_source_role_name = "${local.name_prefix}-promotion-source"
  hub_promoter_role_arn      = "arn:aws:iam::${local.hub_account_id}:role/${local.name_prefix}-model-promoter"

  # Where the promoter's first (staging) copies land: this role may write only
  # staging/<this account id>/ of the hub bucket, encrypted with the hub registry key; the
  # promoter then copies them to promoted/ with its own role.
  hub_artifact_bucket_arn = "arn:aws:s3:::${local.name_prefix}-model-artifacts-${local.hub_account_id}-${local.region}"
  hub_kms_key_alias_arn   = "arn:aws:kms:${local.region}:${local.hub_account_id}:alias/${local.name_prefix}-model-registry"

  artifact_bucket_arns  = ["arn:aws:s3:::${local.name_prefix}-team-a-artifacts-${local.dev_account_id}-${local.region}"]
  ecr_repository_arns   = ["arn:aws:ecr:${local.region}:${local.dev_account_id}:repository/team-a/*"]
  artifact_kms_key_arns = ["arn:aws:kms:${local.region}:${local.dev_account_id}:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"]

  tags = {
    Project = "ml-governance"
    Team    = "team-a"
  }
}
