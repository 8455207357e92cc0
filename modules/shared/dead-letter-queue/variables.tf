variable "name" {
  description = "Name of the queue."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9_-]{1,80}$", var.name))
    error_message = "name must be 1-80 letters, digits, hyphens or underscores (a standard queue); got \"${var.name}\"."
  }
}

variable "kms_key_arn" {
  description = "ARN of the customer managed KMS key that encrypts messages. Its policy must let events.amazonaws.com call kms:GenerateDataKey and kms:Decrypt for the same sources, or EventBridge cannot deliver."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>); got \"${var.kms_key_arn}\"."
  }
}

variable "eventbridge_source_arns" {
  description = "ARNs of the EventBridge rules (target dead letters) and event buses (events the bus could not encrypt or deliver) that may send to the queue."
  type        = list(string)

  validation {
    condition     = length(var.eventbridge_source_arns) > 0 && alltrue([for arn in var.eventbridge_source_arns : can(regex("^arn:aws[a-z-]*:events:[a-z0-9-]+:[0-9]{12}:(rule|event-bus)/.+$", arn))])
    error_message = "eventbridge_source_arns must name at least one EventBridge rule or event bus ARN; got ${jsonencode(var.eventbridge_source_arns)}."
  }
}

variable "message_retention_seconds" {
  description = "How long a dead letter is kept (60 s to 14 days); the default is the maximum, to leave time for a replay."
  type        = number
  default     = 1209600

  validation {
    condition     = var.message_retention_seconds >= 60 && var.message_retention_seconds <= 1209600
    error_message = "message_retention_seconds must be between 60 and 1209600 (14 days); got ${var.message_retention_seconds}."
  }
}

variable "tags" {
  description = "Tags applied to the queue."
  type        = map(string)
  default     = {}
}
