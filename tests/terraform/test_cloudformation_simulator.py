"""The simulator's CloudFormation runs the SageMaker project templates (`gaps_cloudformation`).

A fresh simulator, no organization: a dev account holds what a team workspace would (the team
key, the projects launch role, the project roles, a VPC, the `/mlgov/project-settings/` SSM
parameters, seeded by hand here) and a project is launched the way Service Catalog launches a
product: CloudFormation, called as the projects launch role, creates the template's stack with
the parameters SageMaker passes and the lead types, resolving the team settings from SSM. Every
resource the template declares must then exist in the simulator as the template says.

`launch_project` and `check_project` are also what the end-to-end test of the lead data
scientist's path runs on the applied organization (`tests/e2e/test_lead_data_scientist_path.py`).
"""

from __future__ import annotations

import itertools
import json
import secrets
import string
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from platform_sandbox import gaps_cloudformation, simulator
from platform_sandbox.simulator import Simulator
from tests.project_templates.support import (
    KINDS,
    LEAD_EXAMPLE_VALUES,
    SSM_PREFIX,
    load_seed_settings,
    load_template,
    template_path,
)

REGION = "eu-west-1"
TEAM = "mlgov-team-a"
LAUNCH_ROLE = "mlgov-sagemaker-projects-launch"
HUB_PROMOTER = "arn:aws:iam::111111111111:role/mlgov-model-promoter"
ORGANIZATION_ID = "o-a1b2c3d4e5"
_ACCOUNTS = itertools.count(333333333301)


# -- what a project is, and how it is launched (shared with the e2e test) -------------------------


def lead_values(kind: str, **overrides: str) -> dict[str, str]:
    """What the lead data scientist types in the form of `kind`'s template."""
    typed = {"RepositoryFullName", "BranchName", "TargetColumn", "MetricThreshold"}
    typed |= {
        "s3": {"DataSourceS3Uri"},
        "athena": {"AthenaDatabase", "AthenaTable"},
        "feature-store": {"FeatureGroupName", "FeatureStoreDatabase"},
    }[kind]
    return {name: LEAD_EXAMPLE_VALUES[name] for name in sorted(typed)} | overrides


@dataclass(frozen=True)
class Project:
    """A SageMaker project's stack in a dev account: what SageMaker passed and the lead typed."""

    account_id: str
    region: str
    kind: str
    name: str
    project_id: str
    typed: dict[str, str]
    stack_id: str = ""

    @property
    def parameters(self) -> dict[str, str]:
        return {
            "SageMakerProjectName": self.name,
            "SageMakerProjectId": self.project_id,
            **self.typed,
        }


def new_project_id() -> str:
    alphabet = string.ascii_lowercase + string.digits
    return "p-" + "".join(secrets.choice(alphabet) for _ in range(12))


def launch_project(sim: Simulator, project: Project, *, launch_role: str = LAUNCH_ROLE) -> Project:
    """Create the project's stack as Service Catalog does: CloudFormation called as the launch
    role (the product's LocalRoleName) in the dev account, the template's SSM-typed team settings
    left at their defaults for CloudFormation to resolve, the provisioned product's SageMaker
    project tags on the stack. Returns the project with its stack id."""
    session = sim.session(project.account_id, project.region, role_name=launch_role)
    cloudformation = sim.client(session, "cloudformation")
    stack_name = f"SC-{project.account_id}-pp-{project.project_id[2:]}x"
    created = cloudformation.create_stack(
        StackName=stack_name,
        TemplateBody=template_path(project.kind).read_text(encoding="utf-8"),
        Parameters=[
            {"ParameterKey": k, "ParameterValue": v} for k, v in project.parameters.items()
        ],
        Tags=[
            {"Key": "sagemaker:project-name", "Value": project.name},
            {"Key": "sagemaker:project-id", "Value": project.project_id},
        ],
    )
    return replace(project, stack_id=created["StackId"])


def stack(sim: Simulator, project: Project) -> dict[str, Any]:
    session = sim.session(project.account_id, project.region)
    described = sim.client(session, "cloudformation").describe_stacks(StackName=project.stack_id)
    return described["Stacks"][0]  # type: ignore[no-any-return]


