# A key for an application's log group: the account's IAM policies may use it, and CloudWatch
# Logs may use it for that one log group only.

provider "aws" {
  region = "eu-central-1"
}

data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

locals {
  log_group_arn = "arn:aws:logs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:log-group:/example/app"
}

data "aws_iam_policy_document" "logs" {
  statement {
    sid       = "CloudWatchLogsForOneLogGroup"
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["logs.${data.aws_region.current.name}.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = [local.log_group_arn]
    }
  }
}

module "key" {
  source = "../.."

  alias_name              = "alias/example-app-logs"
  description             = "Encrypts the /example/app log group."
  policy_documents        = [data.aws_iam_policy_document.logs.json]
  deletion_window_in_days = 7
  tags                    = { "mlgov:example" = "kms-key" }
}
