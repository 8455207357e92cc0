################################################################################
# SageMaker projects (var.sagemaker_projects): what the model-build templates of
# the shared SageMaker projects portfolio, and the same templates in Studio's S3
# templates location, need in this account. The templates create only the
# project's resources (bucket, model package group, CodePipeline, CodeBuild
# project), all named "<name>-<project>..." and nothing else: no IAM roles, no
# keys, no network. Roles and settings come from here:
#   - launch role (LocalRoleName): the role Service Catalog, or CloudFormation
#     for an S3 template, creates the project's stack with; it may create only
#     the team's project resources and pass only the two project roles;
#   - project build role (CodeBuild): upserts and starts the team's pipelines;
#   - project pipeline role (CodePipeline): reads the repository through the
#     CodeConnections connection and starts the build;
#   - SSM parameters the templates read (team name, key, roles, network).
################################################################################

locals {
  projects_enabled = var.sagemaker_projects != null
  projects         = local.projects_enabled ? var.sagemaker_projects : null

  project_launch_role_name   = local.projects_enabled ? local.projects.launch_role_name : null
  project_build_role_name    = "${var.name}-project-build"
  project_pipeline_role_name = "${var.name}-project-pipeline"

  # Project resources are named after the team: "<name>-<project>" and "<name>-project-<id>-...".
  project_bucket_arn_pattern = "arn:${local.partition}:s3:::${var.name}-project-*"
  project_codebuild_arn      = "arn:${local.partition}:codebuild:${local.region}:${local.account_id}:project/${local.team_prefix}*"
  project_codepipeline_arn   = "arn:${local.partition}:codepipeline:${local.region}:${local.account_id}:${local.team_prefix}*"
  project_settings_arn       = local.projects_enabled ? "arn:${local.partition}:ssm:${local.region}:${local.account_id}:parameter${local.projects.settings_parameter_path}*" : null

  source_connection_arn = !local.projects_enabled ? null : coalesce(
    local.projects.source_connection_arn,
    try(aws_codeconnections_connection.projects[0].arn, null),
  )
}

resource "aws_codeconnections_connection" "projects" {
  count = local.projects_enabled && try(local.projects.source_connection_arn, null) == null ? 1 : 0

  name          = var.name
  provider_type = local.projects.source_provider_type

  tags = local.tags
}

# -- launch role -------------------------------------------------------------------------------

data "aws_iam_policy_document" "project_launch_assume" {
  count = local.projects_enabled ? 1 : 0

  # Service Catalog (portfolio products) and CloudFormation (Studio S3 templates, which name
  # this role as the stack's role), for launches in this account only.
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["servicecatalog.amazonaws.com", "cloudformation.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

data "aws_iam_policy_document" "project_launch" {
  #checkov:skip=CKV_AWS_356:s3:GetObject on "*" is limited by the s3:ExistingObjectTag/servicecatalog:provisioning condition to the template copies Service Catalog keeps in its own buckets, whose names are not published.
  count = local.projects_enabled ? 1 : 0

  statement {
    sid = "ManageProjectStacks"
    actions = [
      "cloudformation:CreateStack",
      "cloudformation:UpdateStack",
      "cloudformation:DeleteStack",
      "cloudformation:DescribeStacks",
      "cloudformation:DescribeStackEvents",
      "cloudformation:SetStackPolicy",
    ]
    # Service Catalog names its stacks SC-<account>-pp-<id>; SageMaker names those of S3
    # templates itself. What a stack may create is limited by the statements below.
    resources = ["arn:${local.partition}:cloudformation:${local.region}:${local.account_id}:stack/*"]
  }

  statement {
    sid       = "ReadTemplates"
    actions   = ["cloudformation:GetTemplateSummary", "cloudformation:ValidateTemplate"]
    resources = ["*"]
  }

  # Service Catalog keeps each version's template in its own bucket, tagged for provisioning.
  statement {
    sid       = "ReadServiceCatalogTemplateCopies"
    actions   = ["s3:GetObject"]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "s3:ExistingObjectTag/servicecatalog:provisioning"
      values   = ["true"]
    }
  }

  statement {
    sid       = "ReadProjectSettings"
    actions   = ["ssm:GetParameters", "ssm:GetParameter"]
    resources = [local.project_settings_arn]
  }

  statement {
    sid = "ManageProjectBuckets"
    actions = [
      "s3:CreateBucket",
      "s3:DeleteBucket",
      "s3:DeleteBucketPolicy",
      # CloudFormation reads back every bucket setting after a create or an update.
      "s3:GetBucket*",
      "s3:GetLifecycleConfiguration",
      "s3:GetEncryptionConfiguration",
      "s3:GetAccelerateConfiguration",
      "s3:GetReplicationConfiguration",
      "s3:GetAnalyticsConfiguration",
      "s3:GetInventoryConfiguration",
      "s3:GetMetricsConfiguration",
      "s3:GetIntelligentTieringConfiguration",
      "s3:ListBucket",
      "s3:PutBucketPolicy",
      "s3:PutBucketTagging",
      "s3:PutBucketVersioning",
      "s3:PutEncryptionConfiguration",
      "s3:PutBucketPublicAccessBlock",
      "s3:PutBucketOwnershipControls",
      "s3:PutLifecycleConfiguration",
    ]
    resources = [local.project_bucket_arn_pattern]
  }

  statement {
    sid = "ManageProjectModelPackageGroups"
    actions = [
      "sagemaker:CreateModelPackageGroup",
      "sagemaker:DeleteModelPackageGroup",
      "sagemaker:DescribeModelPackageGroup",
      "sagemaker:PutModelPackageGroupPolicy",
      "sagemaker:GetModelPackageGroupPolicy",
      "sagemaker:DeleteModelPackageGroupPolicy",
      "sagemaker:AddTags",
      "sagemaker:DeleteTags",
      "sagemaker:ListTags",
    ]
    resources = [local.team_model_package_group_arn]
  }

  statement {
    sid = "ManageProjectBuilds"
    actions = [
      "codebuild:CreateProject",
      "codebuild:UpdateProject",
      "codebuild:DeleteProject",
      "codebuild:BatchGetProjects",
    ]
    resources = [local.project_codebuild_arn]
  }

  statement {
    sid = "ManageProjectPipelines"
    actions = [
      "codepipeline:CreatePipeline",
      "codepipeline:UpdatePipeline",
      "codepipeline:DeletePipeline",
      "codepipeline:GetPipeline",
      "codepipeline:GetPipelineState",
      "codepipeline:DisableStageTransition",
      "codepipeline:EnableStageTransition",
      "codepipeline:TagResource",
      "codepipeline:UntagResource",
      "codepipeline:ListTagsForResource",
    ]
    resources = [local.project_codepipeline_arn]
  }

  statement {
    sid       = "ReadProjectRoles"
    actions   = ["iam:GetRole"]
    resources = [aws_iam_role.project_build[0].arn, aws_iam_role.project_pipeline[0].arn]
  }

  statement {
    sid       = "PassProjectBuildRole"
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.project_build[0].arn]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["codebuild.amazonaws.com"]
    }
  }

  statement {
    sid       = "PassProjectPipelineRole"
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.project_pipeline[0].arn]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["codepipeline.amazonaws.com"]
    }
  }

  statement {
    sid       = "PassSourceConnection"
    actions   = ["codeconnections:PassConnection"]
    resources = [local.source_connection_arn]
  }

  statement {
    sid       = "DescribeTeamKey"
    actions   = ["kms:DescribeKey"]
    resources = [module.kms_key.key_arn]
  }
}

