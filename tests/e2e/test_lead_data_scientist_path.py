"""The lead data scientist's path (README, "A team's first project"), on the applied organization.

The `applied_platform` fixture applies every synthesized stack with real Terraform into the
simulated organization. Each test below backs one step of the README's path for the team of
dev-team-a, reading what Terraform applied (`terraform show -json`, stack outputs) and asking the
simulated AWS itself:

1. the hub's two portfolios are shared with the workloads OU (principal sharing) and reach every
   dev account, and their IAM_PATTERN principal matches the lead's persona and Studio roles of
   each dev account, never a data scientist's (Service Catalog API of the simulator);
2. the workspace wrote the settings the templates read (`/mlgov/project-settings/*` in the dev
   account's SSM), equal to the roles, key, connection, subnets and security group Terraform
   created;
3. a project from the S3 and from the Athena template: CloudFormation, called as the projects
   launch role, creates the stack from the lead's values and resolves the team settings from SSM
   (simulator gap `cloudformation-project-resources`); every resource is what the template says;
4. the project's build, run as CodeBuild would run it, upserts and starts the SageMaker pipeline,
   and the pipeline's register step registers a package as PendingManualApproval.

Not proven here, because the simulator cannot show it: a shared portfolio being listed in the dev
account (shares import nothing there; what reaches the account is the share, its OU and the
principal pattern), Service Catalog's ProvisionProduct itself (the stack is created as it would
create it), IAM (moto evaluates no policy: the launch role's and build role's scopes are checked
on Terraform's rendering by other tests, not exercised), the build's `pip install`, and the
pipeline's jobs (see step 4).
"""

from __future__ import annotations

import fnmatch
import json
import re
import shutil
import subprocess
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import boto3
import pytest
import requests
import yaml

from platform_composition.config import AccountRole, Environment, PlatformConfig
from platform_composition.naming import Naming
from platform_sandbox import gaps
from platform_sandbox.runtimes import credential_variables, role_session
from platform_sandbox.simulator import Simulator
from tests.project_templates.support import KINDS, load_template
from tests.terraform.test_cloudformation_simulator import (
    Project,
    ProjectResources,
    check_project,
    launch_project,
    lead_values,
    new_project_id,
)
from tests.terraform_state import State
from tests.terraform_support import AppliedPlatform

pytestmark = pytest.mark.slow

REPO_ROOT = Path(__file__).resolve().parents[2]
SEED_CODE = REPO_ROOT / "modules" / "service-catalog-portfolios" / "seed-code" / "model-build"
SEED_PYTHON = REPO_ROOT / ".venv-seed-code" / "bin" / "python"
DEV_STACK = "dev-team-a"
PROJECT_NAME = "churn"
WORKSPACE = "module.ml-workspace"
PORTFOLIO_NAMES = ("ML Admin Portfolio", "SageMaker Projects Portfolio")


@dataclass(eq=False)
class Organization:
    """The applied platform, with the accounts and names the path needs."""

    platform: AppliedPlatform

    @property
    def sim(self) -> Simulator:
        return self.platform.sandbox.simulator

    @property
    def config(self) -> PlatformConfig:
        return self.platform.sandbox.config

    @cached_property
    def naming(self) -> Naming:
        return Naming(self.config)

    @property
    def hub(self) -> Environment:
        return self.config.shared_services

    @property
    def devs(self) -> tuple[Environment, ...]:
        return self.config.by_role(AccountRole.DEV)

    @property
    def dev(self) -> Environment:
        return next(env for env in self.devs if env.name == DEV_STACK)

    def session(self, env: Environment) -> boto3.Session:
        return self.sim.session(env.account_id, env.region)

    def client(self, env: Environment, service: str) -> Any:
        return self.sim.client(self.session(env), service)

    def state(self, env: Environment) -> State:
        return State(self.platform.state(env.name))

    def outputs(self, env: Environment) -> dict[str, Any]:
        return self.platform.outputs(env.name)


@pytest.fixture(scope="module")
def org(applied_platform: AppliedPlatform) -> Organization:
    return Organization(applied_platform)


def _settings(org: Organization, env: Environment) -> dict[str, str]:
    """The project settings in the dev account's SSM: setting name -> value."""
    ssm = org.client(env, "ssm")
    path = org.naming.PROJECT_SETTINGS_PATH
    found: dict[str, str] = {}
    for page in ssm.get_paginator("get_parameters_by_path").paginate(Path=path):
        found |= {p["Name"][len(path) :]: p["Value"] for p in page["Parameters"]}
    return found


