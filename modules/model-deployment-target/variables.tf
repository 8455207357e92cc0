variable "stage" {
  description = "Deployment stage this account serves: \"test\" (pre-prod) or \"prod\"."
  type        = string

  validation {
    condition     = contains(["test", "prod"], var.stage)
    error_message = "stage must be \"test\" or \"prod\"."
  }
}

variable "name_prefix" {
  description = "Platform name prefix (e.g. \"mlgov\"); SageMaker models, endpoint configs and endpoints the deploy role may manage must start with `{name_prefix}-`."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,19}$", var.name_prefix))
    error_message = "name_prefix must be 2-20 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "organization_id" {
  description = "AWS Organizations id that the pipeline's CodeBuild roles must belong to (aws:PrincipalOrgID)."
  type        = string

  validation {
    condition     = can(regex("^o-[a-z0-9]{10,32}$", var.organization_id))
    error_message = "organization_id must look like o- followed by 10-32 lowercase letters or digits."
  }
}

variable "hub_account_id" {
  description = "Account id of the ML Shared Services hub that hosts the central registry and the deployment pipeline."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.hub_account_id))
    error_message = "hub_account_id must be a 12-digit AWS account id."
  }
}

variable "hub_region" {
  description = "Region of the hub's central model registry; defaults to this account's provider region."
  type        = string
  default     = null

  validation {
    condition     = var.hub_region == null || can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.hub_region))
    error_message = "hub_region must be an AWS region name such as eu-central-1, or null."
  }
}

variable "deploy_role_name" {
  description = "Name of the deploy role the pipeline assumes (naming contract: `{prefix}-model-deployer`)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.deploy_role_name))
    error_message = "deploy_role_name must be 1-64 characters of letters, digits and +=,.@_-."
  }
}

variable "execution_role_name" {
  description = "Name of the SageMaker endpoint execution role (naming contract: `{prefix}-endpoint-execution`)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.execution_role_name))
    error_message = "execution_role_name must be 1-64 characters of letters, digits and +=,.@_-."
  }
}

variable "target_config_parameter_name" {
  description = "Name of the SSM parameter in this account that publishes target_config as JSON for the deploy CLI (naming contract: `/{prefix}/model-deployment/target-config`)."
  type        = string

  validation {
    condition     = can(regex("^/[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+){0,14}$", var.target_config_parameter_name)) && length(var.target_config_parameter_name) <= 940
    error_message = "target_config_parameter_name must be a hierarchical SSM parameter name: a leading /, 1-15 levels of letters, digits and _.-, at most 940 characters."
  }

  validation {
    condition     = !can(regex("^/(?i:aws|ssm)", var.target_config_parameter_name))
    error_message = "target_config_parameter_name must not start with /aws or /ssm (reserved by AWS, case-insensitive)."
  }
}

