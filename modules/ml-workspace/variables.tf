variable "name" {
  description = "Team workspace name (e.g. \"mlgov-team-a\"): prefixes every resource name and the SageMaker resources (model package groups, pipelines, projects, endpoints, feature groups) the team's roles may create."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,22}[a-z0-9]$", var.name))
    error_message = "name must be 2-24 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen; got \"${var.name}\"."
  }
}

variable "organization_id" {
  description = "AWS Organizations id; persona roles may be assumed only by principals of this organization (aws:PrincipalOrgID)."
  type        = string

  validation {
    condition     = can(regex("^o-[a-z0-9]{10,32}$", var.organization_id))
    error_message = "organization_id must be \"o-\" followed by 10-32 lowercase letters or digits; got \"${var.organization_id}\"."
  }
}

variable "tags" {
  description = "Tags applied to every taggable resource of the module."
  type        = map(string)
  default     = {}
}

################################################################################
# Network
################################################################################

variable "create_vpc" {
  description = "Whether to create an ML VPC (private subnets only, no internet gateway unless enable_internet_egress); false attaches to vpc_id and subnet_ids."
  type        = bool
  default     = false
}

variable "vpc_cidr" {
  description = "IPv4 CIDR block of the ML VPC when create_vpc is true (a /16 to /24); each private subnet takes one quarter of it, the NAT subnets (enable_internet_egress) split the last quarter."
  type        = string
  default     = null

  validation {
    condition = var.vpc_cidr == null || (
      can(cidrhost(coalesce(var.vpc_cidr, "0.0.0.0/32"), 0)) &&
      can(regex("^[0-9.]+/(1[6-9]|2[0-4])$", coalesce(var.vpc_cidr, "x")))
    )
    error_message = "vpc_cidr must be an IPv4 CIDR block with a prefix length from /16 to /24; got \"${coalesce(var.vpc_cidr, "null")}\"."
  }

  validation {
    condition     = !var.create_vpc || var.vpc_cidr != null
    error_message = "vpc_cidr is required when create_vpc is true."
  }
}

variable "availability_zones" {
  description = "Two or three availability zones of the provider's region (e.g. [\"eu-central-1a\", \"eu-central-1b\"]) for the created VPC's private subnets (create_vpc = true only)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for z in var.availability_zones : can(regex("^[a-z]{2}(-[a-z]+)+-[0-9][a-z]$", z))])
    error_message = "availability_zones must contain zone names such as eu-central-1a; not: ${join(", ", [for z in var.availability_zones : z if !can(regex("^[a-z]{2}(-[a-z]+)+-[0-9][a-z]$", z))])}."
  }

  validation {
    condition     = var.create_vpc ? length(distinct(var.availability_zones)) == length(var.availability_zones) && contains([2, 3], length(var.availability_zones)) : length(var.availability_zones) == 0
    error_message = "availability_zones must name two or three distinct zones when create_vpc is true, and be empty otherwise; got [${join(", ", var.availability_zones)}]."
  }
}

variable "enable_internet_egress" {
  description = "Whether workspace apps and jobs may reach the internet on HTTPS: opens 443 to 0.0.0.0/0 in the workspace security group and, with create_vpc, adds an internet gateway and one NAT gateway per AZ. Default: no egress."
  type        = bool
  default     = false
}

variable "enable_flow_logs" {
  description = "Whether the created VPC sends flow logs (all traffic) to a CloudWatch log group encrypted with the team key; ignored when create_vpc is false."
  type        = bool
  default     = true
}

variable "flow_log_retention_in_days" {
  description = "Retention of the VPC flow log group, in days."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.flow_log_retention_in_days)
    error_message = "flow_log_retention_in_days must be a CloudWatch Logs retention value (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653); got ${var.flow_log_retention_in_days}."
  }
}

