"""`modules/data-lake-consumer/examples/complete` applied into the simulated AWS by real Terraform.

A copy of the module is applied with the real provider into a simulator of its own, a second
plan must show no changes, what Glue, Lake Formation, Athena, IAM and S3 then hold is read back
with boto3, and the last test destroys it all. The simulator gaps this needs are closed in
`platform_sandbox/gaps_lake_consumer.py` and listed in `gaps.GAPS`.

The example lands in the simulator's default account (its provider assumes no role). Seeds, as
AWS would hold them before the module: the databases "sales" and "marketing" (with one table
each) in the lake account 666666666666's catalog, and the organization's access-log bucket.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from platform_sandbox import gaps, simulator
from platform_sandbox.gaps_lake_consumer import NOTHING_REVOKED
from platform_sandbox.simulator import Simulator
from platform_sandbox.terraform import Workspace, setup_terraform
from tests.terraform_support import copy_module, require_terraform

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MODULE = PROJECT_ROOT / "modules" / "data-lake-consumer"
EXAMPLE = Path("examples") / "complete"
ACCOUNT_ID = "123456789012"  # the simulator's default account
LAKE_ACCOUNT_ID = "666666666666"
REGION = "eu-central-1"  # the example's provider region
ACCESS_LOG_BUCKET = "example-org-s3-access-logs"
# database -> its seeded table (feature_store: the offline store of the shared feature group)
SHARED = {"sales": "orders", "marketing": "campaigns", "feature_store": "customer_orders"}
FEATURE_GROUP_ARN = f"arn:aws:sagemaker:{REGION}:{LAKE_ACCOUNT_ID}:feature-group/customer-orders"
PREFIX = "module.data_lake_consumer."
NAME = "mlgov-team-a"

pytestmark = pytest.mark.slow


@dataclass
class AppliedConsumer:
    """The example applied: its simulator, Terraform working directory, state and timings."""

    sim: Simulator
    workspace: Workspace
    state: dict[str, dict[str, Any]]  # address -> values
    outputs: dict[str, Any]
    seconds: dict[str, float] = field(default_factory=dict)

    def client(self, service: str) -> Any:
        return self.sim.client(self.sim.base_session(REGION), service)

    def values(self, address: str) -> dict[str, Any]:
        return self.state[PREFIX + address]


def seed_lake_databases(sim: Simulator) -> None:
    """The lake account's shared databases (each with a table), as the data lake holds them."""
    glue = sim.client(sim.session(LAKE_ACCOUNT_ID, REGION), "glue")
    for database, table in SHARED.items():
        glue.create_database(DatabaseInput={"Name": database})
        glue.create_table(
            DatabaseName=database,
            TableInput={
                "Name": table,
                "StorageDescriptor": {
                    "Columns": [{"Name": "id", "Type": "string"}],
                    "Location": f"s3://mlgov-lake-{LAKE_ACCOUNT_ID}/{database}/{table}/",
                },
            },
        )


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
    running = simulator.start(tmp_path_factory.mktemp("data-lake-consumer-simulator"))
    try:
        yield running
    finally:
        simulator.stop(running)


@pytest.fixture(scope="module")
def applied(sim: Simulator, tmp_path_factory: pytest.TempPathFactory) -> AppliedConsumer:
    root = tmp_path_factory.mktemp("data-lake-consumer-sandbox")
    copy = copy_module(MODULE, root)
    example = copy / EXAMPLE
    # The simulator is addressed by IP: virtual-hosted bucket names cannot resolve.
    override = {"provider": {"aws": {"s3_use_path_style": True}}}
    (example / "sandbox_override.tf.json").write_text(json.dumps(override), encoding="utf-8")
    seed_lake_databases(sim)
    seed_access_log_bucket(sim)
    workspace = setup_terraform(root / "cli", sim.environment()).workspace(example)
    workspace.init(backend=False)
    started = time.monotonic()
    workspace.apply()
    seconds = {"apply": time.monotonic() - started}
    state = {r["address"]: r["values"] for r in workspace.state_resources()}
    return AppliedConsumer(sim, workspace, state, workspace.output(), seconds)


def test_every_resource_of_the_example_applies(applied: AppliedConsumer) -> None:
    seconds = applied.seconds["apply"]
    count = len(applied.state)
    print(f"\ndata-lake-consumer example: {count} resources applied in {seconds:.1f} s")
    types = {address.split(".")[-2] for address in applied.state}
    for resource_type in (
        "aws_lakeformation_data_lake_settings",
        "aws_glue_catalog_database",
        "aws_lakeformation_permissions",
        "aws_athena_workgroup",
        "aws_kms_key",
        "aws_s3_bucket_logging",
    ):
        assert resource_type in types
    assert not types & gaps.UNSUPPORTED_RESOURCE_TYPES.keys()


