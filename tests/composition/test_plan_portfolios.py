"""Plan-level checks of the Service Catalog portfolios (hub) and the dev side of SageMaker projects.

Asserted on what real Terraform rendered and applied (the `applied_platform` sandbox, `terraform
show -json`): both portfolios are shared to the workloads OU as organization shares with principal
sharing; the IAM_PATTERN principals match every team's lead data scientist roles and no other
team role; every product launches as the portfolio's launch role, which exists in the hub with no
permissions and in every dev account scoped to the team's project resources; each product's
first version is this platform release and later versions are separate provisioning artifacts;
the artifacts bucket is hardened and readable only from the workloads OU.
"""

from __future__ import annotations

import fnmatch
from typing import Any

import pytest

from platform_composition.config import AccountRole, load_platform_config
from platform_composition.naming import Naming
from platform_composition.products import (
    PROJECT_TEMPLATE_PRODUCTS,
    SMALL_ADMIN_PRODUCTS,
    platform_version,
)
from tests.composition.conftest import ENVIRONMENTS
from tests.terraform_state import Resource, State, as_list, condition_values, statements
from tests.terraform_support import AppliedPlatform

pytestmark = pytest.mark.slow  # the session's applied sandbox (shared with e2e)

CONFIG = load_platform_config(ENVIRONMENTS)
NAMING = Naming(CONFIG)
HUB = CONFIG.shared_services
DEVS = CONFIG.by_role(AccountRole.DEV)
PORTFOLIOS = "service-catalog-portfolios"
# The artifacts bucket is the shared s3-bucket block's, called by the portfolios module.
ARTIFACTS_BUCKET = f"module.{PORTFOLIOS}.module.artifacts_bucket"
WORKSPACE = "ml-workspace"
OU_ID = CONFIG.organization.workloads_ou_path.rstrip("/").rsplit("/", 1)[-1]


@pytest.fixture(scope="module")
def hub(applied_platform: AppliedPlatform) -> State:
    return State(applied_platform.state(HUB.name))


@pytest.fixture(scope="module")
def devs(applied_platform: AppliedPlatform) -> dict[str, State]:
    return {env.name: State(applied_platform.state(env.name)) for env in DEVS}


def _portfolio_names(hub: State) -> dict[str, str]:
    """Portfolio id -> display name."""
    return {p["id"]: p["name"] for p in hub.resources("aws_servicecatalog_portfolio")}


def test_both_portfolios_are_shared_to_the_workloads_ou_with_principal_sharing(hub: State) -> None:
    names = _portfolio_names(hub)
    assert sorted(names.values()) == ["ML Admin Portfolio", "SageMaker Projects Portfolio"]
    shares = hub.resources("aws_servicecatalog_portfolio_share", module=PORTFOLIOS)
    assert sorted(names[s["portfolio_id"]] for s in shares) == sorted(names.values())
    for share in shares:
        assert share["type"] == "ORGANIZATIONAL_UNIT", share.address
        # Created with the OU's ARN (it carries the management account); read back as the OU id.
        assert share["principal_id"].rsplit("/", 1)[-1] == OU_ID, share.address
        assert share["share_principals"] is True, share.address
        assert share["share_tag_options"] is True, share.address


def _role_names(state: State) -> list[str]:
    return [r["name"] for r in state.resources("aws_iam_role")]


def test_principal_patterns_match_each_teams_lead_roles_and_no_other(
    hub: State, devs: dict[str, State]
) -> None:
    associations = hub.resources(
        "aws_servicecatalog_principal_portfolio_association", module=PORTFOLIOS
    )
    names = _portfolio_names(hub)
    assert sorted(names[a["portfolio_id"]] for a in associations) == sorted(names.values())
    for association in associations:
        assert association["principal_type"] == "IAM_PATTERN"
        pattern = association["principal_arn"]
        # Account-less ARN: principal sharing applies it in every account of the OU.
        assert pattern.startswith("arn:aws:iam:::role/"), pattern
        for env in DEVS:
            workspace = NAMING.workspace_name(env)
            matched = {
                name
                for name in _role_names(devs[env.name])
                if fnmatch.fnmatchcase(f"arn:aws:iam:::role/{name}", pattern)
            }
            assert matched == {
                f"{workspace}-lead-data-scientist",
                f"{workspace}-studio-lead-data-scientist",
            }, f"{pattern} in {env.name}"


def test_every_product_launches_as_its_portfolios_launch_role(hub: State) -> None:
    names = _portfolio_names(hub)
    expected = {
        "ML Admin Portfolio": NAMING.ml_admin_launch_role_name,
        "SageMaker Projects Portfolio": NAMING.sagemaker_projects_launch_role_name,
    }
    constraints = hub.resources("aws_servicecatalog_constraint", module=PORTFOLIOS)
    products = hub.resources("aws_servicecatalog_product", module=PORTFOLIOS)
    assert (
        len(constraints)
        == len(products)
        == (len(PROJECT_TEMPLATE_PRODUCTS) + len(SMALL_ADMIN_PRODUCTS) + 1)
    )
    assert {c["product_id"] for c in constraints} == {p["id"] for p in products}
    for constraint in constraints:
        assert constraint["type"] == "LAUNCH"
        assert constraint.document("parameters") == {
            "LocalRoleName": expected[names[constraint["portfolio_id"]]]
        }