def expected_build_variables(project: Project, settings: Mapping[str, str]) -> dict[str, str]:
    """The CodeBuild variables of the project: names from the seed code's contract
    (`pipelines/settings.py`), values from what was typed and the team settings (SSM)."""
    contract = load_seed_settings()
    assert contract is not None, "the seed code's pipelines/settings.py is missing"
    team, typed = settings["team-name"], project.typed
    values = {
        "SAGEMAKER_PROJECT_NAME": project.name,
        "SAGEMAKER_PROJECT_ID": project.project_id,
        "SAGEMAKER_PIPELINE_NAME": f"{team}-{project.name}",
        "MODEL_PACKAGE_GROUP_NAME": f"{team}-{project.name}",
        "PIPELINE_EXECUTION_ROLE_ARN": settings["pipeline-execution-role-arn"],
        "ARTIFACT_BUCKET": f"{team}-project-{project.project_id}-{project.account_id}",
        "KMS_KEY_ARN": settings["kms-key-arn"],
        "SUBNET_IDS": settings["subnet-ids"],
        "SECURITY_GROUP_IDS": settings["security-group-ids"],
        "DATA_SOURCE_KIND": project.kind,
        "TARGET_COLUMN": typed["TargetColumn"],
        "METRIC_THRESHOLD": typed["MetricThreshold"],
        "DATA_SOURCE_S3_URI": typed.get("DataSourceS3Uri", ""),
        "ATHENA_DATABASE": typed.get("AthenaDatabase", ""),
        "ATHENA_TABLE": typed.get("AthenaTable", ""),
        "FEATURE_GROUP_NAME": typed.get("FeatureGroupName", ""),
        "FEATURE_STORE_DATABASE": typed.get("FeatureStoreDatabase", ""),
        "ATHENA_WORKGROUP": settings.get("athena-workgroup", ""),
        "ATHENA_ROLE_ARN": settings.get("athena-role-arn", ""),
    }
    names = [*contract.COMMON_VARIABLES, *contract.VARIABLES_BY_KIND[project.kind]]
    return {name: values[name] for name in names}


@dataclass(frozen=True)
class ProjectResources:
    """What the project's stack created, read back from the simulator."""

    bucket: str
    model_package_group: str
    build_project: dict[str, Any]
    pipeline: dict[str, Any]

    @property
    def build_variables(self) -> dict[str, str]:
        variables = self.build_project["environment"]["environmentVariables"]
        return {v["name"]: v["value"] for v in variables}


def _tags(items: list[dict[str, str]], key: str = "Key", value: str = "Value") -> dict[str, str]:
    return {item[key]: item[value] for item in items}


