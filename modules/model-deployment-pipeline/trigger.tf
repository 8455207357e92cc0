locals {
  # Central packages only: `account` pins the hub itself (dev-account events
  # forwarded to the promotion bus never reach the default bus rule), and the
  # optional prefixes narrow it further to selected model package groups.
  event_pattern = jsonencode({
    source        = ["aws.sagemaker"]
    "detail-type" = ["SageMaker Model Package State Change"]
    account       = [local.account_id]
    detail = {
      for k, v in {
        ModelApprovalStatus   = ["Approved", "Rejected"]
        ModelPackageGroupName = [for p in var.trigger_model_package_group_name_prefixes : { prefix = p }]
      } : k => v if length(v) > 0
    }
  })
}

# Dead-letter queue shared by the rule target (events EventBridge could not
# deliver) and the function (asynchronous invocations that failed all retries).
# modules/shared/dead-letter-queue: SSE-KMS under the pipeline key, 14 days of
# retention, EventBridge may send only on behalf of the trigger rule, plain HTTP
# refused. The rule ARN is built from the rule's name (local.trigger_rule_arn),
# as in the key policy, rather than read from the rule resource.
module "trigger_dead_letter_queue" {
  source = "../shared/dead-letter-queue"

  name                    = "${var.name}-trigger-dlq"
  kms_key_arn             = module.kms_key.key_arn
  eventbridge_source_arns = [local.trigger_rule_arn]
  tags                    = local.tags
}

data "aws_iam_policy_document" "trigger_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "trigger" {
  name               = local.trigger_function_name
  description        = "Role of the ${var.name} trigger function: may only start this pipeline."
  assume_role_policy = data.aws_iam_policy_document.trigger_assume.json
  tags               = local.tags
}

data "aws_iam_policy_document" "trigger" {
  statement {
    sid       = "StartOnlyThisPipeline"
    actions   = ["codepipeline:StartPipelineExecution"]
    resources = [local.pipeline_arn]
  }

  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.trigger.arn}:*"]
  }

  statement {
    sid       = "FailedInvocationsToDlq"
    actions   = ["sqs:SendMessage"]
    resources = [module.trigger_dead_letter_queue.queue_arn]
  }

  statement {
    sid       = "DecryptEnvironmentAndEncryptDlq"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [module.kms_key.key_arn]
  }

  statement {
    sid = "XRayTraces"
    # X-Ray segment APIs have no resource-level permissions.
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    resources = ["*"]
  }

  dynamic "statement" {
    for_each = var.trigger_function_vpc_config == null ? [] : [var.trigger_function_vpc_config]

    content {
      sid = "VpcNetworkInterfaces"
      # Lambda's ENI management calls do not support resource-level scoping.
      actions = [
        "ec2:CreateNetworkInterface",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DeleteNetworkInterface",
        "ec2:AssignPrivateIpAddresses",
        "ec2:UnassignPrivateIpAddresses",
      ]
      resources = ["*"]
    }
  }
}

resource "aws_iam_role_policy" "trigger" {
  name   = "start-pipeline"
  role   = aws_iam_role.trigger.id
  policy = data.aws_iam_policy_document.trigger.json
}

resource "aws_cloudwatch_log_group" "trigger" {
  name              = local.trigger_log_group_name
  retention_in_days = var.log_retention_in_days
  kms_key_id        = module.kms_key.key_arn
  tags              = local.tags
}

resource "aws_lambda_function" "trigger" {
  #checkov:skip=CKV_AWS_117:VPC attachment is opt-in (var.trigger_function_vpc_config); the function only calls the CodePipeline API and holds no data.
  #checkov:skip=CKV_AWS_272:Code signing is set by the caller through var.trigger_function_code_signing_config_arn (checkov cannot see a variable's value); the platform's hub stack always sets it, with the package signed by modules/lambda-code-signing.
  function_name                  = local.trigger_function_name
  description                    = "Starts ${var.name} with MODEL_PACKAGE_ARN when a central model package is approved."
  role                           = aws_iam_role.trigger.arn
  filename                       = var.trigger_function_package.filename
  s3_bucket                      = var.trigger_function_package.s3_bucket
  s3_key                         = var.trigger_function_package.s3_key
  source_code_hash               = var.trigger_function_package.source_code_hash
  handler                        = "pipeline_trigger.handler.lambda_handler"
  runtime                        = "python3.13"
  architectures                  = ["arm64"]
  memory_size                    = 256
  timeout                        = 30
  reserved_concurrent_executions = var.trigger_function_reserved_concurrent_executions
  kms_key_arn                    = module.kms_key.key_arn
  layers                         = var.trigger_function_layers
  code_signing_config_arn        = var.trigger_function_code_signing_config_arn

  environment {
    variables = {
      PIPELINE_NAME                = var.name
      POWERTOOLS_SERVICE_NAME      = "pipeline-trigger"
      POWERTOOLS_LOG_LEVEL         = "INFO"
      POWERTOOLS_METRICS_NAMESPACE = "ModelDeployment"
    }
  }

  dead_letter_config {
    target_arn = module.trigger_dead_letter_queue.queue_arn
  }

  tracing_config {
    mode = "Active"
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.trigger.name
  }

  dynamic "vpc_config" {
    for_each = var.trigger_function_vpc_config == null ? [] : [var.trigger_function_vpc_config]

    content {
      subnet_ids         = vpc_config.value.subnet_ids
      security_group_ids = vpc_config.value.security_group_ids
    }
  }

  tags = local.tags

  depends_on = [aws_iam_role_policy.trigger]
}

resource "aws_cloudwatch_event_rule" "trigger" {
  name           = local.trigger_rule_name
  description    = "Central model package approved or rejected in the hub registry: drives ${var.name}."
  event_bus_name = "default"
  event_pattern  = local.event_pattern
  tags           = local.tags
}

resource "aws_cloudwatch_event_target" "trigger" {
  rule           = aws_cloudwatch_event_rule.trigger.name
  event_bus_name = aws_cloudwatch_event_rule.trigger.event_bus_name
  target_id      = "pipeline-trigger"
  arn            = aws_lambda_function.trigger.arn

  retry_policy {
    maximum_event_age_in_seconds = var.trigger_event_retry_policy.maximum_event_age_in_seconds
    maximum_retry_attempts       = var.trigger_event_retry_policy.maximum_retry_attempts
  }

  dead_letter_config {
    arn = module.trigger_dead_letter_queue.queue_arn
  }

  # The queue policy must admit the rule before EventBridge sends dead letters.
  depends_on = [module.trigger_dead_letter_queue]
}

resource "aws_lambda_permission" "trigger" {
  statement_id   = "AllowModelApprovalRule"
  action         = "lambda:InvokeFunction"
  function_name  = aws_lambda_function.trigger.function_name
  principal      = "events.amazonaws.com"
  source_arn     = aws_cloudwatch_event_rule.trigger.arn
  source_account = local.account_id
}
