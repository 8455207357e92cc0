"""A dev account's Athena role reads the lake account's catalog as Lake Formation grants it.

Issue acceptance: in the simulated organization applied by real Terraform (`applied_platform`),
each team's Athena role (assumed through STS in its dev account) sees the metadata of the lake
tables its LF-tag expression matches and is refused the others, by CatalogId and through its
resource links. The simulator's side of it (gap `lakeformation-authorization`,
`platform_sandbox/gaps_lake_authorization.py`) is checked first on its own simulator with a
seeded catalog: named and LF-tag grants, grants to an account and what that account re-grants,
resource links, missing tables and reads of a catalog's own databases.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from platform_composition.config import Environment, load_platform_config
from platform_composition.naming import Naming
from platform_sandbox import simulator
from platform_sandbox.gaps_feature_store import OFFLINE_STORE_COLUMNS
from platform_sandbox.gaps_lake_authorization import (
    CatalogObject,
    covers,
    insufficient,
    tag_expression_matches,
)
from platform_sandbox.runtimes import role_session
from platform_sandbox.simulator import Simulator
from tests.composition.conftest import ENVIRONMENTS
from tests.terraform_support import AppliedPlatform

LAKE, CONSUMER = "666666666666", "222222222222"
REGION = "eu-west-1"
ANALYST = f"arn:aws:iam::{CONSUMER}:role/analytics/analyst"  # a role with a path
OTHER = f"arn:aws:iam::{CONSUMER}:role/not-granted"
CONSUMER_ADMIN = f"arn:aws:iam::{CONSUMER}:role/consumer-lake-admin"
TABLES = {"sales": ("orders", "customers"), "marketing": ("campaigns",)}


def error(raised: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    details = raised.value.response["Error"]
    return str(details["Code"]), str(details["Message"])


def tag_policy(resource_type: str, expression: dict[str, list[str]]) -> dict[str, Any]:
    return {
        "LFTagPolicy": {
            "ResourceType": resource_type,
            "Expression": [{"TagKey": k, "TagValues": v} for k, v in expression.items()],
        }
    }


# -- the simulator's model, on a catalog seeded with boto3 --------------------------------------


@pytest.fixture(scope="module")
def sim(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Simulator]:
    running = simulator.start(tmp_path_factory.mktemp("lake-access-simulator"))
    try:
        yield running
    finally:
        simulator.stop(running)


@pytest.fixture(scope="module")
def seeded(sim: Simulator) -> Simulator:
    """The lake's catalog and LF-tags in LAKE; ANALYST granted by tag, a named table to the
    consumer account, a resource link lake_sales in CONSUMER."""
    lake = sim.session(LAKE, REGION)
    glue, lakeformation = sim.client(lake, "glue"), sim.client(lake, "lakeformation")
    for database, tables in TABLES.items():
        glue.create_database(DatabaseInput={"Name": database})
        for table in tables:
            glue.create_table(
                DatabaseName=database,
                TableInput={
                    "Name": table,
                    "StorageDescriptor": {"Columns": [{"Name": "id", "Type": "string"}]},
                },
            )
    lakeformation.create_lf_tag(TagKey="domain", TagValues=["sales", "marketing"])
    lakeformation.create_lf_tag(TagKey="classification", TagValues=["internal", "confidential"])
    for database, domain in (("sales", "sales"), ("marketing", "marketing")):
        lakeformation.add_lf_tags_to_resource(
            Resource={"Database": {"Name": database}},
            LFTags=[
                {"TagKey": "domain", "TagValues": [domain]},
                {"TagKey": "classification", "TagValues": ["internal"]},
            ],
        )
    lakeformation.add_lf_tags_to_resource(
        Resource={"Table": {"DatabaseName": "sales", "Name": "customers"}},
        LFTags=[{"TagKey": "classification", "TagValues": ["confidential"]}],
    )
    expression = {"domain": ["sales"], "classification": ["internal"]}
    principal = {"DataLakePrincipalIdentifier": ANALYST}
    lakeformation.grant_permissions(
        Principal=principal,
        Resource=tag_policy("DATABASE", expression),
        Permissions=["DESCRIBE"],
    )
    lakeformation.grant_permissions(
        Principal=principal,
        Resource=tag_policy("TABLE", expression),
        Permissions=["DESCRIBE", "SELECT"],
    )
    # The consumer account (not a role of it) may read marketing.campaigns.
    lakeformation.grant_permissions(
        Principal={"DataLakePrincipalIdentifier": CONSUMER},
        Resource={"Table": {"CatalogId": LAKE, "DatabaseName": "marketing", "Name": "campaigns"}},
        Permissions=["SELECT"],
    )
    consumer = sim.session(CONSUMER, REGION)
    sim.client(consumer, "lakeformation").put_data_lake_settings(
        DataLakeSettings={"DataLakeAdmins": [{"DataLakePrincipalIdentifier": CONSUMER_ADMIN}]}
    )
    sim.client(consumer, "glue").create_database(
        DatabaseInput={
            "Name": "lake_sales",
            "TargetDatabase": {"CatalogId": LAKE, "DatabaseName": "sales", "Region": REGION},
        }
    )
    return sim


def glue_as(sim: Simulator, role_arn: str) -> Any:
    return sim.client(role_session(sim, role_arn, "lake-access", REGION), "glue")


def test_a_tag_grant_shows_the_matching_table_and_refuses_the_others(seeded: Simulator) -> None:
    glue = glue_as(seeded, ANALYST)
    table = glue.get_table(CatalogId=LAKE, DatabaseName="sales", Name="orders")["Table"]
    assert (table["CatalogId"], table["DatabaseName"], table["Name"]) == (LAKE, "sales", "orders")
    assert table["StorageDescriptor"]["Columns"] == [{"Name": "id", "Type": "string"}]
    with pytest.raises(ClientError) as refused:  # its own tag overrides the database's
        glue.get_table(CatalogId=LAKE, DatabaseName="sales", Name="customers")
    assert error(refused) == ("AccessDeniedException", insufficient("customers"))
    listed = glue.get_tables(CatalogId=LAKE, DatabaseName="sales")["TableList"]
    assert [t["Name"] for t in listed] == ["orders"]
    database = glue.get_database(CatalogId=LAKE, Name="sales")["Database"]
    assert (database["CatalogId"], database["Name"]) == (LAKE, "sales")
    with pytest.raises(ClientError) as refused:
        glue.get_database(CatalogId=LAKE, Name="marketing")
    assert error(refused) == ("AccessDeniedException", insufficient("marketing"))
    with pytest.raises(ClientError) as refused:
        glue.get_tables(CatalogId=LAKE, DatabaseName="marketing")
    assert error(refused)[0] == "AccessDeniedException"
    assert [d["Name"] for d in glue.get_databases(CatalogId=LAKE)["DatabaseList"]] == ["sales"]


def test_a_role_of_a_granted_account_needs_a_re_grant_in_its_account(seeded: Simulator) -> None:
    name = {"CatalogId": LAKE, "DatabaseName": "marketing", "Name": "campaigns"}
    with pytest.raises(ClientError) as refused:
        glue_as(seeded, OTHER).get_table(**name)
    assert error(refused) == ("AccessDeniedException", insufficient("campaigns"))
    # The consumer's data lake administrator sees what the account was granted.
    assert glue_as(seeded, CONSUMER_ADMIN).get_table(**name)["Table"]["Name"] == "campaigns"
    consumer_lakeformation = seeded.client(seeded.session(CONSUMER, REGION), "lakeformation")
    regrant = {
        "Principal": {"DataLakePrincipalIdentifier": OTHER},
        "Resource": {
            "Table": {"CatalogId": LAKE, "DatabaseName": "marketing", "TableWildcard": {}}
        },
        "Permissions": ["SELECT"],
    }
    consumer_lakeformation.grant_permissions(**regrant)
    try:
        assert glue_as(seeded, OTHER).get_table(**name)["Table"]["Name"] == "campaigns"
    finally:
        consumer_lakeformation.revoke_permissions(**regrant)


def test_a_resource_link_is_followed_with_describe_on_the_link(seeded: Simulator) -> None:
    glue = glue_as(seeded, ANALYST)
    with pytest.raises(ClientError) as refused:
        glue.get_tables(DatabaseName="lake_sales")
    assert error(refused) == ("AccessDeniedException", insufficient("lake_sales"))
    consumer_lakeformation = seeded.client(seeded.session(CONSUMER, REGION), "lakeformation")
    link = {
        "Principal": {"DataLakePrincipalIdentifier": ANALYST},
        "Resource": {"Database": {"Name": "lake_sales"}},
        "Permissions": ["DESCRIBE"],
    }
    consumer_lakeformation.grant_permissions(**link)
    try:
        listed = glue.get_tables(DatabaseName="lake_sales")["TableList"]
        assert [(t["CatalogId"], t["Name"]) for t in listed] == [(LAKE, "orders")]
        assert glue.get_table(DatabaseName="lake_sales", Name="orders")["Table"]["Name"] == "orders"
        with pytest.raises(ClientError) as refused:
            glue.get_table(DatabaseName="lake_sales", Name="customers")
        assert error(refused)[0] == "AccessDeniedException"
        # GetDatabase on the link returns the link itself.
        own = glue.get_database(Name="lake_sales")["Database"]
        assert own["TargetDatabase"]["CatalogId"] == LAKE
    finally:
        consumer_lakeformation.revoke_permissions(**link)


def test_missing_tables_and_own_catalogs_answer_as_before(seeded: Simulator) -> None:
    glue = glue_as(seeded, ANALYST)
    with pytest.raises(ClientError) as missing:
        glue.get_table(CatalogId=LAKE, DatabaseName="sales", Name="returns")
    assert error(missing)[0] == "EntityNotFoundException"
    with pytest.raises(ClientError) as missing:
        glue.get_database(CatalogId=LAKE, Name="finance")
    assert error(missing)[0] == "EntityNotFoundException"
    # The lake account reads its own catalog without Lake Formation in the way.
    lake_glue = seeded.client(seeded.session(LAKE, REGION), "glue")
    names = [t["Name"] for t in lake_glue.get_tables(DatabaseName="sales")["TableList"]]
    assert sorted(names) == ["customers", "orders"]
    assert lake_glue.get_table(CatalogId=LAKE, DatabaseName="sales", Name="customers")


def test_expressions_and_named_resources() -> None:
    tags = (("domain", frozenset({"sales"})), ("classification", frozenset({"internal"})))
    assert tag_expression_matches([{"TagKey": "domain", "TagValues": ["sales", "marketing"]}], tags)
    assert not tag_expression_matches(
        [
            {"TagKey": "domain", "TagValues": ["sales"]},
            {"TagKey": "classification", "TagValues": ["public"]},
        ],
        tags,
    )
    assert not tag_expression_matches([{"TagKey": "zone", "TagValues": ["raw"]}], tags)
    orders = CatalogObject(LAKE, "sales", "orders", tags)
    sales = CatalogObject(LAKE, "sales", None, tags)
    wildcard = {"Table": {"DatabaseName": "sales", "TableWildcard": {}}}
    assert covers(wildcard, LAKE, orders)
    assert not covers(wildcard, LAKE, sales)
    assert not covers(wildcard, CONSUMER, orders)  # a catalog-less grant names its own catalog
    assert covers({"Database": {"CatalogId": LAKE, "Name": "sales"}}, CONSUMER, sales)
    assert not covers(tag_policy("TABLE", {"domain": ["sales"]}), LAKE, sales)
    cells = {"DataCellsFilter": {"TableCatalogId": LAKE, "DatabaseName": "sales"}}
    assert covers(
        {"DataCellsFilter": {**cells["DataCellsFilter"], "TableName": "orders"}}, LAKE, orders
    )


# -- the applied organization: each team's Athena role --------------------------------------------

CONFIG = load_platform_config(ENVIRONMENTS)
NAMING = Naming(CONFIG)
LAKE_ENV = NAMING.data_governance
assert LAKE_ENV is not None and LAKE_ENV.lake is not None
LAKE_SETTINGS = LAKE_ENV.lake
LAKE_ACCOUNT = LAKE_ENV.account_id
GRANTED_TEAMS = [CONFIG.environment(grant.environment) for grant in LAKE_SETTINGS.grants]


# The lake's databases as the catalog holds them: the datasets and the feature store's offline
# stores (one table per feature group, created by SageMaker Feature Store).
LAKE_DATABASES = LAKE_SETTINGS.databases + (
    (LAKE_SETTINGS.feature_store.as_database(),) if LAKE_SETTINGS.feature_store else ()
)


def configured_columns(database: str, table: str) -> list[str]:
    """A table's columns as configured; an offline store's are its group's features, then the
    columns SageMaker Feature Store adds."""
    store = LAKE_SETTINGS.feature_store
    if store is not None and database == store.database:
        (group,) = [g for g in store.groups if g.table_name == table]
        return [f.name for f in group.features] + [name for name, _ in OFFLINE_STORE_COLUMNS]
    (configured,) = [
        t
        for d in LAKE_SETTINGS.databases
        if d.name == database
        for t in d.tables
        if t.name == table
    ]
    return [c.name for c in configured.columns]


def granted_tables(env: Environment) -> set[tuple[str, str]]:
    """The lake tables the configuration grants `env` (effective tags against its expression)."""
    (grant,) = [g for g in LAKE_SETTINGS.grants if g.environment == env.name]
    return {
        (database.name, table.name)
        for database in LAKE_DATABASES
        for table in database.tables
        for tags in [{**database.lf_tags, **table.lf_tags}]
        if all(tags.get(key) in values for key, values in grant.expression.items())
    }


def athena_glue(applied_platform: AppliedPlatform, env: Environment) -> Any:
    sim = applied_platform.sandbox.simulator
    session = role_session(sim, NAMING.lake_athena_role_arn(env), "lake-access-test", env.region)
    return sim.client(session, "glue")


def test_the_default_configuration_grants_orders_to_team_a_and_campaigns_to_team_b() -> None:
    by_team = {env.name: granted_tables(env) for env in GRANTED_TEAMS}
    assert by_team == {
        # The feature store's offline table carries sales/internal, like sales.orders.
        "dev-team-a": {
            ("sales", "orders"),
            ("marketing", "campaigns"),
            ("feature_store", "customer_orders"),
        },
        "dev-team-b": {("marketing", "campaigns")},
    }


@pytest.mark.slow  # the session's applied sandbox (shared with the e2e and composition tests)
@pytest.mark.parametrize(
    ("team", "database", "table", "allowed"),
    [
        ("dev-team-a", "sales", "orders", True),
        ("dev-team-a", "sales", "customers", False),  # confidential
        ("dev-team-b", "sales", "orders", False),
        ("dev-team-b", "marketing", "campaigns", True),
        ("dev-team-a", "feature_store", "customer_orders", True),  # offline store, shared
        ("dev-team-b", "feature_store", "customer_orders", False),
    ],
)
def test_the_athena_role_sees_granted_tables_only(
    applied_platform: AppliedPlatform, team: str, database: str, table: str, allowed: bool
) -> None:
    env = CONFIG.environment(team)
    glue = athena_glue(applied_platform, env)
    name = {"CatalogId": LAKE_ACCOUNT, "DatabaseName": database, "Name": table}
    if not allowed:
        with pytest.raises(ClientError) as refused:
            glue.get_table(**name)
        assert error(refused) == ("AccessDeniedException", insufficient(table))
        return
    found = glue.get_table(**name)["Table"]
    assert (found["CatalogId"], found["DatabaseName"], found["Name"]) == (
        LAKE_ACCOUNT,
        database,
        table,
    )
    assert [c["Name"] for c in found["StorageDescriptor"]["Columns"]] == configured_columns(
        database, table
    )


@pytest.mark.slow
@pytest.mark.parametrize("env", GRANTED_TEAMS, ids=lambda env: env.name)
def test_listings_show_only_granted_tables(applied_platform: AppliedPlatform, env: Any) -> None:
    glue = athena_glue(applied_platform, env)
    expected = granted_tables(env)
    links = applied_platform.outputs(env.name)["lake_resource_link_names"]
    assert sorted(links) == sorted({database for database, _ in expected})
    for database in LAKE_DATABASES:
        wanted = sorted(t for d, t in expected if d == database.name)
        if not wanted:
            with pytest.raises(ClientError) as refused:
                glue.get_tables(CatalogId=LAKE_ACCOUNT, DatabaseName=database.name)
            assert error(refused)[0] == "AccessDeniedException"
            continue
        by_catalog = glue.get_tables(CatalogId=LAKE_ACCOUNT, DatabaseName=database.name)
        assert sorted(t["Name"] for t in by_catalog["TableList"]) == wanted
        # The same through the team's resource link in its own catalog.
        by_link = glue.get_tables(DatabaseName=links[database.name])["TableList"]
        assert sorted((t["CatalogId"], t["Name"]) for t in by_link) == [
            (LAKE_ACCOUNT, name) for name in wanted
        ]


@pytest.mark.slow
def test_other_roles_of_a_granted_account_see_nothing(applied_platform: AppliedPlatform) -> None:
    """The lake grants the Athena role itself, not the account: the workspace's own roles
    reach the lake only by assuming it."""
    env = CONFIG.environment("dev-team-a")
    sim = applied_platform.sandbox.simulator
    role_arn = NAMING.role_arn(env.account_id, f"{NAMING.workspace_name(env)}-data-scientist")
    glue = sim.client(role_session(sim, role_arn, "lake-access-test", env.region), "glue")
    with pytest.raises(ClientError) as refused:
        glue.get_table(CatalogId=LAKE_ACCOUNT, DatabaseName="sales", Name="orders")
    assert error(refused) == ("AccessDeniedException", insufficient("orders"))
