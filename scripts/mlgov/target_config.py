"""Typed, validated deployment target configuration (one JSON document per stage).

The pipeline module writes this JSON into each CodeBuild project's ``MLGOV_TARGET_CONFIG``
environment variable; operators can pass the same document with ``--target-config FILE``.
It is parsed once into a frozen object so a typo fails before anything touches AWS, with a
message that names the key and says what was expected.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mlgov.errors import InputError

ENV_VAR = "MLGOV_TARGET_CONFIG"
STAGES = ("test", "prod")
TRAFFIC_SHIFTING_MODES = ("canary", "linear", "all_at_once")

_ACCOUNT_RE = re.compile(r"^\d{12}$")
_REGION_RE = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d$")
_ROLE_ARN_RE = re.compile(r"^arn:aws[a-z-]*:iam::(\d{12}):role/[\w+=,.@/-]{1,512}$")
_KMS_RE = re.compile(r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)/[\w/+=,.@-]+$")
_S3_URI_RE = re.compile(r"^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?$")
_SUBNET_RE = re.compile(r"^subnet-[0-9a-f]{8,17}$")
_SG_RE = re.compile(r"^sg-[0-9a-f]{8,17}$")
_INSTANCE_TYPE_RE = re.compile(r"^ml\.[a-z0-9-]+\.[a-z0-9]+$")
# SageMaker resource names (endpoint, endpoint config, model, variant).
SAGEMAKER_NAME_RE = re.compile(r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$")
_ALARM_NAME_RE = re.compile(r"^(?!\s*$).{1,255}$")
_DEPLOY_ROLE_SUFFIX = "-model-deployer"

REQUIRED_KEYS = (
    "stage",
    "account_id",
    "region",
    "deploy_role_arn",
    "execution_role_arn",
    "kms_key_arn",
    "data_capture_s3_uri",
    "subnet_ids",
    "security_group_ids",
    "instance_type",
    "initial_instance_count",
    "alarm_names",
)
# Optional keys beyond the naming contract; each has a default that suits the stage.
OPTIONAL_KEYS = (
    "endpoint_name",
    "autoscaling",
    "name_prefix",
    "variant_name",
    "data_capture_sampling_percentage",
    "traffic_shifting",
    "canary_size_percent",
    "linear_step_percent",
    "wait_interval_seconds",
    "termination_wait_seconds",
    "maximum_execution_timeout_seconds",
)


@dataclass(frozen=True)
class AutoscalingConfig:
    """Target-tracking autoscaling on SageMakerVariantInvocationsPerInstance."""

    min_capacity: int
    max_capacity: int
    target_invocations_per_instance: float
    scale_in_cooldown_seconds: int = 300
    scale_out_cooldown_seconds: int = 60


@dataclass(frozen=True)
class TrafficShifting:
    """How a blue/green update shifts traffic from the old fleet to the new one."""

    mode: str
    canary_size_percent: int
    linear_step_percent: int
    wait_interval_seconds: int
    termination_wait_seconds: int
    maximum_execution_timeout_seconds: int


@dataclass(frozen=True)
class TargetConfig:
    """One deployment target (the test or the prod account)."""

    stage: str
    account_id: str
    region: str
    deploy_role_arn: str
    execution_role_arn: str
    kms_key_arn: str
    data_capture_s3_uri: str
    subnet_ids: tuple[str, ...]
    security_group_ids: tuple[str, ...]
    instance_type: str
    initial_instance_count: int
    alarm_names: tuple[str, ...]
    endpoint_name: str | None
    autoscaling: AutoscalingConfig | None
    name_prefix: str | None
    variant_name: str
    data_capture_sampling_percentage: int
    traffic_shifting: TrafficShifting
    source: str

    def resolve_endpoint_name(self, model_package_group_name: str | None) -> str:
        """Return the endpoint name: explicit, or ``{prefix}-{central group name}``.

        The prefix comes from ``name_prefix`` or, per the naming contract, from the deploy role
        name ``{prefix}-model-deployer``, so the pipeline need not repeat it.
        """
        if self.endpoint_name:
            return self.endpoint_name
        if not model_package_group_name:
            raise InputError(
                f"{self.source}: key 'endpoint_name' is absent, so the endpoint name is derived "
                "from the model package group; pass --model-package-arn or --endpoint-name"
            )
        prefix = self.name_prefix
        if prefix is None:
            role_name = self.deploy_role_arn.rsplit("/", 1)[-1]
            if not role_name.endswith(_DEPLOY_ROLE_SUFFIX):
                raise InputError(
                    f"{self.source}: key 'endpoint_name' is absent and no 'name_prefix' is set; "
                    f"the prefix cannot be derived from deploy role '{role_name}' (expected "
                    f"'{{prefix}}{_DEPLOY_ROLE_SUFFIX}')"
                )
            prefix = role_name[: -len(_DEPLOY_ROLE_SUFFIX)]
        name = f"{prefix}-{model_package_group_name}"
        if not SAGEMAKER_NAME_RE.match(name):
            raise InputError(
                f"derived endpoint name '{name}' is not a valid SageMaker name (at most 63 "
                "letters, digits and hyphens); set 'endpoint_name' in the target config"
            )
        return name


def load_target_config(path: str | None, *, expected_stage: str | None = None) -> TargetConfig:
    """Load the target config from ``path`` or, when absent, from ``$MLGOV_TARGET_CONFIG``."""
    if path:
        source = f"target config {path}"
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError(f"--target-config: cannot read {path}: {exc.strerror}") from exc
    else:
        text = os.environ.get(ENV_VAR, "")
        source = f"target config ${ENV_VAR}"
        if not text.strip():
            raise InputError(f"no target config: pass --target-config FILE or set ${ENV_VAR}")
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{source}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from exc
    config = parse_target_config(raw, source=source)
    if expected_stage is not None and config.stage != expected_stage:
        raise InputError(
            f"{source}: key 'stage' is '{config.stage}' but --stage is '{expected_stage}'; "
            "refusing to deploy with another stage's target"
        )
    return config


def parse_target_config(raw: object, *, source: str = "target config") -> TargetConfig:
    """Validate a decoded JSON document and return the typed target config."""
    if not isinstance(raw, Mapping):
        raise InputError(f"{source}: expected a JSON object, got {type(raw).__name__}")
    unknown = sorted(set(raw) - set(REQUIRED_KEYS) - set(OPTIONAL_KEYS))
    if unknown:
        raise InputError(
            f"{source}: unknown key {unknown[0]!r}; allowed keys: "
            + ", ".join(REQUIRED_KEYS + OPTIONAL_KEYS)
        )
    for key in REQUIRED_KEYS:
        if key not in raw:
            raise InputError(f"{source}: missing required key '{key}'")

    def fail(key: str, expected: str) -> InputError:
        return InputError(f"{source}: key '{key}': expected {expected}, got {raw.get(key)!r}")

    def string(key: str, pattern: re.Pattern[str], expected: str) -> str:
        value = raw.get(key)
        if not isinstance(value, str) or not pattern.match(value):
            raise fail(key, expected)
        return value

    def integer(key: str, minimum: int, maximum: int, default: int | None = None) -> int:
        value = raw.get(key, default)
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not (minimum <= value <= maximum)
        ):
            raise fail(key, f"an integer from {minimum} to {maximum}")
        return value

    def string_list(key: str, pattern: re.Pattern[str], expected: str, *, non_empty: bool) -> tuple:
        value = raw.get(key)
        if (
            not isinstance(value, list)
            or (non_empty and not value)
            or not all(isinstance(item, str) and pattern.match(item) for item in value)
        ):
            raise fail(key, expected)
        if len(set(value)) != len(value):
            raise fail(key, f"{expected} without duplicates")
        return tuple(value)

    stage = raw.get("stage")
    if stage not in STAGES:
        raise fail("stage", " or ".join(repr(s) for s in STAGES))
    account_id = string("account_id", _ACCOUNT_RE, "a 12-digit AWS account id")
    region = string("region", _REGION_RE, "an AWS region such as 'eu-west-1'")
    deploy_role_arn = string("deploy_role_arn", _ROLE_ARN_RE, "an IAM role ARN")
    execution_role_arn = string("execution_role_arn", _ROLE_ARN_RE, "an IAM role ARN")
    for key, arn in (
        ("deploy_role_arn", deploy_role_arn),
        ("execution_role_arn", execution_role_arn),
    ):
        match = _ROLE_ARN_RE.match(arn)
        if match and match.group(1) != account_id:
            raise fail(key, f"a role in the target account {account_id}")
    kms_key_arn = string("kms_key_arn", _KMS_RE, "a KMS key or alias ARN")
    data_capture_s3_uri = string("data_capture_s3_uri", _S3_URI_RE, "an s3://bucket/prefix/ URI")
    subnet_ids = string_list(
        "subnet_ids", _SUBNET_RE, "a non-empty list of subnet ids ('subnet-...')", non_empty=True
    )
    security_group_ids = string_list(
        "security_group_ids",
        _SG_RE,
        "a non-empty list of security group ids ('sg-...')",
        non_empty=True,
    )
    instance_type = string(
        "instance_type", _INSTANCE_TYPE_RE, "an instance type like 'ml.m5.large'"
    )
    initial_instance_count = integer("initial_instance_count", 1, 100)
    alarm_names = string_list(
        "alarm_names", _ALARM_NAME_RE, "a list of CloudWatch alarm names", non_empty=False
    )

    endpoint_name = raw.get("endpoint_name")
    if endpoint_name is not None:
        endpoint_name = string(
            "endpoint_name", SAGEMAKER_NAME_RE, "a SageMaker name (letters, digits, hyphens, <=63)"
        )
    name_prefix = raw.get("name_prefix")
    if name_prefix is not None:
        name_prefix = string(
            "name_prefix", SAGEMAKER_NAME_RE, "a name prefix (letters, digits, hyphens)"
        )
    variant_name = raw.get("variant_name", "AllTraffic")
    if not isinstance(variant_name, str) or not SAGEMAKER_NAME_RE.match(variant_name):
        raise fail("variant_name", "a SageMaker variant name")
    sampling = integer("data_capture_sampling_percentage", 1, 100, default=100)

    autoscaling = _parse_autoscaling(raw.get("autoscaling"), source)

    # Prod shifts a canary first so alarms can roll back before all traffic moves; test has
    # no production traffic to protect and shifts all at once.
    default_mode = "canary" if stage == "prod" else "all_at_once"
    mode = raw.get("traffic_shifting", default_mode)
    if mode not in TRAFFIC_SHIFTING_MODES:
        raise fail("traffic_shifting", " or ".join(repr(m) for m in TRAFFIC_SHIFTING_MODES))
    default_wait = 600 if stage == "prod" else 0
    default_termination_wait = 600 if stage == "prod" else 0
    traffic = TrafficShifting(
        mode=mode,
        canary_size_percent=integer("canary_size_percent", 1, 50, default=10),
        linear_step_percent=integer("linear_step_percent", 10, 50, default=25),
        wait_interval_seconds=integer("wait_interval_seconds", 0, 3600, default=default_wait),
        termination_wait_seconds=integer(
            "termination_wait_seconds", 0, 3600, default=default_termination_wait
        ),
        maximum_execution_timeout_seconds=integer(
            "maximum_execution_timeout_seconds", 600, 28800, default=3600
        ),
    )
    return TargetConfig(
        stage=stage,
        account_id=account_id,
        region=region,
        deploy_role_arn=deploy_role_arn,
        execution_role_arn=execution_role_arn,
        kms_key_arn=kms_key_arn,
        data_capture_s3_uri=data_capture_s3_uri,
        subnet_ids=subnet_ids,
        security_group_ids=security_group_ids,
        instance_type=instance_type,
        initial_instance_count=initial_instance_count,
        alarm_names=alarm_names,
        endpoint_name=endpoint_name,
        autoscaling=autoscaling,
        name_prefix=name_prefix,
        variant_name=variant_name,
        data_capture_sampling_percentage=sampling,
        traffic_shifting=traffic,
        source=source,
    )


def _parse_autoscaling(value: Any, source: str) -> AutoscalingConfig | None:
    if value is None:
        return None
    key = "autoscaling"
    if not isinstance(value, Mapping):
        raise InputError(f"{source}: key '{key}': expected null or an object, got {value!r}")
    allowed = {
        "min_capacity",
        "max_capacity",
        "target_invocations_per_instance",
        "scale_in_cooldown_seconds",
        "scale_out_cooldown_seconds",
    }
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise InputError(
            f"{source}: key '{key}.{unknown[0]}' is unknown; allowed: {', '.join(sorted(allowed))}"
        )

    def count(name: str, default: int | None = None, maximum: int = 1000) -> int:
        item = value.get(name, default)
        if isinstance(item, bool) or not isinstance(item, int) or not 0 <= item <= maximum:
            raise InputError(
                f"{source}: key '{key}.{name}': expected an integer from 0 to {maximum}, "
                f"got {item!r}"
            )
        return item

    min_capacity = count("min_capacity")
    max_capacity = count("max_capacity")
    if min_capacity < 1:
        raise InputError(f"{source}: key '{key}.min_capacity': expected at least 1")
    if max_capacity < min_capacity:
        raise InputError(
            f"{source}: key '{key}.max_capacity': expected >= min_capacity ({min_capacity}), "
            f"got {max_capacity}"
        )
    target = value.get("target_invocations_per_instance")
    if isinstance(target, bool) or not isinstance(target, int | float) or target <= 0:
        raise InputError(
            f"{source}: key '{key}.target_invocations_per_instance': expected a positive "
            f"number, got {target!r}"
        )
    return AutoscalingConfig(
        min_capacity=min_capacity,
        max_capacity=max_capacity,
        target_invocations_per_instance=float(target),
        scale_in_cooldown_seconds=count("scale_in_cooldown_seconds", 300, 3600),
        scale_out_cooldown_seconds=count("scale_out_cooldown_seconds", 60, 3600),
    )
