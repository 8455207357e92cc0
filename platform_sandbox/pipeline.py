"""The applied deployment pipeline, played stage by stage on one execution.

moto stores the pipeline and records StartPipelineExecution with its variables, but runs no stage.
The player reads the applied definition (GetPipeline) and the execution, and plays each action in
order:

* Source (S3): the object the action names, read with the pipeline's service role, is the
  tooling bundle (the pipeline's `tooling` artifact, and the release operators run too).
* CodeBuild actions: the project is read back (BatchGetProjects) and its buildspec runs with the
  project's environment, the action's `EnvironmentVariables` (`#{variables.*}` and
  `#{codepipeline.PipelineExecutionId}` resolved from the execution) and the project's service
  role (`runtimes.run_build`). Before a Test action the endpoint's answers are queued: moto runs
  no model, so one number per bundled payload goes through moto's endpoint-results API.
* The manual approval: the player reports that the execution reached it, and the governance
  officer answers with `mlgov governance approve-prod` as the officer's role: GetPipelineState
  and PutApprovalResult are served by the simulator's CodePipeline gap (`gaps_codepipeline`),
  which records the officer's identity with the answer. DeployProd's `mlgov deploy` reads that
  record back (ListActionExecutions) before it deploys.

Every action played is reported to the simulator as CodePipeline's engine records it (started,
then succeeded or failed), so GetPipelineState and ListActionExecutions show the execution.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import boto3
import requests

from platform_sandbox import audit
from platform_sandbox.audit import Decision
from platform_sandbox.gaps_codepipeline import ACTION_EXECUTIONS_PATH
from platform_sandbox.runtimes import (
    Build,
    WalkFailed,
    check,
    role_session,
    run_build,
    run_cli,
    unpack,
)
from platform_sandbox.simulator import Simulator

ENDPOINT_RESULTS_PATH = "/moto-api/static/sagemaker/endpoint-results"
PROD_APPROVAL_REASON = "Integration tests passed in test; change ticket CAB-4711"
_PIPELINE_REFERENCE = re.compile(r"#\{(variables|codepipeline)\.([A-Za-z0-9_]+)\}")


class PipelinePlayer:
    """Plays the hub's applied deployment pipeline (names from the hub stack's outputs)."""

    def __init__(
        self,
        simulator: Simulator,
        hub: boto3.Session,
        hub_outputs: dict[str, Any],
        *,
        work_dir: Path,
        progress: Callable[[str], None],
    ) -> None:
        self.sim = simulator
        self.hub = hub
        self.region = str(hub.region_name)
        self.outputs = hub_outputs
        self.work = work_dir
        self.progress = progress
        self.name = str(hub_outputs["deployment_pipeline_name"])

    def client(self, service: str, session: boto3.Session | None = None) -> Any:
        return self.sim.client(session or self.hub, service)

    def definition(self) -> dict[str, Any]:
        return dict(self.client("codepipeline").get_pipeline(name=self.name)["pipeline"])

    def tooling_bundle(self) -> Path:
        """The pipeline's Source: the S3 object it names, read with the pipeline's role."""
        pipeline = self.definition()
        (source,) = [
            action
            for stage in pipeline["stages"]
            for action in stage["actions"]
            if action["actionTypeId"]["category"] == "Source"
        ]
        check(source["actionTypeId"]["provider"] == "S3", f"unsupported source {source}")
        role = role_session(self.sim, pipeline["roleArn"], "codepipeline", self.region)
        configuration = source["configuration"]
        body = (
            self.client("s3", role)
            .get_object(Bucket=configuration["S3Bucket"], Key=configuration["S3ObjectKey"])["Body"]
            .read()
        )
        self.progress(
            f"hub: tooling bundle s3://{configuration['S3Bucket']}/{configuration['S3ObjectKey']}"
        )
        return unpack(body, self.work / "tooling")

    def play(self, execution_id: str, bundle: Path) -> Decision:
        """Play every stage of the execution; returns the production approval decision."""
        pipeline = self.definition()
        execution = self.client("codepipeline").get_pipeline_execution(
            pipelineName=self.name, pipelineExecutionId=execution_id
        )["pipelineExecution"]
        references = {
            "variables": {v["name"]: v["resolvedValue"] for v in execution.get("variables", [])},
            "codepipeline": {"PipelineExecutionId": execution_id},
        }
        artifacts: dict[str, Path] = {}
        approval: Decision | None = None
        for stage in pipeline["stages"]:
            for action in sorted(stage["actions"], key=lambda a: a.get("runOrder", 1)):
                kind = action["actionTypeId"]
                if kind["category"] == "Approval":
                    approval = self.approve_prod(stage["name"], action, execution, bundle)
                    continue
                self.report(execution_id, stage["name"], action["name"], "InProgress")
                if kind["category"] == "Source":
                    for output in action.get("outputArtifacts", []):
                        artifacts[output["name"]] = bundle
                elif kind["provider"] == "CodeBuild":
                    (source,) = action["inputArtifacts"]
                    try:
                        self.run_codebuild(action, artifacts[source["name"]], references)
                    except WalkFailed:
                        self.report(execution_id, stage["name"], action["name"], "Failed")
                        raise
                else:
                    raise WalkFailed(f"the sandbox cannot play action {action['name']} ({kind})")
                self.report(execution_id, stage["name"], action["name"], "Succeeded")
        if approval is None:
            raise WalkFailed(f"pipeline {self.name} has no manual approval before prod")
        return approval

    def run_codebuild(
        self, action: dict[str, Any], source_dir: Path, references: dict[str, dict[str, str]]
    ) -> Build:
        configuration = action["configuration"]
        (project,) = self.client("codebuild").batch_get_projects(
            names=[configuration["ProjectName"]]
        )["projects"]
        action_variables = {
            v["name"]: _resolve(v["value"], references)
            for v in json.loads(configuration.get("EnvironmentVariables", "[]"))
        }
        if action["actionTypeId"]["category"] == "Test":
            self.queue_endpoint_answers(project, source_dir)
        build = run_build(
            self.sim,
            project,
            source_dir=source_dir,
            action_variables=action_variables,
            initiator=f"codepipeline/{self.name}",
        )
        check(
            build.succeeded,
            f"{action['name']}: build of {project['name']} exited {build.exit_code}:\n"
            f"{build.output}",
        )
        self.progress(f"pipeline {action['name']}: {build.commands[-1]} (build {build.build_id})")
        return build

    def queue_endpoint_answers(self, project: dict[str, Any], source_dir: Path) -> None:
        """What the endpoint answers the integration test (moto runs no model): one number per
        bundled payload, queued in the account and region of the project's target."""
        variables = {v["name"]: v["value"] for v in project["environment"]["environmentVariables"]}
        target = json.loads(variables["MLGOV_TARGET_CONFIG"])
        cases = sum(
            1
            for payloads in sorted(source_dir.rglob("*.jsonl"))
            for line in payloads.read_text(encoding="utf-8").splitlines()
            if line.strip()
        )
        answers = [
            {
                "Body": f"{9.5 + index:.2f}",
                "ContentType": "text/csv",
                "InvokedProductionVariant": "AllTraffic",
                "CustomAttributes": "",
            }
            for index in range(cases)
        ]
        response = requests.post(
            self.sim.endpoint_url + ENDPOINT_RESULTS_PATH,
            json={
                "account_id": target["account_id"],
                "region": target["region"],
                "results": answers,
            },
            verify=self.sim.ca_bundle,
            timeout=10,
        )
        response.raise_for_status()

    def report(self, execution_id: str, stage: str, action: str, status: str) -> dict[str, Any]:
        """Tell the simulator what an action of the execution did, as CodePipeline records it."""
        response = requests.post(
            self.sim.endpoint_url + ACTION_EXECUTIONS_PATH,
            json={
                "account_id": self.hub_account,
                "region": self.region,
                "pipeline": self.name,
                "pipelineExecutionId": execution_id,
                "stageName": stage,
                "actionName": action,
                "status": status,
            },
            verify=self.sim.ca_bundle,
            timeout=10,
        )
        check(response.ok, f"the simulator refused the run of {action}: {response.text}")
        return dict(response.json())

    @property
    def hub_account(self) -> str:
        return str(self.client("sts").get_caller_identity()["Account"])

    def approve_prod(
        self, stage_name: str, action: dict[str, Any], execution: dict[str, Any], bundle: Path
    ) -> Decision:
        """The execution reaches the approval; the governance officer answers it with the CLI."""
        approval_arn = str(self.outputs["prod_approval_action_arn"])
        check(
            approval_arn.endswith(f"/{stage_name}/{action['name']}"),
            f"the pipeline's approval is {stage_name}/{action['name']}, the applied one "
            f"{approval_arn}",
        )
        officer = role_session(
            self.sim, self.outputs["governance_officer_role_arn"], "governance-officer", self.region
        )
        execution_id = execution["pipelineExecutionId"]
        self.report(execution_id, stage_name, action["name"], "InProgress")
        code, out, err = run_cli(
            bundle,
            [
                "governance",
                "approve-prod",
                "--pipeline",
                self.name,
                "--action-name",
                action["name"],
                "--execution-id",
                execution_id,
                "--reason",
                PROD_APPROVAL_REASON,
                "--json",
                "--quiet",
            ],
            officer,
        )
        check(code == 0, f"mlgov governance approve-prod failed: {out}{err}")
        answer = json.loads(out)
        # What CodePipeline recorded: the approver and the time, as DeployProd will read them.
        (recorded,) = [
            detail
            for detail in self.client("codepipeline").list_action_executions(
                pipelineName=self.name, filter={"pipelineExecutionId": execution_id}
            )["actionExecutionDetails"]
            if (detail["stageName"], detail["actionName"]) == (stage_name, action["name"])
        ]
        check(recorded["status"] == "Succeeded", f"{action['name']} is {recorded['status']}")
        self.progress(f"hub: governance officer {recorded['updatedBy']} approved {action['name']}")
        return Decision(
            step=audit.PROD_APPROVED,
            actor_arn=recorded["updatedBy"],
            at=recorded["lastUpdateTime"],
            subject_arn=answer.get("model_package_arn") or "",
            note=recorded["output"]["executionResult"]["externalExecutionSummary"],
            record=(
                "CodePipeline ListActionExecutions: the approval's updatedBy and summary, as "
                "PutApprovalResult from mlgov governance approve-prod recorded them"
            ),
        )


def _resolve(value: str, references: dict[str, dict[str, str]]) -> str:
    """CodePipeline's `#{variables.X}` / `#{codepipeline.PipelineExecutionId}` references."""

    def replace(match: re.Match[str]) -> str:
        namespace, name = match.groups()
        if name not in references[namespace]:
            raise WalkFailed(f"pipeline reference {match.group(0)} cannot be resolved")
        return references[namespace][name]

    return _PIPELINE_REFERENCE.sub(replace, value)
