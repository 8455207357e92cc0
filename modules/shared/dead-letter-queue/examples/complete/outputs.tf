output "queue_arn" {
  description = "ARN of the dead-letter queue."
  value       = module.dead_letter_queue.queue_arn
}

output "queue_policy_json" {
  description = "The queue policy."
  value       = module.dead_letter_queue.queue_policy_json
}
