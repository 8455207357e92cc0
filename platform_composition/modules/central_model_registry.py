"""Typed interface of `modules/central-model-registry`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from cdktn import TerraformProvider
from constructs import Construct

from platform_composition.modules.base import HclModule


class CentralModelRegistry(HclModule):
    """Hub KMS key, S3 artifact store, promoted-image ECR repositories, group policy template."""

    module_name = "central-model-registry"

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        organization_id: str,
        consumer_account_ids: Sequence[str],
        kms_alias_name: str,
        artifact_bucket_name: str,
        image_repository_names: Sequence[str] | None = None,
        kms_key_deletion_window_in_days: int | None = None,
        noncurrent_version_expiration_days: int | None = None,
        access_logging: Mapping[str, Any] | None = None,
        untagged_image_expiration_days: int | None = None,
        deny_external_model_package_writes: bool | None = None,
        tags: Mapping[str, str] | None = None,
        providers: Sequence[TerraformProvider] | None = None,
    ) -> None:
        super().__init__(
            scope,
            construct_id,
            providers=providers,
            arguments={
                "organization_id": organization_id,
                "consumer_account_ids": list(consumer_account_ids),
                "kms_alias_name": kms_alias_name,
                "artifact_bucket_name": artifact_bucket_name,
                "image_repository_names": (
                    list(image_repository_names) if image_repository_names is not None else None
                ),
                "kms_key_deletion_window_in_days": kms_key_deletion_window_in_days,
                "noncurrent_version_expiration_days": noncurrent_version_expiration_days,
                "access_logging": access_logging,
                "untagged_image_expiration_days": untagged_image_expiration_days,
                "deny_external_model_package_writes": deny_external_model_package_writes,
                "tags": tags,
            },
        )

    @property
    def kms_key_arn(self) -> str:
        return self.output("kms_key_arn")

    @property
    def kms_key_id(self) -> str:
        return self.output("kms_key_id")

    @property
    def kms_alias_name(self) -> str:
        return self.output("kms_alias_name")

    @property
    def artifact_bucket_name(self) -> str:
        return self.output("artifact_bucket_name")

    @property
    def artifact_bucket_arn(self) -> str:
        return self.output("artifact_bucket_arn")

    @property
    def image_repository_arns(self) -> str:
        return self.output("image_repository_arns")

    @property
    def image_repository_urls(self) -> str:
        return self.output("image_repository_urls")

    @property
    def model_package_group_policy_template(self) -> str:
        return self.output("model_package_group_policy_template")
