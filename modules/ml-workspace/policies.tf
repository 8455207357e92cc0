################################################################################
# Shared managed policies. "workspace-common" is attached to all five team roles
# (both personas, both Studio execution roles, the pipeline execution role);
# "workspace-compute" and "workspace-authoring" only to the three execution
# roles. Role-specific grants and denies (approve, never approve, pass role,
# open Studio) are inline policies in personas.tf and execution.tf. Nothing here
# names the SageMaker domain: what does (opening Studio, Studio apps and spaces,
# isolation from other domains) is inline too, so these policies are attached
# before the domain exists. The README's "Who may do what" matrix names the
# statement (Sid) that decides each cell; the matrix is asserted on what
# Terraform renders (tests/modules/test_ml_workspace_personas.py).
# Three managed policies rather than two: each stays well under the 6,144-
# character limit of a managed policy (see the README's size table).
################################################################################

locals {
  sagemaker_logs_arns = [
    "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:/aws/sagemaker/*",
    "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:/aws/sagemaker/*:log-stream:*",
  ]
}

data "aws_iam_policy_document" "workspace_common" {
  statement {
    sid = "ReadWriteTeamBuckets"
    actions = [
      "s3:GetObject",
      "s3:GetObjectVersion",
      "s3:GetObjectTagging",
      "s3:PutObject",
      "s3:PutObjectTagging",
      "s3:DeleteObject",
      "s3:AbortMultipartUpload",
      "s3:ListMultipartUploadParts",
    ]
    resources = [for b in local.team_bucket_arns : "${b}/*"]
  }

  statement {
    sid = "ListTeamBuckets"
    actions = [
      "s3:ListBucket",
      "s3:ListBucketVersions",
      "s3:ListBucketMultipartUploads",
      "s3:GetBucketLocation",
    ]
    resources = local.team_bucket_arns
  }

  statement {
    sid = "UseTeamKey"
    actions = [
      "kms:Decrypt",
      "kms:Encrypt",
      "kms:GenerateDataKey",
      "kms:GenerateDataKeyWithoutPlaintext",
      "kms:ReEncryptFrom",
      "kms:ReEncryptTo",
      "kms:DescribeKey",
    ]
    resources = [module.kms_key.key_arn]
  }

  statement {
    sid = "ReadSageMakerInThisAccount"
    actions = [
      "sagemaker:Describe*",
      "sagemaker:BatchDescribeModelPackage",
      "sagemaker:BatchGetMetrics",
      "sagemaker:BatchGetRecord",
      "sagemaker:GetModelPackageGroupPolicy",
      "sagemaker:GetRecord",
      "sagemaker:ListModelCardVersions",
      "sagemaker:ListModelPackages",
      "sagemaker:ListPipelineExecutionSteps",
      "sagemaker:ListPipelineExecutions",
      "sagemaker:ListPipelineParametersForExecution",
      "sagemaker:ListTags",
      "sagemaker:ListTrainingJobsForHyperParameterTuningJob",
    ]
    resources = ["${local.sm_arn}:*"]
  }

  statement {
    sid = "ListSageMaker"
    # These List/Search calls have no resource type in IAM: they only work with "*".
    actions = [
      "sagemaker:ListActions",
      "sagemaker:ListAppImageConfigs",
      "sagemaker:ListApps",
      "sagemaker:ListArtifacts",
      "sagemaker:ListAssociations",
      "sagemaker:ListAutoMLJobs",
      "sagemaker:ListContexts",
      "sagemaker:ListDomains",
      "sagemaker:ListEndpointConfigs",
      "sagemaker:ListEndpoints",
      "sagemaker:ListExperiments",
      "sagemaker:ListFeatureGroups",
      "sagemaker:ListHyperParameterTuningJobs",
      "sagemaker:ListImages",
      "sagemaker:ListLineageGroups",
      "sagemaker:ListMlflowTrackingServers",
      "sagemaker:ListModelCards",
      "sagemaker:ListModelPackageGroups",
      "sagemaker:ListModels",
      "sagemaker:ListPipelines",
      "sagemaker:ListProcessingJobs",
      "sagemaker:ListProjects",
      "sagemaker:ListSpaces",
      "sagemaker:ListTrainingJobs",
      "sagemaker:ListTransformJobs",
      "sagemaker:ListTrialComponents",
      "sagemaker:ListTrials",
      "sagemaker:ListUserProfiles",
      "sagemaker:Search",
      "sagemaker:GetSearchSuggestions",
      "sagemaker:QueryLineage",
    ]
    resources = ["*"]
  }

  statement {
    sid = "RunTeamPipelines"
    actions = [
      "sagemaker:StartPipelineExecution",
      "sagemaker:StopPipelineExecution",
      "sagemaker:RetryPipelineExecution",
      "sagemaker:SendPipelineExecutionStepSuccess",
      "sagemaker:SendPipelineExecutionStepFailure",
    ]
    resources = [local.team_pipeline_arn]
  }

  statement {
    sid       = "CreateTeamModelPackageGroups"
    actions   = ["sagemaker:CreateModelPackageGroup"]
    resources = [local.team_model_package_group_arn]
  }

  # Registration only as PendingManualApproval (or without a status, which SageMaker
  # records as PendingManualApproval for a versioned package).
  statement {
    sid       = "RegisterPendingModelPackages"
    actions   = ["sagemaker:CreateModelPackage"]
    resources = [local.team_model_package_group_arn, local.team_model_package_arn]

    condition {
      test     = "StringEqualsIfExists"
      variable = "sagemaker:ModelApprovalStatus"
      values   = ["PendingManualApproval"]
    }
  }

  statement {
    sid       = "TagTeamRegistryOnCreate"
    actions   = ["sagemaker:AddTags"]
    resources = [local.team_model_package_group_arn, local.team_model_package_arn]
  }

  # Approval is a separate, audited step (UpdateModelPackage by the lead): nobody on the team
  # registers a package that is already Approved (or Rejected), whatever else is attached.
  # Denied is a status that is given (Null = false) and is not PendingManualApproval.
  # StringNotEqualsIfExists alone would also hold when no status is given, and so deny the
  # registration without a status that RegisterPendingModelPackages allows (SageMaker records
  # such a versioned package as PendingManualApproval).
  statement {
    sid       = "NeverRegisterApprovedModelPackages"
    effect    = "Deny"
    actions   = ["sagemaker:CreateModelPackage"]
    resources = ["*"]

    condition {
      test     = "Null"
      variable = "sagemaker:ModelApprovalStatus"
      values   = ["false"]
    }

    condition {
      test     = "StringNotEquals"
      variable = "sagemaker:ModelApprovalStatus"
      values   = ["PendingManualApproval"]
    }
  }

  dynamic "statement" {
    for_each = var.mlflow.enabled ? [1] : []

    content {
      sid       = "UseTeamMlflowTrackingServer"
      actions   = ["sagemaker-mlflow:*", "sagemaker:CreatePresignedMlflowTrackingServerUrl"]
      resources = [local.mlflow_tracking_server_arn]
    }
  }

  statement {
    sid = "ReadSageMakerLogs"
    actions = [
      "logs:GetLogEvents",
      "logs:FilterLogEvents",
      "logs:DescribeLogStreams",
    ]
    resources = local.sagemaker_logs_arns
  }

  statement {
    sid = "FindLogGroups"
    # DescribeLogGroups has no resource type in IAM.
    actions   = ["logs:DescribeLogGroups"]
    resources = ["*"]
  }

  # The domain, user profiles and the MLflow server are Terraform's (and, for new domains and
  # projects, the Service Catalog launch role's), never the team roles'. Tags on them are
  # denied too: user-profile tags decide who may open which profile.
  statement {
    sid    = "WorkspaceIsManagedByTerraform"
    effect = "Deny"
    actions = [
      "sagemaker:CreateDomain",
      "sagemaker:UpdateDomain",
      "sagemaker:DeleteDomain",
      "sagemaker:CreateUserProfile",
      "sagemaker:UpdateUserProfile",
      "sagemaker:DeleteUserProfile",
      "sagemaker:CreateMlflowTrackingServer",
      "sagemaker:UpdateMlflowTrackingServer",
      "sagemaker:DeleteMlflowTrackingServer",
    ]
    resources = ["*"]
  }

  statement {
    sid     = "NeverRetagWorkspaceResources"
    effect  = "Deny"
    actions = ["sagemaker:AddTags", "sagemaker:DeleteTags"]
    resources = [
      "${local.sm_arn}:domain/*",
      "${local.sm_arn}:user-profile/*",
      "${local.sm_arn}:mlflow-tracking-server/*",
    ]
  }
}