variable "vpc_id" {
  description = "Existing VPC to attach the workspace to when create_vpc is false (needs DNS support and DNS hostnames for private DNS of the interface endpoints)."
  type        = string
  default     = null

  validation {
    condition     = var.vpc_id == null || can(regex("^vpc-[0-9a-f]{8,17}$", coalesce(var.vpc_id, "x")))
    error_message = "vpc_id must be a VPC id such as vpc-0123456789abcdef0; got \"${coalesce(var.vpc_id, "null")}\"."
  }

  validation {
    condition     = var.create_vpc || var.vpc_id != null
    error_message = "vpc_id is required when create_vpc is false."
  }

  validation {
    condition     = !var.create_vpc || var.vpc_id == null
    error_message = "vpc_id must be null when create_vpc is true (the module creates the VPC)."
  }
}

variable "subnet_ids" {
  description = "Private subnets of vpc_id, in at least two different availability zones, for Studio apps, jobs and the interface endpoints (create_vpc = false only)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for s in var.subnet_ids : can(regex("^subnet-[0-9a-f]{8,17}$", s))])
    error_message = "subnet_ids must contain subnet ids such as subnet-0123456789abcdef0; not: ${join(", ", [for s in var.subnet_ids : s if !can(regex("^subnet-[0-9a-f]{8,17}$", s))])}."
  }

  validation {
    condition     = var.create_vpc ? length(var.subnet_ids) == 0 : length(distinct(var.subnet_ids)) >= 2
    error_message = "subnet_ids must list at least two distinct subnets when create_vpc is false, and must be empty when create_vpc is true; got ${length(var.subnet_ids)}."
  }
}

variable "route_table_ids" {
  description = "Route tables of subnet_ids that the S3 gateway endpoint is associated with (create_vpc = false and create_vpc_endpoints = true only)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for r in var.route_table_ids : can(regex("^rtb-[0-9a-f]{8,17}$", r))])
    error_message = "route_table_ids must contain route table ids such as rtb-0123456789abcdef0; not: ${join(", ", [for r in var.route_table_ids : r if !can(regex("^rtb-[0-9a-f]{8,17}$", r))])}."
  }

  validation {
    condition     = var.create_vpc || !var.create_vpc_endpoints || length(var.route_table_ids) > 0
    error_message = "route_table_ids is required with an existing VPC when create_vpc_endpoints is true (the S3 gateway endpoint is added to these route tables)."
  }
}

variable "create_vpc_endpoints" {
  description = "Whether to create the interface VPC endpoints Studio needs in VpcOnly mode and the S3 gateway endpoint; set false when the existing VPC already has them."
  type        = bool
  default     = true
}

variable "additional_vpc_endpoint_services" {
  description = "Extra interface endpoint services, named after the region part (e.g. \"codeartifact.api\", \"codeartifact.repositories\", \"athena\", \"glue\", \"lakeformation\", \"bedrock-runtime\", \"sagemaker.studio\")."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for s in var.additional_vpc_endpoint_services : can(regex("^[a-z0-9-]+(\\.[a-z0-9-]+)*$", s))])
    error_message = "additional_vpc_endpoint_services entries must be service names without the com.amazonaws.<region>. prefix, such as codeartifact.api; not: ${join(", ", [for s in var.additional_vpc_endpoint_services : s if !can(regex("^[a-z0-9-]+(\\.[a-z0-9-]+)*$", s))])}."
  }

  validation {
    condition     = !contains(var.additional_vpc_endpoint_services, "s3")
    error_message = "additional_vpc_endpoint_services must not contain \"s3\": the module always creates the S3 gateway endpoint."
  }
}

################################################################################
# SageMaker domain and users
################################################################################

variable "domain_name" {
  description = "Name of the SageMaker domain; null for the workspace name."
  type        = string
  default     = null

  validation {
    condition     = var.domain_name == null || can(regex("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$", coalesce(var.domain_name, "x")))
    error_message = "domain_name must be 1-63 letters, digits or hyphens, starting and ending with a letter or digit; got \"${coalesce(var.domain_name, "null")}\"."
  }
}

variable "auth_mode" {
  description = "How users sign in to Studio: \"SSO\" (IAM Identity Center; user profiles bound to Identity Center user names) or \"IAM\" (presigned URLs created with the persona roles)."
  type        = string
  default     = "SSO"

  validation {
    condition     = contains(["SSO", "IAM"], var.auth_mode)
    error_message = "auth_mode must be \"SSO\" or \"IAM\"; got \"${var.auth_mode}\"."
  }
}

