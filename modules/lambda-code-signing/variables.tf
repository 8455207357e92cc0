variable "name" {
  description = "Name of this signing setup: the signing profile's name prefix (hyphens become underscores, as Signer allows only letters, digits and underscores), the code signing config's description and the default bucket name."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,36}[a-z0-9]$", var.name))
    error_message = "name must be 3-38 lowercase letters, digits or hyphens, starting with a letter (the signing profile's name prefix may be at most 38 characters)."
  }
}

variable "packages" {
  description = "Lambda deployment packages to sign, by name (the key names the package's S3 prefixes): the local zip and its base64 SHA-256 (filebase64sha256). Changing a package uploads a new version and starts a new signing job."
  type = map(object({
    filename         = string
    source_code_hash = string
  }))

  validation {
    condition     = length(var.packages) > 0 && alltrue([for key in keys(var.packages) : can(regex("^[a-z0-9][a-z0-9_-]{0,62}$", key))])
    error_message = "packages must name at least one package; each key must be 1-63 lowercase letters, digits, hyphens or underscores."
  }

  validation {
    condition     = alltrue([for package in values(var.packages) : can(regex("^[A-Za-z0-9+/]{43}=$", package.source_code_hash))])
    error_message = "Each package's source_code_hash must be a base64 SHA-256 (44 characters ending in '='), as filebase64sha256 returns."
  }
}

variable "bucket_name" {
  description = "Name of the versioned bucket that holds the unsigned and signed packages; null derives <name>-code-<account>-<region>."
  type        = string
  default     = null

  validation {
    condition     = var.bucket_name == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "bucket_name must be a valid S3 bucket name or null."
  }
}

variable "signature_validity_months" {
  description = "How long a signature stays valid. Lambda checks it when code is deployed, so an old signed package cannot be redeployed once it expires; applying a changed package signs it again."
  type        = number
  default     = 12

  validation {
    condition     = var.signature_validity_months >= 1 && var.signature_validity_months <= 135 && floor(var.signature_validity_months) == var.signature_validity_months
    error_message = "signature_validity_months must be a whole number from 1 to 135 (Signer's maximum)."
  }
}

variable "untrusted_artifact_on_deployment" {
  description = "What Lambda does with code that is unsigned, signed by another profile, changed after signing or expired: Enforce blocks the deployment, Warn only logs it."
  type        = string
  default     = "Enforce"

  validation {
    condition     = contains(["Enforce", "Warn"], var.untrusted_artifact_on_deployment)
    error_message = "untrusted_artifact_on_deployment must be Enforce or Warn."
  }
}

variable "additional_signing_profile_version_arns" {
  description = "Other Signer profile versions whose signatures the code signing config also accepts (for example a release pipeline's profile), besides this module's own profile."
  type        = list(string)
  default     = []

  validation {
    condition     = length(var.additional_signing_profile_version_arns) <= 19 && alltrue([for arn in var.additional_signing_profile_version_arns : can(regex("^arn:aws[a-z-]*:signer:[a-z0-9-]+:[0-9]{12}:/signing-profiles/[A-Za-z0-9_]{2,64}/[A-Za-z0-9]{10}$", arn))])
    error_message = "additional_signing_profile_version_arns takes at most 19 Signer profile version ARNs (arn:<partition>:signer:<region>:<account>:/signing-profiles/<name>/<version>); the config allows 20 in all."
  }
}

variable "noncurrent_version_expiration_days" {
  description = "Days after which replaced package versions are deleted from the bucket."
  type        = number
  default     = 90

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1
    error_message = "noncurrent_version_expiration_days must be at least 1."
  }
}

variable "access_log_bucket_name" {
  description = "Bucket that receives S3 server access logs of the package bucket; null leaves access logging off (CloudTrail data events still record object access where enabled)."
  type        = string
  default     = null

  validation {
    condition     = var.access_log_bucket_name == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.access_log_bucket_name))
    error_message = "access_log_bucket_name must be a valid S3 bucket name or null."
  }
}

variable "kms_key_deletion_window_in_days" {
  description = "Waiting period before the package bucket's KMS key is deleted."
  type        = number
  default     = 30

  validation {
    condition     = var.kms_key_deletion_window_in_days >= 7 && var.kms_key_deletion_window_in_days <= 30
    error_message = "kms_key_deletion_window_in_days must be between 7 and 30."
  }
}

variable "tags" {
  description = "Tags for every resource that takes them."
  type        = map(string)
  default     = {}
}
