data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.id
  account_id = data.aws_caller_identity.current.account_id

  # Stage and action names are part of the approval action ARN that the
  # governance officer's policy is scoped to: changing them changes who may approve.
  stage_names = {
    source           = "Source"
    deploy_test      = "DeployTest"
    integration_test = "IntegrationTest"
    approve_prod     = "ApproveProd"
    deploy_prod      = "DeployProd"
  }

  pipeline_arn        = "arn:${local.partition}:codepipeline:${local.region}:${local.account_id}:${var.name}"
  approval_action_arn = "${local.pipeline_arn}/${local.stage_names.approve_prod}/${local.stage_names.approve_prod}"

  artifact_bucket_name = coalesce(var.artifact_bucket_name, "${var.name}-artifacts-${local.account_id}-${local.region}")
  # Built from the name: the bucket policy's statements go into the bucket module.
  artifact_bucket_arn = "arn:${local.partition}:s3:::${local.artifact_bucket_name}"

  trigger_function_name = "${var.name}-trigger"
  trigger_rule_name     = "${var.name}-model-package-approved"
  trigger_rule_arn      = "arn:${local.partition}:events:${local.region}:${local.account_id}:rule/${local.trigger_rule_name}"

  # Log groups are named up front so the KMS key policy can be scoped to them
  # without a dependency cycle (log group -> key -> key policy -> log group).
  codebuild_log_group_prefix = "/aws/codebuild/${var.name}-"
  trigger_log_group_name     = "/aws/lambda/${local.trigger_function_name}"

  tags = merge(var.tags, { "mlgov:component" = "model-deployment-pipeline" })
}
