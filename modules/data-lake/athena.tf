# The lake's Athena workgroup. Its configuration is enforced: clients cannot choose another
# results location or turn encryption off. Results go to the results bucket under athena/,
# SSE-KMS with the lake key; queries scanning more than the cutoff are cancelled.
resource "aws_athena_workgroup" "this" {
  name        = local.workgroup_name
  description = "Queries over the ${var.name} data lake (Lake Formation permissions apply)."
  state       = "ENABLED"
  tags        = local.tags

  configuration {
    enforce_workgroup_configuration    = true
    publish_cloudwatch_metrics_enabled = true
    bytes_scanned_cutoff_per_query     = var.athena_bytes_scanned_cutoff_per_query

    result_configuration {
      output_location       = "s3://${module.results_bucket.bucket_name}/athena/"
      expected_bucket_owner = local.account_id

      encryption_configuration {
        encryption_option = "SSE_KMS"
        kms_key_arn       = module.kms_key.key_arn
      }
    }
  }
}
