################################################################################
# ECR repositories for promoted images (one per dev team)
################################################################################

resource "aws_ecr_repository" "this" {
  for_each = toset(var.image_repository_names)

  name = each.key
  # Promoted images are referenced by digest and tagged {group}-{version}; an immutable tag can
  # never be re-pointed at different content after approval.
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = module.kms_key.key_arn
  }

  tags = var.tags
}

# One document shared by every repository: its size depends on the number of consumer accounts,
# never on the number of dev teams.
data "aws_iam_policy_document" "repository" {
  statement {
    sid    = "AllowConsumerAccountPull"
    effect = "Allow"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:GetDownloadUrlForLayer",
    ]

    principals {
      type        = "AWS"
      identifiers = local.consumer_account_principals
    }

    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = [var.organization_id]
    }
  }

  # SageMaker pulls cross-account images as its service principal on behalf of the consumer
  # account's model; the source conditions stop any other account's SageMaker from doing so.
  statement {
    sid    = "AllowSageMakerPullForConsumerAccounts"
    effect = "Allow"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:GetDownloadUrlForLayer",
    ]

    principals {
      type        = "Service"
      identifiers = [data.aws_service_principal.sagemaker.name]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = var.consumer_account_ids
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceOrgID"
      values   = [var.organization_id]
    }
  }
}

resource "aws_ecr_repository_policy" "this" {
  for_each = aws_ecr_repository.this

  repository = each.value.name
  policy     = data.aws_iam_policy_document.repository.json
}

resource "aws_ecr_lifecycle_policy" "this" {
  for_each = aws_ecr_repository.this

  repository = each.value.name
  # Only untagged images expire (left-overs of interrupted copies); tagged promoted images are
  # the audit record and are kept.
  policy = jsonencode({
    rules = [
      {
        rulePriority = 1
        description  = "Expire untagged images after ${var.untagged_image_expiration_days} days"
        selection = {
          tagStatus   = "untagged"
          countType   = "sinceImagePushed"
          countUnit   = "days"
          countNumber = var.untagged_image_expiration_days
        }
        action = {
          type = "expire"
        }
      }
    ]
  })
}
