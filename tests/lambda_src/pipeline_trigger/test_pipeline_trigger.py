"""Pipeline trigger Lambda: Approved starts the pipeline once, anything else starts nothing.

Simulated: CodePipeline. moto implements StartPipelineExecution but ignores
clientRequestToken, so the exact request (name, variable, idempotency token) is checked with
botocore Stubber, which also fails a test on any unexpected call; one test runs against a moto
pipeline to show the variable reaches the execution. The handler runs in-process (moto never
executes Lambda code).
"""

from __future__ import annotations

import copy
import io
import json
import logging
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import boto3
import pytest
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.stub import Stubber
from moto import mock_aws
from pipeline_trigger import handler
from pipeline_trigger.logic import client_request_token, handle_state_change
from pipeline_trigger.models import ModelPackageStateChangeEvent

EVENTS = Path(__file__).parent / "events"
PIPELINE = "mlgov-model-deployment"
ARN = "arn:aws:sagemaker:eu-west-1:123456789012:model-package/team-a-churn/3"
EXECUTION_ID = "4f6a7b1c-2d3e-4f50-8a9b-0c1d2e3f4a5b"


@dataclass
class FakeContext:
    """The LambdaContext attributes Powertools' logger reads."""

    function_name: str = "mlgov-pipeline-trigger"
    memory_limit_in_mb: int = 256
    invoked_function_arn: str = (
        "arn:aws:lambda:eu-west-1:123456789012:function:mlgov-pipeline-trigger"
    )
    aws_request_id: str = "52fdfc07-2182-154f-163f-5f0f9a621d72"


CONTEXT = cast(LambdaContext, FakeContext())


def _event(name: str) -> dict[str, Any]:
    return json.loads((EVENTS / f"{name}.json").read_text())


