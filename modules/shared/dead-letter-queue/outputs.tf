output "queue_arn" {
  description = "ARN of the queue (for dead_letter_config and EventBridge target dead_letter_config)."
  value       = aws_sqs_queue.this.arn
}

output "queue_url" {
  description = "URL of the queue."
  value       = aws_sqs_queue.this.id
}

output "queue_name" {
  description = "Name of the queue."
  value       = aws_sqs_queue.this.name
}

output "queue_policy_json" {
  description = "The policy attached to the queue."
  value       = data.aws_iam_policy_document.this.json
}
