locals {
  # MLGOV_TARGET_CONFIG per stage (contract in the README). The hub is applied
  # before the target stacks and never reads their state, so it passes only
  # values known from configuration; the deploy CLI assumes deploy_role_arn,
  # reads the full target config from the target account's SSM parameter and
  # lets the keys below override it. Unset overrides are left out (not null), so
  # they never mask the parameter's value.
  target_configs = {
    for stage, t in var.deployment_targets : stage => merge(
      {
        stage                   = stage
        account_id              = t.account_id
        region                  = coalesce(t.region, local.region)
        deploy_role_arn         = t.deploy_role_arn
        target_config_parameter = t.target_config_parameter_name
      },
      {
        for k, v in {
          endpoint_name          = t.endpoint_name
          instance_type          = t.instance_type
          initial_instance_count = t.initial_instance_count
          autoscaling            = t.autoscaling
        } : k => v if v != null
      },
    )
  }

  # The promoter's team repositories in the hub, `<prefix>-promoted/<team>`, by the naming
  # contract (`<prefix>-model-deployment` is this pipeline): the deploy CLI resolves image tags
  # there before deploying (integrity check).
  promoted_image_repository_arns = "arn:${local.partition}:ecr:${local.region}:${local.account_id}:repository/${trimsuffix(var.name, "-model-deployment")}-promoted/*"

  codebuild_role_names = {
    test = coalesce(var.codebuild_role_names.test, "${var.name}-codebuild-test")
    prod = coalesce(var.codebuild_role_names.prod, "${var.name}-codebuild-prod")
  }

  # One CodeBuild project per pipeline action. The test stage's two projects
  # share the role that may assume only the test account's deploy role; the
  # prod project has a role that may assume only the prod deploy role.
  codebuild_projects = {
    deploy_test = {
      name        = "${var.name}-deploy-test"
      stage       = "test"
      description = "Deploys the approved central model package to the test account."
      command     = "python -m mlgov deploy --stage test"
    }
    integration_test = {
      name        = "${var.name}-integration-test"
      stage       = "test"
      description = "Invokes the test endpoint with the bundled payloads and fails on bad responses."
      command     = "python -m mlgov test-endpoint --payloads \"$CODEBUILD_SRC_DIR/${var.integration_test_payloads_path}\""
    }
    deploy_prod = {
      name        = "${var.name}-deploy-prod"
      stage       = "prod"
      description = "Deploys the approved central model package to the prod account (blue/green with alarm rollback)."
      command     = "python -m mlgov deploy --stage prod"
    }
  }

  # Install commands that read the bundle's wheelhouse/ (the default does) are preceded by a
  # check that it is there, so a bundle built without it fails with this message, not pip's.
  # Commands that install from elsewhere need no wheelhouse and get no check.
  uses_wheelhouse = anytrue([for c in var.codebuild_install_commands : strcontains(c, "wheelhouse/")])
  install_commands = concat(
    local.uses_wheelhouse ? [
      "test -f \"$CODEBUILD_SRC_DIR/wheelhouse/requirements.txt\" || { echo 'tooling bundle has no wheelhouse/requirements.txt at its root: build it with the wheelhouse of the mlgov CLI dependencies (module README, Tooling bundle) or set codebuild_install_commands' >&2; exit 2; }",
    ] : [],
    var.codebuild_install_commands,
  )

  # One buildspec per project. The bundle's root holds the `mlgov/` package, which is not
  # installed: `python -m mlgov` finds it because `-m` puts the working directory first on
  # sys.path. CodeBuild starts in the source directory; the build changes to it explicitly so an
  # install command that changed directory cannot make the import fail. MODEL_PACKAGE_ARN arrives
  # from the pipeline action (the V2 pipeline variable).
  buildspecs = {
    for key, p in local.codebuild_projects : key => yamlencode({
      version = "0.2"
      env = {
        shell = "bash"
      }
      phases = {
        install = {
          runtime-versions = {
            python = var.codebuild_environment.python_version
          }
          commands = local.install_commands
        }
        pre_build = {
          commands = [
            "test -n \"$MODEL_PACKAGE_ARN\" || { echo 'MODEL_PACKAGE_ARN is empty: start the pipeline with the MODEL_PACKAGE_ARN variable' >&2; exit 2; }",
            "test -f \"$CODEBUILD_SRC_DIR/mlgov/__main__.py\" || { echo 'tooling bundle has no mlgov/__main__.py at its root' >&2; exit 2; }",
          ]
        }
        build = {
          commands = [
            "cd \"$CODEBUILD_SRC_DIR\"",
            p.command,
          ]
        }
      }
    })
  }
}

