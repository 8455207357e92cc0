output "bucket_name" {
  description = "Name of the bucket."
  value       = aws_s3_bucket.this.id
}

output "bucket_arn" {
  description = "ARN of the bucket."
  value       = aws_s3_bucket.this.arn
}

output "bucket_regional_domain_name" {
  description = "Regional domain name of the bucket (for URLs that must not depend on the global endpoint)."
  value       = aws_s3_bucket.this.bucket_regional_domain_name
}

output "bucket_policy_json" {
  description = "The policy attached to the bucket: the caller's statements followed by the guards (TLS, SSE-KMS with this key only, optionally the organization)."
  value       = data.aws_iam_policy_document.this.json
}
