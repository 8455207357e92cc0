################################################################################
# Resource policy template for central model package groups
################################################################################

locals {
  model_package_group_arn = "arn:${local.partition}:sagemaker:${local.region}:${local.account_id}:model-package-group/${local.model_package_group_name_token}"
  model_package_arns      = "arn:${local.partition}:sagemaker:${local.region}:${local.account_id}:model-package/${local.model_package_group_name_token}/*"
}

# Groups are created at run time by the promoter Lambda, so the module cannot attach this policy
# itself: it publishes a template that the Lambda fills in with the group name. The template is
# one fixed-size document whatever the number of dev teams or groups.
data "aws_iam_policy_document" "model_package_group" {
  statement {
    sid       = "AllowConsumerDescribeGroup"
    effect    = "Allow"
    actions   = ["sagemaker:DescribeModelPackageGroup"]
    resources = [local.model_package_group_arn]

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

  # Read and deploy only. sagemaker:UpdateModelPackage is deliberately absent: approval status
  # is changed in the hub (ML engineer), never by the accounts that deploy.
  statement {
    sid    = "AllowConsumerReadAndDeployPackages"
    effect = "Allow"
    actions = [
      "sagemaker:CreateModel",
      "sagemaker:DescribeModelPackage",
      "sagemaker:ListModelPackages",
    ]
    resources = [local.model_package_arns]

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

  # Separation of duties in the registry itself (holds where SCPs do not apply): the approval
  # status changes only by the ML engineer, and nothing is registered already decided.
  dynamic "statement" {
    for_each = var.model_approver_role_arns != null ? [true] : []

    content {
      sid       = "DenyApprovalStatusOutsideApprovers"
      effect    = "Deny"
      actions   = ["sagemaker:UpdateModelPackage"]
      resources = [local.model_package_arns]

      principals {
        type        = "AWS"
        identifiers = ["*"]
      }

      condition {
        test     = "Null"
        variable = "sagemaker:ModelApprovalStatus"
        values   = ["false"]
      }

      condition {
        test     = "ArnNotLike"
        variable = "aws:PrincipalArn"
        values   = concat(var.model_approver_role_arns, var.break_glass_role_arns)
      }
    }
  }

  dynamic "statement" {
    for_each = var.model_approver_role_arns != null ? [true] : []

    content {
      sid       = "DenyRegisteringDecidedPackages"
      effect    = "Deny"
      actions   = ["sagemaker:CreateModelPackage"]
      resources = [local.model_package_arns]

      principals {
        type        = "AWS"
        identifiers = ["*"]
      }

      condition {
        test     = "StringNotEquals"
        variable = "sagemaker:ModelApprovalStatus"
        values   = ["PendingManualApproval"]
      }

      condition {
        test     = "Null"
        variable = "sagemaker:ModelApprovalStatus"
        values   = ["false"]
      }
    }
  }

  # Defence in depth: even if an Allow for another account is added to a group policy later
  # (by hand or through a RAM share), writes to packages stay reserved to hub principals.
  dynamic "statement" {
    for_each = var.deny_external_model_package_writes ? [true] : []

    content {
      sid    = "DenyModelPackageWritesOutsideHubAccount"
      effect = "Deny"
      actions = [
        "sagemaker:CreateModelPackage",
        "sagemaker:DeleteModelPackage",
        "sagemaker:UpdateModelPackage",
      ]
      resources = [local.model_package_arns]

      principals {
        type        = "AWS"
        identifiers = ["*"]
      }

      condition {
        test     = "StringNotEquals"
        variable = "aws:PrincipalAccount"
        values   = [local.account_id]
      }
    }
  }
}
