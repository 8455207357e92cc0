# Versioned, because a signing job signs one object version. Signed copies are never changed in
# place: Lambda verifies the signature of the bytes it deploys, so an overwritten copy is refused.
resource "aws_s3_bucket" "packages" {
  #checkov:skip=CKV_AWS_144:Packages are rebuilt and signed again from the repository on every apply; cross-region replication adds cost without a recovery benefit.
  #checkov:skip=CKV2_AWS_62:Nothing consumes object events: functions read their package when Terraform deploys it.
  bucket = local.bucket_name
  # Signing jobs write the signed copies, so Terraform does not manage them and a destroy would
  # find the bucket never empty; everything here is rebuilt and signed again by the next apply.
  force_destroy = true
  tags          = local.tags
}

resource "aws_s3_bucket_ownership_controls" "packages" {
  bucket = aws_s3_bucket.packages.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "packages" {
  bucket                  = aws_s3_bucket.packages.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "packages" {
  bucket = aws_s3_bucket.packages.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "packages" {
  bucket = aws_s3_bucket.packages.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.packages.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "packages" {
  bucket = aws_s3_bucket.packages.id

  rule {
    id     = "expire-noncurrent-and-incomplete"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_expiration_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  depends_on = [aws_s3_bucket_versioning.packages]
}

resource "aws_s3_bucket_logging" "packages" {
  count = var.access_log_bucket_name == null ? 0 : 1

  bucket        = aws_s3_bucket.packages.id
  target_bucket = var.access_log_bucket_name
  target_prefix = "s3/${local.bucket_name}/"
}

data "aws_iam_policy_document" "packages" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.packages.arn, "${aws_s3_bucket.packages.arn}/*"]

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

  # Signer and Lambda act with the caller's identity, always a principal of this account.
  statement {
    sid       = "DenyOutsideAccount"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.packages.arn, "${aws_s3_bucket.packages.arn}/*"]

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

resource "aws_s3_bucket_policy" "packages" {
  bucket = aws_s3_bucket.packages.id
  policy = data.aws_iam_policy_document.packages.json

  depends_on = [aws_s3_bucket_public_access_block.packages]
}
