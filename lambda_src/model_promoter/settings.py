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
    if problems:
        raise ConfigurationError("model_promoter configuration error: " + "; ".join(problems))
    return Settings(**values)
