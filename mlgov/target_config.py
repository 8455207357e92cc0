"""Typed, validated deployment target configuration (one JSON document per stage).

The document comes from ``$MLGOV_TARGET_CONFIG`` (set by the pipeline module on each CodeBuild
project) or ``--target-config FILE`` (operators). It has one of two forms:

- complete: every key of the naming contract, as operators write it for a local run;
- a reference: the keys the hub knows from configuration (``stage``, ``account_id``, ``region``,
  ``deploy_role_arn``, optional overrides) plus ``target_config_parameter``, the name of the SSM
  parameter in which the ``model-deployment-target`` module publishes the rest inside the target
  account. :mod:`mlgov.resolve` reads that parameter with the deploy role and
  :func:`merge_target_config` combines both.

Everything is parsed into a frozen object before a deployment starts, so a typo fails with a
message that names the key, says what was expected and which document the value came from.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from mlgov.errors import InputError

ENV_VAR = "MLGOV_TARGET_CONFIG"
# Names the SSM parameter in the target account that holds the rest of the config.
PARAMETER_KEY = "target_config_parameter"
# Where the target is and how to reach it; both documents must agree on these.
IDENTITY_KEYS = ("stage", "account_id", "region", "deploy_role_arn")
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
# SSM parameter names: letters, digits and _.- in up to 15 /-separated levels, 1011 chars.
_PARAMETER_NAME_RE = re.compile(r"^(?=.{1,1011}$)/?[a-zA-Z0-9_.-]+(/[a-zA-Z0-9_.-]+){0,14}$")
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
class TargetIdentity:
    """Which account and region a target is, and the role that reaches it.

    This is all the CLI needs before it can read anything in the target account, and what the
    pipeline's document and the target's SSM parameter must agree on.
    """

    stage: str
    account_id: str
    region: str
    deploy_role_arn: str


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
    # The SSM parameter the config was completed from; None for a complete local document.
    target_config_parameter: str | None = None

    @property
    def identity(self) -> TargetIdentity:
        """The account, region and deploy role, for assuming the role."""
        return TargetIdentity(
            stage=self.stage,
            account_id=self.account_id,
            region=self.region,
            deploy_role_arn=self.deploy_role_arn,
        )

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


@dataclass(frozen=True)
class TargetDocument:
    """The target config as given to the CLI, before anything is read from the target account.

    ``config`` is set for a complete document. For the pipeline's reduced document it is None
    and ``parameter_name`` names the SSM parameter that completes it (see
    :func:`merge_target_config`).
    """

    identity: TargetIdentity
    origin: str  # "$MLGOV_TARGET_CONFIG" or the --target-config path, for messages
    values: dict[str, Any] = field(repr=False)  # the document's keys except the parameter name
    parameter_name: str | None
    config: TargetConfig | None

    @property
    def source(self) -> str:
        """How messages name this document."""
        return f"target config {self.origin}"


def load_target_document(path: str | None, *, expected_stage: str | None = None) -> TargetDocument:
    """Read the document from ``path`` or, when absent, from ``$MLGOV_TARGET_CONFIG``.

    Everything that can be checked without AWS is checked here: JSON, unknown keys, the
    identity keys (needed to assume the deploy role), the parameter name, ``--stage``, and for
    a complete document every key.
    """
    if path:
        origin = path
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError(f"--target-config: cannot read {path}: {exc.strerror}") from exc
    else:
        origin = f"${ENV_VAR}"
        text = os.environ.get(ENV_VAR, "")
        if not text.strip():
            raise InputError(f"no target config: pass --target-config FILE or set ${ENV_VAR}")
    source = f"target config {origin}"
    raw = _decode_json_object(text, source)
    _reject_unknown_keys(raw, source, REQUIRED_KEYS + OPTIONAL_KEYS + (PARAMETER_KEY,))
    config: TargetConfig | None = None
    parameter_name: str | None = None
    if PARAMETER_KEY in raw:
        fields = _Fields(raw, source)
        parameter_name = fields.string(
            PARAMETER_KEY,
            _PARAMETER_NAME_RE,
            "an SSM parameter name such as '/mlgov/model-deployment/target-config'",
        )
        for key in IDENTITY_KEYS:
            if key not in raw:
                raise InputError(
                    f"{source}: missing required key '{key}' (it says where to read SSM "
                    f"parameter '{parameter_name}', so it cannot come from that parameter)"
                )
        identity = _parse_identity(fields)
    else:
        config = parse_target_config(raw, source=source)
        identity = config.identity
    if expected_stage is not None and identity.stage != expected_stage:
        raise InputError(
            f"{source}: key 'stage' is '{identity.stage}' but --stage is '{expected_stage}'; "
            "refusing to deploy with another stage's target"
        )
    return TargetDocument(
        identity=identity,
        origin=origin,
        values={key: value for key, value in raw.items() if key != PARAMETER_KEY},
        parameter_name=parameter_name,
        config=config,
    )


def decode_parameter_document(text: str, parameter_origin: str) -> dict[str, Any]:
    """Decode the SSM parameter's value; a malformed one is bad input naming the parameter."""
    return _decode_json_object(text, parameter_origin)


