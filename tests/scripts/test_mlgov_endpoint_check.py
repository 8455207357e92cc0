"""test-endpoint: payload parsing, response checks, latency threshold, exit codes.

moto implements InvokeEndpoint but answers with canned results that a test queues through
moto's documented ``/moto-api/static/sagemaker/endpoint-results`` API (moto runs no model);
the checks then run on those bodies. ModelError (a container answering 4xx/5xx) cannot be
produced by moto, so that case uses Stubber.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from mlgov_testkit import (
    PAYLOADS,
    REGION,
    TARGETS,
    TEST_ACCOUNT,
    account_session,
    create_endpoint,
    queue_endpoint_results,
    session_factory,
)

from mlgov.cli import main
from mlgov.endpoint_check import (
    Expectation,
    check_endpoint,
    check_response,
    load_payloads,
    percentile,
)

ENDPOINT = "mlgov-team-a-churn"


def _create_endpoint(session: boto3.Session) -> None:
    create_endpoint(session, ENDPOINT, account_id=TEST_ACCOUNT)


def _queue_results(*bodies: Any, content_type: str = "application/json") -> None:
    queue_endpoint_results(TEST_ACCOUNT, *bodies, content_type=content_type)


def _cli(payloads: Path, *extra: str) -> list[str]:
    return [
        "test-endpoint",
        "--stage",
        "test",
        "--target-config",
        str(TARGETS / "test.json"),
        "--endpoint-name",
        ENDPOINT,
        "--payloads",
        str(payloads),
        *extra,
    ]


def test_passing_payloads_exit_0(aws: None, capsys: pytest.CaptureFixture[str]) -> None:
    _create_endpoint(account_session(TEST_ACCOUNT))
    _queue_results(
        {"predictions": [0.91, 0.12], "model_version": "2"},
        {"predictions": [0.33], "model_version": "2"},
    )

    code = main(
        _cli(PAYLOADS / "json_model_pass.jsonl", "--json", "--max-latency-ms", "5000"),
        session_factory=session_factory,
    )

    captured = capsys.readouterr()
    assert code == 0, captured.out
    report = json.loads(captured.out)
    assert report["status"] == "passed"
    assert [case["name"] for case in report["cases"]] == ["two rows", "one row"]
    assert report["p95_ms"] is not None


def test_wrong_shape_exits_1_with_the_problems(
    aws: None, capsys: pytest.CaptureFixture[str]
) -> None:
    _create_endpoint(account_session(TEST_ACCOUNT))
    _queue_results({"predictions": [0.91]})

    code = main(_cli(PAYLOADS / "json_model_fail.jsonl"), session_factory=session_factory)

    captured = capsys.readouterr()
    assert code == 1
    assert "FAILED" in captured.out
    assert "missing key 'labels'" in captured.out
    assert "key 'predictions' is array, expected object" in captured.out


def test_missing_endpoint_exits_1(aws: None, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(_cli(PAYLOADS / "json_model_pass.jsonl"), session_factory=session_factory)
    assert code == 1
    assert f"endpoint {ENDPOINT} does not exist in the test account" in capsys.readouterr().err


def test_p95_latency_over_the_threshold_fails(aws: None) -> None:
    session = account_session(TEST_ACCOUNT)
    _create_endpoint(session)
    _queue_results({"predictions": [1.0], "model_version": "2"}, {"predictions": [2.0]})
    ticks = iter(float(n) * 0.25 for n in range(100))  # each invocation takes 250 ms
    cases = load_payloads(
        PAYLOADS / "json_model_pass.jsonl", default_content_type="application/json"
    )

    def run(threshold: float) -> Any:
        return check_endpoint(
            sagemaker=session.client("sagemaker"),
            runtime=session.client("sagemaker-runtime"),
            stage="test",
            endpoint_name=ENDPOINT,
            cases=cases,
            max_latency_ms=threshold,
            clock=lambda: next(ticks),
        )

    slow = run(100)
    assert not slow.passed
    assert slow.problems == ["p95 latency 250.0 ms exceeds the 100 ms threshold"]
    assert all(case.passed for case in slow.cases)
    assert run(300).passed


def test_expected_model_error_status_passes() -> None:
    # Simulated with Stubber: a container answering 400 surfaces as a ModelError carrying the
    # original status code, which moto cannot produce.
    sagemaker = boto3.client("sagemaker", region_name=REGION)
    runtime = boto3.client("sagemaker-runtime", region_name=REGION)
    cases = load_payloads(PAYLOADS / "csv_model.jsonl", default_content_type="application/json")
    with Stubber(sagemaker) as sm, Stubber(runtime) as rt:
        sm.add_response(
            "describe_endpoint",
            {
                "EndpointName": ENDPOINT,
                "EndpointArn": f"arn:aws:sagemaker:{REGION}:{TEST_ACCOUNT}:endpoint/{ENDPOINT}",
                "EndpointConfigName": "c",
                "EndpointStatus": "InService",
                "CreationTime": "2025-01-01T00:00:00Z",
                "LastModifiedTime": "2025-01-01T00:00:00Z",
            },
        )
        rt.add_response(
            "invoke_endpoint",
            {"Body": _body(b"7.25\n"), "ContentType": "text/csv"},
            {"EndpointName": ENDPOINT, "Body": b"1.0,2.0,3.0", "ContentType": "text/csv"},
        )
        rt.add_client_error(
            "invoke_endpoint",
            service_error_code="ModelError",
            service_message="Received client error (400) from primary",
            http_status_code=424,
            modeled_fields={"OriginalStatusCode": 400, "OriginalMessage": "could not parse"},
        )

        report = check_endpoint(
            sagemaker=sagemaker,
            runtime=runtime,
            stage="test",
            endpoint_name=ENDPOINT,
            cases=cases,
            max_latency_ms=None,
        )
    assert report.passed, report.to_dict()
    assert [case.status for case in report.cases] == [200, 400]


def _body(data: bytes) -> Any:
    import io

    from botocore.response import StreamingBody

    return StreamingBody(io.BytesIO(data), len(data))


def test_malformed_payload_file_exits_2_naming_the_line(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(_cli(PAYLOADS / "malformed.jsonl"), session_factory=session_factory)

    assert code == 2
    err = capsys.readouterr().err
    assert "malformed.jsonl:2" in err and "expect.json_key" in err


def test_endpoint_name_needs_a_source(capsys: pytest.CaptureFixture[str]) -> None:
    # The test target config has no endpoint_name, so the group must come from somewhere.
    code = main(
        ["test-endpoint", "--stage", "test", "--target-config", str(TARGETS / "test.json")],
        session_factory=session_factory,
    )
    assert code == 2
    assert "--model-package-arn or --endpoint-name" in capsys.readouterr().err


def test_default_payload_file_is_valid() -> None:
    cases = load_payloads(None, default_content_type="application/json")
    assert len(cases) == 3
    assert {case.content_type for case in cases} == {"text/csv"}
    assert all(len(case.body.decode().split(",")) == 10 for case in cases)
    assert check_response(cases[0].expect, 200, "text/csv", b"9.87\n") == []
    assert check_response(cases[0].expect, 200, "text/csv", b"error") != []


@pytest.mark.parametrize(
    ("expect", "status", "body", "problem"),
    [
        (Expectation(status=200), 500, b"", "status 500, expected 200"),
        (Expectation(json_type="array"), 200, b'{"a": 1}', "body is a JSON object, expected array"),
        (
            Expectation(json_keys=(("a.b.1", "number"),)),
            200,
            b'{"a": {"b": [1]}}',
            "missing key 'a.b.1'",
        ),
        (Expectation(json_keys=(("a", "string"),)), 200, b"not json", "body is not JSON"),
        (Expectation(content_type="application/json"), 200, b"{}", "content type"),
    ],
)
def test_check_response_reports_each_mismatch(
    expect: Expectation, status: int, body: bytes, problem: str
) -> None:
    problems = check_response(expect, status, "text/plain", body)
    assert any(problem in p for p in problems), problems


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 21)]
    assert percentile(values, 0.95) == 19.0
    assert percentile(values, 0.5) == 10.0
    assert percentile([], 0.95) is None


def test_integration_test_as_the_pipeline_runs_it(
    aws: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # `python -m mlgov test-endpoint --payloads FILE` with no --stage and no endpoint name: the
    # stage comes from the target config, the endpoint name from MODEL_PACKAGE_ARN's group.
    _create_endpoint(account_session(TEST_ACCOUNT))
    _queue_results({"predictions": [0.5], "model_version": "3"}, {"predictions": [0.7]})
    monkeypatch.setenv("MLGOV_TARGET_CONFIG", (TARGETS / "test.json").read_text())
    monkeypatch.setenv(
        "MODEL_PACKAGE_ARN", "arn:aws:sagemaker:eu-west-1:123456789012:model-package/team-a-churn/3"
    )

    code = main(
        ["test-endpoint", "--payloads", str(PAYLOADS / "json_model_pass.jsonl")],
        session_factory=session_factory,
    )

    out = capsys.readouterr().out
    assert code == 0, out
    assert out.startswith(f"endpoint {ENDPOINT} (test, config c): PASSED")
