################################################################################
# Promoter execution role
################################################################################

data "aws_iam_policy_document" "assume_role" {
  statement {
    sid     = "LambdaInThisAccount"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "this" {
  name                 = var.role_name
  description          = "Execution role of the ${var.function_name} Lambda: reads dev registries through their promotion-source roles, writes only the hub registry."
  assume_role_policy   = data.aws_iam_policy_document.assume_role.json
  max_session_duration = 3600
  permissions_boundary = var.role_permissions_boundary_arn

  tags = var.tags
}

data "aws_iam_policy_document" "this" {
  # Read access to dev accounts goes only through their promotion-source roles, and only in the
  # accounts listed in source_accounts that belong to this organization. One role-name pattern
  # plus an account list keeps the policy small: 15 characters per account instead of a
  # 55-character role ARN (see README, "Sizes").
  statement {
    sid       = "AssumePromotionSourceRoles"
    actions   = ["sts:AssumeRole"]
    resources = ["arn:${local.partition}:iam::*:role/${var.source_role_name}"]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceAccount"
      values   = local.source_account_ids
    }

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceOrgID"
      values   = [var.organization_id]
    }
  }

  # Stage 2 of a promotion reads what the dev accounts' promotion-source roles staged: HeadObject
  # (verification against the source) and the source of the server-side CopyObject /
  # UploadPartCopy, which names the verified version id (GetObjectVersion).
  statement {
    sid       = "ReadStagedArtifacts"
    actions   = ["s3:GetObject", "s3:GetObjectVersion"]
    resources = ["${var.hub_artifact_bucket_arn}/staging/*"]
  }

  # ... and writes the promoted copies and the lineage manifest: in the hub bucket's policy no
  # principal outside this account may write promoted/, the only prefix central model packages
  # reference. Multipart actions cover server-side copies over the multipart threshold.
  statement {
    sid = "WritePromotedArtifacts"
    actions = [
      "s3:GetObject",
      "s3:GetObjectVersion",
      "s3:PutObject",
      "s3:AbortMultipartUpload",
      "s3:ListMultipartUploadParts",
    ]
    resources = ["${var.hub_artifact_bucket_arn}/promoted/*"]
  }

  # HeadObject of a key that does not exist yet (the lineage manifest looked up before a first
  # promotion) answers 404 only to a caller with s3:ListBucket on the bucket, else 403; the
  # resume checks list a version's staging/ and promoted/ prefixes. A condition on s3:prefix
  # would not match a HeadObject request, so the listing is granted on the bucket; it holds
  # only staging/ and promoted/, both readable by this role anyway.
  statement {
    sid       = "ListArtifactBucket"
    actions   = ["s3:ListBucket"]
    resources = [var.hub_artifact_bucket_arn]
  }

  # The registry key protects staged and promoted objects (SSE-KMS: Decrypt to copy a staged
  # object, GenerateDataKey to write its promoted copy) and may protect the hub repositories
  # and model cards; it is usable only through those services.
  statement {
    sid       = "UseRegistryKeyThroughRegistryServices"
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"]
    resources = [var.registry_kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values = [
        "s3.${local.region}.${local.dns_suffix}",
        "ecr.${local.region}.${local.dns_suffix}",
        "sagemaker.${local.region}.${local.dns_suffix}",
      ]
    }
  }

  statement {
    sid = "PushPromotedImages"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:InitiateLayerUpload",
      "ecr:UploadLayerPart",
      "ecr:CompleteLayerUpload",
      "ecr:PutImage",
      "ecr:BatchGetImage",
      "ecr:DescribeImages",
    ]
    resources = var.hub_repository_arns
  }

  # Images of the allowed registries are not copied but pinned: their tag is resolved to a
  # digest by reading the manifest (no layer is pulled).
  # The accounts are a condition (15 characters each), not one repository pattern per account.
  statement {
    sid       = "ResolveAllowedImageDigests"
    actions   = ["ecr:BatchGetImage"]
    resources = ["arn:${local.partition}:ecr:*:*:repository/*"]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceAccount"
      values   = local.allowed_image_registries
    }
  }

  # GetAuthorizationToken has no resource type in IAM: it must be granted on "*". The token
  # only carries the repository-scoped permissions of the statement above.
  statement {
    sid       = "GetEcrAuthorizationToken"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid = "WriteCentralRegistry"
    actions = [
      "sagemaker:CreateModelPackageGroup",
      "sagemaker:DescribeModelPackageGroup",
      "sagemaker:GetModelPackageGroupPolicy",
      "sagemaker:PutModelPackageGroupPolicy",
      "sagemaker:DescribeModelPackage",
      "sagemaker:CreateModelCard",
      "sagemaker:DescribeModelCard",
      "sagemaker:UpdateModelCard",
      "sagemaker:AddTags",
    ]
    resources = [
      "arn:${local.partition}:sagemaker:${local.region}:${local.account_id}:model-package-group/*",
      "arn:${local.partition}:sagemaker:${local.region}:${local.account_id}:model-package/*",
      "arn:${local.partition}:sagemaker:${local.region}:${local.account_id}:model-card/*",
    ]
  }

  # ListModelPackages is authorized against model-package ARNs, CreateModelPackage against the
  # package and its group.
  statement {
    sid     = "RegisterCentralPackages"
    actions = ["sagemaker:CreateModelPackage", "sagemaker:ListModelPackages"]
    resources = [
      "arn:${local.partition}:sagemaker:${local.region}:${local.account_id}:model-package-group/*",
      "arn:${local.partition}:sagemaker:${local.region}:${local.account_id}:model-package/*",
    ]
  }

  # Central packages are registered for review only: a request that sets any status other than
  # PendingManualApproval is denied (omitting it yields PendingManualApproval for versioned
  # packages), so an approved package can never be created here.
  statement {
    sid       = "RegisterCentralPackagesPendingApprovalOnly"
    effect    = "Deny"
    actions   = ["sagemaker:CreateModelPackage"]
    resources = ["*"]

    condition {
      test     = "StringNotEqualsIfExists"
      variable = "sagemaker:ModelApprovalStatus"
      values   = ["PendingManualApproval"]
    }
  }

  # Approval belongs to the ML engineer: deny it even if a broader policy is attached later.
  statement {
    sid       = "NeverApproveModelPackages"
    effect    = "Deny"
    actions   = ["sagemaker:UpdateModelPackage"]
    resources = ["*"]
  }

  statement {
    sid     = "ReadPromotionParameters"
    actions = ["ssm:GetParameter"]
    resources = [
      aws_ssm_parameter.source_accounts.arn,
      aws_ssm_parameter.group_policy_template.arn,
    ]
  }

  statement {
    sid       = "ReadWriteIdempotencyRecords"
    actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"]
    resources = [aws_dynamodb_table.this.arn]
  }

  statement {
    sid       = "SendFailedInvocationsToDeadLetterQueue"
    actions   = ["sqs:SendMessage"]
    resources = [module.dead_letter_queue.queue_arn]
  }

  # The module key encrypts the parameters, the idempotency table and the DLQ: usable only
  # through those three services.
  statement {
    sid       = "UseModuleKeyThroughServices"
    actions   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]
    resources = [local.kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values = [
        "ssm.${local.region}.${local.dns_suffix}",
        "dynamodb.${local.region}.${local.dns_suffix}",
        "sqs.${local.region}.${local.dns_suffix}",
      ]
    }
  }

  # Environment variables are encrypted with the module key under this function's ARN as
  # encryption context; decryption at start-up is limited to that context.
  statement {
    sid       = "DecryptOwnEnvironment"
    actions   = ["kms:Decrypt"]
    resources = [local.kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:EncryptionContext:aws:lambda:FunctionArn"
      values   = [local.function_arn]
    }
  }

  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:*"]
  }

  # X-Ray trace APIs have no resource type in IAM: they must be granted on "*".
  statement {
    sid       = "WriteTraces"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    resources = ["*"]
  }

  # Only when the function runs in a VPC: Lambda manages its network interfaces with this role.
  dynamic "statement" {
    for_each = var.vpc_config == null ? [] : [var.vpc_config]

    content {
      sid     = "ManageVpcNetworkInterfaces"
      actions = ["ec2:CreateNetworkInterface"]
      resources = concat(
        ["arn:${local.partition}:ec2:${local.region}:${local.account_id}:network-interface/*"],
        [for id in statement.value.subnet_ids : "arn:${local.partition}:ec2:${local.region}:${local.account_id}:subnet/${id}"],
        [for id in statement.value.security_group_ids : "arn:${local.partition}:ec2:${local.region}:${local.account_id}:security-group/${id}"],
      )
    }
  }

  dynamic "statement" {
    for_each = var.vpc_config == null ? [] : [var.vpc_config]

    content {
      sid       = "ReleaseVpcNetworkInterfaces"
      actions   = ["ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"]
      resources = ["arn:${local.partition}:ec2:${local.region}:${local.account_id}:network-interface/*"]
    }
  }

  # DescribeNetworkInterfaces has no resource type in IAM: it must be granted on "*".
  dynamic "statement" {
    for_each = var.vpc_config == null ? [] : [var.vpc_config]

    content {
      sid       = "DescribeVpcNetworkInterfaces"
      actions   = ["ec2:DescribeNetworkInterfaces"]
      resources = ["*"]
    }
  }
}

resource "aws_iam_role_policy" "this" {
  name   = var.role_name
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.this.minified_json

  lifecycle {
    precondition {
      condition     = alltrue([for arn in var.hub_repository_arns : split(":", arn)[3] == local.region && split(":", arn)[4] == local.account_id])
      error_message = "Every hub_repository_arns entry must be a repository of this (hub) account and region: the promoter writes only to the hub registry."
    }

    precondition {
      condition     = split(":", var.registry_kms_key_arn)[3] == local.region && split(":", var.registry_kms_key_arn)[4] == local.account_id
      error_message = "The registry_kms_key_arn must be a key of this (hub) account and region."
    }

    precondition {
      condition     = length(data.aws_iam_policy_document.this.minified_json) <= 10240
      error_message = "The promoter role's inline policy exceeds the 10,240-character IAM limit; pass hub_repository_arns as one prefix pattern such as repository/<prefix>-promoted/* (see README, \"Sizes\")."
    }
  }
}
