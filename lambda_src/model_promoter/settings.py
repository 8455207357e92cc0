"""Environment settings, validated once when the handler module is imported.

A misconfigured function should fail its first (cold) invocation with an error that names the
variable, rather than half-promote a model and fail somewhere deep in a copy loop.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from model_promoter.common_settings import LambdaSettings, env
from model_promoter.common_settings import load_settings as load_common
from model_promoter.errors import ConfigurationError

_BUCKET = re.compile(r"^(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_KMS_KEY_ARN = re.compile(
    r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key/[A-Za-z0-9-]+|alias/[\w/-]+)$"
)
_ROLE_NAME = re.compile(r"^[\w+=,.@-]{1,64}$")
# ECR repository name without its last segment: "/" and a 32-character team must still fit in
# ECR's 256 characters.
_REPOSITORY_PREFIX = re.compile(
    r"^(?=.{1,223}$)[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$"
)
_PARAMETER_NAME = re.compile(r"^/[A-Za-z0-9_.\-/]{1,1010}$")
_TABLE_NAME = re.compile(r"^[A-Za-z0-9_.-]{3,255}$")
# An IAM role name in which "{team}" stands for the team of the source account, at least once.
TEAM_PLACEHOLDER = "{team}"
_APPROVER_ROLE_NAME_TEMPLATE = re.compile(r"^(?=.*\{team\})(?:[A-Za-z0-9+=,.@_-]|\{team\})+$")
# IAM role names are at most 64 characters; teams are at least 2.
_MAX_ROLE_NAME = 64
_MIN_TEAM = 2

# An allowed image registry: an AWS account id (its ECR registries in every region) or a
# registry host name (with an optional port).
_ACCOUNT_ID = re.compile(r"^\d{12}$")
_REGISTRY_HOST = re.compile(
    r"^(?=.{1,253}(?::\d{1,5})?$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
    r"(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+(?::\d{1,5})?$"
)
_REGISTRIES_EXPECTED = (
    "comma-separated 12-digit AWS account ids or registry host names, e.g. "
    "141502667606,763104351884; empty allows only the source account's and the hub's registries"
)


def parse_registries(value: str) -> tuple[str, ...]:
    """The allowed registries of `ALLOWED_IMAGE_REGISTRIES`, in order, without duplicates."""
    entries = [entry.strip().lower() for entry in value.split(",")] if value.strip() else []
    bad = [e for e in entries if not (_ACCOUNT_ID.fullmatch(e) or _REGISTRY_HOST.fullmatch(e))]
    if bad:
        raise ValueError(f"not an account id or registry host: {', '.join(map(repr, bad))}")
    return tuple(dict.fromkeys(entries))


@dataclass(frozen=True)
class Settings(LambdaSettings):
    """Validated configuration of the promoter; the names match the `model-promotion-hub` module."""

    error_prefix: ClassVar[str] = "model_promoter configuration error"
    default_service: ClassVar[str] = "model-promoter"
    # The namespace the module's alarms watch.
    default_namespace: ClassVar[str] = "ModelPromotion"

    hub_artifact_bucket: str = env("HUB_ARTIFACT_BUCKET", _BUCKET, "an S3 bucket name")
    hub_kms_key_arn: str = env(
        "HUB_KMS_KEY_ARN",
        _KMS_KEY_ARN,
        "a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>)",
    )
    hub_image_repository_prefix: str = env(
        "HUB_IMAGE_REPOSITORY_PREFIX",
        _REPOSITORY_PREFIX,
        "an ECR repository name prefix of at most 223 characters without a trailing '/', "
        "e.g. mlgov-promoted",
    )
    source_role_name: str = env("SOURCE_ROLE_NAME", _ROLE_NAME, "an IAM role name")
    source_accounts_parameter: str = env(
        "SOURCE_ACCOUNTS_PARAMETER", _PARAMETER_NAME, "an SSM parameter name starting with '/'"
    )
    group_policy_template_parameter: str = env(
        "GROUP_POLICY_TEMPLATE_PARAMETER",
        _PARAMETER_NAME,
        "an SSM parameter name starting with '/'",
    )
    idempotency_table_name: str = env(
        "IDEMPOTENCY_TABLE_NAME", _TABLE_NAME, "a DynamoDB table name"
    )
    approver_role_name_template: str = env(
        "APPROVER_ROLE_NAME_TEMPLATE",
        _APPROVER_ROLE_NAME_TEMPLATE,
        "an IAM role name containing the placeholder {team} and otherwise only letters, digits "
        "and +=,.@_-, e.g. mlgov-{team}-lead-data-scientist",
    )
    # Registries besides the source account's own and the hub's whose images a central package
    # may reference (AWS's SageMaker image accounts, typically).
    allowed_image_registries: tuple[str, ...] = env(
        "ALLOWED_IMAGE_REGISTRIES",
        r"[\s\S]*",
        _REGISTRIES_EXPECTED,
        default="",
        convert=parse_registries,
    )

    def approver_role_name(self, team: str) -> str:
        """Name of the only role whose sessions may approve `team`'s model packages."""
        return self.approver_role_name_template.replace(TEAM_PLACEHOLDER, team)

    def check(self) -> list[str]:
        template = self.approver_role_name_template
        shortest = len(template.replace(TEAM_PLACEHOLDER, "x" * _MIN_TEAM))
        if shortest <= _MAX_ROLE_NAME:
            return []
        return [
            f"APPROVER_ROLE_NAME_TEMPLATE={template!r} is invalid (expected a role name of at "
            f"most {_MAX_ROLE_NAME} characters once {{team}} is replaced; with a "
            f"{_MIN_TEAM}-character team it has {shortest})"
        ]


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read and validate every setting; raise `ConfigurationError` naming each bad variable."""
    return load_common(Settings, environ, error=ConfigurationError)