@pytest.fixture(scope="module")
def settings(org: Organization) -> dict[str, str]:
    return _settings(org, org.dev)


@pytest.fixture(scope="module")
def projects(org: Organization) -> dict[str, Project]:
    """Two projects of dev-team-a, from the S3 template and from the Athena template, with what
    the lead types in Studio: the repository, the branch, the target column, the threshold and
    the data (the team's data bucket; a table of a lake database the team is granted)."""
    dev, outputs = org.dev, org.outputs(org.dev)
    lake_env = org.naming.data_governance
    lake = lake_env.lake if lake_env else None
    shared = lake.shared_databases(dev.name) if lake else ()
    assert shared, f"{dev.name} is granted no lake database: the Athena template cannot be used"
    database = next(db for db in lake.databases if db.name in shared)  # type: ignore[union-attr]
    typed = {
        "s3": lead_values(
            "s3", DataSourceS3Uri=f"s3://{outputs['team_data_bucket_name']}/churn/train/"
        ),
        "athena": lead_values(
            "athena", AthenaDatabase=f"lake_{database.name}", AthenaTable=database.tables[0].name
        ),
    }
    launched = {}
    for kind, values in typed.items():
        name = PROJECT_NAME if kind == "s3" else f"{PROJECT_NAME}-lake"
        project = Project(dev.account_id, dev.region, kind, name, new_project_id(), values)
        launched[kind] = launch_project(
            org.sim, project, launch_role=org.naming.sagemaker_projects_launch_role_name
        )
    return launched


def _accountless(role_arn: str) -> str:
    """A role ARN as an IAM_PATTERN principal sees it: arn:aws:iam:::role/<path><name>."""
    return re.sub(r"^(arn:[^:]+:iam)::\d{12}:", r"\1:::", role_arn)


# -- 1. the portfolios are visible in the dev accounts ------------------------------------------


def test_1_the_portfolios_reach_the_leads_of_every_dev_account_and_no_one_else(
    org: Organization,
) -> None:
    catalog = org.client(org.hub, "servicecatalog")
    portfolios = {p["DisplayName"]: p["Id"] for p in catalog.list_portfolios()["PortfolioDetails"]}
    assert sorted(portfolios) == sorted(PORTFOLIO_NAMES)
    pattern = org.naming.lead_data_scientist_role_pattern
    workloads_ou = org.config.organization.workloads_ou_path.rstrip("/").rsplit("/", 1)[-1]
    for name, portfolio_id in portfolios.items():
        (share,) = catalog.describe_portfolio_shares(
            PortfolioId=portfolio_id, Type="ORGANIZATIONAL_UNIT"
        )["PortfolioShareDetails"]
        assert share["PrincipalId"] == workloads_ou, name
        assert share["SharePrincipals"] is True, name
        assert share["ShareTagOptions"] is True, name
        assert share["Accepted"] is True, name  # organization shares need no acceptance
        reached = catalog.list_portfolio_access(
            PortfolioId=portfolio_id, OrganizationParentId=share["PrincipalId"]
        )["AccountIds"]
        assert {env.account_id for env in org.devs} <= set(reached), name
        principals = catalog.list_principals_for_portfolio(PortfolioId=portfolio_id)["Principals"]
        assert principals == [{"PrincipalARN": pattern, "PrincipalType": "IAM_PATTERN"}], name

    for env in org.devs:
        roles = [r["arn"] for r in org.state(env).resources("aws_iam_role")]
        matched = {arn for arn in roles if fnmatch.fnmatchcase(_accountless(arn), pattern)}
        outputs = org.outputs(env)
        personas, execution = outputs["persona_role_arns"], outputs["execution_role_arns"]
        lead = {personas["lead_data_scientist"], execution["studio_lead_data_scientist"]}
        assert matched == lead, env.name
        for arn in (personas["data_scientist"], execution["studio_data_scientist"]):
            assert not fnmatch.fnmatchcase(_accountless(arn), pattern), arn


# -- 2. the workspace: the settings the templates read -------------------------------------------


