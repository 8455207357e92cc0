"""Decide whether a model package state change starts the deployment pipeline, and start it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from pipeline_trigger.models import ModelPackageStateChangeEvent

PIPELINE_VARIABLE = "MODEL_PACKAGE_ARN"
# Why an event started nothing: the `reason` dimension of the EventsIgnored metric.
MALFORMED = "malformed-event"
NOT_APPROVED = "not-approved"
OTHER_ACCOUNT = "other-account"
STARTED = "started"


@dataclass(frozen=True)
class TriggerOutcome:
    """What the function did with one event (returned by the handler and logged)."""

    action: str  # "started" | "ignored"
    reason: str
    model_package_arn: str
    pipeline_execution_id: str | None = None
    client_request_token: str | None = None
    # "started", or why nothing was started (a small fixed set, used as a metric dimension)
    code: str = STARTED


def client_request_token(event: ModelPackageStateChangeEvent) -> str:
    """Derive StartPipelineExecution's idempotency token from the package and its approval.

    EventBridge delivers at least once and events can be replayed from an archive; every copy
    of one approval carries the same ARN, status and LastModifiedTime, so CodePipeline starts
    one execution for them. A later re-approval changes LastModifiedTime and starts a new one.
    """
    detail = event.detail
    material = "|".join(
        (
            detail.model_package_arn,
            detail.model_approval_status,
            "" if detail.last_modified_time is None else str(detail.last_modified_time),
        )
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def handle_state_change(
    event: ModelPackageStateChangeEvent, *, pipeline_name: str, codepipeline: Any
) -> TriggerOutcome:
    """Start the pipeline for an Approved central package; ignore everything else."""
    detail = event.detail
    arn = detail.model_package_arn
    if detail.model_approval_status != "Approved":
        return TriggerOutcome(
            action="ignored",
            reason=f"model package is {detail.model_approval_status}, not Approved",
            model_package_arn=arn,
            code=NOT_APPROVED,
        )
    package_account = arn.split(":")[4]
    if package_account != event.account:
        # The rule only admits events of the hub's own packages; anything else is not central.
        return TriggerOutcome(
            action="ignored",
            reason=f"package account {package_account} differs from event account {event.account}",
            model_package_arn=arn,
            code=OTHER_ACCOUNT,
        )
    token = client_request_token(event)
    response = codepipeline.start_pipeline_execution(
        name=pipeline_name,
        variables=[{"name": PIPELINE_VARIABLE, "value": arn}],
        clientRequestToken=token,
    )
    return TriggerOutcome(
        action="started",
        reason="model package Approved in the central registry",
        model_package_arn=arn,
        pipeline_execution_id=response["pipelineExecutionId"],
        client_request_token=token,
    )
