variable "name_prefix" {
  description = "Prefix of every name this module creates (bucket, key alias, hub launch roles), e.g. \"mlgov\"."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,14}[a-z0-9]$", var.name_prefix))
    error_message = "name_prefix must be 2-16 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen; got \"${var.name_prefix}\"."
  }
}

variable "organization_id" {
  description = "AWS Organizations id. Only principals of this organization (and of the shared OUs) may read the published templates and seed code."
  type        = string

  validation {
    condition     = can(regex("^o-[a-z0-9]{10,32}$", var.organization_id))
    error_message = "organization_id must be \"o-\" followed by 10-32 lowercase letters or digits; got \"${var.organization_id}\"."
  }
}

variable "management_account_id" {
  description = "The organization's management account: OU shares name the OU by its ARN (arn:aws:organizations::<management account>:ou/<organization>/<ou>)."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.management_account_id))
    error_message = "management_account_id must be a 12-digit account id; got \"${var.management_account_id}\"."
  }
}

variable "workloads_ou_paths" {
  description = "Organization paths of the OUs whose accounts get the portfolios (\"o-xxx/r-xxxx/ou-xxxx-xxxxxxxx/\"). Each OU (the path's last element) receives an organization share with principal sharing; the paths also scope who may read the templates bucket (aws:PrincipalOrgPaths)."
  type        = list(string)

  validation {
    condition     = length(var.workloads_ou_paths) > 0 && alltrue([for p in var.workloads_ou_paths : can(regex("^o-[a-z0-9]{10,32}/r-[a-z0-9]{4,32}/(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}/)+$", p))])
    error_message = "workloads_ou_paths must hold at least one OU path like \"o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/\" (ending with an OU and a slash); got ${jsonencode(var.workloads_ou_paths)}."
  }
}

variable "share_to_account_ids" {
  description = "Accounts that get account shares in addition to the OU shares (e.g. an account outside the workloads OU). Account shares must be accepted in the account and do not share principals: associate principals there."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.share_to_account_ids : can(regex("^[0-9]{12}$", a))])
    error_message = "share_to_account_ids must hold 12-digit account ids; got ${jsonencode(var.share_to_account_ids)}."
  }
}

variable "portfolios" {
  description = "Display name, description and IAM_PATTERN principals of the two portfolios. The patterns are account-less role ARNs (\"arn:aws:iam:::role/<path>/<name-pattern>\") that principal sharing applies in every shared account; AWS allows at most 10 per portfolio. Anyone able to create a role whose name matches gets the portfolio: keep role creation of these names guarded (SCP of the organization stack)."
  type = object({
    ml_admin = object({
      display_name       = optional(string, "ML Admin Portfolio")
      description        = optional(string, "What a team's lead data scientist self-serves: the team ML workspace and the tools around it.")
      principal_patterns = list(string)
    })
    sagemaker_projects = object({
      display_name       = optional(string, "SageMaker Projects Portfolio")
      description        = optional(string, "SageMaker project templates (model build pipelines) offered in SageMaker Studio.")
      principal_patterns = list(string)
    })
  })

  validation {
    condition = alltrue([
      for p in [var.portfolios.ml_admin, var.portfolios.sagemaker_projects] :
      length(p.principal_patterns) >= 1 && length(p.principal_patterns) <= 10 && alltrue([
        for arn in p.principal_patterns : can(regex("^arn:aws[a-z-]*:iam:::role/[\\w+=,.@/*?-]{1,512}$", arn))
      ])
    ])
    error_message = "Each portfolio needs 1-10 principal_patterns, account-less IAM role ARNs like \"arn:aws:iam:::role/mlgov/*-studio-lead-data-scientist\" (AWS allows at most 10 IAM_PATTERN principals per portfolio)."
  }
}

variable "owner" {
  description = "Owner shown on every portfolio and product (team or contact)."
  type        = string
  default     = "ML platform team"
}

variable "support" {
  description = "Support contact shown on every product."
  type = object({
    email       = optional(string)
    url         = optional(string)
    description = optional(string)
  })
  default = {}
}

