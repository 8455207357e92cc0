"""Lambda entry point: log context, parse the event, hand one request to the promotion logic.

Results: `{"status": "promoted", ...}` when this invocation registered the central package,
`{"status": "already-promoted", ...}` when an earlier one did (served from the idempotency record
or found through the lineage manifest; the copy counters are then 0, nothing was copied), and
`{"status": "rejected", "reason": ..., "code": ...}` for an event that will never be promoted.

Two layers keep a duplicated or replayed event from registering twice:

1. Powertools idempotency (DynamoDB, `IDEMPOTENCY_TABLE_NAME`) keyed on the source
   ModelPackageArn, not on the EventBridge event id: EventBridge retries, a forwarded event
   delivered twice and an archive replay all carry the same ARN. Two concurrent deliveries
   collide on the conditional write; the loser raises `IdempotencyAlreadyInProgressError`, so
   Lambda retries it later and it then receives the stored result, as `already-promoted`
   (`_mark_replay`).
2. The lineage manifest (`registration`): one HeadObject of a key derived from the source ARN,
   then only the packages the central group gained in the minutes after that manifest was
   written, say whether, and as which central package, the source was registered, so a replay
   after the idempotency record expired writes nothing, whatever the size of the group; the
   manifest is written conditionally on what that lookup saw, so concurrent or interrupted
   attempts register at most once.

Every rejection, including the refusal of a package approved by anyone but the team's approver
role (`approval.check_approver`), a copy that does not match its source and an image from a
registry outside the allowed list, is one `event rejected` log line and one `PromotionsRefused`
metric with dimensions `service` and `reason` (the rejection's code, one of `REJECTION_CODES`).
A promotion counts `ModelsPromoted` and `BytesCopied` (bytes this invocation copied into
`promoted/`), a replay `AlreadyPromoted`, both with dimension `service`. All metrics use the
embedded metric format in the namespace `POWERTOOLS_METRICS_NAMESPACE` (default
`ModelPromotion`, the namespace of the module's alarms). The handler is traced (X-Ray active
tracing), AWS SDK calls included.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger, Metrics, Tracer, single_metric
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
)
from aws_lambda_powertools.utilities.parser import ValidationError, parse

from model_promoter.aws import CONTROL_PLANE_CONFIG, PromoterRuntime
from model_promoter.errors import EventRejected, PromotionInProgressError
from model_promoter.models import ModelPackageStateChangeEvent, PromotionRequest, PromotionResult
from model_promoter.promotion import promote, resolve_request
from model_promoter.settings import load_settings

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.idempotency.persistence.datarecord import DataRecord
    from aws_lambda_powertools.utilities.typing import LambdaContext

SETTINGS = load_settings()
logger = Logger(service=SETTINGS.service_name, level=SETTINGS.log_level)
# Only AWS SDK calls are traced: the layer downloads are presigned URLs whose traces add nothing.
tracer = Tracer(service=SETTINGS.service_name, patch_modules=["botocore"])
metrics = Metrics(namespace=SETTINGS.metrics_namespace, service=SETTINGS.service_name)
METRICS_NAMESPACE = SETTINGS.metrics_namespace
REFUSED_METRIC = "PromotionsRefused"
PROMOTED_METRIC = "ModelsPromoted"
ALREADY_PROMOTED_METRIC = "AlreadyPromoted"
BYTES_METRIC = "BytesCopied"
# Every `reason` the refusal metric can carry: the module's alarm sums exactly these.
REJECTION_CODES = (
    "invalid-event",
    "unknown-source-account",
    "group-name-too-long",
    "not-approved",
    "approver-not-allowed",
    "artifact-verification-failed",
    "image-registry-not-allowed",
    "image-not-pinned",
)

# Creating the client makes no AWS call; the table is first touched by an invocation.
_persistence = DynamoDBPersistenceLayer(
    table_name=SETTINGS.idempotency_table_name, boto_config=CONTROL_PLANE_CONFIG
)


def _mark_replay(response: Any, idempotent_data: DataRecord) -> Any:
    """A result served from the idempotency record is a replay: `already-promoted`, with the
    central package of the first run and nothing copied by this invocation."""
    if not isinstance(response, dict) or response.get("status") != "promoted":
        return response
    logger.info(
        "source model package already promoted (idempotency record)",
        central_model_package_arn=response.get("central_model_package_arn"),
    )
    first = PromotionResult.model_validate(response)
    return PromotionResult(
        status="already-promoted",
        source_model_package_arn=first.source_model_package_arn,
        central_model_package_arn=first.central_model_package_arn,
        central_model_package_group=first.central_model_package_group,
        model_card_name=first.model_card_name,
        model_card_version=first.model_card_version,
    ).as_response()


_idempotency = IdempotencyConfig(
    event_key_jmespath="source_model_package_arn",
    raise_on_no_idempotency_key=True,
    expires_after_seconds=24 * 60 * 60,
    response_hook=_mark_replay,
)
_runtime: PromoterRuntime | None = None


def runtime() -> PromoterRuntime:
    """AWS clients for this execution environment, built on first use rather than at import.

    Tests assign `handler._runtime` a runtime built from moto-backed sessions.
    """
    global _runtime
    if _runtime is None:
        _runtime = PromoterRuntime.from_environment(SETTINGS)
    return _runtime


@idempotent_function(
    data_keyword_argument="request",
    persistence_store=_persistence,
    config=_idempotency,
    key_prefix="model-promoter",
)
def _promote_once(*, request: PromotionRequest) -> dict[str, Any]:
    return promote(request, runtime()).as_response()


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler(capture_response=False)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Promote the approved model package named by `event`.

    Rejections are returned, not raised: a malformed event, a wrong detail-type or source, an
    unapproved package or an account outside the source accounts map will never succeed, so
    Lambda's asynchronous retries (and the DLQ) would only repeat the rejection and bury the
    failures an operator can act on (missing artifact, throttling, broken configuration). Those
    raise, and are retried and dead-lettered. Every rejection is logged as exactly one
    structured line and copies, registers and marks nothing. A malformed event, an unknown
    source account or a too long group name is refused before the idempotency layer and writes
    nothing at all; a package no longer Approved, or approved by anyone but the team's approver
    role, is refused inside it (it is checked on the dev registry, after the "already promoted?"
    lookup), so its in-progress idempotency record is written and then deleted, which lets a
    later approval of the same package be promoted.
    """
    _idempotency.register_lambda_context(context)
    try:
        parsed = parse(event=event, model=ModelPackageStateChangeEvent)
    except ValidationError as error:
        return _reject(
            event,
            EventRejected(
                "event is not an approved SageMaker model package state change",
                code="invalid-event",
                details=[
                    f"{'.'.join(str(part) for part in e['loc']) or 'event'}: {e['msg']}"
                    for e in error.errors()
                ],
            ),
        )
    logger.append_keys(source_model_package_arn=parsed.detail.model_package_arn)
    tracer.put_annotation("source_model_package_arn", parsed.detail.model_package_arn)
    try:
        return _count(_promote_once(request=resolve_request(parsed, runtime())))
    except EventRejected as rejection:  # unknown account, not Approved, not the approver role
        return _reject(event, rejection)
    except (IdempotencyAlreadyInProgressError, PromotionInProgressError):
        logger.info("source package is being promoted by another invocation; retry later")
        raise
    except Exception:
        logger.exception("promotion failed; the invocation will be retried")
        raise


