data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.id
  account_id = data.aws_caller_identity.current.account_id
  hub_region = coalesce(var.hub_region, local.region)
  is_prod    = var.stage == "prod"

  # Stage-driven defaults: prod alarms fire sooner (any 5xx, half-second
  # latency) because they also drive blue/green auto-rollback; test tolerates
  # noise from integration tests that probe error paths.
  stage_defaults = {
    test = {
      initial_instance_count     = 1
      invocation_5xx_errors      = 5
      model_latency_microseconds = 2000000
      period_seconds             = 60
      evaluation_periods         = 3
      datapoints_to_alarm        = 2
    }
    prod = {
      initial_instance_count     = 2
      invocation_5xx_errors      = 1
      model_latency_microseconds = 500000
      period_seconds             = 60
      evaluation_periods         = 3
      datapoints_to_alarm        = 1
    }
  }[var.stage]

  alarm_settings = {
    invocation_5xx_errors      = coalesce(var.alarm_thresholds.invocation_5xx_errors, local.stage_defaults.invocation_5xx_errors)
    model_latency_microseconds = coalesce(var.alarm_thresholds.model_latency_microseconds, local.stage_defaults.model_latency_microseconds)
    period_seconds             = coalesce(var.alarm_thresholds.period_seconds, local.stage_defaults.period_seconds)
    evaluation_periods         = coalesce(var.alarm_thresholds.evaluation_periods, local.stage_defaults.evaluation_periods)
    datapoints_to_alarm        = coalesce(var.alarm_thresholds.datapoints_to_alarm, local.stage_defaults.datapoints_to_alarm)
  }

  # Autoscaling exists only in prod; the deploy CLI registers the scalable
  # target after the endpoint exists (the endpoint is not a Terraform resource).
  autoscaling = local.is_prod ? {
    min_capacity                    = var.autoscaling.min_capacity
    max_capacity                    = var.autoscaling.max_capacity
    target_invocations_per_instance = var.autoscaling.target_invocations_per_instance
  } : null

  initial_instance_count = coalesce(var.initial_instance_count, local.stage_defaults.initial_instance_count)

  # Everything the deploy tool creates carries the prefix, so IAM can scope to it.
  sagemaker_resource_prefix = "${var.name_prefix}-"
  sagemaker_arn_base        = "arn:${local.partition}:sagemaker:${local.region}:${local.account_id}"
  managed_sagemaker_arns = [
    "${local.sagemaker_arn_base}:model/${local.sagemaker_resource_prefix}*",
    "${local.sagemaker_arn_base}:endpoint-config/${local.sagemaker_resource_prefix}*",
    "${local.sagemaker_arn_base}:endpoint/${local.sagemaker_resource_prefix}*",
  ]

  hub_sagemaker_arn_base = "arn:${local.partition}:sagemaker:${local.hub_region}:${var.hub_account_id}"

  data_capture_bucket_name = coalesce(var.data_capture_bucket_name, "${var.name_prefix}-data-capture-${local.account_id}-${local.region}")

  alarm_names = {
    invocation_5xx_errors = "${var.endpoint_name}-invocation-5xx-errors"
    model_latency         = "${var.endpoint_name}-model-latency"
  }
  alarm_arns = [for n in values(local.alarm_names) : "arn:${local.partition}:cloudwatch:${local.region}:${local.account_id}:alarm:${n}"]

  tags = merge(var.tags, {
    "mlgov:component" = "model-deployment-target"
    "mlgov:stage"     = var.stage
  })
}
