# HCP Terraform dynamic provider credentials for one AWS account: the account trusts HCP
# Terraform's OIDC issuer, and each role admits only identity tokens of the listed workspaces, in
# the named organization and project, for the run phase the role is meant for.

data "aws_partition" "current" {}

locals {
  issuer = "https://${var.hostname}"

  # Roles by run phase. With separate_plan_role a plan can only read the account; the apply
  # role alone changes it. Without it one role serves both phases.
  roles = var.separate_plan_role ? {
    plan  = { name = "${var.name_prefix}-plan", phases = ["plan"] }
    apply = { name = "${var.name_prefix}-apply", phases = ["apply"] }
    } : {
    run = { name = "${var.name_prefix}-run", phases = ["plan", "apply"] }
  }

  plan_policy_arns = coalesce(
    var.plan_policy_arns,
    ["arn:${data.aws_partition.current.partition}:iam::aws:policy/ReadOnlyAccess"],
  )

  policy_attachments = merge([
    for role_key, role in local.roles : {
      for policy_arn in(role_key == "plan" ? local.plan_policy_arns : var.apply_policy_arns) :
      "${role_key} ${policy_arn}" => { role = role_key, policy_arn = policy_arn }
    }
  ]...)

  oidc_provider_arn = var.create_oidc_provider ? aws_iam_openid_connect_provider.hcp_terraform[0].arn : var.oidc_provider_arn
}

resource "aws_iam_openid_connect_provider" "hcp_terraform" {
  count = var.create_oidc_provider ? 1 : 0

  url            = local.issuer
  client_id_list = [var.audience]
  # No thumbprint: IAM verifies the issuer's certificate against its library of trusted root CAs.
  tags = var.tags
}

data "aws_iam_policy_document" "trust" {
  for_each = local.roles

  statement {
    sid     = "HcpTerraformRuns"
    effect  = "Allow"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [local.oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${var.hostname}:aud"
      values   = [var.audience]
    }

    # The subject claim names organization, project, workspace and run phase; an exact match on
    # all four (StringEquals, no wildcard) is what keeps other workspaces out.
    condition {
      test     = "StringEquals"
      variable = "${var.hostname}:sub"
      values = flatten([
        for workspace in var.workspaces : [
          for phase in each.value.phases :
          "organization:${var.organization}:project:${var.project}:workspace:${workspace}:run_phase:${phase}"
        ]
      ])
    }
  }
}

resource "aws_iam_role" "run" {
  for_each = local.roles

  name                 = each.value.name
  description          = "HCP Terraform ${join(" and ", each.value.phases)} runs of ${var.organization}/${var.project}: ${join(", ", var.workspaces)}"
  assume_role_policy   = data.aws_iam_policy_document.trust[each.key].json
  max_session_duration = var.max_session_duration
  permissions_boundary = var.permissions_boundary_arn
  tags                 = var.tags
}

resource "aws_iam_role_policy_attachment" "run" {
  for_each = local.policy_attachments

  role       = aws_iam_role.run[each.value.role].name
  policy_arn = each.value.policy_arn
}
