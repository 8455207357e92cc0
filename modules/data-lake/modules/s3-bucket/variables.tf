variable "bucket_name" {
  description = "Name of the bucket to create."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "bucket_name must be a valid S3 bucket name (3-63 lowercase letters, digits, dots or hyphens); got \"${var.bucket_name}\"."
  }
}

variable "kms_key_arn" {
  description = "ARN of the customer managed KMS key used for default encryption (SSE-KMS with S3 Bucket Keys); uploads that name another key are denied."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>); got \"${var.kms_key_arn}\"."
  }
}

variable "access_log_bucket_name" {
  description = "Existing bucket that receives S3 server access logs of this bucket, or null for none."
  type        = string
  default     = null

  validation {
    condition     = var.access_log_bucket_name == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", coalesce(var.access_log_bucket_name, "x")))
    error_message = "access_log_bucket_name must be a valid S3 bucket name or null; got \"${coalesce(var.access_log_bucket_name, "null")}\"."
  }
}

variable "organization_id" {
  description = "AWS Organizations id: the bucket policy denies principals outside this organization (aws:PrincipalOrgID; AWS services acting on their own are exempt), or null for no such statement."
  type        = string
  default     = null

  validation {
    condition     = var.organization_id == null || can(regex("^o-[a-z0-9]{10,32}$", coalesce(var.organization_id, "x")))
    error_message = "organization_id must be \"o-\" followed by 10-32 lowercase letters or digits, or null; got \"${coalesce(var.organization_id, "null")}\"."
  }
}

variable "noncurrent_version_expiration_days" {
  description = "Days after which noncurrent object versions are deleted."
  type        = number

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1 && floor(var.noncurrent_version_expiration_days) == var.noncurrent_version_expiration_days
    error_message = "noncurrent_version_expiration_days must be a whole number of at least 1; got ${var.noncurrent_version_expiration_days}."
  }
}

variable "abort_incomplete_multipart_upload_days" {
  description = "Days after which incomplete multipart uploads are aborted."
  type        = number
  default     = 7

  validation {
    condition     = var.abort_incomplete_multipart_upload_days >= 1 && floor(var.abort_incomplete_multipart_upload_days) == var.abort_incomplete_multipart_upload_days
    error_message = "abort_incomplete_multipart_upload_days must be a whole number of at least 1; got ${var.abort_incomplete_multipart_upload_days}."
  }
}

variable "tags" {
  description = "Tags applied to the bucket."
  type        = map(string)
  default     = {}
}
