"""CodePipeline approvals in the simulator (`platform_sandbox/gaps_codepipeline.py`).

moto keeps pipelines and executions but runs no action and has no GetPipelineState,
PutApprovalResult or ListActionExecutions. In a simulator of its own (the server process, every
gap patched), a pipeline shaped like `model-deployment-pipeline`'s is created with boto3, an
execution reaches its approval through the pipeline player's route, and the three calls are
checked against what CodePipeline answers: the open approval's token, who answered
(`updatedBy`, the signer's assumed-role ARN), AWS's error codes, the filter and the pages. Last,
`mlgov governance approve-prod` and the prod deploy's approval check run against it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from botocore.exceptions import ClientError

from mlgov.governance import answer_prod_approval, find_prod_approval
from mlgov.integrity import IntegrityError, ProdApprovalGate, verify_prod_approval
from platform_sandbox import gaps, simulator
from platform_sandbox.gaps_codepipeline import ACTION_EXECUTIONS_PATH
from platform_sandbox.simulator import Simulator

REGION = "eu-west-1"
HUB = "444455556666"
PIPELINE = "mlgov-model-deployment"
OFFICER_ROLE = "mlgov-governance-officer"
PACKAGE = f"arn:aws:sagemaker:{REGION}:{HUB}:model-package/team-a-churn/1"


def error_of(call: Any, **kwargs: Any) -> dict[str, Any]:
    """The error reply of a call that must fail: its code and message."""
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    return dict(raised.value.response["Error"])


@pytest.fixture(scope="module")
def sim(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Simulator]:
    running = simulator.start(tmp_path_factory.mktemp("codepipeline-simulator"))
    try:
        yield running
    finally:
        simulator.stop(running)


@pytest.fixture(scope="module")
def codepipeline(sim: Simulator) -> Any:
    """The hub's CodePipeline client, with the deployment pipeline created."""
    hub = sim.session(HUB, REGION)
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "codepipeline.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    role = sim.client(hub, "iam").create_role(
        RoleName=f"{PIPELINE}-pipeline", AssumeRolePolicyDocument=json.dumps(trust)
    )["Role"]["Arn"]
    client = sim.client(hub, "codepipeline")

    def action(name: str, category: str, provider: str, **extra: Any) -> dict[str, Any]:
        return {
            "name": name,
            "actionTypeId": {
                "category": category,
                "owner": "AWS",
                "provider": provider,
                "version": "1",
            },
            **extra,
        }

    build = {"inputArtifacts": [{"name": "tooling"}], "configuration": {"ProjectName": "p"}}
    client.create_pipeline(
        pipeline={
            "name": PIPELINE,
            "roleArn": role,
            "artifactStore": {"type": "S3", "location": "artifacts"},
            "pipelineType": "V2",
            "variables": [{"name": "MODEL_PACKAGE_ARN"}],
            "stages": [
                {
                    "name": "Source",
                    "actions": [
                        action(
                            "ToolingBundle",
                            "Source",
                            "S3",
                            configuration={"S3Bucket": "artifacts", "S3ObjectKey": "t.zip"},
                            outputArtifacts=[{"name": "tooling"}],
                        )
                    ],
                },
                {
                    "name": "DeployTest",
                    "actions": [action("DeployTest", "Build", "CodeBuild", **build)],
                },
                {"name": "ApproveProd", "actions": [action("ApproveProd", "Approval", "Manual")]},
                {
                    "name": "DeployProd",
                    "actions": [action("DeployProd", "Build", "CodeBuild", **build)],
                },
            ],
        }
    )
    return client


def start(codepipeline: Any) -> str:
    return str(
        codepipeline.start_pipeline_execution(
            name=PIPELINE, variables=[{"name": "MODEL_PACKAGE_ARN", "value": PACKAGE}]
        )["pipelineExecutionId"]
    )


