################################################################################
# Artifacts bucket: product artifacts (what Service Catalog copies when a version
# is created), the Studio S3 templates location and seed code. The workloads OUs
# read templates/ and seed-code/ (SageMaker reads Studio templates with the
# person's credentials); nothing outside them reads anything, and only this
# account writes.
################################################################################

locals {
  readable_prefixes = [var.studio_templates_prefix, "seed-code/"]
  # aws:PrincipalOrgPaths: the OU itself and every OU below it.
  workloads_org_paths = [for p in var.workloads_ou_paths : "${p}*"]
}

data "aws_iam_policy_document" "kms" {
  #checkov:skip=CKV_AWS_109:Key policy: "*" as resource means this key only; kms:* goes solely to this account's root (the AWS default delegation to IAM).
  #checkov:skip=CKV_AWS_111:Key policy: "*" as resource means this key only; write-type KMS actions go to this account's root (delegation to IAM) only.
  #checkov:skip=CKV_AWS_356:A key policy cannot name a narrower resource than "*" (it is the key it is attached to); principals and conditions carry the restriction.

  statement {
    sid       = "EnableIamPolicies"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  # Readers of the shared prefixes decrypt through S3 only, and only from the workloads OUs.
  statement {
    sid       = "WorkloadsDecryptThroughS3"
    actions   = ["kms:Decrypt"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = [var.organization_id]
    }

    condition {
      test     = "ForAnyValue:StringLike"
      variable = "aws:PrincipalOrgPaths"
      values   = local.workloads_org_paths
    }

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${local.region}.${data.aws_partition.current.dns_suffix}"]
    }
  }
}

resource "aws_kms_key" "this" {
  description             = "Encrypts the ${var.name_prefix} portfolio artifacts: Service Catalog product versions, Studio project templates and seed code."
  enable_key_rotation     = true
  deletion_window_in_days = var.kms_key_deletion_window_in_days
  policy                  = data.aws_iam_policy_document.kms.json

  tags = local.tags
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.name_prefix}-portfolio-artifacts"
  target_key_id = aws_kms_key.this.key_id
}

resource "aws_s3_bucket" "this" {
  #checkov:skip=CKV_AWS_144:Artifacts are rebuilt from git by the publishing pipeline or Terraform; Service Catalog keeps its own copy of every version, so cross-region replication adds nothing.
  #checkov:skip=CKV2_AWS_62:Nothing consumes object events: Service Catalog and SageMaker read the objects when a version is created or a project is launched.
  bucket = local.bucket_name

  tags = local.tags
}

resource "aws_s3_bucket_ownership_controls" "this" {
  bucket = aws_s3_bucket.this.id

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
      noncurrent_days = 90
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  depends_on = [aws_s3_bucket_versioning.this]
}

resource "aws_s3_bucket_logging" "this" {
  count = var.access_log_bucket_name == null ? 0 : 1

  bucket        = aws_s3_bucket.this.id
  target_bucket = var.access_log_bucket_name
  target_prefix = "${local.bucket_name}/"
}

# Studio (its origin is the domain's *.sagemaker.aws address) reads the templates from the browser.
resource "aws_s3_bucket_cors_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  cors_rule {
    allowed_methods = ["GET", "HEAD"]
    allowed_origins = ["https://*.sagemaker.aws"]
    allowed_headers = ["*"]
    expose_headers  = ["ETag"]
    max_age_seconds = 3000
  }
}

data "aws_iam_policy_document" "bucket" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.this.arn, "${aws_s3_bucket.this.arn}/*"]

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

  # Uploads use the bucket's key (or the default, which is the same key).
  statement {
    sid       = "DenyOtherKmsKeys"
    effect    = "Deny"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.this.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "StringNotEqualsIfExists"
      variable = "s3:x-amz-server-side-encryption-aws-kms-key-id"
      values   = [aws_kms_key.this.arn]
    }
  }

  statement {
    sid       = "WorkloadsReadTemplatesAndSeedCode"
    actions   = ["s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectTagging"]
    resources = [for prefix in local.readable_prefixes : "${aws_s3_bucket.this.arn}/${prefix}*"]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = [var.organization_id]
    }

    condition {
      test     = "ForAnyValue:StringLike"
      variable = "aws:PrincipalOrgPaths"
      values   = local.workloads_org_paths
    }
  }

  statement {
    sid       = "WorkloadsListTemplatesAndSeedCode"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.this.arn]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = [var.organization_id]
    }

    condition {
      test     = "ForAnyValue:StringLike"
      variable = "aws:PrincipalOrgPaths"
      values   = local.workloads_org_paths
    }

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = [for prefix in local.readable_prefixes : "${prefix}*"]
    }
  }
}

resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = data.aws_iam_policy_document.bucket.json

  depends_on = [aws_s3_bucket_public_access_block.this]
}

################################################################################
# Objects
################################################################################

resource "aws_s3_object" "artifact" {
  for_each = { for id, v in local.versions : id => v if v.artifact_path != null }

  bucket      = aws_s3_bucket.this.id
  key         = each.value.object_key
  source      = each.value.artifact_path
  source_hash = filemd5(each.value.artifact_path)
  kms_key_id  = aws_kms_key.this.arn

  tags = local.tags

  depends_on = [aws_s3_bucket_policy.this, aws_s3_bucket_server_side_encryption_configuration.this]
}

# Studio lists an object of the templates location only with this object tag.
resource "aws_s3_object" "studio_template" {
  for_each = local.studio_templates

  bucket       = aws_s3_bucket.this.id
  key          = "${var.studio_templates_prefix}${each.key}.yaml"
  source       = each.value.artifact_path
  source_hash  = filemd5(each.value.artifact_path)
  kms_key_id   = aws_kms_key.this.arn
  content_type = "application/x-yaml"

  tags = merge(local.tags, { "sagemaker:studio-visibility" = "true" })

  depends_on = [aws_s3_bucket_policy.this, aws_s3_bucket_server_side_encryption_configuration.this]
}

resource "aws_s3_object" "seed_code" {
  # With the publishing pipeline, the pipeline writes the seed code it publishes.
  for_each = { for k, path in var.seed_code : k => path if !contains(keys(try(var.publishing_pipeline.seed_code_sources, {})), k) }

  bucket       = aws_s3_bucket.this.id
  key          = "seed-code/${each.key}.zip"
  source       = each.value
  source_hash  = filemd5(each.value)
  kms_key_id   = aws_kms_key.this.arn
  content_type = "application/zip"

  tags = local.tags

  depends_on = [aws_s3_bucket_policy.this, aws_s3_bucket_server_side_encryption_configuration.this]
}
