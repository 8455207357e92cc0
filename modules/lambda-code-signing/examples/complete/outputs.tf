output "code_signing_config_arn" {
  description = "Code signing config for the functions."
  value       = module.lambda_code_signing.code_signing_config_arn
}

output "signed_packages" {
  description = "Where each signed package is."
  value       = module.lambda_code_signing.signed_packages
}