def check_project(
    sim: Simulator, project: Project, settings: Mapping[str, str]
) -> ProjectResources:
    """Assert that the project's stack created every resource of its template as the template
    says, with the team settings `settings` (SSM name under /mlgov/project-settings/ -> value)."""
    session = sim.session(project.account_id, project.region)
    described = stack(sim, project)
    status, reason = described["StackStatus"], described.get("StackStatusReason")
    assert status in ("CREATE_COMPLETE", "UPDATE_COMPLETE"), f"{status}: {reason}"
    outputs = {o["OutputKey"]: o["OutputValue"] for o in described["Outputs"]}
    cloudformation = sim.client(session, "cloudformation")
    listed = cloudformation.list_stack_resources(StackName=project.stack_id)
    created = {r["LogicalResourceId"]: r for r in listed["StackResourceSummaries"]}
    template = load_template(project.kind)
    assert set(created) == set(template["Resources"]), "every resource of the template exists"
    assert {r["ResourceType"] for r in created.values()} >= set(gaps_cloudformation.RESOURCE_TYPES)

    team, key = settings["team-name"], settings["kms-key-arn"]
    group = f"{team}-{project.name}"
    names = {
        "ProjectBucketName": f"{team}-project-{project.project_id}-{project.account_id}",
        "ModelPackageGroupName": group,
        "SageMakerPipelineName": group,
        "CodePipelineName": f"{group}-build",
        "BuildProjectName": f"{group}-build",
    }
    assert outputs == names
    project_tags = {
        "sagemaker:project-name": project.name,
        "sagemaker:project-id": project.project_id,
    }

    def stack_tags(logical_id: str) -> dict[str, str]:
        return project_tags | {
            "aws:cloudformation:stack-name": described["StackName"],
            "aws:cloudformation:stack-id": project.stack_id,
            "aws:cloudformation:logical-id": logical_id,
        }

    # The project bucket: the team key with an S3 Bucket Key, no public access, no ACLs,
    # versioned, TLS only.
    s3, bucket = sim.client(session, "s3"), names["ProjectBucketName"]
    encryption = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]
    assert encryption["Rules"] == [
        {
            "ApplyServerSideEncryptionByDefault": {
                "SSEAlgorithm": "aws:kms",
                "KMSMasterKeyID": key,
            },
            "BucketKeyEnabled": True,
        }
    ]
    block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    assert block == dict.fromkeys(
        ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"), True
    )
    ownership = s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]["Rules"]
    assert ownership == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    (rule,) = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
    assert rule["NoncurrentVersionExpiration"]["NoncurrentDays"] == 90
    assert rule["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"] == 7
    assert _tags(s3.get_bucket_tagging(Bucket=bucket)["TagSet"]) == stack_tags("ProjectBucket")
    policy = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])
    assert policy["Statement"] == [
        {
            "Sid": "DenyInsecureTransport",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }
    ]

    # The model package group: readable by the hub promoter only, from inside the organization.
    sagemaker = sim.client(session, "sagemaker")
    described_group = sagemaker.describe_model_package_group(ModelPackageGroupName=group)
    group_arn = described_group["ModelPackageGroupArn"]
    assert (
        group_arn
        == f"arn:aws:sagemaker:{project.region}:{project.account_id}:model-package-group/{group}"
    )
    assert project.project_id in described_group["ModelPackageGroupDescription"]
    group_policy = json.loads(
        sagemaker.get_model_package_group_policy(ModelPackageGroupName=group)["ResourcePolicy"]
    )
    prefix = f"arn:aws:sagemaker:{project.region}:{project.account_id}"
    assert {
        (s["Effect"], json.dumps(s["Action"]), s["Resource"]) for s in group_policy["Statement"]
    } == {
        ("Allow", '"sagemaker:DescribeModelPackageGroup"', f"{prefix}:model-package-group/{group}"),
        (
            "Allow",
            '["sagemaker:DescribeModelPackage", "sagemaker:ListModelPackages"]',
            f"{prefix}:model-package/{group}/*",
        ),
    }
    for statement in group_policy["Statement"]:
        assert statement["Principal"] == {"AWS": settings["hub-promoter-role-arn"]}
        org = settings["organization-id"]
        assert statement["Condition"] == {"StringEquals": {"aws:PrincipalOrgID": org}}
    group_tags = _tags(sagemaker.list_tags(ResourceArn=group_arn)["Tags"])
    assert group_tags == stack_tags("ModelPackageGroup")

    # The build: the seed code's variable contract with what was typed, run as the build role.
    codebuild = sim.client(session, "codebuild")
    (build,) = codebuild.batch_get_projects(names=[names["BuildProjectName"]])["projects"]
    resources = ProjectResources(bucket, group, build, {})
    assert resources.build_variables == expected_build_variables(project, settings)
    assert all(v["type"] == "PLAINTEXT" for v in build["environment"]["environmentVariables"])
    assert build["serviceRole"] == settings["project-build-role-arn"]
    assert build["encryptionKey"] == key
    assert build["source"]["type"] == build["artifacts"]["type"] == "CODEPIPELINE"
    assert build["source"]["buildspec"].rstrip().endswith("- python -m pipelines.run_pipeline")
    assert build["environment"]["image"] == "aws/codebuild/amazonlinux-x86_64-standard:5.0"
    assert build["timeoutInMinutes"] == 60
    assert _tags(build["tags"], "key", "value") == stack_tags("BuildProject")

    # The pipeline: V2, the repository through the team's connection, a push trigger on the
    # branch, the build; the project bucket with the team key as artifact store.
    codepipeline = sim.client(session, "codepipeline")
    got = codepipeline.get_pipeline(name=names["CodePipelineName"])
    pipeline = got["pipeline"]
    assert pipeline["pipelineType"] == "V2"
    assert pipeline["roleArn"] == settings["project-pipeline-role-arn"]
    assert pipeline["artifactStore"] == {
        "type": "S3",
        "location": bucket,
        "encryptionKey": {"id": key, "type": "KMS"},
    }
    source, build_stage = pipeline["stages"]
    (checkout,) = source["actions"]
    assert checkout["actionTypeId"] == {
        "category": "Source",
        "owner": "AWS",
        "provider": "CodeStarSourceConnection",
        "version": "1",
    }
    branch = project.typed.get("BranchName", "main")
    assert checkout["configuration"] == {
        "ConnectionArn": settings["source-connection-arn"],
        "FullRepositoryId": project.typed["RepositoryFullName"],
        "BranchName": branch,
        "OutputArtifactFormat": "CODE_ZIP",
    }
    (trigger,) = pipeline["triggers"]
    assert trigger["providerType"] == "CodeStarSourceConnection"
    assert trigger["gitConfiguration"]["sourceActionName"] == checkout["name"]
    assert trigger["gitConfiguration"]["push"] == [{"branches": {"includes": [branch]}}]
    (run,) = build_stage["actions"]
    assert run["actionTypeId"]["provider"] == "CodeBuild"
    assert run["configuration"] == {"ProjectName": names["BuildProjectName"]}
    assert run["inputArtifacts"] == [{"name": "SourceCode"}]
    arn = got["metadata"]["pipelineArn"]
    pipeline_tags = codepipeline.list_tags_for_resource(resourceArn=arn)["tags"]
    assert _tags(pipeline_tags, "key", "value") == stack_tags("BuildPipeline")
    return ProjectResources(bucket, group, build, pipeline)