def _logs(output: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


@pytest.fixture
def logs() -> Iterator[Callable[[], list[dict[str, Any]]]]:
    """Collect the handler's structured log lines (its handler bound stdout at import)."""
    stream = io.StringIO()
    log_handler = handler.logger.registered_handler
    assert isinstance(log_handler, logging.StreamHandler)
    previous = log_handler.setStream(stream)
    yield lambda: _logs(stream.getvalue())
    log_handler.setStream(previous)


@pytest.fixture
def codepipeline(monkeypatch: pytest.MonkeyPatch) -> Any:
    client = boto3.client("codepipeline", region_name="eu-west-1")
    monkeypatch.setattr(handler, "codepipeline_client", lambda: client)
    return client


def test_approved_event_starts_the_pipeline_with_the_package_variable(
    codepipeline: Any, logs: Any
) -> None:
    event = _event("approved")
    expected_token = client_request_token(ModelPackageStateChangeEvent.model_validate(event))
    with Stubber(codepipeline) as stub:
        stub.add_response(
            "start_pipeline_execution",
            {"pipelineExecutionId": EXECUTION_ID},
            {
                "name": PIPELINE,
                "variables": [{"name": "MODEL_PACKAGE_ARN", "value": ARN}],
                "clientRequestToken": expected_token,
            },
        )

        result = handler.lambda_handler(event, CONTEXT)

        stub.assert_no_pending_responses()
    assert result["action"] == "started"
    assert result["pipeline_execution_id"] == EXECUTION_ID
    started = [log for log in logs() if log["level"] == "INFO"]
    assert started and started[-1]["model_package_arn"] == ARN


def test_duplicate_deliveries_share_a_token_and_a_reapproval_does_not() -> None:
    approved = ModelPackageStateChangeEvent.model_validate(_event("approved"))
    duplicate_raw = _event("approved")
    duplicate_raw["id"] = "a-different-delivery-or-replay-id"
    duplicate = ModelPackageStateChangeEvent.model_validate(duplicate_raw)
    reapproved_raw = _event("approved")
    reapproved_raw["detail"]["LastModifiedTime"] = "2025-03-05T08:00:00Z"
    reapproved = ModelPackageStateChangeEvent.model_validate(reapproved_raw)

    assert client_request_token(approved) == client_request_token(duplicate)
    assert client_request_token(approved) != client_request_token(reapproved)
    assert len(client_request_token(approved)) == 64  # within CodePipeline's 1-256 limit


def test_rejected_event_starts_nothing(codepipeline: Any, logs: Any) -> None:
    with Stubber(codepipeline) as stub:  # no responses queued: any call fails the test
        result = handler.lambda_handler(_event("rejected"), CONTEXT)
        stub.assert_no_pending_responses()
    assert result["action"] == "ignored"
    assert "Rejected" in result["reason"]
    assert any("ignored" in log["message"] for log in logs())


@pytest.mark.parametrize(
    "mutate",
    [
        pytest.param(lambda e: e["detail"].pop("ModelPackageArn"), id="missing-arn"),
        pytest.param(
            lambda e: e["detail"].__setitem__("ModelPackageArn", "arn:aws:s3:::bucket/key"),
            id="not-a-model-package-arn",
        ),
        pytest.param(
            lambda e: e["detail"].__setitem__("ModelApprovalStatus", "Approvedish"),
            id="unknown-status",
        ),
        pytest.param(
            lambda e: e.__setitem__("detail-type", "SageMaker Endpoint State Change"),
            id="other-detail-type",
        ),
        pytest.param(lambda e: e.pop("detail"), id="no-detail"),
    ],
)
def test_malformed_event_is_logged_and_starts_nothing(
    codepipeline: Any, logs: Any, mutate: Any
) -> None:
    event = _event("approved")
    mutate(event)
    with Stubber(codepipeline) as stub:
        result = handler.lambda_handler(event, CONTEXT)  # returns: no async retry
        stub.assert_no_pending_responses()
    assert result == {
        "action": "rejected",
        "reason": "malformed event",
        "event_id": "844e2571-85d4-695f-b930-0153b71dcb42",
    }
    errors = [log for log in logs() if log["level"] == "ERROR"]
    assert len(errors) == 1
    assert errors[0]["message"].startswith("malformed model package state change event")
    assert errors[0]["errors"]


def test_non_object_event_is_rejected(codepipeline: Any) -> None:
    with Stubber(codepipeline) as stub:
        not_an_event: Any = ["not", "an", "event"]
        assert handler.lambda_handler(not_an_event, CONTEXT)["action"] == "rejected"
        stub.assert_no_pending_responses()


def test_package_of_another_account_is_ignored(codepipeline: Any) -> None:
    event = _event("approved")
    event["detail"]["ModelPackageArn"] = ARN.replace("123456789012", "333333333333")
    with Stubber(codepipeline) as stub:
        result = handler.lambda_handler(event, CONTEXT)
        stub.assert_no_pending_responses()
    assert result["action"] == "ignored"
    assert "differs from event account" in result["reason"]


def test_start_failure_is_raised_for_lambda_to_retry(codepipeline: Any) -> None:
    with Stubber(codepipeline) as stub:
        stub.add_client_error("start_pipeline_execution", service_error_code="ThrottlingException")
        with pytest.raises(codepipeline.exceptions.ClientError):
            handler.lambda_handler(_event("approved"), CONTEXT)


def test_variable_reaches_a_moto_pipeline_execution() -> None:
    # moto runs the real StartPipelineExecution request against a V2 pipeline it stores.
    with mock_aws():
        iam = boto3.client("iam", region_name="eu-west-1")
        role = iam.create_role(
            RoleName="codepipeline",
            AssumeRolePolicyDocument=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "codepipeline.amazonaws.com"},
                            "Action": "sts:AssumeRole",
                        }
                    ],
                }
            ),
        )["Role"]["Arn"]
        client = boto3.client("codepipeline", region_name="eu-west-1")
        client.create_pipeline(pipeline=_pipeline_definition(role))

        outcome = handle_state_change(
            ModelPackageStateChangeEvent.model_validate(_event("approved")),
            pipeline_name=PIPELINE,
            codepipeline=client,
        )

        execution = client.get_pipeline_execution(
            pipelineName=PIPELINE, pipelineExecutionId=outcome.pipeline_execution_id
        )["pipelineExecution"]
    assert outcome.action == "started"
    assert {"name": "MODEL_PACKAGE_ARN", "resolvedValue": ARN} in execution["variables"]


