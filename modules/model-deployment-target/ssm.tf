locals {
  # The deploy CLI's target config (naming contract's JSON shape). Several
  # values (security group id, key ARN) exist only after this stack is applied,
  # and the hub stack is applied first and never reads this stack's state, so
  # the config is published here and read at deploy time through the deploy role.
  target_config = {
    stage                  = var.stage
    account_id             = local.account_id
    region                 = local.region
    deploy_role_arn        = aws_iam_role.deploy.arn
    execution_role_arn     = aws_iam_role.execution.arn
    kms_key_arn            = module.kms_key.key_arn
    data_capture_s3_uri    = "s3://${module.data_capture_bucket.bucket_name}/"
    subnet_ids             = var.subnet_ids
    security_group_ids     = [aws_security_group.endpoint.id]
    instance_type          = var.instance_type
    initial_instance_count = local.initial_instance_count
    endpoint_name          = var.endpoint_name
    variant_name           = var.variant_name # the alarms watch this variant
    alarm_names            = values(local.alarm_names)
    autoscaling            = local.autoscaling
  }

  # Built from the name rather than the resource: the key policy and the deploy
  # role's policy need it, and the parameter itself depends on the key.
  target_config_parameter_arn = "arn:${local.partition}:ssm:${local.region}:${local.account_id}:parameter${var.target_config_parameter_name}"
}

# SecureString under the endpoint key rather than a plain String: the JSON holds
# no secret, but it steers where the deploy CLI puts models (subnets, security
# group, key, execution role). Writing a SecureString needs kms:Encrypt on the
# endpoint key in addition to ssm:PutParameter, so tampering needs two
# permissions; every read is a KMS Decrypt event in CloudTrail with the
# parameter ARN as encryption context.
resource "aws_ssm_parameter" "target_config" {
  name        = var.target_config_parameter_name
  description = "Target config of the ${var.stage} account for the ${var.name_prefix} deploy CLI (read by ${var.deploy_role_name})."
  type        = "SecureString"
  tier        = "Standard"
  data_type   = "text"
  key_id      = module.kms_key.key_arn
  value       = jsonencode(local.target_config)
  tags        = local.tags

  lifecycle {
    precondition {
      condition     = length(jsonencode(local.target_config)) <= 4096
      error_message = "The target config JSON exceeds 4 KB, the Standard tier limit of SSM parameters (fewer subnet ids would shrink it)."
    }
  }
}
