# Organization-wide values of the product. The platform's packaging replaces this file with the
# organization's own (see platform_composition/products.py); these are the example organization's.
locals {
  platform = {
    name_prefix                         = "mlgov"
    organization_id                     = "o-a1b2c3d4e5"
    hub_promoter_role_arn               = "arn:aws:iam::111111111111:role/mlgov-model-promoter"
    project_templates_s3_location       = "s3://mlgov-portfolio-artifacts-111111111111-eu-west-1/templates/"
    sagemaker_projects_launch_role_name = "mlgov-sagemaker-projects-launch"
    project_settings_path               = "/mlgov/project-settings/"
  }
}