variable "products" {
  description = <<-EOT
    Products by key. `portfolio` is "ml_admin" or "sagemaker_projects"; `type` is
    CLOUD_FORMATION_TEMPLATE, EXTERNAL (Service Catalog Terraform engine) or TERRAFORM_CLOUD
    (HCP Terraform engine). `versions` lists provisioning artifacts oldest first: each names
    either a local file (`artifact_path`, uploaded to the bucket under
    products/<key>/<version>/) or an existing `template_url`. The first version is created with
    the product; every later one is a separate provisioning artifact, so a new version is added
    to the list and never replaces the product. `guidance = "DEPRECATED"` hides a version from
    new launches; `active = false` disables it. `studio_template` publishes a
    CLOUD_FORMATION_TEMPLATE product's newest active version in the Studio S3 templates
    location as <key>.yaml.
  EOT
  type = map(object({
    portfolio       = string
    type            = string
    name            = string
    description     = string
    distributor     = optional(string)
    studio_template = optional(bool, false)
    versions = list(object({
      name          = string
      description   = string
      artifact_path = optional(string)
      template_url  = optional(string)
      active        = optional(bool, true)
      guidance      = optional(string, "DEFAULT")
    }))
  }))

  validation {
    condition     = alltrue([for k, p in var.products : can(regex("^[a-z][a-z0-9-]{0,62}$", k))])
    error_message = "Product keys must be lowercase letters, digits or hyphens (they become S3 keys and Studio template names); got ${jsonencode(keys(var.products))}."
  }

  validation {
    condition     = alltrue([for p in var.products : contains(["ml_admin", "sagemaker_projects"], p.portfolio)])
    error_message = "Each product's portfolio must be \"ml_admin\" or \"sagemaker_projects\"."
  }

  validation {
    condition     = alltrue([for p in var.products : contains(["CLOUD_FORMATION_TEMPLATE", "EXTERNAL", "TERRAFORM_CLOUD"], p.type)])
    error_message = "Each product's type must be CLOUD_FORMATION_TEMPLATE, EXTERNAL or TERRAFORM_CLOUD (TERRAFORM_OPEN_SOURCE is closed to new products)."
  }

  validation {
    condition     = alltrue([for p in var.products : p.portfolio != "sagemaker_projects" || p.type == "CLOUD_FORMATION_TEMPLATE"])
    error_message = "Products of the sagemaker_projects portfolio must be CLOUD_FORMATION_TEMPLATE: SageMaker projects are CloudFormation stacks."
  }

  validation {
    condition     = alltrue([for p in var.products : !p.studio_template || p.type == "CLOUD_FORMATION_TEMPLATE"])
    error_message = "studio_template is only for CLOUD_FORMATION_TEMPLATE products (Studio's S3 templates are CloudFormation YAML)."
  }

  validation {
    condition = alltrue([
      for p in var.products : length(p.versions) >= 1 && length(distinct([for v in p.versions : v.name])) == length(p.versions)
    ])
    error_message = "Each product needs at least one version and unique version names."
  }

  validation {
    condition = alltrue(flatten([
      for p in var.products : [
        for v in p.versions : (v.artifact_path == null) != (v.template_url == null) && contains(["DEFAULT", "DEPRECATED"], v.guidance)
      ]
    ]))
    error_message = "Each version sets exactly one of artifact_path and template_url, and guidance is DEFAULT or DEPRECATED."
  }

  validation {
    condition = alltrue(flatten([
      for p in var.products : [for v in p.versions : v.template_url == null || can(regex("^https://", coalesce(v.template_url, "x")))]
    ]))
    error_message = "A version's template_url must be an https:// URL of the artifact in S3."
  }
}

variable "launch_role_names" {
  description = "Names of the launch roles (LocalRoleName launch constraints) per portfolio. Service Catalog assumes the role of this name in the account where a product is launched, so it must exist in the hub and in every shared account: the ml-workspace module creates the SageMaker projects one; the ML admin one comes with the account baseline (see ml_admin_launch_role_policy_json)."
  type = object({
    ml_admin           = string
    sagemaker_projects = string
  })

  validation {
    condition     = alltrue([for n in [var.launch_role_names.ml_admin, var.launch_role_names.sagemaker_projects] : can(regex("^[\\w+=,.@-]{1,64}$", n))])
    error_message = "launch_role_names must be IAM role names (1-64 characters of letters, digits and +=,.@_-), without a path: LocalRoleName names a role at path /."
  }
}

variable "create_hub_launch_roles" {
  description = "Create the launch roles in this (hub) account, where Service Catalog requires them to exist for the constraints. They hold no permissions here: products are launched in the workloads accounts."
  type        = bool
  default     = true
}

variable "terraform_engine_role_arn_pattern" {
  description = "ARN pattern of the Service Catalog Terraform engine's execution role in this account; the ML admin launch role (hub copy and the rendered policy for the spokes) trusts it for EXTERNAL products. Null for the reference engine's default (role path /TerraformEngine/, name TerraformExecutionRole*)."
  type        = string
  default     = null
}

