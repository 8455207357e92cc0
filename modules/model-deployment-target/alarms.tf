# Guardrail alarms of the endpoint. The deploy CLI passes their names as the
# blue/green AutoRollbackConfiguration, so an alarm during the bake period
# rolls traffic back to the previous fleet.
resource "aws_cloudwatch_metric_alarm" "invocation_5xx_errors" {
  alarm_name          = local.alarm_names.invocation_5xx_errors
  alarm_description   = "${var.stage}: ${var.endpoint_name}/${var.variant_name} returned server errors; triggers blue/green rollback."
  namespace           = "AWS/SageMaker"
  metric_name         = "Invocation5XXErrors"
  statistic           = "Sum"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = local.alarm_settings.invocation_5xx_errors
  period              = local.alarm_settings.period_seconds
  evaluation_periods  = local.alarm_settings.evaluation_periods
  datapoints_to_alarm = local.alarm_settings.datapoints_to_alarm
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions

  dimensions = {
    EndpointName = var.endpoint_name
    VariantName  = var.variant_name
  }

  tags = local.tags
}

resource "aws_cloudwatch_metric_alarm" "model_latency" {
  alarm_name          = local.alarm_names.model_latency
  alarm_description   = "${var.stage}: ${var.endpoint_name}/${var.variant_name} average model latency (microseconds) too high; triggers blue/green rollback."
  namespace           = "AWS/SageMaker"
  metric_name         = "ModelLatency"
  statistic           = "Average"
  comparison_operator = "GreaterThanThreshold"
  threshold           = local.alarm_settings.model_latency_microseconds
  period              = local.alarm_settings.period_seconds
  evaluation_periods  = local.alarm_settings.evaluation_periods
  datapoints_to_alarm = local.alarm_settings.datapoints_to_alarm
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions

  dimensions = {
    EndpointName = var.endpoint_name
    VariantName  = var.variant_name
  }

  tags = local.tags
}
