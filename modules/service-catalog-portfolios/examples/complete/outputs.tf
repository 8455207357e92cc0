output "portfolio_ids" {
  description = "Portfolio ids by key."
  value       = module.service_catalog_portfolios.portfolio_ids
}

output "studio_templates_s3_location" {
  description = "Tag every team's SageMaker domain with this location."
  value       = module.service_catalog_portfolios.studio_templates_s3_location
}

output "ml_admin_launch_role_trust_policy_json" {
  description = "Trust policy of the ML admin launch role for the account baseline."
  value       = module.service_catalog_portfolios.ml_admin_launch_role_trust_policy_json
}
