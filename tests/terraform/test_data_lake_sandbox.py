"""`modules/data-lake/examples/complete` applied into the simulated AWS by real Terraform.

A copy of the module is applied with the real provider into a simulator of its own (one per
module run), a second plan must show no changes, what Lake Formation, Glue, Athena, S3 and KMS
then hold is read back with boto3, and the last example test destroys it all. The Lake Formation
gaps this needs (LF-tag policy grants listed by resource, data lake settings cleared where a
request omits them, inherited and assigned resource LF-tags, data cells filters) are closed in
`platform_sandbox/gaps_lake_formation.py` and listed in `gaps.GAPS`; the simulator's own
behaviour for them is checked at the end, in a region the example does not use.

The example lands in the simulator's default account (its provider assumes no role). The only
seed is the organization's access-log bucket the example names: S3 refuses server access logging
to a bucket that does not exist or does not admit the logging service.
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
from platform_sandbox.gaps_lake_formation import (
    canonical_resource,
    effective_table_tags,
    settings_as_stored,
)
from platform_sandbox.simulator import Simulator
from platform_sandbox.terraform import Workspace, setup_terraform
from tests.terraform_support import copy_module, require_terraform

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MODULE = PROJECT_ROOT / "modules" / "data-lake"
EXAMPLE = Path("examples") / "complete"
ACCOUNT_ID = "123456789012"  # the simulator's default account
REGION = "eu-central-1"  # the example's provider region
OTHER_REGION = "us-east-1"  # where the simulator's own behaviour is checked
ACCESS_LOG_BUCKET = "example-org-s3-access-logs"
PREFIX = "module.data_lake."
LAKE_ADMIN = (
    "arn:aws:iam::444444444444:role/aws-reserved/sso.amazonaws.com/eu-central-1/"
    "AWSReservedSSO_DataLakeAdmin_0123456789abcdef"
)
TEAM_A, TEAM_B = "222222222222", "333333333333"
EXPRESSIONS = {
    TEAM_A: {"domain": ["sales"], "classification": ["internal", "public"]},
    TEAM_B: {"classification": ["public"]},
}
LF_TAGS = {
    "domain": ["marketing", "sales"],
    "classification": ["confidential", "internal", "public"],
}

pytestmark = pytest.mark.slow  # apply, second plan and destroy of the example


@dataclass
class AppliedLake:
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


def tag_pairs(tags: list[dict[str, Any]]) -> dict[str, list[str]]:
    return {tag["TagKey"]: sorted(tag["TagValues"]) for tag in tags}


def lf_tag_policy(resource_type: str, expression: dict[str, list[str]]) -> dict[str, Any]:
    return {
        "LFTagPolicy": {
            "ResourceType": resource_type,
            "Expression": [{"TagKey": k, "TagValues": v} for k, v in expression.items()],
        }
    }


@pytest.fixture(scope="module")
def sim(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Simulator]:
    require_terraform()
    running = simulator.start(tmp_path_factory.mktemp("data-lake-simulator"))
    try:
        yield running
    finally:
        simulator.stop(running)


@pytest.fixture(scope="module")
def applied(sim: Simulator, tmp_path_factory: pytest.TempPathFactory) -> AppliedLake:
    root = tmp_path_factory.mktemp("data-lake-sandbox")
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
    return AppliedLake(sim, workspace, state, types, workspace.output(), seconds)


def test_every_resource_of_the_example_applies(applied: AppliedLake) -> None:
    seconds = applied.seconds["apply"]
    print(f"\ndata-lake example: {len(applied.state)} resources applied in {seconds:.1f} s")
    for resource_type in (
        "aws_lakeformation_data_lake_settings",
        "aws_lakeformation_resource",
        "aws_lakeformation_lf_tag",
        "aws_lakeformation_resource_lf_tags",
        "aws_lakeformation_permissions",
        "aws_lakeformation_data_cells_filter",
        "aws_glue_catalog_database",
        "aws_glue_catalog_table",
        "aws_athena_workgroup",
        "aws_s3_bucket_logging",
        "aws_sagemaker_feature_group",
        "aws_ram_resource_share",
        "aws_ram_resource_association",
        "aws_ram_principal_association",
    ):
        assert resource_type in applied.types
    assert not applied.types & gaps.UNSUPPORTED_RESOURCE_TYPES.keys()


def test_a_second_plan_shows_no_changes(applied: AppliedLake) -> None:
    started = time.monotonic()
    changes, text = applied.workspace.plan_has_changes()
    applied.seconds["replan"] = time.monotonic() - started
    print(f"\ndata-lake example: second plan in {applied.seconds['replan']:.1f} s")
    assert not changes, text


def test_lake_formation_is_the_only_authority(applied: AppliedLake) -> None:
    settings = applied.client("lakeformation").get_data_lake_settings()["DataLakeSettings"]
    admins = {a["DataLakePrincipalIdentifier"] for a in settings["DataLakeAdmins"]}
    # The configured administrators and the principal that ran Terraform, nobody else.
    caller = applied.client("sts").get_caller_identity()["Arn"]
    assert admins == {LAKE_ADMIN, caller}
    assert set(applied.outputs["lake_admin_arns"]) == admins
    assert settings["CreateDatabaseDefaultPermissions"] == []
    assert settings["CreateTableDefaultPermissions"] == []
    assert settings["Parameters"] == {"CROSS_ACCOUNT_VERSION": "4"}


def test_zones_and_offline_store_are_registered_with_the_registration_role(
    applied: AppliedLake,
) -> None:
    listed = applied.client("lakeformation").list_resources()["ResourceInfoList"]
    role = applied.outputs["registration_role_arn"]
    assert role == f"arn:aws:iam::{ACCOUNT_ID}:role/mlgov-lake-lf-registration"
    assert {r["ResourceArn"]: r["RoleArn"] for r in listed} == {
        f"arn:aws:s3:::{applied.outputs['bucket_names']['raw']}": role,
        f"arn:aws:s3:::{applied.outputs['bucket_names']['curated']}": role,
        f"arn:aws:s3:::{applied.outputs['feature_store_bucket_name']}": role,
    }


def test_the_key_policy_names_the_registration_role(applied: AppliedLake) -> None:
    kms = applied.client("kms")
    key_arn = applied.outputs["kms_key_arn"]
    assert kms.get_key_rotation_status(KeyId=key_arn)["KeyRotationEnabled"] is True
    policy = json.loads(kms.get_key_policy(KeyId=key_arn, PolicyName="default")["Policy"])
    statements = {s["Sid"]: s for s in policy["Statement"]}
    assert statements["LakeFormationRegistrationRoleUsesKey"]["Principal"] == {
        "AWS": applied.outputs["registration_role_arn"]
    }
    assert "kms:Decrypt" in statements["LakeFormationRegistrationRoleUsesKey"]["Action"]


def test_lf_tags_and_their_assignments(applied: AppliedLake) -> None:
    lakeformation = applied.client("lakeformation")
    assert tag_pairs(lakeformation.list_lf_tags()["LFTags"]) == LF_TAGS
    assert applied.outputs["lf_tag_keys"] == ["classification", "domain"]
    sales = lakeformation.get_resource_lf_tags(Resource={"Database": {"Name": "sales"}})
    assert tag_pairs(sales["LFTagOnDatabase"]) == {
        "domain": ["sales"],
        "classification": ["internal"],
    }
    marketing = lakeformation.get_resource_lf_tags(Resource={"Database": {"Name": "marketing"}})
    assert tag_pairs(marketing["LFTagOnDatabase"]) == {
        "domain": ["marketing"],
        "classification": ["public"],
    }
    # orders inherits both tags; customers overrides the classification only.
    orders = lakeformation.get_resource_lf_tags(
        Resource={"Table": {"DatabaseName": "sales", "Name": "orders"}}
    )
    assert tag_pairs(orders["LFTagsOnTable"]) == {
        "domain": ["sales"],
        "classification": ["internal"],
    }
    customers = {"Table": {"DatabaseName": "sales", "Name": "customers"}}
    effective = lakeformation.get_resource_lf_tags(Resource=customers)
    assert tag_pairs(effective["LFTagsOnTable"]) == {
        "domain": ["sales"],
        "classification": ["confidential"],
    }
    assigned = lakeformation.get_resource_lf_tags(Resource=customers, ShowAssignedLFTags=True)
    assert tag_pairs(assigned["LFTagsOnTable"]) == {"classification": ["confidential"]}


def test_grants_are_describe_and_select_only_without_grant_option(applied: AppliedLake) -> None:
    lakeformation = applied.client("lakeformation")
    listed = lakeformation.list_permissions()["PrincipalResourcePermissions"]
    grants = {
        (
            p["Principal"]["DataLakePrincipalIdentifier"],
            p["Resource"]["LFTagPolicy"]["ResourceType"],
        ): p
        for p in listed
        if "LFTagPolicy" in p["Resource"]
    }
    assert sorted(grants) == [
        (TEAM_A, "DATABASE"),
        (TEAM_A, "TABLE"),
        (TEAM_B, "DATABASE"),
        (TEAM_B, "TABLE"),
    ]
    filtered = [p for p in listed if "DataCellsFilter" in p["Resource"]]
    tag_values = {
        (p["Principal"]["DataLakePrincipalIdentifier"], p["Resource"]["LFTag"]["TagKey"]): p
        for p in listed
        if "LFTag" in p["Resource"]
    }
    store_role = applied.outputs["feature_store_role_arn"]
    store = [p for p in listed if p["Principal"]["DataLakePrincipalIdentifier"] == store_role]
    # Nothing else is granted: no IAMAllowedPrincipals, no grant on a database or table itself
    # but the feature store role's (test_the_feature_store_role_may_only_create_its_tables).
    assert len(listed) == len(grants) + len(filtered) + len(tag_values) + len(store)
    # DESCRIBE on the tag values of each expression (the consumer's administrator cascades with
    # it), never a grant option.
    assert sorted(tag_values) == sorted(
        (account, key) for account, expression in EXPRESSIONS.items() for key in expression
    )
    for (account, key), grant in tag_values.items():
        assert (grant["Permissions"], grant["PermissionsWithGrantOption"]) == (["DESCRIBE"], [])
        assert sorted(grant["Resource"]["LFTag"]["TagValues"]) == EXPRESSIONS[account][key]
    for (account, resource_type), grant in grants.items():
        expected = ["DESCRIBE"] if resource_type == "DATABASE" else ["DESCRIBE", "SELECT"]
        assert sorted(grant["Permissions"]) == expected
        assert grant["PermissionsWithGrantOption"] == []
        expression = grant["Resource"]["LFTagPolicy"]["Expression"]
        assert tag_pairs(expression) == EXPRESSIONS[account]
    # Listed by its LF-tag expression, as the provider reads a grant (keys in any order).
    team_a_tables = lakeformation.list_permissions(
        Principal={"DataLakePrincipalIdentifier": TEAM_A},
        Resource=lf_tag_policy(
            "TABLE", {"classification": ["public", "internal"], "domain": ["sales"]}
        ),
    )["PrincipalResourcePermissions"]
    assert [sorted(p["Permissions"]) for p in team_a_tables] == [["DESCRIBE", "SELECT"]]
    assert applied.outputs["consumer_grants"] == {
        TEAM_A: {
            "expression": {"domain": ["sales"], "classification": ["public", "internal"]},
            "permissions": ["DESCRIBE", "SELECT"],
            "filtered_tables": ["sales.customers"],
        },
        TEAM_B: {
            "expression": {"classification": ["public"]},
            "permissions": ["DESCRIBE", "SELECT"],
            "filtered_tables": [],
        },
    }


def test_team_a_reads_confidential_customers_only_through_a_filter(applied: AppliedLake) -> None:
    lakeformation = applied.client("lakeformation")
    cells = lakeformation.get_data_cells_filter(
        TableCatalogId=ACCOUNT_ID,
        DatabaseName="sales",
        TableName="customers",
        Name=f"consumer-{TEAM_A}",
    )["DataCellsFilter"]
    assert cells["ColumnWildcard"] == {"ExcludedColumnNames": ["email"]}
    assert "ColumnNames" not in cells
    assert cells["RowFilter"] == {"FilterExpression": "country = 'DE'"}
    resource = {
        "DataCellsFilter": {
            "TableCatalogId": ACCOUNT_ID,
            "DatabaseName": "sales",
            "TableName": "customers",
            "Name": f"consumer-{TEAM_A}",
        }
    }
    listed = lakeformation.list_permissions(
        Principal={"DataLakePrincipalIdentifier": TEAM_A}, Resource=resource
    )["PrincipalResourcePermissions"]
    assert [(sorted(p["Permissions"]), p["PermissionsWithGrantOption"]) for p in listed] == [
        (["DESCRIBE", "SELECT"], [])
    ]
    # team-b has no filter, and nobody has a grant on the customers table itself.
    others = lakeformation.list_permissions(
        Principal={"DataLakePrincipalIdentifier": TEAM_B}, Resource=resource
    )["PrincipalResourcePermissions"]
    assert others == []


def test_tables_live_under_their_zone_in_their_format(applied: AppliedLake) -> None:
    glue = applied.client("glue")
    buckets = applied.outputs["bucket_names"]
    assert applied.outputs["database_names"] == ["marketing", "sales"]
    assert applied.outputs["table_names"] == {
        "sales": ["customers", "orders"],
        "marketing": ["campaigns"],
    }
    expected = {
        ("sales", "orders"): (buckets["curated"], "ParquetHiveSerDe"),
        ("sales", "customers"): (buckets["raw"], "LazySimpleSerDe"),
        ("marketing", "campaigns"): (buckets["curated"], "JsonSerDe"),
    }
    for (database, name), (bucket, serde) in expected.items():
        table = glue.get_table(DatabaseName=database, Name=name)["Table"]
        storage = table["StorageDescriptor"]
        assert storage["Location"] == f"s3://{bucket}/{database}/{name}/"
        assert storage["SerdeInfo"]["SerializationLibrary"].endswith(serde)
        assert table["TableType"] == "EXTERNAL_TABLE"
    orders = glue.get_table(DatabaseName="sales", Name="orders")["Table"]
    assert [c["Name"] for c in orders["StorageDescriptor"]["Columns"]] == [
        "order_id",
        "customer_id",
        "product_id",
        "quantity",
        "amount",
    ]
    assert [(k["Name"], k["Type"]) for k in orders["PartitionKeys"]] == [("order_date", "date")]
    sales = glue.get_database(Name="sales")["Database"]
    assert not sales.get("CreateTableDefaultPermissions")


def test_the_workgroup_enforces_encrypted_results(applied: AppliedLake) -> None:
    workgroup = applied.client("athena").get_work_group(WorkGroup="mlgov-lake")["WorkGroup"]
    configuration = workgroup["Configuration"]
    assert workgroup["State"] == "ENABLED"
    assert configuration["EnforceWorkGroupConfiguration"] is True
    assert configuration["PublishCloudWatchMetricsEnabled"] is True
    assert configuration["BytesScannedCutoffPerQuery"] == 107374182400
    results = configuration["ResultConfiguration"]
    assert results["OutputLocation"] == f"s3://{applied.outputs['results_bucket_name']}/athena/"
    assert results["EncryptionConfiguration"] == {
        "EncryptionOption": "SSE_KMS",
        "KmsKey": applied.outputs["kms_key_arn"],
    }
    assert results["ExpectedBucketOwner"] == ACCOUNT_ID


def test_lake_buckets_are_hardened_and_log_to_the_organization_bucket(
    applied: AppliedLake,
) -> None:
    s3 = applied.client("s3")
    key_arn = applied.outputs["kms_key_arn"]
    buckets = [*applied.outputs["bucket_names"].values(), applied.outputs["results_bucket_name"]]
    assert sorted(buckets) == sorted(
        f"mlgov-lake-{kind}-{ACCOUNT_ID}-{REGION}" for kind in ("raw", "curated", "results")
    )
    for bucket in buckets:
        assert s3.get_bucket_logging(Bucket=bucket)["LoggingEnabled"] == {
            "TargetBucket": ACCESS_LOG_BUCKET,
            "TargetPrefix": f"s3/{bucket}/",
        }
        rule = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]
        default = rule["Rules"][0]["ApplyServerSideEncryptionByDefault"]
        assert default == {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key_arn}
        assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
        block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
        assert all(block.values())
        policy = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])
        sids = {s["Sid"] for s in policy["Statement"]}
        assert {"DenyInsecureTransport", "DenyPrincipalsOutsideOrganization"} <= sids


FEATURE_GROUP = "customer-orders"
READ_ONLY = "arn:aws:ram::aws:permission/AWSRAMPermissionSageMakerFeatureGroupReadOnly"
CATALOG_SEARCH = "arn:aws:ram::aws:permission/AWSRAMPermissionSageMakerCatalogResourceSearch"


def test_the_feature_group_keeps_its_offline_store_in_the_lake(applied: AppliedLake) -> None:
    group = applied.client("sagemaker").describe_feature_group(FeatureGroupName=FEATURE_GROUP)
    assert group["FeatureGroupArn"] == applied.outputs["feature_group_arns"][FEATURE_GROUP]
    assert group["RoleArn"] == applied.outputs["feature_store_role_arn"]
    offline = group["OfflineStoreConfig"]
    bucket = applied.outputs["feature_store_bucket_name"]
    assert offline["S3StorageConfig"]["S3Uri"] == f"s3://{bucket}/offline-store"
    assert offline["S3StorageConfig"]["KmsKeyId"] == applied.outputs["kms_key_arn"]
    assert offline["DataCatalogConfig"]["Database"] == "feature_store"
    assert offline["DataCatalogConfig"]["TableName"] == "customer_orders"
    online = group["OnlineStoreConfig"]
    assert online["EnableOnlineStore"] is True
    assert online["SecurityConfig"]["KmsKeyId"] == applied.outputs["kms_key_arn"]


def test_the_offline_table_inherits_the_feature_store_tags(applied: AppliedLake) -> None:
    """Team A's sales/internal grant reaches the offline store, team B's public grant does not."""
    table = applied.client("glue").get_table(DatabaseName="feature_store", Name="customer_orders")
    columns = [c["Name"] for c in table["Table"]["StorageDescriptor"]["Columns"]]
    assert columns[:4] == ["customer_id", "event_time", "orders_90d", "spend_90d"]
    tags = applied.client("lakeformation").get_resource_lf_tags(
        Resource={"Table": {"DatabaseName": "feature_store", "Name": "customer_orders"}}
    )
    assert tag_pairs(tags["LFTagsOnTable"]) == {
        "domain": ["sales"],
        "classification": ["internal"],
    }


def test_the_feature_store_role_may_only_create_its_tables(applied: AppliedLake) -> None:
    role = applied.outputs["feature_store_role_arn"]
    listed = [
        p
        for p in applied.client("lakeformation").list_permissions()["PrincipalResourcePermissions"]
        if p["Principal"]["DataLakePrincipalIdentifier"] == role
    ]
    found = {json.dumps(p["Resource"], sort_keys=True): sorted(p["Permissions"]) for p in listed}
    bucket_arn = f"arn:aws:s3:::{applied.outputs['feature_store_bucket_name']}"
    database = {"Database": {"Name": "feature_store"}}
    location = {"DataLocation": {"ResourceArn": bucket_arn}}
    assert found == {
        json.dumps(database, sort_keys=True): ["CREATE_TABLE", "DESCRIBE"],
        json.dumps(location, sort_keys=True): ["DATA_LOCATION_ACCESS"],
    }
    assert all(p["PermissionsWithGrantOption"] == [] for p in listed)
    trust = applied.client("iam").get_role(RoleName=role.rsplit("/", 1)[-1])["Role"]
    (statement,) = trust["AssumeRolePolicyDocument"]["Statement"]
    assert statement["Principal"] == {"Service": "sagemaker.amazonaws.com"}
    assert statement["Condition"] == {"StringEquals": {"aws:SourceAccount": ACCOUNT_ID}}


def test_team_a_alone_discovers_and_reads_the_feature_group(applied: AppliedLake) -> None:
    ram = applied.client("ram")
    listed = ram.get_resource_shares(resourceOwner="SELF")["resourceShares"]
    shares = {s["name"]: s for s in listed}
    groups_share = f"mlgov-lake-feature-groups-{TEAM_A}"
    assert set(shares) == {"mlgov-lake-feature-catalog", groups_share}
    assert all(s["allowExternalPrincipals"] is False for s in shares.values())
    assert applied.outputs["feature_shares"] == {TEAM_A: [FEATURE_GROUP]}

    def associated(share: str, kind: str) -> list[str]:
        found = ram.get_resource_share_associations(
            associationType=kind, resourceShareArns=[shares[share]["resourceShareArn"]]
        )["resourceShareAssociations"]
        return sorted(a["associatedEntity"] for a in found)

    catalog = (
        f"arn:aws:sagemaker:{REGION}:{ACCOUNT_ID}:sagemaker-catalog/DefaultFeatureGroupCatalog"
    )
    assert associated("mlgov-lake-feature-catalog", "RESOURCE") == [catalog]
    assert associated("mlgov-lake-feature-catalog", "PRINCIPAL") == [TEAM_A]
    assert associated(groups_share, "RESOURCE") == [
        applied.outputs["feature_group_arns"][FEATURE_GROUP]
    ]
    assert associated(groups_share, "PRINCIPAL") == [TEAM_A]
    permissions = {
        name: [
            p["arn"]
            for p in ram.list_resource_share_permissions(
                resourceShareArn=share["resourceShareArn"]
            )["permissions"]
        ]
        for name, share in shares.items()
    }
    assert permissions == {
        "mlgov-lake-feature-catalog": [CATALOG_SEARCH],
        groups_share: [READ_ONLY],
    }


def test_destroy_removes_the_lake(applied: AppliedLake) -> None:
    """Last test of the example: everything above reads what this destroys."""
    started = time.monotonic()
    applied.workspace.destroy()
    applied.seconds["destroy"] = time.monotonic() - started
    print(
        "\ndata-lake example: destroyed in "
        f"{applied.seconds['destroy']:.1f} s ({json.dumps(applied.seconds)})"
    )
    assert applied.workspace.state_resources() == []
    lakeformation = applied.client("lakeformation")
    assert lakeformation.list_permissions()["PrincipalResourcePermissions"] == []
    assert lakeformation.list_resources()["ResourceInfoList"] == []
    assert lakeformation.list_lf_tags()["LFTags"] == []
    assert lakeformation.list_data_cells_filter()["DataCellsFilters"] == []
    assert applied.client("glue").get_databases()["DatabaseList"] == []
    with pytest.raises(ClientError, match="ResourceNotFound"):
        applied.client("sagemaker").describe_feature_group(FeatureGroupName=FEATURE_GROUP)
    shares = applied.client("ram").get_resource_shares(
        resourceOwner="SELF", resourceShareStatus="ACTIVE"
    )
    assert shares["resourceShares"] == []
    settings = lakeformation.get_data_lake_settings()["DataLakeSettings"]
    assert settings["DataLakeAdmins"] == []


# -- the simulator's Lake Formation, on its own (another region than the example's) ---------


@pytest.fixture(scope="module")
def lake_formation(sim: Simulator) -> Any:
    return sim.client(sim.base_session(OTHER_REGION), "lakeformation")


def test_settings_a_request_omits_are_cleared(lake_formation: Any) -> None:
    default = lake_formation.get_data_lake_settings()["DataLakeSettings"]
    principals = [p["Principal"] for p in default["CreateDatabaseDefaultPermissions"]]
    assert principals == [{"DataLakePrincipalIdentifier": "IAM_ALLOWED_PRINCIPALS"}]
    admin = f"arn:aws:iam::{ACCOUNT_ID}:role/admin"
    lake_formation.put_data_lake_settings(
        DataLakeSettings={"DataLakeAdmins": [{"DataLakePrincipalIdentifier": admin}]}
    )
    settings = lake_formation.get_data_lake_settings()["DataLakeSettings"]
    assert settings["CreateDatabaseDefaultPermissions"] == []
    assert settings["CreateTableDefaultPermissions"] == []
    assert settings["DataLakeAdmins"] == [{"DataLakePrincipalIdentifier": admin}]


def test_lf_tag_policy_grants_are_listed_and_revoked_by_expression(lake_formation: Any) -> None:
    lake_formation.create_lf_tag(TagKey="tier", TagValues=["gold", "silver"])
    lake_formation.create_lf_tag(TagKey="region", TagValues=["eu"])
    principal = {"DataLakePrincipalIdentifier": "555555555555"}
    granted = lf_tag_policy("TABLE", {"tier": ["silver", "gold"], "region": ["eu"]})
    lake_formation.grant_permissions(Principal=principal, Resource=granted, Permissions=["SELECT"])
    reordered = lf_tag_policy("TABLE", {"region": ["eu"], "tier": ["gold", "silver"]})
    listed = lake_formation.list_permissions(Principal=principal, Resource=reordered)
    assert [p["Permissions"] for p in listed["PrincipalResourcePermissions"]] == [["SELECT"]]
    other_type = lf_tag_policy("DATABASE", {"region": ["eu"], "tier": ["gold", "silver"]})
    listed = lake_formation.list_permissions(Principal=principal, Resource=other_type)
    assert listed["PrincipalResourcePermissions"] == []
    lake_formation.revoke_permissions(
        Principal=principal, Resource=reordered, Permissions=["SELECT"]
    )
    listed = lake_formation.list_permissions(Principal=principal, Resource=granted)
    assert listed["PrincipalResourcePermissions"] == []


def test_resource_lf_tags_are_added_inherited_and_checked(
    sim: Simulator, lake_formation: Any
) -> None:
    glue = sim.client(sim.base_session(OTHER_REGION), "glue")
    glue.create_database(DatabaseInput={"Name": "checks"})
    glue.create_table(DatabaseName="checks", TableInput={"Name": "untagged"})
    lake_formation.create_lf_tag(TagKey="owner", TagValues=["a", "b"])
    table = {"Table": {"DatabaseName": "checks", "Name": "untagged"}}
    assert lake_formation.get_resource_lf_tags(Resource=table)["LFTagsOnTable"] == []
    database = {"Database": {"Name": "checks"}}
    lake_formation.add_lf_tags_to_resource(
        Resource=database, LFTags=[{"TagKey": "owner", "TagValues": ["a"]}]
    )
    inherited = lake_formation.get_resource_lf_tags(Resource=table)["LFTagsOnTable"]
    assert tag_pairs(inherited) == {"owner": ["a"]}
    refused = lake_formation.add_lf_tags_to_resource(
        Resource=database, LFTags=[{"TagKey": "owner", "TagValues": ["c"]}]
    )
    assert refused["Failures"][0]["Error"]["ErrorCode"] == "InvalidInputException"
    lake_formation.add_lf_tags_to_resource(
        Resource=database, LFTags=[{"TagKey": "owner", "TagValues": ["b"]}]
    )
    on_database = lake_formation.get_resource_lf_tags(Resource=database)["LFTagOnDatabase"]
    assert tag_pairs(on_database) == {"owner": ["b"]}


def test_data_cells_filters_are_kept_per_table(sim: Simulator, lake_formation: Any) -> None:
    table_data = {
        "TableCatalogId": ACCOUNT_ID,
        "DatabaseName": "checks",
        "TableName": "untagged",
        "Name": "eu-only",
        "ColumnNames": ["id"],
        "RowFilter": {"AllRowsWildcard": {}},
    }
    lake_formation.create_data_cells_filter(TableData=table_data)
    with pytest.raises(ClientError) as duplicate:
        lake_formation.create_data_cells_filter(TableData=table_data)
    assert duplicate.value.response["Error"]["Code"] == "AlreadyExistsException"
    named = {k: table_data[k] for k in ("TableCatalogId", "DatabaseName", "TableName", "Name")}
    assert lake_formation.get_data_cells_filter(**named)["DataCellsFilter"] == table_data
    listed = lake_formation.list_data_cells_filter(
        Table={"CatalogId": ACCOUNT_ID, "DatabaseName": "checks", "Name": "untagged"}
    )
    assert listed["DataCellsFilters"] == [table_data]
    lake_formation.delete_data_cells_filter(**named)
    with pytest.raises(ClientError) as missing:
        lake_formation.get_data_cells_filter(**named)
    assert missing.value.response["Error"]["Code"] == "EntityNotFoundException"
    with pytest.raises(ClientError) as refused:
        lake_formation.create_data_cells_filter(
            TableData={**table_data, "ColumnWildcard": {"ExcludedColumnNames": []}}
        )
    assert refused.value.response["Error"]["Code"] == "InvalidInputException"


def test_canonical_resources_and_effective_tags() -> None:
    one = lf_tag_policy("TABLE", {"b": ["2", "1"], "a": ["x"]})
    two = lf_tag_policy("TABLE", {"a": ["x"], "b": ["1", "2"]})
    assert canonical_resource(one, ACCOUNT_ID) == canonical_resource(two, ACCOUNT_ID)
    assert canonical_resource({"Database": {"Name": "d"}}, ACCOUNT_ID) == {
        "Database": {"Name": "d"}
    }
    database = [{"TagKey": "k", "TagValues": ["db"]}, {"TagKey": "j", "TagValues": ["db"]}]
    table = [{"TagKey": "k", "TagValues": ["table"]}]
    assert effective_table_tags(database, table) == [
        {"TagKey": "j", "TagValues": ["db"]},
        {"TagKey": "k", "TagValues": ["table"]},
    ]
    assert (
        settings_as_stored({"Parameters": {"CROSS_ACCOUNT_VERSION": "4"}})[
            "CreateTableDefaultPermissions"
        ]
        == []
    )
