################################################################################
# ML VPC (create_vpc = true): private subnets in 2-3 AZs, no internet gateway
# unless enable_internet_egress asks for one (then a NAT gateway per AZ).
################################################################################

locals {
  create_egress    = var.create_vpc && var.enable_internet_egress
  create_flow_logs = var.create_vpc && var.enable_flow_logs

  # The caller names the AZs: the subnets never move when AWS adds a zone to the region.
  azs = var.create_vpc ? var.availability_zones : []

  # Private subnets take the first quarters of the VPC CIDR; NAT subnets split the last quarter.
  private_subnet_cidrs = [for i in range(length(local.azs)) : cidrsubnet(var.vpc_cidr, 2, i)]
  public_subnet_cidrs  = local.create_egress ? [for i in range(length(local.azs)) : cidrsubnet(cidrsubnet(var.vpc_cidr, 2, 3), 2, i)] : []

  vpc_id          = var.create_vpc ? aws_vpc.this[0].id : var.vpc_id
  vpc_arn         = "arn:${local.partition}:ec2:${local.region}:${local.account_id}:vpc/${local.vpc_id}"
  subnet_ids      = var.create_vpc ? aws_subnet.private[*].id : var.subnet_ids
  route_table_ids = var.create_vpc ? aws_route_table.private[*].id : var.route_table_ids

  flow_log_group_name = "/aws/vpc/${var.name}-ml/flow-logs"
  flow_log_group_arn  = "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:${local.flow_log_group_name}"
}

resource "aws_vpc" "this" {
  count = var.create_vpc ? 1 : 0

  cidr_block           = var.vpc_cidr
  enable_dns_support   = true
  enable_dns_hostnames = true # private DNS names of the interface endpoints

  tags = merge(local.tags, { Name = "${var.name}-ml" })

  lifecycle {
    precondition {
      condition     = alltrue([for z in var.availability_zones : startswith(z, local.region)])
      error_message = "availability_zones must be zones of the provider's region ${local.region}; got [${join(", ", var.availability_zones)}]."
    }
  }
}

# AWS creates a default security group that allows all traffic between its members; nothing
# uses it here, so all of its rules are removed.
resource "aws_default_security_group" "this" {
  count = var.create_vpc ? 1 : 0

  vpc_id = aws_vpc.this[0].id
  tags   = merge(local.tags, { Name = "${var.name}-ml-default-unused" })
}

resource "aws_subnet" "private" {
  count = length(local.azs)

  vpc_id                  = aws_vpc.this[0].id
  availability_zone       = local.azs[count.index]
  cidr_block              = local.private_subnet_cidrs[count.index]
  map_public_ip_on_launch = false

  tags = merge(local.tags, {
    Name         = "${var.name}-ml-private-${local.azs[count.index]}"
    "mlgov:tier" = "private"
  })
}

resource "aws_route_table" "private" {
  count = length(local.azs)

  vpc_id = aws_vpc.this[0].id
  tags   = merge(local.tags, { Name = "${var.name}-ml-private-${local.azs[count.index]}" })
}

resource "aws_route_table_association" "private" {
  count = length(local.azs)

  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private[count.index].id
}

# --- optional egress: internet gateway, public NAT subnets, one NAT gateway per AZ ---

resource "aws_internet_gateway" "this" {
  count = local.create_egress ? 1 : 0

  vpc_id = aws_vpc.this[0].id
  tags   = merge(local.tags, { Name = "${var.name}-ml" })
}

resource "aws_subnet" "public" {
  count = local.create_egress ? length(local.azs) : 0

  vpc_id                  = aws_vpc.this[0].id
  availability_zone       = local.azs[count.index]
  cidr_block              = local.public_subnet_cidrs[count.index]
  map_public_ip_on_launch = false # only the NAT gateways live here

  tags = merge(local.tags, {
    Name         = "${var.name}-ml-nat-${local.azs[count.index]}"
    "mlgov:tier" = "nat"
  })
}

resource "aws_route_table" "public" {
  count = local.create_egress ? 1 : 0

  vpc_id = aws_vpc.this[0].id
  tags   = merge(local.tags, { Name = "${var.name}-ml-nat" })
}

resource "aws_route" "public_internet" {
  count = local.create_egress ? 1 : 0

  route_table_id         = aws_route_table.public[0].id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.this[0].id
}

resource "aws_route_table_association" "public" {
  count = local.create_egress ? length(local.azs) : 0

  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public[0].id
}

resource "aws_eip" "nat" {
  count = local.create_egress ? length(local.azs) : 0

  domain = "vpc"
  tags   = merge(local.tags, { Name = "${var.name}-ml-nat-${local.azs[count.index]}" })

  depends_on = [aws_internet_gateway.this]
}

resource "aws_nat_gateway" "this" {
  count = local.create_egress ? length(local.azs) : 0

  allocation_id = aws_eip.nat[count.index].id
  subnet_id     = aws_subnet.public[count.index].id
  tags          = merge(local.tags, { Name = "${var.name}-ml-${local.azs[count.index]}" })

  depends_on = [aws_internet_gateway.this]
}

