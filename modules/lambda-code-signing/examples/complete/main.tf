# Signs one Lambda package and creates the code signing config that admits only that profile's
# signatures. hello.zip is a real, minimal deployment package (hello/handler.py), so `terraform
# plan` and checkov run on this example without building anything.

provider "aws" {
  region = "eu-west-1"
}

module "lambda_code_signing" {
  source = "../.."

  name = "mlgov-platform"

  packages = {
    hello = {
      filename         = "${path.module}/hello.zip"
      source_code_hash = filebase64sha256("${path.module}/hello.zip")
    }
  }

  signature_validity_months = 12
  access_log_bucket_name    = "mlgov-access-logs-111111111111-eu-west-1"

  tags = {
    "mlgov:owner" = "platform-team"
  }
}

# A function deploys the signed copy and names the config:
#
# resource "aws_lambda_function" "hello" {
#   s3_bucket               = module.lambda_code_signing.signed_packages["hello"].s3_bucket
#   s3_key                  = module.lambda_code_signing.signed_packages["hello"].s3_key
#   code_signing_config_arn = module.lambda_code_signing.code_signing_config_arn
#   ...
# }