def merge_target_config(
    document: TargetDocument, published: Mapping[str, Any], *, parameter_origin: str
) -> TargetConfig:
    """Complete the pipeline's document with what the target account publishes.

    Top-level keys of the document win over the parameter's (a present ``autoscaling`` replaces
    the whole object). The identity keys must be equal in both: a difference means the
    pipeline's target and the parameter describe different stages or accounts, which is wrong
    input rather than something to deploy. An ``endpoint_name`` override must equal the
    published name, because the target's rollback alarms watch that name.
    """
    if document.parameter_name is None:
        raise ValueError("merge_target_config needs a document that names an SSM parameter")
    for key in IDENTITY_KEYS:
        if key in published and published[key] != document.values[key]:
            raise InputError(
                f"key '{key}' differs: {document.origin} has {document.values[key]!r} but "
                f"{parameter_origin} has {published[key]!r}; the pipeline's target and the "
                "parameter describe different targets, so nothing was deployed (compare the "
                "hub's deployment_targets with the stage's model-deployment-target stack)",
                details={
                    "key": key,
                    "target_config_value": document.values[key],
                    "parameter_value": published[key],
                },
            )
    override = document.values.get("endpoint_name")
    expected_name = published.get("endpoint_name")
    if override is not None and expected_name is not None and override != expected_name:
        raise InputError(
            f"key 'endpoint_name' is {override!r} in {document.origin} but {expected_name!r} in "
            f"{parameter_origin}; the target's rollback alarms watch {expected_name!r}, so an "
            "override must name the same endpoint",
            details={
                "key": "endpoint_name",
                "target_config_value": override,
                "parameter_value": expected_name,
            },
        )
    merged = {**published, **document.values}
    origins = {key: parameter_origin for key in published}
    origins.update({key: document.origin for key in document.values})
    config = parse_target_config(
        merged,
        source=f"target config {document.origin} + SSM parameter '{document.parameter_name}'",
        origins=origins,
        missing_hint=f"it is in neither {document.origin} nor {parameter_origin}",
    )
    return replace(config, target_config_parameter=document.parameter_name)


