# Management account: the ML guardrails for the workloads OU (dev accounts) and the hub, test and
# prod accounts, and the hub as Service Catalog delegated administrator.

provider "aws" {
  region = "eu-west-1"
}

locals {
  prefix          = "mlgov"
  hub_account_id  = "111111111111"
  test_account_id = "333333333333"
  prod_account_id = "444444444444"
  region          = "eu-west-1"
  hub_role        = "arn:aws:iam::${local.hub_account_id}:role"
  pipeline_arn    = "arn:aws:codepipeline:${local.region}:${local.hub_account_id}:${local.prefix}-model-deployment"
}

module "org_guardrails" {
  source = "../.."

  name_prefix = local.prefix
  attach_to   = ["ou-ab12-11111111", local.hub_account_id, local.test_account_id, local.prod_account_id]

  break_glass_role_arns    = ["arn:aws:iam::*:role/${local.prefix}-break-glass"]
  platform_admin_role_arns = ["arn:aws:iam::*:role/${local.prefix}-terraform-deployer", "arn:aws:iam::*:role/${local.prefix}-ml-admin-launch"]

  model_approval = {
    registry_account_id        = local.hub_account_id
    central_approver_role_arns = ["${local.hub_role}/${local.prefix}-ml-engineer"]
    team_approver_role_arns    = ["arn:aws:iam::*:role/${local.prefix}-*-lead-data-scientist"]
    never_approver_role_arns   = ["arn:aws:iam::*:role/${local.prefix}-*-studio-lead-data-scientist"]
  }

  deployment = {
    pipeline_arns = [local.pipeline_arn]
    build_project_arns = [
      for stage in ["deploy-test", "integration-test", "deploy-prod"] :
      "arn:aws:codebuild:${local.region}:${local.hub_account_id}:project/${local.prefix}-model-deployment-${stage}"
    ]
    production_approver_role_arns = ["${local.hub_role}/${local.prefix}-governance-officer"]
    operator_role_arns = [
      "${local.hub_role}/${local.prefix}-model-deployment-pipeline",
      "${local.hub_role}/${local.prefix}-model-deployment-trigger",
    ]
  }

  protected_resources = {
    function_arns = [
      "arn:aws:lambda:${local.region}:${local.hub_account_id}:function:${local.prefix}-model-promoter",
      "arn:aws:lambda:${local.region}:${local.hub_account_id}:function:${local.prefix}-model-deployment-trigger",
    ]
    parameter_arns      = ["arn:aws:ssm:*:*:parameter/${local.prefix}/*"]
    tooling_object_arns = ["arn:aws:s3:::${local.prefix}-model-deployment-artifacts-${local.hub_account_id}-${local.region}/tooling/*"]
    role_arns = [
      "arn:aws:iam::*:role/${local.prefix}-*-lead-data-scientist",
      "${local.hub_role}/${local.prefix}-ml-engineer",
      "${local.hub_role}/${local.prefix}-governance-officer",
      "${local.hub_role}/${local.prefix}-model-promoter",
      "${local.hub_role}/${local.prefix}-model-deployment-*",
      "arn:aws:iam::*:role/${local.prefix}-model-deployer",
    ]
    bucket_arns = [
      "arn:aws:s3:::${local.prefix}-model-artifacts-${local.hub_account_id}-${local.region}",
      "arn:aws:s3:::${local.prefix}-model-deployment-artifacts-${local.hub_account_id}-${local.region}",
    ]
    model_package_group_arns = ["arn:aws:sagemaker:${local.region}:${local.hub_account_id}:model-package-group/*"]
    policy_writer_role_arns  = ["${local.hub_role}/${local.prefix}-model-promoter"]
  }

  service_catalog_delegated_admin_account_id = local.hub_account_id

  tags = {
    Project = "ml-governance"
  }
}
