# ML Dev account of team B.
role       = "dev"
account_id = "333333333333"
team       = "team-b"

tags = {
  CostCenter = "ds-team-b"
}
