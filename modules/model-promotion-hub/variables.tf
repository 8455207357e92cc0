variable "tags" {
  description = "A map of tags to add to every taggable resource the module creates."
  type        = map(string)
  default     = {}
}

################################################################################
# Organization and who may send events
################################################################################

variable "organization_id" {
  description = "AWS Organizations id; senders must belong to it (aws:PrincipalOrgID) and assumed source roles must be in it (aws:ResourceOrgID)."
  type        = string

  validation {
    condition     = can(regex("^o-[a-z0-9]{10,32}$", var.organization_id))
    error_message = "The organization_id must be \"o-\" followed by 10 to 32 lowercase letters or digits, e.g. o-a1b2c3d4e5."
  }
}

variable "workloads_ou_path" {
  description = "Organizations entity path of the workloads OU (aws:PrincipalOrgPaths, ending in \"/\"); only principals in accounts under it may put events on the bus. Null to rely on allowed_account_ids alone."
  type        = string
  default     = null

  validation {
    condition     = var.workloads_ou_path == null || can(regex("^o-[a-z0-9]{10,32}/r-[a-z0-9]{4,32}(/ou-[a-z0-9]{4,32}-[a-z0-9]{8,32})*/$", var.workloads_ou_path))
    error_message = "The workloads_ou_path must look like \"o-exampleorg1/r-ab12/ou-ab12-11111111/\": organization id, root id, zero or more OU ids, each followed by \"/\"."
  }
}

variable "allowed_account_ids" {
  description = "Account ids allowed to put events on the bus. Empty to admit every account under workloads_ou_path; when both are set an account must satisfy both."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for id in var.allowed_account_ids : can(regex("^[0-9]{12}$", id))])
    error_message = "Each allowed_account_ids entry must be a 12-digit AWS account id."
  }

  validation {
    condition     = length(distinct(var.allowed_account_ids)) == length(var.allowed_account_ids)
    error_message = "The allowed_account_ids must not contain duplicates."
  }
}

################################################################################
# Event bus, archive, rule
################################################################################

variable "event_bus_name" {
  description = "Name of the promotion event bus (naming contract: {prefix}-model-promotion)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,256}$", var.event_bus_name)) && var.event_bus_name != "default"
    error_message = "The event_bus_name must be 1-256 letters, digits, \".\", \"_\" or \"-\", and not \"default\"."
  }
}

variable "rule_name" {
  description = "Name of the rule that sends approval events to the promoter. Null for \"<event_bus_name>-approved-models\"."
  type        = string
  default     = null

  validation {
    condition     = var.rule_name == null || can(regex("^[A-Za-z0-9._-]{1,64}$", var.rule_name))
    error_message = "The rule_name must be 1-64 letters, digits, \".\", \"_\" or \"-\"."
  }
}

variable "archive_name" {
  description = "Name of the event archive on the bus. Null for \"<event_bus_name>-archive\"."
  type        = string
  default     = null

  validation {
    condition     = var.archive_name == null || can(regex("^[A-Za-z0-9._-]{1,48}$", var.archive_name))
    error_message = "The archive_name must be 1-48 letters, digits, \".\", \"_\" or \"-\"."
  }
}

variable "archive_retention_days" {
  description = "Days the archive keeps events for replay; 0 keeps them indefinitely."
  type        = number
  default     = 365

  validation {
    condition     = var.archive_retention_days >= 0 && floor(var.archive_retention_days) == var.archive_retention_days
    error_message = "The archive_retention_days must be a whole number, 0 (indefinite) or more."
  }
}

variable "event_retry_maximum_event_age_in_seconds" {
  description = "How long EventBridge retries delivering an event to the promoter before sending it to the dead-letter queue."
  type        = number
  default     = 86400

  validation {
    condition     = var.event_retry_maximum_event_age_in_seconds >= 60 && var.event_retry_maximum_event_age_in_seconds <= 86400 && floor(var.event_retry_maximum_event_age_in_seconds) == var.event_retry_maximum_event_age_in_seconds
    error_message = "The event_retry_maximum_event_age_in_seconds must be a whole number from 60 to 86400."
  }
}