data "aws_iam_policy_document" "codebuild_assume" {
  for_each = local.codebuild_role_names

  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["codebuild.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    # Confused-deputy guard: only this stage's own projects can use the role.
    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values = [
        for p in values(local.codebuild_projects) :
        "arn:${local.partition}:codebuild:${local.region}:${local.account_id}:project/${p.name}"
        if p.stage == each.key
      ]
    }
  }
}

resource "aws_iam_role" "codebuild" {
  for_each = local.codebuild_role_names

  name                 = each.value
  description          = "CodeBuild role of ${var.name} for the ${each.key} stage; may only assume the ${each.key} account's deploy role."
  assume_role_policy   = data.aws_iam_policy_document.codebuild_assume[each.key].json
  max_session_duration = 3600
  tags                 = local.tags
}

data "aws_iam_policy_document" "codebuild" {
  for_each = local.codebuild_role_names

  statement {
    sid       = "AssumeOnlyThisStagesDeployRole"
    actions   = ["sts:AssumeRole"]
    resources = [var.deployment_targets[each.key].deploy_role_arn]
  }

  statement {
    sid     = "WriteOwnBuildLogs"
    actions = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = [
      for k, p in local.codebuild_projects :
      "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:/aws/codebuild/${p.name}:*"
      if p.stage == each.key
    ]
  }

  statement {
    sid       = "ReadPipelineArtifacts"
    actions   = ["s3:GetObject", "s3:GetObjectVersion"]
    resources = ["${module.artifact_bucket.bucket_arn}/*"]
  }

  statement {
    sid       = "ArtifactBucketLocation"
    actions   = ["s3:GetBucketLocation", "s3:GetBucketAcl"]
    resources = [module.artifact_bucket.bucket_arn]
  }

  # The deploy tool refuses any package that is not Approved in the central registry; reading it
  # here, in the hub, avoids trusting the target account's view of the approval status.
  statement {
    sid       = "ReadCentralModelPackages"
    actions   = ["sagemaker:DescribeModelPackage"]
    resources = ["arn:${local.partition}:sagemaker:${local.region}:${local.account_id}:model-package/*"]
  }

  statement {
    sid       = "UsePipelineKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
    resources = [module.kms_key.key_arn]
  }

  # Integrity check before deploying: an image referenced by tag must still resolve to the
  # digest the promotion recorded. The repositories' policy admits the targets to pull only, so
  # this read is made in the hub, by this role.
  statement {
    sid       = "ResolvePromotedImageTags"
    actions   = ["ecr:DescribeImages"]
    resources = [local.promoted_image_repository_arns]
  }

  # A prod deploy refuses to run unless this execution deploys the package and its ApproveProd
  # was answered by the governance officer role; only this pipeline's records are readable.
  dynamic "statement" {
    for_each = each.key == "prod" ? [1] : []

    content {
      sid       = "ReadThisPipelinesApprovals"
      actions   = ["codepipeline:ListActionExecutions", "codepipeline:GetPipelineExecution"]
      resources = [local.pipeline_arn]
    }
  }

  dynamic "statement" {
    for_each = var.codebuild_vpc_config == null ? [] : [var.codebuild_vpc_config]

    content {
      sid = "DescribeNetworkForVpcBuilds"
      actions = [
        "ec2:CreateNetworkInterface",
        "ec2:DeleteNetworkInterface",
        "ec2:DescribeDhcpOptions",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeSubnets",
        "ec2:DescribeVpcs",
      ]
      # These EC2 actions do not support resource-level scoping for the calls CodeBuild makes.
      resources = ["*"]
    }
  }

  dynamic "statement" {
    for_each = var.codebuild_vpc_config == null ? [] : [var.codebuild_vpc_config]

    content {
      sid       = "AttachBuildEnisOnlyInConfiguredSubnets"
      actions   = ["ec2:CreateNetworkInterfacePermission"]
      resources = ["arn:${local.partition}:ec2:${local.region}:${local.account_id}:network-interface/*"]

      condition {
        test     = "ArnEquals"
        variable = "ec2:Subnet"
        values   = [for s in statement.value.subnet_ids : "arn:${local.partition}:ec2:${local.region}:${local.account_id}:subnet/${s}"]
      }

      condition {
        test     = "StringEquals"
        variable = "ec2:AuthorizedService"
        values   = ["codebuild.amazonaws.com"]
      }
    }
  }
}

