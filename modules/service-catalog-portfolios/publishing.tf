################################################################################
# Publishing pipeline (var.publishing_pipeline): a push to the portfolio
# repository lints the product sources and publishes new versions.
#   Source  -> CodeConnections (GitHub, GitLab, Bitbucket), V2 push trigger
#   Lint    -> cfn-lint on every CloudFormation source (pinned version)
#   Publish -> publisher/publish_portfolio.py, the copy this module uploads
# Each build has its own role: lint reads the source only; publish may add
# versions to this module's products and write products/, the Studio templates
# and seed-code/ in the artifacts bucket, nothing else.
################################################################################

locals {
  publishing  = var.publishing_pipeline != null
  publisher   = local.publishing ? var.publishing_pipeline : null
  pipeline    = "${var.name_prefix}-portfolio-publishing"
  build_names = { lint = "${local.pipeline}-lint", publish = "${local.pipeline}-publish" }

  published_products = local.publishing ? {
    for key, source in local.publisher.product_sources : key => {
      product_id      = aws_servicecatalog_product.this[key].id
      type            = var.products[key].type
      source          = source
      studio_template = var.products[key].studio_template
    }
  } : {}

  cloudformation_sources = local.publishing ? [
    for key, source in local.publisher.product_sources : source if var.products[key].type == "CLOUD_FORMATION_TEMPLATE"
  ] : []
  terraform_sources = local.publishing ? [
    for key, source in local.publisher.product_sources : source if var.products[key].type != "CLOUD_FORMATION_TEMPLATE"
  ] : []

  publishing_connection_arn = !local.publishing ? null : coalesce(
    local.publisher.connection_arn,
    try(aws_codeconnections_connection.publishing[0].arn, null),
  )
}

resource "aws_codeconnections_connection" "publishing" {
  count = local.publishing && try(var.publishing_pipeline.connection_arn, null) == null ? 1 : 0

  name          = substr(local.pipeline, 0, 32)
  provider_type = local.publisher.provider_type

  tags = local.tags
}

resource "aws_s3_object" "publisher" {
  count = local.publishing ? 1 : 0

  bucket       = module.artifacts_bucket.bucket_name
  key          = "publisher/publish_portfolio.py"
  source       = "${path.module}/publisher/publish_portfolio.py"
  source_hash  = filemd5("${path.module}/publisher/publish_portfolio.py")
  kms_key_id   = module.kms_key.key_arn
  content_type = "text/x-python"

  tags = local.tags

  # The bucket policy and default encryption first (the block's resources).
  depends_on = [module.artifacts_bucket]
}

# -- roles -------------------------------------------------------------------------------------

