# Domain key: encrypts the domain, its metadata and reporting data. The key, its rotation, its
# alias and the key policy's delegation to IAM in this account come from the shared block
# (modules/shared/kms-key). DataZone uses the key through grants it creates when the domain is
# created (CreateGrant by the principal creating the domain, which needs kms:CreateGrant,
# kms:DescribeKey, kms:GenerateDataKey and kms:Decrypt on the key through IAM: the key policy
# delegates to IAM in this account). The domain execution and service roles are named so that
# they can use the key whatever IAM policies they carry; grants they make must be for an AWS
# resource. No other account is admitted.
data "aws_iam_policy_document" "kms" {
  count = var.create_kms_key ? 1 : 0

  #checkov:skip=CKV_AWS_111:Key policy: "*" as resource means this key only; the write-type actions go to the two domain roles alone, for data encryption and AWS-resource grants only.
  #checkov:skip=CKV_AWS_356:A key policy cannot name a narrower resource than "*" (it is the key it is attached to); principals and conditions carry the restriction.
  statement {
    sid = "DataZoneDomainRolesUseKey"
    actions = [
      "kms:Decrypt",
      "kms:DescribeKey",
      "kms:Encrypt",
      "kms:GenerateDataKey*",
      "kms:ReEncrypt*",
    ]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = [aws_iam_role.domain_execution.arn, aws_iam_role.domain_service.arn]
    }
  }

  statement {
    sid       = "DataZoneDomainRolesGrantToAwsResources"
    actions   = ["kms:CreateGrant"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = [aws_iam_role.domain_execution.arn, aws_iam_role.domain_service.arn]
    }

    condition {
      test     = "Bool"
      variable = "kms:GrantIsForAWSResource"
      values   = ["true"]
    }
  }
}

module "kms_key" {
  source = "../shared/kms-key"
  count  = var.create_kms_key ? 1 : 0

  alias_name              = "alias/${var.name}-domain"
  description             = "Encrypts the ${var.name} SageMaker Unified Studio (DataZone V2) domain: metadata and reporting data."
  deletion_window_in_days = var.kms_key_deletion_window_in_days
  policy_documents        = [data.aws_iam_policy_document.kms[0].json]
  tags                    = local.tags
}
