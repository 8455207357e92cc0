data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

# The principal running Terraform, as an IAM role ARN even when it runs with an assumed-role
# session: it must stay a data lake administrator to create the resource links and grants.
data "aws_iam_session_context" "current" {
  arn = data.aws_caller_identity.current.arn
}

locals {
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.id
  account_id = data.aws_caller_identity.current.account_id

  lake_admins = distinct(concat(var.lake_admin_principal_arns, [data.aws_iam_session_context.current.issuer_arn]))

  tags = merge(var.tags, {
    "mlgov:component" = "data-lake-consumer"
    "mlgov:workspace" = var.name
  })

  # Resource link naming convention: the link to shared database D is "<prefix><D>".
  resource_link_names = { for d in var.shared_databases : d => "${var.resource_link_prefix}${d}" }

  glue_arn      = "arn:${local.partition}:glue:${local.region}:${local.account_id}"
  lake_glue_arn = "arn:${local.partition}:glue:${local.region}:${var.lake_account_id}"

  workgroup_name     = "${var.name}-lake"
  athena_role_name   = "${var.name}-athena"
  results_bucket     = "${var.name}-athena-${local.account_id}-${local.region}"
  results_prefix     = "results"
  create_kms_key     = var.create_kms_key
  results_kms_key    = local.create_kms_key ? module.kms_key[0].key_arn : var.kms_key_arn
  results_bucket_arn = "arn:${local.partition}:s3:::${local.results_bucket}"
}
