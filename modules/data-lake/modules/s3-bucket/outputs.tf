output "bucket_name" {
  description = "Name of the bucket."
  value       = aws_s3_bucket.this.id
}

output "bucket_arn" {
  description = "ARN of the bucket."
  value       = aws_s3_bucket.this.arn
}

output "bucket_policy_json" {
  description = "Bucket policy attached to the bucket (TLS-only, lake key only)."
  value       = data.aws_iam_policy_document.this.json
}
