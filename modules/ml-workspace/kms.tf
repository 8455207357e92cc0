# Team key: the domain's home EFS and Studio volumes, both team buckets (SSE-KMS with S3
# Bucket Keys) and, with a created VPC, its flow log group. Use by the team's roles is
# granted in their identity policies (the key policy delegates to IAM in this account);
# nothing outside the account is admitted.
data "aws_iam_policy_document" "kms" {
  #checkov:skip=CKV_AWS_109:Key policy: "*" as resource means this key only; kms:* goes solely to this account's root, the standard delegation to IAM policies.
  #checkov:skip=CKV_AWS_111:Key policy: "*" as resource means this key only; write-type actions go to this account's root (delegation to IAM) and to CloudWatch Logs for the flow log group only.
  #checkov:skip=CKV_AWS_356:A key policy cannot name a narrower resource than "*" (it is the key it is attached to); principals and conditions carry the restriction.
  statement {
    sid       = "EnableIamPolicies"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  dynamic "statement" {
    for_each = local.create_flow_logs ? [1] : []

    content {
      sid = "CloudWatchLogsEncryptsFlowLogGroup"
      actions = [
        "kms:Encrypt*",
        "kms:Decrypt*",
        "kms:ReEncrypt*",
        "kms:GenerateDataKey*",
        "kms:Describe*",
      ]
      resources = ["*"]

      principals {
        type        = "Service"
        identifiers = ["logs.${local.region}.${local.dns_suffix}"]
      }

      condition {
        test     = "ArnEquals"
        variable = "kms:EncryptionContext:aws:logs:arn"
        values   = [local.flow_log_group_arn]
      }
    }
  }
}

resource "aws_kms_key" "this" {
  description             = "Encrypts the ${var.name} ML workspace: Studio home EFS and volumes, team data and model-artifact buckets, VPC flow logs."
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_key_deletion_window_in_days
  policy                  = data.aws_iam_policy_document.kms.json
  tags                    = local.tags
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.name}-workspace"
  target_key_id = aws_kms_key.this.key_id
}
