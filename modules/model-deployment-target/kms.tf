# Endpoint key: encrypts the endpoint's ML storage volumes, the captured
# request/response data and the target config parameter. The execution role
# uses it directly; the deploy role may only hand it to SageMaker (grants for
# the endpoint's volumes) and decrypt the target config through SSM.
# The key, its alias and the delegation to IAM in this account (statement
# EnableIamPolicies) come from modules/shared/kms-key; these are the statements
# specific to the endpoint key.
data "aws_iam_policy_document" "kms" {
  #checkov:skip=CKV_AWS_111:A key policy's Resource "*" means this key only; write access is scoped by principal and conditions.
  #checkov:skip=CKV_AWS_356:A key policy's Resource "*" means this key only.
  statement {
    sid = "EndpointExecutionRoleUsesKey"
    actions = [
      "kms:Encrypt",
      "kms:Decrypt",
      "kms:ReEncrypt*",
      "kms:GenerateDataKey*",
      "kms:DescribeKey",
    ]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = [aws_iam_role.execution.arn]
    }
  }

  statement {
    sid       = "EndpointExecutionRoleGrantsForSageMaker"
    actions   = ["kms:CreateGrant"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = [aws_iam_role.execution.arn]
    }

    condition {
      test     = "Bool"
      variable = "kms:GrantIsForAWSResource"
      values   = ["true"]
    }
  }

  statement {
    sid       = "DeployRoleOnlyThroughSageMaker"
    actions   = ["kms:CreateGrant", "kms:DescribeKey"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = [aws_iam_role.deploy.arn]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["sagemaker.${local.region}.amazonaws.com"]
    }
  }

  # Only the target config parameter, only through Parameter Store (SSM puts
  # the parameter ARN in the encryption context).
  statement {
    sid       = "DeployRoleReadsTargetConfigThroughSsm"
    actions   = ["kms:Decrypt"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = [aws_iam_role.deploy.arn]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["ssm.${local.region}.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:EncryptionContext:PARAMETER_ARN"
      values   = [local.target_config_parameter_arn]
    }
  }
}

module "kms_key" {
  source = "../shared/kms-key"

  alias_name              = "alias/${var.name_prefix}-endpoint-${var.stage}"
  description             = "Encrypts ${var.stage} SageMaker endpoint volumes, data capture and target config of ${var.name_prefix}."
  deletion_window_in_days = var.kms_key_deletion_window_in_days
  policy_documents        = [data.aws_iam_policy_document.kms.json]
  tags                    = local.tags
}
