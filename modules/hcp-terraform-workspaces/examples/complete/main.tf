# Two CLI-driven workspaces in a new project: the hub's, and a spoke's whose runs are queued after
# each hub apply. Both get AWS credentials from HCP Terraform's dynamic provider credentials,
# using roles that hcp-terraform-run-roles created in their accounts. The provider reads the API
# token from TFE_TOKEN.

provider "tfe" {
  hostname     = "app.terraform.io"
  organization = "acme"
}

module "hcp_terraform_workspaces" {
  source = "../.."

  organization      = "acme"
  project_name      = "ml-platform"
  terraform_version = "~> 1.11.0"

  workspaces = {
    shared-services = {
      name        = "mlgov-shared-services"
      description = "Central model registry, promotion and deployment pipeline."
      environment_variables = {
        TFC_AWS_PROVIDER_AUTH  = "true"
        TFC_AWS_PLAN_ROLE_ARN  = "arn:aws:iam::111111111111:role/mlgov-hcp-terraform-plan"
        TFC_AWS_APPLY_ROLE_ARN = "arn:aws:iam::111111111111:role/mlgov-hcp-terraform-apply"
      }
    }
    prod = {
      name         = "mlgov-prod"
      description  = "Production endpoints."
      triggered_by = ["shared-services"]
      environment_variables = {
        TFC_AWS_PROVIDER_AUTH  = "true"
        TFC_AWS_PLAN_ROLE_ARN  = "arn:aws:iam::333333333333:role/mlgov-hcp-terraform-plan"
        TFC_AWS_APPLY_ROLE_ARN = "arn:aws:iam::333333333333:role/mlgov-hcp-terraform-apply"
      }
    }
  }
}
