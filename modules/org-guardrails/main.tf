################################################################################
# Service control policies of the ML accounts
#
# Each statement is a Deny that names who is exempt (aws:PrincipalArn), so the guardrail holds
# against any other principal of the member accounts, including ones with AdministratorAccess,
# PowerUserAccess or a service's FullAccess policy. SCPs grant nothing: the roles named here still
# need their own identity policies. Break-glass roles are exempt from every statement.
################################################################################

locals {
  scp_max_characters = 5120

  approvers_everywhere = distinct(concat(
    var.model_approval.central_approver_role_arns,
    var.model_approval.team_approver_role_arns,
    var.break_glass_role_arns,
  ))
  central_approvers  = distinct(concat(var.model_approval.central_approver_role_arns, var.break_glass_role_arns))
  production_answers = distinct(concat(var.deployment.production_approver_role_arns, var.break_glass_role_arns))
  admins             = distinct(concat(var.platform_admin_role_arns, var.break_glass_role_arns))
  deployment_runners = distinct(concat(var.deployment.operator_role_arns, local.admins))

  # Stage-level actions (RetryStageExecution, PutApprovalResult) name <pipeline>/<stage>[/<action>].
  pipeline_resources = flatten([for p in var.deployment.pipeline_arns : [p, "${p}/*"]])
  function_resources = flatten([for f in var.protected_resources.function_arns : [f, "${f}:*"]])
}

