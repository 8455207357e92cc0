"""`modules/ml-workspace/examples/complete` applied into the simulated AWS by real Terraform.

A copy of the module is applied with the real provider into a simulator of its own (one per
module run), a second plan must show no changes, what SageMaker, S3 and EC2 then hold is read back
with boto3, and the last test destroys it all. The SageMaker Studio gaps this needs (domains,
user profiles, MLflow tracking servers) are closed in `platform_sandbox/gaps_sagemaker_studio.py`
and listed in `gaps.GAPS`; the simulator's own behaviour for them is checked at the end, in a
region the example does not use.

The example lands in the simulator's default account (its provider assumes no role). The only
seed is the organization's access-log bucket the example names, which exists before any team
workspace: S3 refuses server access logging to a bucket that does not exist or does not admit
the logging service.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from platform_sandbox import gaps, simulator
from platform_sandbox.gaps_sagemaker_studio import merge_settings, random_id
from platform_sandbox.simulator import Simulator
from platform_sandbox.terraform import Workspace, setup_terraform
from tests.terraform_support import copy_module, require_terraform

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MODULE = PROJECT_ROOT / "modules" / "ml-workspace"
EXAMPLE = Path("examples") / "complete"
ACCOUNT_ID = "123456789012"  # the simulator's default account
REGION = "eu-central-1"  # the example's provider region
OTHER_REGION = "us-east-1"  # where the simulator's own behaviour is checked
ACCESS_LOG_BUCKET = "example-org-s3-access-logs"
PREFIX = "module.ml_workspace."
PERSONAS = {"alice-lead": "lead_data_scientist", "bob": "data_scientist"}
SSO_USERS = {"alice-lead": "alice@example.com", "bob": "bob@example.com"}

pytestmark = pytest.mark.slow  # about two minutes: apply, second plan and destroy of 86 resources


@dataclass
class AppliedWorkspace:
    """The example applied: its simulator, Terraform working directory, state and timings."""

    sim: Simulator
    workspace: Workspace
    state: dict[str, dict[str, Any]]  # address -> values
    types: set[str]
    outputs: dict[str, Any]
    seconds: dict[str, float] = field(default_factory=dict)

    def client(self, service: str, region: str = REGION) -> Any:
        return self.sim.client(self.sim.base_session(region), service)

    def values(self, address: str) -> dict[str, Any]:
        return self.state[PREFIX + address]

    def addresses(self, prefix: str) -> list[str]:
        return sorted(a for a in self.state if a.startswith(PREFIX + prefix))


def seed_access_log_bucket(sim: Simulator) -> None:
    """The organization's access-log bucket, admitting the S3 logging service (as AWS requires)."""
    s3 = sim.client(sim.base_session(REGION), "s3")
    s3.create_bucket(
        Bucket=ACCESS_LOG_BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "S3ServerAccessLogs",
                "Effect": "Allow",
                "Principal": {"Service": "logging.s3.amazonaws.com"},
                "Action": ["s3:PutObject"],
                "Resource": f"arn:aws:s3:::{ACCESS_LOG_BUCKET}/*",
            }
        ],
    }
    s3.put_bucket_policy(Bucket=ACCESS_LOG_BUCKET, Policy=json.dumps(policy))


@pytest.fixture(scope="module")
def sim(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Simulator]:
    require_terraform()
    running = simulator.start(tmp_path_factory.mktemp("ml-workspace-simulator"))
    try:
        yield running
    finally:
        simulator.stop(running)


@pytest.fixture(scope="module")
def applied(sim: Simulator, tmp_path_factory: pytest.TempPathFactory) -> AppliedWorkspace:
    root = tmp_path_factory.mktemp("ml-workspace-sandbox")
    copy = copy_module(MODULE, root)
    example = copy / EXAMPLE
    # The simulator is addressed by IP: virtual-hosted bucket names cannot resolve.
    override = {"provider": {"aws": {"s3_use_path_style": True}}}
    (example / "sandbox_override.tf.json").write_text(json.dumps(override), encoding="utf-8")
    seed_access_log_bucket(sim)
    workspace = setup_terraform(root / "cli", sim.environment()).workspace(example)
    workspace.init(backend=False)
    started = time.monotonic()
    workspace.apply()
    seconds = {"apply": time.monotonic() - started}
    resources = workspace.state_resources()
    state = {r["address"]: r["values"] for r in resources}
    types = {r["type"] for r in resources}
    return AppliedWorkspace(sim, workspace, state, types, workspace.output(), seconds)


