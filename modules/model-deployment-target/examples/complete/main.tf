provider "aws" {
  region = "eu-central-1"

  default_tags {
    tags = {
      "mlgov:environment" = "example"
    }
  }
}

locals {
  name_prefix    = "mlgov"
  hub_account_id = "111111111111"
}

# Prod target account: stricter alarms and autoscaling come from stage = "prod".
module "model_deployment_target" {
  source = "../.."

  stage               = "prod"
  name_prefix         = local.name_prefix
  organization_id     = "o-exampleorg1"
  hub_account_id      = local.hub_account_id
  deploy_role_name    = "${local.name_prefix}-model-deployer"
  execution_role_name = "${local.name_prefix}-endpoint-execution"

  # The hub pipeline gets only this name (deployment_targets["prod"]) and the
  # deploy CLI reads the rest of the config from the parameter.
  target_config_parameter_name = "/${local.name_prefix}/model-deployment/target-config"

  # Deterministic: the pipeline module names its prod CodeBuild role
  # "{pipeline name}-codebuild-prod".
  pipeline_codebuild_role_arns = ["arn:aws:iam::${local.hub_account_id}:role/${local.name_prefix}-model-deployment-codebuild-prod"]

  hub_ecr_repository_arns = [
    "arn:aws:ecr:eu-central-1:${local.hub_account_id}:repository/${local.name_prefix}-promoted/team-a",
  ]
  hub_artifact_bucket_arn = "arn:aws:s3:::${local.name_prefix}-model-artifacts-${local.hub_account_id}-eu-central-1"

  vpc_id                      = "vpc-0b1b2c3d4e5f60000"
  subnet_ids                  = ["subnet-0b1b2c3d4e5f60001", "subnet-0b1b2c3d4e5f60002"]
  endpoint_egress_cidr_blocks = ["10.20.0.0/16"]

  endpoint_name          = "${local.name_prefix}-team-a-churn"
  instance_type          = "ml.m5.xlarge"
  initial_instance_count = 2
  autoscaling = {
    min_capacity                    = 2
    max_capacity                    = 6
    target_invocations_per_instance = 200
  }

  access_log_bucket_name = "example-org-s3-access-logs"

  tags = {
    "mlgov:owner" = "platform-team"
  }
}

output "target_config" {
  description = "Target config published in the SSM parameter."
  value       = module.model_deployment_target.target_config
}

output "target_config_parameter_name" {
  description = "SSM parameter name the hub pipeline's deployment_targets[\"prod\"] refers to."
  value       = module.model_deployment_target.target_config_parameter_name
}

output "deploy_role_arn" {
  description = "ARN of the deploy role."
  value       = module.model_deployment_target.deploy_role_arn
}
