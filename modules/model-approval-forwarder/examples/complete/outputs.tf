output "rule_arn" {
  description = "ARN of the forwarding rule."
  value       = module.model_approval_forwarder.rule_arn
}

output "promotion_source_role_arn" {
  description = "ARN of the promotion-source role the hub promoter assumes."
  value       = module.model_approval_forwarder.promotion_source_role_arn
}

output "dead_letter_queue_arn" {
  description = "ARN of the forwarding target's dead-letter queue."
  value       = module.model_approval_forwarder.dead_letter_queue_arn
}
