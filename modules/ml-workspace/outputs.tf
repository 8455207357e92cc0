output "domain_id" {
  description = "ID of the SageMaker domain."
  value       = aws_sagemaker_domain.this.id
}

output "domain_arn" {
  description = "ARN of the SageMaker domain."
  value       = aws_sagemaker_domain.this.arn
}

output "domain_url" {
  description = "Studio URL of the domain (users sign in through IAM Identity Center in SSO mode, or a presigned URL in IAM mode)."
  value       = aws_sagemaker_domain.this.url
}

output "user_profile_arns" {
  description = "ARNs of the Studio user profiles, keyed by user profile name."
  value       = { for k, p in aws_sagemaker_user_profile.this : k => p.arn }
}

output "persona_role_arns" {
  description = "ARNs of the persona roles, keyed by persona (lead_data_scientist, data_scientist)."
  value       = { for k, r in aws_iam_role.persona : k => r.arn }
}

output "persona_role_names" {
  description = "Names of the persona roles, keyed by persona (lead_data_scientist, data_scientist)."
  value       = { for k, r in aws_iam_role.persona : k => r.name }
}

output "execution_role_arns" {
  description = "ARNs of the execution roles, keyed by studio_lead_data_scientist, studio_data_scientist (the domain default) and pipeline."
  value       = { for k, r in aws_iam_role.execution : k => r.arn }
}

output "execution_role_names" {
  description = "Names of the execution roles, keyed by studio_lead_data_scientist, studio_data_scientist and pipeline."
  value       = { for k, r in aws_iam_role.execution : k => r.name }
}

output "data_bucket_name" {
  description = "Name of the team data bucket."
  value       = module.data_bucket.bucket_name
}

output "data_bucket_arn" {
  description = "ARN of the team data bucket."
  value       = module.data_bucket.bucket_arn
}

output "artifact_bucket_name" {
  description = "Name of the model-artifact bucket (SageMaker's default bucket unless artifact_bucket_name was set); pass it to model-approval-forwarder's artifact_bucket_arns as an ARN."
  value       = module.artifact_bucket.bucket_name
}

output "artifact_bucket_arn" {
  description = "ARN of the model-artifact bucket."
  value       = module.artifact_bucket.bucket_arn
}

output "kms_key_arn" {
  description = "ARN of the team KMS key (domain EFS and volumes, both buckets, flow logs); pass it to model-approval-forwarder's artifact_kms_key_arns."
  value       = module.kms_key.key_arn
}

output "vpc_id" {
  description = "ID of the VPC the workspace runs in (created or passed in)."
  value       = local.vpc_id
}

output "subnet_ids" {
  description = "IDs of the private subnets Studio apps, jobs and the interface endpoints use."
  value       = local.subnet_ids
}

output "security_group_ids" {
  description = "IDs of the module's security groups: workspace (Studio apps, jobs, models) and vpc_endpoints (null when create_vpc_endpoints is false)."
  value = {
    workspace     = aws_security_group.workspace.id
    vpc_endpoints = var.create_vpc_endpoints ? aws_security_group.vpc_endpoints[0].id : null
  }
}

output "vpc_endpoint_ids" {
  description = "IDs of the VPC endpoints the module created, keyed by service (e.g. sagemaker.api, s3)."
  value = merge(
    { for k, e in aws_vpc_endpoint.interface : k => e.id },
    var.create_vpc_endpoints ? { s3 = aws_vpc_endpoint.s3[0].id } : {},
  )
}

output "mlflow_tracking_server_arn" {
  description = "ARN of the MLflow tracking server, or null when mlflow.enabled is false."
  value       = var.mlflow.enabled ? aws_sagemaker_mlflow_tracking_server.this[0].arn : null
}

output "mlflow_tracking_server_url" {
  description = "URL of the MLflow tracking server, or null when mlflow.enabled is false."
  value       = var.mlflow.enabled ? aws_sagemaker_mlflow_tracking_server.this[0].tracking_server_url : null
}

output "model_package_group_policy_json" {
  description = "Resource policy for the team's model package groups: the hub promoter role (inside the organization) may DescribeModelPackageGroup, DescribeModelPackage and ListModelPackages, nothing else; apply it with PutModelPackageGroupPolicy when a group is created."
  value       = data.aws_iam_policy_document.model_package_group.json
}

output "project_launch_role_arn" {
  description = "Launch role of the SageMaker projects portfolio in this account (null when sagemaker_projects is null)."
  value       = try(aws_iam_role.project_launch[0].arn, null)
}

output "project_role_arns" {
  description = "CodeBuild (build) and CodePipeline (pipeline) roles of the team's SageMaker projects (empty when sagemaker_projects is null)."
  value = local.projects_enabled ? {
    build    = aws_iam_role.project_build[0].arn
    pipeline = aws_iam_role.project_pipeline[0].arn
  } : {}
}

output "source_connection_arn" {
  description = "CodeConnections connection the projects read their repositories through; a connection created here is PENDING until its handshake is completed in the console (null when sagemaker_projects is null)."
  value       = local.source_connection_arn
}

output "project_settings_parameter_names" {
  description = "SSM parameters the SageMaker project templates read, by setting name."
  value       = { for k, p in aws_ssm_parameter.project_settings : k => p.name }
}
