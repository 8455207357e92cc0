variable "name" {
  description = "Name of the deployment pipeline (naming contract: `{prefix}-model-deployment`); also prefixes the pipeline's roles, projects, function, queue and topic."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,39}$", var.name))
    error_message = "name must be 2-40 characters of lowercase letters, digits and hyphens, starting with a letter or digit."
  }
}

variable "organization_id" {
  description = "AWS Organizations id whose principals may assume the ML engineer and governance officer roles (aws:PrincipalOrgID)."
  type        = string

  validation {
    condition     = can(regex("^o-[a-z0-9]{10,32}$", var.organization_id))
    error_message = "organization_id must look like o- followed by 10-32 lowercase letters or digits."
  }
}

variable "deployment_targets" {
  description = "Per-stage deployment target (keys exactly \"test\" and \"prod\") with only values known before the target stacks exist; the deploy CLI reads the rest from the target account's SSM parameter, and any override set here wins."
  type = map(object({
    account_id                   = string
    region                       = optional(string)
    deploy_role_arn              = string
    target_config_parameter_name = string
    endpoint_name                = optional(string)
    instance_type                = optional(string)
    initial_instance_count       = optional(number)
    autoscaling = optional(object({
      min_capacity                    = number
      max_capacity                    = number
      target_invocations_per_instance = number
    }))
  }))

  validation {
    condition     = length(var.deployment_targets) == 2 && alltrue([for k in keys(var.deployment_targets) : contains(["test", "prod"], k)])
    error_message = "deployment_targets must have exactly the keys \"test\" and \"prod\"."
  }

  validation {
    condition     = alltrue([for t in values(var.deployment_targets) : can(regex("^[0-9]{12}$", t.account_id))])
    error_message = "Each deployment target's account_id must be a 12-digit AWS account id."
  }

  validation {
    condition     = alltrue([for t in values(var.deployment_targets) : t.region == null ? true : can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", t.region))])
    error_message = "Each deployment target's region must be an AWS region name such as eu-central-1, or unset (the pipeline's region)."
  }

  validation {
    condition = alltrue([for t in values(var.deployment_targets) :
      can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}$", t.deploy_role_arn)) && try(split(":", t.deploy_role_arn)[4] == t.account_id, false)
    ])
    error_message = "Each deployment target's deploy_role_arn must be an IAM role ARN (no wildcards) in that target's account_id."
  }

  validation {
    condition = alltrue([for t in values(var.deployment_targets) :
      can(regex("^/[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+){0,14}$", t.target_config_parameter_name)) && length(t.target_config_parameter_name) <= 940 && !can(regex("^/(?i:aws|ssm)", t.target_config_parameter_name))
    ])
    error_message = "Each target_config_parameter_name must be a hierarchical SSM parameter name (leading /, 1-15 levels of letters, digits and _.-, at most 940 characters, not under /aws or /ssm)."
  }

  validation {
    condition     = length(distinct([for t in values(var.deployment_targets) : t.account_id])) == length(var.deployment_targets)
    error_message = "test and prod must be different accounts (each stage's CodeBuild role may assume only its own account's deploy role)."
  }

  validation {
    condition     = alltrue([for t in values(var.deployment_targets) : t.endpoint_name == null ? true : can(regex("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$", t.endpoint_name))])
    error_message = "endpoint_name overrides must be SageMaker endpoint names (1-63 letters, digits, hyphens)."
  }

  validation {
    condition = alltrue([for t in values(var.deployment_targets) :
      (t.instance_type == null ? true : can(regex("^ml\\.[a-z0-9-]+\\.[a-z0-9]+$", t.instance_type))) &&
      (t.initial_instance_count == null ? true : t.initial_instance_count >= 1)
    ])
    error_message = "instance_type overrides must be SageMaker instance types such as ml.m5.large and initial_instance_count overrides at least 1."
  }

  validation {
    condition = alltrue([for t in values(var.deployment_targets) : t.autoscaling == null ? true : (
      t.autoscaling.min_capacity >= 1 && t.autoscaling.max_capacity >= t.autoscaling.min_capacity && t.autoscaling.target_invocations_per_instance > 0
    )])
    error_message = "autoscaling needs min_capacity >= 1, max_capacity >= min_capacity and target_invocations_per_instance > 0."
  }

  validation {
    condition     = alltrue([for k, t in var.deployment_targets : k == "prod" || t.autoscaling == null])
    error_message = "autoscaling may only be set for prod: the test account's deploy role cannot register scalable targets."
  }
}

variable "tooling_package" {
  description = "Tooling bundle to upload as the pipeline's Source: a zip whose root holds the `mlgov/` package (this repository's `mlgov/`) and, for the default `codebuild_install_commands`, the `wheelhouse/` of its dependencies; and its base64 SHA-256 (filebase64sha256)."
  type = object({
    filename         = string
    source_code_hash = string
  })

  validation {
    condition     = endswith(var.tooling_package.filename, ".zip") && length(var.tooling_package.source_code_hash) > 0
    error_message = "tooling_package.filename must be a .zip file and source_code_hash must not be empty."
  }
}

variable "tooling_object_key" {
  description = "S3 key of the tooling bundle in the artifact bucket (the Source action's S3ObjectKey)."
  type        = string
  default     = "tooling/mlgov-tooling.zip"

  validation {
    condition     = endswith(var.tooling_object_key, ".zip") && !startswith(var.tooling_object_key, "/")
    error_message = "tooling_object_key must be a relative key ending in .zip."
  }
}

variable "integration_test_payloads_path" {
  description = "Path, relative to the tooling bundle's root, of the JSON Lines payload file passed to `mlgov test-endpoint --payloads`."
  type        = string
  default     = "mlgov/payloads/default.jsonl"

  validation {
    condition     = length(var.integration_test_payloads_path) > 0 && !startswith(var.integration_test_payloads_path, "/") && !strcontains(var.integration_test_payloads_path, "..")
    error_message = "integration_test_payloads_path must be a non-empty relative path inside the bundle (no leading / and no ..)."
  }
}

variable "trigger_function_package" {
  description = "Deployment zip of the pipeline trigger Lambda (root contains the `pipeline_trigger/` package): either a local file (filename and its base64 SHA-256 as source_code_hash) or an object in S3 (s3_bucket, s3_key), such as the signed copy of modules/lambda-code-signing."
  type = object({
    filename         = optional(string)
    source_code_hash = optional(string)
    s3_bucket        = optional(string)
    s3_key           = optional(string)
  })

  validation {
    condition     = (var.trigger_function_package.filename != null) != (var.trigger_function_package.s3_bucket != null && var.trigger_function_package.s3_key != null)
    error_message = "trigger_function_package must name either filename or both s3_bucket and s3_key."
  }

  validation {
    condition     = var.trigger_function_package.filename == null ? true : try(endswith(var.trigger_function_package.filename, ".zip") && length(var.trigger_function_package.source_code_hash) > 0, false)
    error_message = "trigger_function_package.filename must be a .zip file, with a non-empty source_code_hash."
  }
}

variable "trigger_function_layers" {
  description = "Lambda layer version ARNs for the trigger function (for example the Powertools for AWS Lambda (Python) v3 arm64 layer)."
  type        = list(string)
  default     = []

  validation {
    condition     = length(var.trigger_function_layers) <= 5 && alltrue([for l in var.trigger_function_layers : can(regex("^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:layer:[A-Za-z0-9_-]+:[0-9]+$", l))])
    error_message = "trigger_function_layers must hold at most 5 Lambda layer version ARNs."
  }
}

variable "trigger_function_reserved_concurrent_executions" {
  description = "Reserved concurrency of the trigger function; approvals are rare, so a small cap protects the account's concurrency pool."
  type        = number
  default     = 2

  validation {
    condition     = var.trigger_function_reserved_concurrent_executions >= 1
    error_message = "trigger_function_reserved_concurrent_executions must be at least 1."
  }
}

variable "trigger_function_code_signing_config_arn" {
  description = "Lambda code signing configuration the trigger's code must satisfy (with a signed S3 trigger_function_package, e.g. from modules/lambda-code-signing), or null for none."
  type        = string
  default     = null

  validation {
    condition     = var.trigger_function_code_signing_config_arn == null || can(regex("^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:code-signing-config:csc-[a-z0-9]+$", var.trigger_function_code_signing_config_arn))
    error_message = "trigger_function_code_signing_config_arn must be a Lambda code signing config ARN or null."
  }
}

variable "trigger_function_vpc_config" {
  description = "Optional VPC attachment of the trigger function (it needs a route or VPC endpoint to the CodePipeline API)."
  type = object({
    subnet_ids         = list(string)
    security_group_ids = list(string)
  })
  default = null

  validation {
    condition = var.trigger_function_vpc_config == null ? true : (
      length(var.trigger_function_vpc_config.subnet_ids) > 0 && length(var.trigger_function_vpc_config.security_group_ids) > 0
    )
    error_message = "trigger_function_vpc_config needs at least one subnet id and one security group id."
  }
}

variable "trigger_model_package_group_name_prefixes" {
  description = "Optional central model package group name prefixes the trigger rule matches; empty matches every group in the hub registry."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for p in var.trigger_model_package_group_name_prefixes : can(regex("^[a-zA-Z0-9-]{1,63}$", p))])
    error_message = "Each prefix must be 1-63 letters, digits or hyphens (model package group name characters)."
  }
}

