"""CodePipeline action executions and manual approvals in the simulator.

moto 5.2 stores pipelines and their executions but runs no action, and it implements neither
GetPipelineState, PutApprovalResult nor ListActionExecutions. The deployment pipeline's
production gate needs all three: the governance officer finds the open approval and answers it
(`mlgov governance approve-prod`), and `mlgov deploy --stage prod` checks who answered it. These
patches (server process only, registered by `gaps.patch_simulator`; the gap is listed in
`gaps.GAPS`) keep the action executions of each pipeline on moto's own pipeline record (so a
reset of the simulator drops them with the pipeline) and answer as CodePipeline does:

- Whoever plays the pipeline (the sandbox's pipeline player, or a test) reports what an action of
  an execution did with `record_action` (in the server process: POST to
  `ACTION_EXECUTIONS_PATH`), as CodePipeline's engine would record it. A manual approval that
  starts (`InProgress`) gets a fresh token, as AWS issues one per approval request.
- GetPipelineState: every stage of the definition with the latest execution of each action
  (the token only while an approval waits) and the stage's latest pipeline execution.
- PutApprovalResult: the token must be the open approval's (InvalidApprovalTokenException
  otherwise, ApprovalAlreadyCompletedException once answered); the answer records the caller's
  identity (`updatedBy`, as AWS records the approver's assumed-role ARN), the summary and the
  time. Unknown pipeline, stage or action fail with AWS's error codes.
- ListActionExecutions: newest first, filtered by pipeline execution, paged by `maxResults`
  (1-100, default 100) and `nextToken`.

IAM policies are not evaluated here (the simulator evaluates none for CodePipeline).
"""

from __future__ import annotations

import datetime
import json
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ACTION_EXECUTIONS_PATH = "/moto-api/sandbox/codepipeline-action-executions"
ACTION_STATUSES = ("InProgress", "Abandoned", "Succeeded", "Failed")
APPROVAL_STATUSES = {"Approved": "Succeeded", "Rejected": "Failed"}
SUMMARY_MAX = 512
PAGE_MAX = 100
_LOCK = threading.RLock()


@dataclass
class ActionRecord:
    """One run of one action in one pipeline execution."""

    pipeline_execution_id: str
    pipeline_version: int
    stage_name: str
    action_name: str
    action_type: dict[str, str]
    configuration: dict[str, str]
    status: str
    start_time: datetime.datetime
    last_update_time: datetime.datetime
    action_execution_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    token: str | None = None
    summary: str | None = None
    updated_by: str | None = None

    @property
    def is_approval(self) -> bool:
        return self.action_type.get("category") == "Approval"

    def detail(self) -> dict[str, Any]:
        """ListActionExecutions' ActionExecutionDetail."""
        result: dict[str, Any] = {"outputArtifacts": [], "outputVariables": {}}
        if self.summary is not None:
            result["executionResult"] = {"externalExecutionSummary": self.summary}
        detail: dict[str, Any] = {
            "pipelineExecutionId": self.pipeline_execution_id,
            "actionExecutionId": self.action_execution_id,
            "pipelineVersion": self.pipeline_version,
            "stageName": self.stage_name,
            "actionName": self.action_name,
            "startTime": self.start_time,
            "lastUpdateTime": self.last_update_time,
            "status": self.status,
            "input": {
                "actionTypeId": self.action_type,
                "configuration": self.configuration,
                "resolvedConfiguration": self.configuration,
                "inputArtifacts": [],
            },
            "output": result,
        }
        if self.updated_by:
            detail["updatedBy"] = self.updated_by
        return detail

    def state(self) -> dict[str, Any]:
        """GetPipelineState's ActionExecution: the token only while the approval waits."""
        execution: dict[str, Any] = {
            "actionExecutionId": self.action_execution_id,
            "status": self.status,
            "lastStatusChange": self.last_update_time,
        }
        if self.summary is not None:
            execution["summary"] = self.summary
        if self.updated_by:
            execution["lastUpdatedBy"] = self.updated_by
        if self.token and self.status == "InProgress":
            execution["token"] = self.token
        return execution


