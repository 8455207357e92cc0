data "aws_iam_policy_document" "pipeline_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["codepipeline.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [local.pipeline_arn]
    }
  }
}

resource "aws_iam_role" "pipeline" {
  name               = "${var.name}-pipeline"
  description        = "Service role of the ${var.name} CodePipeline."
  assume_role_policy = data.aws_iam_policy_document.pipeline_assume.json
  tags               = local.tags
}

data "aws_iam_policy_document" "pipeline" {
  statement {
    sid = "ReadToolingAndWriteArtifacts"
    actions = [
      "s3:GetObject",
      "s3:GetObjectVersion",
      "s3:PutObject",
    ]
    resources = ["${module.artifact_bucket.bucket_arn}/*"]
  }

  statement {
    sid       = "ArtifactBucketMetadata"
    actions   = ["s3:GetBucketVersioning", "s3:GetBucketLocation", "s3:ListBucket"]
    resources = [module.artifact_bucket.bucket_arn]
  }

  statement {
    sid       = "UsePipelineKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
    resources = [module.kms_key.key_arn]
  }

  statement {
    sid       = "RunOwnBuildProjects"
    actions   = ["codebuild:StartBuild", "codebuild:BatchGetBuilds", "codebuild:StopBuild"]
    resources = [for p in aws_codebuild_project.this : p.arn]
  }

  statement {
    sid       = "NotifyApprover"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.approval.arn]
  }
}

resource "aws_iam_role_policy" "pipeline" {
  name   = "pipeline"
  role   = aws_iam_role.pipeline.id
  policy = data.aws_iam_policy_document.pipeline.json
}

# Approval notifications for the governance officer. The topic policy keeps
# the default owner-account access; only this pipeline's role publishes.
resource "aws_sns_topic" "approval" {
  name              = "${var.name}-prod-approval"
  display_name      = "Production approval requests of ${var.name}"
  kms_master_key_id = module.kms_key.key_arn
  tags              = local.tags
}

data "aws_iam_policy_document" "approval_topic" {
  statement {
    sid       = "OnlyThePipelinePublishes"
    effect    = "Deny"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.approval.arn]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }

    condition {
      test     = "ArnNotEquals"
      variable = "aws:PrincipalArn"
      values   = [aws_iam_role.pipeline.arn]
    }
  }

  statement {
    sid       = "GovernanceOfficerSubscribes"
    actions   = ["sns:Subscribe", "sns:GetTopicAttributes", "sns:ListSubscriptionsByTopic"]
    resources = [aws_sns_topic.approval.arn]

    principals {
      type        = "AWS"
      identifiers = [aws_iam_role.governance_officer.arn]
    }
  }

  statement {
    sid = "OwnerAccountManagesTopic"
    actions = [
      "sns:GetTopicAttributes",
      "sns:SetTopicAttributes",
      "sns:AddPermission",
      "sns:RemovePermission",
      "sns:DeleteTopic",
      "sns:Subscribe",
      "sns:ListSubscriptionsByTopic",
      "sns:Publish",
    ]
    resources = [aws_sns_topic.approval.arn]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["sns:Publish", "sns:Subscribe"]
    resources = [aws_sns_topic.approval.arn]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_sns_topic_policy" "approval" {
  arn    = aws_sns_topic.approval.arn
  policy = data.aws_iam_policy_document.approval_topic.json
}

resource "aws_sns_topic_subscription" "approval_email" {
  for_each = toset(var.approval_notification_emails)

  topic_arn = aws_sns_topic.approval.arn
  protocol  = "email"
  endpoint  = each.value
}

locals {
  # CodeBuild actions receive the model package ARN from the V2 pipeline
  # variable and the execution id (used by the CLI for session names and
  # audit tags), on top of the project's static MLGOV_TARGET_CONFIG.
  codebuild_action_environment = jsonencode([
    { name = "MODEL_PACKAGE_ARN", value = "#{variables.MODEL_PACKAGE_ARN}", type = "PLAINTEXT" },
    { name = "MLGOV_PIPELINE_EXECUTION_ID", value = "#{codepipeline.PipelineExecutionId}", type = "PLAINTEXT" },
  ])
}

# SUPERSEDED execution mode: when a newer model approval starts an execution,
# it overtakes an older execution at the next stage boundary; an older
# execution waiting at ApproveProd is superseded (cancelled) once the newer one
# reaches that stage, so the governance officer only ever approves the most
# recent package that passed the test stage. A stage already running (e.g. a
# prod deploy in progress) is never interrupted.
resource "aws_codepipeline" "this" {
  name           = var.name
  role_arn       = aws_iam_role.pipeline.arn
  pipeline_type  = "V2"
  execution_mode = "SUPERSEDED"

  # No default value: StartPipelineExecution must supply it (the trigger
  # Lambda passes the approved central model package ARN).
  variable {
    name        = "MODEL_PACKAGE_ARN"
    description = "ARN of the approved central model package to deploy."
  }

  artifact_store {
    location = module.artifact_bucket.bucket_name
    type     = "S3"

    encryption_key {
      id   = module.kms_key.key_arn
      type = "KMS"
    }
  }

  stage {
    name = local.stage_names.source

    action {
      name             = "ToolingBundle"
      category         = "Source"
      owner            = "AWS"
      provider         = "S3"
      version          = "1"
      output_artifacts = ["tooling"]

      configuration = {
        S3Bucket             = module.artifact_bucket.bucket_name
        S3ObjectKey          = aws_s3_object.tooling.key
        PollForSourceChanges = "false"
      }
    }
  }

  stage {
    name = local.stage_names.deploy_test

    action {
      name            = local.stage_names.deploy_test
      category        = "Build"
      owner           = "AWS"
      provider        = "CodeBuild"
      version         = "1"
      input_artifacts = ["tooling"]

      configuration = {
        ProjectName          = aws_codebuild_project.this["deploy_test"].name
        EnvironmentVariables = local.codebuild_action_environment
      }
    }
  }

  stage {
    name = local.stage_names.integration_test

    action {
      name            = local.stage_names.integration_test
      category        = "Test"
      owner           = "AWS"
      provider        = "CodeBuild"
      version         = "1"
      input_artifacts = ["tooling"]

      configuration = {
        ProjectName          = aws_codebuild_project.this["integration_test"].name
        EnvironmentVariables = local.codebuild_action_environment
      }
    }
  }

  stage {
    name = local.stage_names.approve_prod

    action {
      name     = local.stage_names.approve_prod
      category = "Approval"
      owner    = "AWS"
      provider = "Manual"
      version  = "1"

      configuration = {
        NotificationArn = aws_sns_topic.approval.arn
        CustomData      = "Deploy model package #{variables.MODEL_PACKAGE_ARN} to production (execution #{codepipeline.PipelineExecutionId}). Only the governance officer role may approve."
      }
    }
  }

  stage {
    name = local.stage_names.deploy_prod

    action {
      name            = local.stage_names.deploy_prod
      category        = "Build"
      owner           = "AWS"
      provider        = "CodeBuild"
      version         = "1"
      input_artifacts = ["tooling"]

      configuration = {
        ProjectName          = aws_codebuild_project.this["deploy_prod"].name
        EnvironmentVariables = local.codebuild_action_environment
      }
    }
  }

  tags = local.tags

  depends_on = [aws_iam_role_policy.pipeline]
}
