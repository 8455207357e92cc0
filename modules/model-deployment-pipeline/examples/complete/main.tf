provider "aws" {
  region = "eu-central-1"

  default_tags {
    tags = {
      "mlgov:environment" = "example"
    }
  }
}

locals {
  name_prefix  = "mlgov"
  test_account = "222222222222"
  prod_account = "333333333333"

  target_config_parameter_name = "/${local.name_prefix}/model-deployment/target-config"
}

module "model_deployment_pipeline" {
  source = "../.."

  name            = "${local.name_prefix}-model-deployment"
  organization_id = "o-exampleorg1"

  tooling_package = {
    filename         = var.tooling_package_path
    source_code_hash = filebase64sha256(var.tooling_package_path)
  }
  # Only the role that applies this stack replaces the tooling bundle; only the pipeline writes
  # the artifacts its stages pass on.
  tooling_writer_role_arns       = ["arn:aws:iam::*:role/${local.name_prefix}-terraform-deployer"]
  integration_test_payloads_path = "mlgov/payloads/default.jsonl"

  trigger_function_package = {
    filename         = var.trigger_function_package_path
    source_code_hash = filebase64sha256(var.trigger_function_package_path)
  }
  trigger_model_package_group_name_prefixes = ["team-a-"]

  # Only values known from configuration (the hub stack is applied before the
  # target stacks): the deploy CLI reads the rest of each stage's config from
  # the SSM parameter the model-deployment-target module writes in that account.
  # Overrides set here win over the parameter's values.
  deployment_targets = {
    test = {
      account_id                   = local.test_account
      region                       = "eu-central-1"
      deploy_role_arn              = "arn:aws:iam::${local.test_account}:role/${local.name_prefix}-model-deployer"
      target_config_parameter_name = local.target_config_parameter_name
    }
    prod = {
      account_id                   = local.prod_account
      region                       = "eu-central-1"
      deploy_role_arn              = "arn:aws:iam::${local.prod_account}:role/${local.name_prefix}-model-deployer"
      target_config_parameter_name = local.target_config_parameter_name
      endpoint_name                = "${local.name_prefix}-team-a-churn"
      instance_type                = "ml.m5.xlarge"
      initial_instance_count       = 2
      autoscaling = {
        min_capacity                    = 2
        max_capacity                    = 4
        target_invocations_per_instance = 100
      }
    }
  }

  ml_engineer_role_name = "${local.name_prefix}-ml-engineer"
  ml_engineer_trusted_principal_arns = [
    "arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/eu-central-1/AWSReservedSSO_MLEngineer_0123456789abcdef",
  ]

  governance_officer_role_name = "${local.name_prefix}-governance-officer"
  governance_officer_trusted_principal_arns = [
    "arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/eu-central-1/AWSReservedSSO_GovernanceOfficer_0123456789abcdef",
  ]
  approval_notification_emails = ["governance-officer@example.com"]

  access_log_bucket_name = "example-org-s3-access-logs"

  tags = {
    "mlgov:owner" = "platform-team"
  }
}