resource "aws_route" "private_nat" {
  count = local.create_egress ? length(local.azs) : 0

  route_table_id         = aws_route_table.private[count.index].id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.this[count.index].id
}

# --- flow logs of the created VPC, encrypted with the team key ---

resource "aws_cloudwatch_log_group" "flow_logs" {
  count = local.create_flow_logs ? 1 : 0

  name              = local.flow_log_group_name
  retention_in_days = var.flow_log_retention_in_days
  kms_key_id        = module.kms_key.key_arn
  tags              = local.tags

  # The key policy must admit CloudWatch Logs for this group before the group is created.
  depends_on = [module.kms_key]
}

data "aws_iam_policy_document" "flow_logs_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["vpc-flow-logs.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:ec2:${local.region}:${local.account_id}:vpc-flow-log/*"]
    }
  }
}

resource "aws_iam_role" "flow_logs" {
  count = local.create_flow_logs ? 1 : 0

  name                 = "${var.name}-vpc-flow-logs"
  path                 = var.role_path
  description          = "Delivers flow logs of the ${var.name} ML VPC to CloudWatch Logs."
  assume_role_policy   = data.aws_iam_policy_document.flow_logs_assume.json
  permissions_boundary = var.permissions_boundary_arn
  tags                 = local.tags
}

data "aws_iam_policy_document" "flow_logs" {
  statement {
    sid       = "WriteFlowLogGroup"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
    resources = [local.flow_log_group_arn, "${local.flow_log_group_arn}:log-stream:*"]
  }
}

resource "aws_iam_role_policy" "flow_logs" {
  count = local.create_flow_logs ? 1 : 0

  name   = "vpc-flow-logs"
  role   = aws_iam_role.flow_logs[0].id
  policy = data.aws_iam_policy_document.flow_logs.json
}

resource "aws_flow_log" "this" {
  count = local.create_flow_logs ? 1 : 0

  vpc_id                   = aws_vpc.this[0].id
  traffic_type             = "ALL"
  log_destination_type     = "cloud-watch-logs"
  log_destination          = aws_cloudwatch_log_group.flow_logs[0].arn
  iam_role_arn             = aws_iam_role.flow_logs[0].arn
  max_aggregation_interval = 60
  tags                     = local.tags
}

################################################################################
# Existing VPC (create_vpc = false): check what the caller passed.
################################################################################

data "aws_subnet" "existing" {
  for_each = var.create_vpc ? toset([]) : toset(var.subnet_ids)

  id = each.value
}

data "aws_vpc" "existing" {
  count = var.create_vpc ? 0 : 1

  id = var.vpc_id
}

locals {
  existing_subnet_vpcs = distinct([for s in data.aws_subnet.existing : s.vpc_id])
  existing_subnet_azs  = distinct([for s in data.aws_subnet.existing : s.availability_zone])
}

################################################################################
# Security groups
################################################################################

data "aws_ec2_managed_prefix_list" "s3" {
  name = "${local.reverse_dns_prefix}.${local.region}.s3"
}

# Studio apps (JupyterLab, Code Editor, kernels), training/processing jobs and the models the
# team creates all run in this group. Studio needs all traffic between its own ENIs; egress
# is otherwise HTTPS to the VPC endpoints and to S3 (gateway endpoint), and to the internet
# only with enable_internet_egress. The EFS (NFS) groups are created by SageMaker itself.
resource "aws_security_group" "workspace" {
  #checkov:skip=CKV2_AWS_5:Attached outside checkov's graph: the SageMaker domain (default user and space settings, domain settings), every user profile, and the VPC configs of jobs and models the execution roles create (the roles may only create them with this group).
  name        = "${var.name}-sagemaker-workspace"
  description = "SageMaker Studio apps and jobs of ${var.name}: all traffic within the group, HTTPS to VPC endpoints and S3"
  vpc_id      = local.vpc_id
  tags        = merge(local.tags, { Name = "${var.name}-sagemaker-workspace" })

  lifecycle {
    create_before_destroy = true

    precondition {
      condition     = var.create_vpc ? true : length(local.existing_subnet_vpcs) == 1 && contains(local.existing_subnet_vpcs, coalesce(var.vpc_id, "-"))
      error_message = "Every subnet in subnet_ids must belong to vpc_id (${coalesce(var.vpc_id, "null")}); found VPCs: ${join(", ", local.existing_subnet_vpcs)}."
    }

    precondition {
      condition     = var.create_vpc ? true : length(local.existing_subnet_azs) >= 2
      error_message = "subnet_ids must span at least two availability zones (one interface endpoint ENI per AZ, Studio across AZs); found: ${join(", ", local.existing_subnet_azs)}."
    }

    precondition {
      condition     = var.create_vpc ? true : data.aws_vpc.existing[0].enable_dns_support && data.aws_vpc.existing[0].enable_dns_hostnames
      error_message = "vpc_id ${coalesce(var.vpc_id, "null")} needs enable_dns_support and enable_dns_hostnames (private DNS of the interface endpoints)."
    }
  }
}

resource "aws_vpc_security_group_ingress_rule" "workspace_self" {
  security_group_id            = aws_security_group.workspace.id
  description                  = "All traffic between Studio apps and jobs of this workspace"
  ip_protocol                  = "-1"
  referenced_security_group_id = aws_security_group.workspace.id
  tags                         = local.tags
}

resource "aws_vpc_security_group_egress_rule" "workspace_self" {
  security_group_id            = aws_security_group.workspace.id
  description                  = "All traffic between Studio apps and jobs of this workspace"
  ip_protocol                  = "-1"
  referenced_security_group_id = aws_security_group.workspace.id
  tags                         = local.tags
}

resource "aws_vpc_security_group_egress_rule" "workspace_https_vpc_endpoints" {
  count = var.create_vpc_endpoints ? 1 : 0

  security_group_id            = aws_security_group.workspace.id
  description                  = "HTTPS to the interface VPC endpoints"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_security_group.vpc_endpoints[0].id
  tags                         = local.tags
}

# Endpoints that already exist in the VPC have their own groups: reach them through the VPC CIDR.
resource "aws_vpc_security_group_egress_rule" "workspace_https_vpc" {
  count = var.create_vpc_endpoints ? 0 : 1

  security_group_id = aws_security_group.workspace.id
  description       = "HTTPS to the VPC's existing interface endpoints"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = var.create_vpc ? var.vpc_cidr : data.aws_vpc.existing[0].cidr_block
  tags              = local.tags
}

resource "aws_vpc_security_group_egress_rule" "workspace_https_s3" {
  security_group_id = aws_security_group.workspace.id
  description       = "HTTPS to S3 through the gateway VPC endpoint"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  prefix_list_id    = data.aws_ec2_managed_prefix_list.s3.id
  tags              = local.tags
}

resource "aws_vpc_security_group_egress_rule" "workspace_https_internet" {
  count = var.enable_internet_egress ? 1 : 0

  security_group_id = aws_security_group.workspace.id
  description       = "HTTPS to the internet (enable_internet_egress)"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
  tags              = local.tags
}

# Interface endpoints accept HTTPS from the workspace group only and start no connections.
resource "aws_security_group" "vpc_endpoints" {
  count = var.create_vpc_endpoints ? 1 : 0

  name        = "${var.name}-vpc-endpoints"
  description = "Interface VPC endpoints of ${var.name}: HTTPS from the SageMaker workspace group only"
  vpc_id      = local.vpc_id
  tags        = merge(local.tags, { Name = "${var.name}-vpc-endpoints" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "vpc_endpoints_https" {
  count = var.create_vpc_endpoints ? 1 : 0

  security_group_id            = aws_security_group.vpc_endpoints[0].id
  description                  = "HTTPS from SageMaker Studio apps and jobs"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_security_group.workspace.id
  tags                         = local.tags
}

################################################################################
# VPC endpoints (both modes unless create_vpc_endpoints = false); see the README
# for why each one is needed.
################################################################################

locals {
  default_interface_endpoint_services = [
    "sagemaker.api",
    "sagemaker.runtime",
    "sagemaker.featurestore-runtime",
    "sts",
    "logs",
    "monitoring",
    "ecr.api",
    "ecr.dkr",
    "kms",
    "ssm",
    "servicecatalog",
    "events",
    "athena", # pipeline jobs of the lake and feature-store project templates
  ]

  interface_endpoint_services = distinct(concat(
    local.default_interface_endpoint_services,
    var.mlflow.enabled ? ["sagemaker.experiments"] : [],
    var.additional_vpc_endpoint_services,
  ))

  # Studio, notebook and MLflow (experiments) endpoints are named aws.sagemaker.<region>.<x>.
  aws_sagemaker_endpoint_services = ["sagemaker.studio", "sagemaker.notebook", "sagemaker.experiments"]

  interface_endpoint_service_names = {
    for s in local.interface_endpoint_services : s => (
      contains(local.aws_sagemaker_endpoint_services, s)
      ? "aws.sagemaker.${local.region}.${trimprefix(s, "sagemaker.")}"
      : "${local.reverse_dns_prefix}.${local.region}.${s}"
    )
  }
}

resource "aws_vpc_endpoint" "interface" {
  for_each = var.create_vpc_endpoints ? local.interface_endpoint_service_names : {}

  vpc_id              = local.vpc_id
  service_name        = each.value
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = local.subnet_ids
  security_group_ids  = [aws_security_group.vpc_endpoints[0].id]

  tags = merge(local.tags, { Name = "${var.name}-${replace(each.key, ".", "-")}" })
}

resource "aws_vpc_endpoint" "s3" {
  count = var.create_vpc_endpoints ? 1 : 0

  vpc_id            = local.vpc_id
  service_name      = "${local.reverse_dns_prefix}.${local.region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = local.route_table_ids

  tags = merge(local.tags, { Name = "${var.name}-s3" })
}
