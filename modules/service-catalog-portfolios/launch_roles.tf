################################################################################
# Launch roles. A LocalRoleName launch constraint names a role that Service
# Catalog assumes in the account where a product is launched; AWS checks that
# the role exists here, in the hub, when the constraint is created. The hub
# copies hold no permissions: nothing is launched in the hub.
#
# In the workloads accounts:
#   - the SageMaker projects launch role is created by the ml-workspace module
#     (it knows the team's names and roles the templates use);
#   - the ML admin launch role comes with the account baseline, before any
#     workspace exists (it launches the workspace itself): its trust and
#     permissions are rendered below (ml_admin_launch_role_*_json outputs).
################################################################################

locals {
  # The Service Catalog Terraform engine (EXTERNAL products) runs in this account and assumes
  # the launch role of the launching account from its execution role.
  terraform_engine_role_arn_pattern = coalesce(
    var.terraform_engine_role_arn_pattern,
    "arn:${local.partition}:iam::${local.account_id}:role/TerraformEngine/TerraformExecutionRole*",
  )
  ml_admin_uses_terraform_engine = anytrue([for p in var.products : p.portfolio == "ml_admin" && p.type == "EXTERNAL"])
}

data "aws_iam_policy_document" "launch_assume" {
  for_each = toset(local.portfolio_keys)

  # CloudFormation products: Service Catalog itself, on behalf of a launch in the same account.
  statement {
    sid     = "ServiceCatalogLaunches"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["servicecatalog.amazonaws.com"]
    }
  }

  # EXTERNAL products: the hub's Terraform engine, from inside the organization only.
  dynamic "statement" {
    for_each = each.key == "ml_admin" && local.ml_admin_uses_terraform_engine ? [1] : []

    content {
      sid     = "HubTerraformEngineLaunches"
      actions = ["sts:AssumeRole"]

      principals {
        type        = "AWS"
        identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
      }

      condition {
        test     = "ArnLike"
        variable = "aws:PrincipalArn"
        values   = [local.terraform_engine_role_arn_pattern]
      }

      condition {
        test     = "StringEquals"
        variable = "aws:PrincipalOrgID"
        values   = [var.organization_id]
      }
    }
  }
}

resource "aws_iam_role" "launch" {
  for_each = var.create_hub_launch_roles ? toset(local.portfolio_keys) : toset([])

  name                 = var.launch_role_names[each.key]
  description          = "Hub copy of the ${var.portfolios[each.key].display_name} launch role: exists so the LocalRoleName launch constraints validate; grants nothing."
  assume_role_policy   = data.aws_iam_policy_document.launch_assume[each.key].json
  max_session_duration = 3600

  tags = local.tags
}

