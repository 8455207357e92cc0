"""Governance actions: review promoted packages, approve or reject them, gate the prod stage.

Two personas use these commands from the hub account. The ML engineer reviews central model
packages awaiting approval (with the lineage the promotion Lambda recorded) and approves or
rejects them; an approval starts the deployment pipeline. The governance officer answers the
pipeline's manual approval before prod. Each answer carries a reason that AWS stores with the
decision (ApprovalDescription, the approval summary), so the audit trail says who and why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from mlgov.aws import describe_client_error, is_not_found, parse_model_package_arn
from mlgov.errors import InputError, MlgovError

PENDING = "PendingManualApproval"
APPROVAL_DESCRIPTION_MAX = 1024
APPROVAL_SUMMARY_MAX = 512
DEFAULT_PROD_APPROVAL_ACTION = "ApproveProd"
PIPELINE_VARIABLE = "MODEL_PACKAGE_ARN"


@dataclass
class PendingPackage:
    """A central model package awaiting the ML engineer's decision."""

    model_package_arn: str
    group_name: str
    version: int | None
    created: str | None
    description: str | None
    containers: list[dict[str, str]]
    lineage: dict[str, str]


@dataclass
class ProdApproval:
    """An open manual approval in the deployment pipeline."""

    pipeline: str
    stage_name: str
    action_name: str
    token: str
    pipeline_execution_id: str | None
    model_package_arn: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


def validate_reason(reason: str, *, maximum: int, option: str = "--reason") -> str:
    """A decision without a reason leaves no audit trail; refuse blank or over-long ones."""
    text = (reason or "").strip()
    if not text:
        raise InputError(f"{option}: give the reason for the decision (it is stored with it)")
    if len(text) > maximum:
        raise InputError(f"{option}: at most {maximum} characters, got {len(text)}")
    return text


def list_pending_packages(sagemaker: Any, *, group_name: str | None = None) -> list[PendingPackage]:
    """List versioned central packages in PendingManualApproval, oldest first, with lineage.

    Lineage is read generically from CustomerMetadataProperties (the promotion Lambda decides
    the keys), so new keys show up here without a change to this tool.
    """
    params: dict[str, Any] = {
        "ModelApprovalStatus": PENDING,
        "ModelPackageType": "Versioned",
        "SortBy": "CreationTime",
        "SortOrder": "Ascending",
    }
    if group_name:
        params["ModelPackageGroupName"] = group_name
    pending: list[PendingPackage] = []
    for page in sagemaker.get_paginator("list_model_packages").paginate(**params):
        for summary in page.get("ModelPackageSummaryList", []):
            arn = summary["ModelPackageArn"]
            description = sagemaker.describe_model_package(ModelPackageName=arn)
            containers = [
                {
                    k: v
                    for k, v in container.items()
                    if k in ("Image", "ImageDigest", "ModelDataUrl")
                }
                for container in (description.get("InferenceSpecification") or {}).get(
                    "Containers", []
                )
            ]
            created = description.get("CreationTime") or summary.get("CreationTime")
            pending.append(
                PendingPackage(
                    model_package_arn=arn,
                    group_name=description.get("ModelPackageGroupName")
                    or summary.get("ModelPackageGroupName", ""),
                    version=description.get("ModelPackageVersion"),
                    created=created.isoformat() if hasattr(created, "isoformat") else created,
                    description=description.get("ModelPackageDescription"),
                    containers=containers,
                    lineage=dict(
                        sorted((description.get("CustomerMetadataProperties") or {}).items())
                    ),
                )
            )
    return pending


def set_model_approval(
    sagemaker: Any, model_package_arn: str, *, approve: bool, reason: str
) -> dict[str, Any]:
    """Approve or reject a central package; re-applying the current status changes nothing.

    Skipping a same-status update matters: every UpdateModelPackage emits a state-change event,
    and a repeated approval would start the deployment pipeline again.
    """
    ref = parse_model_package_arn(model_package_arn)
    text = validate_reason(reason, maximum=APPROVAL_DESCRIPTION_MAX)
    target_status = "Approved" if approve else "Rejected"
    try:
        description = sagemaker.describe_model_package(ModelPackageName=ref.arn)
    except ClientError as exc:
        if is_not_found(exc):
            raise MlgovError(f"model package {ref.arn} does not exist") from exc
        raise
    current = description.get("ModelApprovalStatus")
    result: dict[str, Any] = {
        "model_package_arn": ref.arn,
        "previous_status": current,
        "model_approval_status": target_status,
        "approval_description": text,
    }
    if current == target_status:
        result["status"] = "unchanged"
        return result
    try:
        sagemaker.update_model_package(
            ModelPackageArn=ref.arn,
            ModelApprovalStatus=target_status,
            ApprovalDescription=text,
        )
    except ClientError as exc:
        raise MlgovError(
            f"cannot set {ref.arn} to {target_status}: {describe_client_error(exc)}"
        ) from exc
    result["status"] = target_status.lower()
    return result


