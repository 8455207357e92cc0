output "key_arn" {
  description = "ARN of the key (what bucket policies, encryption settings and IAM policies name)."
  value       = aws_kms_key.this.arn
}

output "key_id" {
  description = "Id of the key."
  value       = aws_kms_key.this.key_id
}

output "alias_name" {
  description = "Alias of the key."
  value       = aws_kms_alias.this.name
}

output "alias_arn" {
  description = "ARN of the alias."
  value       = aws_kms_alias.this.arn
}

output "policy_json" {
  description = "The key policy: the delegation to IAM in the key's account followed by the caller's statements."
  value       = data.aws_iam_policy_document.this.json
}
