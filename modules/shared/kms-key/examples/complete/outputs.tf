output "key_arn" {
  description = "ARN of the key."
  value       = module.key.key_arn
}

output "policy_json" {
  description = "The key policy."
  value       = module.key.policy_json
}
