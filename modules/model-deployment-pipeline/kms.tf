# One customer managed key protects everything this pipeline stores or sends:
# pipeline artifacts and the tooling bundle (S3), CodeBuild outputs, CloudWatch
# log groups, the approval SNS topic, the dead-letter queue and the trigger
# function's environment. Humans and roles get access through IAM policies
# (delegated to IAM in this account by modules/shared/kms-key, statement
# EnableIamPolicies); services that act on their own (CloudWatch Logs,
# EventBridge) get the narrowly conditioned statements below.
data "aws_iam_policy_document" "kms" {
  statement {
    sid = "CloudWatchLogsForThisPipelineOnly"
    actions = [
      "kms:Encrypt",
      "kms:Decrypt",
      "kms:ReEncrypt*",
      "kms:GenerateDataKey*",
      "kms:DescribeKey",
    ]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["logs.${local.region}.amazonaws.com"]
    }

    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values = [
        "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:${local.codebuild_log_group_prefix}*",
        "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:${local.trigger_log_group_name}",
      ]
    }
  }

  statement {
    sid       = "EventBridgeDeadLetterDeliveryFromTriggerRule"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [local.trigger_rule_arn]
    }
  }
}

module "kms_key" {
  source = "../shared/kms-key"

  alias_name              = "alias/${var.name}"
  description             = "Encrypts artifacts, logs, notifications and queues of the ${var.name} model deployment pipeline."
  deletion_window_in_days = var.kms_key_deletion_window_in_days
  policy_documents        = [data.aws_iam_policy_document.kms.json]
  tags                    = local.tags
}