variable "event_retry_maximum_retry_attempts" {
  description = "How many times EventBridge retries delivering an event to the promoter before sending it to the dead-letter queue."
  type        = number
  default     = 185

  validation {
    condition     = var.event_retry_maximum_retry_attempts >= 0 && var.event_retry_maximum_retry_attempts <= 185 && floor(var.event_retry_maximum_retry_attempts) == var.event_retry_maximum_retry_attempts
    error_message = "The event_retry_maximum_retry_attempts must be a whole number from 0 to 185."
  }
}

################################################################################
# Dead-letter queue and KMS
################################################################################

variable "dead_letter_queue_name" {
  description = "Name of the SQS dead-letter queue shared by the rule target, the bus and the promoter's on-failure destination. Null for \"<function_name>-dlq\"."
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
  description = "ARN of an existing KMS key for the bus, archive, DLQ, logs, environment, table, parameters and topic. Null to create a key in this module; an existing key's policy must grant what the kms_key_policy_json output grants."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/(mrk-[a-f0-9]{32}|[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12})$", var.kms_key_arn))
    error_message = "The kms_key_arn must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<key id>), not an alias."
  }
}

variable "kms_key_alias_name" {
  description = "Alias of the KMS key the module creates, including \"alias/\". Null for \"alias/<event_bus_name>\". Ignored when kms_key_arn is set."
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
# Promoter Lambda
################################################################################

variable "function_name" {
  description = "Name of the promoter Lambda function (naming contract: {prefix}-model-promoter)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,64}$", var.function_name))
    error_message = "The function_name must be 1-64 letters, digits, \"_\" or \"-\"."
  }
}

variable "function_package" {
  description = "The promoter's deployment zip (its root holds the model_promoter/ package): either a local file (filename, and its base64 SHA-256 from filebase64sha256() as source_code_hash) or an object in S3 (s3_bucket, s3_key), such as the signed copy of modules/lambda-code-signing."
  type = object({
    filename         = optional(string)
    source_code_hash = optional(string)
    s3_bucket        = optional(string)
    s3_key           = optional(string)
  })

  validation {
    condition     = (var.function_package.filename != null) != (var.function_package.s3_bucket != null && var.function_package.s3_key != null)
    error_message = "The function_package must name either filename or both s3_bucket and s3_key."
  }

  validation {
    condition     = var.function_package.filename == null ? true : endswith(var.function_package.filename, ".zip")
    error_message = "The function_package.filename must be the path of a .zip file."
  }

  validation {
    condition     = var.function_package.filename == null ? var.function_package.source_code_hash == null || can(regex("^[A-Za-z0-9+/]{43}=$", var.function_package.source_code_hash)) : can(regex("^[A-Za-z0-9+/]{43}=$", var.function_package.source_code_hash))
    error_message = "The function_package.source_code_hash must be a base64-encoded SHA-256 (44 characters ending in \"=\"), e.g. filebase64sha256(filename); it is required with filename."
  }
}

variable "role_name" {
  description = "Name of the promoter's IAM execution role (naming contract: {prefix}-model-promoter)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.role_name))
    error_message = "The role_name must be 1-64 characters from letters, digits and +=,.@_-."
  }
}

variable "role_permissions_boundary_arn" {
  description = "ARN of an IAM managed policy to set as the execution role's permissions boundary, or null for none."
  type        = string
  default     = null

  validation {
    condition     = var.role_permissions_boundary_arn == null || can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+$", var.role_permissions_boundary_arn))
    error_message = "The role_permissions_boundary_arn must be an IAM policy ARN (arn:<partition>:iam::<account or aws>:policy/<name>)."
  }
}

variable "timeout" {
  description = "Function timeout in seconds; copying large artifacts needs the Lambda maximum."
  type        = number
  default     = 900

  validation {
    condition     = var.timeout >= 1 && var.timeout <= 900 && floor(var.timeout) == var.timeout
    error_message = "The timeout must be a whole number of seconds from 1 to 900."
  }
}

