data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.id
  account_id = data.aws_caller_identity.current.account_id
  dns_suffix = data.aws_partition.current.dns_suffix

  dead_letter_queue_name = coalesce(var.dead_letter_queue_name, "${var.rule_name}-dlq")
  kms_key_alias_name     = coalesce(var.kms_key_alias_name, "alias/${replace(var.rule_name, ".", "-")}-dlq")
  create_kms_key         = var.kms_key_arn == null
  kms_key_arn            = local.create_kms_key ? module.kms_key[0].key_arn : var.kms_key_arn

  # SageMaker publishes model package events on the default bus only. The rule ARN is built
  # from its name because the events role trust policy and the KMS key policy must exist
  # before the rule that refers to them.
  rule_arn = "arn:${local.partition}:events:${local.region}:${local.account_id}:rule/${var.rule_name}"

  event_pattern = jsonencode({
    source        = ["aws.sagemaker"]
    "detail-type" = ["SageMaker Model Package State Change"]
    detail = merge(
      { ModelApprovalStatus = ["Approved"] },
      length(var.model_package_group_names) > 0 ? { ModelPackageGroupName = sort(var.model_package_group_names) } : {},
    )
  })

  # SageMaker writes resource names into ARNs in lower case; both spellings are listed so the
  # policy matches whatever case a group name was created with.
  sagemaker_arn_prefix = "arn:${local.partition}:sagemaker:${local.region}:${local.account_id}"
  group_names_in_arns  = distinct(flatten([for name in var.model_package_group_names : [name, lower(name)]]))
  model_package_group_arns = length(var.model_package_group_names) > 0 ? [
    for name in local.group_names_in_arns : "${local.sagemaker_arn_prefix}:model-package-group/${name}"
  ] : ["${local.sagemaker_arn_prefix}:model-package-group/*"]
  model_package_arns = length(var.model_package_group_names) > 0 ? [
    for name in local.group_names_in_arns : "${local.sagemaker_arn_prefix}:model-package/${name}/*"
  ] : ["${local.sagemaker_arn_prefix}:model-package/*"]

  # The hub key id is random and only known in the hub; its alias ARN is deterministic and gives
  # the hub region and account. The identity policy names the hub's keys (key/*); the registry
  # key's own policy is what admits this role (kms:ResourceAliases is not used: AWS does not
  # document it as evaluated for a caller in another account than the key).
  hub_kms_alias_arn_parts = regex("^arn:[^:]+:kms:([^:]+):([0-9]{12}):(alias/.+)$", var.hub_kms_key_alias_arn)
  hub_region              = local.hub_kms_alias_arn_parts[0]
  hub_account_id          = local.hub_kms_alias_arn_parts[1]
  hub_kms_key_arn_pattern = "arn:${local.partition}:kms:${local.hub_region}:${local.hub_account_id}:key/*"
  # The hub bucket policy grants the same prefix with ${aws:PrincipalAccount}; here the account
  # is known, so the identity policy names it. The role stages copies there; only the hub's own
  # promoter writes promoted/, which this role can neither write nor read.
  hub_staging_prefix_arn = "${var.hub_artifact_bucket_arn}/staging/${local.account_id}/*"

  ecr_repository_arns = var.ecr_repository_arns != null ? var.ecr_repository_arns : [
    "arn:${local.partition}:ecr:${local.region}:${local.account_id}:repository/*"
  ]
}

################################################################################
# Rule on the default bus: approved model packages -> hub promotion bus
################################################################################

resource "aws_cloudwatch_event_rule" "this" {
  name           = var.rule_name
  description    = "Forwards SageMaker model package approvals to the ML Shared Services promotion bus."
  event_bus_name = "default"
  event_pattern  = local.event_pattern

  tags = var.tags
}

resource "aws_cloudwatch_event_target" "this" {
  rule           = aws_cloudwatch_event_rule.this.name
  event_bus_name = aws_cloudwatch_event_rule.this.event_bus_name
  target_id      = "hub-promotion-bus"
  arn            = var.hub_event_bus_arn

  # A cross-account bus target admitted through organization conditions needs a role.
  role_arn = aws_iam_role.forwarder.arn

  retry_policy {
    maximum_event_age_in_seconds = var.retry_maximum_event_age_in_seconds
    maximum_retry_attempts       = var.retry_maximum_retry_attempts
  }

  dead_letter_config {
    arn = module.dead_letter_queue.queue_arn
  }

  depends_on = [aws_iam_role_policy.forwarder, module.dead_letter_queue]
}
