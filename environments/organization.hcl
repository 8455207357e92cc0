# Organization-wide settings, defined once. Every environment directory beside this file is one
# AWS account (and one Terraform stack named after the directory).
# The ids below are examples so that `python main.py` works on a fresh clone; replace them.

organization_id   = "o-a1b2c3d4e5"
workloads_ou_path = "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/" # dev accounts must sit under this OU
# The management account: the hub shares the Service Catalog portfolios with the workloads OU,
# named by its ARN (arn:aws:organizations::<management account>:ou/<organization>/<ou>).
management_account_id = "999999999999"
home_region       = "eu-west-1"
name_prefix       = "mlgov"

# Role Terraform assumes in each account (created by your account vending, e.g. Control Tower).
deployment_role_name = "mlgov-terraform-deployer"

default_tags = {
  Platform = "ml-governance"
}

# Default state backend for every environment; an environment may override it.
# backend "s3" {
#   bucket = "acme-terraform-state"
#   region = "eu-west-1"
# }
# backend "cloud" {                     # HCP Terraform: see the README, "Running in HCP Terraform"
#   organization = "acme"
#   project      = "ml-platform"
# }
backend "local" {}

# With a cloud backend, where the bootstrap stacks (run roles, workspaces) keep their state:
# bootstrap_backend "s3" { bucket = "acme-terraform-state" }   # default: local terraform-state/
