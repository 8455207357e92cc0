# The lake settings the SageMaker project templates read (lake and feature-store model builds):
# pipeline jobs assume the Athena role and query through the team's workgroup.
locals {
  project_settings = var.project_settings_parameter_path == null ? {} : {
    "athena-role-arn"  = aws_iam_role.athena.arn
    "athena-workgroup" = aws_athena_workgroup.this.name
  }
}

resource "aws_ssm_parameter" "project_settings" {
  #checkov:skip=CKV2_AWS_34:A role ARN and a workgroup name, no secrets; CloudFormation parameter types (AWS::SSM::Parameter::Value) cannot read SecureString parameters.
  for_each = local.project_settings

  name        = "${var.project_settings_parameter_path}${each.key}"
  description = "SageMaker project templates of ${var.name}: ${each.key}."
  type        = "String"
  value       = each.value

  tags = local.tags
}