resource "aws_iam_role" "project_launch" {
  count = local.projects_enabled ? 1 : 0

  # No path: LocalRoleName launch constraints name a role at path /.
  name                 = local.project_launch_role_name
  description          = "Launch role of the SageMaker projects portfolio in ${var.name}: creates only the team's project resources."
  assume_role_policy   = data.aws_iam_policy_document.project_launch_assume[0].json
  max_session_duration = 3600
  permissions_boundary = var.permissions_boundary_arn

  tags = local.tags
}

resource "aws_iam_role_policy" "project_launch" {
  count = local.projects_enabled ? 1 : 0

  name   = "project-resources"
  role   = aws_iam_role.project_launch[0].id
  policy = data.aws_iam_policy_document.project_launch[0].json
}

# -- project build role (CodeBuild) -----------------------------------------------------------

data "aws_iam_policy_document" "project_service_assume" {
  for_each = local.projects_enabled ? { build = "codebuild.amazonaws.com", pipeline = "codepipeline.amazonaws.com" } : {}

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

data "aws_iam_policy_document" "project_artifacts" {
  count = local.projects_enabled ? 1 : 0

  statement {
    sid       = "UseProjectArtifacts"
    actions   = ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:GetBucketVersioning", "s3:GetBucketLocation"]
    resources = [local.project_bucket_arn_pattern, "${local.project_bucket_arn_pattern}/*"]
  }

  statement {
    sid       = "UseTeamKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
    resources = [module.kms_key.key_arn]
  }
}

data "aws_iam_policy_document" "project_build" {
  count = local.projects_enabled ? 1 : 0

  source_policy_documents = [data.aws_iam_policy_document.project_artifacts[0].json]

  statement {
    sid       = "WriteBuildLogs"
    actions   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:/aws/codebuild/${local.team_prefix}*"]
  }

  # The build upserts and starts the project's SageMaker pipeline; nothing else in SageMaker.
  statement {
    sid = "UpsertAndStartTeamPipelines"
    actions = [
      "sagemaker:CreatePipeline",
      "sagemaker:UpdatePipeline",
      "sagemaker:DescribePipeline",
      "sagemaker:StartPipelineExecution",
      "sagemaker:DescribePipelineExecution",
      "sagemaker:AddTags",
      "sagemaker:ListTags",
    ]
    resources = [local.team_pipeline_arn, "${local.team_pipeline_arn}/execution/*"]
  }

  # The feature-store template resolves a shared group's offline table (groups live in the
  # data governance account and are shared through AWS RAM).
  statement {
    sid       = "DescribeSharedFeatureGroups"
    actions   = ["sagemaker:DescribeFeatureGroup"]
    resources = ["arn:${local.partition}:sagemaker:${local.region}:*:feature-group/*"]
  }

  statement {
    sid       = "PassPipelineExecutionRole"
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.execution["pipeline"].arn]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["sagemaker.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "project_build" {
  count = local.projects_enabled ? 1 : 0

  name                 = local.project_build_role_name
  path                 = var.role_path
  description          = "CodeBuild role of ${var.name} SageMaker projects: upserts and starts the project's pipeline."
  assume_role_policy   = data.aws_iam_policy_document.project_service_assume["build"].json
  max_session_duration = 3600
  permissions_boundary = var.permissions_boundary_arn

  tags = local.tags
}

resource "aws_iam_role_policy" "project_build" {
  count = local.projects_enabled ? 1 : 0

  name   = "project-build"
  role   = aws_iam_role.project_build[0].id
  policy = data.aws_iam_policy_document.project_build[0].json
}

# -- project pipeline role (CodePipeline) -----------------------------------------------------

data "aws_iam_policy_document" "project_pipeline" {
  count = local.projects_enabled ? 1 : 0

  source_policy_documents = [data.aws_iam_policy_document.project_artifacts[0].json]

  statement {
    sid       = "UseSourceConnection"
    actions   = ["codeconnections:UseConnection"]
    resources = [local.source_connection_arn]
  }

  statement {
    sid       = "RunProjectBuilds"
    actions   = ["codebuild:StartBuild", "codebuild:BatchGetBuilds"]
    resources = [local.project_codebuild_arn]
  }
}

resource "aws_iam_role" "project_pipeline" {
  count = local.projects_enabled ? 1 : 0

  name                 = local.project_pipeline_role_name
  path                 = var.role_path
  description          = "CodePipeline role of ${var.name} SageMaker projects: reads the repository through CodeConnections and starts the build."
  assume_role_policy   = data.aws_iam_policy_document.project_service_assume["pipeline"].json
  max_session_duration = 3600
  permissions_boundary = var.permissions_boundary_arn

  tags = local.tags
}

resource "aws_iam_role_policy" "project_pipeline" {
  count = local.projects_enabled ? 1 : 0

  name   = "project-pipeline"
  role   = aws_iam_role.project_pipeline[0].id
  policy = data.aws_iam_policy_document.project_pipeline[0].json
}

# -- pipeline jobs query the lake as the team's Athena role ------------------------------------

data "aws_iam_policy_document" "pipeline_lake_access" {
  count = local.projects_enabled && try(local.projects.athena_role_arn, null) != null ? 1 : 0

  statement {
    sid       = "AssumeTeamAthenaRole"
    actions   = ["sts:AssumeRole"]
    resources = [local.projects.athena_role_arn]
  }
}

resource "aws_iam_role_policy" "pipeline_lake_access" {
  count = length(data.aws_iam_policy_document.pipeline_lake_access)

  name   = "lake-access"
  role   = aws_iam_role.execution["pipeline"].id
  policy = data.aws_iam_policy_document.pipeline_lake_access[0].json
}

# -- settings the templates read ---------------------------------------------------------------

locals {
  # The team's lake settings (athena-role-arn, athena-workgroup) are written by data-lake-consumer.
  project_settings = !local.projects_enabled ? {} : {
    "team-name"                   = { type = "String", value = var.name }
    "kms-key-arn"                 = { type = "String", value = module.kms_key.key_arn }
    "pipeline-execution-role-arn" = { type = "String", value = aws_iam_role.execution["pipeline"].arn }
    "project-build-role-arn"      = { type = "String", value = aws_iam_role.project_build[0].arn }
    "project-pipeline-role-arn"   = { type = "String", value = aws_iam_role.project_pipeline[0].arn }
    "source-connection-arn"       = { type = "String", value = local.source_connection_arn }
    "subnet-ids"                  = { type = "StringList", value = join(",", local.subnet_ids) }
    "security-group-ids"          = { type = "StringList", value = aws_security_group.workspace.id }
    "hub-promoter-role-arn"       = { type = "String", value = var.hub_promoter_role_arn }
    "organization-id"             = { type = "String", value = var.organization_id }
    # For the ML Admin Portfolio's small products (e.g. a Studio user profile).
    "domain-id" = { type = "String", value = aws_sagemaker_domain.this.id }
    "auth-mode" = { type = "String", value = var.auth_mode }
  }
}

resource "aws_ssm_parameter" "project_settings" {
  #checkov:skip=CKV2_AWS_34:Names and ARNs, no secrets; CloudFormation parameter types (AWS::SSM::Parameter::Value) cannot read SecureString parameters.
  for_each = local.project_settings

  name        = "${local.projects.settings_parameter_path}${each.key}"
  description = "SageMaker project templates of ${var.name}: ${each.key}."
  type        = each.value.type
  value       = each.value.value

  tags = local.tags
}