# -- a dev account with what a team workspace provides, seeded by hand ---------------------------


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Simulator]:
    sim = simulator.start(Path(tmp_path_factory.mktemp("cloudformation")))
    try:
        yield sim
    finally:
        simulator.stop(sim)


def _trust(*services: str) -> str:
    # One service as a string, as Terraform renders it (moto's CodePipeline reads it so).
    principal = services[0] if len(services) == 1 else list(services)
    statement = {"Effect": "Allow", "Principal": {"Service": principal}, "Action": "sts:AssumeRole"}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


@dataclass(frozen=True)
class DevAccount:
    account_id: str
    settings: dict[str, str]  # SSM name under /mlgov/project-settings/ -> value


@pytest.fixture
def dev(running: Simulator) -> DevAccount:
    """A fresh dev account with the team's key, roles, network and project settings."""
    account = str(next(_ACCOUNTS))
    session = running.session(account, REGION)
    iam, ec2 = running.client(session, "iam"), running.client(session, "ec2")
    roles = {
        LAUNCH_ROLE: ("servicecatalog.amazonaws.com", "cloudformation.amazonaws.com"),
        f"{TEAM}-project-build": ("codebuild.amazonaws.com",),
        f"{TEAM}-project-pipeline": ("codepipeline.amazonaws.com",),
        f"{TEAM}-pipeline-execution": ("sagemaker.amazonaws.com",),
        f"{TEAM}-athena": ("sagemaker.amazonaws.com",),
    }
    arns = {
        name: iam.create_role(RoleName=name, AssumeRolePolicyDocument=_trust(*trusted))["Role"][
            "Arn"
        ]
        for name, trusted in roles.items()
    }
    vpc = ec2.create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.40.{i}.0/24")["Subnet"]["SubnetId"]
        for i in (1, 2)
    ]
    group = ec2.create_security_group(GroupName=TEAM, Description="workspace", VpcId=vpc)
    settings = {
        "team-name": TEAM,
        "kms-key-arn": running.client(session, "kms").create_key()["KeyMetadata"]["Arn"],
        "pipeline-execution-role-arn": arns[f"{TEAM}-pipeline-execution"],
        "project-build-role-arn": arns[f"{TEAM}-project-build"],
        "project-pipeline-role-arn": arns[f"{TEAM}-project-pipeline"],
        "source-connection-arn": f"arn:aws:codeconnections:{REGION}:{account}:connection/"
        "6f9b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d",
        "subnet-ids": ",".join(subnets),
        "security-group-ids": group["GroupId"],
        "hub-promoter-role-arn": HUB_PROMOTER,
        "organization-id": ORGANIZATION_ID,
        "athena-role-arn": arns[f"{TEAM}-athena"],
        "athena-workgroup": f"{TEAM}-lake",
    }
    ssm = running.client(session, "ssm")
    for name, value in settings.items():
        kind = "StringList" if name.endswith("-ids") else "String"
        ssm.put_parameter(Name=SSM_PREFIX + name, Value=value, Type=kind)
    return DevAccount(account, settings)


