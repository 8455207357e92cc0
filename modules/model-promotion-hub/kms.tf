################################################################################
# Module KMS key: event bus, archive, DLQ, log group, Lambda environment, DynamoDB, SSM, SNS
################################################################################

data "aws_iam_policy_document" "kms" {
  #checkov:skip=CKV_AWS_111:Key policy: "*" as resource means this key only; write-type KMS actions go only to AWS service principals (EventBridge, CloudWatch Logs, CloudWatch alarms), under encryption-context or source-ARN conditions except where AWS documents the grant without one (kms:DescribeKey for EventBridge, the alarm topic's data keys for CloudWatch).
  #checkov:skip=CKV_AWS_356:A key policy cannot name a narrower resource than "*" (it is the key it is attached to); principals and conditions carry the restriction.

  # EventBridge encrypts rule/target data and archived events of this bus only; the encryption
  # context is bound to the bus ARN for both (see EventBridge "Encrypting archives").
  statement {
    sid       = "AllowEventBridgeForThisBus"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey", "kms:ReEncrypt*"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:EncryptionContext:aws:events:event-bus:arn"
      values   = [local.event_bus_arn]
    }
  }

  # EventBridge checks that the key is a symmetric key when the bus or archive is configured
  # (key metadata only; the EventBridge key policy example grants it without conditions).
  statement {
    sid       = "AllowEventBridgeDescribeKey"
    actions   = ["kms:DescribeKey"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }
  }

  # EventBridge writes undeliverable events into the SSE-KMS dead-letter queue, only for this
  # module's rule and bus.
  statement {
    sid       = "AllowEventBridgeToWriteDeadLetterQueue"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [local.rule_arn, local.event_bus_arn]
    }
  }

  # CloudWatch Logs encrypts the promoter's log group only.
  statement {
    sid       = "AllowCloudWatchLogsForPromoterLogGroup"
    actions   = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["logs.${local.region}.${local.dns_suffix}"]
    }

    condition {
      test     = "ArnEquals"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = [local.log_group_arn]
    }
  }

  # CloudWatch alarms publish to the encrypted SNS topic; the CloudWatch documentation grants
  # exactly these two actions. The SNS topic policy limits publishing to this account's alarms.
  statement {
    sid       = "AllowCloudWatchAlarmsToPublishEncrypted"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }
  }
}

# The key (rotation on) and its alias come from modules/shared/kms-key, whose key policy starts
# with the delegation to IAM in this account (sid EnableIamPolicies), as in the KMS default
# policy; without it the key becomes unmanageable. The statements above follow it.
module "kms_key" {
  source = "../shared/kms-key"
  count  = local.create_kms_key ? 1 : 0

  alias_name              = local.kms_key_alias_name
  description             = "Encrypts the ${var.event_bus_name} event bus, its archive, the ${var.function_name} DLQ, logs, environment, idempotency table, parameters and alarm topic."
  deletion_window_in_days = var.kms_key_deletion_window_in_days
  policy_documents        = [data.aws_iam_policy_document.kms.json]

  tags = var.tags
}
