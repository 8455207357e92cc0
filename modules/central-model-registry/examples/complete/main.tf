provider "aws" {
  region = "eu-west-1"

  default_tags {
    tags = {
      Project = "ml-governance"
    }
  }
}

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  name_prefix = "mlgov"
  teams       = ["team-a", "team-b"]
}

module "central_model_registry" {
  source = "../.."

  organization_id = "o-exampleorg1"
  # test and prod deployment accounts
  consumer_account_ids = ["222222222222", "333333333333"]

  kms_alias_name       = "alias/${local.name_prefix}-model-registry"
  artifact_bucket_name = "${local.name_prefix}-model-artifacts-${data.aws_caller_identity.current.account_id}-${data.aws_region.current.id}"
  image_repository_names = [
    for team in local.teams : "${local.name_prefix}-promoted/${team}"
  ]

  noncurrent_version_expiration_days = 90
  staging_expiration_days            = 7
  untagged_image_expiration_days     = 14
  kms_key_deletion_window_in_days    = 30

  # The dev accounts' promotion-source roles sign the first of the promoter's two server-side
  # copies; each may write only under staging/<its own account id>/ of the artifact bucket.
  # Only the promoter (hub account) writes promoted/, which is all central packages reference.
  artifact_writers = {
    role_name         = "${local.name_prefix}-promotion-source"
    account_ids       = ["444444444444", "555555555555"] # team-a, team-b dev accounts
    organization_path = "o-exampleorg1/r-ab12/ou-ab12-11111111/"
  }

  # Separation of duties inside the hub: only the ML engineer sets approval statuses, only the
  # promoter writes promoted/, and only the break-glass role deletes a promoted object version.
  model_approver_role_arns           = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/${local.name_prefix}-ml-engineer"]
  promoted_artifact_writer_role_arns = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/${local.name_prefix}-model-promoter"]
  break_glass_role_arns              = ["arn:aws:iam::*:role/${local.name_prefix}-break-glass"]

  # An existing access-log bucket in the hub account (e.g. the organization's log archive
  # bucket for this region) that accepts S3 server access log delivery.
  access_logging = {
    target_bucket = "${local.name_prefix}-s3-access-logs-${data.aws_caller_identity.current.account_id}-${data.aws_region.current.id}"
  }

  tags = {
    Component = "central-model-registry"
  }
}
