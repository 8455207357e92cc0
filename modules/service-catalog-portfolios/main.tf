data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.id
  account_id = data.aws_caller_identity.current.account_id

  tags = merge(var.tags, { "mlgov:component" = "service-catalog-portfolios" })

  bucket_name = coalesce(var.bucket_name, "${var.name_prefix}-portfolio-artifacts-${local.account_id}-${local.region}")
  # Regional virtual-hosted URL: what Service Catalog reads a provisioning artifact from.
  bucket_url = "https://${local.bucket_name}.s3.${local.region}.${data.aws_partition.current.dns_suffix}"

  # An OU path's last element is the OU the organization share goes to; the share names it by
  # its ARN, which carries the management account.
  workloads_ou_ids = [for p in var.workloads_ou_paths : regex("(ou-[a-z0-9]+-[a-z0-9]+)/$", p)[0]]
  workloads_ou_arns = {
    for ou in local.workloads_ou_ids : ou => "arn:${local.partition}:organizations::${var.management_account_id}:ou/${var.organization_id}/${ou}"
  }

  portfolio_keys = ["ml_admin", "sagemaker_projects"]

  # Every version of every product, keyed "<product>/<version>", with the URL Service Catalog reads.
  version_objects = merge([
    for key, product in var.products : {
      for index, version in product.versions : "${key}/${version.name}" => merge(version, {
        product = key
        index   = index
        # The content's digest in the description: the publishing pipeline recognizes a version
        # it would publish again and leaves the product alone.
        description = version.artifact_path == null ? version.description : "${version.description} (sha256:${filesha256(version.artifact_path)})"
        # The content hash is part of the key: new bytes under an old version name are a new
        # object and URL, never an overwrite of what Service Catalog already copied.
        object_key = version.artifact_path == null ? null : "products/${key}/${version.name}/${filemd5(version.artifact_path)}/${basename(version.artifact_path)}"
      })
    }
  ]...)

  versions = {
    for id, v in local.version_objects : id => merge(v, {
      url = v.template_url != null ? v.template_url : "${local.bucket_url}/${v.object_key}"
    })
  }

  # The first version comes with the product; the others are provisioning artifacts.
  initial_versions    = { for key, product in var.products : key => local.versions["${key}/${product.versions[0].name}"] }
  additional_versions = { for id, v in local.versions : id => v if v.index > 0 }

  # Studio offers the newest active, non-deprecated version of each studio_template product
  # (none when every version is deprecated or inactive).
  studio_template_candidates = {
    for key, product in var.products : key => [
      for v in reverse(product.versions) : local.versions["${key}/${v.name}"]
      if v.active && v.guidance == "DEFAULT" && v.artifact_path != null
    ]
    # With the publishing pipeline, the pipeline writes the Studio templates of the products it
    # publishes.
    if product.studio_template && !contains(keys(try(var.publishing_pipeline.product_sources, {})), key)
  }
  studio_templates = { for key, candidates in local.studio_template_candidates : key => candidates[0] if length(candidates) > 0 }

  tag_option_pairs = merge([
    for key, values in var.tag_options : { for value in values : "${key}=${value}" => { key = key, value = value } }
  ]...)

  principal_patterns = merge([
    for portfolio in local.portfolio_keys : {
      for arn in var.portfolios[portfolio].principal_patterns : "${portfolio}/${arn}" => { portfolio = portfolio, arn = arn }
    }
  ]...)

  ou_shares      = merge([for p in local.portfolio_keys : { for ou in local.workloads_ou_ids : "${p}/${ou}" => { portfolio = p, ou = ou } }]...)
  account_shares = merge([for p in local.portfolio_keys : { for a in var.share_to_account_ids : "${p}/${a}" => { portfolio = p, account = a } }]...)
}

################################################################################
# Portfolios, products and their versions
################################################################################

resource "aws_servicecatalog_portfolio" "this" {
  for_each = toset(local.portfolio_keys)

  name          = var.portfolios[each.key].display_name
  description   = var.portfolios[each.key].description
  provider_name = var.owner

  tags = local.tags
}

