# ---------------------------------------------------------------------------
# Deploy role: assumed by the hub pipeline's CodeBuild role for this stage.
# Trust names the hub account and pins the exact caller with aws:PrincipalArn
# (plus the organization). Using a condition instead of the role ARN as the
# principal keeps the trust valid if the hub role is recreated and lets the
# target accounts be deployed before the hub.
# ---------------------------------------------------------------------------
data "aws_iam_policy_document" "deploy_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${var.hub_account_id}:root"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:PrincipalArn"
      values   = var.pipeline_codebuild_role_arns
    }

    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = [var.organization_id]
    }
  }
}

resource "aws_iam_role" "deploy" {
  name                 = var.deploy_role_name
  description          = "Assumed by the hub deployment pipeline to deploy approved central models to the ${var.stage} account."
  assume_role_policy   = data.aws_iam_policy_document.deploy_assume.json
  max_session_duration = 3600
  tags                 = local.tags
}

data "aws_iam_policy_document" "deploy" {
  statement {
    sid = "ManagePrefixedSageMakerHostingResources"
    actions = concat(
      [
        "sagemaker:DescribeModel",
        "sagemaker:DeleteModel",
        "sagemaker:DescribeEndpointConfig",
        "sagemaker:DeleteEndpointConfig",
        "sagemaker:CreateEndpoint",
        "sagemaker:UpdateEndpoint",
        "sagemaker:DescribeEndpoint",
        "sagemaker:UpdateEndpointWeightsAndCapacities",
        "sagemaker:AddTags",
        "sagemaker:ListTags",
      ],
      # Test endpoints are disposable and are invoked by the integration tests;
      # prod endpoints are never deleted or invoked by the pipeline.
      local.is_prod ? [] : ["sagemaker:DeleteEndpoint", "sagemaker:InvokeEndpoint"],
    )
    resources = local.managed_sagemaker_arns
  }

  statement {
    sid       = "CreateModelsOnlyInTheEndpointVpc"
    actions   = ["sagemaker:CreateModel"]
    resources = ["${local.sagemaker_arn_base}:model/${local.sagemaker_resource_prefix}*"]

    condition {
      test     = "ForAllValues:StringEquals"
      variable = "sagemaker:VpcSecurityGroupIds"
      values   = [aws_security_group.endpoint.id]
    }

    condition {
      test     = "ForAllValues:StringEquals"
      variable = "sagemaker:VpcSubnets"
      values   = var.subnet_ids
    }

    condition {
      test     = "Null"
      variable = "sagemaker:VpcSubnets"
      values   = ["false"]
    }
  }

  statement {
    sid       = "CreateEndpointConfigsOnlyWithTheEndpointKey"
    actions   = ["sagemaker:CreateEndpointConfig"]
    resources = ["${local.sagemaker_arn_base}:endpoint-config/${local.sagemaker_resource_prefix}*"]

    # IfExists: instance types with local NVMe storage reject a volume key, so
    # the key may be absent, but when present it must be the endpoint key.
    condition {
      test     = "StringEqualsIfExists"
      variable = "sagemaker:VolumeKmsKey"
      values   = [module.kms_key.key_arn]
    }
  }

  statement {
    sid = "ListHostingResources"
    # SageMaker List* calls are not resource-scoped.
    actions = [
      "sagemaker:ListEndpoints",
      "sagemaker:ListEndpointConfigs",
      "sagemaker:ListModels",
    ]
    resources = ["*"]
  }

  statement {
    sid = "ReadCentralModelRegistry"
    actions = [
      "sagemaker:DescribeModelPackage",
      "sagemaker:DescribeModelPackageGroup",
    ]
    resources = [
      "${local.hub_sagemaker_arn_base}:model-package/*",
      "${local.hub_sagemaker_arn_base}:model-package-group/*",
    ]
  }

  statement {
    sid       = "PassOnlyTheEndpointExecutionRoleToSageMaker"
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.execution.arn]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["sagemaker.amazonaws.com"]
    }
  }

  statement {
    sid       = "LetSageMakerUseTheEndpointKey"
    actions   = ["kms:CreateGrant", "kms:DescribeKey"]
    resources = [module.kms_key.key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["sagemaker.${local.region}.amazonaws.com"]
    }
  }

  # The deploy CLI reads this stage's target config after assuming the role.
  statement {
    sid       = "ReadTargetConfigParameter"
    actions   = ["ssm:GetParameter"]
    resources = [local.target_config_parameter_arn]
  }

  statement {
    sid       = "DecryptTargetConfigThroughSsm"
    actions   = ["kms:Decrypt"]
    resources = [module.kms_key.key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["ssm.${local.region}.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:EncryptionContext:PARAMETER_ARN"
      values   = [local.target_config_parameter_arn]
    }
  }

  statement {
    sid       = "ReadRollbackAlarms"
    actions   = ["cloudwatch:DescribeAlarms"]
    resources = local.alarm_arns
  }

  # Integrity check before deploying: the deploy CLI reads the promotion's lineage manifest and
  # the promoted objects' metadata (HeadObject) with this role, and lists a promoted prefix to
  # find objects the lineage does not record. The hub bucket policy admits this account under
  # promoted/ only.
  statement {
    sid       = "ReadPromotedArtifactsAndLineage"
    actions   = ["s3:GetObject"]
    resources = ["${var.hub_artifact_bucket_arn}/promoted/*"]
  }

  statement {
    sid       = "ListPromotedArtifacts"
    actions   = ["s3:ListBucket"]
    resources = [var.hub_artifact_bucket_arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["promoted/*"]
    }
  }

  statement {
    sid     = "DecryptLineageThroughS3"
    actions = ["kms:Decrypt"]
    # As for the execution role: the registry key id is random, the hub key policy admits this
    # account through S3 only, so `key/*` of the hub opens no other key.
    resources = ["arn:${local.partition}:kms:${local.hub_region}:${var.hub_account_id}:key/*"]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${local.hub_region}.amazonaws.com"]
    }
  }

  dynamic "statement" {
    for_each = local.is_prod ? [1] : []

    content {
      sid = "RegisterEndpointAutoscaling"
      # Scalable targets and policies are identified by generated ids, so the
      # Application Auto Scaling API cannot be scoped to one endpoint by ARN;
      # UpdateEndpointWeightsAndCapacities above stays prefix-scoped. The conditions keep
      # the writes to SageMaker variant capacity: no other service's scaling in this account.
      actions = [
        "application-autoscaling:RegisterScalableTarget",
        "application-autoscaling:DeregisterScalableTarget",
        "application-autoscaling:PutScalingPolicy",
        "application-autoscaling:DeleteScalingPolicy",
      ]
      resources = ["*"]

      condition {
        test     = "StringEquals"
        variable = "application-autoscaling:service-namespace"
        values   = ["sagemaker"]
      }

      condition {
        test     = "StringEquals"
        variable = "application-autoscaling:scalable-dimension"
        values   = ["sagemaker:variant:DesiredInstanceCount"]
      }
    }
  }

  dynamic "statement" {
    for_each = local.is_prod ? [1] : []

    content {
      sid = "DescribeEndpointAutoscaling"
      # The Describe actions support neither resource ARNs nor condition keys.
      actions = [
        "application-autoscaling:DescribeScalableTargets",
        "application-autoscaling:DescribeScalingPolicies",
        "application-autoscaling:DescribeScalingActivities",
      ]
      resources = ["*"]
    }
  }

  dynamic "statement" {
    for_each = local.is_prod ? [1] : []

    content {
      sid       = "CreateSageMakerAutoscalingServiceLinkedRole"
      actions   = ["iam:CreateServiceLinkedRole"]
      resources = ["arn:${local.partition}:iam::${local.account_id}:role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint"]

      condition {
        test     = "StringEquals"
        variable = "iam:AWSServiceName"
        values   = ["sagemaker.application-autoscaling.amazonaws.com"]
      }
    }
  }

  # Defence in depth for separation of duties: a target account can deploy a
  # central model but never register, approve, reject or delete one, whatever
  # other policy is attached to this role later.
  statement {
    sid    = "NeverChangeModelRegistry"
    effect = "Deny"
    actions = [
      "sagemaker:UpdateModelPackage",
      "sagemaker:DeleteModelPackage",
      "sagemaker:CreateModelPackage",
      "sagemaker:CreateModelPackageGroup",
      "sagemaker:DeleteModelPackageGroup",
      "sagemaker:PutModelPackageGroupPolicy",
      "sagemaker:DeleteModelPackageGroupPolicy",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "deploy" {
  name   = "deploy-endpoints"
  role   = aws_iam_role.deploy.id
  policy = data.aws_iam_policy_document.deploy.json
}

# ---------------------------------------------------------------------------
# Endpoint execution role: what the model containers run as.
# ---------------------------------------------------------------------------
data "aws_iam_policy_document" "execution_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["sagemaker.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "execution" {
  name               = var.execution_role_name
  description        = "Execution role of ${var.stage} SageMaker endpoints: pulls promoted models from the hub, writes data capture."
  assume_role_policy = data.aws_iam_policy_document.execution_assume.json
  tags               = local.tags
}

data "aws_iam_policy_document" "execution" {
  statement {
    sid = "PullPromotedImagesFromHub"
    actions = [
      "ecr:BatchGetImage",
      "ecr:GetDownloadUrlForLayer",
      "ecr:BatchCheckLayerAvailability",
    ]
    resources = var.hub_ecr_repository_arns
  }

  statement {
    sid = "EcrLogin"
    # GetAuthorizationToken is account-wide by design.
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid       = "ReadPromotedArtifacts"
    actions   = ["s3:GetObject"]
    resources = ["${var.hub_artifact_bucket_arn}/promoted/*"]
  }

  statement {
    sid       = "ListPromotedArtifacts"
    actions   = ["s3:ListBucket"]
    resources = [var.hub_artifact_bucket_arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["promoted/*"]
    }
  }

  statement {
    sid     = "DecryptHubArtifactsAndImages"
    actions = ["kms:Decrypt", "kms:DescribeKey"]
    # The registry key id is random, so this account cannot name it without reading the hub's
    # state. Cross-account key use needs the key policy too: only the hub registry key's policy
    # admits this account (Decrypt through S3/ECR, organization only), so `key/*` of the hub
    # opens no other key. kms:ResourceAliases is not used: AWS does not document it as evaluated
    # for a caller in another account than the key.
    resources = ["arn:${local.partition}:kms:${local.hub_region}:${var.hub_account_id}:key/*"]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${local.hub_region}.amazonaws.com", "ecr.${local.hub_region}.amazonaws.com"]
    }
  }

  statement {
    sid       = "WriteDataCapture"
    actions   = ["s3:PutObject", "s3:AbortMultipartUpload"]
    resources = ["${module.data_capture_bucket.bucket_arn}/*"]
  }

  statement {
    sid       = "DataCaptureBucketMetadata"
    actions   = ["s3:GetBucketLocation", "s3:ListBucket"]
    resources = [module.data_capture_bucket.bucket_arn]
  }

  statement {
    sid       = "UseEndpointKey"
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
    resources = [module.kms_key.key_arn]
  }

  statement {
    sid = "DescribeVpcForEndpointEnis"
    # EC2 Describe* calls have no resource-level permissions.
    actions = [
      "ec2:DescribeNetworkInterfaces",
      "ec2:DescribeVpcs",
      "ec2:DescribeDhcpOptions",
      "ec2:DescribeSubnets",
      "ec2:DescribeSecurityGroups",
    ]
    resources = ["*"]
  }

  statement {
    sid     = "CreateEndpointEnisInTheEndpointSubnets"
    actions = ["ec2:CreateNetworkInterface"]
    resources = concat(
      [for s in var.subnet_ids : "arn:${local.partition}:ec2:${local.region}:${local.account_id}:subnet/${s}"],
      [
        aws_security_group.endpoint.arn,
        "arn:${local.partition}:ec2:${local.region}:${local.account_id}:network-interface/*",
      ],
    )
  }

  statement {
    sid = "ManageEndpointEnis"
    actions = [
      "ec2:CreateNetworkInterfacePermission",
      "ec2:DeleteNetworkInterface",
      "ec2:DeleteNetworkInterfacePermission",
    ]
    resources = ["arn:${local.partition}:ec2:${local.region}:${local.account_id}:network-interface/*"]
  }

  statement {
    sid = "EndpointLogs"
    actions = [
      "logs:CreateLogGroup",
      "logs:CreateLogStream",
      "logs:PutLogEvents",
      "logs:DescribeLogStreams",
    ]
    resources = [
      "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:/aws/sagemaker/Endpoints/${local.sagemaker_resource_prefix}*",
      "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:/aws/sagemaker/Endpoints/${local.sagemaker_resource_prefix}*:log-stream:*",
    ]
  }

  statement {
    sid = "EndpointMetrics"
    # PutMetricData has no resource-level permissions; the namespace condition scopes it.
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"]

    condition {
      test     = "StringLike"
      variable = "cloudwatch:namespace"
      values   = ["/aws/sagemaker/*", "AWS/SageMaker"]
    }
  }

  statement {
    sid = "ReadDeploymentGuardrailAlarms"
    # Blue/green auto-rollback evaluates these alarms during updates.
    actions   = ["cloudwatch:DescribeAlarms"]
    resources = local.alarm_arns
  }
}

resource "aws_iam_role_policy" "execution" {
  name   = "endpoint-execution"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution.json
}
