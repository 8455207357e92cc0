# Lake key: the raw, curated and results buckets (SSE-KMS with S3 Bucket Keys) and Athena's
# query results. Use by principals of this account is delegated to IAM (root); the registration
# role, which Lake Formation assumes to vend data access to the lake, is named in the key policy
# so that it can read and write objects whatever IAM policies it carries. Consumer accounts
# never get key access: they read through Lake Formation's credential vending.
data "aws_iam_policy_document" "kms" {
  #checkov:skip=CKV_AWS_109:Key policy: "*" as resource means this key only; kms:* goes solely to this account's root, the standard delegation to IAM policies.
  #checkov:skip=CKV_AWS_111:Key policy: "*" as resource means this key only; write-type actions go to this account's root (delegation to IAM) and to the registration role for data encryption only.
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

  statement {
    sid = "LakeFormationRegistrationRoleUsesKey"
    actions = [
      "kms:Decrypt",
      "kms:Encrypt",
      "kms:GenerateDataKey*",
      "kms:ReEncrypt*",
      "kms:DescribeKey",
    ]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = [aws_iam_role.registration.arn]
    }
  }
}

resource "aws_kms_key" "this" {
  description             = "Encrypts the ${var.name} data lake: raw and curated zones, feature store, Athena query results."
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_key_deletion_window_in_days
  policy                  = data.aws_iam_policy_document.kms.json
  tags                    = local.tags
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.name}"
  target_key_id = aws_kms_key.this.key_id
}
