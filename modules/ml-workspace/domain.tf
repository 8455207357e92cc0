################################################################################
# SageMaker domain (VpcOnly, team key, idle shutdown) and one user profile per
# person, bound to its persona's Studio execution role.
################################################################################

locals {
  idle_settings = {
    lifecycle_management        = "ENABLED"
    idle_timeout_in_minutes     = var.idle_shutdown.idle_timeout_in_minutes
    min_idle_timeout_in_minutes = var.idle_shutdown.min_idle_timeout_in_minutes
    max_idle_timeout_in_minutes = var.idle_shutdown.max_idle_timeout_in_minutes
  }
}

resource "aws_sagemaker_domain" "this" {
  domain_name = local.domain_name
  auth_mode   = var.auth_mode
  vpc_id      = local.vpc_id
  subnet_ids  = local.subnet_ids

  # No direct internet: every app's traffic leaves through the workspace subnets and security
  # group, i.e. through the VPC endpoints (and a NAT gateway only with enable_internet_egress).
  app_network_access_type = "VpcOnly"
  kms_key_id              = module.kms_key.key_arn
  tag_propagation         = "ENABLED"

  default_user_settings {
    execution_role      = aws_iam_role.execution["studio_data_scientist"].arn
    security_groups     = [aws_security_group.workspace.id]
    studio_web_portal   = "ENABLED"
    default_landing_uri = "studio::"

    # Notebook sharing would copy outputs to S3 outside the team's reviewed paths.
    sharing_settings {
      notebook_output_option = "Disabled"
    }

    jupyter_lab_app_settings {
      app_lifecycle_management {
        idle_settings {
          lifecycle_management        = local.idle_settings.lifecycle_management
          idle_timeout_in_minutes     = local.idle_settings.idle_timeout_in_minutes
          min_idle_timeout_in_minutes = local.idle_settings.min_idle_timeout_in_minutes
          max_idle_timeout_in_minutes = local.idle_settings.max_idle_timeout_in_minutes
        }
      }
    }

    code_editor_app_settings {
      app_lifecycle_management {
        idle_settings {
          lifecycle_management        = local.idle_settings.lifecycle_management
          idle_timeout_in_minutes     = local.idle_settings.idle_timeout_in_minutes
          min_idle_timeout_in_minutes = local.idle_settings.min_idle_timeout_in_minutes
          max_idle_timeout_in_minutes = local.idle_settings.max_idle_timeout_in_minutes
        }
      }
    }

    space_storage_settings {
      default_ebs_storage_settings {
        default_ebs_volume_size_in_gb = var.space_storage.default_ebs_volume_size_in_gb
        maximum_ebs_volume_size_in_gb = var.space_storage.maximum_ebs_volume_size_in_gb
      }
    }
  }

  default_space_settings {
    execution_role  = aws_iam_role.execution["studio_data_scientist"].arn
    security_groups = [aws_security_group.workspace.id]

    jupyter_lab_app_settings {
      app_lifecycle_management {
        idle_settings {
          lifecycle_management        = local.idle_settings.lifecycle_management
          idle_timeout_in_minutes     = local.idle_settings.idle_timeout_in_minutes
          min_idle_timeout_in_minutes = local.idle_settings.min_idle_timeout_in_minutes
          max_idle_timeout_in_minutes = local.idle_settings.max_idle_timeout_in_minutes
        }
      }
    }

    space_storage_settings {
      default_ebs_storage_settings {
        default_ebs_volume_size_in_gb = var.space_storage.default_ebs_volume_size_in_gb
        maximum_ebs_volume_size_in_gb = var.space_storage.maximum_ebs_volume_size_in_gb
      }
    }
  }

  domain_settings {
    security_group_ids = [aws_security_group.workspace.id]
  }

  retention_policy {
    home_efs_file_system = var.home_efs_retention
  }

  tags = local.domain_tags

  # Apps need the endpoints from their first start (no other way out of the VPC).
  depends_on = [aws_vpc_endpoint.interface, aws_vpc_endpoint.s3]
}

resource "aws_sagemaker_user_profile" "this" {
  for_each = var.users

  domain_id         = aws_sagemaker_domain.this.id
  user_profile_name = each.key

  single_sign_on_user_identifier = var.auth_mode == "SSO" ? "UserName" : null
  single_sign_on_user_value      = var.auth_mode == "SSO" ? each.value.sso_user_name : null

  user_settings {
    execution_role  = aws_iam_role.execution[local.studio_execution_role_key[each.value.persona]].arn
    security_groups = [aws_security_group.workspace.id]
  }

  # The persona tag decides which persona role may open the profile in IAM auth mode.
  tags = merge(local.tags, { "mlgov:persona" = each.value.persona })
}