def test_every_resource_of_the_example_applies(applied: AppliedWorkspace) -> None:
    seconds = applied.seconds["apply"]
    print(f"\nml-workspace example: {len(applied.state)} resources applied in {seconds:.1f} s")
    for resource_type in (
        "aws_sagemaker_domain",
        "aws_sagemaker_user_profile",
        "aws_sagemaker_mlflow_tracking_server",
        "aws_vpc_endpoint",
        "aws_flow_log",
        "aws_s3_bucket_logging",
    ):
        assert resource_type in applied.types
    assert not applied.types & gaps.UNSUPPORTED_RESOURCE_TYPES.keys()


def test_a_second_plan_shows_no_changes(applied: AppliedWorkspace) -> None:
    started = time.monotonic()
    changes, text = applied.workspace.plan_has_changes()
    applied.seconds["replan"] = time.monotonic() - started
    print(f"\nml-workspace example: second plan in {applied.seconds['replan']:.1f} s")
    assert not changes, text


def test_the_domain_is_vpc_only_under_the_team_key(applied: AppliedWorkspace) -> None:
    domain = applied.client("sagemaker").describe_domain(DomainId=applied.outputs["domain_id"])
    workspace_group = applied.values("aws_security_group.workspace")["id"]
    assert domain["Status"] == "InService"
    assert domain["AppNetworkAccessType"] == "VpcOnly"
    assert domain["AuthMode"] == "SSO"
    assert domain["KmsKeyId"] == applied.values("module.kms_key.aws_kms_key.this")["arn"]
    assert domain["VpcId"] == applied.values("aws_vpc.this[0]")["id"]
    assert sorted(domain["SubnetIds"]) == sorted(
        applied.state[a]["id"] for a in applied.addresses("aws_subnet.private[")
    )
    assert domain["DomainSettings"]["SecurityGroupIds"] == [workspace_group]
    assert domain["TagPropagation"] == "ENABLED"
    assert re.fullmatch(r"d-[a-z0-9]{12}", domain["DomainId"])
    defaults = domain["DefaultUserSettings"]
    assert (
        defaults["ExecutionRole"] == applied.outputs["execution_role_arns"]["studio_data_scientist"]
    )
    assert defaults["SecurityGroups"] == [workspace_group]
    assert defaults["SharingSettings"]["NotebookOutputOption"] == "Disabled"
    idle = defaults["JupyterLabAppSettings"]["AppLifecycleManagement"]["IdleSettings"]
    assert (idle["IdleTimeoutInMinutes"], idle["MaxIdleTimeoutInMinutes"]) == (60, 480)


def test_the_domain_names_the_project_templates_location(applied: AppliedWorkspace) -> None:
    sagemaker = applied.client("sagemaker")
    arn = sagemaker.describe_domain(DomainId=applied.outputs["domain_id"])["DomainArn"]
    tags = {t["Key"]: t["Value"] for t in sagemaker.list_tags(ResourceArn=arn)["Tags"]}
    assert tags["sagemaker:projectS3TemplatesLocation"] == (
        "s3://mlgov-portfolio-artifacts-111111111111-eu-central-1/templates/"
    )
    assert tags["mlgov:environment"] == "example"  # the provider's default tags
    assert tags["mlgov:workspace"] == "mlgov-team-a"