variable "idle_shutdown" {
  description = "Idle shutdown of JupyterLab and Code Editor apps in minutes: the default timeout and the range users may choose from."
  type = object({
    idle_timeout_in_minutes     = optional(number, 60)
    min_idle_timeout_in_minutes = optional(number, 60)
    max_idle_timeout_in_minutes = optional(number, 240)
  })
  default = {}

  validation {
    condition = (
      var.idle_shutdown.min_idle_timeout_in_minutes >= 60 &&
      var.idle_shutdown.min_idle_timeout_in_minutes <= var.idle_shutdown.idle_timeout_in_minutes &&
      var.idle_shutdown.idle_timeout_in_minutes <= var.idle_shutdown.max_idle_timeout_in_minutes &&
      var.idle_shutdown.max_idle_timeout_in_minutes <= 525600
    )
    error_message = "idle_shutdown needs 60 <= min_idle_timeout_in_minutes <= idle_timeout_in_minutes <= max_idle_timeout_in_minutes <= 525600; got ${var.idle_shutdown.min_idle_timeout_in_minutes} <= ${var.idle_shutdown.idle_timeout_in_minutes} <= ${var.idle_shutdown.max_idle_timeout_in_minutes}."
  }
}

variable "space_storage" {
  description = "EBS volume size of Studio spaces in GB: the default and the maximum users may choose."
  type = object({
    default_ebs_volume_size_in_gb = optional(number, 5)
    maximum_ebs_volume_size_in_gb = optional(number, 100)
  })
  default = {}

  validation {
    condition = (
      var.space_storage.default_ebs_volume_size_in_gb >= 5 &&
      var.space_storage.default_ebs_volume_size_in_gb <= var.space_storage.maximum_ebs_volume_size_in_gb &&
      var.space_storage.maximum_ebs_volume_size_in_gb <= 16384
    )
    error_message = "space_storage needs 5 <= default_ebs_volume_size_in_gb <= maximum_ebs_volume_size_in_gb <= 16384; got ${var.space_storage.default_ebs_volume_size_in_gb} and ${var.space_storage.maximum_ebs_volume_size_in_gb}."
  }
}

variable "home_efs_retention" {
  description = "What happens to the domain's home EFS file system when the domain is deleted: \"Retain\" or \"Delete\". Retained, its mount targets stay in the subnets (see the README, Removing a workspace)."
  type        = string
  default     = "Retain"

  validation {
    condition     = contains(["Retain", "Delete"], var.home_efs_retention)
    error_message = "home_efs_retention must be \"Retain\" or \"Delete\"; got \"${var.home_efs_retention}\"."
  }
}

variable "enable_domain_resource_isolation" {
  description = "Whether the execution roles are denied updating, deleting or stopping SageMaker resources tagged with another domain's ARN (sagemaker:domain-arn), for accounts that host more than one domain."
  type        = bool
  default     = true
}

variable "project_templates_s3_location" {
  description = "S3 location of the SageMaker project templates (CloudFormation YAML) offered in Studio, e.g. \"s3://mlgov-project-templates-111111111111/templates/\"; set as the domain tag sagemaker:projectS3TemplatesLocation. Null for none."
  type        = string
  default     = null

  validation {
    condition     = var.project_templates_s3_location == null || can(regex("^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/[^\\s]*)?$", coalesce(var.project_templates_s3_location, "x")))
    error_message = "project_templates_s3_location must be an s3://<bucket>/<prefix> URI or null; got \"${coalesce(var.project_templates_s3_location, "null")}\"."
  }
}