variable "trigger_event_retry_policy" {
  description = "Retry policy of the rule target delivering approval events to the trigger function; undeliverable events go to the dead-letter queue."
  type = object({
    maximum_event_age_in_seconds = optional(number, 3600)
    maximum_retry_attempts       = optional(number, 8)
  })
  default = {}

  validation {
    condition = (
      var.trigger_event_retry_policy.maximum_event_age_in_seconds >= 60 && var.trigger_event_retry_policy.maximum_event_age_in_seconds <= 86400 &&
      var.trigger_event_retry_policy.maximum_retry_attempts >= 0 && var.trigger_event_retry_policy.maximum_retry_attempts <= 185
    )
    error_message = "maximum_event_age_in_seconds must be 60-86400 and maximum_retry_attempts 0-185."
  }
}

variable "codebuild_role_names" {
  description = "Optional names of the CodeBuild roles per stage; defaults are `{name}-codebuild-test` and `{name}-codebuild-prod` (the target accounts trust these exact ARNs)."
  type = object({
    test = optional(string)
    prod = optional(string)
  })
  default = {}

  validation {
    condition     = alltrue([for n in [var.codebuild_role_names.test, var.codebuild_role_names.prod] : n == null ? true : can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", n))])
    error_message = "CodeBuild role names must be 1-64 characters of letters, digits and +=,.@_-."
  }
}

variable "codebuild_environment" {
  description = "Build environment of the CodeBuild projects: image, environment type, compute type and the Python runtime version selected in the buildspec."
  type = object({
    image          = optional(string, "aws/codebuild/amazonlinux-x86_64-standard:5.0")
    type           = optional(string, "LINUX_CONTAINER")
    compute_type   = optional(string, "BUILD_GENERAL1_SMALL")
    python_version = optional(string, "3.12")
  })
  default = {}

  validation {
    condition     = contains(["LINUX_CONTAINER", "ARM_CONTAINER"], var.codebuild_environment.type) && can(regex("^BUILD_GENERAL1_", var.codebuild_environment.compute_type))
    error_message = "codebuild_environment.type must be LINUX_CONTAINER or ARM_CONTAINER and compute_type a BUILD_GENERAL1_* size."
  }
}

variable "codebuild_install_commands" {
  description = "Install-phase commands of every build; they must provide the CLI's runtime dependencies (boto3) to the build's Python. The default installs them offline from the tooling bundle's `wheelhouse/` (wheels plus a hash-pinned `requirements.txt`; no package index), so the bundle must carry one; commands that read `wheelhouse/` are preceded by a check that `wheelhouse/requirements.txt` exists."
  type        = list(string)
  default     = ["python -m pip install --quiet --no-cache-dir --no-index --no-deps --require-hashes --find-links \"$CODEBUILD_SRC_DIR/wheelhouse\" -r \"$CODEBUILD_SRC_DIR/wheelhouse/requirements.txt\""]
}

variable "codebuild_build_timeout_in_minutes" {
  description = "Build timeout of each CodeBuild project; a blue/green prod deploy waits for endpoint creation plus the bake time."
  type        = number
  default     = 120

  validation {
    condition     = var.codebuild_build_timeout_in_minutes >= 5 && var.codebuild_build_timeout_in_minutes <= 2160
    error_message = "codebuild_build_timeout_in_minutes must be between 5 and 2160."
  }
}

variable "codebuild_vpc_config" {
  description = "Optional VPC for the builds (they need routes or VPC endpoints to STS and SageMaker in the target accounts' region)."
  type = object({
    vpc_id             = string
    subnet_ids         = list(string)
    security_group_ids = list(string)
  })
  default = null

  validation {
    condition = var.codebuild_vpc_config == null ? true : (
      can(regex("^vpc-[0-9a-f]+$", var.codebuild_vpc_config.vpc_id)) &&
      length(var.codebuild_vpc_config.subnet_ids) > 0 && length(var.codebuild_vpc_config.security_group_ids) > 0
    )
    error_message = "codebuild_vpc_config needs a vpc-... id, at least one subnet id and at least one security group id."
  }
}

variable "ml_engineer_role_name" {
  description = "Name of the ML engineer role (naming contract: `{prefix}-ml-engineer`)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.ml_engineer_role_name))
    error_message = "ml_engineer_role_name must be 1-64 characters of letters, digits and +=,.@_-."
  }
}

variable "ml_engineer_trusted_principal_arns" {
  description = "Exact IAM principal ARNs (for example Identity Center permission-set roles) allowed to assume the ML engineer role."
  type        = list(string)

  validation {
    condition     = length(var.ml_engineer_trusted_principal_arns) > 0 && alltrue([for a in var.ml_engineer_trusted_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/[A-Za-z0-9+=,.@_/-]+$", a))])
    error_message = "ml_engineer_trusted_principal_arns must list at least one exact IAM role or user ARN (no wildcards, no account roots)."
  }
}

variable "governance_officer_role_name" {
  description = "Name of the governance officer role (naming contract: `{prefix}-governance-officer`)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.governance_officer_role_name))
    error_message = "governance_officer_role_name must be 1-64 characters of letters, digits and +=,.@_-."
  }
}

variable "governance_officer_trusted_principal_arns" {
  description = "Exact IAM principal ARNs allowed to assume the governance officer role; keep them disjoint from the ML engineer's."
  type        = list(string)

  validation {
    condition     = length(var.governance_officer_trusted_principal_arns) > 0 && alltrue([for a in var.governance_officer_trusted_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/[A-Za-z0-9+=,.@_/-]+$", a))])
    error_message = "governance_officer_trusted_principal_arns must list at least one exact IAM role or user ARN (no wildcards, no account roots)."
  }

  validation {
    condition     = length(setintersection(toset(var.governance_officer_trusted_principal_arns), toset(var.ml_engineer_trusted_principal_arns))) == 0
    error_message = "A principal may not assume both the ML engineer and the governance officer role (separation of duties)."
  }
}

variable "approval_notification_emails" {
  description = "Email addresses subscribed to the production approval topic (each must confirm the subscription)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for e in var.approval_notification_emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", e))])
    error_message = "approval_notification_emails must contain email addresses."
  }
}