data "aws_iam_policy_document" "separation_of_duties" {
  # The approval status key is in the request only when the call sets it, so metadata updates
  # (descriptions, customer metadata) stay open to the package's owners.
  statement {
    sid       = "ApprovalStatusOnlyByApprovers"
    effect    = "Deny"
    actions   = ["sagemaker:UpdateModelPackage"]
    resources = ["*"]

    condition {
      test     = "Null"
      variable = "sagemaker:ModelApprovalStatus"
      values   = ["false"]
    }

    condition {
      test     = "ArnNotLike"
      variable = "aws:PrincipalArn"
      values   = local.approvers_everywhere
    }
  }

  # In the central registry's account a team approver pattern must not be enough.
  statement {
    sid       = "CentralApprovalOnlyByMlEngineer"
    effect    = "Deny"
    actions   = ["sagemaker:UpdateModelPackage"]
    resources = ["*"]

    condition {
      test     = "Null"
      variable = "sagemaker:ModelApprovalStatus"
      values   = ["false"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceAccount"
      values   = [var.model_approval.registry_account_id]
    }

    condition {
      test     = "ArnNotLike"
      variable = "aws:PrincipalArn"
      values   = local.central_approvers
    }
  }

  dynamic "statement" {
    for_each = length(var.model_approval.never_approver_role_arns) > 0 ? [true] : []

    content {
      sid       = "NoApprovalByExecutionRoles"
      effect    = "Deny"
      actions   = ["sagemaker:UpdateModelPackage"]
      resources = ["*"]

      condition {
        test     = "Null"
        variable = "sagemaker:ModelApprovalStatus"
        values   = ["false"]
      }

      condition {
        test     = "ArnLike"
        variable = "aws:PrincipalArn"
        values   = var.model_approval.never_approver_role_arns
      }
    }
  }

  # A package registered as Approved would skip every review; omitting the status registers it
  # as PendingManualApproval.
  statement {
    sid       = "RegisterOnlyAsPending"
    effect    = "Deny"
    actions   = ["sagemaker:CreateModelPackage"]
    resources = ["*"]

    condition {
      test     = "Null"
      variable = "sagemaker:ModelApprovalStatus"
      values   = ["false"]
    }

    condition {
      test     = "StringNotEquals"
      variable = "sagemaker:ModelApprovalStatus"
      values   = ["PendingManualApproval"]
    }

    condition {
      test     = "ArnNotLike"
      variable = "aws:PrincipalArn"
      values   = var.break_glass_role_arns
    }
  }

  statement {
    sid       = "ProductionApprovalOnlyByOfficer"
    effect    = "Deny"
    actions   = ["codepipeline:PutApprovalResult"]
    resources = local.pipeline_resources

    condition {
      test     = "ArnNotLike"
      variable = "aws:PrincipalArn"
      values   = local.production_answers
    }
  }

  # Whoever could create a role matching an approver pattern, or rewrite an approver's trust or
  # permissions, could approve; so only platform admins change these roles.
  statement {
    sid    = "PlatformRolesOnlyByAdmins"
    effect = "Deny"
    actions = [
      "iam:AttachRolePolicy",
      "iam:CreateRole",
      "iam:DeleteRole",
      "iam:DeleteRolePermissionsBoundary",
      "iam:DeleteRolePolicy",
      "iam:DetachRolePolicy",
      "iam:PutRolePermissionsBoundary",
      "iam:PutRolePolicy",
      "iam:TagRole",
      "iam:UntagRole",
      "iam:UpdateAssumeRolePolicy",
      "iam:UpdateRole",
    ]
    resources = var.protected_resources.role_arns

    condition {
      test     = "ArnNotLike"
      variable = "aws:PrincipalArn"
      values   = local.admins
    }
  }
}

data "aws_iam_policy_document" "platform_integrity" {
  statement {
    sid    = "DeploymentPipelineOnlyByOperators"
    effect = "Deny"
    actions = [
      "codepipeline:DeletePipeline",
      "codepipeline:DisableStageTransition",
      "codepipeline:EnableStageTransition",
      "codepipeline:OverrideStageCondition",
      "codepipeline:RetryStageExecution",
      "codepipeline:RollbackStage",
      "codepipeline:StartPipelineExecution",
      "codepipeline:StopPipelineExecution",
      "codepipeline:UntagResource",
      "codepipeline:UpdatePipeline",
    ]
    resources = local.pipeline_resources

    condition {
      test     = "ArnNotLike"
      variable = "aws:PrincipalArn"
      values   = local.deployment_runners
    }
  }

  statement {
    sid    = "DeploymentBuildsOnlyByOperators"
    effect = "Deny"
    # Prefixes keep the document within the SCP size limit and cover actions added later.
    actions = [
      "codebuild:BatchDeleteBuilds",
      "codebuild:CreateWebhook",
      "codebuild:Delete*",
      "codebuild:Retry*",
      "codebuild:Start*",
      "codebuild:Update*",
    ]
    resources = var.deployment.build_project_arns

    condition {
      test     = "ArnNotLike"
      variable = "aws:PrincipalArn"
      values   = local.deployment_runners
    }
  }

  # One statement for everything only platform admins change (each action names its own
  # service, so lambda:* never meets an S3 ARN): one exemption list keeps the document small.
  statement {
    sid    = "PlatformResourcesOnlyByAdmins"
    effect = "Deny"
    actions = [
      # Promotion and trigger functions: code, configuration, versions, aliases, permissions,
      # code signing. Prefixes keep the document within the SCP size limit.
      "lambda:AddPermission",
      "lambda:CreateAlias",
      "lambda:Delete*",
      "lambda:PublishVersion",
      "lambda:Put*",
      "lambda:RemovePermission",
      "lambda:Update*",
      # Platform parameters.
      "ssm:DeleteParameter",
      "ssm:DeleteParameters",
      "ssm:LabelParameterVersion",
      "ssm:PutParameter",
      # The deployment tooling bundle.
      "s3:DeleteObject",
      "s3:DeleteObjectVersion",
      "s3:PutObject",
      # The platform buckets' policies, versioning and lifecycle (the resource policies below
      # the SCPs would be worth little if any administrator could rewrite them).
      "s3:DeleteBucketPolicy",
      "s3:PutBucketPolicy",
      "s3:PutBucketVersioning",
      "s3:PutLifecycleConfiguration",
      # The functions' signing profile: a signature by it is what Lambda accepts as their code.
      "signer:*",
    ]
    resources = concat(
      local.function_resources,
      var.protected_resources.parameter_arns,
      var.protected_resources.tooling_object_arns,
      var.protected_resources.bucket_arns,
      var.protected_resources.signing_profile_arns,
    )

    condition {
      test     = "ArnNotLike"
      variable = "aws:PrincipalArn"
      values   = local.admins
    }
  }

  dynamic "statement" {
    for_each = length(var.protected_resources.model_package_group_arns) > 0 ? [true] : []

    content {
      sid       = "GroupPoliciesOnlyByPlatform"
      effect    = "Deny"
      actions   = ["sagemaker:DeleteModelPackageGroupPolicy", "sagemaker:PutModelPackageGroupPolicy"]
      resources = var.protected_resources.model_package_group_arns

      condition {
        test     = "ArnNotLike"
        variable = "aws:PrincipalArn"
        values   = distinct(concat(var.protected_resources.policy_writer_role_arns, local.admins))
      }
    }
  }

  dynamic "statement" {
    for_each = var.require_vpc_only_sagemaker_domains ? [true] : []

    content {
      sid       = "CreateVpcOnlyDomains"
      effect    = "Deny"
      actions   = ["sagemaker:CreateDomain"]
      resources = ["*"]

      # An omitted AppNetworkAccessType means PublicInternetOnly, and a missing key makes
      # StringNotEquals true: both are denied.
      condition {
        test     = "StringNotEquals"
        variable = "sagemaker:AppNetworkAccessType"
        values   = ["VpcOnly"]
      }

      condition {
        test     = "ArnNotLike"
        variable = "aws:PrincipalArn"
        values   = var.break_glass_role_arns
      }
    }
  }

  dynamic "statement" {
    for_each = var.require_vpc_only_sagemaker_domains ? [true] : []

    content {
      sid       = "KeepDomainsVpcOnly"
      effect    = "Deny"
      actions   = ["sagemaker:UpdateDomain"]
      resources = ["*"]

      condition {
        test     = "Null"
        variable = "sagemaker:AppNetworkAccessType"
        values   = ["false"]
      }

      condition {
        test     = "StringNotEquals"
        variable = "sagemaker:AppNetworkAccessType"
        values   = ["VpcOnly"]
      }

      condition {
        test     = "ArnNotLike"
        variable = "aws:PrincipalArn"
        values   = var.break_glass_role_arns
      }
    }
  }

  dynamic "statement" {
    for_each = var.protect_cloudtrail ? [true] : []

    content {
      sid    = "CloudTrailStaysOn"
      effect = "Deny"
      actions = [
        "cloudtrail:DeleteEventDataStore",
        "cloudtrail:DeleteTrail",
        "cloudtrail:PutEventSelectors",
        "cloudtrail:StopEventDataStoreIngestion",
        "cloudtrail:StopLogging",
        "cloudtrail:UpdateEventDataStore",
        "cloudtrail:UpdateTrail",
      ]
      resources = ["*"]

      condition {
        test     = "ArnNotLike"
        variable = "aws:PrincipalArn"
        values   = var.break_glass_role_arns
      }
    }
  }
}

locals {
  policies = {
    separation-of-duties = {
      description = "ML governance: only the named roles approve models, answer the production approval and change approver roles."
      content     = data.aws_iam_policy_document.separation_of_duties.minified_json
    }
    platform-integrity = {
      description = "ML governance: only the platform's roles run or change the deployment pipeline, promotion functions, parameters and tooling; VPC-only SageMaker domains; CloudTrail stays on."
      content     = data.aws_iam_policy_document.platform_integrity.minified_json
    }
  }

  attachments = {
    for pair in setproduct(keys(local.policies), var.attach_to) : "${pair[0]}/${pair[1]}" => {
      policy = pair[0]
      target = pair[1]
    }
  }
}

resource "aws_organizations_policy" "this" {
  for_each = local.policies

  name        = "${var.name_prefix}-ml-${each.key}"
  description = each.value.description
  type        = "SERVICE_CONTROL_POLICY"
  content     = each.value.content
  tags        = var.tags

  lifecycle {
    precondition {
      condition     = length(each.value.content) <= local.scp_max_characters
      error_message = "The ${each.key} SCP renders to ${length(each.value.content)} characters; AWS allows ${local.scp_max_characters}. Use ARN patterns instead of lists of ARNs."
    }
  }
}

resource "aws_organizations_policy_attachment" "this" {
  for_each = local.attachments

  policy_id = aws_organizations_policy.this[each.value.policy].id
  target_id = each.value.target
}

################################################################################
# Service Catalog: AWS Organizations access and the hub as delegated administrator, so the
# hub's portfolios can be shared with organizational units.
################################################################################

resource "aws_servicecatalog_organizations_access" "this" {
  count = var.service_catalog_delegated_admin_account_id != null ? 1 : 0

  enabled = true
}

resource "aws_organizations_delegated_administrator" "service_catalog" {
  count = var.service_catalog_delegated_admin_account_id != null ? 1 : 0

  account_id        = var.service_catalog_delegated_admin_account_id
  service_principal = "servicecatalog.amazonaws.com"

  depends_on = [aws_servicecatalog_organizations_access.this]
}
