################################################################################
# Execution roles: what code runs as. One Studio execution role per persona
# (every user profile is bound to its persona's role), and one for SageMaker
# pipelines. All may register model packages (PendingManualApproval only) and
# none may approve one (ExecutionRolesNeverApprove in workspace-authoring).
# Statements that name the domain are in the separate workspace-domain policy.
################################################################################

locals {
  execution_roles = {
    studio_lead_data_scientist = {
      name        = "${var.name}-studio-lead-data-scientist"
      description = "Studio execution role of ${var.name} lead data scientists: notebooks, jobs, pipelines, projects; registers but never approves models."
      studio      = true
    }
    studio_data_scientist = {
      name        = "${var.name}-studio-data-scientist"
      description = "Studio execution role of ${var.name} data scientists (domain default): notebooks, jobs, pipelines; registers but never approves models."
      studio      = true
    }
    pipeline = {
      name        = "${var.name}-pipeline-execution"
      description = "Execution role of ${var.name} SageMaker pipelines and their steps; registers but never approves models."
      studio      = false
    }
  }

  studio_execution_role_key = {
    lead_data_scientist = "studio_lead_data_scientist"
    data_scientist      = "studio_data_scientist"
  }
}

data "aws_iam_policy_document" "execution_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["sagemaker.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "execution" {
  for_each = local.execution_roles

  name                 = each.value.name
  path                 = var.role_path
  description          = each.value.description
  assume_role_policy   = data.aws_iam_policy_document.execution_assume.json
  permissions_boundary = var.permissions_boundary_arn
  tags                 = merge(local.tags, { "mlgov:execution-role" = each.key })
}

resource "aws_iam_role_policy_attachment" "execution_common" {
  for_each = aws_iam_role.execution

  role       = each.value.name
  policy_arn = aws_iam_policy.workspace_common.arn
}

resource "aws_iam_role_policy_attachment" "execution_compute" {
  for_each = aws_iam_role.execution

  role       = each.value.name
  policy_arn = aws_iam_policy.workspace_compute.arn
}

resource "aws_iam_role_policy_attachment" "execution_authoring" {
  for_each = aws_iam_role.execution

  role       = each.value.name
  policy_arn = aws_iam_policy.workspace_authoring.arn
}

data "aws_iam_policy_document" "execution" {
  for_each = local.execution_roles

  # A Studio role hands itself to the jobs it starts and the pipeline role to the pipelines it
  # creates; the pipeline role hands only itself to its steps. Only to SageMaker.
  statement {
    sid     = "PassWorkspaceExecutionRoles"
    actions = ["iam:PassRole"]
    resources = distinct([
      "arn:${local.partition}:iam::${local.account_id}:role${var.role_path}${each.value.name}",
      "arn:${local.partition}:iam::${local.account_id}:role${var.role_path}${local.execution_roles.pipeline.name}",
    ])

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["sagemaker.amazonaws.com"]
    }
  }

  # The lead data scientist provisions projects: only the lead's Studio role may
  # create SageMaker projects (names with the team prefix) from the shared portfolios or from
  # the S3 templates location. The portfolio must associate this role (IAM_PATTERN).
  dynamic "statement" {
    for_each = each.key == "studio_lead_data_scientist" ? [1] : []

    content {
      sid = "ManageTeamProjects"
      actions = [
        "sagemaker:CreateProject",
        "sagemaker:UpdateProject",
        "sagemaker:DeleteProject",
      ]
      resources = ["${local.sm_arn}:project/${local.team_prefix}*"]
    }
  }

  # A project from a Studio S3 template is a CloudFormation stack created as the launch role.
  dynamic "statement" {
    for_each = each.key == "studio_lead_data_scientist" && local.projects_enabled ? [1] : []

    content {
      sid       = "PassProjectLaunchRole"
      actions   = ["iam:PassRole"]
      resources = ["arn:${local.partition}:iam::${local.account_id}:role/${local.project_launch_role_name}"]

      condition {
        test     = "StringEquals"
        variable = "iam:PassedToService"
        values   = ["cloudformation.amazonaws.com"]
      }
    }
  }

  dynamic "statement" {
    for_each = each.key == "studio_lead_data_scientist" ? [1] : []

    content {
      sid = "ProvisionProjectTemplates"
      # Portfolios are shared from the hub: the product ARN carries the hub's account id.
      actions = [
        "servicecatalog:DescribeProduct",
        "servicecatalog:DescribeProvisioningArtifact",
        "servicecatalog:DescribeProvisioningParameters",
        "servicecatalog:ListLaunchPaths",
        "servicecatalog:ProvisionProduct",
      ]
      resources = ["arn:${local.partition}:catalog:${local.region}:*:product/*"]
    }
  }

  dynamic "statement" {
    for_each = each.key == "studio_lead_data_scientist" ? [1] : []

    content {
      sid = "FollowOwnProvisionedProjects"
      # These Service Catalog calls have no resource type in IAM; userLevel "self" limits
      # them to products this role provisioned.
      actions = [
        "servicecatalog:DescribeProvisionedProduct",
        "servicecatalog:DescribeRecord",
        "servicecatalog:UpdateProvisionedProduct",
        "servicecatalog:TerminateProvisionedProduct",
      ]
      resources = ["*"]

      condition {
        test     = "StringEquals"
        variable = "servicecatalog:userLevel"
        values   = ["self"]
      }
    }
  }

  dynamic "statement" {
    for_each = each.key == "studio_lead_data_scientist" ? [1] : []

    content {
      sid = "SearchProjectTemplates"
      # SearchProducts has no resource type in IAM; it lists only products of portfolios
      # associated with this role.
      actions   = ["servicecatalog:SearchProducts"]
      resources = ["*"]
    }
  }

  dynamic "statement" {
    for_each = each.key == "studio_lead_data_scientist" && local.project_templates != null ? [1] : []

    content {
      sid       = "ReadProjectTemplates"
      actions   = ["s3:GetObject", "s3:GetObjectTagging"]
      resources = ["arn:${local.partition}:s3:::${local.project_templates[0]}/${local.project_templates[1]}*"]
    }
  }

  dynamic "statement" {
    for_each = each.key == "studio_lead_data_scientist" && local.project_templates != null ? [1] : []

    content {
      sid       = "ListProjectTemplates"
      actions   = ["s3:ListBucket"]
      resources = ["arn:${local.partition}:s3:::${local.project_templates[0]}"]

      condition {
        test     = "StringLike"
        variable = "s3:prefix"
        values   = ["${local.project_templates[1]}*"]
      }
    }
  }
}

