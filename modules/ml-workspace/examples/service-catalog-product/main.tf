# The "Team ML workspace" product of the ML Admin Portfolio: this configuration, packaged with the
# module (tar.gz), is what the Service Catalog Terraform engine (EXTERNAL) or HCP Terraform
# (TERRAFORM_CLOUD) applies when a lead data scientist launches the product in a dev account.
# Its variables are the launch form; organization-wide values are in platform.tf, which the
# platform's packaging writes for the organization (`source` becomes "./ml-workspace" there).

# The engine provides the launch role's credentials and the region.
provider "aws" {
  default_tags {
    tags = {
      "mlgov:provisioned-by" = "service-catalog"
    }
  }
}

locals {
  workspace_name = "${local.platform.name_prefix}-${var.team}"
  zones          = [for z in split(",", var.availability_zones) : trimspace(z)]
}

module "ml_workspace" {
  source = "../.."

  name            = local.workspace_name
  organization_id = local.platform.organization_id

  create_vpc         = true
  vpc_cidr           = var.vpc_cidr
  availability_zones = local.zones

  auth_mode = var.auth_mode

  lead_data_scientist_trusted_principal_arns = [for a in split(",", var.lead_data_scientist_principal_arns) : trimspace(a)]
  data_scientist_trusted_principal_arns      = [for a in split(",", var.data_scientist_principal_arns) : trimspace(a)]

  hub_promoter_role_arn         = local.platform.hub_promoter_role_arn
  project_templates_s3_location = local.platform.project_templates_s3_location
  sagemaker_projects = {
    launch_role_name        = local.platform.sagemaker_projects_launch_role_name
    source_provider_type    = var.project_source_provider
    settings_parameter_path = local.platform.project_settings_path
  }

  mlflow = {
    enabled = var.mlflow_tracking_server_size != "None"
    # A valid size even when disabled; the module reads it only when enabled.
    tracking_server_size = var.mlflow_tracking_server_size == "None" ? "Small" : var.mlflow_tracking_server_size
  }

  tags = {
    "mlgov:team" = var.team
  }
}
