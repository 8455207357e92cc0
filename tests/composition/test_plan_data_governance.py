"""Plan-level checks of the data-governance stack and the dev stacks' side of the data lake.

Asserted on what real Terraform rendered and applied (the `applied_platform` sandbox,
`terraform show -json`): Lake Formation is the only authority (no default permissions for new
databases and tables), every grant is DESCRIBE/SELECT without a grant option and names exactly
the configured teams' Athena roles, the lake's buckets are hardened, and each granted dev
account's resource links point at the lake account's databases.
"""

from __future__ import annotations

from typing import Any

import pytest

from platform_composition.config import AccountRole, Environment, load_platform_config
from platform_composition.naming import Naming
from tests.composition.conftest import ENVIRONMENTS
from tests.terraform_state import Resource, State, as_list, statements
from tests.terraform_support import AppliedPlatform

pytestmark = pytest.mark.slow  # the session's applied sandbox (~4 min, shared with e2e)

CONFIG = load_platform_config(ENVIRONMENTS)
NAMING = Naming(CONFIG)
LAKE_ENV = NAMING.data_governance
assert LAKE_ENV is not None and LAKE_ENV.lake is not None, "the default configuration has a lake"
LAKE = LAKE_ENV.lake
LAKE_ACCOUNT = LAKE_ENV.account_id
LAKE_STACK = LAKE_ENV.name
LAKE_REGION = LAKE_ENV.region
DATA_LAKE = "data-lake"
CONSUMER = "data-lake-consumer"
GRANTED = {grant.environment: grant for grant in LAKE.grants}
DEV_ENVS = CONFIG.by_role(AccountRole.DEV)
METADATA_AND_READ = {"DESCRIBE", "SELECT"}
# Principals that would open the lake to IAM policies alone.
IAM_ALLOWED_PRINCIPALS = {"IAM_ALLOWED_PRINCIPALS", "IAMAllowedPrincipals"}


@pytest.fixture(scope="module")
def lake(applied_platform: AppliedPlatform) -> State:
    return State(applied_platform.state(LAKE_STACK))


@pytest.fixture(scope="module")
def devs(applied_platform: AppliedPlatform) -> dict[str, State]:
    return {env.name: State(applied_platform.state(env.name)) for env in DEV_ENVS}


def _expressions(terms: Any) -> dict[str, list[str]]:
    """An LF-tag expression as Terraform renders it, as key -> sorted values."""
    return {term["key"]: sorted(term["values"]) for term in terms}


def account_of(principal: str) -> str:
    """The account of an IAM principal ARN, or the principal itself when it is an account id."""
    return principal.split(":")[4] if principal.startswith("arn:") else principal


def grants(state: State) -> list[Resource]:
    found = state.resources("aws_lakeformation_permissions")
    assert found, "no aws_lakeformation_permissions rendered"
    return found


def consumer_grants(lake: State) -> list[Resource]:
    """The grants to principals of other accounts (the teams)."""
    return [g for g in grants(lake) if account_of(g["principal"]) != LAKE_ACCOUNT]


def features_bucket(lake: State) -> Resource:
    """The feature store's offline store bucket."""
    (bucket,) = [b for b in lake.resources("aws_s3_bucket") if "-features-" in b["bucket"]]
    return bucket


def test_no_grant_has_a_grant_option_all_or_iam_allowed_principals(
    lake: State, devs: dict[str, State]
) -> None:
    for state in (lake, *devs.values()):
        for grant in state.resources("aws_lakeformation_permissions"):
            assert grant.get("permissions_with_grant_option") in ([], None), grant.address
            assert "ALL" not in grant["permissions"], grant.address
            assert grant["principal"] not in IAM_ALLOWED_PRINCIPALS, grant.address


def test_team_grants_are_describe_and_select_only(lake: State) -> None:
    teams = consumer_grants(lake)
    assert teams
    for grant in teams:
        assert set(grant["permissions"]) <= METADATA_AND_READ, grant.address
    # Every other grant of the stack is the feature store role's, on its own database and
    # location only: the lake's own principals need nothing else.
    role_name = f"{NAMING.lake_name}-feature-store"
    (store_role,) = [r for r in lake.resources("aws_iam_role") if r["name"] == role_name]
    others = [g for g in grants(lake) if g not in teams]
    assert {g["principal"] for g in others} == {store_role["arn"]}, [g.address for g in others]
    store = LAKE.feature_store
    assert store is not None
    by_resource = {
        ("database", g.block("database")["name"])
        if g.get("database")
        else ("location", g.block("data_location")["arn"]): sorted(g["permissions"])
        for g in others
    }
    bucket = features_bucket(lake)
    assert by_resource == {
        ("database", store.database): ["CREATE_TABLE", "DESCRIBE"],
        ("location", bucket["arn"]): ["DATA_LOCATION_ACCESS"],
    }