variable "sagemaker_projects" {
  description = <<-EOT
    What the SageMaker project templates of the shared portfolio need in this account, or null
    for none. `launch_role_name` is the LocalRoleName of the portfolio's launch constraints (the
    hub's name for it); the role is created here, trusted by Service Catalog and (for the Studio
    S3 templates) CloudFormation, and may create only the team's project resources. Git
    repositories are reached through a CodeConnections connection: created here for
    `source_provider_type` (GitHub, GitLab, Bitbucket, ...; it stays PENDING until someone
    completes the handshake in the console), or an existing `source_connection_arn`.
    `athena_role_arn`: the team's lake role (data-lake-consumer) that pipeline jobs assume to
    query the data lake and the feature store's offline store. Settings the templates read are
    written as SSM parameters under `settings_parameter_path`.
  EOT
  type = object({
    launch_role_name        = string
    source_provider_type    = optional(string, "GitHub")
    source_connection_arn   = optional(string)
    athena_role_arn         = optional(string)
    settings_parameter_path = optional(string, "/mlgov/project-settings/")
  })
  default = null

  validation {
    condition     = var.sagemaker_projects == null || can(regex("^[\\w+=,.@-]{1,64}$", try(var.sagemaker_projects.launch_role_name, "")))
    error_message = "sagemaker_projects.launch_role_name must be an IAM role name without a path (LocalRoleName names a role at path /)."
  }

  validation {
    condition     = var.sagemaker_projects == null || contains(["GitHub", "GitHubEnterpriseServer", "GitLab", "GitLabSelfManaged", "Bitbucket"], try(var.sagemaker_projects.source_provider_type, ""))
    error_message = "sagemaker_projects.source_provider_type must be GitHub, GitHubEnterpriseServer, GitLab, GitLabSelfManaged or Bitbucket (CodeConnections providers; CodeCommit is not offered)."
  }

  validation {
    condition     = var.sagemaker_projects == null || try(var.sagemaker_projects.source_connection_arn, null) == null || can(regex("^arn:aws[a-z-]*:code(connections|star-connections):[a-z0-9-]+:[0-9]{12}:connection/[0-9a-f-]{36}$", try(var.sagemaker_projects.source_connection_arn, "")))
    error_message = "sagemaker_projects.source_connection_arn must be a CodeConnections connection ARN (arn:aws:codeconnections:<region>:<account>:connection/<uuid>) or null."
  }

  validation {
    condition     = var.sagemaker_projects == null || try(var.sagemaker_projects.athena_role_arn, null) == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}$", try(var.sagemaker_projects.athena_role_arn, "")))
    error_message = "sagemaker_projects.athena_role_arn must be an exact IAM role ARN or null."
  }

  validation {
    condition     = var.sagemaker_projects == null || can(regex("^(/[a-zA-Z0-9_.-]+)+/$", try(var.sagemaker_projects.settings_parameter_path, "")))
    error_message = "sagemaker_projects.settings_parameter_path must be an SSM path like \"/mlgov/project-settings/\" (leading and trailing slash)."
  }
}

variable "users" {
  description = "Studio user profiles, keyed by user profile name: persona (\"lead_data_scientist\" or \"data_scientist\") selects the execution role, sso_user_name the IAM Identity Center user (required with auth_mode SSO, not allowed with IAM)."
  type = map(object({
    persona       = string
    sso_user_name = optional(string)
  }))
  default = {}

  validation {
    condition     = alltrue([for k, _ in var.users : can(regex("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$", k))])
    error_message = "users keys must be user profile names of 1-63 letters, digits or hyphens; not: ${join(", ", [for k, _ in var.users : k if !can(regex("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$", k))])}."
  }

  validation {
    condition     = alltrue([for _, u in var.users : contains(["lead_data_scientist", "data_scientist"], u.persona)])
    error_message = "users[*].persona must be \"lead_data_scientist\" or \"data_scientist\"; not: ${join(", ", [for k, u in var.users : "${k} = \"${u.persona}\"" if !contains(["lead_data_scientist", "data_scientist"], u.persona)])}."
  }

  validation {
    condition     = var.auth_mode != "SSO" || alltrue([for _, u in var.users : u.sso_user_name != null])
    error_message = "Every user needs sso_user_name when auth_mode is \"SSO\"; missing for: ${join(", ", [for k, u in var.users : k if u.sso_user_name == null])}."
  }

  validation {
    condition     = var.auth_mode != "IAM" || alltrue([for _, u in var.users : u.sso_user_name == null])
    error_message = "sso_user_name must not be set when auth_mode is \"IAM\"; set for: ${join(", ", [for k, u in var.users : k if u.sso_user_name != null])}."
  }

  validation {
    condition     = alltrue([for _, u in var.users : u.sso_user_name == null || can(regex("^[\\w+=,.@-]{1,128}$", coalesce(u.sso_user_name, "x")))])
    error_message = "users[*].sso_user_name must be 1-128 characters of letters, digits and _+=,.@-; not: ${join(", ", [for k, u in var.users : k if u.sso_user_name != null && !can(regex("^[\\w+=,.@-]{1,128}$", coalesce(u.sso_user_name, "x")))])}."
  }
}