variable "pipeline_codebuild_role_arns" {
  description = "Exact ARNs of the hub pipeline's CodeBuild roles for this stage (model-deployment-pipeline output codebuild_role_arns[stage]); the only principals that may assume the deploy role."
  type        = list(string)

  validation {
    condition     = length(var.pipeline_codebuild_role_arns) > 0 && alltrue([for a in var.pipeline_codebuild_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$", a))])
    error_message = "pipeline_codebuild_role_arns must list at least one exact IAM role ARN (no wildcards)."
  }

  validation {
    condition     = alltrue([for a in var.pipeline_codebuild_role_arns : split(":", a)[4] == var.hub_account_id])
    error_message = "Every pipeline CodeBuild role must live in the hub account (hub_account_id)."
  }
}

variable "hub_ecr_repository_arns" {
  description = "ARNs of the hub ECR repositories holding promoted images (`{prefix}-promoted/{team}`) that endpoints may pull; one ending in `/*` covers a namespace (`.../repository/{prefix}-promoted/*`, a fixed-size policy whatever the number of teams)."
  type        = list(string)

  validation {
    condition     = length(var.hub_ecr_repository_arns) > 0
    error_message = "hub_ecr_repository_arns must list at least one ECR repository ARN."
  }

  validation {
    condition     = alltrue([for a in var.hub_ecr_repository_arns : can(regex("^arn:aws[a-z-]*:ecr:[a-z0-9-]+:[0-9]{12}:repository/[a-z0-9][a-z0-9._/-]*[a-z0-9](/\\*)?$", a))])
    error_message = "Each hub_ecr_repository_arns entry must be an ECR repository ARN (arn:<partition>:ecr:<region>:<account>:repository/<name>), optionally ending in \"/*\" for a namespace; not: ${join(", ", [for a in var.hub_ecr_repository_arns : a if !can(regex("^arn:aws[a-z-]*:ecr:[a-z0-9-]+:[0-9]{12}:repository/[a-z0-9][a-z0-9._/-]*[a-z0-9](/\\*)?$", a))])}."
  }

  validation {
    condition     = alltrue([for a in var.hub_ecr_repository_arns : split(":", a)[4] == var.hub_account_id])
    error_message = "Every ECR repository must live in the hub account (hub_account_id)."
  }
}

variable "hub_artifact_bucket_arn" {
  description = "ARN of the hub artifact bucket (`{prefix}-model-artifacts-{hub account}-{region}`); endpoints read only its `promoted/` prefix."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.hub_artifact_bucket_arn))
    error_message = "hub_artifact_bucket_arn must be an S3 bucket ARN (arn:aws:s3:::name)."
  }
}

variable "vpc_id" {
  description = "VPC in which the VPC-mode endpoints run (the endpoint security group is created here)."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]{8,17}$", var.vpc_id))
    error_message = "vpc_id must be a VPC id such as vpc-0123456789abcdef0."
  }
}

variable "subnet_ids" {
  description = "Private subnets (in var.vpc_id) for the endpoints' network interfaces; the deploy role can only create models in these."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) > 0 && alltrue([for s in var.subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))])
    error_message = "subnet_ids must list at least one subnet id such as subnet-0123456789abcdef0."
  }
}

variable "endpoint_egress_cidr_blocks" {
  description = "IPv4 CIDR blocks the endpoints may reach on HTTPS (where the interface VPC endpoints live); defaults to the VPC's primary CIDR."
  type        = list(string)
  default     = null

  validation {
    condition     = var.endpoint_egress_cidr_blocks == null ? true : alltrue([for c in var.endpoint_egress_cidr_blocks : can(cidrhost(c, 0)) && c != "0.0.0.0/0"])
    error_message = "endpoint_egress_cidr_blocks must be valid IPv4 CIDR blocks and must not include 0.0.0.0/0."
  }
}

variable "allow_s3_gateway_egress" {
  description = "Whether the endpoint security group allows HTTPS to the regional S3 prefix list (needed with an S3 gateway VPC endpoint)."
  type        = bool
  default     = true
}

variable "endpoint_name" {
  description = "Name of the endpoint this stage hosts (`{name_prefix}-{central model package group}`); alarms watch it and it is passed to the deploy CLI."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$", var.endpoint_name)) && startswith(var.endpoint_name, "${var.name_prefix}-")
    error_message = "endpoint_name must be a SageMaker endpoint name (max 63 letters, digits, hyphens) starting with \"{name_prefix}-\"."
  }
}

variable "variant_name" {
  description = "Production variant name the deploy CLI uses for the endpoint (alarm dimension VariantName)."
  type        = string
  default     = "AllTraffic"

  validation {
    condition     = can(regex("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$", var.variant_name))
    error_message = "variant_name must be 1-63 letters, digits or hyphens."
  }
}

variable "instance_type" {
  description = "SageMaker instance type of the endpoint variant."
  type        = string
  default     = "ml.m5.large"

  validation {
    condition     = can(regex("^ml\\.[a-z0-9-]+\\.[a-z0-9]+$", var.instance_type))
    error_message = "instance_type must be a SageMaker instance type such as ml.m5.large."
  }
}

