variable "tags" {
  description = "A map of tags to add to every taggable resource the module creates."
  type        = map(string)
  default     = {}
}

variable "organization_id" {
  description = "AWS Organizations id; the hub promoter role may assume the promotion-source role only while it belongs to it (aws:PrincipalOrgID)."
  type        = string

  validation {
    condition     = can(regex("^o-[a-z0-9]{10,32}$", var.organization_id))
    error_message = "The organization_id must be \"o-\" followed by 10 to 32 lowercase letters or digits, e.g. o-a1b2c3d4e5."
  }
}

################################################################################
# Forwarding rule
################################################################################

variable "rule_name" {
  description = "Name of the rule on the default event bus that forwards approvals (naming contract: {prefix}-forward-approved-models)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,64}$", var.rule_name))
    error_message = "The rule_name must be 1-64 letters, digits, \".\", \"_\" or \"-\"."
  }
}

variable "forwarder_role_name" {
  description = "Name of the IAM role EventBridge uses to put events on the hub bus (naming contract: {prefix}-forward-approved-models)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.forwarder_role_name))
    error_message = "The forwarder_role_name must be 1-64 characters from letters, digits and +=,.@_-."
  }
}

variable "hub_event_bus_arn" {
  description = "ARN of the promotion event bus in the ML Shared Services (hub) account (the model-promotion-hub module's event_bus_arn output)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:events:[a-z0-9-]+:[0-9]{12}:event-bus/[A-Za-z0-9._-]+$", var.hub_event_bus_arn))
    error_message = "The hub_event_bus_arn must be an EventBridge event bus ARN (arn:<partition>:events:<region>:<account>:event-bus/<name>)."
  }
}

variable "model_package_group_names" {
  description = "Model package groups whose approvals are forwarded and which the hub may read; empty for every group in this account."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for name in var.model_package_group_names : can(regex("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$", name))])
    error_message = "Each model_package_group_names entry must be a SageMaker model package group name: 1-63 letters, digits or \"-\", starting with a letter or digit."
  }
}

variable "retry_maximum_event_age_in_seconds" {
  description = "How long EventBridge retries delivering an approval to the hub bus before sending it to the dead-letter queue."
  type        = number
  default     = 86400

  validation {
    condition     = var.retry_maximum_event_age_in_seconds >= 60 && var.retry_maximum_event_age_in_seconds <= 86400 && floor(var.retry_maximum_event_age_in_seconds) == var.retry_maximum_event_age_in_seconds
    error_message = "The retry_maximum_event_age_in_seconds must be a whole number from 60 to 86400."
  }
}

variable "retry_maximum_retry_attempts" {
  description = "How many times EventBridge retries delivering an approval to the hub bus before sending it to the dead-letter queue."
  type        = number
  default     = 185

  validation {
    condition     = var.retry_maximum_retry_attempts >= 0 && var.retry_maximum_retry_attempts <= 185 && floor(var.retry_maximum_retry_attempts) == var.retry_maximum_retry_attempts
    error_message = "The retry_maximum_retry_attempts must be a whole number from 0 to 185."
  }
}

################################################################################
# Dead-letter queue and KMS
################################################################################

variable "dead_letter_queue_name" {
  description = "Name of the SQS dead-letter queue of the forwarding target. Null for \"<rule_name>-dlq\"."
  type        = string
  default     = null

  validation {
    condition     = var.dead_letter_queue_name == null || can(regex("^[A-Za-z0-9_-]{1,80}$", var.dead_letter_queue_name))
    error_message = "The dead_letter_queue_name must be 1-80 letters, digits, \"_\" or \"-\"."
  }
}

variable "dead_letter_queue_message_retention_seconds" {
  description = "Seconds the dead-letter queue keeps a message."
  type        = number
  default     = 1209600

  validation {
    condition     = var.dead_letter_queue_message_retention_seconds >= 60 && var.dead_letter_queue_message_retention_seconds <= 1209600 && floor(var.dead_letter_queue_message_retention_seconds) == var.dead_letter_queue_message_retention_seconds
    error_message = "The dead_letter_queue_message_retention_seconds must be a whole number from 60 to 1209600 (14 days)."
  }
}

variable "kms_key_arn" {
  description = "ARN of an existing KMS key for the dead-letter queue. Null to create a small key in this module; an existing key's policy must grant what the kms_key_policy_json output grants."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/(mrk-[a-f0-9]{32}|[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12})$", var.kms_key_arn))
    error_message = "The kms_key_arn must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<key id>), not an alias."
  }
}

variable "kms_key_alias_name" {
  description = "Alias of the KMS key the module creates, including \"alias/\". Null for \"alias/<rule_name>-dlq\". Ignored when kms_key_arn is set."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_alias_name == null || (can(regex("^alias/[a-zA-Z0-9/_-]{1,250}$", coalesce(var.kms_key_alias_name, "-"))) && !startswith(coalesce(var.kms_key_alias_name, "-"), "alias/aws/"))
    error_message = "The kms_key_alias_name must start with \"alias/\", contain only letters, digits, \"/\", \"_\" and \"-\", and must not start with \"alias/aws/\"."
  }
}

