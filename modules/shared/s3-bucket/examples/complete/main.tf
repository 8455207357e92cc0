# A hardened bucket readable by one other account of the organization, under its own key, with
# a staging prefix whose objects expire after two days and access logs into an existing bucket.

provider "aws" {
  region = "eu-central-1"
}

locals {
  organization_id   = "o-exampleorg1"
  reader_account_id = "222222222222"
  bucket_name       = "example-hardened-bucket-111111111111"
}

module "key" {
  source = "../../../kms-key"

  alias_name              = "alias/example-hardened-bucket"
  description             = "Encrypts the example hardened bucket."
  deletion_window_in_days = 7
}

data "aws_iam_policy_document" "readers" {
  statement {
    sid       = "ReaderAccountReadsPublished"
    actions   = ["s3:GetObject", "s3:GetObjectVersion"]
    resources = ["arn:aws:s3:::${local.bucket_name}/published/*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${local.reader_account_id}:root"]
    }
  }
}

module "bucket" {
  source = "../.."

  bucket_name                        = local.bucket_name
  kms_key_arn                        = module.key.key_arn
  organization_id                    = local.organization_id
  policy_documents                   = [data.aws_iam_policy_document.readers.json]
  noncurrent_version_expiration_days = 30
  access_log_bucket_name             = "example-access-logs-111111111111"

  lifecycle_rules = [
    {
      id                                 = "expire-staging"
      prefix                             = "staging/"
      expiration_days                    = 2
      noncurrent_version_expiration_days = 2
    },
    {
      id                           = "remove-expired-staging-delete-markers"
      prefix                       = "staging/"
      expired_object_delete_marker = true
    },
    {
      id          = "tier-published"
      prefix      = "published/"
      transitions = [{ days = 30, storage_class = "STANDARD_IA" }]
    },
  ]

  tags = { "mlgov:example" = "s3-bucket" }
}