data "aws_iam_policy_document" "publishing_assume" {
  for_each = local.publishing ? { lint = "codebuild.amazonaws.com", publish = "codebuild.amazonaws.com", pipeline = "codepipeline.amazonaws.com" } : {}

  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = [each.value]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "publishing" {
  for_each = data.aws_iam_policy_document.publishing_assume

  name                 = "${local.pipeline}-${each.key}"
  description          = "Portfolio publishing pipeline: ${each.key}."
  assume_role_policy   = each.value.json
  max_session_duration = 3600

  tags = local.tags
}

data "aws_iam_policy_document" "publishing" {
  for_each = data.aws_iam_policy_document.publishing_assume

  # Every stage reads (and the source stage writes) the pipeline's own artifacts, which
  # CodePipeline keeps under the first 20 characters of the pipeline's name.
  statement {
    sid       = "PipelineArtifacts"
    actions   = each.key == "pipeline" ? ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"] : ["s3:GetObject", "s3:GetObjectVersion"]
    resources = ["${module.artifacts_bucket.bucket_arn}/${substr(local.pipeline, 0, 20)}/*"]
  }

  statement {
    sid       = "ArtifactsKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
    resources = [module.kms_key.key_arn]
  }

  dynamic "statement" {
    for_each = each.key == "pipeline" ? [1] : []

    content {
      sid       = "ReadRepository"
      actions   = ["codeconnections:UseConnection"]
      resources = [local.publishing_connection_arn]
    }
  }

  dynamic "statement" {
    for_each = each.key == "pipeline" ? [1] : []

    content {
      sid       = "RunBuilds"
      actions   = ["codebuild:StartBuild", "codebuild:BatchGetBuilds"]
      resources = [for b in aws_codebuild_project.publishing : b.arn]
    }
  }

  dynamic "statement" {
    for_each = each.key == "pipeline" ? [] : [1]

    content {
      sid       = "WriteBuildLogs"
      actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      resources = ["${aws_cloudwatch_log_group.publishing[each.key].arn}:*"]
    }
  }

  dynamic "statement" {
    for_each = each.key == "publish" ? [1] : []

    content {
      sid       = "ReadPublisher"
      actions   = ["s3:GetObject"]
      resources = ["${module.artifacts_bucket.bucket_arn}/publisher/*"]
    }
  }

  dynamic "statement" {
    for_each = each.key == "publish" ? [1] : []

    content {
      sid     = "WritePublishedArtifacts"
      actions = ["s3:PutObject", "s3:PutObjectTagging"]
      resources = [
        "${module.artifacts_bucket.bucket_arn}/products/*",
        "${module.artifacts_bucket.bucket_arn}/${var.studio_templates_prefix}*",
        "${module.artifacts_bucket.bucket_arn}/seed-code/*",
      ]
    }
  }

  # Service Catalog reads a new version's template from the bucket as the caller.
  dynamic "statement" {
    for_each = each.key == "publish" ? [1] : []

    content {
      sid       = "ReadPublishedArtifacts"
      actions   = ["s3:GetObject"]
      resources = ["${module.artifacts_bucket.bucket_arn}/products/*"]
    }
  }

  dynamic "statement" {
    for_each = each.key == "publish" ? [1] : []

    content {
      sid = "AddProductVersions"
      actions = [
        "servicecatalog:ListProvisioningArtifacts",
        "servicecatalog:CreateProvisioningArtifact",
        "servicecatalog:UpdateProvisioningArtifact",
        "servicecatalog:DescribeProductAsAdmin",
      ]
      resources = [for key in keys(local.published_products) : aws_servicecatalog_product.this[key].arn]
    }
  }
}

resource "aws_iam_role_policy" "publishing" {
  for_each = data.aws_iam_policy_document.publishing

  name   = "portfolio-publishing-${each.key}"
  role   = aws_iam_role.publishing[each.key].id
  policy = each.value.json
}

# -- builds ------------------------------------------------------------------------------------

resource "aws_cloudwatch_log_group" "publishing" {
  for_each = local.publishing ? local.build_names : {}

  name              = "/aws/codebuild/${each.value}"
  retention_in_days = var.log_retention_in_days
  kms_key_id        = module.kms_key.key_arn

  tags = local.tags
}

locals {
  publishing_buildspecs = !local.publishing ? {} : {
    lint = yamlencode({
      version = "0.2"
      env     = { shell = "bash" }
      phases = {
        install = {
          commands = ["python3 -m pip install --quiet 'cfn-lint==${local.publisher.cfn_lint_version}'"]
        }
        build = {
          commands = concat(
            [for source in local.cloudformation_sources : "cfn-lint --non-zero-exit-code warning -- ${jsonencode(source)}"],
            [for source in local.terraform_sources : "ls ${jsonencode(source)}/*.tf > /dev/null || { echo ${jsonencode("${source}: no .tf files")} >&2; exit 1; }"],
          )
        }
      }
    })
    publish = yamlencode({
      version = "0.2"
      env     = { shell = "bash" }
      phases = {
        build = {
          commands = [
            # The governed publisher, not a copy the repository could change.
            "aws s3 cp \"s3://${module.artifacts_bucket.bucket_name}/${aws_s3_object.publisher[0].key}\" /tmp/publish_portfolio.py",
            "export VERSION_NAME=\"$(date -u +%Y.%m.%d)-$${CODEBUILD_RESOLVED_SOURCE_VERSION:0:12}\"",
            "python3 /tmp/publish_portfolio.py \"$CODEBUILD_SRC_DIR\"",
          ]
        }
      }
    })
  }
}

resource "aws_codebuild_project" "publishing" {
  for_each = local.publishing ? local.build_names : {}

  name           = each.value
  description    = "Portfolio publishing pipeline: ${each.key}."
  service_role   = aws_iam_role.publishing[each.key].arn
  encryption_key = module.kms_key.key_arn
  build_timeout  = 30
  queued_timeout = 60

  artifacts {
    type = "CODEPIPELINE"
  }

  environment {
    type                        = "LINUX_CONTAINER"
    compute_type                = "BUILD_GENERAL1_SMALL"
    image                       = local.publisher.codebuild_image
    image_pull_credentials_type = "CODEBUILD"
    privileged_mode             = false

    dynamic "environment_variable" {
      for_each = each.key == "publish" ? [1] : []

      content {
        name = "PORTFOLIO_MANIFEST"
        value = jsonencode({
          bucket           = module.artifacts_bucket.bucket_name
          kms_key_arn      = module.kms_key.key_arn
          templates_prefix = var.studio_templates_prefix
          products         = local.published_products
          seed_code        = local.publisher.seed_code_sources
        })
        type = "PLAINTEXT"
      }
    }
  }

  source {
    type      = "CODEPIPELINE"
    buildspec = local.publishing_buildspecs[each.key]
  }

  logs_config {
    cloudwatch_logs {
      status     = "ENABLED"
      group_name = aws_cloudwatch_log_group.publishing[each.key].name
    }

    s3_logs {
      status = "DISABLED"
    }
  }

  tags = local.tags
}

# -- pipeline ----------------------------------------------------------------------------------

resource "aws_codepipeline" "publishing" {
  count = local.publishing ? 1 : 0

  name           = local.pipeline
  role_arn       = aws_iam_role.publishing["pipeline"].arn
  pipeline_type  = "V2"
  execution_mode = "QUEUED"

  artifact_store {
    location = module.artifacts_bucket.bucket_name
    type     = "S3"

    encryption_key {
      id   = module.kms_key.key_arn
      type = "KMS"
    }
  }

  stage {
    name = "Source"

    action {
      name             = "PortfolioRepository"
      category         = "Source"
      owner            = "AWS"
      provider         = "CodeStarSourceConnection"
      version          = "1"
      output_artifacts = ["portfolio"]

      configuration = {
        ConnectionArn    = local.publishing_connection_arn
        FullRepositoryId = local.publisher.repository_id
        BranchName       = local.publisher.branch
        # The build needs the commit id (CODEBUILD_RESOLVED_SOURCE_VERSION), not the history.
        OutputArtifactFormat = "CODE_ZIP"
      }
    }
  }

  stage {
    name = "Lint"

    action {
      name            = "Lint"
      category        = "Build"
      owner           = "AWS"
      provider        = "CodeBuild"
      version         = "1"
      input_artifacts = ["portfolio"]

      configuration = {
        ProjectName = aws_codebuild_project.publishing["lint"].name
      }
    }
  }

  stage {
    name = "Publish"

    action {
      name            = "Publish"
      category        = "Build"
      owner           = "AWS"
      provider        = "CodeBuild"
      version         = "1"
      input_artifacts = ["portfolio"]

      configuration = {
        ProjectName = aws_codebuild_project.publishing["publish"].name
      }
    }
  }

  trigger {
    provider_type = "CodeStarSourceConnection"

    git_configuration {
      source_action_name = "PortfolioRepository"

      push {
        branches {
          includes = [local.publisher.branch]
        }
      }
    }
  }

  tags = local.tags
}
