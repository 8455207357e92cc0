output "event_bus_name" {
  description = "Name of the promotion event bus."
  value       = aws_cloudwatch_event_bus.this.name
}

output "event_bus_arn" {
  description = "ARN of the promotion event bus (the forwarder rules in the dev accounts target it)."
  value       = aws_cloudwatch_event_bus.this.arn
}

output "event_bus_policy_json" {
  description = "Resource policy attached to the event bus."
  value       = data.aws_iam_policy_document.event_bus.json
}

output "event_archive_arn" {
  description = "ARN of the event archive used to replay approval events."
  value       = aws_cloudwatch_event_archive.this.arn
}

output "rule_name" {
  description = "Name of the rule that invokes the promoter."
  value       = aws_cloudwatch_event_rule.this.name
}

output "rule_arn" {
  description = "ARN of the rule that invokes the promoter."
  value       = aws_cloudwatch_event_rule.this.arn
}

output "event_pattern" {
  description = "JSON event pattern of the rule (SageMaker model package state changes with ModelApprovalStatus Approved)."
  value       = local.event_pattern
}

output "function_name" {
  description = "Name of the promoter Lambda function."
  value       = aws_lambda_function.this.function_name
}

output "function_arn" {
  description = "ARN of the promoter Lambda function."
  value       = aws_lambda_function.this.arn
}

output "function_role_name" {
  description = "Name of the promoter's execution role."
  value       = aws_iam_role.this.name
}

output "function_role_arn" {
  description = "ARN of the promoter's execution role (the exact principal trusted by every dev account's promotion-source role)."
  value       = aws_iam_role.this.arn
}

output "function_role_policy_json" {
  description = "Minified inline policy of the promoter's execution role (IAM limit: 10,240 characters)."
  value       = data.aws_iam_policy_document.this.minified_json
}

output "function_log_group_name" {
  description = "Name of the promoter's CloudWatch log group."
  value       = aws_cloudwatch_log_group.this.name
}

output "powertools_layer_arn" {
  description = "Powertools for AWS Lambda (Python) layer version ARN attached to the promoter."
  value       = local.powertools_layer_arn
}

output "dead_letter_queue_url" {
  description = "URL of the dead-letter queue."
  value       = module.dead_letter_queue.queue_url
}

output "dead_letter_queue_arn" {
  description = "ARN of the dead-letter queue."
  value       = module.dead_letter_queue.queue_arn
}

output "idempotency_table_name" {
  description = "Name of the idempotency DynamoDB table."
  value       = aws_dynamodb_table.this.name
}

output "idempotency_table_arn" {
  description = "ARN of the idempotency DynamoDB table."
  value       = aws_dynamodb_table.this.arn
}

output "source_accounts_parameter_name" {
  description = "Name of the SSM parameter holding the source accounts map."
  value       = aws_ssm_parameter.source_accounts.name
}

output "source_accounts_parameter_arn" {
  description = "ARN of the SSM parameter holding the source accounts map."
  value       = aws_ssm_parameter.source_accounts.arn
}

output "group_policy_template_parameter_name" {
  description = "Name of the SSM parameter holding the model package group policy template."
  value       = aws_ssm_parameter.group_policy_template.name
}

output "group_policy_template_parameter_arn" {
  description = "ARN of the SSM parameter holding the model package group policy template."
  value       = aws_ssm_parameter.group_policy_template.arn
}

output "alarm_topic_arn" {
  description = "ARN of the SNS topic that receives the promoter's alarms."
  value       = aws_sns_topic.this.arn
}

output "alarm_arns" {
  description = "ARNs of the CloudWatch alarms, keyed by function-errors, function-throttles, dead-letter-queue-not-empty, approval-refused and rule-failed-invocations."
  value       = { for key, alarm in aws_cloudwatch_metric_alarm.this : key => alarm.arn }
}

output "kms_key_arn" {
  description = "ARN of the KMS key protecting the module's resources (created here or passed in)."
  value       = local.kms_key_arn
}

output "kms_key_policy_json" {
  description = "Key policy the module attaches to the key it creates; an existing key passed as kms_key_arn needs equivalent statements."
  # The block's policy (delegation to IAM in this account, then the statements of kms.tf); with
  # an existing key, the statements of kms.tf alone, which that key's policy must add to its own.
  value = local.create_kms_key ? module.kms_key[0].policy_json : data.aws_iam_policy_document.kms.json
}
