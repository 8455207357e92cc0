################################################################################
# Forwarder role: EventBridge puts the matched event on the hub bus, nothing else
################################################################################

data "aws_iam_policy_document" "forwarder_assume_role" {
  statement {
    sid     = "EventBridgeForThisRule"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [local.rule_arn]
    }
  }
}

resource "aws_iam_role" "forwarder" {
  name                 = var.forwarder_role_name
  description          = "Lets the ${var.rule_name} rule put approved model package events on the hub promotion bus."
  assume_role_policy   = data.aws_iam_policy_document.forwarder_assume_role.json
  max_session_duration = 3600
  permissions_boundary = var.role_permissions_boundary_arn

  tags = var.tags
}

data "aws_iam_policy_document" "forwarder" {
  statement {
    sid       = "PutEventsOnHubPromotionBus"
    actions   = ["events:PutEvents"]
    resources = [var.hub_event_bus_arn]
  }
}

resource "aws_iam_role_policy" "forwarder" {
  name   = var.forwarder_role_name
  role   = aws_iam_role.forwarder.id
  policy = data.aws_iam_policy_document.forwarder.json
}

################################################################################
# Promotion-source role: the hub promoter reads this account's approved packages and
# signs the server-side copies of their artifacts into the hub bucket's staging prefix
################################################################################

data "aws_iam_policy_document" "promotion_source_assume_role" {
  # Only the hub promoter's execution role, and only while it belongs to this organization.
  statement {
    sid     = "HubModelPromoterOnly"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "AWS"
      identifiers = [var.hub_promoter_role_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = [var.organization_id]
    }
  }
}

resource "aws_iam_role" "promotion_source" {
  name                 = var.promotion_source_role_name
  description          = "Lets the hub model promoter read this account's approved model packages and artifacts and copy them into the hub registry."
  assume_role_policy   = data.aws_iam_policy_document.promotion_source_assume_role.json
  max_session_duration = 3600
  permissions_boundary = var.role_permissions_boundary_arn

  tags = var.tags
}

data "aws_iam_policy_document" "promotion_source" {
  statement {
    sid = "DescribeModelPackages"
    actions = [
      "sagemaker:DescribeModelPackageGroup",
      "sagemaker:DescribeModelPackage",
      "sagemaker:ListTags",
    ]
    resources = concat(local.model_package_group_arns, local.model_package_arns)
  }

  # ListModelPackages is authorized against model-package ARNs but lists any group of this
  # account; it returns metadata only, the package details stay behind DescribeModelPackage.
  statement {
    sid       = "ListModelPackages"
    actions   = ["sagemaker:ListModelPackages"]
    resources = ["${local.sagemaker_arn_prefix}:model-package/*"]
  }

  dynamic "statement" {
    for_each = length(var.artifact_bucket_arns) > 0 ? [1] : []

    content {
      sid       = "ReadModelArtifacts"
      actions   = ["s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectTagging"]
      resources = [for arn in var.artifact_bucket_arns : "${arn}/*"]
    }
  }

  dynamic "statement" {
    for_each = length(var.artifact_bucket_arns) > 0 ? [1] : []

    content {
      sid       = "ListModelArtifactBuckets"
      actions   = ["s3:ListBucket"]
      resources = var.artifact_bucket_arns
    }
  }

  statement {
    sid = "PullModelImages"
    actions = [
      "ecr:BatchGetImage",
      "ecr:GetDownloadUrlForLayer",
      "ecr:BatchCheckLayerAvailability",
      "ecr:DescribeImages",
    ]
    resources = local.ecr_repository_arns
  }

  # GetAuthorizationToken has no resource type in IAM: it must be granted on "*". The token
  # only carries the repository-scoped pull permissions of the statement above.
  statement {
    sid       = "GetEcrAuthorizationToken"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  # Artifacts and images encrypted with customer managed keys are decrypted only when S3 or
  # ECR does it on the role's behalf, never by a direct kms:Decrypt call.
  dynamic "statement" {
    for_each = length(var.artifact_kms_key_arns) > 0 ? [1] : []

    content {
      sid       = "DecryptArtifactsThroughS3AndEcr"
      actions   = ["kms:Decrypt", "kms:DescribeKey"]
      resources = var.artifact_kms_key_arns

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values = [
          "s3.${local.region}.${local.dns_suffix}",
          "ecr.${local.region}.${local.dns_suffix}",
        ]
      }
    }
  }

  # A server-side copy is one request, signed by this role because only it can read (and
  # decrypt) the source; so it also writes the copy, as stage 1 of a promotion. CopyObject,
  # CreateMultipartUpload, UploadPartCopy and CompleteMultipartUpload are authorized as
  # s3:PutObject. Only this account's staging prefix of the hub bucket, and only while the bucket
  # is owned by the hub account: the promoter copies staged objects to promoted/ with its own
  # role, so nothing this role writes is ever what the central registry references.
  statement {
    sid       = "WriteStagedCopiesToHub"
    actions   = ["s3:PutObject", "s3:AbortMultipartUpload"]
    resources = [local.hub_staging_prefix_arn]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceAccount"
      values   = [local.hub_account_id]
    }
  }

  # S3 encrypts the staged copies with the hub registry key as this role (SSE-KMS):
  # GenerateDataKey for new objects and S3 Bucket Keys, Decrypt to assemble multipart copies.
  # Through S3 in the hub region only, for the hub bucket only (with S3 Bucket Keys the
  # encryption context is the bucket ARN, otherwise the object ARN under this account's staging
  # prefix).
  statement {
    sid     = "EncryptStagedCopiesThroughHubS3"
    actions = ["kms:GenerateDataKey", "kms:Decrypt"]
    # Any key of the hub account: cross-account key use needs the key policy too, and only the
    # hub registry key's policy admits this role (GenerateDataKey/Decrypt through S3).
    resources = [local.hub_kms_key_arn_pattern]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${local.hub_region}.${local.dns_suffix}"]
    }

    condition {
      test     = "StringLike"
      variable = "kms:EncryptionContext:aws:s3:arn"
      values   = [var.hub_artifact_bucket_arn, local.hub_staging_prefix_arn]
    }
  }

  # Nothing in this account is ever changed through this role; this also stops a broader policy
  # attached later from letting the hub change approvals in the dev registry.
  statement {
    sid       = "NeverChangeModelPackages"
    effect    = "Deny"
    actions   = ["sagemaker:UpdateModelPackage", "sagemaker:DeleteModelPackage", "sagemaker:DeleteModelPackageGroup"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "promotion_source" {
  name   = var.promotion_source_role_name
  role   = aws_iam_role.promotion_source.id
  policy = data.aws_iam_policy_document.promotion_source.json
}
