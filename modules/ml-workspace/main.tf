data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  partition          = data.aws_partition.current.partition
  reverse_dns_prefix = data.aws_partition.current.reverse_dns_prefix
  dns_suffix         = data.aws_partition.current.dns_suffix
  region             = data.aws_region.current.id
  account_id         = data.aws_caller_identity.current.account_id

  tags = merge(var.tags, {
    "mlgov:component" = "ml-workspace"
    "mlgov:workspace" = var.name
  })

  domain_name = coalesce(var.domain_name, var.name)

  # SageMaker writes resource names into ARNs in lower case; `name` is validated lower case,
  # so "<name>-*" matches whatever case a team member types.
  team_prefix = "${var.name}-"
  sm_arn      = "arn:${local.partition}:sagemaker:${local.region}:${local.account_id}"

  team_model_package_group_arn = "${local.sm_arn}:model-package-group/${local.team_prefix}*"
  team_model_package_arn       = "${local.sm_arn}:model-package/${local.team_prefix}*/*"
  team_pipeline_arn            = "${local.sm_arn}:pipeline/${local.team_prefix}*"

  data_bucket_name     = coalesce(var.data_bucket_name, "${var.name}-data-${local.account_id}-${local.region}")
  artifact_bucket_name = coalesce(var.artifact_bucket_name, "sagemaker-${local.region}-${local.account_id}")

  # Persona -> Studio execution role key; every user profile runs as its persona's role.
  personas = ["lead_data_scientist", "data_scientist"]

  # Project templates location, split for the lead's read access (bucket may be in the hub).
  project_templates = var.project_templates_s3_location == null ? null : regex("^s3://([^/]+)/?(.*)$", var.project_templates_s3_location)

  domain_tags = merge(
    local.tags,
    var.project_templates_s3_location == null ? {} : { "sagemaker:projectS3TemplatesLocation" = var.project_templates_s3_location },
  )

  mlflow_tracking_server_name = "${var.name}-mlflow"
  mlflow_tracking_server_arn  = "${local.sm_arn}:mlflow-tracking-server/${local.mlflow_tracking_server_name}"
  mlflow_artifact_prefix      = "mlflow"
}