variable "tag_options" {
  description = "TagOptions per tag key: the values a person must choose from when launching a product of either portfolio (e.g. { \"mlgov:team\" = [\"team-a\", \"team-b\"] })."
  type        = map(list(string))
  default     = {}

  validation {
    condition     = alltrue([for k, vs in var.tag_options : length(k) <= 128 && length(vs) > 0 && alltrue([for v in vs : length(v) >= 1 && length(v) <= 256])])
    error_message = "tag_options keys are at most 128 characters and each needs 1 or more values of 1-256 characters."
  }
}

variable "studio_templates_prefix" {
  description = "Prefix (folder) of the Studio S3 templates location in the bucket; the ml-workspace domains are tagged with s3://<bucket>/<prefix>."
  type        = string
  default     = "templates/"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9/_-]*/$", var.studio_templates_prefix))
    error_message = "studio_templates_prefix must be a folder like \"templates/\" (lowercase, ending with a slash); got \"${var.studio_templates_prefix}\"."
  }
}

variable "seed_code" {
  description = "Seed code bundles (zip files) published under seed-code/<key>.zip for the workloads OU, the content a new project repository starts with. Map of key to local path."
  type        = map(string)
  default     = {}
}

variable "publishing_pipeline" {
  description = <<-EOT
    The pipeline that publishes new product versions from the portfolio repository, or null for
    none. A push to `branch` of `repository_id` ("owner/repo", read through CodeConnections: an
    existing `connection_arn`, or a connection created for `provider_type`, PENDING until its
    handshake is completed in the console) runs a lint build (cfn-lint on every CloudFormation
    source; a Terraform source must be a directory of .tf files) and a publish build that adds a
    version to each product whose content changed. `product_sources` maps product keys to paths
    in the repository (a template file, or a directory for EXTERNAL/TERRAFORM_CLOUD products);
    `seed_code_sources` maps seed code keys to directories. With the pipeline, the Studio
    templates and seed code of those products are written by the pipeline, not by Terraform.
  EOT
  type = object({
    repository_id     = string
    branch            = optional(string, "main")
    connection_arn    = optional(string)
    provider_type     = optional(string, "GitHub")
    product_sources   = map(string)
    seed_code_sources = optional(map(string), {})
    cfn_lint_version  = optional(string, "1.58.0")
    codebuild_image   = optional(string, "aws/codebuild/amazonlinux-x86_64-standard:5.0")
  })
  default = null

  validation {
    condition     = var.publishing_pipeline == null || can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+$", try(var.publishing_pipeline.repository_id, "")))
    error_message = "publishing_pipeline.repository_id must be \"owner/repository\" (GitHub, GitLab or Bitbucket full repository id)."
  }

  validation {
    condition     = var.publishing_pipeline == null || contains(["GitHub", "GitHubEnterpriseServer", "GitLab", "GitLabSelfManaged", "Bitbucket"], try(var.publishing_pipeline.provider_type, ""))
    error_message = "publishing_pipeline.provider_type must be GitHub, GitHubEnterpriseServer, GitLab, GitLabSelfManaged or Bitbucket (CodeConnections; CodeCommit is not offered)."
  }

  validation {
    condition     = var.publishing_pipeline == null || alltrue([for k in keys(try(var.publishing_pipeline.product_sources, {})) : contains(keys(var.products), k)])
    error_message = "publishing_pipeline.product_sources must name keys of var.products."
  }

  validation {
    condition     = var.publishing_pipeline == null || can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+$", try(var.publishing_pipeline.cfn_lint_version, "")))
    error_message = "publishing_pipeline.cfn_lint_version must be an exact version such as 1.58.0."
  }
}

variable "log_retention_in_days" {
  description = "Retention of the publishing builds' logs."
  type        = number
  default     = 365
}

variable "bucket_name" {
  description = "Name of the bucket holding product artifacts, Studio templates and seed code. Null for \"<name_prefix>-portfolio-artifacts-<account>-<region>\"."
  type        = string
  default     = null
}

variable "access_log_bucket_name" {
  description = "Bucket receiving the server access logs of the artifacts bucket, or null for none."
  type        = string
  default     = null
}

variable "kms_key_deletion_window_in_days" {
  description = "Waiting period before the bucket's KMS key is deleted."
  type        = number
  default     = 30

  validation {
    condition     = var.kms_key_deletion_window_in_days >= 7 && var.kms_key_deletion_window_in_days <= 30
    error_message = "kms_key_deletion_window_in_days must be between 7 and 30."
  }
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
