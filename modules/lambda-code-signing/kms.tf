# The package bucket's key. Signer and Lambda read and write the packages with the caller's
# permissions (forward access sessions), so the account-root statement delegating to IAM is
# the whole policy.
data "aws_iam_policy_document" "kms" {
  #checkov:skip=CKV_AWS_109:A key policy's Resource "*" means this key only; the account-root statement is the standard delegation to IAM.
  #checkov:skip=CKV_AWS_111:A key policy's Resource "*" means this key only; who may use it is decided by IAM policies in this account.
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
}

resource "aws_kms_key" "packages" {
  description             = "Encrypts the unsigned and signed Lambda packages of ${var.name}."
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_key_deletion_window_in_days
  policy                  = data.aws_iam_policy_document.kms.json
  tags                    = local.tags
}

resource "aws_kms_alias" "packages" {
  name          = "alias/${var.name}-code"
  target_key_id = aws_kms_key.packages.key_id
}