resource "aws_iam_role_policy" "execution" {
  for_each = local.execution_roles

  name   = replace(each.key, "_", "-")
  role   = aws_iam_role.execution[each.key].id
  policy = data.aws_iam_policy_document.execution[each.key].json
}

# What names the domain, kept apart so that the policies above (pass role, projects) and the
# shared ones (among them ExecutionRolesNeverApprove) neither wait for nor depend on the domain:
# Studio apps and spaces of this domain, and the isolation from resources of other domains.
locals {
  execution_domain_roles = {
    for key, role in local.execution_roles : key => role
    if role.studio || var.enable_domain_resource_isolation
  }
}

data "aws_iam_policy_document" "execution_domain" {
  for_each = local.execution_domain_roles

  dynamic "statement" {
    for_each = each.value.studio ? [1] : []

    content {
      sid = "UseStudioInThisDomain"
      actions = [
        "sagemaker:CreateApp",
        "sagemaker:DeleteApp",
        "sagemaker:CreateSpace",
        "sagemaker:UpdateSpace",
        "sagemaker:DeleteSpace",
      ]
      resources = [
        "${local.sm_arn}:app/${aws_sagemaker_domain.this.id}/*",
        "${local.sm_arn}:space/${aws_sagemaker_domain.this.id}/*",
      ]
    }
  }

  dynamic "statement" {
    for_each = var.enable_domain_resource_isolation ? [1] : []

    content {
      # Resources Studio created for another domain in this account carry that domain's ARN in
      # the sagemaker:domain-arn tag: leave them alone. Untagged resources are not affected.
      sid    = "DomainResourceIsolation"
      effect = "Deny"
      actions = [
        "sagemaker:Update*",
        "sagemaker:Delete*",
        "sagemaker:Stop*",
      ]
      resources = ["*"]

      condition {
        test     = "Null"
        variable = "aws:ResourceTag/sagemaker:domain-arn"
        values   = ["false"]
      }

      condition {
        test     = "StringNotEquals"
        variable = "aws:ResourceTag/sagemaker:domain-arn"
        values   = [aws_sagemaker_domain.this.arn]
      }
    }
  }
}

resource "aws_iam_role_policy" "execution_domain" {
  for_each = local.execution_domain_roles

  name   = "workspace-domain"
  role   = aws_iam_role.execution[each.key].id
  policy = data.aws_iam_policy_document.execution_domain[each.key].json
}
