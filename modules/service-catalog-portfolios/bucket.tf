################################################################################
# Artifacts bucket: product artifacts (what Service Catalog copies when a version
# is created), the Studio S3 templates location and seed code. The workloads OUs
# read templates/ and seed-code/ (SageMaker reads Studio templates with the
# person's credentials); nothing outside them reads anything, and only this
# account writes.
################################################################################

locals {
  readable_prefixes = [var.studio_templates_prefix, "seed-code/"]
  bucket_arn        = "arn:${local.partition}:s3:::${local.bucket_name}"
  # aws:PrincipalOrgPaths: the OU itself and every OU below it.
  workloads_org_paths = [for p in var.workloads_ou_paths : "${p}*"]
}

# The key and the bucket are the shared blocks (modules/shared/kms-key, modules/shared/s3-bucket):
# rotation, alias and the key policy's delegation to IAM in this account; ACLs off, public access
# blocked, versioning, SSE-KMS with S3 Bucket Keys under this key, TLS 1.2+ only, SSE-S3 and other
# keys refused, noncurrent versions expired after 90 days, incomplete uploads aborted after 7.
# What is specific to the artifacts is below: who reads (the workloads OUs), CORS for Studio.
#
# Not replicated to another region (the block's CKV_AWS_144 skip): artifacts are rebuilt from git
# by the publishing pipeline or Terraform, and Service Catalog keeps its own copy of every
# version. No event notifications (CKV2_AWS_62): Service Catalog and SageMaker read the objects
# when a version is created or a project is launched.

data "aws_iam_policy_document" "kms" {
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

module "kms_key" {
  source = "../shared/kms-key"

  alias_name              = "alias/${var.name_prefix}-portfolio-artifacts"
  description             = "Encrypts the ${var.name_prefix} portfolio artifacts: Service Catalog product versions, Studio project templates and seed code."
  deletion_window_in_days = var.kms_key_deletion_window_in_days
  policy_documents        = [data.aws_iam_policy_document.kms.json]
  tags                    = local.tags
}

module "artifacts_bucket" {
  source = "../shared/s3-bucket"

  bucket_name                            = local.bucket_name
  kms_key_arn                            = module.kms_key.key_arn
  policy_documents                       = [data.aws_iam_policy_document.bucket.json]
  noncurrent_version_expiration_days     = 90
  abort_incomplete_multipart_upload_days = 7
  access_log_bucket_name                 = var.access_log_bucket_name
  access_log_prefix                      = "${local.bucket_name}/"
  tags                                   = local.tags
}

# Studio (its origin is the domain's *.sagemaker.aws address) reads the templates from the browser.
resource "aws_s3_bucket_cors_configuration" "this" {
  bucket = module.artifacts_bucket.bucket_name

  cors_rule {
    allowed_methods = ["GET", "HEAD"]
    allowed_origins = ["https://*.sagemaker.aws"]
    allowed_headers = ["*"]
    expose_headers  = ["ETag"]
    max_age_seconds = 3000
  }
}

# Who reads: the workloads OUs, the templates and seed code only. The block adds the guards.
data "aws_iam_policy_document" "bucket" {
  statement {
    sid       = "WorkloadsReadTemplatesAndSeedCode"
    actions   = ["s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectTagging"]
    resources = [for prefix in local.readable_prefixes : "${local.bucket_arn}/${prefix}*"]

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
    resources = [local.bucket_arn]

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

################################################################################
# Objects
################################################################################

resource "aws_s3_object" "artifact" {
  for_each = { for id, v in local.versions : id => v if v.artifact_path != null }

  bucket      = module.artifacts_bucket.bucket_name
  key         = each.value.object_key
  source      = each.value.artifact_path
  source_hash = filemd5(each.value.artifact_path)
  kms_key_id  = module.kms_key.key_arn

  tags = local.tags

  # The bucket policy and default encryption first (the block's resources).
  depends_on = [module.artifacts_bucket]
}

# Studio lists an object of the templates location only with this object tag.
resource "aws_s3_object" "studio_template" {
  for_each = local.studio_templates

  bucket       = module.artifacts_bucket.bucket_name
  key          = "${var.studio_templates_prefix}${each.key}.yaml"
  source       = each.value.artifact_path
  source_hash  = filemd5(each.value.artifact_path)
  kms_key_id   = module.kms_key.key_arn
  content_type = "application/x-yaml"

  tags = merge(local.tags, { "sagemaker:studio-visibility" = "true" })

  # The bucket policy and default encryption first (the block's resources).
  depends_on = [module.artifacts_bucket]
}

resource "aws_s3_object" "seed_code" {
  # With the publishing pipeline, the pipeline writes the seed code it publishes.
  for_each = { for k, path in var.seed_code : k => path if !contains(keys(try(var.publishing_pipeline.seed_code_sources, {})), k) }

  bucket       = module.artifacts_bucket.bucket_name
  key          = "seed-code/${each.key}.zip"
  source       = each.value
  source_hash  = filemd5(each.value)
  kms_key_id   = module.kms_key.key_arn
  content_type = "application/zip"

  tags = local.tags

  # The bucket policy and default encryption first (the block's resources).
  depends_on = [module.artifacts_bucket]
}
