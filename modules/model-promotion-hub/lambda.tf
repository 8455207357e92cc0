################################################################################
# Promoter Lambda
################################################################################

resource "aws_cloudwatch_log_group" "this" {
  name              = local.log_group_name
  retention_in_days = var.log_retention_in_days
  kms_key_id        = local.kms_key_arn

  tags = var.tags
}

resource "aws_lambda_function" "this" {
  #checkov:skip=CKV_AWS_116:Failed asynchronous invocations go to the same SQS queue through the on-failure destination of aws_lambda_function_event_invoke_config (which also records the error); a function DLQ as well would write every failure twice.
  #checkov:skip=CKV_AWS_117:The promoter calls only AWS APIs (STS, S3, ECR, SageMaker, SSM, DynamoDB) over TLS, including S3/ECR in the dev accounts; attach it to a VPC through var.vpc_config when those endpoints (or a NAT) exist there.
  #checkov:skip=CKV_AWS_272:Code signing is set by the caller through var.code_signing_config_arn (checkov cannot see a variable's value); the platform's hub stack always sets it, with the package signed by modules/lambda-code-signing.
  function_name = var.function_name
  description   = "Copies approved model packages from ML dev accounts into the central registry (PendingManualApproval)."
  role          = aws_iam_role.this.arn

  filename         = var.function_package.filename
  s3_bucket        = var.function_package.s3_bucket
  s3_key           = var.function_package.s3_key
  source_code_hash = var.function_package.source_code_hash
  handler          = "model_promoter.handler.lambda_handler"
  runtime          = "python3.13"
  architectures    = ["arm64"]
  layers           = [local.powertools_layer_arn]

  timeout                        = var.timeout
  memory_size                    = var.memory_size
  reserved_concurrent_executions = var.reserved_concurrent_executions
  code_signing_config_arn        = var.code_signing_config_arn
  kms_key_arn                    = local.kms_key_arn

  ephemeral_storage {
    size = var.ephemeral_storage_size
  }

  environment {
    variables = {
      HUB_ARTIFACT_BUCKET             = local.hub_artifact_bucket_name
      HUB_KMS_KEY_ARN                 = var.registry_kms_key_arn
      HUB_IMAGE_REPOSITORY_PREFIX     = var.image_repository_prefix
      SOURCE_ROLE_NAME                = var.source_role_name
      SOURCE_ACCOUNTS_PARAMETER       = aws_ssm_parameter.source_accounts.name
      GROUP_POLICY_TEMPLATE_PARAMETER = aws_ssm_parameter.group_policy_template.name
      IDEMPOTENCY_TABLE_NAME          = aws_dynamodb_table.this.name
      APPROVER_ROLE_NAME_TEMPLATE     = var.approver_role_name_template
      ALLOWED_IMAGE_REGISTRIES        = join(",", local.allowed_image_registries)
      POWERTOOLS_SERVICE_NAME         = local.powertools_service_name
      POWERTOOLS_LOG_LEVEL            = "INFO"
      POWERTOOLS_METRICS_NAMESPACE    = var.metrics_namespace
    }
  }

  tracing_config {
    mode = "Active"
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.this.name
  }

  dynamic "vpc_config" {
    for_each = var.vpc_config == null ? [] : [var.vpc_config]

    content {
      subnet_ids         = vpc_config.value.subnet_ids
      security_group_ids = vpc_config.value.security_group_ids
    }
  }

  tags = var.tags

  lifecycle {
    precondition {
      condition     = local.powertools_layer_arn != null
      error_message = "There is no known Powertools layer publisher for this partition; set powertools_layer_arn."
    }
  }

  # The role's permissions and the log group must exist before the first invocation.
  depends_on = [aws_iam_role_policy.this, aws_cloudwatch_log_group.this]
}

resource "aws_lambda_function_event_invoke_config" "this" {
  function_name                = aws_lambda_function.this.function_name
  maximum_retry_attempts       = var.async_maximum_retry_attempts
  maximum_event_age_in_seconds = var.async_maximum_event_age_in_seconds

  destination_config {
    on_failure {
      destination = module.dead_letter_queue.queue_arn
    }
  }
}
