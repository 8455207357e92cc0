data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.id
  account_id = data.aws_caller_identity.current.account_id
  dns_suffix = data.aws_partition.current.dns_suffix

  # Powertools service name of the function: the "service" dimension of its own metrics.
  powertools_service_name = "model-promoter"
  # Registries besides a dev account's own whose images central packages may name (pinned by
  # digest): the hub's, then the AWS image accounts.
  allowed_image_registries = distinct(concat([local.account_id], var.allowed_image_registry_accounts))

  # Names of the optional resources default to names derived from the contract names.
  rule_name                = coalesce(var.rule_name, "${var.event_bus_name}-approved-models")
  archive_name             = coalesce(var.archive_name, "${var.event_bus_name}-archive")
  dead_letter_queue_name   = coalesce(var.dead_letter_queue_name, "${var.function_name}-dlq")
  alarm_topic_name         = coalesce(var.alarm_topic_name, "${var.function_name}-alarms")
  kms_key_alias_name       = coalesce(var.kms_key_alias_name, "alias/${replace(var.event_bus_name, ".", "-")}")
  log_group_name           = "/aws/lambda/${var.function_name}"
  create_kms_key           = var.kms_key_arn == null
  kms_key_arn              = local.create_kms_key ? module.kms_key[0].key_arn : var.kms_key_arn
  source_account_ids       = sort(keys(var.source_accounts))
  source_accounts_json     = jsonencode(var.source_accounts)
  hub_artifact_bucket_name = element(split(":::", var.hub_artifact_bucket_arn), 1)
  ssm_tier_limit_chars     = { Standard = 4096, Advanced = 8192 }
  sagemaker_events_source  = "aws.sagemaker"
  sagemaker_detail_type    = "SageMaker Model Package State Change"

  # ARNs built from names (not resource attributes) where a resource attribute would create a
  # dependency cycle: the KMS key policy must exist before the bus, rule and log group it
  # protects, and the role policy before the function that uses it.
  event_bus_arn = "arn:${local.partition}:events:${local.region}:${local.account_id}:event-bus/${var.event_bus_name}"
  rule_arn      = "arn:${local.partition}:events:${local.region}:${local.account_id}:rule/${var.event_bus_name}/${local.rule_name}"
  log_group_arn = "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:${local.log_group_name}"
  function_arn  = "arn:${local.partition}:lambda:${local.region}:${local.account_id}:function:${var.function_name}"

  # Powertools for AWS Lambda (Python) v3 publishes its public layers from one AWS-owned account
  # per partition (https://docs.powertools.aws.dev/lambda/python/latest/#lambda-layer).
  powertools_layer_accounts = {
    aws    = "017000801446"
    aws-cn = "498634801083"
  }
  powertools_layer_arn = var.powertools_layer_arn != null ? var.powertools_layer_arn : (
    contains(keys(local.powertools_layer_accounts), local.partition)
    ? "arn:${local.partition}:lambda:${local.region}:${local.powertools_layer_accounts[local.partition]}:layer:AWSLambdaPowertoolsPythonV3-python313-arm64:${var.powertools_layer_version}"
    : null
  )

  # The rule matches only approvals; the bus policy and archive admit every package state
  # change from SageMaker so an operator can replay history if a rule was misconfigured.
  event_pattern = jsonencode({
    source        = [local.sagemaker_events_source]
    "detail-type" = [local.sagemaker_detail_type]
    detail = {
      ModelApprovalStatus = ["Approved"]
    }
  })
  archive_event_pattern = jsonencode({
    source        = [local.sagemaker_events_source]
    "detail-type" = [local.sagemaker_detail_type]
  })
}