def test_the_project_templates_find_the_workspace_settings(applied: AppliedWorkspace) -> None:
    """What the SageMaker project templates read (AWS::SSM::Parameter::Value defaults)."""
    ssm = applied.client("ssm")
    pages = ssm.get_paginator("get_parameters_by_path").paginate(Path="/mlgov/project-settings/")
    found = [p for page in pages for p in page["Parameters"]]
    settings = {p["Name"].rsplit("/", 1)[-1]: p for p in found}
    roles = applied.outputs["execution_role_arns"]
    assert settings["team-name"]["Value"] == "mlgov-team-a"
    assert settings["pipeline-execution-role-arn"]["Value"] == roles["pipeline"]
    assert settings["domain-id"]["Value"] == applied.outputs["domain_id"]
    assert settings["organization-id"]["Value"].startswith("o-")
    assert settings["subnet-ids"]["Type"] == "StringList"
    assert len(settings["subnet-ids"]["Value"].split(",")) == 2
    connection = settings["source-connection-arn"]["Value"]
    status = applied.client("codeconnections").get_connection(ConnectionArn=connection)
    # A new connection waits for its console handshake.
    assert status["Connection"]["ConnectionStatus"] == "PENDING"
    assert status["Connection"]["ProviderType"] == "GitHub"
    iam = applied.client("iam")
    launch = iam.get_role(RoleName="mlgov-sagemaker-projects-launch")["Role"]
    assert launch["Path"] == "/"
    for key in ("project-build-role-arn", "project-pipeline-role-arn"):
        name = settings[key]["Value"].rsplit("/", 1)[-1]
        assert iam.get_role(RoleName=name)["Role"]["Arn"] == settings[key]["Value"]


def test_each_user_profile_runs_as_its_personas_execution_role(applied: AppliedWorkspace) -> None:
    sagemaker = applied.client("sagemaker")
    domain_id = applied.outputs["domain_id"]
    listed = sagemaker.list_user_profiles(DomainIdEquals=domain_id)["UserProfiles"]
    assert sorted(p["UserProfileName"] for p in listed) == sorted(PERSONAS)
    roles = applied.outputs["execution_role_arns"]
    for name, persona in PERSONAS.items():
        profile = sagemaker.describe_user_profile(DomainId=domain_id, UserProfileName=name)
        assert profile["Status"] == "InService"
        assert profile["UserSettings"]["ExecutionRole"] == roles[f"studio_{persona}"]
        assert profile["UserSettings"]["SecurityGroups"] == [
            applied.values("aws_security_group.workspace")["id"]
        ]
        assert profile["SingleSignOnUserIdentifier"] == "UserName"
        assert profile["SingleSignOnUserValue"] == SSO_USERS[name]
        tags = sagemaker.list_tags(ResourceArn=profile["UserProfileArn"])["Tags"]
        assert {"Key": "mlgov:persona", "Value": persona} in tags


def test_mlflow_keeps_its_artifacts_under_mlflow_in_the_artifact_bucket(
    applied: AppliedWorkspace,
) -> None:
    sagemaker = applied.client("sagemaker")
    server = sagemaker.describe_mlflow_tracking_server(TrackingServerName="mlgov-team-a-mlflow")
    assert server["TrackingServerArn"] == applied.outputs["mlflow_tracking_server_arn"]
    assert server["ArtifactStoreUri"] == f"s3://sagemaker-{REGION}-{ACCOUNT_ID}/mlflow"
    assert server["RoleArn"] == applied.values("aws_iam_role.mlflow[0]")["arn"]
    assert server["TrackingServerStatus"] == "Created"
    assert (server["TrackingServerSize"], server["WeeklyMaintenanceWindowStart"]) == (
        "Small",
        "Sun:03:00",
    )
    assert server["AutomaticModelRegistration"] is False


def test_team_buckets_log_to_the_organization_bucket_under_the_team_key(
    applied: AppliedWorkspace,
) -> None:
    s3 = applied.client("s3")
    key_arn = applied.values("module.kms_key.aws_kms_key.this")["arn"]
    buckets = [applied.outputs["artifact_bucket_name"], f"mlgov-team-a-data-{ACCOUNT_ID}-{REGION}"]
    for bucket in buckets:
        logging_config = s3.get_bucket_logging(Bucket=bucket)["LoggingEnabled"]
        assert logging_config == {
            "TargetBucket": ACCESS_LOG_BUCKET,
            "TargetPrefix": f"s3/{bucket}/",
        }
        rule = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]
        default = rule["Rules"][0]["ApplyServerSideEncryptionByDefault"]
        assert default == {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key_arn}


