# The managed data-lake blueprint of V2 domains ("DataLake": Glue, Lake Formation and Athena for
# projects), enabled in this region only. The manage-access role publishes and grants; add its
# ARN (output manage_access_role_arn) to the Lake Formation administrators of the lake
# (data-lake's lake_admin_principal_arns) so that DataZone can grant on the lake's tables.
data "aws_datazone_environment_blueprint" "data_lake" {
  domain_id = aws_datazone_domain.this.id
  name      = "DataLake"
  managed   = true
}

resource "aws_datazone_environment_blueprint_configuration" "data_lake" {
  domain_id                = aws_datazone_domain.this.id
  environment_blueprint_id = data.aws_datazone_environment_blueprint.data_lake.id
  enabled_regions          = [local.region]
  manage_access_role_arn   = aws_iam_role.manage_access.arn
  provisioning_role_arn    = aws_iam_role.provisioning.arn

  regional_parameters = var.data_lake_s3_location == null ? null : {
    (local.region) = {
      S3Location = var.data_lake_s3_location
    }
  }

  depends_on = [
    aws_iam_role_policy_attachment.manage_access,
    aws_iam_role_policy_attachment.provisioning,
  ]
}