def parse_target_config(
    raw: object,
    *,
    source: str = "target config",
    origins: Mapping[str, str] | None = None,
    missing_hint: str | None = None,
) -> TargetConfig:
    """Validate a decoded JSON document and return the typed target config.

    ``origins`` maps keys to the document they came from (for a merged config) so a message
    can say which one holds the bad value; ``missing_hint`` explains where a missing key was
    looked for.
    """
    if not isinstance(raw, Mapping):
        raise InputError(f"{source}: expected a JSON object, got {type(raw).__name__}")
    _reject_unknown_keys(raw, source, REQUIRED_KEYS + OPTIONAL_KEYS, origins)
    for key in REQUIRED_KEYS:
        if key not in raw:
            hint = f": {missing_hint}" if missing_hint else ""
            raise InputError(f"{source}: missing required key '{key}'{hint}")
    fields = _Fields(raw, source, origins)
    identity = _parse_identity(fields)
    execution_role_arn = fields.string("execution_role_arn", _ROLE_ARN_RE, "an IAM role ARN")
    match = _ROLE_ARN_RE.match(execution_role_arn)
    if match and match.group(1) != identity.account_id:
        raise fields.fail(
            "execution_role_arn", f"a role in the target account {identity.account_id}"
        )
    kms_key_arn = fields.string("kms_key_arn", _KMS_RE, "a KMS key or alias ARN")
    data_capture_s3_uri = fields.string(
        "data_capture_s3_uri", _S3_URI_RE, "an s3://bucket/prefix/ URI"
    )
    subnet_ids = fields.string_list(
        "subnet_ids", _SUBNET_RE, "a non-empty list of subnet ids ('subnet-...')", non_empty=True
    )
    security_group_ids = fields.string_list(
        "security_group_ids",
        _SG_RE,
        "a non-empty list of security group ids ('sg-...')",
        non_empty=True,
    )
    instance_type = fields.string(
        "instance_type", _INSTANCE_TYPE_RE, "an instance type like 'ml.m5.large'"
    )
    initial_instance_count = fields.integer("initial_instance_count", 1, 100)
    alarm_names = fields.string_list(
        "alarm_names", _ALARM_NAME_RE, "a list of CloudWatch alarm names", non_empty=False
    )

    endpoint_name = raw.get("endpoint_name")
    if endpoint_name is not None:
        endpoint_name = fields.string(
            "endpoint_name", SAGEMAKER_NAME_RE, "a SageMaker name (letters, digits, hyphens, <=63)"
        )
    name_prefix = raw.get("name_prefix")
    if name_prefix is not None:
        name_prefix = fields.string(
            "name_prefix", SAGEMAKER_NAME_RE, "a name prefix (letters, digits, hyphens)"
        )
    variant_name = raw.get("variant_name", "AllTraffic")
    if not isinstance(variant_name, str) or not SAGEMAKER_NAME_RE.match(variant_name):
        raise fields.fail("variant_name", "a SageMaker variant name")
    sampling = fields.integer("data_capture_sampling_percentage", 1, 100, default=100)

    autoscaling = _parse_autoscaling(raw.get("autoscaling"), fields)

    stage = identity.stage
    # Prod shifts a canary first so alarms can roll back before all traffic moves; test has
    # no production traffic to protect and shifts all at once.
    default_mode = "canary" if stage == "prod" else "all_at_once"
    mode = raw.get("traffic_shifting", default_mode)
    if mode not in TRAFFIC_SHIFTING_MODES:
        raise fields.fail("traffic_shifting", " or ".join(repr(m) for m in TRAFFIC_SHIFTING_MODES))
    default_wait = 600 if stage == "prod" else 0
    default_termination_wait = 600 if stage == "prod" else 0
    traffic = TrafficShifting(
        mode=mode,
        canary_size_percent=fields.integer("canary_size_percent", 1, 50, default=10),
        linear_step_percent=fields.integer("linear_step_percent", 10, 50, default=25),
        wait_interval_seconds=fields.integer(
            "wait_interval_seconds", 0, 3600, default=default_wait
        ),
        termination_wait_seconds=fields.integer(
            "termination_wait_seconds", 0, 3600, default=default_termination_wait
        ),
        maximum_execution_timeout_seconds=fields.integer(
            "maximum_execution_timeout_seconds", 600, 28800, default=3600
        ),
    )
    return TargetConfig(
        stage=stage,
        account_id=identity.account_id,
        region=identity.region,
        deploy_role_arn=identity.deploy_role_arn,
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


def _decode_json_object(text: str, source: str) -> dict[str, Any]:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{source}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from exc
    if not isinstance(raw, dict):
        raise InputError(f"{source}: expected a JSON object, got {type(raw).__name__}")
    return raw


def _reject_unknown_keys(
    raw: Mapping[str, Any],
    source: str,
    allowed: tuple[str, ...],
    origins: Mapping[str, str] | None = None,
) -> None:
    """Unknown keys are errors, so a typo cannot silently drop a setting."""
    unknown = sorted(set(raw) - set(allowed))
    if unknown:
        origin = (origins or {}).get(unknown[0])
        where = f" (from {origin})" if origin else ""
        raise InputError(
            f"{source}: unknown key {unknown[0]!r}{where}; allowed keys: " + ", ".join(allowed)
        )


class _Fields:
    """Typed reads of one decoded document; errors name the key and, when merged, its origin."""

    def __init__(
        self, raw: Mapping[str, Any], source: str, origins: Mapping[str, str] | None = None
    ) -> None:
        self.raw = raw
        self.source = source
        self._origins = origins or {}

    def where(self, key: str) -> str:
        """``{source}: key 'x'``, plus the document that supplied the value when merged."""
        origin = self._origins.get(key.split(".", 1)[0])
        return f"{self.source}: key '{key}'" + (f" (from {origin})" if origin else "")

    def fail(self, key: str, expected: str) -> InputError:
        return InputError(f"{self.where(key)}: expected {expected}, got {self.raw.get(key)!r}")

    def string(self, key: str, pattern: re.Pattern[str], expected: str) -> str:
        value = self.raw.get(key)
        if not isinstance(value, str) or not pattern.match(value):
            raise self.fail(key, expected)
        return value

    def integer(self, key: str, minimum: int, maximum: int, default: int | None = None) -> int:
        value = self.raw.get(key, default)
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not (minimum <= value <= maximum)
        ):
            raise self.fail(key, f"an integer from {minimum} to {maximum}")
        return value

    def string_list(
        self, key: str, pattern: re.Pattern[str], expected: str, *, non_empty: bool
    ) -> tuple[str, ...]:
        value = self.raw.get(key)
        if (
            not isinstance(value, list)
            or (non_empty and not value)
            or not all(isinstance(item, str) and pattern.match(item) for item in value)
        ):
            raise self.fail(key, expected)
        if len(set(value)) != len(value):
            raise self.fail(key, f"{expected} without duplicates")
        return tuple(value)


