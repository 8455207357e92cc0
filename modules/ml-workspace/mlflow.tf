################################################################################
# Optional SageMaker MLflow tracking server: its own role, artifact store under
# mlflow/ in the team's model-artifact bucket. With automatic model registration
# it registers MLflow models in the team registry as PendingManualApproval only.
################################################################################

locals {
  mlflow_artifact_objects_arn = "${module.artifact_bucket.bucket_arn}/${local.mlflow_artifact_prefix}/*"
}

data "aws_iam_policy_document" "mlflow_assume" {
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

resource "aws_iam_role" "mlflow" {
  count = var.mlflow.enabled ? 1 : 0

  name                 = "${var.name}-mlflow"
  path                 = var.role_path
  description          = "Role of the ${var.name} MLflow tracking server: its artifact store prefix, optional registration as PendingManualApproval."
  assume_role_policy   = data.aws_iam_policy_document.mlflow_assume.json
  permissions_boundary = var.permissions_boundary_arn
  tags                 = local.tags
}

data "aws_iam_policy_document" "mlflow" {
  statement {
    sid = "ReadWriteMlflowArtifactStore"
    actions = [
      "s3:GetObject",
      "s3:PutObject",
      "s3:DeleteObject",
      "s3:AbortMultipartUpload",
    ]
    resources = [local.mlflow_artifact_objects_arn]
  }

  statement {
    sid       = "ListMlflowArtifactStore"
    actions   = ["s3:ListBucket"]
    resources = [module.artifact_bucket.bucket_arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = [local.mlflow_artifact_prefix, "${local.mlflow_artifact_prefix}/*"]
    }
  }

  statement {
    sid       = "LocateArtifactBucket"
    actions   = ["s3:GetBucketLocation"]
    resources = [module.artifact_bucket.bucket_arn]
  }

  statement {
    sid       = "UseTeamKeyThroughS3"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [module.kms_key.key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${local.region}.${local.dns_suffix}"]
    }
  }

  dynamic "statement" {
    for_each = var.mlflow.automatic_model_registration ? [1] : []

    content {
      sid = "RegisterMlflowModelsAsPending"
      actions = [
        "sagemaker:CreateModelPackageGroup",
        "sagemaker:DescribeModelPackageGroup",
        "sagemaker:CreateModelPackage",
        "sagemaker:AddTags",
      ]
      resources = [local.team_model_package_group_arn, local.team_model_package_arn]

      condition {
        test     = "StringEqualsIfExists"
        variable = "sagemaker:ModelApprovalStatus"
        values   = ["PendingManualApproval"]
      }
    }
  }

  statement {
    sid       = "MlflowNeverApproves"
    effect    = "Deny"
    actions   = ["sagemaker:UpdateModelPackage"]
    resources = ["*"]
  }

  statement {
    sid       = "MlflowNeverRegistersApproved"
    effect    = "Deny"
    actions   = ["sagemaker:CreateModelPackage"]
    resources = ["*"]

    # A registration without a status is PendingManualApproval (SageMaker's default): only an
    # explicit other status is denied.
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
}

resource "aws_iam_role_policy" "mlflow" {
  count = var.mlflow.enabled ? 1 : 0

  name   = "mlflow-tracking-server"
  role   = aws_iam_role.mlflow[0].id
  policy = data.aws_iam_policy_document.mlflow.json
}

resource "aws_sagemaker_mlflow_tracking_server" "this" {
  count = var.mlflow.enabled ? 1 : 0

  tracking_server_name            = local.mlflow_tracking_server_name
  role_arn                        = aws_iam_role.mlflow[0].arn
  artifact_store_uri              = "s3://${module.artifact_bucket.bucket_name}/${local.mlflow_artifact_prefix}"
  tracking_server_size            = var.mlflow.tracking_server_size
  mlflow_version                  = var.mlflow.mlflow_version
  automatic_model_registration    = var.mlflow.automatic_model_registration
  weekly_maintenance_window_start = var.mlflow.weekly_maintenance_window_start
  tags                            = local.tags

  # The server checks its role's access to the artifact store when it starts.
  depends_on = [aws_iam_role_policy.mlflow]
}
