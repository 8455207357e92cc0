# Artifact store: holds the tooling bundle (the pipeline's Source) and the
# artifacts CodePipeline passes between stages. Versioning is required by the
# S3 source action. The hardened bucket (ownership, public access block,
# versioning, SSE-KMS under the pipeline key, TLS/encryption guards,
# noncurrent-version and incomplete-upload cleanup, access logs) is
# modules/shared/s3-bucket; the statements below are this bucket's own.

# What the pipeline runs is the tooling bundle and the artifacts it passes between stages: only
# the role that applies this module replaces the bundle, only the pipeline writes artifacts.
data "aws_iam_policy_document" "artifact_writers" {
  # Only this pipeline's own roles (same account) touch the bucket; deny any
  # principal from outside the account even if a future grant slips through.
  statement {
    sid       = "DenyOutsideAccount"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [local.artifact_bucket_arn, "${local.artifact_bucket_arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "StringNotEquals"
      variable = "aws:PrincipalAccount"
      values   = [local.account_id]
    }
  }

  dynamic "statement" {
    for_each = var.tooling_writer_role_arns != null ? [true] : []

    content {
      sid       = "DenyToolingWritesExceptOwners"
      effect    = "Deny"
      actions   = ["s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion"]
      resources = ["${local.artifact_bucket_arn}/${var.tooling_object_key}"]

      principals {
        type        = "*"
        identifiers = ["*"]
      }

      condition {
        test     = "ArnNotLike"
        variable = "aws:PrincipalArn"
        values   = var.tooling_writer_role_arns
      }
    }
  }

  dynamic "statement" {
    for_each = var.tooling_writer_role_arns != null ? [true] : []

    content {
      sid       = "DenyArtifactWritesExceptPipeline"
      effect    = "Deny"
      actions   = ["s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion"]
      resources = ["${local.artifact_bucket_arn}/*"]

      principals {
        type        = "*"
        identifiers = ["*"]
      }

      condition {
        test     = "ArnNotLike"
        variable = "aws:PrincipalArn"
        values   = concat([aws_iam_role.pipeline.arn], var.tooling_writer_role_arns)
      }
    }
  }
}

module "artifact_bucket" {
  source = "../shared/s3-bucket"

  bucket_name                        = local.artifact_bucket_name
  kms_key_arn                        = module.kms_key.key_arn
  policy_documents                   = [data.aws_iam_policy_document.artifact_writers.json]
  noncurrent_version_expiration_days = var.artifact_noncurrent_version_expiration_days
  access_log_bucket_name             = var.access_log_bucket_name
  tags                               = local.tags
}

# The tooling bundle: a zip whose root holds the `mlgov/` package (the deploy
# CLI). The Source stage reads this exact object; uploading a new bundle does
# not start the pipeline, the next model approval picks it up.
resource "aws_s3_object" "tooling" {
  bucket                 = module.artifact_bucket.bucket_name
  key                    = var.tooling_object_key
  source                 = var.tooling_package.filename
  source_hash            = var.tooling_package.source_code_hash
  server_side_encryption = "aws:kms"
  kms_key_id             = module.kms_key.key_arn
  bucket_key_enabled     = true
  content_type           = "application/zip"
  tags                   = local.tags

  # Versioning, default encryption and ownership controls first.
  depends_on = [module.artifact_bucket]
}
