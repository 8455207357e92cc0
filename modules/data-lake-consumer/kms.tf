# Results key, only when no kms_key_arn is given: query results and the results bucket. The key
# policy delegates to IAM in this account (the Athena role's identity policy grants its use);
# nothing outside the account is admitted.
data "aws_iam_policy_document" "kms" {
  count = local.create_kms_key ? 1 : 0

  #checkov:skip=CKV_AWS_109:Key policy: "*" as resource means this key only; kms:* goes solely to this account's root, the standard delegation to IAM policies.
  #checkov:skip=CKV_AWS_111:Key policy: "*" as resource means this key only; write actions go solely to this account's root, the standard delegation to IAM policies.
  #checkov:skip=CKV_AWS_356:A key policy cannot name a narrower resource than "*" (it is the key it is attached to); the principal carries the restriction.
  statement {
    sid       = "EnableIamPolicies"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }
}

resource "aws_kms_key" "results" {
  count = local.create_kms_key ? 1 : 0

  description             = "Encrypts the ${var.name} Athena query results (${local.workgroup_name} workgroup) and their bucket."
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.kms[0].json
  tags                    = local.tags
}

resource "aws_kms_alias" "results" {
  count = local.create_kms_key ? 1 : 0

  name          = "alias/${var.name}-athena-results"
  target_key_id = aws_kms_key.results[0].key_id
}
