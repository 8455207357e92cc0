# ML Shared Services (hub): the two portfolios shared to the workloads OU. The SageMaker projects
# portfolio offers the three model-build templates (also published as Studio S3 templates); the
# ML admin portfolio offers the team ML workspace as a Terraform product whose first version was
# built and uploaded beforehand (a tar.gz of the ml-workspace configuration).

provider "aws" {
  region = "eu-west-1"
}

locals {
  name_prefix = "mlgov"
  templates   = "${path.module}/../../project-templates"
}

module "service_catalog_portfolios" {
  source = "../.."

  name_prefix           = local.name_prefix
  organization_id       = "o-a1b2c3d4e5"
  management_account_id = "999999999999"
  workloads_ou_paths    = ["o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/"]

  portfolios = {
    # Lead data scientists' persona roles (console) of every team workspace.
    ml_admin = {
      principal_patterns = ["arn:aws:iam:::role/${local.name_prefix}-*-lead-data-scientist"]
    }
    # Leads create projects from Studio, as their Studio execution role.
    sagemaker_projects = {
      principal_patterns = [
        "arn:aws:iam:::role/${local.name_prefix}-*-lead-data-scientist",
        "arn:aws:iam:::role/${local.name_prefix}-*-studio-lead-data-scientist",
      ]
    }
  }

  launch_role_names = {
    ml_admin           = "${local.name_prefix}-ml-admin-launch"
    sagemaker_projects = "${local.name_prefix}-sagemaker-projects-launch"
  }

  tag_options = {
    "mlgov:cost-center" = ["ds-team-a", "ds-team-b"]
  }

  products = {
    model-build-s3 = {
      portfolio       = "sagemaker_projects"
      type            = "CLOUD_FORMATION_TEMPLATE"
      name            = "Model build from S3 data"
      description     = "SageMaker pipeline (preprocess, XGBoost, evaluate, register) on CSV data in S3, built from a GitHub/GitLab/Bitbucket repository on every push."
      studio_template = true
      versions = [
        { name = "1.0.0", description = "First release.", artifact_path = "${local.templates}/model-build-s3.yaml" },
      ]
    }
    model-build-athena = {
      portfolio       = "sagemaker_projects"
      type            = "CLOUD_FORMATION_TEMPLATE"
      name            = "Model build from the data lake (Athena)"
      description     = "Model build pipeline on a data lake table the team is granted, queried through Athena."
      studio_template = true
      versions = [
        { name = "1.0.0", description = "First release.", artifact_path = "${local.templates}/model-build-athena.yaml" },
      ]
    }
    model-build-feature-store = {
      portfolio       = "sagemaker_projects"
      type            = "CLOUD_FORMATION_TEMPLATE"
      name            = "Model build from the central feature store"
      description     = "Model build pipeline on a feature group shared to the team, read from its offline store."
      studio_template = true
      versions = [
        { name = "1.0.0", description = "First release.", artifact_path = "${local.templates}/model-build-feature-store.yaml" },
      ]
    }
    team-ml-workspace = {
      portfolio   = "ml_admin"
      type        = "EXTERNAL"
      name        = "Team ML workspace"
      description = "VPC-only SageMaker Studio domain, persona and execution roles, team buckets and key, MLflow (the ml-workspace module)."
      versions = [
        {
          name         = "1.0.0"
          description  = "First release."
          template_url = "https://mlgov-portfolio-artifacts-111111111111-eu-west-1.s3.eu-west-1.amazonaws.com/products/team-ml-workspace/1.0.0/team-ml-workspace.tar.gz"
        },
      ]
    }
  }

  # A push to main of the platform repository lints the templates and publishes a new version
  # of each product whose template changed (and the Studio templates and seed code).
  publishing_pipeline = {
    repository_id = "example-org/ml-governance-platform"
    branch        = "main"
    product_sources = {
      model-build-s3            = "modules/service-catalog-portfolios/project-templates/model-build-s3.yaml"
      model-build-athena        = "modules/service-catalog-portfolios/project-templates/model-build-athena.yaml"
      model-build-feature-store = "modules/service-catalog-portfolios/project-templates/model-build-feature-store.yaml"
    }
    seed_code_sources = {
      model-build = "modules/service-catalog-portfolios/seed-code/model-build"
    }
  }

  tags = {
    Platform = "ml-governance"
  }
}
