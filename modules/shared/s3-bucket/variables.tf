variable "bucket_name" {
  description = "Name of the bucket to create."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "bucket_name must be a valid S3 bucket name (3-63 lowercase letters, digits, dots or hyphens); got \"${var.bucket_name}\"."
  }
}

variable "kms_key_arn" {
  description = "ARN of the customer managed KMS key for default encryption (SSE-KMS with S3 Bucket Keys); uploads that ask for SSE-S3 or name another key are denied."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>), not an alias; got \"${var.kms_key_arn}\"."
  }
}

variable "policy_documents" {
  description = "IAM policy documents (JSON) whose statements join the bucket policy: who may read or write. Their sids must differ from the module's own (DenyInsecureTransport, DenyTlsOlderThan12, DenyNonKmsEncryption, DenyOtherKmsKeys, DenyPrincipalsOutsideOrganization)."
  type        = list(string)
  default     = []
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
  description = "Days after which incomplete multipart uploads are aborted (their parts are billed until then)."
  type        = number
  default     = 7

  validation {
    condition     = var.abort_incomplete_multipart_upload_days >= 1 && floor(var.abort_incomplete_multipart_upload_days) == var.abort_incomplete_multipart_upload_days
    error_message = "abort_incomplete_multipart_upload_days must be a whole number of at least 1; got ${var.abort_incomplete_multipart_upload_days}."
  }
}

variable "lifecycle_rules" {
  description = "Lifecycle rules added after the module's own (noncurrent versions, incomplete uploads), each for one prefix (null: the whole bucket): transitions, expiration of current versions after expiration_days, of noncurrent ones after noncurrent_version_expiration_days, removal of expired delete markers."
  type = list(object({
    id                                 = string
    prefix                             = optional(string)
    transitions                        = optional(list(object({ days = number, storage_class = string })), [])
    expiration_days                    = optional(number)
    noncurrent_version_expiration_days = optional(number)
    expired_object_delete_marker       = optional(bool, false)
  }))
  default = []

  validation {
    condition     = length(distinct([for r in var.lifecycle_rules : r.id])) == length(var.lifecycle_rules) && !contains([for r in var.lifecycle_rules : r.id], "expire-noncurrent-versions-and-abort-uploads")
    error_message = "lifecycle_rules ids must be unique and differ from the module's own rule \"expire-noncurrent-versions-and-abort-uploads\"; got ${jsonencode([for r in var.lifecycle_rules : r.id])}."
  }

  # S3 refuses an expiration that sets both: a rule expires current versions or removes expired
  # delete markers, not both.
  validation {
    condition     = alltrue([for r in var.lifecycle_rules : !(r.expiration_days != null && r.expired_object_delete_marker)])
    error_message = "A lifecycle rule cannot set both expiration_days and expired_object_delete_marker (S3 refuses it); use two rules. Offending ids: ${jsonencode([for r in var.lifecycle_rules : r.id if r.expiration_days != null && r.expired_object_delete_marker])}."
  }

  validation {
    condition     = alltrue([for r in var.lifecycle_rules : length(r.transitions) + (r.expiration_days == null ? 0 : 1) + (r.noncurrent_version_expiration_days == null ? 0 : 1) + (r.expired_object_delete_marker ? 1 : 0) > 0])
    error_message = "Each lifecycle rule needs at least one action (transitions, expiration_days, noncurrent_version_expiration_days or expired_object_delete_marker). Rules without one: ${jsonencode([for r in var.lifecycle_rules : r.id if length(r.transitions) + (r.expiration_days == null ? 0 : 1) + (r.noncurrent_version_expiration_days == null ? 0 : 1) + (r.expired_object_delete_marker ? 1 : 0) == 0])}."
  }
}

variable "force_destroy" {
  description = "Let `terraform destroy` delete the bucket with every object version in it. Keep false for buckets that hold anything that cannot be rebuilt."
  type        = bool
  default     = false
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

variable "access_log_prefix" {
  description = "Key prefix of this bucket's access logs in access_log_bucket_name; null means \"s3/<bucket_name>/\"."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags applied to the bucket."
  type        = map(string)
  default     = {}
}
