################################################################################
# Small KMS key for the dead-letter queue (unless an existing key is passed in)
################################################################################

data "aws_iam_policy_document" "kms" {
  #checkov:skip=CKV_AWS_109:Key policy: "*" as resource means this key only; kms:* is granted solely to this account's root (the AWS default delegation to IAM); EventBridge gets data-key actions for this rule only.
  #checkov:skip=CKV_AWS_111:Key policy: "*" as resource means this key only; write-type KMS actions go to this account's root (delegation to IAM) and to EventBridge under an aws:SourceArn condition.
  #checkov:skip=CKV_AWS_356:A key policy cannot name a narrower resource than "*" (it is the key it is attached to); principals and conditions carry the restriction.

  # Key administration and use are delegated to IAM in this account, as in the KMS default policy.
  statement {
    sid       = "EnableIamPolicies"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  # EventBridge writes undeliverable events into the SSE-KMS queue, only for this rule.
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
      values   = [local.rule_arn]
    }
  }
}

resource "aws_kms_key" "this" {
  count = local.create_kms_key ? 1 : 0

  description             = "Encrypts the dead-letter queue of the ${var.rule_name} model approval forwarder."
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_key_deletion_window_in_days
  policy                  = data.aws_iam_policy_document.kms.json

  tags = var.tags
}

resource "aws_kms_alias" "this" {
  count = local.create_kms_key ? 1 : 0

  name          = local.kms_key_alias_name
  target_key_id = aws_kms_key.this[0].key_id
}
