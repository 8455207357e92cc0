"""Lambda entry point: parse the event, hand it to the logic, log and count the outcome.

Invoked asynchronously by an EventBridge rule on the hub's default bus. A malformed event is
logged and answered normally (a retry cannot fix it and must not start anything); an AWS error
while starting the pipeline is raised so Lambda retries it, and the idempotency token makes the
retry safe.

Metrics (embedded metric format, namespace `POWERTOOLS_METRICS_NAMESPACE`, dimension `service`):
`DeploymentsStarted`, and `EventsIgnored` with a `reason` dimension (`malformed-event`,
`not-approved`, `other-account`), one per invocation that did not raise.
"""

from __future__ import annotations

from dataclasses import asdict
from functools import cache
from typing import Any

import boto3
from aws_lambda_powertools import Logger, Metrics, Tracer, single_metric
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.parser import ValidationError, parse
from aws_lambda_powertools.utilities.typing import LambdaContext

from pipeline_trigger.logic import MALFORMED, TriggerOutcome, handle_state_change
from pipeline_trigger.models import ModelPackageStateChangeEvent
from pipeline_trigger.settings import load_settings

# Fails the cold start, not the first event, when the function is misconfigured.
SETTINGS = load_settings()
PIPELINE_NAME = SETTINGS.pipeline_name
STARTED_METRIC = "DeploymentsStarted"
IGNORED_METRIC = "EventsIgnored"
logger = Logger(service=SETTINGS.service_name, level=SETTINGS.log_level)
metrics = Metrics(namespace=SETTINGS.metrics_namespace, service=SETTINGS.service_name)
# Only AWS SDK calls are traced (X-Ray active tracing is on in trigger.tf).
tracer = Tracer(service=SETTINGS.service_name, patch_modules=["botocore"])


@cache
def codepipeline_client() -> Any:
    """One client per execution environment, created on first use."""
    return boto3.client("codepipeline")


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
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
        _count_ignored(MALFORMED)
        return {"action": "rejected", "reason": "malformed event", "event_id": event_id}
    logger.append_keys(event_id=parsed.id, model_package_arn=parsed.detail.model_package_arn)
    tracer.put_annotation("model_package_arn", parsed.detail.model_package_arn)
    outcome = handle_state_change(
        parsed, pipeline_name=PIPELINE_NAME, codepipeline=codepipeline_client()
    )
    logger.info(f"{outcome.action}: {outcome.reason}", extra=asdict(outcome))
    _count(outcome)
    return asdict(outcome)


def _count(outcome: TriggerOutcome) -> None:
    tracer.put_annotation("outcome", outcome.code)
    if outcome.action == "started":
        metrics.add_metric(name=STARTED_METRIC, unit=MetricUnit.Count, value=1)
        metrics.flush_metrics()
    else:
        _count_ignored(outcome.code)


def _count_ignored(reason: str) -> None:
    with single_metric(
        name=IGNORED_METRIC,
        unit=MetricUnit.Count,
        value=1,
        namespace=SETTINGS.metrics_namespace,
    ) as metric:
        metric.add_dimension(name="service", value=SETTINGS.service_name)
        metric.add_dimension(name="reason", value=reason)
