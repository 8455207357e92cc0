"""The build's settings: the CodeBuild environment variables the project template sets.

The SageMaker project template (CloudFormation) sets exactly COMMON_VARIABLES plus
VARIABLES_BY_KIND[DATA_SOURCE_KIND] on the CodeBuild project that runs this repository.
`BuildSettings.from_environ` reads them once and checks every one, so a wrong template or a
hand-run build with a missing variable fails before anything is created, with one message that
names every problem.

Standard library only: the platform's tests load this file by path (without the SageMaker SDK)
to compare the templates with this contract.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

DATA_SOURCE_KINDS = ("s3", "athena", "feature-store")

COMMON_VARIABLES: tuple[str, ...] = (
    "SAGEMAKER_PROJECT_NAME",
    "SAGEMAKER_PROJECT_ID",
    "SAGEMAKER_PIPELINE_NAME",
    "MODEL_PACKAGE_GROUP_NAME",
    "PIPELINE_EXECUTION_ROLE_ARN",
    "ARTIFACT_BUCKET",
    "KMS_KEY_ARN",
    "SUBNET_IDS",
    "SECURITY_GROUP_IDS",
    "DATA_SOURCE_KIND",
    "TARGET_COLUMN",
    "METRIC_THRESHOLD",
)

VARIABLES_BY_KIND: dict[str, tuple[str, ...]] = {
    "s3": ("DATA_SOURCE_S3_URI",),
    "athena": ("ATHENA_DATABASE", "ATHENA_TABLE", "ATHENA_WORKGROUP", "ATHENA_ROLE_ARN"),
    "feature-store": (
        "FEATURE_GROUP_NAME",
        "FEATURE_STORE_DATABASE",
        "ATHENA_WORKGROUP",
        "ATHENA_ROLE_ARN",
    ),
}

# Variables that may be absent or empty, and the value used then.
DEFAULTS: dict[str, str] = {"FEATURE_STORE_DATABASE": "lake_feature_store"}

# Glue database, table and column names as Athena sees them (Glue stores them in lower case).
# Anything that reaches SQL is checked against this first; it excludes quotes by construction.
GLUE_NAME = re.compile(r"^[a-z0-9_]{1,128}$")

_PARTITION = r"arn:aws(?:-[a-z]+)*"
_ROLE_ARN = re.compile(rf"^{_PARTITION}:iam::[0-9]{{12}}:role/[A-Za-z0-9+=,.@_/-]{{1,512}}$")
_KMS_KEY_ARN = re.compile(rf"^{_PARTITION}:kms:[a-z0-9-]+:[0-9]{{12}}:key/[A-Za-z0-9-]{{1,128}}$")
_PROJECT_NAME = re.compile(r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,31}$")
_PROJECT_ID = re.compile(r"^p-[a-z0-9]{12}$")
_PIPELINE_NAME = re.compile(r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}$")
_MODEL_PACKAGE_GROUP = re.compile(r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$")
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_S3_URI = re.compile(r"^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/[A-Za-z0-9!_.=+/-]*$")
_SUBNET_ID = re.compile(r"^subnet-[0-9a-f]{8,17}$")
_SECURITY_GROUP_ID = re.compile(r"^sg-[0-9a-f]{8,17}$")
_WORKGROUP = re.compile(r"^[a-zA-Z0-9._-]{1,128}$")
_FEATURE_GROUP = re.compile(
    rf"^({_PARTITION}:sagemaker:[a-z0-9-]+:[0-9]{{12}}:feature-group/)?"
    r"[a-zA-Z0-9]([_-]*[a-zA-Z0-9]){0,63}$"
)


@dataclass(frozen=True)
class BuildSettings:
    """Everything the build needs, parsed and checked (see the module docstring)."""

    project_name: str
    project_id: str
    pipeline_name: str
    model_package_group_name: str
    pipeline_execution_role_arn: str
    artifact_bucket: str
    kms_key_arn: str
    subnet_ids: tuple[str, ...]
    security_group_ids: tuple[str, ...]
    data_source_kind: str
    target_column: str
    metric_threshold: float
    # s3
    data_source_s3_uri: str | None = None
    # athena and feature-store
    athena_workgroup: str | None = None
    athena_role_arn: str | None = None
    # athena
    athena_database: str | None = None
    athena_table: str | None = None
    # feature-store
    feature_group_name: str | None = None
    feature_store_database: str | None = None

    @property
    def uses_athena(self) -> bool:
        """True when the training data is queried with Athena (athena and feature-store)."""
        return self.data_source_kind in ("athena", "feature-store")

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> BuildSettings:
        """Read and check the variables; raise one ValueError naming every problem."""
        reader = _Reader(environ)
        kind = reader.text("DATA_SOURCE_KIND", _one_of(DATA_SOURCE_KINDS))
        values: dict[str, object] = {
            "project_name": reader.text(
                "SAGEMAKER_PROJECT_NAME", _matches(_PROJECT_NAME, "a SageMaker project name")
            ),
            "project_id": reader.text(
                "SAGEMAKER_PROJECT_ID", _matches(_PROJECT_ID, '"p-" and 12 lowercase characters')
            ),
            "pipeline_name": reader.text(
                "SAGEMAKER_PIPELINE_NAME",
                _matches(_PIPELINE_NAME, "letters, digits and hyphens, at most 256"),
            ),
            "model_package_group_name": reader.text(
                "MODEL_PACKAGE_GROUP_NAME",
                _matches(_MODEL_PACKAGE_GROUP, "letters, digits and hyphens, at most 63"),
            ),
            "pipeline_execution_role_arn": reader.text(
                "PIPELINE_EXECUTION_ROLE_ARN", _matches(_ROLE_ARN, "an IAM role ARN")
            ),
            "artifact_bucket": reader.text(
                "ARTIFACT_BUCKET", _matches(_BUCKET, "an S3 bucket name (not a URI)")
            ),
            "kms_key_arn": reader.text(
                "KMS_KEY_ARN", _matches(_KMS_KEY_ARN, "a KMS key ARN (arn:...:kms:...:key/...)")
            ),
            "subnet_ids": reader.id_list("SUBNET_IDS", _SUBNET_ID, "subnet-<hex>"),
            "security_group_ids": reader.id_list(
                "SECURITY_GROUP_IDS", _SECURITY_GROUP_ID, "sg-<hex>"
            ),
            "data_source_kind": kind,
            "target_column": reader.text("TARGET_COLUMN", _glue_name),
            "metric_threshold": reader.threshold("METRIC_THRESHOLD"),
        }
        if kind == "s3":
            values["data_source_s3_uri"] = reader.text(
                "DATA_SOURCE_S3_URI",
                _matches(_S3_URI, "s3://<bucket>/<key or prefix>"),
            )
        elif kind in ("athena", "feature-store"):
            values["athena_workgroup"] = reader.text(
                "ATHENA_WORKGROUP", _matches(_WORKGROUP, "an Athena workgroup name")
            )
            values["athena_role_arn"] = reader.text(
                "ATHENA_ROLE_ARN", _matches(_ROLE_ARN, "an IAM role ARN")
            )
            if kind == "athena":
                values["athena_database"] = reader.text("ATHENA_DATABASE", _glue_name)
                values["athena_table"] = reader.text("ATHENA_TABLE", _glue_name)
            else:
                values["feature_group_name"] = reader.text(
                    "FEATURE_GROUP_NAME",
                    _matches(_FEATURE_GROUP, "a feature group name or feature group ARN"),
                )
                values["feature_store_database"] = reader.text("FEATURE_STORE_DATABASE", _glue_name)
        reader.raise_if_problems(kind)
        return cls(**values)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# Checks: each returns None when the value is fine, else what was expected.
# --------------------------------------------------------------------------------------------

_Check = Callable[[str], str | None]


def _matches(pattern: re.Pattern[str], expected: str) -> _Check:
    def check(value: str) -> str | None:
        return None if pattern.match(value) else expected

    return check


def _one_of(allowed: tuple[str, ...]) -> _Check:
    def check(value: str) -> str | None:
        return None if value in allowed else "one of " + ", ".join(allowed)

    return check


def _glue_name(value: str) -> str | None:
    if GLUE_NAME.match(value):
        return None
    return "1-128 lowercase letters, digits or underscores (a Glue/Athena name)"


class _Reader:
    """Reads variables from the environment and collects every problem before failing."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self._environ = environ
        self.missing: list[str] = []
        self.invalid: list[str] = []

    def _raw(self, name: str) -> str | None:
        value = self._environ.get(name, "").strip()
        if not value:
            value = DEFAULTS.get(name, "")
        if not value:
            self.missing.append(name)
            return None
        return value

    def text(self, name: str, check: _Check) -> str:
        value = self._raw(name)
        if value is None:
            return ""
        problem = check(value)
        if problem:
            self.invalid.append(f"{name}={value!r} (expected {problem})")
        return value

    def id_list(self, name: str, pattern: re.Pattern[str], shape: str) -> tuple[str, ...]:
        value = self._raw(name)
        if value is None:
            return ()
        items = tuple(item.strip() for item in value.split(","))
        bad = [item for item in items if not pattern.match(item)]
        if bad:
            self.invalid.append(
                f"{name}={value!r} (expected a comma-separated list of {shape}; "
                f"not valid: {', '.join(repr(b) for b in bad)})"
            )
        return items

    def threshold(self, name: str) -> float:
        value = self._raw(name)
        if value is None:
            return 0.0
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not (math.isfinite(number) and 0.0 <= number <= 1.0):
            self.invalid.append(f"{name}={value!r} (expected a number between 0 and 1)")
        return number

    def raise_if_problems(self, kind: str) -> None:
        if not (self.missing or self.invalid):
            return
        lines = ["The build environment is not what the project template sets:"]
        if self.missing:
            lines.append("  missing: " + ", ".join(self.missing))
        for problem in self.invalid:
            lines.append("  invalid: " + problem)
        if kind not in VARIABLES_BY_KIND:
            lines.append(
                "  (the variables of the data source could not be checked: DATA_SOURCE_KIND "
                "must be one of " + ", ".join(DATA_SOURCE_KINDS) + ")"
            )
        raise ValueError("\n".join(lines))
