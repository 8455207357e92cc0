# One customer managed key protects everything this pipeline stores or sends:
# pipeline artifacts and the tooling bundle (S3), CodeBuild outputs, CloudWatch
# log groups, the approval SNS topic, the dead-letter queue and the trigger
# function's environment. Humans and roles get access through IAM policies
# (delegated by the account-root statement); services that act on their own
# (CloudWatch Logs, EventBridge) get narrowly conditioned statements.
data "aws_iam_policy_document" "kms" {
  #checkov:skip=CKV_AWS_109:A key policy's Resource "*" means this key only; the account-root statement is the standard delegation to IAM.
  #checkov:skip=CKV_AWS_111:A key policy's Resource "*" means this key only; write access is scoped by principal and conditions.
  #checkov:skip=CKV_AWS_356:A key policy's Resource "*" means this key only.
  statement {
    sid       = "AccountRootDelegatesToIam"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

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

resource "aws_kms_key" "this" {
  description             = "Encrypts artifacts, logs, notifications and queues of the ${var.name} model deployment pipeline."
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_key_deletion_window_in_days
  policy                  = data.aws_iam_policy_document.kms.json
  tags                    = local.tags
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.name}"
  target_key_id = aws_kms_key.this.key_id
}
