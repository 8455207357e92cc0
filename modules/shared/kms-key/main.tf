# One customer managed key the way every key of the platform is built: rotation on, an alias,
# and a key policy that delegates to IAM in the key's own account (without that statement no
# IAM policy in the account could use or manage the key) followed by the caller's statements
# for AWS services and other accounts.

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_iam_policy_document" "delegation" {
  #checkov:skip=CKV_AWS_109:Key policy: "*" as resource means this key only; kms:* goes to the key's own account root, which is the AWS default delegation to IAM in that account.
  #checkov:skip=CKV_AWS_111:Key policy: "*" as resource means this key only; write-type actions go to the key's own account root (delegation to IAM), nobody else.
  #checkov:skip=CKV_AWS_356:A key policy cannot name a narrower resource than "*" (it is the key it is attached to); the principal carries the restriction.
  statement {
    sid       = "EnableIamPolicies"
    effect    = "Allow"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }
}

# The delegation first, then the caller's statements (the variable's validation keeps them from
# reusing its sid).
data "aws_iam_policy_document" "this" {
  source_policy_documents = concat([data.aws_iam_policy_document.delegation.json], var.policy_documents)
}

resource "aws_kms_key" "this" {
  description             = var.description
  key_usage               = "ENCRYPT_DECRYPT"
  enable_key_rotation     = true
  rotation_period_in_days = var.rotation_period_in_days
  deletion_window_in_days = var.deletion_window_in_days
  # Inline policy: the key never exists with the default policy.
  policy = data.aws_iam_policy_document.this.json
  tags   = var.tags
}

resource "aws_kms_alias" "this" {
  name          = var.alias_name
  target_key_id = aws_kms_key.this.key_id
}
