# ML Dev account of team A. Adding a team is adding a directory like this one.
role       = "dev"
account_id = "222222222222"
team       = "team-a"

tags = {
  CostCenter = "ds-team-a"
}

# The team's SageMaker Studio workspace (modules/ml-workspace): VPC-only, no internet.
workspace {
  auth_mode = "SSO"

  # A new ML VPC with private subnets only; see dev-team-b for attaching to an existing VPC.
  network "create" {
    cidr               = "10.40.0.0/16"
    availability_zones = ["eu-west-1a", "eu-west-1b"]
  }

  # Exact principals (IAM Identity Center permission-set roles of this account) that may assume
  # each persona role. Only the lead data scientist approves models; no principal in both lists.
  lead_data_scientist_principal_arns = [
    "arn:aws:iam::222222222222:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_MLLeadDataScientist_2a3b4c5d6e7f8a9b",
  ]
  data_scientist_principal_arns = [
    "arn:aws:iam::222222222222:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_MLDataScientist_3b4c5d6e7f8a9b0c",
  ]

  # Studio user profiles: each runs as its persona's execution role.
  users = {
    alice = { persona = "lead_data_scientist", sso_user_name = "alice@example.com" }
    bob   = { persona = "data_scientist", sso_user_name = "bob@example.com" }
  }

  # A SageMaker MLflow tracking server for experiments.
  mlflow {
    size = "Small"
  }
}