################################################################################
# IAM
################################################################################

variable "lead_data_scientist_trusted_principal_arns" {
  description = "Exact IAM role or user ARNs (e.g. IAM Identity Center permission-set roles) allowed to assume the lead data scientist persona role, which may approve or reject the team's model packages."
  type        = list(string)

  validation {
    condition     = length(var.lead_data_scientist_trusted_principal_arns) > 0 && alltrue([for a in var.lead_data_scientist_trusted_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/[A-Za-z0-9+=,.@_/-]+$", a))])
    error_message = "lead_data_scientist_trusted_principal_arns must list at least one exact IAM role or user ARN (no wildcards, no account roots); not: ${join(", ", [for a in var.lead_data_scientist_trusted_principal_arns : a if !can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/[A-Za-z0-9+=,.@_/-]+$", a))])}."
  }
}

variable "data_scientist_trusted_principal_arns" {
  description = "Exact IAM role or user ARNs (e.g. IAM Identity Center permission-set roles) allowed to assume the data scientist persona role, which can register but never approve model packages."
  type        = list(string)

  validation {
    condition     = length(var.data_scientist_trusted_principal_arns) > 0 && alltrue([for a in var.data_scientist_trusted_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/[A-Za-z0-9+=,.@_/-]+$", a))])
    error_message = "data_scientist_trusted_principal_arns must list at least one exact IAM role or user ARN (no wildcards, no account roots); not: ${join(", ", [for a in var.data_scientist_trusted_principal_arns : a if !can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/[A-Za-z0-9+=,.@_/-]+$", a))])}."
  }
}

variable "permissions_boundary_arn" {
  description = "ARN of an IAM managed policy set as the permissions boundary of every role the module creates, or null for none."
  type        = string
  default     = null

  validation {
    condition     = var.permissions_boundary_arn == null || can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+$", coalesce(var.permissions_boundary_arn, "x")))
    error_message = "permissions_boundary_arn must be an IAM policy ARN (arn:<partition>:iam::<account or aws>:policy/<name>) or null; got \"${coalesce(var.permissions_boundary_arn, "null")}\"."
  }
}

variable "role_path" {
  description = "IAM path of every role and managed policy the module creates."
  type        = string
  default     = "/"

  validation {
    condition     = can(regex("^/([\\x21-\\x7E]{0,510}/)?$", var.role_path)) && !strcontains(var.role_path, "//")
    error_message = "role_path must start and end with \"/\" and contain printable ASCII characters, e.g. \"/\" or \"/ml/team-a/\"; got \"${var.role_path}\"."
  }
}

################################################################################
# Storage and KMS
################################################################################

variable "data_bucket_name" {
  description = "Name of the team data bucket; null for \"<name>-data-<account id>-<region>\"."
  type        = string
  default     = null

  validation {
    condition     = var.data_bucket_name == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", coalesce(var.data_bucket_name, "x")))
    error_message = "data_bucket_name must be a valid S3 bucket name or null; got \"${coalesce(var.data_bucket_name, "null")}\"."
  }
}