def test_a_second_plan_shows_no_changes(applied: AppliedConsumer) -> None:
    started = time.monotonic()
    changes, text = applied.workspace.plan_has_changes()
    applied.seconds["replan"] = time.monotonic() - started
    print(f"\ndata-lake-consumer example: second plan in {applied.seconds['replan']:.1f} s")
    assert not changes, text


def test_resource_links_point_at_the_lake_accounts_databases(applied: AppliedConsumer) -> None:
    assert applied.outputs["resource_link_names"] == {d: f"lake_{d}" for d in SHARED}
    glue = applied.client("glue")
    for database in SHARED:
        link = glue.get_database(Name=f"lake_{database}")["Database"]
        assert link["TargetDatabase"] == {
            "CatalogId": LAKE_ACCOUNT_ID,
            "DatabaseName": database,
            "Region": REGION,
        }
        assert link["CatalogId"] == ACCOUNT_ID


def test_the_workgroup_enforces_encrypted_results_and_a_scan_limit(
    applied: AppliedConsumer,
) -> None:
    workgroup = applied.client("athena").get_work_group(WorkGroup=f"{NAME}-lake")["WorkGroup"]
    assert workgroup["State"] == "ENABLED"
    configuration = workgroup["Configuration"]
    assert configuration["EnforceWorkGroupConfiguration"] is True
    assert configuration["PublishCloudWatchMetricsEnabled"] is True
    assert configuration["BytesScannedCutoffPerQuery"] == 10 * 1024**3
    results = configuration["ResultConfiguration"]
    bucket = applied.outputs["results_bucket_name"]
    assert bucket == f"{NAME}-athena-{ACCOUNT_ID}-{REGION}"
    assert results["OutputLocation"] == f"s3://{bucket}/results/"
    assert results["EncryptionConfiguration"] == {
        "EncryptionOption": "SSE_KMS",
        "KmsKey": applied.outputs["kms_key_arn"],
    }


def test_the_athena_role_trusts_exactly_the_workspace_roles(applied: AppliedConsumer) -> None:
    role = applied.client("iam").get_role(RoleName=f"{NAME}-athena")["Role"]
    assert role["Arn"] == applied.outputs["athena_role_arn"]
    document = role["AssumeRolePolicyDocument"]
    if isinstance(document, str):
        document = json.loads(document)
    (statement,) = document["Statement"]
    principals = statement["Principal"]["AWS"]
    assert sorted(principals if isinstance(principals, list) else [principals]) == sorted(
        f"arn:aws:iam::{ACCOUNT_ID}:role/{NAME}-{suffix}"
        for suffix in (
            "lead-data-scientist",
            "data-scientist",
            "studio-lead-data-scientist",
            "studio-data-scientist",
            "pipeline-execution",
        )
    )
    assert statement["Condition"] == {"StringEquals": {"aws:PrincipalOrgID": "o-exampleorg1"}}
    assert sorted(statement["Action"]) == ["sts:AssumeRole", "sts:SetSourceIdentity"]


def test_lake_formation_admins_and_no_iam_allowed_principals(applied: AppliedConsumer) -> None:
    settings = applied.client("lakeformation").get_data_lake_settings()["DataLakeSettings"]
    admins = {a["DataLakePrincipalIdentifier"] for a in settings["DataLakeAdmins"]}
    # The configured administrator and the principal that ran Terraform, nobody else.
    caller = applied.client("sts").get_caller_identity()["Arn"]
    assert admins == {f"arn:aws:iam::{ACCOUNT_ID}:role/mlgov-terraform-deployer", caller}
    assert settings.get("CreateDatabaseDefaultPermissions", []) == []
    assert settings.get("CreateTableDefaultPermissions", []) == []


def test_the_athena_role_may_describe_the_links_and_read_the_shared_tables(
    applied: AppliedConsumer,
) -> None:
    lakeformation = applied.client("lakeformation")
    role = {"DataLakePrincipalIdentifier": applied.outputs["athena_role_arn"]}
    listed = lakeformation.list_permissions()["PrincipalResourcePermissions"]
    mine = [e for e in listed if e["Principal"] == role]
    expected = []
    for database in SHARED:
        expected += [
            ({"Database": {"CatalogId": ACCOUNT_ID, "Name": f"lake_{database}"}}, ["DESCRIBE"]),
            ({"Database": {"CatalogId": LAKE_ACCOUNT_ID, "Name": database}}, ["DESCRIBE"]),
            (
                {
                    "Table": {
                        "CatalogId": LAKE_ACCOUNT_ID,
                        "DatabaseName": database,
                        "TableWildcard": {},
                    }
                },
                ["DESCRIBE", "SELECT"],
            ),
        ]
    assert sorted(
        (json.dumps(e["Resource"], sort_keys=True), sorted(e["Permissions"])) for e in mine
    ) == sorted((json.dumps(r, sort_keys=True), p) for r, p in expected)
    assert all(e.get("PermissionsWithGrantOption", []) == [] for e in mine)