def find_prod_approval(
    codepipeline: Any,
    pipeline: str,
    *,
    action_name: str = DEFAULT_PROD_APPROVAL_ACTION,
    execution_id: str | None = None,
) -> ProdApproval:
    """Find the open manual approval token for ``action_name`` in the pipeline's state.

    The token is only present while the approval waits; anything else is reported as "no
    approval pending" with the action's latest status, so the officer knows why.
    """
    try:
        state = codepipeline.get_pipeline_state(name=pipeline)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "PipelineNotFoundException":
            raise InputError(f"--pipeline: pipeline '{pipeline}' does not exist") from exc
        raise
    for stage in state.get("stageStates", []):
        for action in stage.get("actionStates", []):
            if action.get("actionName") != action_name:
                continue
            latest = action.get("latestExecution") or {}
            stage_execution = stage.get("latestExecution") or {}
            pending_execution = stage_execution.get("pipelineExecutionId")
            if latest.get("status") != "InProgress" or not latest.get("token"):
                raise MlgovError(
                    f"no approval is pending for {action_name} in pipeline {pipeline} "
                    f"(latest status: {latest.get('status', 'never run')})",
                    details={"pipeline": pipeline, "action_status": latest.get("status")},
                )
            if execution_id and pending_execution != execution_id:
                raise MlgovError(
                    f"the pending {action_name} approval in pipeline {pipeline} belongs to "
                    f"execution {pending_execution}, not {execution_id}",
                    details={"pipeline": pipeline, "pending_execution_id": pending_execution},
                )
            return ProdApproval(
                pipeline=pipeline,
                stage_name=stage["stageName"],
                action_name=action_name,
                token=latest["token"],
                pipeline_execution_id=pending_execution,
            )
    raise InputError(f"--action-name: pipeline '{pipeline}' has no action named '{action_name}'")


def _execution_variable(codepipeline: Any, approval: ProdApproval) -> str | None:
    """Show the officer which model the approval promotes; optional, so failures are ignored."""
    if not approval.pipeline_execution_id:
        return None
    try:
        execution = codepipeline.get_pipeline_execution(
            pipelineName=approval.pipeline, pipelineExecutionId=approval.pipeline_execution_id
        )["pipelineExecution"]
    except ClientError:
        return None
    for variable in execution.get("variables", []) or []:
        if isinstance(variable, Mapping) and variable.get("name") == PIPELINE_VARIABLE:
            return variable.get("resolvedValue")
    return None


def answer_prod_approval(
    codepipeline: Any,
    pipeline: str,
    *,
    approve: bool,
    reason: str,
    action_name: str = DEFAULT_PROD_APPROVAL_ACTION,
    execution_id: str | None = None,
) -> dict[str, Any]:
    """Approve or reject the pending prod approval; the reason becomes the approval summary."""
    text = validate_reason(reason, maximum=APPROVAL_SUMMARY_MAX)
    approval = find_prod_approval(
        codepipeline, pipeline, action_name=action_name, execution_id=execution_id
    )
    approval.model_package_arn = _execution_variable(codepipeline, approval)
    status = "Approved" if approve else "Rejected"
    try:
        codepipeline.put_approval_result(
            pipelineName=pipeline,
            stageName=approval.stage_name,
            actionName=approval.action_name,
            result={"summary": text, "status": status},
            token=approval.token,
        )
    except ClientError as exc:
        raise MlgovError(
            f"cannot record {status} for {action_name} in {pipeline}: {describe_client_error(exc)}"
        ) from exc
    data = asdict(approval)
    data.pop("token")
    data.pop("details")
    return {"status": status.lower(), "summary": text, **data}