variable "artifact_bucket_name" {
  description = "Optional name of the artifact bucket; defaults to `{name}-artifacts-{account id}-{region}`."
  type        = string
  default     = null

  validation {
    condition     = var.artifact_bucket_name == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.artifact_bucket_name))
    error_message = "artifact_bucket_name must be a valid S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)."
  }
}

variable "access_log_bucket_name" {
  description = "Optional existing bucket that receives S3 server access logs of the artifact bucket (for example the organization's log archive)."
  type        = string
  default     = null

  validation {
    condition     = var.access_log_bucket_name == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.access_log_bucket_name))
    error_message = "access_log_bucket_name must be a valid S3 bucket name or null."
  }
}

variable "artifact_noncurrent_version_expiration_days" {
  description = "Days after which noncurrent versions of artifacts and tooling bundles are deleted."
  type        = number
  default     = 90

  validation {
    condition     = var.artifact_noncurrent_version_expiration_days >= 1
    error_message = "artifact_noncurrent_version_expiration_days must be at least 1."
  }
}

variable "log_retention_in_days" {
  description = "Retention of the CodeBuild and trigger function log groups."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_in_days)
    error_message = "log_retention_in_days must be a CloudWatch Logs retention value (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653)."
  }
}

variable "kms_key_deletion_window_in_days" {
  description = "Waiting period before the pipeline's KMS key is deleted after destroy."
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

variable "tooling_writer_role_arns" {
  description = "Roles that alone may write or delete the tooling bundle (the role applying this module), as aws:PrincipalArn patterns; every other object of the artifact bucket is then writable only by the pipeline's service role and these. Null leaves writes to IAM."
  type        = list(string)
  default     = null

  validation {
    condition     = var.tooling_writer_role_arns == null || alltrue([for a in coalesce(var.tooling_writer_role_arns, []) : can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|\\*):role/", a))])
    error_message = "tooling_writer_role_arns must be role ARN patterns (arn:aws:iam::<account>:role/<name>); got ${jsonencode(var.tooling_writer_role_arns)}."
  }
}
