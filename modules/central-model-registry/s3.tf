################################################################################
# S3 artifact store (hub-owned copies of promoted model artifacts)
################################################################################

# The hardened bucket (ACLs off, public access blocked, versioning, SSE-KMS with S3 Bucket Keys
# under the registry key, the TLS / SSE-KMS guard statements, noncurrent-version expiration and
# the abort of incomplete multipart uploads) comes from modules/shared/s3-bucket; what is specific
# to the registry (who may read or write which prefix, the staging lifecycle) is passed in.
module "artifact_bucket" {
  source = "../shared/s3-bucket"

  bucket_name   = var.artifact_bucket_name
  kms_key_arn   = module.kms_key.key_arn
  force_destroy = false

  # Caller statements first; the block appends DenyInsecureTransport, DenyTlsOlderThan12,
  # DenyNonKmsEncryption and DenyOtherKmsKeys (writers must pass the key ARN, which is what
  # HUB_KMS_KEY_ARN holds), which apply to everything allowed below.
  policy_documents = [data.aws_iam_policy_document.bucket.json]

  noncurrent_version_expiration_days = var.noncurrent_version_expiration_days
  # Copies over 5 GB are multipart; a failed promotion must not leave billable parts behind.
  abort_incomplete_multipart_upload_days = 7

  lifecycle_rules = [
    # Staged copies are only the first half of a promotion (the promoter copies them to
    # promoted/ within minutes) and are kept just long enough for a retry to resume from them.
    # Expiring the current version leaves a delete marker and a noncurrent version; both go too.
    {
      id                                 = "expire-staged-copies"
      prefix                             = local.staging_prefix
      expiration_days                    = var.staging_expiration_days
      noncurrent_version_expiration_days = var.staging_expiration_days
    },
    # A separate rule: S3 refuses expired_object_delete_marker next to days in one expiration.
    {
      id                           = "remove-expired-staging-delete-markers"
      prefix                       = local.staging_prefix
      expired_object_delete_marker = true
    },
  ]

  access_log_bucket_name = var.access_logging == null ? null : var.access_logging.target_bucket
  # The prefix this module has always used ("<bucket>/"), not the block's default "s3/<bucket>/",
  # so existing log layouts and their consumers keep working.
  access_log_prefix = var.access_logging == null ? null : coalesce(var.access_logging.target_prefix, "${var.artifact_bucket_name}/")

  tags = var.tags
}

# Module-specific statements of the artifact bucket policy. Resources are built from the bucket
# name (local.artifact_bucket_arn), like the key policy's, so the document does not wait for the
# bucket.
data "aws_iam_policy_document" "bucket" {
  # Only principals of the hub account (the promoter) may write or delete under promoted/, the
  # only prefix central model packages reference. No statement here allows anything else to,
  # and this Deny keeps it so if a broader Allow is added later.
  statement {
    sid       = "DenyPromotedWritesFromOtherAccounts"
    effect    = "Deny"
    actions   = ["s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion"]
    resources = ["${local.artifact_bucket_arn}/${local.promoted_prefix}*"]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }

    condition {
      test     = "StringNotEquals"
      variable = "aws:PrincipalAccount"
      values   = [local.account_id]
    }
  }

  # The promoter alone writes promoted/: a hub principal with S3 write access cannot swap the
  # bytes a central package points at.
  dynamic "statement" {
    for_each = var.promoted_artifact_writer_role_arns != null ? [true] : []

    content {
      sid       = "DenyPromotedWritesExceptPromoter"
      effect    = "Deny"
      actions   = ["s3:PutObject", "s3:DeleteObject"]
      resources = ["${local.artifact_bucket_arn}/${local.promoted_prefix}*"]

      principals {
        type        = "AWS"
        identifiers = ["*"]
      }

      condition {
        test     = "ArnNotLike"
        variable = "aws:PrincipalArn"
        values   = concat(var.promoted_artifact_writer_role_arns, var.break_glass_role_arns)
      }
    }
  }

  # The object version a lineage manifest records stays readable: nobody deletes it (deploys
  # verify the version and its checksum, so an overwrite is refused, never served).
  dynamic "statement" {
    for_each = var.promoted_artifact_writer_role_arns != null ? [true] : []

    content {
      sid       = "DenyPromotedVersionDeletes"
      effect    = "Deny"
      actions   = ["s3:DeleteObjectVersion"]
      resources = ["${local.artifact_bucket_arn}/${local.promoted_prefix}*"]

      principals {
        type        = "AWS"
        identifiers = ["*"]
      }

      dynamic "condition" {
        for_each = length(var.break_glass_role_arns) > 0 ? [true] : []

        content {
          test     = "ArnNotLike"
          variable = "aws:PrincipalArn"
          values   = var.break_glass_role_arns
        }
      }
    }
  }

  statement {
    sid       = "AllowConsumerReadPromotedObjects"
    effect    = "Allow"
    actions   = ["s3:GetObject", "s3:GetObjectVersion"]
    resources = ["${local.artifact_bucket_arn}/${local.promoted_prefix}*"]

    principals {
      type        = "AWS"
      identifiers = local.consumer_account_principals
    }

    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = [var.organization_id]
    }
  }

  # SageMaker lists the prefix when a model uses uncompressed (S3Prefix) model data.
  statement {
    sid       = "AllowConsumerListPromotedPrefix"
    effect    = "Allow"
    actions   = ["s3:ListBucket"]
    resources = [local.artifact_bucket_arn]

    principals {
      type        = "AWS"
      identifiers = local.consumer_account_principals
    }

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["${local.promoted_prefix}*"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = [var.organization_id]
    }
  }

  # Stage 1 of a promotion: a server-side copy is one request signed by the dev account's
  # promotion-source role (the only principal that can read and decrypt the source), so that
  # role must write here. CopyObject, CreateMultipartUpload, UploadPartCopy and
  # CompleteMultipartUpload are all authorized as s3:PutObject; AbortMultipartUpload cleans up a
  # failed large copy. The Resource carries the policy variable, so an account can only ever
  # write staging/<its own id>/...; promoted/ is written by the hub's promoter alone (stage 2).
  # The Deny statements above still apply (TLS, SSE-KMS with this key only).
  dynamic "statement" {
    for_each = var.artifact_writers != null ? [var.artifact_writers] : []

    content {
      sid       = "AllowArtifactWritersOwnStagingPrefix"
      effect    = "Allow"
      actions   = ["s3:PutObject", "s3:AbortMultipartUpload"]
      resources = [local.artifact_writer_object_arn]

      # The principal is narrowed by the conditions below: a role ARN in the Principal element
      # must exist when the policy is written, and the dev roles are created after the hub.
      principals {
        type        = "AWS"
        identifiers = ["*"]
      }

      condition {
        test     = "ArnLike"
        variable = "aws:PrincipalArn"
        values   = [local.artifact_writer_role_arn_pattern]
      }

      condition {
        test     = "StringEquals"
        variable = "aws:PrincipalAccount"
        values   = statement.value.account_ids
      }

      condition {
        test     = "StringEquals"
        variable = "aws:PrincipalOrgID"
        values   = [var.organization_id]
      }

      dynamic "condition" {
        for_each = length(local.artifact_writer_org_path_patterns) > 0 ? [true] : []

        content {
          test     = "ForAnyValue:StringLike"
          variable = "aws:PrincipalOrgPaths"
          values   = local.artifact_writer_org_path_patterns
        }
      }
    }
  }
}