resource "aws_iam_policy" "workspace_common" {
  name        = "${var.name}-workspace-common"
  path        = var.role_path
  description = "Team data, team key, SageMaker read, team pipelines, registration as PendingManualApproval only, MLflow; for every ${var.name} role."
  policy      = data.aws_iam_policy_document.workspace_common.json
  tags        = local.tags
}

data "aws_iam_policy_document" "workspace_compute" {
  # Jobs and models run only in the workspace subnets with the workspace security group: a
  # job outside the VPC would get SageMaker-managed internet access, around the VpcOnly domain.
  statement {
    sid = "RunJobsOnlyInTheWorkspaceVpc"
    actions = [
      "sagemaker:CreateTrainingJob",
      "sagemaker:CreateProcessingJob",
      "sagemaker:CreateHyperParameterTuningJob",
      "sagemaker:CreateModel",
    ]
    resources = [
      "${local.sm_arn}:training-job/*",
      "${local.sm_arn}:processing-job/*",
      "${local.sm_arn}:hyper-parameter-tuning-job/*",
      "${local.sm_arn}:model/*",
    ]

    condition {
      test     = "Null"
      variable = "sagemaker:VpcSubnets"
      values   = ["false"]
    }

    condition {
      test     = "ForAllValues:StringEquals"
      variable = "sagemaker:VpcSubnets"
      values   = local.subnet_ids
    }

    condition {
      test     = "ForAllValues:StringEquals"
      variable = "sagemaker:VpcSecurityGroupIds"
      values   = [aws_security_group.workspace.id]
    }
  }

  statement {
    sid = "ManageJobsInThisAccount"
    # Transform jobs take their network from the (VPC-only) model they run.
    actions = [
      "sagemaker:CreateTransformJob",
      "sagemaker:StopTransformJob",
      "sagemaker:StopTrainingJob",
      "sagemaker:StopProcessingJob",
      "sagemaker:StopHyperParameterTuningJob",
      "sagemaker:DeleteModel",
    ]
    resources = [
      "${local.sm_arn}:transform-job/*",
      "${local.sm_arn}:training-job/*",
      "${local.sm_arn}:processing-job/*",
      "${local.sm_arn}:hyper-parameter-tuning-job/*",
      "${local.sm_arn}:model/*",
    ]
  }

  statement {
    sid = "PullImagesFromThisAccount"
    actions = [
      "ecr:BatchGetImage",
      "ecr:GetDownloadUrlForLayer",
      "ecr:BatchCheckLayerAvailability",
    ]
    resources = ["arn:${local.partition}:ecr:${local.region}:${local.account_id}:repository/*"]
  }

  statement {
    sid = "EcrAuthorizationToken"
    # GetAuthorizationToken has no resource type in IAM.
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid = "WriteSageMakerLogs"
    actions = [
      "logs:CreateLogGroup",
      "logs:CreateLogStream",
      "logs:PutLogEvents",
    ]
    resources = local.sagemaker_logs_arns
  }

  statement {
    sid = "PublishSageMakerMetrics"
    # PutMetricData has no resource type; the namespace condition scopes it.
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"]

    condition {
      test     = "StringLike"
      variable = "cloudwatch:namespace"
      values   = ["/aws/sagemaker/*", "AWS/SageMaker"]
    }
  }

  statement {
    sid = "DescribeNetworkForVpcJobs"
    # EC2 Describe* calls have no resource-level permissions.
    actions = [
      "ec2:DescribeNetworkInterfaces",
      "ec2:DescribeVpcs",
      "ec2:DescribeDhcpOptions",
      "ec2:DescribeSubnets",
      "ec2:DescribeSecurityGroups",
      "ec2:DescribeVpcEndpoints",
    ]
    resources = ["*"]
  }

  statement {
    sid     = "CreateEnisInWorkspaceSubnets"
    actions = ["ec2:CreateNetworkInterface"]
    resources = concat(
      [for s in local.subnet_ids : "arn:${local.partition}:ec2:${local.region}:${local.account_id}:subnet/${s}"],
      [
        aws_security_group.workspace.arn,
        "arn:${local.partition}:ec2:${local.region}:${local.account_id}:network-interface/*",
      ],
    )
  }

  statement {
    sid = "ManageWorkspaceEnis"
    actions = [
      "ec2:CreateNetworkInterfacePermission",
      "ec2:DeleteNetworkInterface",
      "ec2:DeleteNetworkInterfacePermission",
    ]
    resources = ["arn:${local.partition}:ec2:${local.region}:${local.account_id}:network-interface/*"]

    condition {
      test     = "ArnEquals"
      variable = "ec2:Vpc"
      values   = [local.vpc_arn]
    }
  }

  statement {
    sid       = "LetSageMakerUseTeamKey"
    actions   = ["kms:CreateGrant"]
    resources = [module.kms_key.key_arn]

    condition {
      test     = "Bool"
      variable = "kms:GrantIsForAWSResource"
      values   = ["true"]
    }
  }
}