class CodePipelineError(Exception):
    """An error reply with AWS's code for it."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def _pipeline(account: str, region: str, name: str) -> Any:
    from moto.codepipeline.models import codepipeline_backends

    pipeline = codepipeline_backends[account][region].pipelines.get(name)
    if pipeline is None:
        raise CodePipelineError(
            "PipelineNotFoundException",
            f"Account '{account}' does not have a pipeline with name '{name}'",
        )
    return pipeline


def _records(pipeline: Any) -> list[ActionRecord]:
    """The action executions kept on moto's pipeline record (gone when the pipeline is)."""
    if not hasattr(pipeline, "sandbox_action_executions"):
        pipeline.sandbox_action_executions = []
    records: list[ActionRecord] = pipeline.sandbox_action_executions
    return records


def _action(pipeline: Any, stage_name: str, action_name: str) -> dict[str, Any]:
    stages = {s["name"]: s for s in pipeline.pipeline.get("stages", [])}
    if stage_name not in stages:
        raise CodePipelineError(
            "StageNotFoundException", f"Stage {stage_name} not found in pipeline"
        )
    for action in stages[stage_name].get("actions", []):
        if action["name"] == action_name:
            return dict(action)
    raise CodePipelineError(
        "ActionNotFoundException", f"Action {action_name} not found in stage {stage_name}"
    )


# -- the engine's side: what an execution did ---------------------------------------------------


def record_action(
    account: str,
    region: str,
    pipeline_name: str,
    pipeline_execution_id: str,
    stage_name: str,
    action_name: str,
    status: str,
    *,
    summary: str | None = None,
) -> dict[str, Any]:
    """Record that an action of an execution started or ended, as CodePipeline's engine does.

    A second report for the same action of the same execution updates that run (InProgress, then
    Succeeded); an approval that starts gets its token. Returns the ActionExecutionDetail plus
    the token, which only the engine and GetPipelineState hand out.
    """
    if status not in ACTION_STATUSES:
        raise CodePipelineError("ValidationException", f"status must be one of {ACTION_STATUSES}")
    with _LOCK:
        pipeline = _pipeline(account, region, pipeline_name)
        if pipeline_execution_id not in pipeline.executions:
            raise CodePipelineError(
                "PipelineExecutionNotFoundException",
                f"Pipeline execution {pipeline_execution_id} not found in {pipeline_name}",
            )
        action = _action(pipeline, stage_name, action_name)
        records = _records(pipeline)
        now = _now()
        record = next(
            (
                r
                for r in records
                if r.pipeline_execution_id == pipeline_execution_id
                and (r.stage_name, r.action_name) == (stage_name, action_name)
            ),
            None,
        )
        if record is None:
            record = ActionRecord(
                pipeline_execution_id=pipeline_execution_id,
                pipeline_version=int(pipeline.pipeline.get("version", 1)),
                stage_name=stage_name,
                action_name=action_name,
                action_type=dict(action["actionTypeId"]),
                configuration=dict(action.get("configuration") or {}),
                status=status,
                start_time=now,
                last_update_time=now,
            )
            records.append(record)
        record.status, record.last_update_time = status, now
        if summary is not None:
            record.summary = summary
        if record.is_approval and status == "InProgress" and record.token is None:
            record.token = str(uuid.uuid4())
        return {**record.detail(), "token": record.token}


# -- the API ------------------------------------------------------------------------------------