def test_studio_reaches_aws_only_through_vpc_endpoints(applied: AppliedWorkspace) -> None:
    ec2 = applied.client("ec2")
    vpc_id = applied.values("aws_vpc.this[0]")["id"]
    endpoints = ec2.describe_vpc_endpoints(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])
    services = {e["ServiceName"]: e for e in endpoints["VpcEndpoints"]}
    assert f"com.amazonaws.{REGION}.sagemaker.api" in services
    assert f"aws.sagemaker.{REGION}.experiments" in services  # MLflow is on
    assert services[f"com.amazonaws.{REGION}.s3"]["VpcEndpointType"] == "Gateway"
    interface = [e for e in services.values() if e["VpcEndpointType"] == "Interface"]
    assert len(interface) == 14
    assert f"com.amazonaws.{REGION}.athena" in services  # pipeline jobs of the lake templates
    assert all(e["PrivateDnsEnabled"] for e in interface)
    gateways = ec2.describe_internet_gateways(
        Filters=[{"Name": "attachment.vpc-id", "Values": [vpc_id]}]
    )["InternetGateways"]
    assert gateways == []


def test_destroy_removes_the_workspace(applied: AppliedWorkspace) -> None:
    """Last test of the module: everything above reads what this destroys."""
    started = time.monotonic()
    applied.workspace.destroy()
    applied.seconds["destroy"] = time.monotonic() - started
    print(
        "\nml-workspace example: destroyed in "
        f"{applied.seconds['destroy']:.1f} s ({json.dumps(applied.seconds)})"
    )
    assert applied.workspace.state_resources() == []
    sagemaker = applied.client("sagemaker")
    with pytest.raises(ClientError) as missing:
        sagemaker.describe_domain(DomainId=applied.outputs["domain_id"])
    assert missing.value.response["Error"]["Code"] == "ResourceNotFound"
    profiles = sagemaker.list_user_profiles(DomainIdEquals=applied.outputs["domain_id"])
    assert profiles["UserProfiles"] == []
    assert sagemaker.list_mlflow_tracking_servers()["TrackingServerSummaries"] == []


# -- the simulator's SageMaker Studio, on its own (another region than the example's) ---------


@pytest.fixture(scope="module")
def studio(sim: Simulator) -> Any:
    """A SageMaker client in OTHER_REGION, where `studio_domain` creates its domains."""
    return sim.client(sim.base_session(OTHER_REGION), "sagemaker")


@pytest.fixture(scope="module")
def network(sim: Simulator) -> dict[str, Any]:
    ec2 = sim.client(sim.base_session(OTHER_REGION), "ec2")
    vpc_id = ec2.create_vpc(CidrBlock="10.50.0.0/16")["Vpc"]["VpcId"]
    subnet_id = ec2.create_subnet(
        VpcId=vpc_id, CidrBlock="10.50.0.0/24", AvailabilityZone=f"{OTHER_REGION}a"
    )["Subnet"]["SubnetId"]
    return {"VpcId": vpc_id, "SubnetIds": [subnet_id]}


def create_domain(studio: Any, network: dict[str, Any], auth_mode: str = "IAM") -> str:
    role = f"arn:aws:iam::{ACCOUNT_ID}:role/studio"
    return str(
        studio.create_domain(
            DomainName=f"check-{random_id(6)}",
            AuthMode=auth_mode,
            DefaultUserSettings={"ExecutionRole": role, "StudioWebPortal": "ENABLED"},
            **network,
        )["DomainId"]
    )


def error_code(error: pytest.ExceptionInfo[ClientError]) -> str:
    return str(error.value.response["Error"]["Code"])


def test_a_missing_domain_is_resource_not_found(studio: Any) -> None:
    with pytest.raises(ClientError) as missing:
        studio.describe_domain(DomainId="d-000000000000")
    assert error_code(missing) == "ResourceNotFound"


def test_a_domain_needs_its_subnets_in_its_vpc(studio: Any, network: dict[str, Any]) -> None:
    with pytest.raises(ClientError) as refused:
        create_domain(studio, {**network, "SubnetIds": ["subnet-0000000000"]})
    assert error_code(refused) == "ValidationException"


