"""Throttling: botocore retry modes per call, plus our own backoff around each copy unit."""

from __future__ import annotations

import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ClientError
from model_promoter.retry import TransientError, is_retryable, with_backoff
from promoter_world import load_event


def _client_error(code: str, status: int) -> ClientError:
    return ClientError(
        {"Error": {"Code": code, "Message": code}, "ResponseMetadata": {"HTTPStatusCode": status}},
        "CopyObject",
    )


def test_clients_use_botocore_retry_modes(runtime):
    for client in (runtime.s3, runtime.ecr):
        assert client.meta.config.retries["mode"] == "adaptive"
    for client in (runtime.sagemaker, runtime.ssm):
        assert client.meta.config.retries["mode"] == "standard"


@pytest.mark.parametrize(
    ("error", "retryable"),
    [
        (_client_error("SlowDown", 503), True),
        (_client_error("ThrottlingException", 400), True),
        (_client_error("InternalError", 500), True),
        (TransientError("truncated layer"), True),
        (_client_error("AccessDenied", 403), False),
        (_client_error("NoSuchKey", 404), False),
        (ValueError("bug"), False),
    ],
)
def test_retryable_errors(error, retryable):
    assert is_retryable(error) is retryable


def test_backoff_retries_then_succeeds_and_gives_up_on_final_errors():
    delays: list[float] = []
    attempts = iter([_client_error("SlowDown", 503), _client_error("SlowDown", 503), "done"])

    def flaky():
        outcome = next(attempts)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    assert with_backoff(flaky, sleep=delays.append) == "done"
    assert len(delays) == 2 and all(0 <= d <= 0.5 for d in delays)

    with pytest.raises(ClientError, match="AccessDenied"):
        with_backoff(lambda: (_ for _ in ()).throw(_client_error("AccessDenied", 403)))


def test_copy_loop_survives_throttling_that_outlasts_botocore(world, handler, promoter, recorder):
    """CopyObject answers SlowDown twice after botocore's own retries; the copy loop retries."""
    _, sources, _ = promoter
    world.standard_package(1, with_dev_image=False)
    throttled = {"remaining": 2}

    def slow_down(params, **_):
        if throttled["remaining"] == 0:
            return None  # let moto answer
        throttled["remaining"] -= 1
        error = {"Error": {"Code": "SlowDown", "Message": "Please reduce your request rate."}}
        return AWSResponse(params["url"], 503, {}, None), {
            **error,
            "ResponseMetadata": {"HTTPStatusCode": 503},
        }

    sources.on_session = lambda session: session.events.register(
        "before-call.s3.CopyObject", slow_down
    )

    result = handler.invoke(load_event("sagemaker_model_package_approved.json"))

    assert result["status"] == "promoted"
    assert throttled["remaining"] == 0
    # every object staged once with CopyObject, plus the two throttled attempts retried ...
    assert len(recorder.of("s3", "CopyObject", "dev")) == result["artifacts_staged"] + 2
    # ... then promoted once by the hub's own role
    assert len(recorder.of("s3", "CopyObject", "hub")) == result["artifacts_copied"]
