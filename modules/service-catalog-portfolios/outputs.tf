output "portfolio_ids" {
  description = "Portfolio ids by key (ml_admin, sagemaker_projects)."
  value       = { for k, p in aws_servicecatalog_portfolio.this : k => p.id }
}

output "portfolio_arns" {
  description = "Portfolio ARNs by key (ml_admin, sagemaker_projects)."
  value       = { for k, p in aws_servicecatalog_portfolio.this : k => p.arn }
}

output "product_ids" {
  description = "Product ids by product key."
  value       = { for k, p in aws_servicecatalog_product.this : k => p.id }
}

output "provisioning_artifact_ids" {
  description = "Ids of the versions added after each product's first (aws_servicecatalog_provisioning_artifact), by product key and version name."
  value = {
    for key in keys(var.products) : key => {
      for id, v in local.additional_versions : v.name => aws_servicecatalog_provisioning_artifact.this[id].provisioning_artifact_id if v.product == key
    }
  }
}

output "launch_role_names" {
  description = "Launch role names per portfolio (LocalRoleName of the launch constraints): the role of this name must exist in every account that launches the portfolio's products."
  value       = var.launch_role_names
}

output "ml_admin_launch_role_trust_policy_json" {
  description = "Trust policy for the ML admin launch role in each workloads account (account baseline): Service Catalog, and the hub's Terraform engine from inside the organization when the portfolio has EXTERNAL products."
  value       = data.aws_iam_policy_document.launch_assume["ml_admin"].json
}

output "principal_patterns" {
  description = "IAM_PATTERN principals associated with each portfolio (applied in every shared account by principal sharing)."
  value       = { for k in local.portfolio_keys : k => var.portfolios[k].principal_patterns }
}

output "shared_organizational_unit_ids" {
  description = "OUs each portfolio is shared to (organization shares with principal sharing)."
  value       = local.workloads_ou_ids
}

output "bucket_name" {
  description = "Bucket holding product artifacts, Studio templates and seed code."
  value       = module.artifacts_bucket.bucket_name
}

output "bucket_arn" {
  description = "ARN of the artifacts bucket."
  value       = module.artifacts_bucket.bucket_arn
}

output "kms_key_arn" {
  description = "KMS key of the artifacts bucket."
  value       = module.kms_key.key_arn
}

output "studio_templates_s3_location" {
  description = "The Studio S3 templates location (s3://<bucket>/<prefix>): tag each SageMaker domain with it (ml-workspace's project_templates_s3_location)."
  value       = "s3://${module.artifacts_bucket.bucket_name}/${var.studio_templates_prefix}"
}

output "studio_template_keys" {
  description = "Object keys of the Studio templates by product key."
  value       = { for k, o in aws_s3_object.studio_template : k => o.key }
}

output "seed_code_s3_uris" {
  description = "S3 URIs of the published seed code bundles by key."
  value       = { for k, o in aws_s3_object.seed_code : k => "s3://${module.artifacts_bucket.bucket_name}/${o.key}" }
}

output "publishing_pipeline_name" {
  description = "Name of the publishing pipeline (null without publishing_pipeline)."
  value       = try(aws_codepipeline.publishing[0].name, null)
}

output "publishing_connection_arn" {
  description = "CodeConnections connection of the portfolio repository: a connection created here is PENDING until its handshake is completed in the console (null without publishing_pipeline)."
  value       = local.publishing_connection_arn
}

output "ml_admin_launch_role_policy_json" {
  description = "Permissions of the ML admin launch role for the account baseline: create, change and delete a team ML workspace (names under name_prefix, EC2 and KMS resources tagged mlgov:component = ml-workspace), the Terraform engine's resource groups, and Service Catalog's artifact copies."
  value       = data.aws_iam_policy_document.ml_admin_launch.json
}
