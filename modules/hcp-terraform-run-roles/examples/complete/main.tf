# Lets two HCP Terraform workspaces of one account run with short-lived AWS credentials: plans
# with a read-only role, applies with a role that may change the account.

provider "aws" {
  region = "eu-west-1"
}

module "hcp_terraform_run_roles" {
  source = "../.."

  name_prefix  = "mlgov-hcp-terraform"
  organization = "acme"
  project      = "ml-platform"
  workspaces   = ["mlgov-prod", "mlgov-prod-monitoring"]

  apply_policy_arns    = ["arn:aws:iam::aws:policy/AdministratorAccess"]
  max_session_duration = 7200

  tags = {
    "mlgov:owner" = "platform-team"
  }
}