resource "aws_iam_role_policy" "codebuild" {
  for_each = local.codebuild_role_names

  name   = "deploy-${each.key}"
  role   = aws_iam_role.codebuild[each.key].id
  policy = data.aws_iam_policy_document.codebuild[each.key].json
}

resource "aws_cloudwatch_log_group" "codebuild" {
  for_each = local.codebuild_projects

  name              = "/aws/codebuild/${each.value.name}"
  retention_in_days = var.log_retention_in_days
  kms_key_id        = module.kms_key.key_arn
  tags              = local.tags
}

resource "aws_codebuild_project" "this" {
  for_each = local.codebuild_projects

  name           = each.value.name
  description    = each.value.description
  service_role   = aws_iam_role.codebuild[each.value.stage].arn
  encryption_key = module.kms_key.key_arn
  build_timeout  = var.codebuild_build_timeout_in_minutes
  queued_timeout = 60

  artifacts {
    type = "CODEPIPELINE"
  }

  environment {
    type                        = var.codebuild_environment.type
    compute_type                = var.codebuild_environment.compute_type
    image                       = var.codebuild_environment.image
    image_pull_credentials_type = "CODEBUILD"
    privileged_mode             = false

    environment_variable {
      name  = "MLGOV_TARGET_CONFIG"
      value = jsonencode(local.target_configs[each.value.stage])
      type  = "PLAINTEXT"
    }

    # The pipeline whose execution (MLGOV_PIPELINE_EXECUTION_ID, from the action) a deploy runs.
    environment_variable {
      name  = "MLGOV_PIPELINE_NAME"
      value = var.name
      type  = "PLAINTEXT"
    }

    # Whose approval a prod deploy requires: the role this module lets answer ApproveProd.
    dynamic "environment_variable" {
      for_each = each.value.stage == "prod" ? [aws_iam_role.governance_officer.arn] : []

      content {
        name  = "MLGOV_PROD_APPROVER_ROLE_ARN"
        value = environment_variable.value
        type  = "PLAINTEXT"
      }
    }
  }

  source {
    type      = "CODEPIPELINE"
    buildspec = local.buildspecs[each.key]
  }

  logs_config {
    cloudwatch_logs {
      status     = "ENABLED"
      group_name = aws_cloudwatch_log_group.codebuild[each.key].name
    }

    s3_logs {
      status = "DISABLED"
    }
  }

  dynamic "vpc_config" {
    for_each = var.codebuild_vpc_config == null ? [] : [var.codebuild_vpc_config]

    content {
      vpc_id             = vpc_config.value.vpc_id
      subnets            = vpc_config.value.subnet_ids
      security_group_ids = vpc_config.value.security_group_ids
    }
  }

  tags = local.tags

  depends_on = [aws_iam_role_policy.codebuild]
}
