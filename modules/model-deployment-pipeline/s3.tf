# Artifact store: holds the tooling bundle (the pipeline's Source) and the
# artifacts CodePipeline passes between stages. Versioning is required by the
# S3 source action.
resource "aws_s3_bucket" "artifacts" {
  #checkov:skip=CKV_AWS_144:Pipeline artifacts are transient and reproducible from the repository; cross-region replication adds cost without a recovery benefit.
  #checkov:skip=CKV2_AWS_62:Nothing consumes object events: the pipeline is started only by the model-approval trigger (PollForSourceChanges=false).
  bucket = local.artifact_bucket_name
  tags   = local.tags
}

resource "aws_s3_bucket_ownership_controls" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "artifacts" {
  bucket                  = aws_s3_bucket.artifacts.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.this.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id

  rule {
    id     = "expire-noncurrent-and-incomplete"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days = var.artifact_noncurrent_version_expiration_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  depends_on = [aws_s3_bucket_versioning.artifacts]
}

resource "aws_s3_bucket_logging" "artifacts" {
  count = var.access_log_bucket_name == null ? 0 : 1

  bucket        = aws_s3_bucket.artifacts.id
  target_bucket = var.access_log_bucket_name
  target_prefix = "s3/${local.artifact_bucket_name}/"
}

data "aws_iam_policy_document" "artifacts_bucket" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.artifacts.arn, "${aws_s3_bucket.artifacts.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }

  # Only this pipeline's own roles (same account) touch the bucket; deny any
  # principal from outside the account even if a future grant slips through.
  statement {
    sid       = "DenyOutsideAccount"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.artifacts.arn, "${aws_s3_bucket.artifacts.arn}/*"]

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
}

# What the pipeline runs is the tooling bundle and the artifacts it passes between stages: only
# the role that applies this module replaces the bundle, only the pipeline writes artifacts.
data "aws_iam_policy_document" "artifact_writers" {
  source_policy_documents = [data.aws_iam_policy_document.artifacts_bucket.json]

  dynamic "statement" {
    for_each = var.tooling_writer_role_arns != null ? [true] : []

    content {
      sid       = "DenyToolingWritesExceptOwners"
      effect    = "Deny"
      actions   = ["s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion"]
      resources = ["${aws_s3_bucket.artifacts.arn}/${var.tooling_object_key}"]

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
      resources = ["${aws_s3_bucket.artifacts.arn}/*"]

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

resource "aws_s3_bucket_policy" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id
  policy = data.aws_iam_policy_document.artifact_writers.json

  depends_on = [aws_s3_bucket_public_access_block.artifacts]
}

# The tooling bundle: a zip whose root holds the `mlgov/` package (the deploy
# CLI). The Source stage reads this exact object; uploading a new bundle does
# not start the pipeline, the next model approval picks it up.
resource "aws_s3_object" "tooling" {
  bucket                 = aws_s3_bucket.artifacts.id
  key                    = var.tooling_object_key
  source                 = var.tooling_package.filename
  source_hash            = var.tooling_package.source_code_hash
  server_side_encryption = "aws:kms"
  kms_key_id             = aws_kms_key.this.arn
  bucket_key_enabled     = true
  content_type           = "application/zip"
  tags                   = local.tags

  depends_on = [
    aws_s3_bucket_versioning.artifacts,
    aws_s3_bucket_server_side_encryption_configuration.artifacts,
    aws_s3_bucket_ownership_controls.artifacts,
  ]
}
