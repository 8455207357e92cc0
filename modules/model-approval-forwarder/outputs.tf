output "rule_name" {
  description = "Name of the forwarding rule on the default event bus."
  value       = aws_cloudwatch_event_rule.this.name
}

output "rule_arn" {
  description = "ARN of the forwarding rule on the default event bus."
  value       = aws_cloudwatch_event_rule.this.arn
}

output "event_pattern" {
  description = "JSON event pattern of the forwarding rule."
  value       = local.event_pattern
}

output "forwarder_role_name" {
  description = "Name of the role EventBridge uses to put events on the hub bus."
  value       = aws_iam_role.forwarder.name
}

output "forwarder_role_arn" {
  description = "ARN of the role EventBridge uses to put events on the hub bus."
  value       = aws_iam_role.forwarder.arn
}

output "promotion_source_role_name" {
  description = "Name of the promotion-source role the hub promoter assumes (reads here, writes only staging/<this account id>/ in the hub bucket)."
  value       = aws_iam_role.promotion_source.name
}

output "promotion_source_role_arn" {
  description = "ARN of the promotion-source role the hub promoter assumes (reads here, writes only staging/<this account id>/ in the hub bucket)."
  value       = aws_iam_role.promotion_source.arn
}

output "promotion_source_role_policy_json" {
  description = "Inline policy of the promotion-source role."
  value       = data.aws_iam_policy_document.promotion_source.json
}

output "dead_letter_queue_arn" {
  description = "ARN of the forwarding target's dead-letter queue."
  value       = module.dead_letter_queue.queue_arn
}

output "dead_letter_queue_url" {
  description = "URL of the forwarding target's dead-letter queue."
  value       = module.dead_letter_queue.queue_url
}

output "kms_key_arn" {
  description = "ARN of the KMS key encrypting the dead-letter queue (created here or passed in)."
  value       = local.kms_key_arn
}

output "kms_key_policy_json" {
  description = "Key policy the module attaches to the key it creates; an existing key passed as kms_key_arn needs equivalent statements."
  # The block's policy (delegation to IAM in this account, then the statement of kms.tf); with
  # an existing key, the statement of kms.tf alone, which that key's policy must add to its own.
  value = local.create_kms_key ? module.kms_key[0].policy_json : data.aws_iam_policy_document.kms.json
}
