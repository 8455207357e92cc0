data "aws_vpc" "this" {
  count = var.endpoint_egress_cidr_blocks == null ? 1 : 0

  id = var.vpc_id
}

data "aws_ec2_managed_prefix_list" "s3" {
  count = var.allow_s3_gateway_egress ? 1 : 0

  name = "com.amazonaws.${local.region}.s3"
}

locals {
  endpoint_egress_cidr_blocks = var.endpoint_egress_cidr_blocks == null ? [data.aws_vpc.this[0].cidr_block] : var.endpoint_egress_cidr_blocks
}

# Security group of the VPC-mode endpoints the deploy CLI creates. No ingress:
# invocations reach the containers through SageMaker, not through this group.
# Egress is HTTPS only: to interface VPC endpoints inside the VPC (ECR api/dkr,
# STS, KMS, CloudWatch Logs/Monitoring) and to the S3 gateway endpoint's prefix
# list for model artifacts and data capture. There is no route to the internet.
resource "aws_security_group" "endpoint" {
  #checkov:skip=CKV2_AWS_5:Attached outside Terraform: the deploy CLI puts it in the VpcConfig of every model it creates (target_config.security_group_ids).
  name        = "${var.name_prefix}-${var.stage}-sagemaker-endpoints"
  description = "SageMaker ${var.stage} endpoints of ${var.name_prefix}: HTTPS egress to VPC endpoints only"
  vpc_id      = var.vpc_id
  tags        = merge(local.tags, { Name = "${var.name_prefix}-${var.stage}-sagemaker-endpoints" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_egress_rule" "https_vpc" {
  for_each = toset(local.endpoint_egress_cidr_blocks)

  security_group_id = aws_security_group.endpoint.id
  description       = "HTTPS to interface VPC endpoints in ${each.value}"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = each.value
  tags              = local.tags
}

resource "aws_vpc_security_group_egress_rule" "https_s3" {
  count = var.allow_s3_gateway_egress ? 1 : 0

  security_group_id = aws_security_group.endpoint.id
  description       = "HTTPS to S3 through the gateway VPC endpoint"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  prefix_list_id    = data.aws_ec2_managed_prefix_list.s3[0].id
  tags              = local.tags
}
