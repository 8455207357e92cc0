"""Walk one model from a dev account's registry to the prod endpoint, on what Terraform applied.

Nothing of the platform is created or re-derived here: every name, ARN, rule, function
environment, build environment and target config is read back from the simulated AWS (or from
`terraform output`), and the platform's own code does the work:

1. A data scientist, through the workspace's data scientist persona role, puts a model tarball
   into the team's artifact bucket (encrypted with the team key), the team's image build pushes
   an image into a team ECR repository, and the data scientist registers a model package in a
   team group (PendingManualApproval); the lead gives the group the team registry policy.
2. A data scientist approves their own package (IAM in the dev account denies that; the
   simulated AWS does not evaluate IAM, so this stands for a dev account whose IAM was loosened):
   the hub's promoter refuses the event, because the approver is not the team's lead data
   scientist role, and writes nothing.
   The lead data scientist approves it. The simulated SageMaker emits the state-change event;
   EventBridge evaluates the applied forwarder rule, delivers the event to the hub's promotion
   bus, evaluates the applied promotion rule and records the delivery to the promoter function.
3. The promoter's handler runs in-process on exactly that event, with the function's applied
   environment and its execution role (`runtimes.LambdaFunction`); a replay registers nothing.
4. The ML engineer approves the central package with `mlgov governance approve-model`; the
   approval event reaches the trigger function through the applied rule; the trigger starts the
   applied pipeline.
5. The pipeline is played stage by stage from its applied definition (`pipeline`): the Source
   object is the tooling bundle, each CodeBuild action runs its project's buildspec, and the
   governance officer answers the manual approval with `mlgov governance approve-prod`.
6. The audit trail is read back (`audit.collect_trail`).

Simulator gaps this relies on are in `gaps` (SageMaker events, caller identity, partial updates,
UpdateEndpoint and model package group policies; EventBridge cross-account delivery and Lambda
targets; ECR layer download; CodePipeline action executions and manual approvals, which
`pipeline` reports as it plays each action). One is closed in `pipeline` itself, because moto
has no hook for it: the endpoint's answers to the integration test (moto's endpoint-results API).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import requests

from platform_composition.config import AccountRole, Environment
from platform_composition.naming import Naming
from platform_sandbox import audit, gaps
from platform_sandbox.audit import AuditTrail, format_audit_trail
from platform_sandbox.dev_team import DATA_SCIENTIST, DataScienceTeam
from platform_sandbox.organization import Sandbox
from platform_sandbox.pipeline import PipelinePlayer
from platform_sandbox.runtimes import (
    LambdaFunction,
    WalkFailed,
    check,
    role_session,
    run_cli,
    simulated_aws,
)

__all__ = [
    "AuditTrail",
    "WalkFailed",
    "format_audit_trail",
    "walk_one_model",
]

Progress = Callable[[str], None]
DETAIL_TYPE = "SageMaker Model Package State Change"


class ModelWalk:
    """One walk: the accounts, their applied outputs and the sessions of each persona."""

    def __init__(
        self,
        sandbox: Sandbox,
        *,
        dev_stack: str | None,
        outputs: Mapping[str, Mapping[str, Any]] | None,
        work_dir: Path,
        progress: Progress,
    ) -> None:
        self.sandbox = sandbox
        self.sim = sandbox.simulator
        self.progress = progress
        self.work = work_dir
        config = sandbox.config
        by_role = {env.role: env for env in config.environments}
        devs = [
            env
            for env in config.environments
            if env.role is AccountRole.DEV and dev_stack in (None, env.name)
        ]
        check(devs, f"no dev stack {dev_stack or ''} in the organization")
        self.dev = devs[0]
        self.hub = by_role[AccountRole.SHARED_SERVICES]
        self.targets = {role.value: by_role[role] for role in (AccountRole.TEST, AccountRole.PROD)}
        self._outputs = dict(outputs or {})
        self.team = DataScienceTeam(
            self.sim,
            self.dev,
            self.outputs(self.dev),
            Naming(config).workspace_name(self.dev),
            progress,
        )
        # A label shared by what this walk registers, so several walks never collide.
        self.label = datetime.now(UTC).strftime("%Y%m%dt%H%M%S")

    # -- plumbing ---------------------------------------------------------------------------

    def outputs(self, env: Environment) -> Mapping[str, Any]:
        if env.name not in self._outputs:
            self._outputs[env.name] = self.sandbox.outputs(env.name)
        return self._outputs[env.name]

    def admin(self, env: Environment) -> boto3.Session:
        """The sandbox's own view of an account (set-up outside the platform, and the audit)."""
        return self.sim.session(env.account_id, env.region)

    def persona(self, role_arn: str, session_name: str, region: str) -> boto3.Session:
        return role_session(self.sim, role_arn, session_name, region)

    def client(self, session: boto3.Session, service: str) -> Any:
        return self.sim.client(session, service)

    def deliveries(self, function_arn: str, package_arn: str) -> list[dict[str, Any]]:
        """Events EventBridge delivered to `function_arn` about `package_arn` (gap
        `events-lambda-targets`)."""
        response = requests.get(
            self.sim.endpoint_url + gaps.LAMBDA_DELIVERIES_PATH,
            verify=self.sim.ca_bundle,
            timeout=10,
        )
        response.raise_for_status()
        return [
            delivery
            for delivery in response.json()
            if delivery["function_arn"] == function_arn
            and delivery["event"].get("detail-type") == DETAIL_TYPE
            and delivery["event"]["detail"].get("ModelPackageArn") == package_arn
        ]

    # -- 2. the lead approves; EventBridge delivers to the promoter ---------------------------

    def approve_in_dev(self, source_arn: str) -> dict[str, Any]:
        """The lead's approval must reach the promoter, and only the approval."""
        hub_out = self.outputs(self.hub)
        promoter_arn = self.function_arn(hub_out["model_promoter_function_name"])
        not_approved = [
            d
            for d in self.deliveries(promoter_arn, source_arn)
            if d["event"]["detail"].get("ModelApprovalStatus") != "Approved"
        ]
        check(
            not not_approved,
            "a package that was not approved reached the promoter: the forwarder or promotion "
            f"rule matches more than approvals ({not_approved})",
        )
        self.check_forwarder_route()
        lead = self.team.approve(source_arn)
        (delivery,) = _single(
            [d for d in self.deliveries(promoter_arn, source_arn) if _approver(d) == lead],
            f"deliveries of {source_arn} approved by {lead} to the promoter",
        )
        bus_name = hub_out["promotion_event_bus_arn"].rsplit("/", 1)[1]
        expected_rule = (
            hub_out["promotion_event_bus_arn"].replace(":event-bus/", ":rule/")
            + f"/{hub_out['promotion_rule_name']}"
        )
        check(
            delivery["rule_arn"] == expected_rule,
            f"the promoter was invoked by {delivery['rule_arn']}, not by {expected_rule}",
        )
        event = delivery["event"]
        check(
            event["account"] == self.dev.account_id and event["resources"] == [source_arn],
            f"the hub received the event changed: account {event['account']}, "
            f"resources {event['resources']}",
        )
        self.progress(
            f"EventBridge: dev rule {self.outputs(self.dev)['approval_forwarder_rule_name']} -> "
            f"hub bus {bus_name} -> rule {hub_out['promotion_rule_name']} -> "
            f"{hub_out['model_promoter_function_name']} (event {event['id']})"
        )
        return dict(event)

    # -- 2a. an approval by anyone but the lead is refused by the hub -----------------------

    def self_approval_is_refused(self, source_arn: str) -> audit.Decision:
        """The data scientist approves their own package. IAM in the dev account denies it
        (the workspace's DataScientistsNeverApprove); the simulated AWS does not evaluate IAM,
        which makes it the case of a dev account whose IAM was loosened: the hub's promoter
        must refuse the event on its own, write nothing, and leave the package promotable."""
        hub_out = self.outputs(self.hub)
        promoter_arn = self.function_arn(hub_out["model_promoter_function_name"])
        scientist = self.team.approve(source_arn, persona=DATA_SCIENTIST)
        (delivery,) = _single(
            [d for d in self.deliveries(promoter_arn, source_arn) if _approver(d) == scientist],
            f"deliveries of {source_arn} approved by {scientist} to the promoter",
        )
        promoter = self.load_function(hub_out["model_promoter_function_name"])
        (invocation,) = promoter.invoke(delivery["event"])
        result = invocation.result
        check(
            result.get("status") == "rejected" and "approver" in str(result.get("reason")),
            f"the promoter did not refuse an approval by {scientist}: {result}",
        )
        check(
            "PromotionsRefused" in invocation.logs,
            f"the refusal was not counted (PromotionsRefused): {invocation.logs}",
        )
        check(
            not self.central_registrations(source_arn),
            f"an approval by {scientist} was registered centrally",
        )
        self.progress(
            f"hub: promoter refused the approval by {scientist} ({result['reason']}); "
            "nothing was copied or registered"
        )
        return audit.Decision(
            step=audit.REFUSED,
            actor_arn=scientist,
            at=datetime.now(UTC),
            subject_arn=source_arn,
            note=f"{result['reason']}: {'; '.join(result.get('details') or [])}",
            record=f"model promoter log, event {delivery['event']['id']}",
        )

    def central_registrations(self, source_arn: str) -> list[str]:
        """Central packages registered from `source_arn` (by the promoter's lineage metadata)."""
        sagemaker = self.client(self.admin(self.hub), "sagemaker")
        group = f"{self.dev.team}-{self.team.model_group}"
        try:
            summaries = sagemaker.list_model_packages(ModelPackageGroupName=group)[
                "ModelPackageSummaryList"
            ]
        except sagemaker.exceptions.ClientError:
            return []
        return [
            summary["ModelPackageArn"]
            for summary in summaries
            if sagemaker.describe_model_package(ModelPackageName=summary["ModelPackageArn"])
            .get("CustomerMetadataProperties", {})
            .get(audit.SOURCE_ARN_KEY)
            == source_arn
        ]

    def check_forwarder_route(self) -> None:
        """The applied forwarder rule on the dev default bus targets the applied hub bus."""
        events = self.client(self.admin(self.dev), "events")
        rule = self.outputs(self.dev)["approval_forwarder_rule_name"]
        targets = events.list_targets_by_rule(Rule=rule)["Targets"]
        bus_arn = self.outputs(self.hub)["promotion_event_bus_arn"]
        check(
            [t["Arn"] for t in targets] == [bus_arn],
            f"dev rule {rule} targets {[t['Arn'] for t in targets]}, not the hub bus {bus_arn}",
        )

    def function_arn(self, name: str) -> str:
        lambda_client = self.client(self.admin(self.hub), "lambda")
        return str(lambda_client.get_function_configuration(FunctionName=name)["FunctionArn"])

    def load_function(self, name: str) -> LambdaFunction:
        function = LambdaFunction.load(
            self.sim,
            self.admin(self.hub),
            name,
            self.sandbox.stack_dir(self.hub.name),
            self.work / "lambda",
        )
        self.progress(
            f"hub: {function.name} runs {function.configuration['Handler']} as "
            f"{function.configuration['Role']} with its applied environment "
            f"({', '.join(sorted(function.variables))})"
        )
        return function

    # -- 3. the promoter copies and registers centrally ---------------------------------------

    def promote(self, event: dict[str, Any]) -> str:
        promoter = self.load_function(self.outputs(self.hub)["model_promoter_function_name"])
        first, replay = promoter.invoke(event, event)
        result = first.result
        check(result.get("status") == "promoted", f"promotion failed: {result}\n{first.logs}")
        central_arn = str(result["central_model_package_arn"])
        check(
            replay.result.get("status") == "already-promoted"
            and replay.result.get("central_model_package_arn") == central_arn,
            f"a replayed event was not answered with the same package: {replay.result}",
        )
        registered = self.central_registrations(event["detail"]["ModelPackageArn"])
        check(registered == [central_arn], f"the source is registered centrally as {registered}")
        self.progress(
            f"hub {self.hub.account_id}: promoter registered {central_arn} "
            f"({result['artifacts_copied']} objects, {result['images_copied']} image, "
            f"{result['layers_uploaded']} layers copied); the replay registered nothing"
        )
        return central_arn

    # -- 4. the ML engineer approves; the trigger starts the pipeline -------------------------

    def approve_centrally(self, central_arn: str, bundle: Path) -> None:
        hub_out = self.outputs(self.hub)
        engineer = self.persona(hub_out["ml_engineer_role_arn"], "ml-engineer", self.hub.region)
        code, out, err = run_cli(bundle, ["governance", "pending", "--json", "--quiet"], engineer)
        check(code == 0, f"mlgov governance pending failed: {err}")
        pending = [p["model_package_arn"] for p in json.loads(out)["pending"]]
        check(central_arn in pending, f"{central_arn} is not pending review: {pending}")
        code, out, err = run_cli(
            bundle,
            [
                "governance",
                "approve-model",
                "--model-package-arn",
                central_arn,
                "--reason",
                "Lineage, metrics and hub copies reviewed",
                "--json",
                "--quiet",
            ],
            engineer,
        )
        check(code == 0, f"mlgov governance approve-model failed: {out}{err}")
        self.progress(f"hub: ML engineer {json.loads(out)['actor']} approved {central_arn}")

    def start_pipeline(self, central_arn: str) -> str:
        hub_out = self.outputs(self.hub)
        trigger_arn = hub_out["pipeline_trigger_function_arn"]
        (delivery,) = _single(
            self.deliveries(trigger_arn, central_arn), f"deliveries of {central_arn} to the trigger"
        )
        check(
            delivery["rule_arn"] == hub_out["pipeline_trigger_rule_arn"],
            f"the trigger was invoked by {delivery['rule_arn']}",
        )
        trigger = self.load_function(trigger_arn.rsplit(":", 1)[1])
        (invocation,) = trigger.invoke(delivery["event"])
        outcome = invocation.result
        check(outcome.get("action") == "started", f"the trigger did not start: {outcome}")
        self.progress(
            f"hub: {trigger.name} started {hub_out['deployment_pipeline_name']} "
            f"execution {outcome['pipeline_execution_id']}"
        )
        return str(outcome["pipeline_execution_id"])

    # -- the whole walk ------------------------------------------------------------------------

    def run(self) -> AuditTrail:
        with simulated_aws(self.sim):
            source_arn = self.team.register_model(self.label)
            refusal = self.self_approval_is_refused(source_arn)
            event = self.approve_in_dev(source_arn)
            central_arn = self.promote(event)
            check(
                not self.deliveries(
                    self.outputs(self.hub)["pipeline_trigger_function_arn"], central_arn
                ),
                "the central registration (pending) reached the pipeline trigger",
            )
            player = PipelinePlayer(
                self.sim,
                self.admin(self.hub),
                dict(self.outputs(self.hub)),
                work_dir=self.work,
                progress=self.progress,
            )
            bundle = player.tooling_bundle()
            self.approve_centrally(central_arn, bundle)
            execution_id = self.start_pipeline(central_arn)
            prod_approval = player.play(execution_id, bundle)
            endpoints = {
                stage: (env.account_id, str(self.outputs(env)["target_config"]["endpoint_name"]))
                for stage, env in self.targets.items()
            }
            regions = {env.account_id: env.region for env in self.sandbox.config.environments}
            return audit.collect_trail(
                self.sim,
                lambda account: self.sim.session(account, regions[account]),
                source_model_package_arn=source_arn,
                central_model_package_arn=central_arn,
                pipeline=player.name,
                execution_id=execution_id,
                endpoints=endpoints,
                prod_approval=prod_approval,
                refusals=(refusal,),
            )