def _project(dev: DevAccount, kind: str = "s3", name: str = "churn", **typed: str) -> Project:
    return Project(dev.account_id, REGION, kind, name, new_project_id(), lead_values(kind, **typed))


# -- tests ---------------------------------------------------------------------------------------


def test_the_gap_adds_exactly_the_types_moto_lacks_of_the_templates() -> None:
    from moto.cloudformation.parsing import get_model_map  # this process: moto unpatched

    declared = {
        resource["Type"] for kind in KINDS for resource in load_template(kind)["Resources"].values()
    }
    assert declared - set(get_model_map()) == set(gaps_cloudformation.RESOURCE_TYPES)


@pytest.mark.parametrize("kind", KINDS)
def test_a_project_from_each_template_creates_what_the_template_declares(
    running: Simulator, dev: DevAccount, kind: str
) -> None:
    project = launch_project(running, _project(dev, kind))
    check_project(running, project, dev.settings)


def test_bad_values_in_the_form_fail_before_anything_is_created(
    running: Simulator, dev: DevAccount
) -> None:
    session = running.session(dev.account_id, REGION)
    bad = {
        "SageMakerProjectName": "Churn",  # upper case: the group policy would never match
        "MetricThreshold": "1.5",
        "DataSourceS3Uri": "https://example.com/data",
        "BranchName": "release/*",  # a glob in the trigger's branch filter
    }
    for parameter, value in bad.items():
        project = _project(dev)
        if parameter == "SageMakerProjectName":
            project = replace(project, name=value)
        else:
            project = replace(project, typed={**project.typed, parameter: value})
        with pytest.raises(ClientError) as caught:
            launch_project(running, project)
        error = caught.value.response["Error"]
        assert error["Code"] == "ValidationError", error
        assert f"Parameter {parameter} failed to satisfy constraint: " in error["Message"]
    stacks = running.client(session, "cloudformation").describe_stacks()["Stacks"]
    assert stacks == []
    assert running.client(session, "s3").list_buckets()["Buckets"] == []
    listed = running.client(session, "sagemaker").list_model_package_groups()
    assert listed["ModelPackageGroupSummaryList"] == []


def test_a_missing_team_setting_fails_the_launch_naming_it(
    running: Simulator, dev: DevAccount
) -> None:
    session = running.session(dev.account_id, REGION)
    running.client(session, "ssm").delete_parameter(Name=SSM_PREFIX + "source-connection-arn")
    with pytest.raises(ClientError, match=r"ssm:/mlgov/project-settings/source-connection-arn"):
        launch_project(running, _project(dev))