variable "memory_size" {
  description = "Function memory in MB (also scales CPU and network throughput for copies)."
  type        = number
  default     = 1024

  validation {
    condition     = var.memory_size >= 128 && var.memory_size <= 10240 && floor(var.memory_size) == var.memory_size
    error_message = "The memory_size must be a whole number of MB from 128 to 10240."
  }
}

variable "ephemeral_storage_size" {
  description = "Size of the function's /tmp in MB."
  type        = number
  default     = 512

  validation {
    condition     = var.ephemeral_storage_size >= 512 && var.ephemeral_storage_size <= 10240 && floor(var.ephemeral_storage_size) == var.ephemeral_storage_size
    error_message = "The ephemeral_storage_size must be a whole number of MB from 512 to 10240."
  }
}

variable "reserved_concurrent_executions" {
  description = "Concurrent executions reserved for (and capping) the promoter."
  type        = number
  default     = 5

  validation {
    condition     = var.reserved_concurrent_executions >= 1 && floor(var.reserved_concurrent_executions) == var.reserved_concurrent_executions
    error_message = "The reserved_concurrent_executions must be a whole number of at least 1."
  }
}

variable "powertools_layer_version" {
  description = "Version of the AWS-published AWSLambdaPowertoolsPythonV3-python313-arm64 layer used when powertools_layer_arn is null."
  type        = number
  default     = 27

  validation {
    condition     = var.powertools_layer_version >= 1 && floor(var.powertools_layer_version) == var.powertools_layer_version
    error_message = "The powertools_layer_version must be a whole number of at least 1."
  }
}

variable "powertools_layer_arn" {
  description = "Full ARN of the Powertools for AWS Lambda (Python) v3 layer (python3.13, arm64). Null to use the AWS-published layer of this partition and region at powertools_layer_version."
  type        = string
  default     = null

  validation {
    condition     = var.powertools_layer_arn == null || can(regex("^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:layer:[A-Za-z0-9_-]+:[0-9]+$", var.powertools_layer_arn))
    error_message = "The powertools_layer_arn must be a Lambda layer version ARN (arn:<partition>:lambda:<region>:<account>:layer:<name>:<version>)."
  }
}

variable "code_signing_config_arn" {
  description = "ARN of the Lambda code signing configuration the promoter's code must satisfy (with a signed S3 function_package, e.g. from modules/lambda-code-signing), or null for none."
  type        = string
  default     = null

  validation {
    condition     = var.code_signing_config_arn == null || can(regex("^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:code-signing-config:csc-[a-z0-9]{17}$", var.code_signing_config_arn))
    error_message = "The code_signing_config_arn must be a Lambda code signing config ARN (arn:<partition>:lambda:<region>:<account>:code-signing-config:csc-<17 characters>)."
  }
}

variable "vpc_config" {
  description = "Subnets and security groups to run the promoter in a VPC (they need routes or endpoints to STS, S3, ECR, SageMaker, SSM, DynamoDB, SQS, CloudWatch Logs and X-Ray), or null to run outside a VPC."
  type = object({
    subnet_ids         = list(string)
    security_group_ids = list(string)
  })
  default = null

  validation {
    condition = var.vpc_config == null || (
      length(try(var.vpc_config.subnet_ids, [])) > 0 &&
      length(try(var.vpc_config.security_group_ids, [])) > 0 &&
      alltrue([for id in try(var.vpc_config.subnet_ids, []) : can(regex("^subnet-[0-9a-f]{8,17}$", id))]) &&
      alltrue([for id in try(var.vpc_config.security_group_ids, []) : can(regex("^sg-[0-9a-f]{8,17}$", id))])
    )
    error_message = "The vpc_config needs at least one subnet id (subnet-...) and one security group id (sg-...)."
  }
}

variable "log_retention_in_days" {
  description = "Days the promoter's CloudWatch log group keeps events."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_in_days)
    error_message = "The log_retention_in_days must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653."
  }
}

variable "async_maximum_retry_attempts" {
  description = "How many times Lambda retries a failed asynchronous invocation before sending it to the dead-letter queue."
  type        = number
  default     = 2

  validation {
    condition     = contains([0, 1, 2], var.async_maximum_retry_attempts)
    error_message = "The async_maximum_retry_attempts must be 0, 1 or 2."
  }
}

