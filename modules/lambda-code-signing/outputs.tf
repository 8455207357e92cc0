output "code_signing_config_arn" {
  description = "Code signing config to set on every function whose package this module signs (code_signing_config_arn of aws_lambda_function)."
  value       = aws_lambda_code_signing_config.this.arn
}

output "signing_profile_name" {
  description = "Name of the Signer profile that signs the packages."
  value       = aws_signer_signing_profile.this.name
}

output "signing_profile_version_arn" {
  description = "Profile version the code signing config accepts; signatures by any other version are refused."
  value       = aws_signer_signing_profile.this.version_arn
}

output "bucket_name" {
  description = "Bucket holding the unsigned (unsigned/<package>.zip) and signed (signed/<package>/<job id>.zip) packages."
  value       = module.package_bucket.bucket_name
}

output "kms_key_arn" {
  description = "KMS key encrypting the package bucket; principals that deploy the functions need kms:Decrypt on it."
  value       = module.kms_key.key_arn
}

output "signed_packages" {
  description = "Signed copy of each package, by package name: s3_bucket and s3_key for aws_lambda_function, and the signing job's id."
  value = {
    for name, job in aws_signer_signing_job.this : name => {
      s3_bucket = job.signed_object[0].s3[0].bucket
      s3_key    = job.signed_object[0].s3[0].key
      job_id    = job.job_id
    }
  }
}