variable "kms_key_deletion_window_in_days" {
  description = "Waiting period, in days, before the module's KMS key is deleted after it is scheduled for deletion."
  type        = number
  default     = 30

  validation {
    condition     = var.kms_key_deletion_window_in_days >= 7 && var.kms_key_deletion_window_in_days <= 30 && floor(var.kms_key_deletion_window_in_days) == var.kms_key_deletion_window_in_days
    error_message = "The kms_key_deletion_window_in_days must be a whole number between 7 and 30."
  }
}

################################################################################
# Promotion-source role
################################################################################

variable "promotion_source_role_name" {
  description = "Name of the role the hub promoter assumes in this account to read approved packages and copy their artifacts into the hub (naming contract: {prefix}-promotion-source)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.promotion_source_role_name))
    error_message = "The promotion_source_role_name must be 1-64 characters from letters, digits and +=,.@_-."
  }
}

variable "hub_promoter_role_arn" {
  description = "Exact ARN of the hub promoter's execution role (the model-promotion-hub module's function_role_arn output), the only principal trusted by the promotion-source role."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}$", var.hub_promoter_role_arn)) && !strcontains(var.hub_promoter_role_arn, "*")
    error_message = "The hub_promoter_role_arn must be an exact IAM role ARN (arn:<partition>:iam::<account>:role/<name>), without wildcards."
  }
}

variable "hub_artifact_bucket_arn" {
  description = "ARN of the hub artifact bucket (naming contract: {prefix}-model-artifacts-{hub_account_id}-{region}); the promotion-source role signs the first of the promoter's two server-side copies into it and may write only under staging/<this account id>/."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.hub_artifact_bucket_arn))
    error_message = "The hub_artifact_bucket_arn must be an S3 bucket ARN (arn:<partition>:s3:::<bucket name>), without object paths."
  }
}

variable "hub_kms_key_alias_arn" {
  description = "ARN of the alias of the hub registry KMS key (naming contract: alias/{prefix}-model-registry), e.g. arn:aws:kms:eu-west-1:111111111111:alias/mlgov-model-registry; the promotion-source role may use the key behind it only through S3 in the hub region."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:alias/[a-zA-Z0-9/_-]{1,250}$", var.hub_kms_key_alias_arn)) && !strcontains(var.hub_kms_key_alias_arn, ":alias/aws/")
    error_message = "The hub_kms_key_alias_arn must be a KMS alias ARN (arn:<partition>:kms:<region>:<account>:alias/<name>) of a customer managed key, not a key ARN and not an alias/aws/ alias."
  }
}

variable "artifact_bucket_arns" {
  description = "ARNs of the S3 buckets holding this team's model artifacts, which the hub promoter may read (may be empty)."
  type        = list(string)

  validation {
    condition     = alltrue([for arn in var.artifact_bucket_arns : can(regex("^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", arn))])
    error_message = "Each artifact_bucket_arns entry must be an S3 bucket ARN (arn:<partition>:s3:::<bucket name>), without object paths."
  }
}

variable "ecr_repository_arns" {
  description = "ARNs of the ECR repositories holding this team's inference images, which the hub promoter may pull. Null for every repository of this account and region."
  type        = list(string)
  default     = null

  validation {
    condition     = var.ecr_repository_arns == null || alltrue([for arn in coalesce(var.ecr_repository_arns, []) : can(regex("^arn:aws[a-z-]*:ecr:[a-z0-9-]+:[0-9]{12}:repository/([a-z0-9]+([._/-][a-z0-9]+)*)?(/\\*|\\*)?$", arn))])
    error_message = "Each ecr_repository_arns entry must be an ECR repository ARN (arn:<partition>:ecr:<region>:<account>:repository/<name>), optionally ending in \"*\" or \"/*\"."
  }
}

variable "artifact_kms_key_arns" {
  description = "ARNs of the KMS keys encrypting the artifact buckets or repositories; the hub promoter may decrypt with them only through S3 and ECR."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.artifact_kms_key_arns : can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/(mrk-[a-f0-9]{32}|[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12})$", arn))])
    error_message = "Each artifact_kms_key_arns entry must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<key id>), not an alias."
  }
}

variable "role_permissions_boundary_arn" {
  description = "ARN of an IAM managed policy to set as the permissions boundary of both roles, or null for none."
  type        = string
  default     = null

  validation {
    condition     = var.role_permissions_boundary_arn == null || can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+$", var.role_permissions_boundary_arn))
    error_message = "The role_permissions_boundary_arn must be an IAM policy ARN (arn:<partition>:iam::<account or aws>:policy/<name>)."
  }
}
