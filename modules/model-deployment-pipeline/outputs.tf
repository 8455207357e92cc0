output "pipeline_name" {
  description = "Name of the deployment pipeline (the trigger function's PIPELINE_NAME)."
  value       = aws_codepipeline.this.name
}

output "pipeline_arn" {
  description = "ARN of the deployment pipeline."
  value       = aws_codepipeline.this.arn
}

output "approval_action_arn" {
  description = "ARN of the ApproveProd manual approval action; the only resource on which the governance officer role may call codepipeline:PutApprovalResult."
  value       = "${aws_codepipeline.this.arn}/${local.stage_names.approve_prod}/${local.stage_names.approve_prod}"
}

output "approval_topic_arn" {
  description = "ARN of the KMS-encrypted SNS topic that announces production approval requests."
  value       = aws_sns_topic.approval.arn
}

output "artifact_bucket_name" {
  description = "Name of the KMS-encrypted artifact bucket that also holds the tooling bundle."
  value       = module.artifact_bucket.bucket_name
}

output "tooling_object_key" {
  description = "S3 key of the tooling bundle read by the Source stage."
  value       = aws_s3_object.tooling.key
}

output "kms_key_arn" {
  description = "ARN of the pipeline's customer managed KMS key."
  value       = module.kms_key.key_arn
}

output "codebuild_role_arns" {
  description = "CodeBuild role ARN per target stage (test, prod); the target account's deploy role trusts exactly this ARN."
  value       = { for stage, role in aws_iam_role.codebuild : stage => role.arn }
}

output "codebuild_project_names" {
  description = "CodeBuild project name per pipeline action (deploy_test, integration_test, deploy_prod)."
  value       = { for k, p in aws_codebuild_project.this : k => p.name }
}

output "trigger_function_arn" {
  description = "ARN of the Lambda function that starts the pipeline for approved central model packages."
  value       = aws_lambda_function.trigger.arn
}

output "trigger_rule_arn" {
  description = "ARN of the default-bus rule that matches central model package approval changes."
  value       = aws_cloudwatch_event_rule.trigger.arn
}

output "trigger_dead_letter_queue_arn" {
  description = "ARN of the KMS-encrypted SQS dead-letter queue of the trigger rule and function."
  value       = module.trigger_dead_letter_queue.queue_arn
}

output "event_pattern" {
  description = "JSON event pattern of the trigger rule (useful for tests and for replaying events)."
  value       = local.event_pattern
}

output "ml_engineer_role_arn" {
  description = "ARN of the ML engineer role (approves central model packages; explicitly denied codepipeline:PutApprovalResult)."
  value       = aws_iam_role.ml_engineer.arn
}

output "governance_officer_role_arn" {
  description = "ARN of the governance officer role (the only role allowed to approve ApproveProd)."
  value       = aws_iam_role.governance_officer.arn
}