def walk_one_model(
    sandbox: Sandbox,
    *,
    dev_stack: str | None = None,
    outputs: Mapping[str, Mapping[str, Any]] | None = None,
    work_dir: Path | None = None,
    progress: Progress = print,
) -> AuditTrail:
    """Walk one model of `dev_stack` (default: the first dev account) to the prod endpoint.

    `outputs` (stack -> `terraform output` values) saves re-reading them when the caller has
    them; `work_dir` receives the unpacked function code and tooling bundle (default: a
    temporary directory).
    """
    if work_dir is None:
        with tempfile.TemporaryDirectory(prefix="mlgov-walk-") as temporary:
            return walk_one_model(
                sandbox,
                dev_stack=dev_stack,
                outputs=outputs,
                work_dir=Path(temporary),
                progress=progress,
            )
    walk = ModelWalk(
        sandbox, dev_stack=dev_stack, outputs=outputs, work_dir=work_dir, progress=progress
    )
    return walk.run()


# -- helpers ------------------------------------------------------------------------------------


def _approver(delivery: dict[str, Any]) -> str | None:
    """The principal SageMaker recorded as the last modifier in a delivered event."""
    identity = (delivery["event"]["detail"].get("LastModifiedBy") or {}).get("IamIdentity") or {}
    return identity.get("Arn")


def _single(items: list[dict[str, Any]], what: str) -> list[dict[str, Any]]:
    check(len(items) == 1, f"expected exactly one of the {what}, found {len(items)}: {items}")
    return items
