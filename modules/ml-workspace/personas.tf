################################################################################
# Persona roles: what people do with the console/CLI (and, in IAM auth mode, how
# they open Studio). Each trusts exact principal ARNs (e.g. IAM Identity Center
# permission-set roles) and only from inside the organization, as the hub's
# ML engineer and governance officer roles do.
#   - lead data scientist: approves or rejects the team's model packages;
#   - data scientist: analyses data, runs pipelines, registers packages as
#     PendingManualApproval only, and is explicitly denied UpdateModelPackage.
# Each persona opens Studio profiles of its own persona only (studio-profiles).
################################################################################

locals {
  persona_role_names = {
    lead_data_scientist = "${var.name}-lead-data-scientist"
    data_scientist      = "${var.name}-data-scientist"
  }
  persona_trusted_principal_arns = {
    lead_data_scientist = var.lead_data_scientist_trusted_principal_arns
    data_scientist      = var.data_scientist_trusted_principal_arns
  }
  persona_studio_sids = {
    lead_data_scientist = "OpenLeadDataScientistStudioProfiles"
    data_scientist      = "OpenDataScientistStudioProfiles"
  }
  persona_descriptions = {
    lead_data_scientist = "Lead data scientist of ${var.name}: approves or rejects the team's model packages."
    data_scientist      = "Data scientist of ${var.name}: analyses data, runs pipelines, registers models as PendingManualApproval; cannot approve."
  }
}

data "aws_iam_policy_document" "persona_assume" {
  for_each = local.persona_trusted_principal_arns

  statement {
    # SetSourceIdentity lets the caller's identity travel into CloudTrail for every call made
    # with the role: the audit trail answers "who approved".
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

resource "aws_iam_role" "persona" {
  for_each = local.persona_role_names

  name                 = each.value
  path                 = var.role_path
  description          = local.persona_descriptions[each.key]
  assume_role_policy   = data.aws_iam_policy_document.persona_assume[each.key].json
  max_session_duration = 3600
  permissions_boundary = var.permissions_boundary_arn
  tags                 = merge(local.tags, { "mlgov:persona" = each.key })
}

resource "aws_iam_role_policy_attachment" "persona_common" {
  for_each = aws_iam_role.persona

  role       = each.value.name
  policy_arn = aws_iam_policy.workspace_common.arn
}

data "aws_iam_policy_document" "lead_data_scientist" {
  statement {
    sid       = "ApproveOrRejectTeamModelPackages"
    actions   = ["sagemaker:UpdateModelPackage"]
    resources = [local.team_model_package_arn]
  }

  statement {
    sid = "ManageTeamRegistryPolicies"
    # Applies model_package_group_policy_json (hub promoter read access) to the team's groups.
    actions = [
      "sagemaker:PutModelPackageGroupPolicy",
      "sagemaker:DeleteModelPackageGroupPolicy",
    ]
    resources = [local.team_model_package_group_arn]
  }
}

resource "aws_iam_role_policy" "lead_data_scientist" {
  name   = "lead-data-scientist"
  role   = aws_iam_role.persona["lead_data_scientist"].id
  policy = data.aws_iam_policy_document.lead_data_scientist.json
}

data "aws_iam_policy_document" "data_scientist" {
  # Separation of duties, whatever other policy is attached to this role later.
  statement {
    sid       = "DataScientistsNeverApprove"
    effect    = "Deny"
    actions   = ["sagemaker:UpdateModelPackage"]
    resources = ["*"]
  }

  statement {
    sid    = "DataScientistsNeverChangeRegistryAccess"
    effect = "Deny"
    actions = [
      "sagemaker:PutModelPackageGroupPolicy",
      "sagemaker:DeleteModelPackageGroupPolicy",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "data_scientist" {
  name   = "data-scientist"
  role   = aws_iam_role.persona["data_scientist"].id
  policy = data.aws_iam_policy_document.data_scientist.json
}

# Opening Studio (IAM auth mode): each persona opens only the profiles tagged with its persona,
# in this domain. Kept apart from the policies above because it names the domain: the approval
# grant and the separation-of-duties denies neither wait for nor depend on the domain (they are
# in place, and Terraform renders them at plan time, before the domain exists).
data "aws_iam_policy_document" "persona_studio" {
  for_each = local.persona_role_names

  statement {
    sid       = local.persona_studio_sids[each.key]
    actions   = ["sagemaker:CreatePresignedDomainUrl"]
    resources = ["${local.sm_arn}:user-profile/${aws_sagemaker_domain.this.id}/*"]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/mlgov:persona"
      values   = [each.key]
    }
  }
}

resource "aws_iam_role_policy" "persona_studio" {
  for_each = local.persona_role_names

  name   = "studio-profiles"
  role   = aws_iam_role.persona[each.key].id
  policy = data.aws_iam_policy_document.persona_studio[each.key].json
}