def _expected_settings(org: Organization, env: Environment) -> dict[str, str]:
    state, hub = org.state(env), org.state(org.hub)
    subnets = [r["id"] for r in state.resources("aws_subnet", module="ml-workspace")]
    network = env.workspace.network if env.workspace else None
    if not subnets:  # a workspace in an existing VPC: the subnets the environment names
        subnets = list(getattr(network, "subnet_ids", ()))
    promoter = next(
        r for r in hub.resources("aws_iam_role") if r["name"] == org.naming.promoter_role_name
    )
    expected = {
        "team-name": org.naming.workspace_name(env),
        "kms-key-arn": state.resource(f"{WORKSPACE}.module.kms_key.aws_kms_key.this")["arn"],
        "pipeline-execution-role-arn": state.resource(
            f'{WORKSPACE}.aws_iam_role.execution["pipeline"]'
        )["arn"],
        "project-build-role-arn": state.resource(f"{WORKSPACE}.aws_iam_role.project_build[0]")[
            "arn"
        ],
        "project-pipeline-role-arn": state.resource(
            f"{WORKSPACE}.aws_iam_role.project_pipeline[0]"
        )["arn"],
        "source-connection-arn": state.resource(
            f"{WORKSPACE}.aws_codeconnections_connection.projects[0]"
        )["arn"],
        "subnet-ids": ",".join(sorted(subnets)),
        "security-group-ids": state.resource(f"{WORKSPACE}.aws_security_group.workspace")["id"],
        "hub-promoter-role-arn": promoter["arn"],
        "organization-id": org.config.organization.organization_id,
    }
    consumer = state.resources("aws_iam_role", module="data-lake-consumer")
    if consumer:
        expected["athena-role-arn"] = state.resource(
            "module.data-lake-consumer.aws_iam_role.athena"
        )["arn"]
        expected["athena-workgroup"] = state.resource(
            "module.data-lake-consumer.aws_athena_workgroup.this"
        )["name"]
    return expected


def _names_the_templates_read(org: Organization) -> set[str]:
    """The SSM settings the project templates read: defaults of their SSM-typed parameters."""
    path = org.naming.PROJECT_SETTINGS_PATH
    names = {
        parameter["Default"]
        for kind in KINDS
        for parameter in load_template(kind)["Parameters"].values()
        if str(parameter["Type"]).startswith("AWS::SSM::Parameter::Value<")
    }
    assert all(name.startswith(path) for name in names), names
    return {name[len(path) :] for name in names}


def test_2_the_workspace_wrote_the_settings_the_templates_read(org: Organization) -> None:
    read = _names_the_templates_read(org)
    for env in org.devs:
        expected = _expected_settings(org, env)
        # Every setting a template reads, the lake ones where the team has lake access.
        assert read - {"athena-role-arn", "athena-workgroup"} <= set(expected) <= read
        found = _settings(org, env)
        found["subnet-ids"] = ",".join(sorted(found.get("subnet-ids", "").split(",")))
        assert {name: found.get(name) for name in expected} == expected, env.name
        # The launch role the products run as exists in the account (LocalRoleName, path /).
        role = org.client(env, "iam").get_role(
            RoleName=org.naming.sagemaker_projects_launch_role_name
        )["Role"]
        assert role["Path"] == "/"
    assert "athena-role-arn" in _settings(org, org.dev), "dev-team-a has lake access"


# -- 3. a project from a template --------------------------------------------------------------


@pytest.mark.parametrize("kind", ["s3", "athena"])
def test_3_a_project_from_a_template_creates_the_teams_project(
    org: Organization, settings: dict[str, str], projects: dict[str, Project], kind: str
) -> None:
    check_project(org.sim, projects[kind], settings)


# -- 4. the pipeline registers a package in the team registry ----------------------------------


