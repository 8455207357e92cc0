################################################################################
# Small KMS key for the dead-letter queue (unless an existing key is passed in)
################################################################################

data "aws_iam_policy_document" "kms" {
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

# The key (rotation on) and its alias come from modules/shared/kms-key, whose key policy starts
# with the delegation to IAM in this account (sid EnableIamPolicies), as in the KMS default
# policy. The statement above follows it.
module "kms_key" {
  source = "../shared/kms-key"
  count  = local.create_kms_key ? 1 : 0

  alias_name              = local.kms_key_alias_name
  description             = "Encrypts the dead-letter queue of the ${var.rule_name} model approval forwarder."
  deletion_window_in_days = var.kms_key_deletion_window_in_days
  policy_documents        = [data.aws_iam_policy_document.kms.json]

  tags = var.tags
}
