# Separation of duties in the hub:
# - the ML engineer approves (or rejects) central model packages, which is what
#   starts this pipeline, but can never answer the production approval;
# - the governance officer is the only principal this module lets answer the
#   ApproveProd action, and cannot change a model package's approval status.
# Both roles trust exact principal ARNs (e.g. IAM Identity Center permission
# set roles) and only from inside the organization.

locals {
  model_package_arns = [
    "arn:${local.partition}:sagemaker:${local.region}:${local.account_id}:model-package/*",
  ]
  model_read_arns = [
    "arn:${local.partition}:sagemaker:${local.region}:${local.account_id}:model-package/*",
    "arn:${local.partition}:sagemaker:${local.region}:${local.account_id}:model-package-group/*",
    "arn:${local.partition}:sagemaker:${local.region}:${local.account_id}:model-card/*",
  ]
}

data "aws_iam_policy_document" "persona_assume" {
  for_each = {
    ml_engineer        = var.ml_engineer_trusted_principal_arns
    governance_officer = var.governance_officer_trusted_principal_arns
  }

  statement {
    # SetSourceIdentity lets the caller's identity travel into CloudTrail for
    # every call made with this role: the audit trail answers "who approved".
    actions = ["sts:AssumeRole", "sts:SetSourceIdentity"]

    principals {
      type        = "AWS"
      identifiers = each.value
    }

    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = [var.organization_id]
    }
  }
}

resource "aws_iam_role" "ml_engineer" {
  name                 = var.ml_engineer_role_name
  description          = "ML engineer: reviews and approves central model packages; cannot approve production deployments."
  assume_role_policy   = data.aws_iam_policy_document.persona_assume["ml_engineer"].json
  max_session_duration = 3600
  tags                 = local.tags
}

resource "aws_iam_role" "governance_officer" {
  name                 = var.governance_officer_role_name
  description          = "Governance officer: the only role that may approve the production stage of ${var.name}."
  assume_role_policy   = data.aws_iam_policy_document.persona_assume["governance_officer"].json
  max_session_duration = 3600
  tags                 = local.tags
}

data "aws_iam_policy_document" "ml_engineer" {
  statement {
    sid       = "ApproveCentralModelPackages"
    actions   = ["sagemaker:UpdateModelPackage"]
    resources = local.model_package_arns
  }

  statement {
    sid = "ReadCentralRegistry"
    actions = [
      "sagemaker:DescribeModelPackage",
      "sagemaker:DescribeModelPackageGroup",
      "sagemaker:GetModelPackageGroupPolicy",
      "sagemaker:DescribeModelCard",
      "sagemaker:ListModelCardVersions",
      "sagemaker:ListModelCardExportJobs",
      "sagemaker:ListModelPackages",
      "sagemaker:ListTags",
    ]
    resources = local.model_read_arns
  }

  statement {
    sid = "ListCentralRegistry"
    # SageMaker List* calls on these types are not resource-scoped.
    actions = [
      "sagemaker:ListModelPackageGroups",
      "sagemaker:ListModelCards",
    ]
    resources = ["*"]
  }

  statement {
    sid = "WatchDeploymentPipeline"
    actions = [
      "codepipeline:GetPipeline",
      "codepipeline:GetPipelineState",
      "codepipeline:GetPipelineExecution",
      "codepipeline:ListPipelineExecutions",
      "codepipeline:ListActionExecutions",
    ]
    resources = [local.pipeline_arn]
  }

  statement {
    sid = "ListPipelines"
    # ListPipelines has no resource-level permissions; it only lists names.
    actions   = ["codepipeline:ListPipelines"]
    resources = ["*"]
  }

  statement {
    sid       = "NeverAnswerPipelineApprovals"
    effect    = "Deny"
    actions   = ["codepipeline:PutApprovalResult"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "ml_engineer" {
  name   = "ml-engineer"
  role   = aws_iam_role.ml_engineer.id
  policy = data.aws_iam_policy_document.ml_engineer.json
}

data "aws_iam_policy_document" "governance_officer" {
  statement {
    sid       = "ApproveProductionStageOnly"
    actions   = ["codepipeline:PutApprovalResult"]
    resources = [local.approval_action_arn]
  }

  statement {
    sid = "ReadDeploymentPipeline"
    actions = [
      "codepipeline:GetPipeline",
      "codepipeline:GetPipelineState",
      "codepipeline:GetPipelineExecution",
      "codepipeline:ListPipelineExecutions",
      "codepipeline:ListActionExecutions",
    ]
    resources = [local.pipeline_arn]
  }

  statement {
    sid = "ListPipelines"
    # ListPipelines has no resource-level permissions; it only lists names.
    actions   = ["codepipeline:ListPipelines"]
    resources = ["*"]
  }

  statement {
    sid = "ReviewWhatIsBeingApproved"
    actions = [
      "sagemaker:DescribeModelPackage",
      "sagemaker:DescribeModelPackageGroup",
      "sagemaker:DescribeModelCard",
      "sagemaker:ListModelCardVersions",
    ]
    resources = local.model_read_arns
  }

  statement {
    sid       = "SubscribeToApprovalRequests"
    actions   = ["sns:Subscribe", "sns:GetTopicAttributes", "sns:ListSubscriptionsByTopic"]
    resources = [aws_sns_topic.approval.arn]
  }

  statement {
    sid    = "NeverChangeModelApprovalStatus"
    effect = "Deny"
    actions = [
      "sagemaker:UpdateModelPackage",
      "sagemaker:CreateModelPackage",
      "sagemaker:DeleteModelPackage",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "governance_officer" {
  name   = "governance-officer"
  role   = aws_iam_role.governance_officer.id
  policy = data.aws_iam_policy_document.governance_officer.json
}