def _pipeline_definition(role_arn: str) -> dict[str, Any]:
    def action(name: str, category: str, provider: str, **extra: Any) -> dict[str, Any]:
        return {
            "name": name,
            "actionTypeId": {
                "category": category,
                "owner": "AWS",
                "provider": provider,
                "version": "1",
            },
            "runOrder": 1,
            **extra,
        }

    return {
        "name": PIPELINE,
        "roleArn": role_arn,
        "pipelineType": "V2",
        "artifactStore": {"type": "S3", "location": "mlgov-pipeline-artifacts"},
        "variables": [{"name": "MODEL_PACKAGE_ARN", "defaultValue": "unset"}],
        "stages": [
            {
                "name": "Source",
                "actions": [
                    action(
                        "Tooling",
                        "Source",
                        "S3",
                        configuration={"S3Bucket": "mlgov-tooling", "S3ObjectKey": "mlgov.zip"},
                        outputArtifacts=[{"name": "tooling"}],
                    )
                ],
            },
            {
                "name": "ApprovalProd",
                "actions": [action("ApproveProd", "Approval", "Manual")],
            },
        ],
    }


def test_missing_pipeline_name_fails_at_import() -> None:
    env = {k: v for k, v in os.environ.items() if k != "PIPELINE_NAME"}
    env["PYTHONPATH"] = str(Path(handler.__file__).resolve().parents[1])
    for value in (None, "bad name with spaces"):
        if value is not None:
            env["PIPELINE_NAME"] = value
        completed = subprocess.run(
            [sys.executable, "-c", "import pipeline_trigger.handler"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert completed.returncode != 0
        # the variable, the value (when there is one) and what a valid one looks like
        assert "PIPELINE_NAME" in completed.stderr
        assert "expected a CodePipeline name: 1-100 of" in completed.stderr
        if value is not None:
            assert f"PIPELINE_NAME={value!r} is invalid" in completed.stderr


def test_event_model_ignores_extra_sagemaker_fields() -> None:
    event = copy.deepcopy(_event("approved"))
    event["detail"]["SomeFieldSageMakerAddsLater"] = {"x": 1}
    parsed = ModelPackageStateChangeEvent.model_validate(event)
    assert parsed.detail.model_package_version == 3


# -- metrics (embedded metric format on stdout) and settings --------------------------------------


def _emf(output: str) -> list[dict[str, Any]]:
    """The EMF documents among the captured stdout lines, flattened to name -> value."""
    documents = []
    for line in output.splitlines():
        if not line.startswith("{"):
            continue
        document = json.loads(line)
        if "_aws" in document:
            documents.append(document)
    return documents


def _metric(document: dict[str, Any]) -> tuple[str, str, list[list[str]]]:
    [directive] = document["_aws"]["CloudWatchMetrics"]
    [metric] = directive["Metrics"]
    return directive["Namespace"], metric["Name"], directive["Dimensions"]


def test_started_deployment_is_counted(codepipeline: Any, capsys: Any) -> None:
    with Stubber(codepipeline) as stub:
        stub.add_response("start_pipeline_execution", {"pipelineExecutionId": EXECUTION_ID})
        handler.lambda_handler(_event("approved"), CONTEXT)
    [document] = _emf(capsys.readouterr().out)
    namespace, name, dimensions = _metric(document)
    assert (namespace, name) == (handler.SETTINGS.metrics_namespace, "DeploymentsStarted")
    assert dimensions == [["service"]] and document["service"] == "pipeline-trigger"
    assert document["DeploymentsStarted"] == [1.0]


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [
        (lambda e: e["detail"].__setitem__("ModelApprovalStatus", "Rejected"), "not-approved"),
        (
            lambda e: e["detail"].__setitem__("ModelPackageArn", ARN.replace("1234", "9999")),
            "other-account",
        ),
        (lambda e: e.pop("detail"), "malformed-event"),
    ],
)
def test_ignored_event_is_counted_with_its_reason(
    codepipeline: Any, capsys: Any, mutate: Any, reason: str
) -> None:
    event = _event("approved")
    mutate(event)
    with Stubber(codepipeline) as stub:
        handler.lambda_handler(event, CONTEXT)
        stub.assert_no_pending_responses()
    [document] = _emf(capsys.readouterr().out)
    namespace, name, dimensions = _metric(document)
    assert (namespace, name) == (handler.SETTINGS.metrics_namespace, "EventsIgnored")
    assert sorted(dimensions[0]) == ["reason", "service"]
    assert (document["reason"], document["EventsIgnored"]) == (reason, [1.0])


def test_failed_start_counts_nothing(codepipeline: Any, capsys: Any) -> None:
    with Stubber(codepipeline) as stub:
        stub.add_client_error("start_pipeline_execution", service_error_code="ThrottlingException")
        with pytest.raises(codepipeline.exceptions.ClientError):
            handler.lambda_handler(_event("approved"), CONTEXT)
    assert _emf(capsys.readouterr().out) == []


def test_settings_defaults_and_namespace() -> None:
    from pipeline_trigger.settings import load_settings

    settings = load_settings({"PIPELINE_NAME": PIPELINE})
    assert (settings.pipeline_name, settings.service_name) == (PIPELINE, "pipeline-trigger")
    assert (settings.metrics_namespace, settings.log_level) == ("ModelDeployment", "INFO")
    custom = load_settings(
        {"PIPELINE_NAME": PIPELINE, "POWERTOOLS_METRICS_NAMESPACE": "mlgov/ModelDeployment"}
    )
    assert custom.metrics_namespace == "mlgov/ModelDeployment"


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        (
            "POWERTOOLS_METRICS_NAMESPACE",
            "AWS/Lambda",
            "POWERTOOLS_METRICS_NAMESPACE='AWS/Lambda' is invalid (expected a CloudWatch namespace",
        ),
        (
            "POWERTOOLS_LOG_LEVEL",
            "chatty",
            "POWERTOOLS_LOG_LEVEL='chatty' is invalid (expected DEBUG, INFO",
        ),
        (
            "POWERTOOLS_SERVICE_NAME",
            "pipeline trigger",
            "POWERTOOLS_SERVICE_NAME='pipeline trigger' is invalid (expected 1-128 letters",
        ),
    ],
)
def test_settings_errors_name_variable_value_and_expectation(
    variable: str, value: str, message: str
) -> None:
    from pipeline_trigger.common_settings import SettingsError
    from pipeline_trigger.settings import load_settings

    with pytest.raises(SettingsError) as error:
        load_settings({"PIPELINE_NAME": PIPELINE, variable: value})
    assert str(error.value).startswith("pipeline_trigger configuration error: ")
    assert message in str(error.value)


def test_every_settings_problem_is_reported_at_once() -> None:
    from pipeline_trigger.common_settings import SettingsError
    from pipeline_trigger.settings import load_settings

    with pytest.raises(SettingsError) as error:
        load_settings({"POWERTOOLS_LOG_LEVEL": "loud"})
    assert "PIPELINE_NAME is not set" in str(error.value)
    assert "POWERTOOLS_LOG_LEVEL='loud' is invalid" in str(error.value)