def test_grants_name_exactly_the_configured_teams_athena_roles(lake: State) -> None:
    expected = {
        NAMING.lake_athena_role_arn(CONFIG.environment(name)): grant
        for name, grant in GRANTED.items()
    }
    principals = {g["principal"] for g in consumer_grants(lake)}
    assert principals == set(expected)
    for role_arn, configured in expected.items():
        mine = [g for g in grants(lake) if g["principal"] == role_arn]
        by_kind = {
            (g.block("lf_tag_policy")["resource_type"] if g.get("lf_tag_policy") else "LF_TAG"): g
            for g in mine
            if g.get("lf_tag_policy") or g.get("lf_tag")
        }
        assert set(by_kind) == {"DATABASE", "TABLE", "LF_TAG"}, [g.address for g in mine]
        assert sorted(by_kind["DATABASE"]["permissions"]) == ["DESCRIBE"]
        assert sorted(by_kind["TABLE"]["permissions"]) == sorted(configured.permissions)
        for kind in ("DATABASE", "TABLE"):
            expression = by_kind[kind].block("lf_tag_policy")["expression"]
            assert _expressions(expression) == {
                key: sorted(values) for key, values in configured.expression.items()
            }
        # DESCRIBE on the tag values of the expression, one grant per key.
        tag_grants = [g for g in mine if g.get("lf_tag")]
        assert {
            g.block("lf_tag")["key"]: sorted(g.block("lf_tag")["values"]) for g in tag_grants
        } == {key: sorted(values) for key, values in configured.expression.items()}
        assert all(sorted(g["permissions"]) == ["DESCRIBE"] for g in tag_grants)


def test_lake_settings_give_new_databases_and_tables_no_default_permissions(lake: State) -> None:
    settings = lake.one("aws_lakeformation_data_lake_settings", module=DATA_LAKE)
    assert settings.get("create_database_default_permissions") in ([], None)
    assert settings.get("create_table_default_permissions") in ([], None)
    assert set(LAKE.admin_principal_arns) <= set(settings["admins"])
    assert settings["parameters"] == {"CROSS_ACCOUNT_VERSION": "4"}


def _for_bucket(lake: State, type_: str, bucket: str) -> list[Resource]:
    return [r for r in lake.resources(type_) if r["bucket"] == bucket]


def lake_buckets(lake: State) -> list[Resource]:
    buckets = lake.resources("aws_s3_bucket")
    names = {b["bucket"] for b in buckets}
    assert set(lake.outputs["lake_bucket_names"].values()) <= names
    return buckets


def test_lake_buckets_are_encrypted_with_a_rotated_key(lake: State) -> None:
    keys = {k["arn"]: k for k in lake.resources("aws_kms_key")}
    for bucket in lake_buckets(lake):
        (sse,) = _for_bucket(
            lake, "aws_s3_bucket_server_side_encryption_configuration", bucket["bucket"]
        )
        (default,) = sse.block("rule")["apply_server_side_encryption_by_default"]
        assert default["sse_algorithm"] == "aws:kms", bucket.address
        key = keys[default["kms_master_key_id"]]
        assert key["enable_key_rotation"] is True, key.address
    assert lake.outputs["lake_kms_key_arn"] in keys


def test_lake_buckets_block_public_access_and_keep_versions(lake: State) -> None:
    for bucket in lake_buckets(lake):
        (block,) = _for_bucket(lake, "aws_s3_bucket_public_access_block", bucket["bucket"])
        for setting in (
            "block_public_acls",
            "block_public_policy",
            "ignore_public_acls",
            "restrict_public_buckets",
        ):
            assert block[setting] is True, (bucket.address, setting)
        (versioning,) = _for_bucket(lake, "aws_s3_bucket_versioning", bucket["bucket"])
        assert versioning.block("versioning_configuration")["status"] == "Enabled"


def test_lake_buckets_deny_every_request_without_tls(lake: State) -> None:
    for bucket in lake_buckets(lake):
        (policy,) = _for_bucket(lake, "aws_s3_bucket_policy", bucket["bucket"])
        arn = bucket["arn"]
        tls_only = [
            s
            for s in statements(policy.policy())
            if s["Effect"] == "Deny"
            and s.get("Condition", {}).get("Bool", {}).get("aws:SecureTransport")
            in ("false", ["false"])
        ]
        assert len(tls_only) == 1, bucket.address
        (statement,) = tls_only
        assert as_list(statement["Action"]) == ["s3:*"]
        assert statement["Principal"] in ("*", {"AWS": "*"})
        assert sorted(as_list(statement["Resource"])) == sorted([arn, f"{arn}/*"])


def test_lake_buckets_log_access_to_the_configured_bucket(lake: State) -> None:
    assert LAKE.access_log_bucket, "the default configuration names an access log bucket"
    for bucket in lake_buckets(lake):
        (logging,) = _for_bucket(lake, "aws_s3_bucket_logging", bucket["bucket"])
        assert logging["target_bucket"] == LAKE.access_log_bucket, bucket.address
        assert logging["target_prefix"] == f"s3/{bucket['bucket']}/", bucket.address


