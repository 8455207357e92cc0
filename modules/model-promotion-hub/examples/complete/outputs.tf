output "event_bus_arn" {
  description = "ARN of the promotion event bus; pass it to every dev account's model-approval-forwarder."
  value       = module.model_promotion_hub.event_bus_arn
}

output "function_role_arn" {
  description = "ARN of the promoter role; pass it to every dev account's model-approval-forwarder."
  value       = module.model_promotion_hub.function_role_arn
}

output "dead_letter_queue_url" {
  description = "URL of the dead-letter queue to inspect failed promotions."
  value       = module.model_promotion_hub.dead_letter_queue_url
}

output "alarm_topic_arn" {
  description = "ARN of the alarm topic."
  value       = module.model_promotion_hub.alarm_topic_arn
}
