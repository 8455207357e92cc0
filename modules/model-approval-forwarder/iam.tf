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
# Promotion-source role: the hub promoter reads this account's approved packages
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
  description          = "Read-only access for the hub model promoter to this account's approved model packages and their artifacts."
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

  # The role is read-only by construction; this also stops a broader policy attached later
  # from letting the hub change approvals in the dev registry.
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
