"""Typed interface of `modules/central-model-registry`.

Generated from the module's variables.tf and outputs.tf by
`scripts/generate_module_interfaces.py`; edit the HCL, then regenerate.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NotRequired, TypedDict

from cdktn import TerraformProvider
from constructs import Construct

from platform_composition.hcl_module import HclModule


class CentralModelRegistryAccessLogging(TypedDict):
    target_bucket: str
    target_prefix: NotRequired[str | None]


class CentralModelRegistryArtifactWriters(TypedDict):
    role_name: str
    account_ids: Sequence[str]
    organization_path: NotRequired[str | None]


class CentralModelRegistry(HclModule):
    """Python interface of modules/central-model-registry (see its README.md).

    Arguments (HCL variable descriptions):
        tags: A map of tags to add to every taggable resource the module creates.
        organization_id: AWS Organizations id whose member accounts may be granted access (used
        in aws:PrincipalOrgID and aws:SourceOrgID conditions).
        consumer_account_ids: Account ids of the deployment targets (test, prod) that may read
        promoted artifacts, pull promoted images and deploy central model packages.
        kms_alias_name: Alias of the registry KMS key, including the "alias/" prefix (naming
        contract: alias/{prefix}-model-registry).
        kms_key_deletion_window_in_days: Waiting period, in days, before the registry KMS key is
        deleted after it is scheduled for deletion.
        artifact_bucket_name: Name of the hub artifact bucket (naming contract: {prefix}-model-
        artifacts-{hub_account_id}-{region}).
        noncurrent_version_expiration_days: Number of days after which noncurrent object
        versions in the artifact bucket are permanently deleted.
        staging_expiration_days: Number of days after which staged copies under staging/ in the
        artifact bucket (written by the dev accounts' promotion-source roles, then copied to
        promoted/ by the promoter) and their noncurrent versions are permanently deleted.
        access_logging: Server access logging target for the artifact bucket (an existing log
        bucket that accepts S3 log delivery); null disables access logging.
        artifact_writers: Cross-account writers of staged artifacts: the role, same name in each
        listed dev account, that signs the first of the promoter's two server-side copies
        (naming contract: {prefix}-promotion-source); each may write only under staging/<its own
        account id>/, never promoted/. Null grants no cross-account write.
        image_repository_names: Names of the ECR repositories for promoted images, one per dev
        team (naming contract: {prefix}-promoted/{team}).
        untagged_image_expiration_days: Number of days after which untagged images in the
        promoted-image repositories expire.
        deny_external_model_package_writes: Whether the model package group policy template
        carries an explicit Deny of CreateModelPackage/UpdateModelPackage/DeleteModelPackage for
        principals outside the hub account.
        model_approver_role_arns: Roles that alone may set a central package's approval status
        (the ML engineer), as aws:PrincipalArn patterns. The group policy template then denies
        every other principal UpdateModelPackage with a status, and registration with any status
        but PendingManualApproval. Null leaves both to IAM and the organization's SCPs.
        promoted_artifact_writer_role_arns: Roles that alone may write or delete objects under
        promoted/ (the promoter), as aws:PrincipalArn patterns; nobody but break_glass_role_arns
        deletes an object version there, so the version a lineage manifest records stays
        readable. Null keeps the hub-account-only rule.
        break_glass_role_arns: Role ARN patterns exempt from the approval and promoted-artifact
        statements above (the organization's break-glass role).
    """

    module_name = "central-model-registry"

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        tags: Mapping[str, str] | None = None,
        organization_id: str,
        consumer_account_ids: Sequence[str],
        kms_alias_name: str,
        kms_key_deletion_window_in_days: int | float | None = None,
        artifact_bucket_name: str,
        noncurrent_version_expiration_days: int | float | None = None,
        staging_expiration_days: int | float | None = None,
        access_logging: CentralModelRegistryAccessLogging | None = None,
        artifact_writers: CentralModelRegistryArtifactWriters | None = None,
        image_repository_names: Sequence[str] | None = None,
        untagged_image_expiration_days: int | float | None = None,
        deny_external_model_package_writes: bool | None = None,
        model_approver_role_arns: Sequence[str] | None = None,
        promoted_artifact_writer_role_arns: Sequence[str] | None = None,
        break_glass_role_arns: Sequence[str] | None = None,
        providers: Sequence[TerraformProvider] | None = None,
    ) -> None:
        super().__init__(
            scope,
            construct_id,
            providers=providers,
            arguments={
                "tags": tags,
                "organization_id": organization_id,
                "consumer_account_ids": consumer_account_ids,
                "kms_alias_name": kms_alias_name,
                "kms_key_deletion_window_in_days": kms_key_deletion_window_in_days,
                "artifact_bucket_name": artifact_bucket_name,
                "noncurrent_version_expiration_days": noncurrent_version_expiration_days,
                "staging_expiration_days": staging_expiration_days,
                "access_logging": access_logging,
                "artifact_writers": artifact_writers,
                "image_repository_names": image_repository_names,
                "untagged_image_expiration_days": untagged_image_expiration_days,
                "deny_external_model_package_writes": deny_external_model_package_writes,
                "model_approver_role_arns": model_approver_role_arns,
                "promoted_artifact_writer_role_arns": promoted_artifact_writer_role_arns,
                "break_glass_role_arns": break_glass_role_arns,
            },
        )

    @property
    def kms_key_arn(self) -> str:
        """
        ARN of the registry KMS key (SSE-KMS key for promoted artifacts; HUB_KMS_KEY_ARN of the
        promoter).
        """
        return self.output("kms_key_arn")

    @property
    def kms_key_id(self) -> str:
        """Id of the registry KMS key."""
        return self.output("kms_key_id")

    @property
    def kms_alias_name(self) -> str:
        """Alias name of the registry KMS key."""
        return self.output("kms_alias_name")

    @property
    def artifact_bucket_name(self) -> str:
        """Name of the hub artifact bucket (HUB_ARTIFACT_BUCKET of the promoter)."""
        return self.output("artifact_bucket_name")

    @property
    def artifact_bucket_arn(self) -> str:
        """ARN of the hub artifact bucket."""
        return self.output("artifact_bucket_arn")

    @property
    def image_repository_arns(self) -> str:
        """Map of promoted-image repository name to repository ARN."""
        return self.output("image_repository_arns")

    @property
    def image_repository_urls(self) -> str:
        """Map of promoted-image repository name to repository URL (registry host/name)."""
        return self.output("image_repository_urls")

    @property
    def model_package_group_policy_template(self) -> str:
        """
        JSON resource policy for central model package groups in which the literal token
        {model_package_group_name} stands for the group name.
        """
        return self.output("model_package_group_policy_template")

    @property
    def artifact_bucket_policy_json(self) -> str:
        """
        JSON bucket policy attached to the artifact bucket (TLS, SSE-KMS and cross-account
        promoted/ write denies, consumer reads, artifact writer statement on staging/ when
        artifact_writers is set).
        """
        return self.output("artifact_bucket_policy_json")

    @property
    def kms_key_policy_json(self) -> str:
        """
        JSON key policy of the registry KMS key (hub delegation, consumer decrypt through
        services, artifact writer statement when artifact_writers is set).
        """
        return self.output("kms_key_policy_json")
