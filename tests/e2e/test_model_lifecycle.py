"""End to end on the applied platform: a model approved in dev serves in prod from hub-owned copies.

The `applied_platform` fixture applies every synthesized stack with the real `terraform` and the
real `hashicorp/aws` provider into the simulated organization (moto's server, see
`platform_sandbox`). `platform_sandbox.lifecycle.walk_one_model` then walks one model of
dev-team-a on what Terraform applied (brief, "The lifecycle", steps 1-6): names, ARNs, event rules,
the functions' environments and code, the CodeBuild projects' buildspecs and environments, the
pipeline definition and the target configs are all read back from the simulated AWS or from
`terraform output`. The platform's own code does the work: the promoter and trigger handlers
(in-process, from the zips Terraform uploaded, with the applied environment and role), the
CodeBuild buildspecs (bash, the deployment CLI from the tooling bundle in the pipeline's S3
bucket) and the operators' `mlgov governance` commands.

What the simulator lacks and how each gap is closed is in `platform_sandbox/gaps.py` (simulator
patches: SageMaker state-change events, caller identity and partial updates, model package group
policies, UpdateEndpoint, EventBridge cross-account delivery and Lambda targets, ECR layer
download, CodePipeline action executions and manual approvals) and in the lifecycle module's
docstring (queued endpoint answers). These tests check the platform's promises on the audit
trail and, independently, on the simulated accounts themselves.
"""

from __future__ import annotations

import importlib
import io
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest

from platform_composition.config import AccountRole, Environment
from platform_sandbox import audit
from platform_sandbox.audit import AuditTrail
from platform_sandbox.dev_team import DATA_SCIENTIST, LEAD_DATA_SCIENTIST
from platform_sandbox.lifecycle import format_audit_trail, walk_one_model
from platform_sandbox.runtimes import code_sha256
from tests.terraform_support import AppliedPlatform

pytestmark = pytest.mark.slow

DEV_STACK = "dev-team-a"
ECR_IMAGE_URI = re.compile(
    r"^(?P<account>\d{12})\.dkr\.ecr\.(?P<region>[a-z0-9-]+)\.amazonaws\.com/"
    r"(?P<repository>[^:@]+)(?P<reference>[:@].+)$"
)


@dataclass
class Walked:
    """The applied platform after one model's walk, and the walk's audit trail."""

    platform: AppliedPlatform
    trail: AuditTrail

    def env(self, role: AccountRole, name: str | None = None) -> Environment:
        return next(
            env
            for env in self.platform.sandbox.config.environments
            if env.role is role and name in (None, env.name)
        )

    @property
    def hub(self) -> Environment:
        return self.env(AccountRole.SHARED_SERVICES)

    @property
    def dev(self) -> Environment:
        return self.env(AccountRole.DEV, DEV_STACK)

    def session(self, env: Environment) -> boto3.Session:
        return self.platform.sandbox.simulator.session(env.account_id, env.region)

    def client(self, env: Environment, service: str) -> Any:
        return self.platform.sandbox.simulator.client(self.session(env), service)

    def outputs(self, env: Environment) -> dict[str, Any]:
        return self.platform.outputs(env.name)


@pytest.fixture(scope="module")
def walked(applied_platform: AppliedPlatform) -> Walked:
    progress: list[str] = []
    try:
        trail = walk_one_model(
            applied_platform.sandbox,
            dev_stack=DEV_STACK,
            outputs={name: run.outputs for name, run in applied_platform.runs.items()},
            progress=progress.append,
        )
    finally:
        print("\n".join(progress))
    print(format_audit_trail(trail))
    return Walked(applied_platform, trail)


# -- the code the platform deploys is the code of this checkout ---------------------------------


def _hub(applied_platform: AppliedPlatform) -> Environment:
    return next(
        env
        for env in applied_platform.sandbox.config.environments
        if env.role is AccountRole.SHARED_SERVICES
    )


def _python_files(archive: zipfile.ZipFile) -> dict[str, bytes]:
    return {name: archive.read(name) for name in archive.namelist() if name.endswith(".py")}


def _checkout_files(package: str) -> dict[str, bytes]:
    root = Path(importlib.import_module(package).__file__ or "").parent
    return {
        f"{package}/{path.relative_to(root).as_posix()}": path.read_bytes()
        for path in root.rglob("*.py")
    }