def test_a_second_project_with_the_same_name_rolls_back_and_leaves_the_first_alone(
    running: Simulator, dev: DevAccount
) -> None:
    first = launch_project(running, _project(dev))
    second = launch_project(running, _project(dev))
    failed = stack(running, second)
    assert failed["StackStatus"] == "ROLLBACK_COMPLETE"
    assert "[ModelPackageGroup]" in failed["StackStatusReason"]
    assert "already exists" in failed["StackStatusReason"]
    session = running.session(dev.account_id, REGION)
    events = running.client(session, "cloudformation").describe_stack_events(
        StackName=second.stack_id
    )["StackEvents"]
    assert ("ModelPackageGroup", "CREATE_FAILED") in {
        (e["LogicalResourceId"], e["ResourceStatus"]) for e in events
    }
    # The second project's bucket is kept (DeletionPolicy Retain), its policy rolled back.
    s3 = running.client(session, "s3")
    second_bucket = f"{TEAM}-project-{second.project_id}-{dev.account_id}"
    with pytest.raises(ClientError, match="NoSuchBucketPolicy"):
        s3.get_bucket_policy(Bucket=second_bucket)
    check_project(running, first, dev.settings)


def test_an_update_changes_the_project_in_place(running: Simulator, dev: DevAccount) -> None:
    project = launch_project(running, _project(dev))
    before = check_project(running, project, dev.settings)
    typed = {**project.typed, "BranchName": "develop", "TargetColumn": "left"}
    changed = replace(project, typed=typed)
    session = running.session(dev.account_id, REGION, role_name=LAUNCH_ROLE)
    running.client(session, "cloudformation").update_stack(
        StackName=project.stack_id,
        TemplateBody=template_path("s3").read_text(encoding="utf-8"),
        Parameters=[
            {"ParameterKey": k, "ParameterValue": v} for k, v in changed.parameters.items()
        ],
    )
    assert stack(running, changed)["StackStatus"] == "UPDATE_COMPLETE"
    after = check_project(running, changed, dev.settings)
    assert after.build_variables["TARGET_COLUMN"] == "left"
    assert after.build_project["arn"] == before.build_project["arn"]
    assert after.build_project["created"] == before.build_project["created"]
    assert after.pipeline["version"] == before.pipeline["version"] + 1


def test_deleting_the_project_keeps_its_bucket_and_registry_group(
    running: Simulator, dev: DevAccount
) -> None:
    project = launch_project(running, _project(dev))
    resources = check_project(running, project, dev.settings)
    session = running.session(dev.account_id, REGION, role_name=LAUNCH_ROLE)
    running.client(session, "cloudformation").delete_stack(StackName=project.stack_id)
    session = running.session(dev.account_id, REGION)
    codebuild = running.client(session, "codebuild")
    assert codebuild.batch_get_projects(names=[resources.build_project["name"]])["projects"] == []
    assert running.client(session, "codepipeline").list_pipelines()["pipelines"] == []
    s3, sagemaker = running.client(session, "s3"), running.client(session, "sagemaker")
    assert s3.get_bucket_versioning(Bucket=resources.bucket)["Status"] == "Enabled"
    with pytest.raises(ClientError, match="NoSuchBucketPolicy"):
        s3.get_bucket_policy(Bucket=resources.bucket)
    group = resources.model_package_group
    assert sagemaker.describe_model_package_group(ModelPackageGroupName=group)
    assert sagemaker.get_model_package_group_policy(ModelPackageGroupName=group)["ResourcePolicy"]


def test_a_setting_the_simulator_would_not_apply_fails_the_stack_instead_of_being_dropped(
    running: Simulator, dev: DevAccount
) -> None:
    template = {
        "Resources": {
            "Bucket": {
                "Type": "AWS::S3::Bucket",
                "Properties": {
                    "BucketName": f"{TEAM}-not-simulated-{dev.account_id}",
                    "CorsConfiguration": {
                        "CorsRules": [{"AllowedMethods": ["GET"], "AllowedOrigins": ["*"]}]
                    },
                },
            }
        }
    }
    cloudformation = running.client(running.session(dev.account_id, REGION), "cloudformation")
    stack_id = cloudformation.create_stack(
        StackName="not-simulated", TemplateBody=json.dumps(template)
    )["StackId"]
    (failed,) = cloudformation.describe_stacks(StackName=stack_id)["Stacks"]
    assert failed["StackStatus"] == "ROLLBACK_COMPLETE"
    assert "NotSimulated: AWS::S3::Bucket CorsConfiguration" in failed["StackStatusReason"]
