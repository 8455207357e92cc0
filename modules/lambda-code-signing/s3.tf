# Versioned, because a signing job signs one object version. Signed copies are never changed in
# place: Lambda verifies the signature of the bytes it deploys, so an overwritten copy is refused.
# The hardened bucket (ownership, public access block, versioning, SSE-KMS under the package key,
# TLS/encryption guards, noncurrent-version and incomplete-upload cleanup, access logs) is
# modules/shared/s3-bucket; this file adds what is specific to the package bucket.

# Signer and Lambda act with the caller's identity, always a principal of this account.
data "aws_iam_policy_document" "packages" {
  statement {
    sid       = "DenyOutsideAccount"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [local.bucket_arn, "${local.bucket_arn}/*"]

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

module "package_bucket" {
  source = "../shared/s3-bucket"

  bucket_name = local.bucket_name
  kms_key_arn = module.kms_key.key_arn
  # Signing jobs write the signed copies, so Terraform does not manage them and a destroy would
  # find the bucket never empty; everything here is rebuilt and signed again by the next apply.
  force_destroy                      = true
  policy_documents                   = [data.aws_iam_policy_document.packages.json]
  noncurrent_version_expiration_days = var.noncurrent_version_expiration_days
  access_log_bucket_name             = var.access_log_bucket_name
  tags                               = local.tags
}