variable "artifact_bucket_name" {
  description = "Name of the model-artifact bucket; null for SageMaker's default bucket \"sagemaker-<region>-<account id>\", which the hub's promoter reads by default."
  type        = string
  default     = null

  validation {
    condition     = var.artifact_bucket_name == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", coalesce(var.artifact_bucket_name, "x")))
    error_message = "artifact_bucket_name must be a valid S3 bucket name or null; got \"${coalesce(var.artifact_bucket_name, "null")}\"."
  }
}

variable "access_log_bucket_name" {
  description = "Existing bucket, in the same account and region as the team buckets, that receives their S3 server access logs, or null for none."
  type        = string
  default     = null

  validation {
    condition     = var.access_log_bucket_name == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", coalesce(var.access_log_bucket_name, "x")))
    error_message = "access_log_bucket_name must be a valid S3 bucket name or null; got \"${coalesce(var.access_log_bucket_name, "null")}\"."
  }
}

variable "noncurrent_version_expiration_days" {
  description = "Days after which noncurrent object versions in the team buckets are deleted."
  type        = number
  default     = 90

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1 && floor(var.noncurrent_version_expiration_days) == var.noncurrent_version_expiration_days
    error_message = "noncurrent_version_expiration_days must be a whole number of at least 1; got ${var.noncurrent_version_expiration_days}."
  }
}

variable "kms_key_deletion_window_in_days" {
  description = "Waiting period, in days, before the team KMS key is deleted after it is scheduled for deletion."
  type        = number
  default     = 30

  validation {
    condition     = var.kms_key_deletion_window_in_days >= 7 && var.kms_key_deletion_window_in_days <= 30 && floor(var.kms_key_deletion_window_in_days) == var.kms_key_deletion_window_in_days
    error_message = "kms_key_deletion_window_in_days must be a whole number from 7 to 30; got ${var.kms_key_deletion_window_in_days}."
  }
}

################################################################################
# Registry and MLflow
################################################################################

variable "hub_promoter_role_arn" {
  description = "Exact ARN of the hub's model promoter role (model-promotion-hub output function_role_arn); model_package_group_policy_json lets only this role read the team's model package groups cross-account."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}$", var.hub_promoter_role_arn))
    error_message = "hub_promoter_role_arn must be an exact IAM role ARN (arn:<partition>:iam::<account>:role/<name>), without wildcards; got \"${var.hub_promoter_role_arn}\"."
  }
}

variable "mlflow" {
  description = "Optional SageMaker MLflow tracking server (own role, artifact store under mlflow/ in the artifact bucket): enabled, size (Small, Medium, Large), MLflow version, automatic registration into the team registry (always as PendingManualApproval) and weekly maintenance window (e.g. \"Sun:03:00\")."
  type = object({
    enabled                         = optional(bool, false)
    tracking_server_size            = optional(string, "Small")
    mlflow_version                  = optional(string)
    automatic_model_registration    = optional(bool, false)
    weekly_maintenance_window_start = optional(string)
  })
  default = {}

  validation {
    condition     = contains(["Small", "Medium", "Large"], var.mlflow.tracking_server_size)
    error_message = "mlflow.tracking_server_size must be \"Small\", \"Medium\" or \"Large\"; got \"${var.mlflow.tracking_server_size}\"."
  }

  validation {
    condition     = var.mlflow.mlflow_version == null || can(regex("^[0-9]+\\.[0-9]+(\\.[0-9]+)?$", coalesce(var.mlflow.mlflow_version, "x")))
    error_message = "mlflow.mlflow_version must look like 2.16 or 2.16.2, or be null; got \"${coalesce(var.mlflow.mlflow_version, "null")}\"."
  }

  validation {
    condition     = var.mlflow.weekly_maintenance_window_start == null || can(regex("^(Mon|Tue|Wed|Thu|Fri|Sat|Sun):([01][0-9]|2[0-3]):[0-5][0-9]$", coalesce(var.mlflow.weekly_maintenance_window_start, "x")))
    error_message = "mlflow.weekly_maintenance_window_start must look like \"Sun:03:00\" (Mon-Sun, 24-hour UTC time) or be null; got \"${coalesce(var.mlflow.weekly_maintenance_window_start, "null")}\"."
  }
}
