# Data capture: request/response samples of the endpoints, the input for model
# monitoring and the audit of what a deployed model actually answered.
resource "aws_s3_bucket" "data_capture" {
  #checkov:skip=CKV_AWS_144:Captured inference data stays in the account's region on purpose (data residency); replication is an organization-level decision.
  #checkov:skip=CKV2_AWS_62:Captured data is consumed by scheduled model-monitoring jobs, not by object events.
  bucket = local.data_capture_bucket_name
  tags   = local.tags
}

resource "aws_s3_bucket_ownership_controls" "data_capture" {
  bucket = aws_s3_bucket.data_capture.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "data_capture" {
  bucket                  = aws_s3_bucket.data_capture.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "data_capture" {
  bucket = aws_s3_bucket.data_capture.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "data_capture" {
  bucket = aws_s3_bucket.data_capture.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.this.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "data_capture" {
  bucket = aws_s3_bucket.data_capture.id

  rule {
    id     = "tier-and-expire-captured-data"
    status = "Enabled"

    filter {}

    transition {
      days          = 30
      storage_class = "STANDARD_IA"
    }

    expiration {
      days = var.data_capture_retention_days
    }

    noncurrent_version_expiration {
      noncurrent_days = 30
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  depends_on = [aws_s3_bucket_versioning.data_capture]
}

resource "aws_s3_bucket_logging" "data_capture" {
  count = var.access_log_bucket_name == null ? 0 : 1

  bucket        = aws_s3_bucket.data_capture.id
  target_bucket = var.access_log_bucket_name
  target_prefix = "s3/${local.data_capture_bucket_name}/"
}

data "aws_iam_policy_document" "data_capture_bucket" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.data_capture.arn, "${aws_s3_bucket.data_capture.arn}/*"]

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

  # Objects must be encrypted with the endpoint key when a key is named at all
  # (uploads that name none get the bucket default, which is the same key).
  statement {
    sid       = "DenyOtherKmsKeys"
    effect    = "Deny"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.data_capture.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Null"
      variable = "s3:x-amz-server-side-encryption-aws-kms-key-id"
      values   = ["false"]
    }

    condition {
      test     = "StringNotEquals"
      variable = "s3:x-amz-server-side-encryption-aws-kms-key-id"
      values   = [aws_kms_key.this.arn]
    }
  }
}

resource "aws_s3_bucket_policy" "data_capture" {
  bucket = aws_s3_bucket.data_capture.id
  policy = data.aws_iam_policy_document.data_capture_bucket.json

  depends_on = [aws_s3_bucket_public_access_block.data_capture]
}
