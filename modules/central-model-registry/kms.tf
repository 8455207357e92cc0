################################################################################
# KMS customer managed key for everything the central registry stores
################################################################################

data "aws_iam_policy_document" "kms" {
  # Test/prod accounts only decrypt, and only when S3, ECR or SageMaker calls KMS on their
  # behalf: a consumer principal cannot call kms:Decrypt directly on the key.
  statement {
    sid       = "AllowConsumerDecryptThroughRegistryServices"
    effect    = "Allow"
    actions   = ["kms:Decrypt", "kms:DescribeKey"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = local.consumer_account_principals
    }

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values = [
        "s3.${local.region}.${local.dns_suffix}",
        "ecr.${local.region}.${local.dns_suffix}",
        "sagemaker.${local.region}.${local.dns_suffix}",
      ]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = [var.organization_id]
    }
  }

  # SageMaker creates grants when a consumer account's resources need the key for longer than
  # one request. The grant must be for an AWS resource and may only carry read
  # operations, so a consumer can never obtain encrypt/re-encrypt rights through a grant.
  statement {
    sid       = "AllowConsumerReadOnlyGrantsForAwsResources"
    effect    = "Allow"
    actions   = ["kms:CreateGrant"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = local.consumer_account_principals
    }

    condition {
      test     = "Bool"
      variable = "kms:GrantIsForAWSResource"
      values   = ["true"]
    }

    condition {
      test     = "ForAllValues:StringEquals"
      variable = "kms:GrantOperations"
      values   = ["Decrypt", "DescribeKey"]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["sagemaker.${local.region}.${local.dns_suffix}"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = [var.organization_id]
    }
  }

  # The dev accounts' promotion-source roles sign the stage-1 copies into the hub bucket, so S3
  # calls KMS as them: GenerateDataKey for new objects (and S3 Bucket Keys), Decrypt to assemble
  # multipart copies. Only through S3, and only for this bucket: with S3 Bucket Keys the
  # encryption context is the bucket ARN (the bucket key serves the whole bucket), without them
  # it is the object ARN, which is limited to staging/. Which prefix an account may write is
  # decided by the bucket policy (staging/<its own account id>/), before S3 ever calls KMS.
  dynamic "statement" {
    for_each = var.artifact_writers != null ? [var.artifact_writers] : []

    content {
      sid       = "AllowArtifactWritersThroughS3"
      effect    = "Allow"
      actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
      resources = ["*"]

      # Narrowed by the conditions below; a role ARN principal would have to exist before the
      # key policy is written, and the dev roles are created after the hub.
      principals {
        type        = "AWS"
        identifiers = ["*"]
      }

      condition {
        test     = "ArnLike"
        variable = "aws:PrincipalArn"
        values   = [local.artifact_writer_role_arn_pattern]
      }

      condition {
        test     = "StringEquals"
        variable = "aws:PrincipalAccount"
        values   = statement.value.account_ids
      }

      condition {
        test     = "StringEquals"
        variable = "aws:PrincipalOrgID"
        values   = [var.organization_id]
      }

      dynamic "condition" {
        for_each = length(local.artifact_writer_org_path_patterns) > 0 ? [true] : []

        content {
          test     = "ForAnyValue:StringLike"
          variable = "aws:PrincipalOrgPaths"
          values   = local.artifact_writer_org_path_patterns
        }
      }

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["s3.${local.region}.${local.dns_suffix}"]
      }

      condition {
        test     = "StringLike"
        variable = "kms:EncryptionContext:aws:s3:arn"
        values   = [local.artifact_bucket_arn, "${local.artifact_bucket_arn}/${local.staging_prefix}*"]
      }
    }
  }
}

# The key (rotation on) and its alias come from modules/shared/kms-key, whose key policy starts
# with the delegation to IAM in the hub account (sid EnableIamPolicies): hub roles (promoter
# Lambda, deployment pipeline, ML engineer) are governed by their own IAM policies. Without that
# statement no IAM policy in the hub could use or manage the key. The statements above follow it.
module "kms_key" {
  source = "../shared/kms-key"

  alias_name              = var.kms_alias_name
  description             = "Central model registry (S3 artifacts, ECR images, SageMaker metadata) in the ML shared services account"
  deletion_window_in_days = var.kms_key_deletion_window_in_days
  # The document references nothing that depends on the key, so the policy stays inline on the
  # key (no aws_kms_key_policy) and the key never exists with the default policy.
  policy_documents = [data.aws_iam_policy_document.kms.json]

  tags = var.tags
}
