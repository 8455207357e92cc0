# ML Dev account of team A. Adding a team is adding a directory like this one.
role       = "dev"
account_id = "222222222222"
team       = "team-a"

tags = {
  CostCenter = "ds-team-a"
}