def test_the_athena_role_may_read_only_the_shared_feature_groups(
    applied: AppliedConsumer,
) -> None:
    iam = applied.client("iam")
    document = iam.get_role_policy(RoleName=f"{NAME}-athena", PolicyName="shared-feature-groups")[
        "PolicyDocument"
    ]
    statements = {s["Sid"]: s for s in document["Statement"]}
    read = statements["ReadSharedFeatureGroups"]
    assert sorted(read["Action"]) == [
        "sagemaker:BatchGetRecord",
        "sagemaker:DescribeFeatureGroup",
        "sagemaker:DescribeFeatureMetadata",
        "sagemaker:GetRecord",
    ]
    assert read["Resource"] == FEATURE_GROUP_ARN
    # Search takes no resource; nothing that writes records or changes a group is allowed.
    assert statements["DiscoverSharedFeatureGroups"]["Action"] == "sagemaker:Search"
    allowed = [
        a
        for s in document["Statement"]
        for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
    ]
    assert not [
        a for a in allowed if a.endswith(("PutRecord", "DeleteRecord", "UpdateFeatureGroup"))
    ]


def test_destroy_removes_the_consumer_side(applied: AppliedConsumer) -> None:
    """Last test of the module: everything above reads what this destroys."""
    started = time.monotonic()
    applied.workspace.destroy()
    applied.seconds["destroy"] = time.monotonic() - started
    print(
        "\ndata-lake-consumer example: destroyed in "
        f"{applied.seconds['destroy']:.1f} s ({json.dumps(applied.seconds)})"
    )
    assert applied.workspace.state_resources() == []
    glue = applied.client("glue")
    names = {d["Name"] for d in glue.get_databases()["DatabaseList"]}
    assert not names & {f"lake_{d}" for d in SHARED}
    workgroups = applied.client("athena").list_work_groups()["WorkGroups"]
    assert f"{NAME}-lake" not in {w["Name"] for w in workgroups}
    role = {"DataLakePrincipalIdentifier": applied.outputs["athena_role_arn"]}
    listed = applied.client("lakeformation").list_permissions()["PrincipalResourcePermissions"]
    assert [e for e in listed if e["Principal"] == role] == []
    # Destroying the settings resets the account's administrators (they are one object).
    settings = applied.client("lakeformation").get_data_lake_settings()["DataLakeSettings"]
    assert settings["DataLakeAdmins"] == []
    # The lake account's databases are not this module's: they stay.
    lake_glue = applied.sim.client(applied.sim.session(LAKE_ACCOUNT_ID, REGION), "glue")
    assert {d["Name"] for d in lake_glue.get_databases()["DatabaseList"]} >= set(SHARED)


# -- the simulator's Lake Formation revoke, on its own (another principal than the example's) --


def error_code(error: pytest.ExceptionInfo[ClientError]) -> str:
    return str(error.value.response["Error"]["Code"])


def test_a_revoke_of_what_the_grantee_does_not_hold_is_refused(sim: Simulator) -> None:
    lakeformation = sim.client(sim.base_session(REGION), "lakeformation")
    principal = {"DataLakePrincipalIdentifier": f"arn:aws:iam::{ACCOUNT_ID}:role/revoke-check"}
    resource = {"Database": {"CatalogId": LAKE_ACCOUNT_ID, "Name": "sales"}}
    with pytest.raises(ClientError) as refused:
        lakeformation.revoke_permissions(
            Principal=principal, Resource=resource, Permissions=["DESCRIBE"]
        )
    assert error_code(refused) == "InvalidInputException"
    assert NOTHING_REVOKED in str(refused.value)
    lakeformation.grant_permissions(
        Principal=principal, Resource=resource, Permissions=["DESCRIBE", "ALTER"]
    )
    with pytest.raises(ClientError):  # held on another resource only
        lakeformation.revoke_permissions(
            Principal=principal,
            Resource={"Database": {"CatalogId": LAKE_ACCOUNT_ID, "Name": "marketing"}},
            Permissions=["DESCRIBE"],
        )
    lakeformation.revoke_permissions(
        Principal=principal, Resource=resource, Permissions=["DESCRIBE", "SELECT"]
    )
    lakeformation.revoke_permissions(Principal=principal, Resource=resource, Permissions=["ALTER"])
    with pytest.raises(ClientError) as refused:
        lakeformation.revoke_permissions(
            Principal=principal, Resource=resource, Permissions=["ALTER"]
        )
    assert error_code(refused) == "InvalidInputException"
