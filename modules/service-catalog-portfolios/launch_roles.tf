################################################################################
# Launch roles. A LocalRoleName launch constraint names a role that Service
# Catalog assumes in the account where a product is launched; AWS checks that
# the role exists here, in the hub, when the constraint is created. The hub
# copies hold no permissions: nothing is launched in the hub.
#
# In the workloads accounts:
#   - the SageMaker projects launch role is created by the ml-workspace module
#     (it knows the team's names and roles the templates use);
#   - the ML admin launch role comes with the account baseline, before any
#     workspace exists (it launches the workspace itself): its trust and
#     permissions are rendered below (ml_admin_launch_role_*_json outputs).
################################################################################

locals {
  # The Service Catalog Terraform engine (EXTERNAL products) runs in this account and assumes
  # the launch role of the launching account from its execution role.
  terraform_engine_role_arn_pattern = coalesce(
    var.terraform_engine_role_arn_pattern,
    "arn:${local.partition}:iam::${local.account_id}:role/TerraformEngine/TerraformExecutionRole*",
  )
  ml_admin_uses_terraform_engine = anytrue([for p in var.products : p.portfolio == "ml_admin" && p.type == "EXTERNAL"])
}

data "aws_iam_policy_document" "launch_assume" {
  for_each = toset(local.portfolio_keys)

  # CloudFormation products: Service Catalog itself, on behalf of a launch in the same account.
  statement {
    sid     = "ServiceCatalogLaunches"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["servicecatalog.amazonaws.com"]
    }
  }

  # EXTERNAL products: the hub's Terraform engine, from inside the organization only.
  dynamic "statement" {
    for_each = each.key == "ml_admin" && local.ml_admin_uses_terraform_engine ? [1] : []

    content {
      sid     = "HubTerraformEngineLaunches"
      actions = ["sts:AssumeRole"]

      principals {
        type        = "AWS"
        identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
      }

      condition {
        test     = "ArnLike"
        variable = "aws:PrincipalArn"
        values   = [local.terraform_engine_role_arn_pattern]
      }

      condition {
        test     = "StringEquals"
        variable = "aws:PrincipalOrgID"
        values   = [var.organization_id]
      }
    }
  }
}

resource "aws_iam_role" "launch" {
  for_each = var.create_hub_launch_roles ? toset(local.portfolio_keys) : toset([])

  name                 = var.launch_role_names[each.key]
  description          = "Hub copy of the ${var.portfolios[each.key].display_name} launch role: exists so the LocalRoleName launch constraints validate; grants nothing."
  assume_role_policy   = data.aws_iam_policy_document.launch_assume[each.key].json
  max_session_duration = 3600

  tags = local.tags
}