# What the ML admin launch role may do in a workloads account: create, change and delete a team
# workspace (ml-workspace) and nothing outside it. Names are scoped by the organization's prefix
# (every workspace is "<prefix>-<team>"); EC2 and KMS resources, which have generated ids, by the
# tag ml-workspace puts on everything it creates.
data "aws_iam_policy_document" "ml_admin_launch" {
  #checkov:skip=CKV_AWS_356:EC2 create actions and Describe calls cannot name a resource in advance; creates are limited by the request tag, changes by the resource tag.
  #checkov:skip=CKV_AWS_111:Write actions on "*" are EC2/KMS creates limited by aws:RequestTag, and the Terraform engine's resource groups, which have no prefix to scope by.
  #checkov:skip=CKV_AWS_109:Permissions management (iam:*Role*, kms:PutKeyPolicy) is limited to roles named after the prefix and keys tagged as workspace keys.

  statement {
    sid       = "DescribeNetworkAndKeys"
    actions   = ["ec2:Describe*", "kms:ListAliases", "sagemaker:ListDomains", "sagemaker:ListTags"]
    resources = ["*"]
  }

  statement {
    sid = "CreateTaggedWorkspaceNetworkAndKeys"
    actions = [
      "ec2:CreateVpc", "ec2:CreateSubnet", "ec2:CreateRouteTable", "ec2:CreateInternetGateway",
      "ec2:CreateNatGateway", "ec2:AllocateAddress", "ec2:CreateSecurityGroup",
      "ec2:CreateVpcEndpoint", "ec2:CreateFlowLogs", "ec2:CreateTags", "kms:CreateKey",
    ]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/mlgov:component"
      values   = ["ml-workspace"]
    }
  }

  statement {
    sid = "ChangeWorkspaceNetworkAndKeys"
    actions = [
      "ec2:Modify*", "ec2:Delete*", "ec2:Associate*", "ec2:Disassociate*", "ec2:Attach*",
      "ec2:Detach*", "ec2:Authorize*", "ec2:Revoke*", "ec2:CreateRoute", "ec2:ReleaseAddress",
      "ec2:UpdateSecurityGroupRuleDescriptions*",
      "kms:EnableKeyRotation", "kms:PutKeyPolicy", "kms:TagResource", "kms:UntagResource",
      "kms:ScheduleKeyDeletion", "kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus",
      "kms:ListResourceTags", "kms:CreateGrant", "kms:Decrypt", "kms:GenerateDataKey",
    ]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/mlgov:component"
      values   = ["ml-workspace"]
    }
  }

  statement {
    sid       = "WorkspaceKeyAliases"
    actions   = ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"]
    resources = ["arn:${local.partition}:kms:*:*:alias/${var.name_prefix}-*", "arn:${local.partition}:kms:*:*:key/*"]
  }

  statement {
    sid = "WorkspaceRolesAndPolicies"
    actions = [
      "iam:CreateRole", "iam:DeleteRole", "iam:GetRole", "iam:UpdateRole", "iam:TagRole",
      "iam:UntagRole", "iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy", "iam:GetRolePolicy",
      "iam:DeleteRolePolicy", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies",
      "iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:ListInstanceProfilesForRole",
      "iam:CreatePolicy", "iam:DeletePolicy", "iam:GetPolicy", "iam:GetPolicyVersion",
      "iam:CreatePolicyVersion", "iam:DeletePolicyVersion", "iam:ListPolicyVersions",
      "iam:TagPolicy", "iam:UntagPolicy",
    ]
    resources = [
      "arn:${local.partition}:iam::*:role/${var.name_prefix}-*",
      "arn:${local.partition}:iam::*:role/*/${var.name_prefix}-*",
      "arn:${local.partition}:iam::*:policy/${var.name_prefix}-*",
      "arn:${local.partition}:iam::*:policy/*/${var.name_prefix}-*",
    ]
  }

  statement {
    sid       = "PassWorkspaceRoles"
    actions   = ["iam:PassRole"]
    resources = ["arn:${local.partition}:iam::*:role/${var.name_prefix}-*", "arn:${local.partition}:iam::*:role/*/${var.name_prefix}-*"]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["sagemaker.amazonaws.com", "vpc-flow-logs.amazonaws.com"]
    }
  }

  statement {
    sid = "WorkspaceBuckets"
    actions = [
      "s3:CreateBucket", "s3:DeleteBucket", "s3:ListBucket", "s3:GetBucket*", "s3:PutBucket*",
      "s3:DeleteBucketPolicy", "s3:GetLifecycleConfiguration", "s3:PutLifecycleConfiguration",
      "s3:GetEncryptionConfiguration", "s3:PutEncryptionConfiguration",
      "s3:GetAccelerateConfiguration", "s3:GetReplicationConfiguration",
    ]
    resources = ["arn:${local.partition}:s3:::${var.name_prefix}-*", "arn:${local.partition}:s3:::sagemaker-*"]
  }

  statement {
    sid = "WorkspaceStudio"
    actions = [
      "sagemaker:CreateDomain", "sagemaker:UpdateDomain", "sagemaker:DeleteDomain",
      "sagemaker:DescribeDomain", "sagemaker:CreateUserProfile", "sagemaker:UpdateUserProfile",
      "sagemaker:DeleteUserProfile", "sagemaker:DescribeUserProfile",
      "sagemaker:CreateMlflowTrackingServer", "sagemaker:UpdateMlflowTrackingServer",
      "sagemaker:DeleteMlflowTrackingServer", "sagemaker:DescribeMlflowTrackingServer",
      "sagemaker:AddTags", "sagemaker:DeleteTags",
    ]
    resources = [
      "arn:${local.partition}:sagemaker:*:*:domain/*",
      "arn:${local.partition}:sagemaker:*:*:user-profile/*",
      "arn:${local.partition}:sagemaker:*:*:mlflow-tracking-server/${var.name_prefix}-*",
    ]
  }

  statement {
    sid       = "WorkspaceLogsAndSettings"
    actions   = ["logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:PutRetentionPolicy", "logs:AssociateKmsKey", "logs:TagResource", "logs:ListTagsForResource", "ssm:PutParameter", "ssm:DeleteParameter", "ssm:GetParameter*", "ssm:AddTagsToResource", "ssm:ListTagsForResource"]
    resources = ["arn:${local.partition}:logs:*:*:log-group:/aws/vpc/${var.name_prefix}-*", "arn:${local.partition}:ssm:*:*:parameter/mlgov/project-settings/*"]
  }

  statement {
    sid       = "WorkspaceSourceConnection"
    actions   = ["codeconnections:CreateConnection", "codeconnections:DeleteConnection", "codeconnections:GetConnection", "codeconnections:TagResource", "codeconnections:UntagResource", "codeconnections:ListTagsForResource"]
    resources = ["arn:${local.partition}:codeconnections:*:*:connection/*"]
  }

  # The Service Catalog engines group a provisioned product's resources and read the version
  # from Service Catalog's own copy.
  statement {
    sid       = "ServiceCatalogProvisioning"
    actions   = ["resource-groups:CreateGroup", "resource-groups:DeleteGroup", "resource-groups:ListGroupResources", "resource-groups:Tag"]
    resources = ["*"]
  }

  statement {
    sid       = "ReadServiceCatalogArtifactCopies"
    actions   = ["s3:GetObject"]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "s3:ExistingObjectTag/servicecatalog:provisioning"
      values   = ["true"]
    }
  }
}
