# The launch form: only strings, which the Service Catalog console and API accept as
# provisioning parameters.

variable "team" {
  description = "Team name (2-32 lowercase letters, digits or '-'); the workspace is <prefix>-<team>."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,30}[a-z0-9]$", var.team)) && !endswith(var.team, "-lead") && !endswith(var.team, "-studio")
    error_message = "team must be 2-32 lowercase letters, digits or '-', not ending in -lead or -studio; got \"${var.team}\"."
  }
}

variable "vpc_cidr" {
  description = "CIDR block of the workspace's new ML VPC (/16 to /24), e.g. 10.40.0.0/16."
  type        = string
}

variable "availability_zones" {
  description = "Two or three availability zones of the region, comma-separated, e.g. \"eu-west-1a,eu-west-1b\"."
  type        = string
}

variable "auth_mode" {
  description = "How people open Studio: SSO (IAM Identity Center) or IAM."
  type        = string
  default     = "SSO"
}

variable "lead_data_scientist_principal_arns" {
  description = "Comma-separated exact role ARNs (e.g. permission-set roles) that may assume the lead data scientist persona role."
  type        = string
}

variable "data_scientist_principal_arns" {
  description = "Comma-separated exact role ARNs that may assume the data scientist persona role."
  type        = string
}

variable "project_source_provider" {
  description = "Git host of the team's SageMaker project repositories (CodeConnections): GitHub, GitHubEnterpriseServer, GitLab, GitLabSelfManaged or Bitbucket."
  type        = string
  default     = "GitHub"
}

variable "mlflow_tracking_server_size" {
  description = "Size of the team's SageMaker MLflow tracking server (Small, Medium, Large), or None."
  type        = string
  default     = "Small"

  validation {
    condition     = contains(["None", "Small", "Medium", "Large"], var.mlflow_tracking_server_size)
    error_message = "mlflow_tracking_server_size must be None, Small, Medium or Large; got \"${var.mlflow_tracking_server_size}\"."
  }
}
