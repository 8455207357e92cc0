# Team key: the domain's home EFS and Studio volumes, both team buckets (SSE-KMS with S3
# Bucket Keys) and, with a created VPC, its flow log group. The key, its rotation, its alias and
# the key policy's delegation to IAM in this account come from the shared block
# (modules/shared/kms-key): use by the team's roles is granted in their identity policies;
# nothing outside the account is admitted.

# CloudWatch Logs encrypts the flow log group with the key: admitted for that group only.
data "aws_iam_policy_document" "kms" {
  count = local.create_flow_logs ? 1 : 0

  statement {
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

module "kms_key" {
  source = "../shared/kms-key"

  alias_name              = "alias/${var.name}-workspace"
  description             = "Encrypts the ${var.name} ML workspace: Studio home EFS and volumes, team data and model-artifact buckets, VPC flow logs."
  deletion_window_in_days = var.kms_key_deletion_window_in_days
  policy_documents        = data.aws_iam_policy_document.kms[*].json
  tags                    = local.tags
}