resource "aws_iam_policy" "workspace_compute" {
  name        = "${var.name}-workspace-compute"
  path        = var.role_path
  description = "Jobs and models only in the ${var.name} workspace VPC: network interfaces, images, logs, metrics, key grants."
  policy      = data.aws_iam_policy_document.workspace_compute.json
  tags        = local.tags
}

# Pipelines, endpoints, feature groups, experiments and lineage the execution roles author, and
# the separation-of-duties denies that hold for every execution role.
data "aws_iam_policy_document" "workspace_authoring" {
  statement {
    sid = "ManageTeamPipelines"
    actions = [
      "sagemaker:CreatePipeline",
      "sagemaker:UpdatePipeline",
      "sagemaker:UpdatePipelineExecution",
      "sagemaker:DeletePipeline",
    ]
    resources = [local.team_pipeline_arn]
  }

  statement {
    sid = "ManageTeamEndpoints"
    actions = [
      "sagemaker:CreateEndpointConfig",
      "sagemaker:DeleteEndpointConfig",
      "sagemaker:CreateEndpoint",
      "sagemaker:UpdateEndpoint",
      "sagemaker:DeleteEndpoint",
      "sagemaker:InvokeEndpoint",
    ]
    resources = [
      "${local.sm_arn}:endpoint-config/${local.team_prefix}*",
      "${local.sm_arn}:endpoint/${local.team_prefix}*",
    ]
  }

  statement {
    sid = "ManageTeamFeatureGroups"
    actions = [
      "sagemaker:CreateFeatureGroup",
      "sagemaker:UpdateFeatureGroup",
      "sagemaker:DeleteFeatureGroup",
      "sagemaker:PutRecord",
      "sagemaker:DeleteRecord",
    ]
    resources = ["${local.sm_arn}:feature-group/${local.team_prefix}*"]
  }

  statement {
    sid = "TrackExperimentsAndLineage"
    actions = [
      "sagemaker:CreateExperiment",
      "sagemaker:UpdateExperiment",
      "sagemaker:CreateTrial",
      "sagemaker:UpdateTrial",
      "sagemaker:CreateTrialComponent",
      "sagemaker:UpdateTrialComponent",
      "sagemaker:AssociateTrialComponent",
      "sagemaker:DisassociateTrialComponent",
      "sagemaker:BatchPutMetrics",
      "sagemaker:CreateAction",
      "sagemaker:CreateArtifact",
      "sagemaker:CreateContext",
      "sagemaker:AddAssociation",
    ]
    resources = [
      "${local.sm_arn}:experiment/*",
      "${local.sm_arn}:experiment-trial/*",
      "${local.sm_arn}:experiment-trial-component/*",
      "${local.sm_arn}:training-job/*",
      "${local.sm_arn}:processing-job/*",
      "${local.sm_arn}:action/*",
      "${local.sm_arn}:artifact/*",
      "${local.sm_arn}:context/*",
    ]
  }

  # Jobs, pipelines, endpoints and experiments are tagged when created (Studio propagates the
  # domain tags); domain, profile and MLflow tags stay denied by the common policy.
  statement {
    sid       = "TagResourcesOnCreate"
    actions   = ["sagemaker:AddTags"]
    resources = ["${local.sm_arn}:*"]
  }

  # Separation of duties: an execution role (anything running in Studio, a job or a pipeline
  # step) registers models but never approves or rejects one, and never opens the registry to
  # other accounts, whatever policy is attached to it later.
  statement {
    sid       = "ExecutionRolesNeverApprove"
    effect    = "Deny"
    actions   = ["sagemaker:UpdateModelPackage"]
    resources = ["*"]
  }

  statement {
    sid    = "ExecutionRolesNeverChangeRegistryAccess"
    effect = "Deny"
    actions = [
      "sagemaker:PutModelPackageGroupPolicy",
      "sagemaker:DeleteModelPackageGroupPolicy",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "workspace_authoring" {
  name        = "${var.name}-workspace-authoring"
  path        = var.role_path
  description = "Team pipelines, endpoints, feature groups, experiments of ${var.name}; execution roles never approve model packages nor change registry access."
  policy      = data.aws_iam_policy_document.workspace_authoring.json
  tags        = local.tags
}
