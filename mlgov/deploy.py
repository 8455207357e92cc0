"""Deploy an approved central model package to the test or prod account.

Flow: verify the package is Approved in the central registry (the caller's account), assume the
target's deploy role, verify that its artifacts and images are still what was promoted and, in
prod, that the governance officer approved this pipeline execution (`integrity`), create a
network-isolated model in the target VPC from the package, an encrypted endpoint config with
data capture, then create the endpoint or update it with a blue/green deployment that rolls back
on the target's alarms. Resource names carry the package version and a hash of everything that
shapes the model and endpoint config, so running the same deployment twice finds the endpoint
already on that config and does nothing.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import boto3
from botocore.exceptions import ClientError

from mlgov.autoscaling import (
    apply_autoscaling,
    release_autoscaling_if_instance_type_changes,
    restore_autoscaling,
)
from mlgov.aws import (
    ModelPackageRef,
    assume_target_role,
    caller_account,
    describe_client_error,
    is_access_denied,
    is_not_found,
    parse_model_package_arn,
)
from mlgov.errors import InputError, MlgovError
from mlgov.governance import DEFAULT_PROD_APPROVAL_ACTION
from mlgov.integrity import IntegrityReport, prod_approval_gate, verify_integrity
from mlgov.progress import silent
from mlgov.target_config import TargetConfig

TRANSITIONAL_STATUSES = frozenset(
    {"Creating", "Updating", "SystemUpdating", "RollingBack", "Deleting"}
)
_HEARTBEAT_SECONDS = 120.0


class DeploymentFailed(MlgovError):
    """The endpoint did not reach InService on the new config (failed, rolled back, timed out)."""


@dataclass(frozen=True)
class ApprovedPackage:
    """What the central registry says about the package being deployed (for the audit line)."""

    ref: ModelPackageRef
    approval_description: str | None
    approved_by: str | None
    customer_metadata: dict[str, str]
    # The whole DescribeModelPackage answer: the integrity checks walk its references.
    description: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DeploymentPlan:
    """Every name and request body a deployment will use, computed before any call is made."""

    endpoint_name: str
    model_name: str
    endpoint_config_name: str
    variant_name: str
    create_model_request: dict[str, Any]
    create_endpoint_config_request: dict[str, Any]
    deployment_config: dict[str, Any]
    tags: list[dict[str, str]]


@dataclass
class DeployResult:
    """Outcome of a successful (or no-op) deployment."""

    outcome: str  # created | updated | recreated | already_deployed
    stage: str
    account_id: str
    region: str
    endpoint_name: str
    endpoint_config_name: str
    model_name: str
    model_package_arn: str
    previous_endpoint_config_name: str | None = None
    autoscaling: dict[str, Any] | None = None
    approval: dict[str, Any] = field(default_factory=dict)
    target_config_parameter: str | None = None
    integrity: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form for ``--json``."""
        return {"status": self.outcome, **{k: v for k, v in asdict(self).items() if k != "outcome"}}


def verify_approved(
    registry: Any | Sequence[Any], ref: ModelPackageRef, *, central_account_id: str
) -> ApprovedPackage:
    """Refuse anything that is not an Approved package of the central registry.

    The central registry is the caller's account (the pipeline runs in the hub), so a package
    ARN from a dev account is refused even if it is approved there: production only receives
    models that went through the central review.

    ``registry`` is one SageMaker client or several tried in order: the pipeline's CodeBuild
    role may not read the registry itself, while the target's deploy role reads it across
    accounts through the model package group policy, so an access denial moves to the next.
    """
    if ref.account_id != central_account_id:
        raise MlgovError(
            f"model package {ref.arn} belongs to account {ref.account_id}, not the central "
            f"registry account {central_account_id}; only centrally registered packages deploy",
            details={"model_package_arn": ref.arn},
        )
    readers = list(registry) if isinstance(registry, Sequence) else [registry]
    description: dict[str, Any] = {}
    for position, reader in enumerate(readers, start=1):
        try:
            description = reader.describe_model_package(ModelPackageName=ref.arn)
            break
        except ClientError as exc:
            if is_access_denied(exc) and position < len(readers):
                continue
            if is_not_found(exc):
                raise MlgovError(
                    f"model package {ref.arn} does not exist in the central registry",
                    details={"model_package_arn": ref.arn},
                ) from exc
            raise MlgovError(
                f"cannot read model package {ref.arn}: {describe_client_error(exc)}"
            ) from exc
    approval = description.get("ModelApprovalStatus", "unknown")
    if approval != "Approved":
        raise MlgovError(
            f"model package {ref.arn} is {approval} in the central registry; only Approved "
            "packages are deployed (an ML engineer approves with 'mlgov governance approve-model')",
            details={"model_package_arn": ref.arn, "model_approval_status": approval},
        )
    package_status = description.get("ModelPackageStatus")
    if package_status not in (None, "Completed"):
        raise MlgovError(
            f"model package {ref.arn} has status {package_status}; it must be Completed",
            details={"model_package_arn": ref.arn, "model_package_status": package_status},
        )
    modified_by = description.get("LastModifiedBy") or {}
    approved_by = (modified_by.get("IamIdentity") or {}).get("Arn") or modified_by.get(
        "UserProfileName"
    )
    return ApprovedPackage(
        ref=ref,
        approval_description=description.get("ApprovalDescription"),
        approved_by=approved_by,
        customer_metadata=dict(description.get("CustomerMetadataProperties") or {}),
        description=description,
    )


