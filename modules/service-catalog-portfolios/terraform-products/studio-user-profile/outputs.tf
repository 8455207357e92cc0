output "user_profile_arn" {
  description = "ARN of the Studio user profile."
  value       = aws_sagemaker_user_profile.this.arn
}