def _parse_identity(fields: _Fields) -> TargetIdentity:
    stage = fields.raw.get("stage")
    if stage not in STAGES:
        raise fields.fail("stage", " or ".join(repr(s) for s in STAGES))
    account_id = fields.string("account_id", _ACCOUNT_RE, "a 12-digit AWS account id")
    region = fields.string("region", _REGION_RE, "an AWS region such as 'eu-west-1'")
    deploy_role_arn = fields.string("deploy_role_arn", _ROLE_ARN_RE, "an IAM role ARN")
    match = _ROLE_ARN_RE.match(deploy_role_arn)
    if match and match.group(1) != account_id:
        raise fields.fail("deploy_role_arn", f"a role in the target account {account_id}")
    return TargetIdentity(
        stage=str(stage), account_id=account_id, region=region, deploy_role_arn=deploy_role_arn
    )


def _parse_autoscaling(value: Any, fields: _Fields) -> AutoscalingConfig | None:
    if value is None:
        return None
    key = "autoscaling"
    if not isinstance(value, Mapping):
        raise InputError(f"{fields.where(key)}: expected null or an object, got {value!r}")
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
            f"{fields.where(f'{key}.{unknown[0]}')} is unknown; allowed: "
            f"{', '.join(sorted(allowed))}"
        )

    def count(name: str, default: int | None = None, maximum: int = 1000) -> int:
        item = value.get(name, default)
        if isinstance(item, bool) or not isinstance(item, int) or not 0 <= item <= maximum:
            raise InputError(
                f"{fields.where(f'{key}.{name}')}: expected an integer from 0 to {maximum}, "
                f"got {item!r}"
            )
        return item

    min_capacity = count("min_capacity")
    max_capacity = count("max_capacity")
    if min_capacity < 1:
        raise InputError(f"{fields.where(f'{key}.min_capacity')}: expected at least 1")
    if max_capacity < min_capacity:
        raise InputError(
            f"{fields.where(f'{key}.max_capacity')}: expected >= min_capacity ({min_capacity}), "
            f"got {max_capacity}"
        )
    target = value.get("target_invocations_per_instance")
    if isinstance(target, bool) or not isinstance(target, int | float) or target <= 0:
        raise InputError(
            f"{fields.where(f'{key}.target_invocations_per_instance')}: expected a positive "
            f"number, got {target!r}"
        )
    return AutoscalingConfig(
        min_capacity=min_capacity,
        max_capacity=max_capacity,
        target_invocations_per_instance=float(target),
        scale_in_cooldown_seconds=count("scale_in_cooldown_seconds", 300, 3600),
        scale_out_cooldown_seconds=count("scale_out_cooldown_seconds", 60, 3600),
    )
