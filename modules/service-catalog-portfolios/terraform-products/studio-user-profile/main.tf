# "Studio user profile" product of the ML Admin Portfolio: a lead data scientist adds a person to
# the team's Studio domain, bound to their persona's execution role. Launched in a dev account
# whose workspace (ml-workspace with sagemaker_projects) wrote its settings to SSM.

provider "aws" {
  default_tags {
    tags = {
      "mlgov:provisioned-by" = "service-catalog"
    }
  }
}

locals {
  settings_path = "/mlgov/project-settings/"
  settings      = { for k, p in data.aws_ssm_parameter.workspace : k => p.value }
  sso           = local.settings["auth-mode"] == "SSO"
  # The workspace names each persona's Studio execution role "<workspace>-studio-<persona>".
  execution_role_name = "${local.settings["team-name"]}-studio-${replace(var.persona, "_", "-")}"
}

data "aws_ssm_parameter" "workspace" {
  for_each = toset(["team-name", "domain-id", "auth-mode", "security-group-ids"])

  name = "${local.settings_path}${each.key}"
}

data "aws_iam_role" "execution" {
  name = local.execution_role_name
}

resource "aws_sagemaker_user_profile" "this" {
  domain_id         = local.settings["domain-id"]
  user_profile_name = var.user_profile_name

  single_sign_on_user_identifier = local.sso ? "UserName" : null
  single_sign_on_user_value      = local.sso ? var.sso_user_name : null

  user_settings {
    execution_role  = data.aws_iam_role.execution.arn
    security_groups = split(",", local.settings["security-group-ids"])
  }

  # The persona tag decides which persona role may open the profile in IAM auth mode.
  tags = {
    "mlgov:component" = "ml-workspace"
    "mlgov:workspace" = local.settings["team-name"]
    "mlgov:persona"   = var.persona
  }

  lifecycle {
    precondition {
      condition     = !local.sso || var.sso_user_name != ""
      error_message = "The workspace signs in through IAM Identity Center: sso_user_name is required."
    }
    precondition {
      condition     = local.sso || var.sso_user_name == ""
      error_message = "The workspace uses IAM sign-in: leave sso_user_name empty (people open Studio through their persona role)."
    }
  }
}