def build_deployment_config(config: TargetConfig) -> dict[str, Any]:
    """Blue/green update policy plus alarm-based auto-rollback, from the target config."""
    shifting = config.traffic_shifting
    routing: dict[str, Any] = {"WaitIntervalInSeconds": shifting.wait_interval_seconds}
    steps = 1
    if shifting.mode == "canary":
        routing["Type"] = "CANARY"
        routing["CanarySize"] = {"Type": "CAPACITY_PERCENT", "Value": shifting.canary_size_percent}
        steps = 2
    elif shifting.mode == "linear":
        routing["Type"] = "LINEAR"
        routing["LinearStepSize"] = {
            "Type": "CAPACITY_PERCENT",
            "Value": shifting.linear_step_percent,
        }
        steps = -(-100 // shifting.linear_step_percent)
    else:
        routing["Type"] = "ALL_AT_ONCE"
    # SageMaker rejects a timeout that does not exceed the sum of its own waits.
    total_wait = shifting.wait_interval_seconds * steps + shifting.termination_wait_seconds
    if shifting.maximum_execution_timeout_seconds <= total_wait:
        raise InputError(
            f"{config.source}: key 'maximum_execution_timeout_seconds' "
            f"({shifting.maximum_execution_timeout_seconds}) must exceed the total wait of the "
            f"traffic shifting ({total_wait} s)"
        )
    deployment: dict[str, Any] = {
        "BlueGreenUpdatePolicy": {
            "TrafficRoutingConfiguration": routing,
            "TerminationWaitInSeconds": shifting.termination_wait_seconds,
            "MaximumExecutionTimeoutInSeconds": shifting.maximum_execution_timeout_seconds,
        }
    }
    if config.alarm_names:
        deployment["AutoRollbackConfiguration"] = {
            "Alarms": [{"AlarmName": name} for name in config.alarm_names]
        }
    return deployment


def plan_deployment(
    ref: ModelPackageRef, config: TargetConfig, *, pipeline_execution_id: str | None = None
) -> DeploymentPlan:
    """Compute names and request bodies; pure, so tests and dry runs can inspect them.

    The pipeline execution id only goes into tags (the audit trail), never into names, so a
    retried execution still finds the resources it created.
    """
    endpoint_name = config.resolve_endpoint_name(ref.group_name)
    data_capture = {
        "EnableCapture": True,
        "InitialSamplingPercentage": config.data_capture_sampling_percentage,
        "DestinationS3Uri": config.data_capture_s3_uri,
        "KmsKeyId": config.kms_key_arn,
        "CaptureOptions": [{"CaptureMode": "Input"}, {"CaptureMode": "Output"}],
        "CaptureContentTypeHeader": {
            "JsonContentTypes": ["application/json"],
            "CsvContentTypes": ["text/csv"],
        },
    }
    vpc_config = {
        "SecurityGroupIds": list(config.security_group_ids),
        "Subnets": list(config.subnet_ids),
    }
    # Everything that ends up inside the model or endpoint config; a change to any of it must
    # produce new names (configs are immutable), while an identical re-run must not.
    fingerprint_input = {
        "model_package_arn": ref.arn,
        "execution_role_arn": config.execution_role_arn,
        "vpc": {k: sorted(v) for k, v in vpc_config.items()},
        "instance_type": config.instance_type,
        "initial_instance_count": config.initial_instance_count,
        "variant_name": config.variant_name,
        "kms_key_arn": config.kms_key_arn,
        "data_capture": data_capture,
    }
    digest = hashlib.sha256(
        json.dumps(fingerprint_input, sort_keys=True).encode("utf-8")
    ).hexdigest()[:8]
    suffix = f"-v{ref.version}-{digest}"
    base = endpoint_name[: 63 - len(suffix)].rstrip("-")
    resource_name = f"{base}{suffix}"
    tags = [
        {"Key": "mlgov:model-package-arn", "Value": ref.arn},
        {"Key": "mlgov:model-package-group", "Value": ref.group_name},
        {"Key": "mlgov:model-package-version", "Value": str(ref.version)},
        {"Key": "mlgov:stage", "Value": config.stage},
    ]
    if pipeline_execution_id:
        tags.append({"Key": "mlgov:pipeline-execution-id", "Value": pipeline_execution_id})
    return DeploymentPlan(
        endpoint_name=endpoint_name,
        model_name=resource_name,
        endpoint_config_name=resource_name,
        variant_name=config.variant_name,
        create_model_request={
            "ModelName": resource_name,
            "PrimaryContainer": {"ModelPackageName": ref.arn},
            "ExecutionRoleArn": config.execution_role_arn,
            "VpcConfig": vpc_config,
            "EnableNetworkIsolation": True,
            "Tags": tags,
        },
        create_endpoint_config_request={
            "EndpointConfigName": resource_name,
            "ProductionVariants": [
                {
                    "VariantName": config.variant_name,
                    "ModelName": resource_name,
                    "InstanceType": config.instance_type,
                    "InitialInstanceCount": config.initial_instance_count,
                    "InitialVariantWeight": 1.0,
                }
            ],
            "KmsKeyId": config.kms_key_arn,
            "DataCaptureConfig": data_capture,
            "Tags": tags,
        },
        deployment_config=build_deployment_config(config),
        tags=tags,
    )


class EndpointWaiter:
    """Polls DescribeEndpoint until the endpoint settles, reporting progress, within a deadline.

    boto3's ``endpoint_in_service`` waiter gives no progress and treats a rollback back to
    InService as success; deployments need both the progress and the distinction.
    """

    def __init__(
        self,
        sagemaker: Any,
        *,
        timeout_seconds: float,
        poll_seconds: float = 30.0,
        progress: Callable[[str], None] = silent,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sagemaker = sagemaker
        self._timeout = timeout_seconds
        self._poll_seconds = poll_seconds
        self._progress = progress
        self._sleep = sleep
        self._clock = clock
        self._deadline = clock() + timeout_seconds

    def describe(self, endpoint_name: str) -> dict[str, Any] | None:
        """Return DescribeEndpoint's response, or None when the endpoint does not exist."""
        try:
            return dict(self._sagemaker.describe_endpoint(EndpointName=endpoint_name))
        except ClientError as exc:
            if is_not_found(exc):
                return None
            raise

    def wait(self, endpoint_name: str) -> dict[str, Any]:
        """Wait until the endpoint leaves the transitional states; return its description."""
        description = self._poll(endpoint_name, until_deleted=False)
        if description is None:
            raise MlgovError(f"endpoint {endpoint_name} disappeared while waiting for it")
        return description

    def wait_deleted(self, endpoint_name: str) -> None:
        """Wait until a deleted endpoint is gone, so its name can be reused."""
        self._poll(endpoint_name, until_deleted=True)

    def _poll(self, endpoint_name: str, *, until_deleted: bool) -> dict[str, Any] | None:
        last_line = ""
        last_emit = float("-inf")
        while True:
            description = self.describe(endpoint_name)
            if description is None:
                if until_deleted:
                    self._progress(f"endpoint {endpoint_name}: deleted")
                return None
            status = description["EndpointStatus"]
            line = status_line(description)
            now = self._clock()
            if line != last_line or now - last_emit >= _HEARTBEAT_SECONDS:
                self._progress(line)
                last_line, last_emit = line, now
            if not until_deleted and status not in TRANSITIONAL_STATUSES:
                return description
            if now >= self._deadline:
                raise DeploymentFailed(
                    f"timed out after {self._timeout:.0f} s waiting for endpoint "
                    f"{endpoint_name} (status {status}); SageMaker continues in the background "
                    f"and endpoint config {description.get('EndpointConfigName')} keeps serving "
                    "until the new one is InService or rolled back",
                    details={
                        "endpoint_name": endpoint_name,
                        "endpoint_status": status,
                        "serving_endpoint_config_name": description.get("EndpointConfigName"),
                        "failure_reason": "timeout",
                    },
                )
            self._sleep(self._poll_seconds)


def status_line(description: dict[str, Any]) -> str:
    """One progress line: status, serving config, and the blue/green step if one is running."""
    parts = [
        f"endpoint {description['EndpointName']}: {description['EndpointStatus']}"
        f" (serving {description.get('EndpointConfigName', '-')})"
    ]
    pending = description.get("PendingDeploymentSummary")
    if pending:
        parts.append(f"deploying {pending.get('EndpointConfigName')}")
        for variant in pending.get("ProductionVariants", []):
            for variant_status in variant.get("VariantStatus", []):
                parts.append(
                    f"{variant.get('VariantName')}: {variant_status.get('Status')}"
                    f" {variant_status.get('StatusMessage', '')}".rstrip()
                )
    return "; ".join(parts)


def deploy_plan(
    plan: DeploymentPlan,
    config: TargetConfig,
    package: ApprovedPackage,
    *,
    sagemaker: Any,
    autoscaling: Any,
    waiter: EndpointWaiter,
    progress: Callable[[str], None] = silent,
) -> DeployResult:
    """Bring the endpoint to ``plan.endpoint_config_name`` in the target account.

    ``sagemaker`` and ``autoscaling`` are clients in the target account, so tests can hand in
    moto-backed or stubbed clients.
    """
    result = DeployResult(
        outcome="created",
        stage=config.stage,
        account_id=config.account_id,
        region=config.region,
        endpoint_name=plan.endpoint_name,
        endpoint_config_name=plan.endpoint_config_name,
        model_name=plan.model_name,
        model_package_arn=package.ref.arn,
        approval={
            "description": package.approval_description,
            "approved_by": package.approved_by,
        },
        target_config_parameter=config.target_config_parameter,
    )
    current = waiter.describe(plan.endpoint_name)
    if current is not None and current["EndpointStatus"] in TRANSITIONAL_STATUSES:
        progress(
            f"endpoint {plan.endpoint_name} is {current['EndpointStatus']}; waiting for the "
            "running operation to finish first"
        )
        current = waiter.wait(plan.endpoint_name)

    if current is not None:
        status = current["EndpointStatus"]
        if status == "InService" and current.get("EndpointConfigName") == plan.endpoint_config_name:
            progress(f"endpoint {plan.endpoint_name} already serves {plan.endpoint_config_name}")
            result.outcome = "already_deployed"
            result.autoscaling = apply_autoscaling(
                autoscaling, plan.endpoint_name, plan.variant_name, config.autoscaling, progress
            )
            return result
        if status == "Failed":
            # A failed creation serves nothing; it cannot be updated, only replaced.
            progress(f"endpoint {plan.endpoint_name} is Failed; deleting it to recreate")
            sagemaker.delete_endpoint(EndpointName=plan.endpoint_name)
            waiter.wait_deleted(plan.endpoint_name)
            current = None
            result.outcome = "recreated"
        elif status != "InService":
            raise MlgovError(
                f"endpoint {plan.endpoint_name} is {status}; it needs manual attention before "
                "a deployment can update it",
                details={"endpoint_name": plan.endpoint_name, "endpoint_status": status},
            )

    _ensure_model(sagemaker, plan, progress)
    _ensure_endpoint_config(sagemaker, plan, progress)

    if current is None:
        progress(f"creating endpoint {plan.endpoint_name} with {plan.endpoint_config_name}")
        sagemaker.create_endpoint(
            EndpointName=plan.endpoint_name,
            EndpointConfigName=plan.endpoint_config_name,
            Tags=plan.tags,
        )
        settled = waiter.wait(plan.endpoint_name)
        if settled["EndpointStatus"] != "InService":
            raise DeploymentFailed(
                f"endpoint {plan.endpoint_name} is {settled['EndpointStatus']}: "
                f"{settled.get('FailureReason', 'no failure reason given')}; no earlier "
                "endpoint config was serving",
                details={
                    "endpoint_name": plan.endpoint_name,
                    "endpoint_status": settled["EndpointStatus"],
                    "failure_reason": settled.get("FailureReason"),
                    "serving_endpoint_config_name": None,
                },
            )
        result.autoscaling = apply_autoscaling(
            autoscaling, plan.endpoint_name, plan.variant_name, config.autoscaling, progress
        )
        return result

    previous = current.get("EndpointConfigName")
    result.previous_endpoint_config_name = previous
    released = release_autoscaling_if_instance_type_changes(
        sagemaker, autoscaling, plan.endpoint_name, plan.variant_name, previous, config, progress
    )
    request: dict[str, Any] = {
        "EndpointName": plan.endpoint_name,
        "EndpointConfigName": plan.endpoint_config_name,
        "DeploymentConfig": plan.deployment_config,
    }
    if config.autoscaling is not None:
        # Keep the instance count autoscaling reached so the green fleet matches live load;
        # take the new data capture settings from the new config.
        request["RetainAllVariantProperties"] = True
        request["ExcludeRetainedVariantProperties"] = [{"VariantPropertyType": "DataCaptureConfig"}]
    routing = plan.deployment_config["BlueGreenUpdatePolicy"]["TrafficRoutingConfiguration"]
    rollback = plan.deployment_config.get("AutoRollbackConfiguration", {})
    alarms = [alarm["AlarmName"] for alarm in rollback.get("Alarms", [])]
    progress(
        f"updating endpoint {plan.endpoint_name}: {previous} -> {plan.endpoint_config_name} "
        f"(blue/green {routing['Type']}, auto-rollback alarms: {', '.join(alarms) or 'none'})"
    )
    try:
        sagemaker.update_endpoint(**request)
    except ClientError as exc:
        restore_autoscaling(autoscaling, plan.endpoint_name, plan.variant_name, released, progress)
        raise DeploymentFailed(
            f"UpdateEndpoint was refused: {describe_client_error(exc)}; endpoint config "
            f"{previous} keeps serving",
            details={
                "endpoint_name": plan.endpoint_name,
                "failure_reason": describe_client_error(exc),
                "serving_endpoint_config_name": previous,
            },
        ) from exc
    settled = waiter.wait(plan.endpoint_name)
    if (
        settled["EndpointStatus"] != "InService"
        or settled.get("EndpointConfigName") != plan.endpoint_config_name
    ):
        restore_autoscaling(autoscaling, plan.endpoint_name, plan.variant_name, released, progress)
        reason = settled.get("FailureReason") or "the deployment was rolled back"
        serving = settled.get("EndpointConfigName")
        raise DeploymentFailed(
            f"deployment of {plan.endpoint_config_name} to {plan.endpoint_name} failed: "
            f"{reason}; endpoint is {settled['EndpointStatus']} and serves {serving}",
            details={
                "endpoint_name": plan.endpoint_name,
                "endpoint_status": settled["EndpointStatus"],
                "failure_reason": reason,
                "serving_endpoint_config_name": serving,
            },
        )
    result.outcome = "updated"
    result.autoscaling = apply_autoscaling(
        autoscaling, plan.endpoint_name, plan.variant_name, config.autoscaling, progress
    )
    return result


def run_deploy(
    session: boto3.Session,
    config: TargetConfig,
    model_package_arn: str,
    *,
    timeout_seconds: float = 3600.0,
    poll_seconds: float = 30.0,
    pipeline_execution_id: str | None = None,
    target_session: boto3.Session | None = None,
    pipeline_name: str | None = None,
    approver_role_arn: str | None = None,
    progress: Callable[[str], None] = silent,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> DeployResult:
    """Deploy ``model_package_arn`` to the target described by ``config``.

    ``session`` holds the caller's credentials in the hub (the pipeline's CodeBuild role or an
    operator profile); it reads the central registry and assumes the target's deploy role.
    ``target_session`` is that deploy role's session when the caller already holds one (it was
    needed to read the target config from SSM), so the role is not assumed twice.

    Before anything is created, ``integrity.verify_integrity`` checks the package against its
    promotion lineage and, in prod, the approval of ``pipeline_name``'s execution
    ``pipeline_execution_id`` by ``approver_role_arn`` (default: the naming contract's
    governance officer); its report is the result's ``integrity``.
    """
    ref = parse_model_package_arn(model_package_arn)
    plan = plan_deployment(ref, config, pipeline_execution_id=pipeline_execution_id)
    central_account = caller_account(session, ref.region)
    if timeout_seconds < config.traffic_shifting.maximum_execution_timeout_seconds:
        progress(
            f"note: --timeout {timeout_seconds:g} s is shorter than the blue/green maximum "
            f"execution time ({config.traffic_shifting.maximum_execution_timeout_seconds} s); "
            "a slow update may outlive this command"
        )
    target = target_session
    if target is None:
        target = assume_target_role(
            session, config.identity, purpose="deploy", execution_id=pipeline_execution_id
        )
        progress(f"assumed {config.deploy_role_arn} in {config.stage} account {config.account_id}")
    package = verify_approved(
        [
            session.client("sagemaker", region_name=ref.region),
            target.client("sagemaker", region_name=ref.region),
        ],
        ref,
        central_account_id=central_account,
    )
    progress(f"model package {ref.arn} is Approved in the central registry")
    report = verify_package_integrity(
        session,
        target,
        package,
        stage=config.stage,
        central_account_id=central_account,
        pipeline_name=pipeline_name,
        pipeline_execution_id=pipeline_execution_id,
        approver_role_arn=approver_role_arn,
        progress=progress,
    )
    sagemaker = target.client("sagemaker", region_name=config.region)
    waiter = EndpointWaiter(
        sagemaker,
        timeout_seconds=timeout_seconds,
        poll_seconds=poll_seconds,
        progress=progress,
        sleep=sleep,
        clock=clock,
    )
    result = deploy_plan(
        plan,
        config,
        package,
        sagemaker=sagemaker,
        autoscaling=target.client("application-autoscaling", region_name=config.region),
        waiter=waiter,
        progress=progress,
    )
    result.integrity = report.to_dict()
    return result


def verify_package_integrity(
    session: boto3.Session,
    target: boto3.Session,
    package: ApprovedPackage,
    *,
    stage: str,
    central_account_id: str,
    pipeline_name: str | None,
    pipeline_execution_id: str | None,
    approver_role_arn: str | None,
    progress: Callable[[str], None] = silent,
) -> IntegrityReport:
    """Check the package against its lineage (and the prod approval) before anything is made.

    Clients follow who may read what: the promoted objects with the deploy role (the hub
    bucket admits the target accounts under ``promoted/``; the target module grants the role
    exactly that), image tags and the pipeline's approvals with the caller in the hub (ECR's
    repository policy admits the targets to pull only, and a pipeline has no cross-account
    access; the pipeline module grants the CodeBuild roles those reads).
    """
    ref = package.ref
    gate = None
    if stage == "prod":
        gate = prod_approval_gate(
            pipeline_name=pipeline_name,
            pipeline_execution_id=pipeline_execution_id,
            approver_role_arn=approver_role_arn,
            action_name=DEFAULT_PROD_APPROVAL_ACTION,
            partition=ref.partition,
            hub_account_id=central_account_id,
        )
    return verify_integrity(
        package.description,
        group_name=ref.group_name,
        s3=target.client("s3", region_name=ref.region),
        ecr_for=lambda region: session.client("ecr", region_name=region),
        codepipeline=session.client("codepipeline", region_name=ref.region) if gate else None,
        gate=gate,
        model_package_arn=ref.arn,
        progress=progress,
    )


def _ensure_model(sagemaker: Any, plan: DeploymentPlan, progress: Callable[[str], None]) -> None:
    try:
        existing = sagemaker.describe_model(ModelName=plan.model_name)
    except ClientError as exc:
        if not is_not_found(exc):
            raise
    else:
        package = (existing.get("PrimaryContainer") or {}).get("ModelPackageName")
        expected = plan.create_model_request["PrimaryContainer"]["ModelPackageName"]
        if package and package != expected:
            raise MlgovError(
                f"model {plan.model_name} exists but points at {package}, not {expected}"
            )
        progress(f"model {plan.model_name} exists")
        return
    progress(f"creating model {plan.model_name} (network isolated, in the target VPC)")
    _create_tolerating_race(sagemaker.create_model, plan.create_model_request)


def _ensure_endpoint_config(
    sagemaker: Any, plan: DeploymentPlan, progress: Callable[[str], None]
) -> None:
    try:
        sagemaker.describe_endpoint_config(EndpointConfigName=plan.endpoint_config_name)
    except ClientError as exc:
        if not is_not_found(exc):
            raise
    else:
        progress(f"endpoint config {plan.endpoint_config_name} exists")
        return
    progress(f"creating endpoint config {plan.endpoint_config_name} (KMS, data capture)")
    _create_tolerating_race(sagemaker.create_endpoint_config, plan.create_endpoint_config_request)


def _create_tolerating_race(create: Callable[..., Any], request: dict[str, Any]) -> None:
    """A concurrent run of the same deployment may create the same name first; that is fine."""
    try:
        create(**request)
    except ClientError as exc:
        if "already exist" not in exc.response.get("Error", {}).get("Message", ""):
            raise
