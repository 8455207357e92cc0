################################################################################
# S3 artifact store (hub-owned copies of promoted model artifacts)
################################################################################

resource "aws_s3_bucket" "this" {
  #checkov:skip=CKV_AWS_144:Cross-region replication is a disaster-recovery decision for the organization, not this module; the objects are copies of dev-account artifacts, protected by versioning and a CMK.
  #checkov:skip=CKV2_AWS_62:Promotion is driven by SageMaker approval events on EventBridge, not by S3 object events; no consumer needs bucket notifications.
  bucket        = var.artifact_bucket_name
  force_destroy = false

  tags = var.tags
}

resource "aws_s3_bucket_ownership_controls" "this" {
  bucket = aws_s3_bucket.this.id

  # ACLs disabled: the hub account owns every object, including ones written by the promoter.
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket = aws_s3_bucket.this.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.this.arn
    }
    # One data key per bucket instead of per object: large multipart copies would otherwise
    # call KMS for every part.
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    id     = "expire-noncurrent-versions"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_expiration_days
    }
  }

  # Staged copies are only the first half of a promotion (the promoter copies them to
  # promoted/ within minutes) and are kept just long enough for a retry to resume from them.
  # Expiring the current version leaves a delete marker and a noncurrent version; both go too.
  rule {
    id     = "expire-staged-copies"
    status = "Enabled"

    filter {
      prefix = local.staging_prefix
    }

    expiration {
      days = var.staging_expiration_days
    }

    noncurrent_version_expiration {
      noncurrent_days = var.staging_expiration_days
    }
  }

  # A separate rule: S3 refuses expired_object_delete_marker next to days in one expiration.
  rule {
    id     = "remove-expired-staging-delete-markers"
    status = "Enabled"

    filter {
      prefix = local.staging_prefix
    }

    expiration {
      expired_object_delete_marker = true
    }
  }

  rule {
    id     = "abort-incomplete-multipart-uploads"
    status = "Enabled"

    filter {}

    # Copies over 5 GB are multipart; a failed promotion must not leave billable parts behind.
    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  # Noncurrent-version rules need versioning to be configured first.
  depends_on = [aws_s3_bucket_versioning.this]
}

resource "aws_s3_bucket_logging" "this" {
  count = var.access_logging != null ? 1 : 0

  bucket        = aws_s3_bucket.this.id
  target_bucket = var.access_logging.target_bucket
  target_prefix = coalesce(var.access_logging.target_prefix, "${var.artifact_bucket_name}/")
}

data "aws_iam_policy_document" "bucket" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.this.arn, "${aws_s3_bucket.this.arn}/*"]

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

  statement {
    sid       = "DenyTlsOlderThan12"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.this.arn, "${aws_s3_bucket.this.arn}/*"]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }

    condition {
      test     = "NumericLessThan"
      variable = "s3:TlsVersion"
      values   = ["1.2"]
    }
  }

  # Uploads without encryption headers get the bucket default (this key); uploads that ask for
  # SSE-S3 or another KMS key are refused, so every artifact stays under the registry key.
  statement {
    sid       = "DenyNonKmsEncryption"
    effect    = "Deny"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.this.arn}/*"]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }

    condition {
      test     = "StringNotEqualsIfExists"
      variable = "s3:x-amz-server-side-encryption"
      values   = ["aws:kms"]
    }
  }

  statement {
    sid       = "DenyOtherKmsKeys"
    effect    = "Deny"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.this.arn}/*"]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }

    # S3 compares the key ARN: writers must pass the key ARN (HUB_KMS_KEY_ARN), not an alias.
    condition {
      test     = "StringNotEqualsIfExists"
      variable = "s3:x-amz-server-side-encryption-aws-kms-key-id"
      values   = [aws_kms_key.this.arn]
    }
  }

  # Only principals of the hub account (the promoter) may write or delete under promoted/, the
  # only prefix central model packages reference. No statement here allows anything else to,
  # and this Deny keeps it so if a broader Allow is added later.
  statement {
    sid       = "DenyPromotedWritesFromOtherAccounts"
    effect    = "Deny"
    actions   = ["s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion"]
    resources = ["${aws_s3_bucket.this.arn}/${local.promoted_prefix}*"]

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
      resources = ["${aws_s3_bucket.this.arn}/${local.promoted_prefix}*"]

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
      resources = ["${aws_s3_bucket.this.arn}/${local.promoted_prefix}*"]

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
    resources = ["${aws_s3_bucket.this.arn}/${local.promoted_prefix}*"]

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
    resources = [aws_s3_bucket.this.arn]

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

resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = data.aws_iam_policy_document.bucket.json

  # S3 rejects policy writes that race with a public access block update.
  depends_on = [aws_s3_bucket_public_access_block.this]
}