def get_pipeline_state(account: str, region: str, name: str) -> dict[str, Any]:
    pipeline = _pipeline(account, region, name)
    records = _records(pipeline)
    stage_states = []
    for stage in pipeline.pipeline.get("stages", []):
        in_stage = [r for r in records if r.stage_name == stage["name"]]
        state: dict[str, Any] = {"stageName": stage["name"], "actionStates": []}
        for action in stage.get("actions", []):
            runs = [r for r in in_stage if r.action_name == action["name"]]
            action_state: dict[str, Any] = {"actionName": action["name"]}
            if runs:
                action_state["latestExecution"] = max(runs, key=lambda r: r.start_time).state()
            state["actionStates"].append(action_state)
        if in_stage:
            latest = max(in_stage, key=lambda r: r.start_time).pipeline_execution_id
            statuses = {r.status for r in in_stage if r.pipeline_execution_id == latest}
            status = next(
                (s for s in ("InProgress", "Failed", "Abandoned") if s in statuses), "Succeeded"
            )
            state["latestExecution"] = {"pipelineExecutionId": latest, "status": status}
        stage_states.append(state)
    return {
        "pipelineName": name,
        "pipelineVersion": int(pipeline.pipeline.get("version", 1)),
        "stageStates": stage_states,
    }


def put_approval_result(
    account: str,
    region: str,
    caller_arn: str,
    *,
    pipeline_name: str,
    stage_name: str,
    action_name: str,
    result: dict[str, Any],
    token: str,
) -> dict[str, Any]:
    status = (result or {}).get("status")
    summary = (result or {}).get("summary")
    if status not in APPROVAL_STATUSES:
        raise CodePipelineError(
            "ValidationException",
            f"1 validation error detected: Value '{status}' at 'result.status' failed to satisfy "
            "constraint: Member must satisfy enum value set: [Approved, Rejected]",
        )
    if summary is None or len(summary) > SUMMARY_MAX:
        raise CodePipelineError(
            "ValidationException",
            "1 validation error detected: Value at 'result.summary' failed to satisfy "
            f"constraint: Member must have length between 0 and {SUMMARY_MAX}",
        )
    pipeline = _pipeline(account, region, pipeline_name)
    action = _action(pipeline, stage_name, action_name)
    if action["actionTypeId"].get("category") != "Approval":
        raise CodePipelineError(
            "InvalidApprovalTokenException",
            f"Action {action_name} in stage {stage_name} is not a manual approval",
        )
    record = next(
        (
            r
            for r in _records(pipeline)
            if r.token == token and (r.stage_name, r.action_name) == (stage_name, action_name)
        ),
        None,
    )
    if record is None:
        raise CodePipelineError(
            "InvalidApprovalTokenException",
            f"Approval token {token} is not valid for action {action_name} in stage {stage_name}",
        )
    if record.status != "InProgress":
        raise CodePipelineError(
            "ApprovalAlreadyCompletedException",
            f"The approval request for {action_name} was already {record.status}",
        )
    now = _now()
    record.status = APPROVAL_STATUSES[status]
    record.summary = summary
    record.updated_by = caller_arn
    record.last_update_time = now
    return {"approvedAt": now}


def list_action_executions(
    account: str,
    region: str,
    *,
    pipeline_name: str,
    execution_filter: dict[str, Any] | None,
    max_results: int | None,
    next_token: str | None,
) -> dict[str, Any]:
    pipeline = _pipeline(account, region, pipeline_name)
    execution_filter = execution_filter or {}
    execution_id = execution_filter.get("pipelineExecutionId") or (
        execution_filter.get("latestInPipelineExecution") or {}
    ).get("pipelineExecutionId")
    if execution_id and execution_id not in pipeline.executions:
        raise CodePipelineError(
            "PipelineExecutionNotFoundException",
            f"Pipeline execution {execution_id} not found in {pipeline_name}",
        )
    size = PAGE_MAX if max_results is None else int(max_results)
    if not 1 <= size <= PAGE_MAX:
        raise CodePipelineError(
            "ValidationException",
            f"1 validation error detected: Value '{size}' at 'maxResults' failed to satisfy "
            f"constraint: Member must have value between 1 and {PAGE_MAX}",
        )
    try:
        start = int(next_token) if next_token else 0
    except ValueError:
        raise CodePipelineError(
            "InvalidNextTokenException", "The next token was specified in an invalid format"
        ) from None
    records = sorted(
        (
            r
            for r in _records(pipeline)
            if not execution_id or r.pipeline_execution_id == execution_id
        ),
        key=lambda r: r.start_time,
        reverse=True,
    )
    answer: dict[str, Any] = {
        "actionExecutionDetails": [r.detail() for r in records[start : start + size]]
    }
    if start + size < len(records):
        answer["nextToken"] = str(start + size)
    return answer