def run_build(
    sim: Simulator, resources: ProjectResources, region: str, checkout: Path, home: Path
) -> subprocess.CompletedProcess[str]:
    """The build phase of the project's buildspec (read back from the CodeBuild project), run
    the way CodeBuild runs it: bash in the source directory, with exactly the project's
    environment variables, what CodeBuild adds (region, source directory, build id) and
    credentials of the project's service role; the simulator's endpoint and certificate are the
    only other variables. The install phase (`pip install -r requirements.txt`) is not run:
    `.venv-seed-code`, built by `make test` from the same requirements.txt, is first on PATH."""
    build = resources.build_project
    buildspec = yaml.safe_load(build["source"]["buildspec"])
    commands = buildspec["phases"]["build"]["commands"]
    assert commands[-1] == "python -m pipelines.run_pipeline", commands
    build_id = f"{build['name']}:{uuid.uuid4()}"
    role = role_session(sim, build["serviceRole"], f"AWSCodeBuild-{build_id[-36:]}", region)
    codebuild = {
        "AWS_REGION": region,
        "AWS_DEFAULT_REGION": region,
        "CODEBUILD_SRC_DIR": str(checkout),
        "CODEBUILD_BUILD_ID": build_id,
    }
    simulator = {
        k: v for k, v in sim.environment().items() if k in ("AWS_ENDPOINT_URL", "AWS_CA_BUNDLE")
    }
    variables = resources.build_variables
    clashes = set(variables) & (set(codebuild) | set(simulator) | {"AWS_ACCESS_KEY_ID"})
    assert not clashes, f"the project's variables would hide {clashes}"
    env = {
        "PATH": f"{SEED_PYTHON.parent}:/usr/bin:/bin",
        "HOME": str(home),
        "PYTHONDONTWRITEBYTECODE": "1",
        "AWS_EC2_METADATA_DISABLED": "true",
        **codebuild,
        **simulator,
        **credential_variables(role),
        **variables,
    }
    script = "set -e\n" + "\n".join(commands)
    return subprocess.run(
        ["bash", "-c", script],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def register_steps(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The RegisterModel steps of a pipeline definition, inside conditions too."""
    found = []
    for step in steps:
        if step["Type"] == "RegisterModel":
            found.append(step)
        if step["Type"] == "Condition":
            arguments = step["Arguments"]
            found += register_steps(arguments.get("IfSteps", []) + arguments.get("ElseSteps", []))
    return found


def resolve(value: Any, known: Mapping[str, Any]) -> Any:
    """A step argument with its `Get` references and `Std:Join`s resolved from `known`; any other
    reference is an error (nothing is guessed)."""
    if isinstance(value, list):
        return [resolve(v, known) for v in value]
    if not isinstance(value, dict):
        return value
    if set(value) == {"Get"}:
        assert value["Get"] in known, f"cannot resolve {value['Get']} without running the steps"
        return known[value["Get"]]
    if set(value) == {"Std:Join"}:
        join = value["Std:Join"]
        return join["On"].join(str(resolve(v, known)) for v in join["Values"])
    return {k: resolve(v, known) for k, v in value.items()}


def test_4_the_build_starts_the_pipeline_whose_register_step_registers_a_pending_package(
    org: Organization, settings: dict[str, str], projects: dict[str, Project], tmp_path: Path
) -> None:
    """Steps do not run in the simulator: moto stores the pipeline and starts an execution, but
    no processing, training or evaluation job runs. What the register step would do when the
    execution reaches it is done here: its own request (the RegisterModel step's arguments as
    stored in the simulator's pipeline definition, parameters at their defaults, the execution id
    of the started execution) sent as CreateModelPackage with credentials of the pipeline
    execution role, as SageMaker sends it. The only stand-in is the training job's output key
    (the job never ran): `<Train OutputDataConfig.S3OutputPath>/pipelines-<execution id>-Train/
    output/model.tar.gz`."""
    if not SEED_PYTHON.exists():
        pytest.fail(
            f"{SEED_PYTHON.relative_to(REPO_ROOT)} does not exist: `make test` builds it (the "
            "seed code's sagemaker v3 SDK cannot share .venv); run `make test` (or `make "
            ".venv-seed-code/.deps`) and this test again",
            pytrace=False,
        )
    dev, sim = org.dev, org.sim
    project = projects["s3"]
    resources = check_project(sim, project, settings)
    variables = resources.build_variables

    # The build: a checkout of the seed code (the team repository's content), the buildspec.
    checkout = tmp_path / "src"
    shutil.copytree(SEED_CODE, checkout, ignore=shutil.ignore_patterns("__pycache__"))
    result = run_build(sim, resources, dev.region, checkout, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    execution_arn = result.stdout.strip().splitlines()[-1]

    # The pipeline is in the team account, run by the pipeline execution role, started once.
    sagemaker = org.client(dev, "sagemaker")
    pipeline_name = variables["SAGEMAKER_PIPELINE_NAME"]
    described = sagemaker.describe_pipeline(PipelineName=pipeline_name)
    prefix = f"arn:aws:sagemaker:{dev.region}:{dev.account_id}:pipeline/{pipeline_name}"
    assert described["PipelineArn"] == prefix
    assert described["RoleArn"] == settings["pipeline-execution-role-arn"]
    tags = {t["Key"]: t["Value"] for t in sagemaker.list_tags(ResourceArn=prefix)["Tags"]}
    assert tags["sagemaker:project-id"] == project.project_id
    executions = sagemaker.list_pipeline_executions(PipelineName=pipeline_name)
    assert [e["PipelineExecutionArn"] for e in executions["PipelineExecutionSummaries"]] == [
        execution_arn
    ]
    assert execution_arn.startswith(f"{prefix}/execution/")
    execution_id = execution_arn.rsplit("/", 1)[-1]

    # What the register step sends when the execution reaches it.
    definition = json.loads(described["PipelineDefinition"])
    (register,) = register_steps(definition["Steps"])
    steps = {s["Name"]: s for s in definition["Steps"]}
    output_path = steps["Train"]["Arguments"]["OutputDataConfig"]["S3OutputPath"]
    known: dict[str, Any] = {
        f"Parameters.{p['Name']}": p["DefaultValue"] for p in definition["Parameters"]
    }
    known["Execution.PipelineExecutionId"] = execution_id
    known["Steps.Train.ModelArtifacts.S3ModelArtifacts"] = (
        f"{output_path}/pipelines-{execution_id}-Train/output/model.tar.gz"
    )
    request = resolve(register["Arguments"], known)
    assert request["ModelPackageGroupName"] == variables["MODEL_PACKAGE_GROUP_NAME"]
    execution_role = variables["PIPELINE_EXECUTION_ROLE_ARN"]
    as_pipeline = role_session(sim, execution_role, f"SageMaker-{execution_id}", dev.region)
    package_arn = sim.client(as_pipeline, "sagemaker").create_model_package(**request)[
        "ModelPackageArn"
    ]

    # A package of the project's group in the team registry, pending, with its metrics.
    group = resources.model_package_group
    listed = sagemaker.list_model_packages(ModelPackageGroupName=group)["ModelPackageSummaryList"]
    assert [p["ModelPackageArn"] for p in listed] == [package_arn]
    package = sagemaker.describe_model_package(ModelPackageName=package_arn)
    assert package["ModelApprovalStatus"] == "PendingManualApproval"
    approved = sagemaker.list_model_packages(
        ModelPackageGroupName=group, ModelApprovalStatus="Approved"
    )
    assert approved["ModelPackageSummaryList"] == []
    bucket = variables["ARTIFACT_BUCKET"]
    evaluation = steps["Evaluate"]["Arguments"]["ProcessingOutputConfig"]["Outputs"]
    (report,) = [o for o in evaluation if o["OutputName"] == "evaluation"]
    metrics_uri = f"{resolve(report['S3Output']['S3Uri'], known)}/evaluation.json"
    assert metrics_uri == f"s3://{bucket}/{pipeline_name}/{execution_id}/evaluation/evaluation.json"
    statistics = package["ModelMetrics"]["ModelQuality"]["Statistics"]
    assert statistics == {"ContentType": "application/json", "S3Uri": metrics_uri}
    (container,) = package["InferenceSpecification"]["Containers"]
    assert container["ModelDataUrl"].startswith(f"s3://{bucket}/{pipeline_name}/training/")
    assert package["CustomerMetadataProperties"] == {
        "sagemaker-project-name": project.name,
        "sagemaker-project-id": project.project_id,
        "data-source-kind": "s3",
    }
    role_name = execution_role.rsplit("/", 1)[-1]
    registered_by = package["CreatedBy"]["IamIdentity"]["Arn"]
    assert registered_by.startswith(f"arn:aws:sts::{dev.account_id}:assumed-role/{role_name}/")

    # Pending packages stay in the dev account: nothing reached the hub's promoter.
    deliveries = requests.get(
        sim.endpoint_url + gaps.LAMBDA_DELIVERIES_PATH, verify=sim.ca_bundle, timeout=10
    ).json()
    assert not [d for d in deliveries if package_arn in json.dumps(d["event"])]
