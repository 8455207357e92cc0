"""governance: pending list with lineage, model approval/rejection, the prod approval gate.

Model packages run on moto. CodePipeline's GetPipelineState and PutApprovalResult are not
implemented by moto, so the prod approval tests give the CLI a session whose CodePipeline
client is wrapped in Stubber (every other client, e.g. STS for the actor line, is moto).
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from mlgov_testkit import REGION, create_central_package, session_factory

from mlgov.cli import main
from mlgov.errors import MlgovError
from mlgov.governance import answer_prod_approval, list_pending_packages
from mlgov.platform_defaults import ENVIRONMENTS_ENV

PIPELINE = "mlgov-model-deployment"
TOKEN = "0f3c1a52-7d5e-4b1e-9c61-5a3d2f1e0b9a"
EXECUTION = "4f6a7b1c-2d3e-4f50-8a9b-0c1d2e3f4a5b"
NOW = datetime(2025, 1, 1, tzinfo=UTC)


def test_pending_lists_only_pending_packages_with_their_lineage(
    hub_session: boto3.Session, capsys: pytest.CaptureFixture[str]
) -> None:
    lineage = {
        "mlgov:source-account": "333333333333",
        "mlgov:source-model-package-arn": (
            "arn:aws:sagemaker:eu-west-1:333333333333:model-package/churn/4"
        ),
        "mlgov:approved-by": "arn:aws:sts::333333333333:assumed-role/lead-ds/alice",
        "mlgov:checksum:model.tar.gz": "sha256:" + "b" * 64,
    }
    pending = create_central_package(hub_session, status="PendingManualApproval", lineage=lineage)
    create_central_package(hub_session, status="Approved")

    code = main(["governance", "pending"], session_factory=session_factory)

    out = capsys.readouterr().out
    assert code == 0
    assert "1 model package(s) pending manual approval" in out
    assert pending in out
    for key, value in lineage.items():
        assert key in out and value in out
    packages = list_pending_packages(hub_session.client("sagemaker"))
    assert [p.model_package_arn for p in packages] == [pending]
    assert packages[0].lineage == dict(sorted(lineage.items()))
    assert packages[0].containers[0]["ModelDataUrl"].startswith("s3://mlgov-model-artifacts-")


def test_pending_json_and_empty(
    hub_session: boto3.Session, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["governance", "pending", "--json"], session_factory=session_factory) == 0
    assert json.loads(capsys.readouterr().out)["pending"] == []


def test_approve_model_records_the_reason(
    hub_session: boto3.Session, capsys: pytest.CaptureFixture[str]
) -> None:
    arn = create_central_package(hub_session, status="PendingManualApproval")
    argv = [
        "governance",
        "approve-model",
        "--model-package-arn",
        arn,
        "--reason",
        "AUC 0.91 on holdout; bias report reviewed",
        "--json",
    ]

    assert main(argv, session_factory=session_factory) == 0

    result = json.loads(capsys.readouterr().out)
    assert (result["status"], result["previous_status"]) == ("approved", "PendingManualApproval")
    assert result["actor"].startswith("arn:aws:")
    package = hub_session.client("sagemaker").describe_model_package(ModelPackageName=arn)
    assert package["ModelApprovalStatus"] == "Approved"
    assert package["ApprovalDescription"] == "AUC 0.91 on holdout; bias report reviewed"

    # A second approval changes nothing (and so emits no second pipeline-starting event).
    assert main(argv, session_factory=session_factory) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "unchanged"


def test_reject_model(hub_session: boto3.Session, capsys: pytest.CaptureFixture[str]) -> None:
    arn = create_central_package(hub_session, status="PendingManualApproval")

    code = main(
        ["governance", "reject-model", "--model-package-arn", arn, "--reason", "drift too high"],
        session_factory=session_factory,
    )

    assert code == 0
    assert capsys.readouterr().out.startswith(f"Rejected {arn} (was PendingManualApproval)")
    package = hub_session.client("sagemaker").describe_model_package(ModelPackageName=arn)
    assert (package["ModelApprovalStatus"], package["ApprovalDescription"]) == (
        "Rejected",
        "drift too high",
    )


def test_blank_reason_is_bad_input(
    hub_session: boto3.Session, capsys: pytest.CaptureFixture[str]
) -> None:
    arn = create_central_package(hub_session, status="PendingManualApproval")
    code = main(
        ["governance", "approve-model", "--model-package-arn", arn, "--reason", "  "],
        session_factory=session_factory,
    )
    assert code == 2
    assert "--reason" in capsys.readouterr().err
    package = hub_session.client("sagemaker").describe_model_package(ModelPackageName=arn)
    assert package["ModelApprovalStatus"] == "PendingManualApproval"


def test_unknown_package_fails(
    hub_session: boto3.Session, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "governance",
            "approve-model",
            "--model-package-arn",
            "arn:aws:sagemaker:eu-west-1:123456789012:model-package/nope/1",
            "--reason",
            "ok",
        ],
        session_factory=session_factory,
    )
    assert code == 1
    assert "does not exist" in capsys.readouterr().err


def _state(action_status: str | None, *, token: str | None = TOKEN) -> dict[str, Any]:
    approval: dict[str, Any] = {"actionName": "ApproveProd", "entityUrl": "https://console"}
    if action_status:
        latest: dict[str, Any] = {"status": action_status, "lastStatusChange": NOW}
        if token:
            latest["token"] = token
        approval["latestExecution"] = latest
    return {
        "pipelineName": PIPELINE,
        "pipelineVersion": 3,
        "stageStates": [
            {
                "stageName": "DeployTest",
                "latestExecution": {"pipelineExecutionId": EXECUTION, "status": "Succeeded"},
                "actionStates": [
                    {"actionName": "Deploy", "latestExecution": {"status": "Succeeded"}}
                ],
            },
            {
                "stageName": "ApprovalProd",
                "latestExecution": {"pipelineExecutionId": EXECUTION, "status": "InProgress"},
                "actionStates": [approval],
            },
        ],
    }


class _SessionWithStubbedPipeline(boto3.Session):
    """A moto-backed session whose CodePipeline client is the given (stubbed) client."""

    def __init__(self, codepipeline: Any) -> None:
        super().__init__(region_name=REGION)
        self._codepipeline = codepipeline

    def client(self, service_name: str, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        if service_name == "codepipeline":
            return self._codepipeline
        return super().client(service_name, *args, **kwargs)


def test_approve_prod_answers_the_pending_approval(
    aws: None, capsys: pytest.CaptureFixture[str]
) -> None:
    codepipeline = boto3.client("codepipeline", region_name=REGION)
    package_arn = "arn:aws:sagemaker:eu-west-1:123456789012:model-package/team-a-churn/2"
    with Stubber(codepipeline) as stub:
        stub.add_response("get_pipeline_state", _state("InProgress"), {"name": PIPELINE})
        stub.add_response(
            "get_pipeline_execution",
            {
                "pipelineExecution": {
                    "pipelineName": PIPELINE,
                    "pipelineExecutionId": EXECUTION,
                    "status": "InProgress",
                    "variables": [{"name": "MODEL_PACKAGE_ARN", "resolvedValue": package_arn}],
                }
            },
            {"pipelineName": PIPELINE, "pipelineExecutionId": EXECUTION},
        )
        stub.add_response(
            "put_approval_result",
            {"approvedAt": NOW},
            {
                "pipelineName": PIPELINE,
                "stageName": "ApprovalProd",
                "actionName": "ApproveProd",
                "result": {"summary": "test report green; CAB-1234", "status": "Approved"},
                "token": TOKEN,
            },
        )

        code = main(
            [
                "governance",
                "approve-prod",
                "--pipeline",
                PIPELINE,
                "--execution-id",
                EXECUTION,
                "--reason",
                "test report green; CAB-1234",
            ],
            session_factory=lambda _p, _r: _SessionWithStubbedPipeline(codepipeline),
        )

        stub.assert_no_pending_responses()
    out = capsys.readouterr().out
    assert code == 0
    assert out.startswith(f"approved ApproveProd in pipeline {PIPELINE}")
    assert package_arn in out


def test_reject_prod_sends_rejected() -> None:
    codepipeline = boto3.client("codepipeline", region_name=REGION)
    with Stubber(codepipeline) as stub:
        stub.add_response("get_pipeline_state", _state("InProgress"))
        stub.add_client_error("get_pipeline_execution", service_error_code="AccessDeniedException")
        stub.add_response(
            "put_approval_result",
            {"approvedAt": NOW},
            {
                "pipelineName": PIPELINE,
                "stageName": "ApprovalProd",
                "actionName": "ApproveProd",
                "result": {"summary": "latency regression", "status": "Rejected"},
                "token": TOKEN,
            },
        )
        result = answer_prod_approval(
            codepipeline, PIPELINE, approve=False, reason="latency regression"
        )
        stub.assert_no_pending_responses()
    # Reading the execution's variable is optional; the decision is recorded regardless.
    assert (result["status"], result["model_package_arn"]) == ("rejected", None)


@pytest.mark.parametrize(
    ("state", "message"),
    [
        (_state(None), "latest status: never run"),
        (_state("Succeeded", token=None), "latest status: Succeeded"),
    ],
)
def test_approve_prod_without_a_pending_approval_exits_1(
    aws: None, capsys: pytest.CaptureFixture[str], state: dict[str, Any], message: str
) -> None:
    codepipeline = boto3.client("codepipeline", region_name=REGION)
    with Stubber(codepipeline) as stub:
        stub.add_response("get_pipeline_state", state)
        code = main(
            ["governance", "approve-prod", "--pipeline", PIPELINE, "--reason", "go"],
            session_factory=lambda _p, _r: _SessionWithStubbedPipeline(codepipeline),
        )
        stub.assert_no_pending_responses()  # and no put_approval_result was sent
    err = capsys.readouterr().err
    assert code == 1
    assert "no approval is pending for ApproveProd" in err and message in err


def test_approve_prod_for_another_execution_is_refused() -> None:
    codepipeline = boto3.client("codepipeline", region_name=REGION)
    with Stubber(codepipeline) as stub:
        stub.add_response("get_pipeline_state", _state("InProgress"))
        with pytest.raises(MlgovError, match=f"belongs to execution {EXECUTION}"):
            answer_prod_approval(
                codepipeline, PIPELINE, approve=True, reason="go", execution_id="other-execution"
            )
        stub.assert_no_pending_responses()


def test_unknown_pipeline_is_bad_input(aws: None, capsys: pytest.CaptureFixture[str]) -> None:
    codepipeline = boto3.client("codepipeline", region_name=REGION)
    with Stubber(codepipeline) as stub:
        stub.add_client_error("get_pipeline_state", service_error_code="PipelineNotFoundException")
        code = main(
            ["governance", "reject-prod", "--pipeline", "nope", "--reason", "x"],
            session_factory=lambda _p, _r: _SessionWithStubbedPipeline(codepipeline),
        )
    assert code == 2
    assert "--pipeline: pipeline 'nope' does not exist" in capsys.readouterr().err


def test_output_options_work_before_or_after_the_command(
    hub_session: boto3.Session, capsys: pytest.CaptureFixture[str]
) -> None:
    arn = create_central_package(hub_session, status="PendingManualApproval")
    for argv in (
        ["--json", "--quiet", "governance", "pending"],
        ["governance", "pending", "--json", "--quiet"],
        ["--json", "governance", "pending", "--quiet"],
        ["governance", "--json", "pending", "--quiet"],
    ):
        assert main(argv, session_factory=session_factory) == 0, argv
        captured = capsys.readouterr()
        assert [p["model_package_arn"] for p in json.loads(captured.out)["pending"]] == [arn]
        assert captured.err == "", argv


def test_the_hub_region_defaults_to_the_region_of_the_package_arn(
    hub_session: boto3.Session, capsys: pytest.CaptureFixture[str]
) -> None:
    """A profile set to another region still approves the package where its ARN says it is."""
    arn = create_central_package(hub_session, status="PendingManualApproval")
    regions: list[str | None] = []

    def other_region_profile(profile: str | None, region: str | None) -> boto3.Session:
        regions.append(region)
        return boto3.Session(region_name=region or "us-east-1")

    argv = ["governance", "approve-model", "--model-package-arn", arn, "--reason", "ok", "--json"]
    assert main(argv, session_factory=other_region_profile) == 0
    assert regions == [REGION]
    assert json.loads(capsys.readouterr().out)["status"] == "approved"
    described = hub_session.client("sagemaker").describe_model_package(ModelPackageName=arn)
    assert described["ModelApprovalStatus"] == "Approved"


# -- values the platform configuration fixes ---------------------------------------------------

ENVIRONMENTS = Path(__file__).resolve().parents[2] / "environments"


def _approve_prod_with_stub(argv: list[str], regions: list[str | None]) -> tuple[int, Stubber]:
    codepipeline = boto3.client("codepipeline", region_name=REGION)
    stub = Stubber(codepipeline)
    stub.add_response("get_pipeline_state", _state("InProgress"), {"name": PIPELINE})
    stub.add_client_error("get_pipeline_execution", service_error_code="AccessDeniedException")
    stub.add_response("put_approval_result", {"approvedAt": NOW})

    def factory(_profile: str | None, region: str | None) -> boto3.Session:
        regions.append(region)
        return _SessionWithStubbedPipeline(codepipeline)

    with stub:
        code = main(
            ["governance", "approve-prod", "--reason", "go", *argv], session_factory=factory
        )
    return code, stub


@pytest.mark.parametrize("how", ["flag", "variable", "working-directory"])
def test_approve_prod_takes_pipeline_and_hub_region_from_the_configuration(
    aws: None,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    how: str,
) -> None:
    monkeypatch.delenv("MLGOV_PIPELINE_NAME", raising=False)
    monkeypatch.delenv(ENVIRONMENTS_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    argv: list[str] = []
    if how == "flag":
        argv = ["--environments", str(ENVIRONMENTS)]
    elif how == "variable":
        monkeypatch.setenv(ENVIRONMENTS_ENV, str(ENVIRONMENTS))
    else:
        shutil.copytree(ENVIRONMENTS, tmp_path / "environments")
    regions: list[str | None] = []
    code, stub = _approve_prod_with_stub(argv, regions)
    captured = capsys.readouterr()
    assert code == 0, captured.err
    stub.assert_no_pending_responses()
    # The default configuration's hub: mlgov-model-deployment in shared-services' region.
    assert f"in pipeline {PIPELINE}" in captured.out
    assert f"pipeline {PIPELINE} (from " in captured.err
    assert regions == ["eu-west-1"]


def test_approve_prod_without_pipeline_or_configuration_names_what_is_missing(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("MLGOV_PIPELINE_NAME", raising=False)
    monkeypatch.delenv(ENVIRONMENTS_ENV, raising=False)
    monkeypatch.chdir(tmp_path)  # no ./environments here
    code = main(
        ["governance", "approve-prod", "--reason", "go"],
        session_factory=lambda _p, _r: pytest.fail("no AWS call without a pipeline"),
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "--pipeline: not given, $MLGOV_PIPELINE_NAME is not set" in err
    assert "--environments, $MLGOV_ENVIRONMENTS or ./environments" in err


def test_a_missing_or_invalid_configuration_is_bad_input(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("MLGOV_PIPELINE_NAME", raising=False)
    monkeypatch.setenv(ENVIRONMENTS_ENV, str(tmp_path / "nowhere"))
    code = main(["governance", "reject-prod", "--reason", "no"])
    assert code == 2
    assert f"$MLGOV_ENVIRONMENTS: '{tmp_path / 'nowhere'}' is not a directory" in (
        capsys.readouterr().err
    )
    broken = tmp_path / "environments"
    shutil.copytree(ENVIRONMENTS, broken)
    organization = broken / "organization.hcl"
    organization.write_text(
        organization.read_text(encoding="utf-8").replace("home_region", "home_regoin"),
        encoding="utf-8",
    )
    code = main(["governance", "reject-prod", "--reason", "no", "--environments", str(broken)])
    assert code == 2
    err = capsys.readouterr().err
    assert f"the platform configuration in {broken} is invalid" in err
    assert "home_region: missing" in err
