data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

# Service principal names differ by partition (e.g. aws-cn); let the provider resolve them.
data "aws_service_principal" "sagemaker" {
  service_name = "sagemaker"
}

locals {
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.region
  dns_suffix = data.aws_partition.current.dns_suffix
  account_id = data.aws_caller_identity.current.account_id

  # Consumers are granted at account level (root ARN = every principal the account's own IAM
  # policies allow) and always together with an aws:PrincipalOrgID condition, so an account id
  # that leaves the organization loses access without a policy change.
  consumer_account_principals = [
    for id in var.consumer_account_ids : "arn:${local.partition}:iam::${id}:root"
  ]

  # Artifacts reach test/prod only under this prefix; the promoter Lambda writes
  # promoted/{team}/{group}/{version}/... (see naming contract).
  promoted_prefix = "promoted/"

  # Literal token substituted by the promoter Lambda (str.replace) before
  # PutModelPackageGroupPolicy. No "$" or "%" precedes the brace, so HCL keeps it verbatim;
  # writing "$${...}" would be needed only for a "${" sequence.
  model_package_group_name_token = "{model_package_group_name}"
}
