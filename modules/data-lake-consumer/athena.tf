# The team's workgroup for the lake: its settings override the clients' (results location,
# SSE_KMS under the results key, bytes-scanned cutoff), and it publishes CloudWatch metrics.
resource "aws_athena_workgroup" "this" {
  name        = local.workgroup_name
  description = "${var.name}: queries on the data lake's shared databases (resource links ${var.resource_link_prefix}*)."
  state       = "ENABLED"

  # Not force-destroyed: Athena refuses to delete a workgroup that still holds named queries.
  force_destroy = false

  configuration {
    enforce_workgroup_configuration    = true
    publish_cloudwatch_metrics_enabled = true
    bytes_scanned_cutoff_per_query     = var.athena_bytes_scanned_cutoff_per_query
    requester_pays_enabled             = false

    result_configuration {
      output_location       = "s3://${module.results_bucket.bucket_name}/${local.results_prefix}/"
      expected_bucket_owner = local.account_id

      encryption_configuration {
        encryption_option = "SSE_KMS"
        kms_key_arn       = local.results_kms_key
      }
    }
  }

  tags = local.tags
}
