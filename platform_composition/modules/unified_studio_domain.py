"""Typed interface of `modules/unified-studio-domain`.

Generated from the module's variables.tf and outputs.tf by
`scripts/generate_module_interfaces.py`; edit the HCL, then regenerate.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NotRequired, TypedDict

from cdktn import TerraformProvider
from constructs import Construct

from platform_composition.hcl_module import HclModule


class UnifiedStudioDomainTeamsValue(TypedDict):
    description: NotRequired[str | None]


class UnifiedStudioDomain(HclModule):
    """Python interface of modules/unified-studio-domain (see its README.md).

    Arguments (HCL variable descriptions):
        name: Name of the SageMaker Unified Studio (DataZone V2) domain (e.g. "mlgov-studio");
        also prefixes the names of its IAM roles and KMS alias.
        description: Description of the domain shown in the portal, or null for none.
        tags: Tags applied to every taggable resource of the module.
        single_sign_on_type: "IAM_IDC" lets users sign in to the portal through IAM Identity
        Center (the instance must be in the domain's region); "DISABLED" leaves the domain IAM-
        based.
        single_sign_on_user_assignment: With IAM_IDC: "MANUAL" admits only the Identity Center
        users and groups added to the domain, "AUTOMATIC" every user of the Identity Center
        instance.
        create_kms_key: Whether the module creates the domain key (rotation on, key policy
        admitting the domain roles of this account); false uses kms_key_arn. A flag rather than
        kms_key_arn == null, so that kms_key_arn may be known only after apply.
        kms_key_arn: ARN of an existing symmetric customer managed KMS key in the domain's
        account and region that encrypts the domain when create_kms_key is false (its key policy
        must admit the domain roles, see domain_execution_role_arn and domain_service_role_arn);
        must be null when it is true.
        kms_key_deletion_window_in_days: Waiting period, in days, before the domain key created
        by the module is deleted after it is scheduled for deletion.
        permissions_boundary_arn: ARN of the IAM policy set as permissions boundary on the four
        roles of the module, or null for none.
        data_lake_s3_location: S3 URI (s3://<bucket>[/<prefix>]) where the data-lake blueprint
        keeps project data in this region (its S3Location regional parameter), or null for the
        blueprint's default.
        teams: One DataZone project per team, keyed by project name (1-64 letters, digits,
        underscores, hyphens or inner spaces): description (at most 2048 characters). The
        principal running Terraform owns the projects.
    """

    module_name = "unified-studio-domain"

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        name: str,
        description: str | None = None,
        tags: Mapping[str, str] | None = None,
        single_sign_on_type: str | None = None,
        single_sign_on_user_assignment: str | None = None,
        create_kms_key: bool | None = None,
        kms_key_arn: str | None = None,
        kms_key_deletion_window_in_days: int | float | None = None,
        permissions_boundary_arn: str | None = None,
        data_lake_s3_location: str | None = None,
        teams: Mapping[str, UnifiedStudioDomainTeamsValue] | None = None,
        providers: Sequence[TerraformProvider] | None = None,
    ) -> None:
        super().__init__(
            scope,
            construct_id,
            providers=providers,
            arguments={
                "name": name,
                "description": description,
                "tags": tags,
                "single_sign_on_type": single_sign_on_type,
                "single_sign_on_user_assignment": single_sign_on_user_assignment,
                "create_kms_key": create_kms_key,
                "kms_key_arn": kms_key_arn,
                "kms_key_deletion_window_in_days": kms_key_deletion_window_in_days,
                "permissions_boundary_arn": permissions_boundary_arn,
                "data_lake_s3_location": data_lake_s3_location,
                "teams": teams,
            },
        )

    @property
    def domain_id(self) -> str:
        """ID of the SageMaker Unified Studio (DataZone V2) domain (dzd-...)."""
        return self.output("domain_id")

    @property
    def domain_arn(self) -> str:
        """ARN of the domain."""
        return self.output("domain_arn")

    @property
    def domain_portal_url(self) -> str:
        """URL of the domain's SageMaker Unified Studio portal."""
        return self.output("domain_portal_url")

    @property
    def project_ids(self) -> str:
        """IDs of the DataZone projects, keyed by team (project name)."""
        return self.output("project_ids")

    @property
    def data_lake_blueprint_id(self) -> str:
        """ID of the managed DataLake environment blueprint enabled in the domain's region."""
        return self.output("data_lake_blueprint_id")

    @property
    def domain_execution_role_arn(self) -> str:
        """ARN of the role DataZone assumes to act for the domain's users."""
        return self.output("domain_execution_role_arn")

    @property
    def domain_service_role_arn(self) -> str:
        """ARN of the role DataZone assumes for domain-level actions."""
        return self.output("domain_service_role_arn")

    @property
    def manage_access_role_arn(self) -> str:
        """
        ARN of the data-lake blueprint's manage-access role (publishes Glue data, grants through
        Lake Formation); make it a Lake Formation administrator of the lake it governs.
        """
        return self.output("manage_access_role_arn")

    @property
    def provisioning_role_arn(self) -> str:
        """
        ARN of the data-lake blueprint's provisioning role (creates the blueprint's resources
        for projects).
        """
        return self.output("provisioning_role_arn")

    @property
    def kms_key_arn(self) -> str:
        """
        ARN of the KMS key that encrypts the domain (created by the module, or kms_key_arn).
        """
        return self.output("kms_key_arn")
