output "oidc_provider_arn" {
  description = "ARN of the IAM OIDC identity provider for HCP Terraform (created here or passed in)."
  value       = local.oidc_provider_arn
}

output "plan_role_arn" {
  description = "Role that plan-phase runs assume: the read-only plan role, or the single run role without separate_plan_role."
  value       = aws_iam_role.run[var.separate_plan_role ? "plan" : "run"].arn
}

output "apply_role_arn" {
  description = "Role that apply-phase runs assume: the apply role, or the single run role without separate_plan_role."
  value       = aws_iam_role.run[var.separate_plan_role ? "apply" : "run"].arn
}

output "role_names" {
  description = "Names of the roles by run phase key (plan and apply, or run)."
  value       = { for key, role in aws_iam_role.run : key => role.name }
}

output "workspace_environment_variables" {
  description = "Environment variables that make a listed workspace's runs use these roles (TFC_AWS_PROVIDER_AUTH and the role ARNs; the audience when it is not HCP Terraform's default). None is secret."
  value = merge(
    { TFC_AWS_PROVIDER_AUTH = "true" },
    var.separate_plan_role ? {
      TFC_AWS_PLAN_ROLE_ARN  = aws_iam_role.run["plan"].arn
      TFC_AWS_APPLY_ROLE_ARN = aws_iam_role.run["apply"].arn
      } : {
      TFC_AWS_RUN_ROLE_ARN = aws_iam_role.run["run"].arn
    },
    var.audience == "aws.workload.identity" ? {} : { TFC_AWS_WORKLOAD_IDENTITY_AUDIENCE = var.audience },
  )
}
