output "target_config" {
  description = "Target config of this stage (naming contract's JSON shape, endpoint_name included), the same object the SSM parameter publishes as JSON."
  value       = local.target_config
}

output "target_config_parameter_name" {
  description = "Name of the SSM SecureString parameter holding target_config as JSON; pass it as the pipeline's deployment_targets[stage].target_config_parameter_name."
  value       = aws_ssm_parameter.target_config.name
}

output "target_config_parameter_arn" {
  description = "ARN of the SSM SecureString parameter holding target_config as JSON (the deploy role may read only this parameter)."
  value       = aws_ssm_parameter.target_config.arn
}

output "deploy_role_arn" {
  description = "ARN of the deploy role the pipeline's CodeBuild role assumes."
  value       = aws_iam_role.deploy.arn
}

output "execution_role_arn" {
  description = "ARN of the SageMaker endpoint execution role (the hub must allow it on its bucket, ECR repositories and KMS key)."
  value       = aws_iam_role.execution.arn
}

output "endpoint_kms_key_arn" {
  description = "ARN of the endpoint KMS key (ML storage volumes and data capture)."
  value       = module.kms_key.key_arn
}

output "data_capture_bucket_name" {
  description = "Name of the data-capture bucket."
  value       = module.data_capture_bucket.bucket_name
}

output "security_group_id" {
  description = "ID of the endpoint security group the deploy CLI attaches to VPC-mode endpoints."
  value       = aws_security_group.endpoint.id
}

output "alarm_names" {
  description = "Names of the guardrail alarms (5xx errors, model latency) used for blue/green auto-rollback."
  value       = values(local.alarm_names)
}