variable "async_maximum_event_age_in_seconds" {
  description = "Maximum age of an asynchronous invocation event before Lambda sends it to the dead-letter queue."
  type        = number
  default     = 21600

  validation {
    condition     = var.async_maximum_event_age_in_seconds >= 60 && var.async_maximum_event_age_in_seconds <= 21600 && floor(var.async_maximum_event_age_in_seconds) == var.async_maximum_event_age_in_seconds
    error_message = "The async_maximum_event_age_in_seconds must be a whole number from 60 to 21600."
  }
}

################################################################################
# Dev (source) accounts and the hub registry the promoter writes to
################################################################################

variable "source_role_name" {
  description = "Name of the promotion-source role in every dev account (naming contract: {prefix}-promotion-source)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.source_role_name))
    error_message = "The source_role_name must be 1-64 characters from letters, digits and +=,.@_-."
  }
}

variable "approver_role_name_template" {
  description = "Name of the only IAM role in a dev account whose sessions (or the role itself, at any path) may approve that team's model packages, with {team} standing for the account's team in source_accounts, e.g. \"mlgov-{team}-lead-data-scientist\" (the ml-workspace module's lead data scientist persona role). The promoter refuses a package whose LastModifiedBy identity in the source registry is anything else."
  type        = string

  validation {
    condition     = strcontains(var.approver_role_name_template, "{team}") && can(regex("^([A-Za-z0-9+=,.@_-]|\\{team\\})+$", var.approver_role_name_template))
    error_message = "The approver_role_name_template is \"${var.approver_role_name_template}\"; expected an IAM role name (no path, no ARN) containing the placeholder {team} and otherwise only letters, digits and +=,.@_-, e.g. \"mlgov-{team}-lead-data-scientist\"."
  }

  validation {
    condition     = alltrue([for team in values(var.source_accounts) : length(replace(var.approver_role_name_template, "{team}", team)) <= 64])
    error_message = "The approver_role_name_template \"${var.approver_role_name_template}\" gives a role name longer than IAM's 64 characters for team(s) ${join(", ", [for team in distinct(values(var.source_accounts)) : team if length(replace(var.approver_role_name_template, "{team}", team)) > 64])}; expected a template that, with {team} replaced by each team in source_accounts, is at most 64 characters."
  }
}

variable "allowed_image_registry_accounts" {
  description = "AWS accounts whose ECR registries (in any region) a promoted model package may take images from besides its dev account's own and the hub's: by default the SageMaker built-in algorithm and framework image accounts of the commercial regions (sagemaker-xgboost, sagemaker-scikit-learn, ...) and the Deep Learning Containers account 763104351884. The promoter pins those images to their digest and needs ecr:BatchGetImage there, which this module grants; an image from any other registry is refused (PromotionsRefused, reason image-registry-not-allowed)."
  type        = list(string)
  default = [
    "683313688378", # us-east-1
    "257758044811", # us-east-2
    "746614075791", # us-west-1
    "246618743249", # us-west-2
    "651117190479", # ap-east-1
    "354813040037", # ap-northeast-1
    "366743142698", # ap-northeast-2
    "720646828776", # ap-south-1
    "121021644041", # ap-southeast-1
    "783357654285", # ap-southeast-2
    "341280168497", # ca-central-1
    "492215442770", # eu-central-1
    "662702820516", # eu-north-1
    "141502667606", # eu-west-1
    "764974769150", # eu-west-2
    "659782779980", # eu-west-3
    "801668240914", # me-south-1
    "737474898029", # sa-east-1
    "763104351884", # Deep Learning Containers, most regions
  ]

  validation {
    condition     = alltrue([for id in var.allowed_image_registry_accounts : can(regex("^[0-9]{12}$", id))])
    error_message = "Every allowed_image_registry_accounts entry must be a 12-digit AWS account id; got ${join(", ", [for id in var.allowed_image_registry_accounts : "\"${id}\"" if !can(regex("^[0-9]{12}$", id))])}."
  }

  validation {
    condition     = length(var.allowed_image_registry_accounts) <= 50
    error_message = "The allowed_image_registry_accounts list holds ${length(var.allowed_image_registry_accounts)} accounts; expected at most 50 (each is a resource of the promoter's role policy)."
  }
}