variable "initial_instance_count" {
  description = "Initial instance count of the endpoint variant; defaults to 1 in test and 2 in prod (two instances spread over AZs)."
  type        = number
  default     = null

  validation {
    condition     = var.initial_instance_count == null ? true : var.initial_instance_count >= 1
    error_message = "initial_instance_count must be at least 1."
  }
}

variable "autoscaling" {
  description = "Prod endpoint autoscaling settings emitted in target_config (the deploy CLI registers the scalable target); ignored in test."
  type = object({
    min_capacity                    = optional(number, 2)
    max_capacity                    = optional(number, 4)
    target_invocations_per_instance = optional(number, 100)
  })
  default = {}

  validation {
    condition = (
      var.autoscaling.min_capacity >= 1 &&
      var.autoscaling.max_capacity >= var.autoscaling.min_capacity &&
      var.autoscaling.target_invocations_per_instance > 0
    )
    error_message = "autoscaling needs min_capacity >= 1, max_capacity >= min_capacity and target_invocations_per_instance > 0."
  }
}

variable "alarm_thresholds" {
  description = "Overrides of the guardrail alarm settings; unset fields take the stage defaults (prod is stricter)."
  type = object({
    invocation_5xx_errors      = optional(number)
    model_latency_microseconds = optional(number)
    period_seconds             = optional(number)
    evaluation_periods         = optional(number)
    datapoints_to_alarm        = optional(number)
  })
  default = {}

  validation {
    condition = alltrue([
      var.alarm_thresholds.invocation_5xx_errors == null ? true : var.alarm_thresholds.invocation_5xx_errors >= 1,
      var.alarm_thresholds.model_latency_microseconds == null ? true : var.alarm_thresholds.model_latency_microseconds > 0,
      var.alarm_thresholds.period_seconds == null ? true : contains([10, 30, 60, 120, 300, 600, 900, 3600], var.alarm_thresholds.period_seconds),
      var.alarm_thresholds.evaluation_periods == null ? true : var.alarm_thresholds.evaluation_periods >= 1,
      var.alarm_thresholds.datapoints_to_alarm == null ? true : var.alarm_thresholds.datapoints_to_alarm >= 1,
    ])
    error_message = "Alarm thresholds must be positive, period_seconds one of 10, 30, 60, 120, 300, 600, 900, 3600, and counts at least 1."
  }
}

variable "alarm_actions" {
  description = "SNS topic ARNs notified when a guardrail alarm changes to ALARM or OK."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.alarm_actions : can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]+$", a))])
    error_message = "alarm_actions must contain SNS topic ARNs."
  }
}

variable "data_capture_bucket_name" {
  description = "Optional name of the data-capture bucket; defaults to `{name_prefix}-data-capture-{account id}-{region}`."
  type        = string
  default     = null

  validation {
    condition     = var.data_capture_bucket_name == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.data_capture_bucket_name))
    error_message = "data_capture_bucket_name must be a valid S3 bucket name or null."
  }
}

variable "data_capture_retention_days" {
  description = "Days after which captured inference data expires."
  type        = number
  default     = 365

  validation {
    condition     = var.data_capture_retention_days > 30
    error_message = "data_capture_retention_days must be more than 30 (objects move to STANDARD_IA after 30 days)."
  }
}

variable "access_log_bucket_name" {
  description = "Optional existing bucket that receives S3 server access logs of the data-capture bucket."
  type        = string
  default     = null

  validation {
    condition     = var.access_log_bucket_name == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.access_log_bucket_name))
    error_message = "access_log_bucket_name must be a valid S3 bucket name or null."
  }
}

variable "kms_key_deletion_window_in_days" {
  description = "Waiting period before the endpoint KMS key is deleted after destroy."
  type        = number
  default     = 30

  validation {
    condition     = var.kms_key_deletion_window_in_days >= 7 && var.kms_key_deletion_window_in_days <= 30
    error_message = "kms_key_deletion_window_in_days must be between 7 and 30."
  }
}

variable "tags" {
  description = "Tags applied to every resource of the module."
  type        = map(string)
  default     = {}
}