def test_a_domain_with_user_profiles_cannot_be_deleted(
    studio: Any, network: dict[str, Any]
) -> None:
    domain_id = create_domain(studio, network)
    studio.create_user_profile(DomainId=domain_id, UserProfileName="carol")
    with pytest.raises(ClientError) as refused:
        studio.delete_domain(DomainId=domain_id)
    assert error_code(refused) == "ResourceInUse"
    studio.delete_user_profile(DomainId=domain_id, UserProfileName="carol")
    studio.delete_domain(DomainId=domain_id)
    with pytest.raises(ClientError) as missing:
        studio.describe_user_profile(DomainId=domain_id, UserProfileName="carol")
    assert error_code(missing) == "ResourceNotFound"


def test_sso_user_profiles_name_their_identity_center_user(
    studio: Any, network: dict[str, Any]
) -> None:
    sso_domain, iam_domain = create_domain(studio, network, "SSO"), create_domain(studio, network)
    with pytest.raises(ClientError) as refused:
        studio.create_user_profile(DomainId=sso_domain, UserProfileName="dave")
    assert error_code(refused) == "ValidationException"
    with pytest.raises(ClientError) as refused:
        studio.create_user_profile(
            DomainId=iam_domain,
            UserProfileName="dave",
            SingleSignOnUserIdentifier="UserName",
            SingleSignOnUserValue="dave@example.com",
        )
    assert error_code(refused) == "ValidationException"


def test_updates_keep_the_settings_they_do_not_name(studio: Any, network: dict[str, Any]) -> None:
    domain_id = create_domain(studio, network)
    studio.update_domain(
        DomainId=domain_id, DefaultUserSettings={"SecurityGroups": ["sg-12345678"]}
    )
    defaults = studio.describe_domain(DomainId=domain_id)["DefaultUserSettings"]
    assert defaults["StudioWebPortal"] == "ENABLED"
    assert defaults["SecurityGroups"] == ["sg-12345678"]
    role = f"arn:aws:iam::{ACCOUNT_ID}:role/erin"
    studio.create_user_profile(
        DomainId=domain_id,
        UserProfileName="erin",
        UserSettings={"ExecutionRole": role, "StudioWebPortal": "DISABLED"},
    )
    studio.update_user_profile(
        DomainId=domain_id, UserProfileName="erin", UserSettings={"StudioWebPortal": "ENABLED"}
    )
    settings = studio.describe_user_profile(DomainId=domain_id, UserProfileName="erin")
    assert settings["UserSettings"] == {"ExecutionRole": role, "StudioWebPortal": "ENABLED"}


def test_add_tags_replaces_the_value_of_a_key(studio: Any, network: dict[str, Any]) -> None:
    domain_id = create_domain(studio, network)
    arn = studio.create_user_profile(
        DomainId=domain_id, UserProfileName="frank", Tags=[{"Key": "team", "Value": "a"}]
    )["UserProfileArn"]
    studio.add_tags(ResourceArn=arn, Tags=[{"Key": "team", "Value": "b"}])
    assert studio.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "team", "Value": "b"}]
    studio.delete_tags(ResourceArn=arn, TagKeys=["team"])
    assert studio.list_tags(ResourceArn=arn)["Tags"] == []


def test_a_tracking_server_needs_an_existing_role(studio: Any) -> None:
    with pytest.raises(ClientError) as refused:
        studio.create_mlflow_tracking_server(
            TrackingServerName="no-role",
            ArtifactStoreUri="s3://bucket/mlflow",
            RoleArn=f"arn:aws:iam::{ACCOUNT_ID}:role/does-not-exist",
        )
    assert error_code(refused) == "ValidationException"


def test_settings_merge_by_top_level_key() -> None:
    current = {"ExecutionRole": "r", "SharingSettings": {"NotebookOutputOption": "Disabled"}}
    assert merge_settings(current, None) is current
    assert merge_settings(None, {"ExecutionRole": "s"}) == {"ExecutionRole": "s"}
    assert merge_settings(current, {"SharingSettings": {"S3OutputPath": "s3://b"}}) == {
        "ExecutionRole": "r",
        "SharingSettings": {"S3OutputPath": "s3://b"},
    }


def test_ids_are_lower_case_letters_and_digits() -> None:
    assert re.fullmatch(r"[a-z0-9]{12}", random_id(12))