# -- wiring into moto ---------------------------------------------------------------------------


def _caller_arn(response: Any) -> str:
    """The ARN of the principal that signed the request (an assumed role's session ARN)."""
    from moto.sts.models import sts_backends
    from moto.utilities.utils import get_partition

    sts = sts_backends[response.current_account][get_partition(response.region)]
    _, arn, _ = sts.get_caller_identity(response.get_access_key(), response.region)
    return str(arn)


def _handlers() -> dict[str, Callable[[Any], dict[str, Any]]]:
    def state(response: Any) -> dict[str, Any]:
        return get_pipeline_state(
            response.current_account, response.region, response._get_param("name")
        )

    def approve(response: Any) -> dict[str, Any]:
        return put_approval_result(
            response.current_account,
            response.region,
            _caller_arn(response),
            pipeline_name=response._get_param("pipelineName"),
            stage_name=response._get_param("stageName"),
            action_name=response._get_param("actionName"),
            result=response._get_param("result"),
            token=response._get_param("token"),
        )

    def executions(response: Any) -> dict[str, Any]:
        return list_action_executions(
            response.current_account,
            response.region,
            pipeline_name=response._get_param("pipelineName"),
            execution_filter=response._get_param("filter"),
            max_results=response._get_param("maxResults"),
            next_token=response._get_param("nextToken"),
        )

    return {
        "get_pipeline_state": state,
        "put_approval_result": approve,
        "list_action_executions": executions,
    }


def _handler(action: Callable[[Any], dict[str, Any]]) -> Callable[[Any], Any]:
    from moto.core.exceptions import JsonRESTError
    from moto.core.responses import ActionResult

    def handle(response: Any) -> Any:
        with _LOCK:
            try:
                return ActionResult(action(response))
            except CodePipelineError as error:
                raise JsonRESTError(error.code, error.message) from error

    handle.__name__ = action.__name__
    return handle


def _record_route(request: Any, full_url: str, headers: Any) -> Any:
    """POST `ACTION_EXECUTIONS_PATH`: the pipeline player reports an action's run."""
    # The server hands a werkzeug request (`data`), moto's in-process mock a prepared one (`body`).
    body = json.loads(getattr(request, "data", None) or getattr(request, "body", None) or b"{}")
    try:
        detail = record_action(
            body["account_id"],
            body["region"],
            body["pipeline"],
            body["pipelineExecutionId"],
            body["stageName"],
            body["actionName"],
            body["status"],
            summary=body.get("summary"),
        )
    except CodePipelineError as error:
        return (
            400,
            {"Content-Type": "application/json"},
            json.dumps({"__type": error.code, "message": error.message}),
        )
    except KeyError as missing:
        return (
            400,
            {"Content-Type": "application/json"},
            json.dumps({"__type": "ValidationException", "message": f"{missing} is required"}),
        )
    return 200, {"Content-Type": "application/json"}, json.dumps(detail, default=str)


def patch_codepipeline() -> None:
    """Serve the three actions and the engine's route (idempotent per process)."""
    from moto.codepipeline import responses
    from moto.moto_api._internal import urls

    response = responses.CodePipelineResponse
    if getattr(response, "sandbox_codepipeline", False):
        return
    for name, action in _handlers().items():
        setattr(response, name, _handler(action))
    urls.url_paths["{0}" + ACTION_EXECUTIONS_PATH] = _record_route
    response.sandbox_codepipeline = True  # type: ignore[attr-defined]
