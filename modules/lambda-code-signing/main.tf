# Lambda code signing for functions whose packages are built from source at apply time: each
# package is uploaded to a versioned bucket, signed by this module's Signer profile, and Lambda
# accepts only code carrying a valid signature from an allowed profile (the code signing
# config). A package changed after signing, signed by anyone else, or unsigned is refused
# when it is deployed, whoever deploys it.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account_id  = data.aws_caller_identity.current.account_id
  partition   = data.aws_partition.current.partition
  region      = data.aws_region.current.name
  bucket_name = coalesce(var.bucket_name, "${var.name}-code-${local.account_id}-${local.region}")
  bucket_arn  = "arn:${local.partition}:s3:::${local.bucket_name}"
  tags        = merge(var.tags, { "mlgov:component" = "lambda-code-signing" })
}

# AWSLambda-SHA384-ECDSA is the only platform Lambda verifies. name_prefix, because Signer keeps a
# canceled profile's name reserved: a replaced profile needs a new name.
resource "aws_signer_signing_profile" "this" {
  platform_id = "AWSLambda-SHA384-ECDSA"
  name_prefix = replace(var.name, "-", "_")

  signature_validity_period {
    value = var.signature_validity_months
    type  = "MONTHS"
  }

  tags = local.tags
}

resource "aws_lambda_code_signing_config" "this" {
  description = "Code of ${var.name} functions must be signed by its Signer profile."

  allowed_publishers {
    signing_profile_version_arns = concat(
      [aws_signer_signing_profile.this.version_arn],
      var.additional_signing_profile_version_arns,
    )
  }

  policies {
    untrusted_artifact_on_deployment = var.untrusted_artifact_on_deployment
  }

  tags = local.tags
}

# Each version of a package gets its own signing job (every argument of a job forces a new one),
# and the job writes the signed copy under signed/<package>/<job id>.zip: a new key per signature,
# so a function is updated exactly when its package is signed again.
resource "aws_s3_object" "unsigned" {
  for_each = var.packages

  bucket                 = module.package_bucket.bucket_name
  key                    = "unsigned/${each.key}.zip"
  source                 = each.value.filename
  source_hash            = each.value.source_code_hash
  server_side_encryption = "aws:kms"
  kms_key_id             = module.kms_key.key_arn
  bucket_key_enabled     = true
  content_type           = "application/zip"
  tags                   = local.tags

  # Versioning, default encryption, ownership controls and the bucket policy first.
  depends_on = [module.package_bucket]
}

resource "aws_signer_signing_job" "this" {
  for_each = var.packages

  profile_name = aws_signer_signing_profile.this.name

  source {
    s3 {
      bucket  = module.package_bucket.bucket_name
      key     = aws_s3_object.unsigned[each.key].key
      version = aws_s3_object.unsigned[each.key].version_id
    }
  }

  destination {
    s3 {
      bucket = module.package_bucket.bucket_name
      prefix = "signed/${each.key}/"
    }
  }

  # A job that does not succeed fails the apply: an unsigned package must never reach a function.
  ignore_signing_job_failure = false
}
