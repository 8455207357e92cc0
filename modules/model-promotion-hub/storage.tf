################################################################################
# Idempotency table (Powertools idempotency defaults: key "id", TTL "expiration")
################################################################################

resource "aws_dynamodb_table" "this" {
  name                        = var.idempotency_table_name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "id"
  deletion_protection_enabled = var.idempotency_table_deletion_protection

  attribute {
    name = "id"
    type = "S"
  }

  ttl {
    attribute_name = "expiration"
    enabled        = true
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = local.kms_key_arn
  }

  tags = var.tags
}

################################################################################
# Promotion parameters read by the promoter at run time
################################################################################

# Minified JSON {"<account id>":"<team>",...}: an entry takes 17 + len(team) characters plus
# a comma, so N accounts need N * (18 + len(team)) + 1. The promoter derives each team's hub
# repository from HUB_IMAGE_REPOSITORY_PREFIX instead of storing it per account. 100 accounts
# with 8-character teams need 2,601 characters, with 32-character teams (the longest allowed)
# 5,001; the default tier is Advanced (8 KB, 163 accounts at 32 characters), Standard (4 KB)
# holds 81 accounts at 32 characters or 100 at up to 22.
resource "aws_ssm_parameter" "source_accounts" {
  name        = var.source_accounts_parameter_name
  description = "Dev accounts the model promoter may promote from (account id -> team)."
  type        = "SecureString"
  key_id      = local.kms_key_arn
  tier        = var.source_accounts_parameter_tier
  value       = local.source_accounts_json

  tags = var.tags

  lifecycle {
    precondition {
      condition     = length(local.source_accounts_json) <= local.ssm_tier_limit_chars[var.source_accounts_parameter_tier]
      error_message = "The JSON-encoded source_accounts map is longer than the ${var.source_accounts_parameter_tier} parameter tier allows (${local.ssm_tier_limit_chars[var.source_accounts_parameter_tier]} characters); use the Advanced tier, fewer accounts or shorter team names."
    }
  }
}

resource "aws_ssm_parameter" "group_policy_template" {
  name        = var.group_policy_template_parameter_name
  description = "Resource policy template for central model package groups; {model_package_group_name} is replaced by the group name."
  type        = "SecureString"
  key_id      = local.kms_key_arn
  tier        = var.group_policy_template_parameter_tier
  value       = var.group_policy_template

  tags = var.tags

  lifecycle {
    precondition {
      condition     = length(var.group_policy_template) <= local.ssm_tier_limit_chars[var.group_policy_template_parameter_tier]
      error_message = "The group_policy_template is longer than the ${var.group_policy_template_parameter_tier} parameter tier allows (${local.ssm_tier_limit_chars[var.group_policy_template_parameter_tier]} characters)."
    }
  }
}
