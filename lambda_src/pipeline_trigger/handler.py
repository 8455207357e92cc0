"""Lambda entry point: parse the event, hand it to the logic, log the outcome.

Invoked asynchronously by an EventBridge rule on the hub's default bus. A malformed event is
logged and answered normally (a retry cannot fix it and must not start anything); an AWS error
while starting the pipeline is raised so Lambda retries it, and the idempotency token makes the
retry safe.
"""

from __future__ import annotations

import os
import re
from dataclasses import asdict
from functools import cache
from typing import Any

import boto3
from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.parser import ValidationError, parse
from aws_lambda_powertools.utilities.typing import LambdaContext

from pipeline_trigger.logic import handle_state_change
from pipeline_trigger.models import ModelPackageStateChangeEvent

_PIPELINE_NAME_RE = re.compile(r"^[A-Za-z0-9.@_-]{1,100}$")


def _pipeline_name_from_env() -> str:
    """Fail the cold start, not the first event, when the function is misconfigured."""
    value = os.environ.get("PIPELINE_NAME", "")
    if not _PIPELINE_NAME_RE.match(value):
        raise RuntimeError(
            "environment variable PIPELINE_NAME must be a CodePipeline name "
            f"(1-100 of A-Z a-z 0-9 . @ _ -), got {value!r}"
        )
    return value


PIPELINE_NAME = _pipeline_name_from_env()
logger = Logger(service=os.environ.get("POWERTOOLS_SERVICE_NAME") or "pipeline-trigger")


@cache
def codepipeline_client() -> Any:
    """One client per execution environment, created on first use."""
    return boto3.client("codepipeline")


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Start the deployment pipeline for an Approved central model package."""
    try:
        parsed = parse(event=event, model=ModelPackageStateChangeEvent)
    except ValidationError as exc:
        event_id = event.get("id") if isinstance(event, dict) else None
        logger.error(
            "malformed model package state change event: not retried, nothing started",
            extra={
                "event_id": event_id,
                "errors": exc.errors(include_url=False, include_context=False, include_input=False),
            },
        )
        return {"action": "rejected", "reason": "malformed event", "event_id": event_id}
    logger.append_keys(event_id=parsed.id, model_package_arn=parsed.detail.model_package_arn)
    outcome = handle_state_change(
        parsed, pipeline_name=PIPELINE_NAME, codepipeline=codepipeline_client()
    )
    logger.info(f"{outcome.action}: {outcome.reason}", extra=asdict(outcome))
    return asdict(outcome)
