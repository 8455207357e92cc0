data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

data "aws_service_principal" "datazone" {
  service_name = "datazone"
}

locals {
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.region
  account_id = data.aws_caller_identity.current.account_id

  datazone_principal = data.aws_service_principal.datazone.name

  tags = merge(var.tags, {
    "mlgov:component" = "unified-studio-domain"
    "mlgov:domain"    = var.name
  })

  kms_key_arn = var.create_kms_key ? module.kms_key[0].key_arn : var.kms_key_arn
}

# A DataZone V2 domain is a SageMaker Unified Studio domain: the execution role acts for the
# signed-in users, the service role does the domain-level work. Both are roles of this module
# (rather than the console-created AmazonSageMaker* roles) so that their trust is pinned to this
# account and the domain key policy can name them.
resource "aws_datazone_domain" "this" {
  name                  = var.name
  description           = var.description
  domain_version        = "V2"
  domain_execution_role = aws_iam_role.domain_execution.arn
  service_role          = aws_iam_role.domain_service.arn
  kms_key_identifier    = local.kms_key_arn

  # Without the block the domain has no IAM Identity Center sign-in (IAM-based domain).
  dynamic "single_sign_on" {
    for_each = var.single_sign_on_type == "IAM_IDC" ? [1] : []
    content {
      type            = "IAM_IDC"
      user_assignment = var.single_sign_on_user_assignment
    }
  }

  tags = local.tags

  depends_on = [
    aws_iam_role_policy_attachment.domain_execution,
    aws_iam_role_policy_attachment.domain_service,
  ]
}

# One project per team. The principal that runs Terraform creates the projects and is their
# owner; the provider has no project membership resource, so further owners and contributors are
# added in the portal or with `aws datazone create-project-membership`.
resource "aws_datazone_project" "this" {
  for_each = var.teams

  domain_identifier = aws_datazone_domain.this.id
  name              = each.key
  description       = each.value.description
}