variable "metrics_namespace" {
  description = "CloudWatch namespace of the promoter's embedded metrics (ModelsPromoted, BytesCopied, AlreadyPromoted, PromotionsRefused by reason) and of the alarms on them."
  type        = string
  default     = "ModelPromotion"

  validation {
    condition     = can(regex("^[A-Za-z0-9._/#:-]{1,255}$", var.metrics_namespace)) && !startswith(var.metrics_namespace, "AWS/") && !startswith(var.metrics_namespace, ":")
    error_message = "The metrics_namespace is \"${var.metrics_namespace}\"; expected a CloudWatch namespace of 1-255 letters, digits or . - _ / # : that does not start with \"AWS/\" or \":\"."
  }
}

variable "source_accounts" {
  description = "Dev accounts that may be promoted from: 12-digit account id -> team name (the promoter sends the account's images to <image_repository_prefix>/<team>)."
  type        = map(string)

  validation {
    condition     = length(var.source_accounts) > 0
    error_message = "The source_accounts map needs at least one dev account."
  }

  validation {
    condition     = alltrue([for id in keys(var.source_accounts) : can(regex("^[0-9]{12}$", id))])
    error_message = "Every source_accounts key must be a 12-digit AWS account id."
  }

  validation {
    condition     = alltrue([for team in values(var.source_accounts) : can(regex("^[a-z][a-z0-9-]{0,30}[a-z0-9]$", team))])
    error_message = "Every source_accounts value must be a team name of 2-32 lowercase letters, digits or \"-\", starting with a letter and ending with a letter or digit."
  }
}

variable "image_repository_prefix" {
  description = "Name prefix of the hub ECR repositories that receive promoted images (naming contract: {prefix}-promoted); a team's repository is <image_repository_prefix>/<team>."
  type        = string

  # ECR repository names are at most 256 characters; "/" plus a 32-character team leaves 223.
  validation {
    condition     = can(regex("^[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*$", var.image_repository_prefix)) && length(var.image_repository_prefix) <= 223
    error_message = "The image_repository_prefix must be an ECR repository name prefix of at most 223 characters (lowercase path segments such as mlgov-promoted, without a trailing \"/\"), not a URI or ARN."
  }
}

variable "hub_artifact_bucket_arn" {
  description = "ARN of the hub artifact bucket (naming contract: {prefix}-model-artifacts-{hub_account_id}-{region}); the promoter reads the dev accounts' staged copies under staging/ and writes only under promoted/."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.hub_artifact_bucket_arn))
    error_message = "The hub_artifact_bucket_arn must be an S3 bucket ARN (arn:<partition>:s3:::<bucket name>)."
  }
}

variable "registry_kms_key_arn" {
  description = "ARN of the registry KMS key (naming contract alias: alias/{prefix}-model-registry) used for SSE-KMS on copied objects."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/(mrk-[a-f0-9]{32}|[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12})$", var.registry_kms_key_arn))
    error_message = "The registry_kms_key_arn must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<key id>), not an alias."
  }
}

variable "hub_repository_arns" {
  description = "ARNs of the hub ECR repositories that receive promoted images (naming contract: {prefix}-promoted/{team}, one per team), or one prefix pattern such as arn:aws:ecr:<region>:<hub account>:repository/<prefix>-promoted/* for many teams."
  type        = list(string)

  validation {
    condition     = length(var.hub_repository_arns) > 0 && alltrue([for arn in var.hub_repository_arns : can(regex("^arn:aws[a-z-]*:ecr:[a-z0-9-]+:[0-9]{12}:repository/[a-z0-9]+([._/-][a-z0-9]+)*(/\\*|\\*)?$", arn))])
    error_message = "The hub_repository_arns must be a non-empty list of ECR repository ARNs (arn:<partition>:ecr:<region>:<account>:repository/<name>), optionally ending in \"*\" or \"/*\" to cover a name prefix."
  }
}

