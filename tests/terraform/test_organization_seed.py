"""The organization of the default configuration, seeded into a fresh simulator.

`Sandbox.prepare` seeds the organization `environments/organization.hcl` describes (gap
`organization-baseline`, `platform_sandbox/gaps_organization.py`) before anything else: its id and
management account, the root and OUs of `workloads_ou_path` with their ids, every environment's
account in its OU, and (when no organization environment of the platform does it with
Terraform) trusted access for Service Catalog and the hub as its delegated administrator. What
the Organizations API then reports is read back with boto3, as the management account and as the
hub, and the hub shares a portfolio with the workloads OU by its ARN as the
service-catalog-portfolios module does. No Terraform is needed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import requests
from botocore.exceptions import ClientError

from platform_composition.config import AccountRole, PlatformConfig, load_platform_config
from platform_sandbox import gaps, simulator
from platform_sandbox.gaps_organization import (
    SEED_PATH,
    OrganizationSeedError,
    organization_request,
    seed_organization,
)
from platform_sandbox.organization import Sandbox, SandboxError
from platform_sandbox.simulator import Simulator

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ORGANIZATION_ID = "o-a1b2c3d4e5"
ROOT_ID = "r-ab12"
WORKLOADS_OU = "ou-ab12-11111111"
MANAGEMENT = "999999999999"
HUB = "111111111111"
DEV_ACCOUNTS = {"222222222222", "333333333333"}
OTHER_MEMBERS = {HUB, "444444444444", "555555555555", "666666666666"}
SERVICE_CATALOG = "servicecatalog.amazonaws.com"
WORKLOADS_OU_ARN = f"arn:aws:organizations::{MANAGEMENT}:ou/{ORGANIZATION_ID}/{WORKLOADS_OU}"


@pytest.fixture(scope="module")
def default_config() -> PlatformConfig:
    return load_platform_config(PROJECT_ROOT / "environments")


@pytest.fixture(scope="module")
def config(default_config: PlatformConfig) -> PlatformConfig:
    """The default configuration without its organization environment: an organization whose
    baseline (Service Catalog's trusted access and delegated administrator) lies outside the
    platform, so the seed holds it."""
    return replace(
        default_config,
        environments=tuple(
            env for env in default_config.environments if env.role is not AccountRole.ORGANIZATION
        ),
    )


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    seeded = Sandbox(tmp_path_factory.mktemp("organization-seed"), progress=lambda _: None)
    running = seeded.start_simulator()
    try:
        yield seeded
    finally:
        simulator.stop(running)


@pytest.fixture(scope="module")
def sim(sandbox: Sandbox, config: PlatformConfig) -> Simulator:
    """The simulator after `prepare`'s first step: the organization seeded."""
    sandbox._seed_organization(config)
    return sandbox.simulator


def organizations(sim: Simulator, account: str = MANAGEMENT) -> Any:
    return sim.client(sim.session(account, "eu-west-1"), "organizations")


def accounts_under(org: Any, parent: str) -> set[str]:
    listed = org.list_accounts_for_parent(ParentId=parent)["Accounts"]
    return {account["Id"] for account in listed}


def test_the_request_is_the_configured_organization(config: PlatformConfig) -> None:
    request = organization_request(config)
    assert (request["organization_id"], request["root_id"]) == (ORGANIZATION_ID, ROOT_ID)
    assert request["management_account"]["id"] == MANAGEMENT
    assert request["organizational_units"] == [
        {"id": WORKLOADS_OU, "name": "Workloads", "parent_id": ROOT_ID}
    ]
    parents = {account["id"]: account["parent_id"] for account in request["accounts"]}
    assert parents == {
        **dict.fromkeys(DEV_ACCOUNTS, WORKLOADS_OU),
        **dict.fromkeys(OTHER_MEMBERS, ROOT_ID),
    }
    assert request["delegated_administrators"] == [
        {"account_id": HUB, "service_principal": SERVICE_CATALOG}
    ]
    assert request["trusted_services"] == [SERVICE_CATALOG]


def test_an_organization_stack_that_registers_the_hub_keeps_the_seed_from_it(
    default_config: PlatformConfig,
) -> None:
    """The management stack enables Service Catalog's access and registers the hub itself (the
    sandbox applies it first); a seeded registration would make its create fail."""
    (management,) = default_config.by_role(AccountRole.ORGANIZATION)
    assert management.guardrails is not None
    assert management.guardrails.register_service_catalog_admin
    request = organization_request(default_config)
    assert (request["trusted_services"], request["delegated_administrators"]) == ([], [])
    # Its account is the management account: seeded as such, never as a member.
    assert management.account_id == request["management_account"]["id"]
    assert management.account_id not in {account["id"] for account in request["accounts"]}


def test_the_request_follows_ou_paths_and_refuses_a_second_root(config: PlatformConfig) -> None:
    deeper = f"{ORGANIZATION_ID}/{ROOT_ID}/{WORKLOADS_OU}/ou-ab12-22222222/"
    dev = config.by_role(AccountRole.DEV)[0]
    moved = replace(
        config,
        environments=tuple(
            replace(env, ou_path=deeper) if env is dev else env for env in config.environments
        ),
    )
    request = organization_request(moved)
    assert request["organizational_units"][-1] == {
        "id": "ou-ab12-22222222",
        "name": "ou-ab12-22222222",
        "parent_id": WORKLOADS_OU,
    }
    parents = {account["id"]: account["parent_id"] for account in request["accounts"]}
    assert parents[dev.account_id] == "ou-ab12-22222222"
    other_root = replace(
        config,
        environments=tuple(
            replace(env, ou_path=f"{ORGANIZATION_ID}/r-zz99/") if env is dev else env
            for env in config.environments
        ),
    )
    with pytest.raises(OrganizationSeedError, match="more than one root"):
        organization_request(other_root)


def test_the_organization_has_the_configured_ids(sim: Simulator) -> None:
    for account in (MANAGEMENT, HUB):
        described = organizations(sim, account).describe_organization()["Organization"]
        assert described["Id"] == ORGANIZATION_ID
        assert described["MasterAccountId"] == MANAGEMENT
        assert described["FeatureSet"] == "ALL"
        assert described["Arn"] == (
            f"arn:aws:organizations::{MANAGEMENT}:organization/{ORGANIZATION_ID}"
        )
    (root,) = organizations(sim, HUB).list_roots()["Roots"]
    assert root["Id"] == ROOT_ID


def test_the_workloads_ou_holds_the_dev_accounts(sim: Simulator) -> None:
    org = organizations(sim)
    (unit,) = org.list_organizational_units_for_parent(ParentId=ROOT_ID)["OrganizationalUnits"]
    assert (unit["Id"], unit["Name"], unit["Arn"]) == (WORKLOADS_OU, "Workloads", WORKLOADS_OU_ARN)
    assert accounts_under(org, WORKLOADS_OU) == DEV_ACCOUNTS
    assert accounts_under(org, ROOT_ID) == OTHER_MEMBERS | {MANAGEMENT}
    for account in DEV_ACCOUNTS:
        (parent,) = org.list_parents(ChildId=account)["Parents"]
        assert parent == {"Id": WORKLOADS_OU, "Type": "ORGANIZATIONAL_UNIT"}
    listed = {account["Id"] for account in org.list_accounts()["Accounts"]}
    assert listed == DEV_ACCOUNTS | OTHER_MEMBERS | {MANAGEMENT}


def test_the_hub_administers_service_catalog_for_the_organization(sim: Simulator) -> None:
    org = organizations(sim)
    delegated = org.list_delegated_administrators(ServicePrincipal=SERVICE_CATALOG)
    assert [admin["Id"] for admin in delegated["DelegatedAdministrators"]] == [HUB]
    enabled = org.list_aws_service_access_for_organization()["EnabledServicePrincipals"]
    assert SERVICE_CATALOG in [service["ServicePrincipal"] for service in enabled]
    catalog = sim.client(sim.session(HUB, "eu-west-1"), "servicecatalog")
    assert catalog.get_aws_organizations_access_status()["AccessStatus"] == "ENABLED"


def test_the_hub_shares_a_portfolio_with_the_workloads_ou(sim: Simulator) -> None:
    catalog = sim.client(sim.session(HUB, "eu-west-1"), "servicecatalog")
    portfolio = catalog.create_portfolio(DisplayName="seeded", ProviderName="checks")
    portfolio_id = portfolio["PortfolioDetail"]["Id"]
    node = {"Type": "ORGANIZATIONAL_UNIT", "Value": WORKLOADS_OU_ARN}
    token = catalog.create_portfolio_share(
        PortfolioId=portfolio_id, OrganizationNode=node, SharePrincipals=True
    )["PortfolioShareToken"]
    status = catalog.describe_portfolio_share_status(PortfolioShareToken=token)
    assert status["Status"] == "COMPLETED"
    assert set(status["ShareDetails"]["SuccessfulShares"]) == DEV_ACCOUNTS
    (share,) = catalog.describe_portfolio_shares(
        PortfolioId=portfolio_id, Type="ORGANIZATIONAL_UNIT"
    )["PortfolioShareDetails"]
    assert (share["PrincipalId"], share["Accepted"]) == (WORKLOADS_OU, True)
    # A test account is no delegated administrator: it cannot share with the organization.
    test_catalog = sim.client(sim.session("444444444444", "eu-west-1"), "servicecatalog")
    with pytest.raises(ClientError) as not_admin:
        test_catalog.create_portfolio_share(
            PortfolioId=portfolio_id, OrganizationNode=node, SharePrincipals=True
        )
    assert not_admin.value.response["Error"]["Code"] in (
        "OperationNotSupportedException",
        "ResourceNotFoundException",
    )
    catalog.delete_portfolio_share(PortfolioId=portfolio_id, OrganizationNode=node)
    catalog.delete_portfolio(Id=portfolio_id)


def test_seeding_again_changes_nothing(
    sandbox: Sandbox, sim: Simulator, config: PlatformConfig
) -> None:
    before = seed_organization(sim, config)
    sandbox._seed_organization(config)
    after = seed_organization(sim, config)
    assert after == before
    assert after["servicecatalog_organizations_access"] == "ENABLED"
    assert after["delegated_administrators"] == {HUB: [SERVICE_CATALOG]}
    org = organizations(sim)
    assert accounts_under(org, WORKLOADS_OU) == DEV_ACCOUNTS
    assert (
        len(org.list_organizational_units_for_parent(ParentId=ROOT_ID)["OrganizationalUnits"]) == 1
    )
    enabled = org.list_aws_service_access_for_organization()["EnabledServicePrincipals"]
    assert [s["ServicePrincipal"] for s in enabled].count(SERVICE_CATALOG) == 1


def test_a_contradicting_organization_is_refused(
    sandbox: Sandbox, sim: Simulator, config: PlatformConfig
) -> None:
    def post(request: dict[str, Any]) -> requests.Response:
        return requests.post(
            sim.endpoint_url + SEED_PATH,
            data=json.dumps(request),
            verify=sim.ca_bundle,
            timeout=30,
        )

    other_id = {**organization_request(config), "organization_id": "o-zzzzzzzzzz"}
    refused = post(other_id)
    assert refused.status_code == 409, refused.text
    assert "manages organization o-a1b2c3d4e5" in refused.json()["message"]
    other_parent = organization_request(config)
    other_parent["organizational_units"] = [
        {"id": WORKLOADS_OU, "name": "Workloads", "parent_id": "ou-ab12-99999999"}
    ]
    assert post(other_parent).status_code == 409
    # A member account cannot become the management account of an organization of its own.
    member_as_management = {
        **organization_request(config),
        "management_account": {"id": HUB, "email": "hub@example.com"},
    }
    assert post(member_as_management).status_code == 409
    assert (
        requests.get(sim.endpoint_url + SEED_PATH, verify=sim.ca_bundle, timeout=30).status_code
        == 405
    )
    # What was asked before still stands.
    assert accounts_under(organizations(sim), WORKLOADS_OU) == DEV_ACCOUNTS
    another = replace(config.organization, organization_id="o-zzzzzzzzzz")
    with pytest.raises(SandboxError, match="HTTP 409"):
        sandbox._seed_organization(replace(config, organization=another))


def test_the_gap_is_listed() -> None:
    (gap,) = [gap for gap in gaps.GAPS if gap.name == "organization-baseline"]
    assert "gaps_organization" in gap.sandbox
