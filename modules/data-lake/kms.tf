# Lake key: the raw, curated and results buckets (SSE-KMS with S3 Bucket Keys) and Athena's
# query results. The key itself, its rotation, its alias and the delegation to IAM in this
# account come from the shared block (modules/shared/kms-key). The registration role, which
# Lake Formation assumes to vend data access to the lake, is named in the key policy so that it
# can read and write objects whatever IAM policies it carries. Consumer accounts never get key
# access: they read through Lake Formation's credential vending.
data "aws_iam_policy_document" "kms" {
  #checkov:skip=CKV_AWS_111:Key policy: "*" as resource means this key only; the write-type actions go to the registration role alone, for data encryption only.
  #checkov:skip=CKV_AWS_356:A key policy cannot name a narrower resource than "*" (it is the key it is attached to); the principal carries the restriction.
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

module "kms_key" {
  source = "../shared/kms-key"

  alias_name              = "alias/${var.name}"
  description             = "Encrypts the ${var.name} data lake: raw and curated zones, feature store, Athena query results."
  deletion_window_in_days = var.kms_key_deletion_window_in_days
  policy_documents        = [data.aws_iam_policy_document.kms.json]
  tags                    = local.tags
}