def report(sim: Simulator, execution_id: str, stage: str, status: str, **extra: Any) -> Any:
    """What the pipeline player posts when an action starts or ends."""
    return requests.post(
        sim.endpoint_url + ACTION_EXECUTIONS_PATH,
        json={
            "account_id": HUB,
            "region": REGION,
            "pipeline": PIPELINE,
            "pipelineExecutionId": execution_id,
            "stageName": stage,
            "actionName": stage,
            "status": status,
            **extra,
        },
        verify=sim.ca_bundle,
        timeout=10,
    )


def role_client(sim: Simulator, role_name: str) -> Any:
    return sim.client(sim.session(HUB, REGION, role_name), "codepipeline")


def reach_approval(sim: Simulator, codepipeline: Any) -> tuple[str, str]:
    """An execution that passed the test stage and waits at ApproveProd: (id, token)."""
    execution_id = start(codepipeline)
    for stage in ("DeployTest",):
        assert report(sim, execution_id, stage, "InProgress").ok
        assert report(sim, execution_id, stage, "Succeeded").ok
    opened = report(sim, execution_id, "ApproveProd", "InProgress")
    assert opened.ok, opened.text
    return execution_id, str(opened.json()["token"])


def test_the_gap_is_listed() -> None:
    assert "codepipeline-approvals" in {gap.name for gap in gaps.GAPS}


def test_the_open_approval_and_its_token_are_in_the_pipeline_state(
    sim: Simulator, codepipeline: Any
) -> None:
    execution_id, token = reach_approval(sim, codepipeline)

    state = codepipeline.get_pipeline_state(name=PIPELINE)

    stages = {s["stageName"]: s for s in state["stageStates"]}
    assert list(stages) == ["Source", "DeployTest", "ApproveProd", "DeployProd"]
    approval = stages["ApproveProd"]
    assert approval["latestExecution"] == {
        "pipelineExecutionId": execution_id,
        "status": "InProgress",
    }
    (action,) = approval["actionStates"]
    assert action["latestExecution"]["status"] == "InProgress"
    assert action["latestExecution"]["token"] == token
    assert stages["DeployTest"]["actionStates"][0]["latestExecution"]["status"] == "Succeeded"
    assert "latestExecution" not in stages["DeployProd"]["actionStates"][0]
    assert error_of(codepipeline.get_pipeline_state, name="nope")["Code"] == (
        "PipelineNotFoundException"
    )


def test_the_answer_records_who_gave_it(sim: Simulator, codepipeline: Any) -> None:
    execution_id, token = reach_approval(sim, codepipeline)
    officer = role_client(sim, OFFICER_ROLE)
    request = {
        "pipelineName": PIPELINE,
        "stageName": "ApproveProd",
        "actionName": "ApproveProd",
        "result": {"summary": "risk review OK", "status": "Approved"},
    }

    wrong = error_of(officer.put_approval_result, token="not-the-token", **request)
    assert wrong["Code"] == "InvalidApprovalTokenException"
    approved_at = officer.put_approval_result(token=token, **request)["approvedAt"]
    again = error_of(officer.put_approval_result, token=token, **request)

    assert again["Code"] == "ApprovalAlreadyCompletedException"
    details = codepipeline.list_action_executions(
        pipelineName=PIPELINE, filter={"pipelineExecutionId": execution_id}
    )["actionExecutionDetails"]
    assert [(d["actionName"], d["status"]) for d in details] == [
        ("ApproveProd", "Succeeded"),
        ("DeployTest", "Succeeded"),
    ]
    approval = details[0]
    assert approval["updatedBy"] == f"arn:aws:sts::{HUB}:assumed-role/{OFFICER_ROLE}/sandbox"
    assert approval["output"]["executionResult"]["externalExecutionSummary"] == "risk review OK"
    assert approval["input"]["actionTypeId"]["category"] == "Approval"
    assert approval["lastUpdateTime"] == approved_at
    state = codepipeline.get_pipeline_state(name=PIPELINE)
    latest = state["stageStates"][2]["actionStates"][0]["latestExecution"]
    assert "token" not in latest and latest["status"] == "Succeeded"


