################################################################################
# Team registry: the resource policy every team model package group should carry.
# It lets the hub's promoter role (exact ARN, inside the organization) read the
# team's groups and packages, and nothing else cross-account. SageMaker attaches a
# policy per group (PutModelPackageGroupPolicy), so it is applied when a group is
# created (the lead data scientist's ManageTeamRegistryPolicies); the module only
# renders it.
################################################################################

data "aws_iam_policy_document" "model_package_group" {
  statement {
    sid       = "HubPromoterReadsTeamModelPackageGroups"
    actions   = ["sagemaker:DescribeModelPackageGroup"]
    resources = [local.team_model_package_group_arn]

    principals {
      type        = "AWS"
      identifiers = [var.hub_promoter_role_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = [var.organization_id]
    }
  }

  # ListModelPackages is authorized against package ARNs and returns metadata only.
  statement {
    sid = "HubPromoterReadsTeamModelPackages"
    actions = [
      "sagemaker:DescribeModelPackage",
      "sagemaker:ListModelPackages",
    ]
    resources = [local.team_model_package_arn]

    principals {
      type        = "AWS"
      identifiers = [var.hub_promoter_role_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = [var.organization_id]
    }
  }
}