resource "aws_servicecatalog_product" "this" {
  for_each = var.products

  name                = each.value.name
  description         = each.value.description
  owner               = var.owner
  distributor         = each.value.distributor
  type                = each.value.type
  support_email       = var.support.email
  support_url         = var.support.url
  support_description = var.support.description

  provisioning_artifact_parameters {
    name                        = local.initial_versions[each.key].name
    description                 = local.initial_versions[each.key].description
    type                        = each.value.type
    template_url                = local.initial_versions[each.key].url
    disable_template_validation = each.value.type != "CLOUD_FORMATION_TEMPLATE"
  }

  # Studio lists a Service Catalog product as a project template only with this tag.
  tags = merge(local.tags, each.value.portfolio == "sagemaker_projects" ? { "sagemaker:studio-visibility" = "true" } : {})

  # A change of provisioning_artifact_parameters would replace the product (and every provisioned
  # copy's link to it): versions after the first are aws_servicecatalog_provisioning_artifact.
  lifecycle {
    ignore_changes = [provisioning_artifact_parameters]
  }

  depends_on = [aws_s3_object.artifact]
}

resource "aws_servicecatalog_provisioning_artifact" "this" {
  for_each = local.additional_versions

  product_id                  = aws_servicecatalog_product.this[each.value.product].id
  name                        = each.value.name
  description                 = each.value.description
  type                        = var.products[each.value.product].type
  template_url                = each.value.url
  active                      = each.value.active
  guidance                    = each.value.guidance
  disable_template_validation = var.products[each.value.product].type != "CLOUD_FORMATION_TEMPLATE"

  depends_on = [aws_s3_object.artifact]
}

resource "aws_servicecatalog_product_portfolio_association" "this" {
  for_each = var.products

  portfolio_id = aws_servicecatalog_portfolio.this[each.value.portfolio].id
  product_id   = aws_servicecatalog_product.this[each.key].id
}

# Every launch, update and termination runs as the portfolio's launch role in the account where
# the product is launched (LocalRoleName), never with the person's own permissions.
resource "aws_servicecatalog_constraint" "launch" {
  for_each = var.products

  description  = "Launch ${each.value.name} as ${var.launch_role_names[each.value.portfolio]} of the launching account."
  portfolio_id = aws_servicecatalog_portfolio.this[each.value.portfolio].id
  product_id   = aws_servicecatalog_product.this[each.key].id
  type         = "LAUNCH"
  parameters   = jsonencode({ LocalRoleName = var.launch_role_names[each.value.portfolio] })

  depends_on = [
    aws_servicecatalog_product_portfolio_association.this,
    aws_iam_role.launch,
  ]
}

################################################################################
# TagOptions: the tags a person chooses from when launching
################################################################################

resource "aws_servicecatalog_tag_option" "this" {
  for_each = local.tag_option_pairs

  key   = each.value.key
  value = each.value.value
}

resource "aws_servicecatalog_tag_option_resource_association" "portfolio" {
  for_each = {
    for pair in setproduct(local.portfolio_keys, keys(local.tag_option_pairs)) : "${pair[0]}/${pair[1]}" => {
      portfolio = pair[0]
      option    = pair[1]
    }
  }

  resource_id   = aws_servicecatalog_portfolio.this[each.value.portfolio].id
  tag_option_id = aws_servicecatalog_tag_option.this[each.value.option].id
}

################################################################################
# Sharing: organization shares to the workloads OUs with principal sharing, and
# the IAM_PATTERN principals that principal sharing applies in every account
################################################################################

resource "aws_servicecatalog_principal_portfolio_association" "pattern" {
  for_each = local.principal_patterns

  portfolio_id   = aws_servicecatalog_portfolio.this[each.value.portfolio].id
  principal_arn  = each.value.arn
  principal_type = "IAM_PATTERN"
}

# Organization shares need this account to be the management account or a Service Catalog
# delegated administrator with AWS Organizations access enabled (the organization stack).
# They are imported in the member accounts automatically: there is nothing to accept.
resource "aws_servicecatalog_portfolio_share" "organizational_unit" {
  for_each = local.ou_shares

  portfolio_id      = aws_servicecatalog_portfolio.this[each.value.portfolio].id
  principal_id      = local.workloads_ou_arns[each.value.ou]
  type              = "ORGANIZATIONAL_UNIT"
  share_principals  = true
  share_tag_options = true

  depends_on = [
    aws_servicecatalog_principal_portfolio_association.pattern,
    aws_servicecatalog_constraint.launch,
  ]
}

resource "aws_servicecatalog_portfolio_share" "account" {
  for_each = local.account_shares

  portfolio_id        = aws_servicecatalog_portfolio.this[each.value.portfolio].id
  principal_id        = each.value.account
  type                = "ACCOUNT"
  share_tag_options   = true
  wait_for_acceptance = false
}
