data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

# Service principal names differ by partition (e.g. aws-cn); let the provider resolve them.
data "aws_service_principal" "sagemaker" {
  service_name = "sagemaker"
}

locals {
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.id
  dns_suffix = data.aws_partition.current.dns_suffix
  account_id = data.aws_caller_identity.current.account_id

  # Consumers are granted at account level (root ARN = every principal the account's own IAM
  # policies allow) and always together with an aws:PrincipalOrgID condition, so an account id
  # that leaves the organization loses access without a policy change.
  consumer_account_principals = [
    for id in var.consumer_account_ids : "arn:${local.partition}:iam::${id}:root"
  ]

  # Artifacts reach test/prod only under this prefix; only the hub's promoter role writes it
  # (promoted/{source account id}/{group}/{version}/..., see naming contract).
  promoted_prefix = "promoted/"
  # Stage 1 of a promotion: the dev accounts' promotion-source roles copy the source objects
  # here (staging/{source account id}/{group}/{version}/...); the promoter then copies them to
  # promoted/. Nothing else reads this prefix, and its objects expire.
  staging_prefix = "staging/"

  # Built from the name (not the bucket block's output) so the key policy, and the bucket policy
  # statements passed into the bucket block, do not wait for the bucket.
  artifact_bucket_arn = "arn:${local.partition}:s3:::${var.artifact_bucket_name}"

  # Cross-account artifact writers (the dev accounts' promotion-source roles). "$${...}" is the
  # HCL escape for a literal IAM policy variable: S3 substitutes the caller's account id, so each
  # account can write only under its own staging prefix with one statement for all accounts.
  artifact_writer_object_arn = "${local.artifact_bucket_arn}/${local.staging_prefix}$${aws:PrincipalAccount}/*"
  # Role ARNs in aws:PrincipalArn never contain the session name; the account part is a wildcard
  # because aws:PrincipalAccount pins it to the listed accounts.
  artifact_writer_role_arn_pattern = var.artifact_writers == null ? null : "arn:${local.partition}:iam::*:role/${var.artifact_writers.role_name}"
  artifact_writer_org_path_patterns = (
    var.artifact_writers == null ? [] :
    var.artifact_writers.organization_path == null ? [] : ["${var.artifact_writers.organization_path}*"]
  )

  # Literal token substituted by the promoter Lambda (str.replace) before
  # PutModelPackageGroupPolicy. No "$" or "%" precedes the brace, so HCL keeps it verbatim;
  # writing "$${...}" would be needed only for a "${" sequence.
  model_package_group_name_token = "{model_package_group_name}"
}