def test_unknown_names_and_bad_requests_fail_as_in_aws(sim: Simulator, codepipeline: Any) -> None:
    _, token = reach_approval(sim, codepipeline)
    answer = {"summary": "ok", "status": "Approved"}

    def put(**overrides: Any) -> str:
        request = {
            "pipelineName": PIPELINE,
            "stageName": "ApproveProd",
            "actionName": "ApproveProd",
            "result": answer,
            "token": token,
            **overrides,
        }
        return str(error_of(codepipeline.put_approval_result, **request)["Code"])

    assert put(pipelineName="nope") == "PipelineNotFoundException"
    assert put(stageName="Nope") == "StageNotFoundException"
    assert put(actionName="Nope") == "ActionNotFoundException"
    assert put(stageName="DeployProd", actionName="DeployProd") == "InvalidApprovalTokenException"
    not_found = error_of(
        codepipeline.list_action_executions,
        pipelineName=PIPELINE,
        filter={"pipelineExecutionId": "00000000-0000-0000-0000-000000000000"},
    )
    assert not_found["Code"] == "PipelineExecutionNotFoundException"
    unknown_stage = report(sim, start(codepipeline), "Nope", "InProgress")
    assert unknown_stage.status_code == 400
    assert unknown_stage.json()["__type"] == "StageNotFoundException"


def test_action_executions_are_paged_newest_first(sim: Simulator, codepipeline: Any) -> None:
    execution_id, _ = reach_approval(sim, codepipeline)
    pages = codepipeline.get_paginator("list_action_executions").paginate(
        pipelineName=PIPELINE,
        filter={"pipelineExecutionId": execution_id},
        PaginationConfig={"PageSize": 1},
    )
    names = [d["actionName"] for page in pages for d in page["actionExecutionDetails"]]
    assert names == ["ApproveProd", "DeployTest"]
    everything = codepipeline.list_action_executions(pipelineName=PIPELINE)
    assert len(everything["actionExecutionDetails"]) > 2


def test_the_officer_approves_with_mlgov_and_the_prod_check_reads_it(
    sim: Simulator, codepipeline: Any
) -> None:
    execution_id, token = reach_approval(sim, codepipeline)
    gate = ProdApprovalGate(
        PIPELINE, execution_id, f"arn:aws:iam::{HUB}:role/{OFFICER_ROLE}", "ApproveProd"
    )
    with pytest.raises(IntegrityError, match="still pending"):
        verify_prod_approval(codepipeline, gate, PACKAGE)
    officer = role_client(sim, OFFICER_ROLE)
    assert find_prod_approval(officer, PIPELINE, execution_id=execution_id).token == token

    answer = answer_prod_approval(
        officer, PIPELINE, approve=True, reason="risk review OK", execution_id=execution_id
    )

    assert answer["model_package_arn"] == PACKAGE
    checked = verify_prod_approval(codepipeline, gate, PACKAGE)
    assert checked["approved_by"] == f"arn:aws:sts::{HUB}:assumed-role/{OFFICER_ROLE}/sandbox"
    assert checked["summary"] == "risk review OK"


def test_an_approval_by_another_role_does_not_pass_the_prod_check(
    sim: Simulator, codepipeline: Any
) -> None:
    execution_id, _ = reach_approval(sim, codepipeline)
    power_user = role_client(sim, "AWSReservedSSO_PowerUserAccess_0123456789abcdef")
    answer_prod_approval(
        power_user, PIPELINE, approve=True, reason="looks fine", execution_id=execution_id
    )
    gate = ProdApprovalGate(
        PIPELINE, execution_id, f"arn:aws:iam::{HUB}:role/{OFFICER_ROLE}", "ApproveProd"
    )

    with pytest.raises(IntegrityError, match="PowerUserAccess"):
        verify_prod_approval(codepipeline, gate, PACKAGE)
