# ML Shared Services (hub): central model registry, promotion hub, deployment pipeline.
role       = "shared-services"
account_id = "111111111111"

# Exact principals (here IAM Identity Center permission-set roles) that may assume the persona
# roles. Separation of duties: no principal may appear in both lists.
ml_engineer_principal_arns = [
  "arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_MLEngineer_0a1b2c3d4e5f6a7b",
]
governance_officer_principal_arns = [
  "arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_GovernanceOfficer_1b2c3d4e5f6a7b8c",
]
approval_notification_emails = ["ml-governance@example.com"]

# The Service Catalog portfolios (ML Admin, SageMaker Projects) shared to the workloads OU.
# Optional: without the block the team ML workspace is an EXTERNAL product as here.
service_catalog {
  # EXTERNAL: the Service Catalog Terraform engine in this account; TERRAFORM_CLOUD: HCP Terraform.
  workspace_product_type = "EXTERNAL"
  support_email          = "ml-platform@example.com"

  # Pushes to this repository (your copy of the platform) publish new versions of the project
  # templates and the seed code; the connection is created PENDING: complete it in the console.
  publishing_repository = "example-org/ml-governance-platform"
  publishing_branch     = "main"
}
