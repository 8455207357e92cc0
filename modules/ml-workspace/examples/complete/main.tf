# ML dev account of team-a: a created ML VPC without internet egress, a VpcOnly Studio domain
# with IAM Identity Center sign-in, two people (a lead and a data scientist), MLflow on.

provider "aws" {
  region = "eu-central-1"

  default_tags {
    tags = {
      "mlgov:environment" = "example"
    }
  }
}

locals {
  name_prefix    = "mlgov"
  team           = "team-a"
  hub_account_id = "111111111111"
  dev_account_id = "222222222222"
}

module "ml_workspace" {
  source = "../.."

  name            = "${local.name_prefix}-${local.team}"
  organization_id = "o-exampleorg1"

  create_vpc         = true
  vpc_cidr           = "10.40.0.0/16"
  availability_zones = ["eu-central-1a", "eu-central-1b"]

  auth_mode = "SSO"
  users = {
    "alice-lead" = {
      persona       = "lead_data_scientist"
      sso_user_name = "alice@example.com"
    }
    "bob" = {
      persona       = "data_scientist"
      sso_user_name = "bob@example.com"
    }
  }

  # IAM Identity Center permission-set roles of the two personas in this account.
  lead_data_scientist_trusted_principal_arns = [
    "arn:aws:iam::${local.dev_account_id}:role/aws-reserved/sso.amazonaws.com/eu-central-1/AWSReservedSSO_MLLeadDataScientist_0123456789abcdef",
  ]
  data_scientist_trusted_principal_arns = [
    "arn:aws:iam::${local.dev_account_id}:role/aws-reserved/sso.amazonaws.com/eu-central-1/AWSReservedSSO_MLDataScientist_0123456789abcdef",
  ]

  # Deterministic: the hub's promotion module names its function role "{prefix}-model-promoter".
  hub_promoter_role_arn = "arn:aws:iam::${local.hub_account_id}:role/${local.name_prefix}-model-promoter"

  # The hub's service-catalog-portfolios module: its Studio templates location, and the launch
  # role name of its SageMaker projects portfolio. Project repositories live on GitHub.
  project_templates_s3_location = "s3://${local.name_prefix}-portfolio-artifacts-${local.hub_account_id}-eu-central-1/templates/"
  sagemaker_projects = {
    launch_role_name     = "${local.name_prefix}-sagemaker-projects-launch"
    source_provider_type = "GitHub"
    athena_role_arn      = "arn:aws:iam::${local.dev_account_id}:role/${local.name_prefix}-team-a-athena"
  }

  mlflow = {
    enabled                         = true
    tracking_server_size            = "Small"
    weekly_maintenance_window_start = "Sun:03:00"
  }

  idle_shutdown = {
    idle_timeout_in_minutes     = 60
    max_idle_timeout_in_minutes = 480
  }

  access_log_bucket_name = "example-org-s3-access-logs"

  tags = {
    "mlgov:owner" = "team-a"
  }
}
