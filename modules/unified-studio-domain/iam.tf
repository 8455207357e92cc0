# The four roles DataZone assumes for the domain and its data-lake blueprint. Every trust policy
# admits only the DataZone service principal acting for this account (aws:SourceAccount); the
# manage-access role also names this domain (aws:SourceArn), which DataZone documents sending
# for that role. The domain roles and the provisioning role carry no aws:SourceArn condition:
# DataZone documents only aws:SourceAccount for them, and a condition on a key the service does
# not send would lock it out of the domain.
#
# Permissions are the AWS managed policies DataZone documents for V2 (SageMaker Unified Studio)
# roles, and only those it requires: the domain execution, domain service and project
# provisioning policies are versioned by AWS together with the service (new Studio features call
# new APIs through them), so a hand-written copy would break the domain on AWS's schedule. The
# manage-access role gets the Glue/Lake Formation policy only: the Redshift and SageMaker asset
# policies of the console default serve blueprints this module does not enable.

locals {
  managed_policy_names = {
    domain_execution = "SageMakerStudioDomainExecutionRolePolicy"
    domain_service   = "SageMakerStudioDomainServiceRolePolicy"
    manage_access    = "AmazonDataZoneGlueManageAccessRolePolicy"
    provisioning     = "SageMakerStudioProjectProvisioningRolePolicy"
  }
}

# Looked up by name: AWS keeps some of these under the service-role/ path and some not.
data "aws_iam_policy" "managed" {
  for_each = local.managed_policy_names

  name = each.value
}

################################################################################
# Domain execution role: DataZone calls APIs as the signed-in users
################################################################################

data "aws_iam_policy_document" "domain_execution_trust" {
  statement {
    sid     = "DataZoneActsForThisAccount"
    actions = ["sts:AssumeRole", "sts:TagSession", "sts:SetContext"]

    principals {
      type        = "Service"
      identifiers = [local.datazone_principal]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    # Session tags DataZone sets (user and domain context) and no others.
    condition {
      test     = "ForAllValues:StringLike"
      variable = "aws:TagKeys"
      values   = ["datazone*"]
    }
  }
}

resource "aws_iam_role" "domain_execution" {
  name                 = "${var.name}-domain-execution"
  description          = "Assumed by Amazon DataZone to act for the users of the ${var.name} SageMaker Unified Studio domain."
  assume_role_policy   = data.aws_iam_policy_document.domain_execution_trust.json
  permissions_boundary = var.permissions_boundary_arn
  tags                 = local.tags
}

resource "aws_iam_role_policy_attachment" "domain_execution" {
  role       = aws_iam_role.domain_execution.name
  policy_arn = data.aws_iam_policy.managed["domain_execution"].arn
}

################################################################################
# Domain service role: domain-level work of the service (required for V2)
################################################################################

data "aws_iam_policy_document" "domain_service_trust" {
  statement {
    sid     = "DataZoneActsForThisAccount"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = [local.datazone_principal]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "domain_service" {
  name                 = "${var.name}-domain-service"
  description          = "Assumed by Amazon DataZone for domain-level actions of the ${var.name} SageMaker Unified Studio domain."
  assume_role_policy   = data.aws_iam_policy_document.domain_service_trust.json
  permissions_boundary = var.permissions_boundary_arn
  tags                 = local.tags
}

resource "aws_iam_role_policy_attachment" "domain_service" {
  role       = aws_iam_role.domain_service.name
  policy_arn = data.aws_iam_policy.managed["domain_service"].arn
}

################################################################################
# Data-lake blueprint: manage-access role (publish Glue data, grant and revoke through Lake
# Formation) and provisioning role (creates the blueprint's resources for projects)
################################################################################

data "aws_iam_policy_document" "manage_access_trust" {
  statement {
    sid     = "DataZoneActsForThisDomain"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = [local.datazone_principal]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_datazone_domain.this.arn]
    }
  }
}

resource "aws_iam_role" "manage_access" {
  name                 = "${var.name}-manage-access"
  description          = "Assumed by Amazon DataZone to publish Glue data and grant access to it through Lake Formation for the ${var.name} domain."
  assume_role_policy   = data.aws_iam_policy_document.manage_access_trust.json
  permissions_boundary = var.permissions_boundary_arn
  tags                 = local.tags
}

resource "aws_iam_role_policy_attachment" "manage_access" {
  role       = aws_iam_role.manage_access.name
  policy_arn = data.aws_iam_policy.managed["manage_access"].arn
}

data "aws_iam_policy_document" "provisioning_trust" {
  statement {
    sid     = "DataZoneActsForThisAccount"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = [local.datazone_principal]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "provisioning" {
  name                 = "${var.name}-provisioning"
  description          = "Assumed by Amazon DataZone to provision the data-lake blueprint's resources for projects of the ${var.name} domain."
  assume_role_policy   = data.aws_iam_policy_document.provisioning_trust.json
  permissions_boundary = var.permissions_boundary_arn
  tags                 = local.tags
}

resource "aws_iam_role_policy_attachment" "provisioning" {
  role       = aws_iam_role.provisioning.name
  policy_arn = data.aws_iam_policy.managed["provisioning"].arn
}