def _count(result: dict[str, Any]) -> dict[str, Any]:
    """Count a promotion (and its copied bytes) or a replay; one EMF document."""
    status = result.get("status")
    tracer.put_annotation("status", str(status))
    if status == "promoted":
        metrics.add_metric(name=PROMOTED_METRIC, unit=MetricUnit.Count, value=1)
        metrics.add_metric(
            name=BYTES_METRIC, unit=MetricUnit.Bytes, value=int(result.get("bytes_copied", 0))
        )
    elif status == "already-promoted":
        metrics.add_metric(name=ALREADY_PROMOTED_METRIC, unit=MetricUnit.Count, value=1)
    else:
        return result
    metrics.flush_metrics()
    return result


def _reject(event: Any, rejection: EventRejected) -> dict[str, Any]:
    """Log the one rejection line, count it, and build the (non-retried) rejection result."""
    envelope = event if isinstance(event, dict) else {}
    fields: dict[str, Any] = {
        "rejection_reason": rejection.reason,
        "rejection_code": rejection.code,
        "rejection_details": rejection.details,
        "event_id": envelope.get("id"),
        "detail_type": envelope.get("detail-type"),
        **rejection.log_fields,
    }
    logger.warning("event rejected", **fields)
    tracer.put_annotation("status", "rejected")
    tracer.put_annotation("rejection_code", rejection.code)
    with single_metric(
        name=REFUSED_METRIC, unit=MetricUnit.Count, value=1, namespace=METRICS_NAMESPACE
    ) as metric:
        metric.add_dimension(name="reason", value=rejection.code)
    return PromotionResult(
        status="rejected", reason=rejection.reason, code=rejection.code, details=rejection.details
    ).as_response()
