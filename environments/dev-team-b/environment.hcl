# ML Dev account of team B.
role       = "dev"
account_id = "333333333333"
team       = "team-b"

tags = {
  CostCenter = "ds-team-b"
}

workspace {
  # Studio opened with presigned URLs through the persona roles (no IAM Identity Center).
  auth_mode = "IAM"

  # The account's network baseline already has a VPC with private subnets.
  network "existing" {
    vpc_id          = "vpc-0b1c2d3e4f5a60001"
    subnet_ids      = ["subnet-0b1c2d3e4f5a60011", "subnet-0b1c2d3e4f5a60012"]
    route_table_ids = ["rtb-0b1c2d3e4f5a60021"]
  }

  lead_data_scientist_principal_arns = [
    "arn:aws:iam::333333333333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_MLLeadDataScientist_4c5d6e7f8a9b0c1d",
  ]
  data_scientist_principal_arns = [
    "arn:aws:iam::333333333333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_MLDataScientist_5d6e7f8a9b0c1d2e",
  ]

  users = {
    carol = { persona = "lead_data_scientist" }
    dave  = { persona = "data_scientist" }
  }
}
