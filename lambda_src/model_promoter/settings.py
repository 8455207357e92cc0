"""Environment settings, validated once when the handler module is imported.

A misconfigured function should fail its first (cold) invocation with an error that names the
variable, rather than half-promote a model and fail somewhere deep in a copy loop.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

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

# (environment variable, field name, pattern, what a valid value looks like)
_FIELDS: tuple[tuple[str, str, re.Pattern[str], str], ...] = (
    ("HUB_ARTIFACT_BUCKET", "hub_artifact_bucket", _BUCKET, "an S3 bucket name"),
    (
        "HUB_KMS_KEY_ARN",
        "hub_kms_key_arn",
        _KMS_KEY_ARN,
        "a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>)",
    ),
    (
        "HUB_IMAGE_REPOSITORY_PREFIX",
        "hub_image_repository_prefix",
        _REPOSITORY_PREFIX,
        "an ECR repository name prefix of at most 223 characters without a trailing '/', "
        "e.g. mlgov-promoted",
    ),
    ("SOURCE_ROLE_NAME", "source_role_name", _ROLE_NAME, "an IAM role name"),
    (
        "SOURCE_ACCOUNTS_PARAMETER",
        "source_accounts_parameter",
        _PARAMETER_NAME,
        "an SSM parameter name starting with '/'",
    ),
    (
        "GROUP_POLICY_TEMPLATE_PARAMETER",
        "group_policy_template_parameter",
        _PARAMETER_NAME,
        "an SSM parameter name starting with '/'",
    ),
    ("IDEMPOTENCY_TABLE_NAME", "idempotency_table_name", _TABLE_NAME, "a DynamoDB table name"),
    (
        "APPROVER_ROLE_NAME_TEMPLATE",
        "approver_role_name_template",
        _APPROVER_ROLE_NAME_TEMPLATE,
        "an IAM role name containing the placeholder {team} and otherwise only letters, digits "
        "and +=,.@_-, e.g. mlgov-{team}-lead-data-scientist",
    ),
)


@dataclass(frozen=True)
class Settings:
    """Validated configuration of the promoter; the names match the `model-promotion-hub` module."""

    hub_artifact_bucket: str
    hub_kms_key_arn: str
    hub_image_repository_prefix: str
    source_role_name: str
    source_accounts_parameter: str
    group_policy_template_parameter: str
    idempotency_table_name: str
    approver_role_name_template: str

    def approver_role_name(self, team: str) -> str:
        """Name of the only role whose sessions may approve `team`'s model packages."""
        return self.approver_role_name_template.replace(TEAM_PLACEHOLDER, team)


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read and validate every setting; raise `ConfigurationError` naming each bad variable."""
    env = os.environ if environ is None else environ
    values: dict[str, str] = {}
    problems: list[str] = []
    for variable, field, pattern, expected in _FIELDS:
        value = env.get(variable, "").strip()
        if not value:
            problems.append(f"{variable} is not set (expected {expected})")
        elif not pattern.fullmatch(value):
            problems.append(f"{variable}={value!r} is invalid (expected {expected})")
        else:
            values[field] = value
    template = values.get("approver_role_name_template")
    if template is not None:
        shortest = len(template.replace(TEAM_PLACEHOLDER, "x" * _MIN_TEAM))
        if shortest > _MAX_ROLE_NAME:
            problems.append(
                f"APPROVER_ROLE_NAME_TEMPLATE={template!r} is invalid (expected a role name of at "
                f"most {_MAX_ROLE_NAME} characters once {{team}} is replaced; with a "
                f"{_MIN_TEAM}-character team it has {shortest})"
            )
    if problems:
        raise ConfigurationError("model_promoter configuration error: " + "; ".join(problems))
    return Settings(**values)