@pytest.mark.parametrize("env", DEV_ENVS, ids=lambda env: env.name)
def test_resource_links_point_at_the_lake_account(devs: dict[str, State], env: Environment) -> None:
    state = devs[env.name]
    shared = set(LAKE.shared_databases(env.name))
    links = state.resources("aws_glue_catalog_database", module=CONSUMER)
    if env.name not in GRANTED:
        assert not shared and not links
        # Nothing of the module, its shared blocks' resources (module.<CONSUMER>.module.*) included.
        assert not [r for r in state if r.address.startswith(f"module.{CONSUMER}.")]
        return
    assert shared
    by_target = {}
    for link in links:
        (target,) = link["target_database"]
        assert target["catalog_id"] == LAKE_ACCOUNT, link.address
        assert target["region"] == LAKE_REGION, link.address
        assert link["name"] == f"lake_{target['database_name']}"
        by_target[target["database_name"]] = link["name"]
    assert set(by_target) == shared
    assert state.outputs["lake_resource_link_names"] == by_target


@pytest.mark.parametrize("env", [CONFIG.environment(n) for n in GRANTED], ids=lambda e: e.name)
def test_dev_stacks_grant_only_describe_on_their_links(
    devs: dict[str, State], env: Environment
) -> None:
    """The lake grants the Athena role itself: a dev stack re-grants nothing of the lake's."""
    state = devs[env.name]
    role_arn = NAMING.lake_athena_role_arn(env)
    athena_role = state.one("aws_iam_role", module=CONSUMER)
    assert athena_role["arn"] == role_arn
    link_grants = state.resources("aws_lakeformation_permissions", module=CONSUMER)
    assert link_grants
    for grant in link_grants:
        assert grant["principal"] == role_arn
        assert grant["permissions"] == ["DESCRIBE"]
        (database,) = grant["database"]
        assert database["catalog_id"] == env.account_id
        assert database["name"].startswith("lake_")


def test_feature_groups_are_shared_read_only_inside_the_organization(lake: State) -> None:
    store = LAKE.feature_store
    assert store is not None and store.groups, "the default configuration has a feature store"
    shares = {share["name"]: share for share in lake.resources("aws_ram_resource_share")}
    assert all(share["allow_external_principals"] is False for share in shares.values())
    expected_accounts = {
        CONFIG.environment(env).account_id for group in store.groups for env in group.shared_with
    }
    catalog = shares[f"{NAMING.lake_name}-feature-catalog"]
    assert [arn.rsplit("/", 1)[-1] for arn in catalog["permission_arns"]] == [
        "AWSRAMPermissionSageMakerCatalogResourceSearch"
    ]
    associations = lake.resources("aws_ram_principal_association")
    by_share: dict[str, set[str]] = {}
    for association in associations:
        by_share.setdefault(association["resource_share_arn"], set()).add(association["principal"])
    assert by_share[catalog["arn"]] == expected_accounts
    resources = lake.resources("aws_ram_resource_association")
    for account in expected_accounts:
        share = shares[f"{NAMING.lake_name}-feature-groups-{account}"]
        assert [arn.rsplit("/", 1)[-1] for arn in share["permission_arns"]] == [
            "AWSRAMPermissionSageMakerFeatureGroupReadOnly"
        ]
        assert by_share[share["arn"]] == {account}
        shared = {r["resource_arn"] for r in resources if r["resource_share_arn"] == share["arn"]}
        assert shared == {
            NAMING.feature_group_arn(group.name)
            for group in store.groups
            if account in {CONFIG.environment(env).account_id for env in group.shared_with}
        }


def test_feature_group_offline_stores_are_in_the_governed_lake(lake: State) -> None:
    store = LAKE.feature_store
    assert store is not None
    kms_key = lake.resource(f"module.{DATA_LAKE}.module.kms_key.aws_kms_key.this")
    bucket = features_bucket(lake)
    registered = {r["arn"] for r in lake.resources("aws_lakeformation_resource")}
    assert bucket["arn"] in registered
    for group in store.groups:
        (rendered,) = [
            r
            for r in lake.resources("aws_sagemaker_feature_group")
            if r["feature_group_name"] == group.name
        ]
        offline = rendered.block("offline_store_config")
        assert offline["disable_glue_table_creation"] is False
        assert as_list(offline["data_catalog_config"])[0]["database"] == store.database
        storage = as_list(offline["s3_storage_config"])[0]
        assert storage["s3_uri"].startswith(f"s3://{bucket['bucket']}/")
        assert storage["kms_key_id"] == kms_key["arn"]
        if group.online:
            online = rendered.block("online_store_config")
            assert as_list(online["security_config"])[0]["kms_key_id"] == kms_key["arn"]
