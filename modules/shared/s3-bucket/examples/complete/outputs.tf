output "bucket_name" {
  description = "Name of the bucket."
  value       = module.bucket.bucket_name
}

output "bucket_policy_json" {
  description = "The bucket policy."
  value       = module.bucket.bucket_policy_json
}