@pytest.mark.parametrize(
    ("output", "package"),
    [
        ("model_promoter_function_name", "model_promoter"),
        ("pipeline_trigger_function_arn", "pipeline_trigger"),
    ],
)
def test_applied_functions_run_the_code_of_this_checkout(
    applied_platform: AppliedPlatform, output: str, package: str
) -> None:
    """The lifecycle runs each function's code as applied (the stack asset whose SHA-256 is the
    function's CodeSha256); that proves something about this checkout only if they are equal."""
    hub = _hub(applied_platform)
    simulator = applied_platform.sandbox.simulator
    session = simulator.session(hub.account_id, hub.region)
    name = str(applied_platform.outputs(hub.name)[output]).rsplit(":", 1)[-1]
    configuration = simulator.client(session, "lambda").get_function_configuration(
        FunctionName=name
    )
    assets = sorted((applied_platform.stack_dir(hub.name) / "assets").rglob("*.zip"))
    (deployed,) = [a for a in assets if code_sha256(a.read_bytes()) == configuration["CodeSha256"]]
    with zipfile.ZipFile(deployed) as archive:
        assert _python_files(archive) == _checkout_files(package)


def test_the_pipelines_tooling_bundle_is_the_cli_of_this_checkout(
    applied_platform: AppliedPlatform,
) -> None:
    hub = _hub(applied_platform)
    outputs = applied_platform.outputs(hub.name)
    simulator = applied_platform.sandbox.simulator
    session = simulator.session(hub.account_id, hub.region)
    pipeline = simulator.client(session, "codepipeline").get_pipeline(
        name=outputs["deployment_pipeline_name"]
    )["pipeline"]
    (source,) = [
        action["configuration"]
        for stage in pipeline["stages"]
        for action in stage["actions"]
        if action["actionTypeId"]["category"] == "Source"
    ]
    assert source["S3Bucket"] == outputs["tooling_bucket_name"]
    body = simulator.client(session, "s3").get_object(
        Bucket=source["S3Bucket"], Key=source["S3ObjectKey"]
    )["Body"]
    with zipfile.ZipFile(io.BytesIO(body.read())) as archive:
        assert _python_files(archive) == _checkout_files("mlgov")


# -- the lifecycle ------------------------------------------------------------------------------