def test_hub_launch_roles_exist_and_grant_nothing(hub: State) -> None:
    roles = {r["name"]: r for r in hub.resources("aws_iam_role", module=PORTFOLIOS)}
    for name in (NAMING.ml_admin_launch_role_name, NAMING.sagemaker_projects_launch_role_name):
        role = roles[name]
        assert role["path"] == "/", "LocalRoleName names a role at path /"
        principals = [
            p
            for s in statements(role.policy("assume_role_policy"))
            for p in as_list(s["Principal"].get("Service"))
        ]
        assert "servicecatalog.amazonaws.com" in principals
    attached = [
        r["role"]
        for kind in ("aws_iam_role_policy", "aws_iam_role_policy_attachment")
        for r in hub.resources(kind, module=PORTFOLIOS)
    ]
    assert not set(attached) & {
        NAMING.ml_admin_launch_role_name,
        NAMING.sagemaker_projects_launch_role_name,
    }


def test_dev_launch_role_is_scoped_to_the_teams_project_resources(devs: dict[str, State]) -> None:
    for env in DEVS:
        state = devs[env.name]
        workspace = NAMING.workspace_name(env)
        role = next(
            r
            for r in state.resources("aws_iam_role", module=WORKSPACE)
            if r["name"] == NAMING.sagemaker_projects_launch_role_name
        )
        assert role["path"] == "/"
        trust = statements(role.policy("assume_role_policy"))
        assert {p for s in trust for p in as_list(s["Principal"]["Service"])} == {
            "servicecatalog.amazonaws.com",
            "cloudformation.amazonaws.com",
        }
        assert all(condition_values(s, "aws:SourceAccount") == [env.account_id] for s in trust)
        (inline,) = [
            p
            for p in state.resources("aws_iam_role_policy", module=WORKSPACE)
            if p["role"] == role["name"]
        ]
        for item in statements(inline.policy()):
            if item["Sid"] in (
                "ReadTemplates",
                "ReadServiceCatalogTemplateCopies",
                "ManageProjectStacks",
            ):
                continue
            for resource in as_list(item["Resource"]):
                assert resource != "*", f"{env.name}: {item['Sid']} on *"
                assert (
                    f":{workspace}-" in resource
                    or f"/{workspace}-" in resource
                    or f"parameter{NAMING.PROJECT_SETTINGS_PATH}" in resource
                    or resource.startswith(("arn:aws:kms:", "arn:aws:codeconnections:"))
                ), f"{env.name}: {item['Sid']} reaches {resource}"


def test_first_versions_are_this_release_and_the_product_is_never_replaced(hub: State) -> None:
    release = platform_version()
    for product in hub.resources("aws_servicecatalog_product", module=PORTFOLIOS):
        (first,) = product["provisioning_artifact_parameters"]
        assert first["name"] == release, product.address
        # The content's digest lets the publishing pipeline recognize this version.
        assert "(sha256:" in first["description"], product.address
        assert first["template_url"].startswith(
            f"https://{NAMING.portfolio_artifacts_bucket_name}.s3."
        )
    # CloudFormation products are checked by Service Catalog; Terraform ones are not templates.
    types = {p["name"]: p["type"] for p in hub.resources("aws_servicecatalog_product")}
    assert types["Team ML workspace"] == HUB.service_catalog.workspace_product_type  # type: ignore[union-attr]


def _bucket_policy(hub: State) -> dict[str, Any]:
    policy: Resource = hub.resource(f"{ARTIFACTS_BUCKET}.aws_s3_bucket_policy.this")
    return policy.policy()


def test_artifacts_bucket_is_readable_only_from_the_workloads_ou(hub: State) -> None:
    document = _bucket_policy(hub)
    by_sid = {s["Sid"]: s for s in statements(document)}
    assert by_sid["DenyInsecureTransport"]["Effect"] == "Deny"
    read = by_sid["WorkloadsReadTemplatesAndSeedCode"]
    assert condition_values(read, "aws:PrincipalOrgID") == [CONFIG.organization.organization_id]
    assert condition_values(read, "aws:PrincipalOrgPaths") == [
        f"{CONFIG.organization.workloads_ou_path}*"
    ]
    assert sorted(as_list(read["Resource"])) == sorted(
        f"arn:aws:s3:::{NAMING.portfolio_artifacts_bucket_name}/{prefix}*"
        for prefix in ("templates/", "seed-code/")
    )
    encryption = hub.resource(
        f"{ARTIFACTS_BUCKET}.aws_s3_bucket_server_side_encryption_configuration.this"
    )
    rule = encryption["rule"][0]["apply_server_side_encryption_by_default"][0]
    assert rule["sse_algorithm"] == "aws:kms"
    key = hub.resource(f"module.{PORTFOLIOS}.module.kms_key.aws_kms_key.this")
    assert key["enable_key_rotation"] is True


def test_dev_domains_offer_the_hubs_studio_templates(devs: dict[str, State]) -> None:
    for env in DEVS:
        domain = devs[env.name].one("aws_sagemaker_domain", module=WORKSPACE)
        assert (
            domain["tags"]["sagemaker:projectS3TemplatesLocation"]
            == NAMING.studio_templates_s3_location
        )
