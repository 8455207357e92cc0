# Hub (ML Shared Services) account of an organization with two ML dev accounts.
# model_promoter.zip is a real, minimal deployment package (one-line handler under
# model_promoter/handler.py) so that `terraform plan` and checkov run on this example without
# building anything; real deployments zip lambda_src/model_promoter (see the module README).

provider "aws" {
  region = "eu-west-1"
}

locals {
  name_prefix    = "mlgov"
  hub_account_id = "111111111111"
  region         = "eu-west-1"

  dev_accounts = {
    "222222222222" = "team-a"
    "333333333333" = "team-b"
  }

  # Stand-in for the central-model-registry module's model_package_group_policy_template output.
  group_policy_template = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "ReadAndDeployFromTestAndProd"
      Effect    = "Allow"
      Principal = { AWS = ["arn:aws:iam::444444444444:root", "arn:aws:iam::555555555555:root"] }
      Action    = ["sagemaker:DescribeModelPackageGroup", "sagemaker:DescribeModelPackage", "sagemaker:ListModelPackages", "sagemaker:CreateModel"]
      Resource = [
        "arn:aws:sagemaker:${local.region}:${local.hub_account_id}:model-package-group/{model_package_group_name}",
        "arn:aws:sagemaker:${local.region}:${local.hub_account_id}:model-package/{model_package_group_name}/*",
      ]
    }]
  })
}

module "model_promotion_hub" {
  source = "../.."

  organization_id   = "o-exampleorg1"
  workloads_ou_path = "o-exampleorg1/r-ab12/ou-ab12-11111111/"

  event_bus_name         = "${local.name_prefix}-model-promotion"
  function_name          = "${local.name_prefix}-model-promoter"
  role_name              = "${local.name_prefix}-model-promoter"
  idempotency_table_name = "${local.name_prefix}-model-promoter-idempotency"

  function_package = {
    filename         = "${path.module}/model_promoter.zip"
    source_code_hash = filebase64sha256("${path.module}/model_promoter.zip")
  }

  source_role_name = "${local.name_prefix}-promotion-source"
  # Only sessions of each team's lead data scientist role (ml-workspace) may approve its packages.
  approver_role_name_template = "${local.name_prefix}-{team}-lead-data-scientist"
  source_accounts             = local.dev_accounts
  image_repository_prefix     = "${local.name_prefix}-promoted"

  hub_artifact_bucket_arn = "arn:aws:s3:::${local.name_prefix}-model-artifacts-${local.hub_account_id}-${local.region}"
  registry_kms_key_arn    = "arn:aws:kms:${local.region}:${local.hub_account_id}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  hub_repository_arns = [
    for team in values(local.dev_accounts) : "arn:aws:ecr:${local.region}:${local.hub_account_id}:repository/${local.name_prefix}-promoted/${team}"
  ]

  source_accounts_parameter_name       = "/${local.name_prefix}/model-promotion/source-accounts"
  group_policy_template_parameter_name = "/${local.name_prefix}/model-promotion/group-policy-template"
  group_policy_template                = local.group_policy_template

  alarm_email_addresses = ["ml-platform-oncall@example.com"]

  tags = {
    Project = "ml-governance"
  }
}