def _references(value: Any, path: str = "") -> list[tuple[str, str]]:
    """(path, reference) of every S3 URI and ECR image URI in a description, lineage aside (the
    CustomerMetadataProperties name the dev source on purpose)."""
    found: list[tuple[str, str]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key != "CustomerMetadataProperties":
                found += _references(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _references(item, f"{path}[{index}]")
    elif isinstance(value, str) and (value.startswith("s3://") or ECR_IMAGE_URI.match(value)):
        found.append((path, value))
    return found


def test_prod_serves_the_central_package_from_hub_owned_copies(walked: Walked) -> None:
    trail, hub, dev = walked.trail, walked.hub, walked.dev
    hub_outputs = walked.outputs(hub)
    central_arn = trail.central_model_package_arn
    assert central_arn.split(":")[4] == hub.account_id

    prod_env = walked.env(AccountRole.PROD)
    prod_config = walked.outputs(prod_env)["target_config"]
    prod = trail.deployment("prod")
    assert prod.endpoint_status == "InService"
    assert prod.model_package_arn == central_arn
    assert (prod.account_id, prod.endpoint_name) == (
        prod_env.account_id,
        prod_config["endpoint_name"],
    )
    assert prod.execution_role_arn == prod_config["execution_role_arn"]
    assert (prod.instance_type, prod.instance_count) == (
        prod_config["instance_type"],
        prod_config["initial_instance_count"],
    )
    assert trail.deployment("test").model_package_arn == central_arn
    assert trail.deployment("test").endpoint_status == "InService"

    # Independently of the trail: what the prod endpoint's model serves, in the prod account.
    prod_sagemaker = walked.client(prod_env, "sagemaker")
    endpoint = prod_sagemaker.describe_endpoint(EndpointName=prod_config["endpoint_name"])
    endpoint_config = prod_sagemaker.describe_endpoint_config(
        EndpointConfigName=endpoint["EndpointConfigName"]
    )
    (variant,) = endpoint_config["ProductionVariants"]
    model = prod_sagemaker.describe_model(ModelName=variant["ModelName"])
    assert model["PrimaryContainer"]["ModelPackageName"] == central_arn
    assert endpoint_config["KmsKeyId"] == prod_config["kms_key_arn"]
    assert model["VpcConfig"]["Subnets"] == prod_config["subnet_ids"]
    assert dev.account_id not in json.dumps(model, default=str)

    served = walked.client(hub, "sagemaker").describe_model_package(ModelPackageName=central_arn)
    assert served["ModelApprovalStatus"] == "Approved"
    references = _references(served)
    hub_bucket = hub_outputs["registry_artifact_bucket_name"]
    hub_repositories = set(hub_outputs["promoted_image_repository_urls"])
    assert any(ref.startswith("s3://") for _, ref in references), references
    assert any(ECR_IMAGE_URI.match(ref) for _, ref in references), references
    hub_s3, hub_ecr = walked.client(hub, "s3"), walked.client(hub, "ecr")
    for path, reference in references:
        if reference.startswith("s3://"):
            bucket, _, key = reference.removeprefix("s3://").partition("/")
            assert bucket == hub_bucket, f"{path} points outside the hub bucket: {reference}"
            hub_s3.head_object(Bucket=bucket, Key=key)
        else:
            image = ECR_IMAGE_URI.match(reference)
            assert image is not None
            assert image["account"] == hub.account_id, f"{path}: not a hub image: {reference}"
            assert image["repository"] in hub_repositories, reference
            assert image["reference"].startswith("@sha256:"), f"{path} not by digest: {reference}"
            found = hub_ecr.batch_get_image(
                repositoryName=image["repository"],
                imageIds=[{"imageDigest": image["reference"][1:]}],
            )
            assert found["images"], f"{path}: no such image in the hub: {reference}"
    dev_arn = re.compile(rf"arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:{dev.account_id}:")
    leaks = [ref for _, ref in _references(served) if dev_arn.search(ref)]
    assert not leaks, f"the served package refers to dev account resources: {leaks}"

    # The trail accounts for every artifact and image the served package references.
    copied = {a.hub.uri for a in trail.artifacts} | {i.hub.uri for i in trail.images}
    assert {ref for _, ref in references} <= copied


def test_the_audit_trail_names_the_three_approvers(walked: Walked) -> None:
    trail, hub, dev = walked.trail, walked.hub, walked.dev
    hub_outputs = walked.outputs(hub)
    personas = walked.outputs(dev)["persona_role_arns"]
    assert personas[LEAD_DATA_SCIENTIST].endswith(f"/mlgov-{dev.team}-lead-data-scientist")

    def assumed(account: str, role_arn_or_name: str) -> re.Pattern[str]:
        role = role_arn_or_name.rsplit("/", 1)[-1]
        return re.compile(rf"^arn:aws:sts::{account}:assumed-role/{re.escape(role)}/[\w+=,.@-]+$")

    expected = {
        # The workspace's persona roles, as Terraform applied them.
        audit.REGISTERED: assumed(dev.account_id, personas[DATA_SCIENTIST]),
        audit.DEV_APPROVED: assumed(dev.account_id, personas[LEAD_DATA_SCIENTIST]),
        audit.PROMOTED: assumed(hub.account_id, hub_outputs["model_promoter_role_arn"]),
        audit.CENTRAL_APPROVED: assumed(hub.account_id, hub_outputs["ml_engineer_role_arn"]),
        audit.PROD_APPROVED: assumed(hub.account_id, hub_outputs["governance_officer_role_arn"]),
    }
    assert [d.step for d in trail.decisions] == list(expected)
    for decision in trail.decisions:
        assert decision.actor_arn and expected[decision.step].match(decision.actor_arn), decision
        assert decision.at is not None, decision
    moments = [d.at for d in trail.decisions]
    assert moments == sorted(moments), "the decisions are not in lifecycle order"

    # Before the lead, the data scientist approved their own package; the hub refused it.
    (refusal,) = trail.refusals
    assert refusal.step == audit.REFUSED
    assert refusal.actor_arn and expected[audit.REGISTERED].match(refusal.actor_arn), refusal
    assert refusal.subject_arn == trail.source_model_package_arn
    assert refusal.note and "not approved by the team's approver role" in refusal.note
    assert personas[LEAD_DATA_SCIENTIST].rsplit("/", 1)[1] in refusal.note  # what was expected

    assert trail.decision(audit.DEV_APPROVED).subject_arn == trail.source_model_package_arn
    assert trail.source_model_package_arn.split(":")[4] == dev.account_id
    for step in (audit.CENTRAL_APPROVED, audit.PROD_APPROVED):
        assert trail.decision(step).subject_arn == trail.central_model_package_arn
        assert trail.decision(step).note, f"{step} carries no reason"
    # The central lineage records who approved in dev, as the dev registry says.
    assert trail.decision(audit.DEV_APPROVED).actor_arn in (
        trail.decision(audit.PROMOTED).note or ""
    )
    assert trail.lineage_verified
    assert trail.central_model_package_arn in trail.model_card

    run = trail.pipeline_run
    assert run.pipeline == hub_outputs["deployment_pipeline_name"]
    assert run.variables == {"MODEL_PACKAGE_ARN": trail.central_model_package_arn}
    assert {d.pipeline_execution_id for d in trail.deployments} == {run.execution_id}
    json.dumps(trail.as_dict())  # the CLI prints it


def test_hub_copies_are_identical_to_the_dev_originals(walked: Walked) -> None:
    trail, hub, dev = walked.trail, walked.hub, walked.dev
    hub_outputs = walked.outputs(hub)
    assert trail.artifacts and trail.images
    for artifact in trail.artifacts:
        team_bucket = walked.outputs(dev)["team_artifact_bucket_name"]
        assert artifact.source.uri.startswith(f"s3://{team_bucket}/")
        assert artifact.hub.uri.startswith(f"s3://{hub_outputs['registry_artifact_bucket_name']}/")
        assert artifact.source.checksum and artifact.source.checksum.startswith("SHA256:")
        assert artifact.hub.checksum == artifact.source.checksum, artifact
        assert artifact.hub.sha256 == artifact.source.sha256, artifact
        assert artifact.hub.size == artifact.source.size, artifact
    team = next(e.team for e in walked.platform.sandbox.config.environments if e.name == DEV_STACK)
    team_repository = next(
        r for r in hub_outputs["promoted_image_repository_urls"] if r.endswith(f"/{team}")
    )
    for image in trail.images:
        assert image.source.registry_id == dev.account_id
        assert (image.hub.registry_id, image.hub.repository) == (hub.account_id, team_repository)
        assert image.hub.digest == image.source.digest, image


def test_prod_deployed_on_the_governance_officers_recorded_approval(walked: Walked) -> None:
    # DeployProd's `mlgov deploy` refuses unless CodePipeline recorded this execution's
    # ApproveProd as answered by the governance officer role; the project names that role.
    hub, run = walked.hub, walked.trail.pipeline_run
    hub_outputs = walked.outputs(hub)
    details = walked.client(hub, "codepipeline").list_action_executions(
        pipelineName=run.pipeline, filter={"pipelineExecutionId": run.execution_id}
    )["actionExecutionDetails"]
    assert {d["actionName"]: d["status"] for d in details} == {
        "ToolingBundle": "Succeeded",
        "DeployTest": "Succeeded",
        "IntegrationTest": "Succeeded",
        "ApproveProd": "Succeeded",
        "DeployProd": "Succeeded",
    }
    (approval,) = [d for d in details if d["actionName"] == "ApproveProd"]
    officer_role = hub_outputs["governance_officer_role_arn"].rsplit("/", 1)[1]
    assert approval["updatedBy"].startswith(
        f"arn:aws:sts::{hub.account_id}:assumed-role/{officer_role}/"
    )
    assert approval["updatedBy"] == walked.trail.decision(audit.PROD_APPROVED).actor_arn
    (project,) = walked.client(hub, "codebuild").batch_get_projects(
        names=[f"{run.pipeline}-deploy-prod"]
    )["projects"]
    variables = {v["name"]: v["value"] for v in project["environment"]["environmentVariables"]}
    assert variables["MLGOV_PROD_APPROVER_ROLE_ARN"] == hub_outputs["governance_officer_role_arn"]
    assert variables["MLGOV_PIPELINE_NAME"] == run.pipeline
