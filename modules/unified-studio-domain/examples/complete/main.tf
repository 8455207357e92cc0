# Data Governance account: the SageMaker Unified Studio domain over the governed lake. Users sign
# in through IAM Identity Center (only the users and groups added to the domain), the data-lake
# blueprint keeps project data under the curated zone, and each ML team gets a project.

provider "aws" {
  region = "eu-central-1"

  default_tags {
    tags = {
      "mlgov:environment" = "example"
    }
  }
}

module "unified_studio_domain" {
  source = "../.."

  name        = "mlgov-studio"
  description = "Catalog, discovery and governed access to the ML platform's data lake."

  single_sign_on_type            = "IAM_IDC"
  single_sign_on_user_assignment = "MANUAL"

  data_lake_s3_location = "s3://mlgov-lake-curated-444444444444-eu-central-1/unified-studio"

  teams = {
    team-a = { description = "Team A: demand forecasting." }
    team-b = { description = "Team B: churn models." }
  }

  tags = {
    "mlgov:owner" = "data-governance"
  }
}