################################################################################
# Idempotency table and parameters
################################################################################

variable "idempotency_table_name" {
  description = "Name of the promoter's idempotency DynamoDB table (naming contract: {prefix}-model-promoter-idempotency)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", var.idempotency_table_name))
    error_message = "The idempotency_table_name must be 3-255 letters, digits, \"_\", \".\" or \"-\"."
  }
}

variable "idempotency_table_deletion_protection" {
  description = "Whether the idempotency table is protected from deletion (its records stop replays from registering a package twice)."
  type        = bool
  default     = true
}

variable "source_accounts_parameter_name" {
  description = "Name of the SSM parameter holding the JSON source accounts map (naming contract: /{prefix}/model-promotion/source-accounts)."
  type        = string

  validation {
    condition     = can(regex("^/[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$", var.source_accounts_parameter_name)) && length(var.source_accounts_parameter_name) <= 1011
    error_message = "The source_accounts_parameter_name must be a hierarchical SSM parameter name starting with \"/\" (letters, digits, \"_\", \".\", \"-\")."
  }
}

variable "source_accounts_parameter_tier" {
  description = "SSM tier of the source accounts parameter: Advanced (8 KB) holds 163 dev accounts with 32-character team names, Standard (4 KB) 81 (see README, \"Sizes\")."
  type        = string
  default     = "Advanced"

  validation {
    condition     = contains(["Standard", "Advanced"], var.source_accounts_parameter_tier)
    error_message = "The source_accounts_parameter_tier must be \"Standard\" or \"Advanced\"."
  }
}

variable "group_policy_template_parameter_name" {
  description = "Name of the SSM parameter holding the model package group policy template (naming contract: /{prefix}/model-promotion/group-policy-template)."
  type        = string

  validation {
    condition     = can(regex("^/[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$", var.group_policy_template_parameter_name)) && length(var.group_policy_template_parameter_name) <= 1011
    error_message = "The group_policy_template_parameter_name must be a hierarchical SSM parameter name starting with \"/\" (letters, digits, \"_\", \".\", \"-\")."
  }
}

variable "group_policy_template_parameter_tier" {
  description = "SSM tier of the group policy template parameter: Standard (4 KB) or Advanced (8 KB)."
  type        = string
  default     = "Standard"

  validation {
    condition     = contains(["Standard", "Advanced"], var.group_policy_template_parameter_tier)
    error_message = "The group_policy_template_parameter_tier must be \"Standard\" or \"Advanced\"."
  }
}

variable "group_policy_template" {
  description = "Model package group resource policy template (the central-model-registry module's model_package_group_policy_template output) in which {model_package_group_name} stands for the group name."
  type        = string

  validation {
    condition     = can(jsondecode(var.group_policy_template)) && strcontains(var.group_policy_template, "{model_package_group_name}")
    error_message = "The group_policy_template must be a JSON policy document containing the literal token {model_package_group_name}."
  }
}

################################################################################
# Alarms
################################################################################

variable "alarm_topic_name" {
  description = "Name of the SNS topic that receives the promoter's alarms. Null for \"<function_name>-alarms\"."
  type        = string
  default     = null

  validation {
    condition     = var.alarm_topic_name == null || can(regex("^[A-Za-z0-9_-]{1,256}$", var.alarm_topic_name))
    error_message = "The alarm_topic_name must be 1-256 letters, digits, \"_\" or \"-\"."
  }
}

variable "alarm_email_addresses" {
  description = "Email addresses subscribed to the alarm topic (each must confirm the subscription)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for address in var.alarm_email_addresses : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", address))])
    error_message = "Each alarm_email_addresses entry must be an email address."
  }
}

variable "alarm_period_seconds" {
  description = "Period, in seconds, over which each alarm evaluates its metric."
  type        = number
  default     = 300

  validation {
    condition     = contains([60, 300, 900, 3600], var.alarm_period_seconds)
    error_message = "The alarm_period_seconds must be 60, 300, 900 or 3600."
  }
}
