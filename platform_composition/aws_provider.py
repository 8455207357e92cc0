"""A small typed `hashicorp/aws` provider construct on cdktn core.

The prebuilt provider bindings cost seconds and most of a gigabyte per synth; the composition
only configures the provider and calls HCL modules, so this construct emits the few provider
arguments the platform sets, with `allowed_account_ids` always present: Terraform then refuses to
plan or apply against any account other than the one the environment names.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cdktn import TerraformProvider, TerraformProviderGeneratorMetadata
from constructs import Construct

AWS_PROVIDER_SOURCE = "hashicorp/aws"
# Lower bound shared with every module's versions.tf.
AWS_PROVIDER_VERSION = ">= 5.100, < 7.0"
# The one exception: the Unified Studio stack calls modules/unified-studio-domain, whose DataZone
# V2 arguments (domain_version, service_role on aws_datazone_domain) exist only in 6.x. It is a
# stack of its own so that every other stack keeps AWS_PROVIDER_VERSION (and 5.100 still plans).
AWS_PROVIDER_VERSION_DATAZONE_V2 = ">= 6.0, < 7.0"


class AwsProvider(TerraformProvider):
    """`provider "aws"` with region, assume-role, account guard and default tags."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        region: str,
        allowed_account_ids: list[str],
        assume_role_arn: str | None = None,
        session_name: str | None = None,
        external_id: str | None = None,
        default_tags: Mapping[str, str] | None = None,
        alias: str | None = None,
        version_constraint: str = AWS_PROVIDER_VERSION,
    ) -> None:
        if not allowed_account_ids:
            raise ValueError("allowed_account_ids must name at least one account")
        super().__init__(
            scope,
            construct_id,
            terraform_resource_type="aws",
            terraform_provider_source=AWS_PROVIDER_SOURCE,
            terraform_generator_metadata=TerraformProviderGeneratorMetadata(
                provider_name="aws", provider_version_constraint=version_constraint
            ),
        )
        self._region = region
        self._allowed_account_ids = list(allowed_account_ids)
        self._assume_role_arn = assume_role_arn
        self._session_name = session_name
        self._external_id = external_id
        self._default_tags = dict(default_tags or {})
        self._alias_name = alias

    @property
    def alias(self) -> str | None:
        return self._alias_name

    @alias.setter
    def alias(self, value: str | None) -> None:
        self._alias_name = value

    @property
    def region(self) -> str:
        return self._region

    @property
    def allowed_account_ids(self) -> list[str]:
        return list(self._allowed_account_ids)

    def _synthesize_attributes(self) -> dict[str, Any]:
        attributes: dict[str, Any] = {
            "region": self._region,
            "allowed_account_ids": self._allowed_account_ids,
        }
        if self._assume_role_arn:
            assume_role: dict[str, str] = {"role_arn": self._assume_role_arn}
            if self._session_name:
                assume_role["session_name"] = self._session_name
            if self._external_id:
                assume_role["external_id"] = self._external_id
            attributes["assume_role"] = [assume_role]
        if self._default_tags:
            attributes["default_tags"] = [{"tags": self._default_tags}]
        if self._alias_name:
            attributes["alias"] = self._alias_name
        return attributes
