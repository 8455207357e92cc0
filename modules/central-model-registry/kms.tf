################################################################################
# KMS customer managed key for everything the central registry stores
################################################################################

data "aws_iam_policy_document" "kms" {
  #checkov:skip=CKV_AWS_109:Key policy: "*" as resource means this key only; kms:* is granted solely to the hub account root (the AWS default delegation to IAM), consumers get Decrypt/DescribeKey/CreateGrant under kms:ViaService and aws:PrincipalOrgID conditions.
  #checkov:skip=CKV_AWS_111:Key policy: "*" as resource means this key only; write-type KMS actions go to the hub account root (delegation to hub IAM) and to consumers only as read-only grants for AWS resources, constrained by organization and service conditions.
  #checkov:skip=CKV_AWS_356:A key policy cannot name a narrower resource than "*" (it is the key it is attached to); principals and conditions carry the restriction.

  # Delegates key administration and use to IAM in the hub account, so hub roles (promoter
  # Lambda, deployment pipeline, ML engineer) are governed by their own IAM policies. Without
  # this statement no IAM policy in the hub could use or manage the key.
  statement {
    sid       = "EnableHubAccountIamPolicies"
    effect    = "Allow"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

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

resource "aws_kms_key" "this" {
  description             = "Central model registry (S3 artifacts, ECR images, SageMaker metadata) in the ML shared services account"
  key_usage               = "ENCRYPT_DECRYPT"
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_key_deletion_window_in_days
  # Inline policy: the key never exists with the default policy, and the document references
  # nothing that depends on the key, so there is no cycle that would call for aws_kms_key_policy.
  policy = data.aws_iam_policy_document.kms.json

  tags = var.tags
}

resource "aws_kms_alias" "this" {
  name          = var.kms_alias_name
  target_key_id = aws_kms_key.this.key_id
}
