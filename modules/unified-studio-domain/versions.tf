# hashicorp/aws 6.x only: `domain_version = "V2"` and `service_role` on aws_datazone_domain (a
# SageMaker Unified Studio domain) do not exist in 5.x. The rest of the collection stays on
# ">= 5.100, < 7.0"; this module is the one named exception (tests/modules/test_provider_range.py).
terraform {
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.0, < 7.0"
    }
  }
}
