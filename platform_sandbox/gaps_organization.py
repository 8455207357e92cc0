"""The organization the configuration describes, inside the simulator (gap `organization-baseline`).

In AWS the platform is applied into accounts of an existing organization: `organization.hcl`
names its id, the management account and the workloads OU path, every environment its account
and (dev accounts) its OU; the organization's baseline has enabled trusted access for Service
Catalog and registered the hub as Service Catalog's delegated administrator, which the hub's
organization shares of the portfolios need. moto's Organizations API can build an organization,
but only with random organization, root, OU and account ids, so the configured one cannot be
created through it.

The server therefore answers one sandbox-only call, `POST /moto-api/sandbox/organization` (a
moto API route, registered by `gaps.patch_simulator` like the Lambda deliveries route), that
builds the organization in moto's own Organizations backend with the given ids: the organization
(feature set ALL) in its management account, its root, every OU on the configured paths, the
member accounts in their OUs (an account without an OU path under the root), the trusted access
and the delegated administrators asked for. Objects are created by moto's own backend methods,
so they are what the Organizations API would have created (ARNs, the FullAWSAccess policies, the
member accounts' OrganizationAccountAccessRole, each member known to the organization); only
the ids those methods would draw at random are the given ones. Service Catalog's AWS
Organizations access (`gaps_service_catalog`) is the trusted access of
servicecatalog.amazonaws.com, so enabling that trusted access makes it ENABLED.

The call is idempotent: what already stands as asked is left alone, a member account in another
OU is moved, and anything that contradicts the request (the management account managing or in
another organization, a root or OU id elsewhere, an account of another organization) is refused
with HTTP 409 and nothing changed in that part.

    seed_organization(simulator, config)   (the sandbox, `Sandbox.prepare`)
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from platform_composition.config import AccountRole
from platform_sandbox import gaps_service_catalog as service_catalog

if TYPE_CHECKING:
    from platform_composition.config import PlatformConfig
    from platform_sandbox.simulator import Simulator

SEED_PATH = "/moto-api/sandbox/organization"
SERVICE_CATALOG = service_catalog.SERVICE_PRINCIPAL
WORKLOADS_OU_NAME = "Workloads"

_LOCK = threading.RLock()
# The id the next call of one of moto's id generators returns, per thread (see `_given_id`).
_GIVEN = threading.local()
_ID_MAKERS = (
    "make_random_org_id",
    "make_random_root_id",
    "make_random_ou_id",
    "make_random_account_id",
)


class OrganizationConflict(Exception):
    """The simulator holds something that contradicts the organization asked for."""


class OrganizationSeedError(RuntimeError):
    """The organization of the configuration could not be seeded; the message says why."""


# -- the request, from the configuration (the sandbox's side) ---------------------------------


def _path_ids(path: str) -> list[str]:
    """`o-x/r-y/ou-a/ou-b/` -> ["o-x", "r-y", "ou-a", "ou-b"]."""
    return [part for part in path.split("/") if part]


def organization_request(config: PlatformConfig) -> dict[str, Any]:
    """The organization `config` describes, as the seeding call takes it.

    OUs come parent first (the workloads OU named `Workloads`, any other OU by its id); every
    environment's account other than the management account is a member, in the last OU of its
    `ou_path` or under the root. The hub is Service Catalog's delegated administrator unless it
    is the management account itself, or an organization environment's stack registers it.
    """
    org = config.organization
    paths = [org.workloads_ou_path] + [env.ou_path for env in config.environments if env.ou_path]
    roots = {_path_ids(path)[1] for path in paths}
    if len(roots) != 1:
        raise OrganizationSeedError(
            f"the OU paths of {org.file.parent} name more than one root "
            f"({', '.join(sorted(roots))}); an organization has one"
        )
    (root_id,) = roots
    workloads_ou = _path_ids(org.workloads_ou_path)[-1]
    units: dict[str, dict[str, str]] = {}
    for path in paths:
        parent = root_id
        for ou_id in _path_ids(path)[2:]:
            name = WORKLOADS_OU_NAME if ou_id == workloads_ou else ou_id
            units.setdefault(ou_id, {"id": ou_id, "name": name, "parent_id": parent})
            parent = ou_id
    accounts = [
        {
            "id": env.account_id,
            "name": env.name,
            "email": f"aws+{org.name_prefix}-{env.name}@example.com",
            "parent_id": _path_ids(env.ou_path)[-1] if env.ou_path else root_id,
        }
        for env in config.environments
        if env.account_id != org.management_account_id
    ]
    hub = config.shared_services.account_id
    # An organization environment that registers the hub does it with Terraform (its stack is
    # applied first); otherwise the baseline outside the platform has done it.
    managed_by_stack = any(
        env.guardrails is not None and env.guardrails.register_service_catalog_admin
        for env in config.by_role(AccountRole.ORGANIZATION)
    )
    delegate = hub != org.management_account_id and not managed_by_stack
    return {
        "partition": org.partition,
        "region": org.home_region,
        "organization_id": org.organization_id,
        "management_account": {
            "id": org.management_account_id,
            "email": f"aws+{org.name_prefix}-management@example.com",
        },
        "root_id": root_id,
        "organizational_units": list(units.values()),
        "accounts": accounts,
        "trusted_services": [] if managed_by_stack else [SERVICE_CATALOG],
        "delegated_administrators": (
            [{"account_id": hub, "service_principal": SERVICE_CATALOG}] if delegate else []
        ),
    }


def seed_organization(sim: Simulator, config: PlatformConfig) -> dict[str, Any]:
    """Seed the organization `config` describes into the running simulator; returns what its
    Organizations backend then holds (`describe`)."""
    import requests

    response = requests.post(
        sim.endpoint_url + SEED_PATH,
        data=json.dumps(organization_request(config)),
        headers={"Content-Type": "application/json"},
        verify=sim.ca_bundle,
        timeout=60,
    )
    if response.status_code != 200:
        raise OrganizationSeedError(
            f"the simulator refused the organization of {config.organization.file} "
            f"(HTTP {response.status_code}): {response.text}"
        )
    result: dict[str, Any] = response.json()
    return result


# -- the seeding (server process) -------------------------------------------------------------


def _install_given_ids() -> None:
    """Let moto's id generators return a given id for one call (idempotent per process)."""
    from moto.organizations import utils

    if getattr(utils, "sandbox_given_ids", False):
        return

    def given_or(name: str, original: Callable[..., str]) -> Callable[..., str]:
        def make(*args: Any) -> str:
            given: str | None = getattr(_GIVEN, name, None)
            if given is None:
                return original(*args)
            setattr(_GIVEN, name, None)
            return given

        make.__name__ = name
        return make

    for name in _ID_MAKERS:
        setattr(utils, name, given_or(name, getattr(utils, name)))
    utils.sandbox_given_ids = True  # type: ignore[attr-defined]


@contextmanager
def _given_id(**ids: str) -> Iterator[None]:
    """moto's `make_random_<kind>_id` returns these ids (once each) in this thread."""
    for kind, value in ids.items():
        setattr(_GIVEN, f"make_random_{kind}_id", value)
    try:
        yield
    finally:
        for kind in ids:
            setattr(_GIVEN, f"make_random_{kind}_id", None)


def _create_organization(backend: Any, request: dict[str, Any]) -> None:
    """The organization, its root and management account, with the given ids and e-mail."""
    from moto.organizations.models import organizations_backends

    other = organizations_backends.master_accounts.get(backend.account_id)
    if other is not None:
        raise OrganizationConflict(
            f"account {backend.account_id} is a member of the organization of account "
            f"{other[0]}, not the management account of {request['organization_id']}"
        )
    with _given_id(org=request["organization_id"], root=request["root_id"]):
        backend.create_organization(region=request["region"], FeatureSet="ALL")
    email = request["management_account"]["email"]
    backend.org.master_account_email = email
    backend.get_account_by_id(backend.account_id).email = email


def _ensure_organization(backend: Any, request: dict[str, Any]) -> None:
    if backend.org is None:
        _create_organization(backend, request)
    org, org_id, root_id = backend.org, request["organization_id"], request["root_id"]
    if org.id != org_id:
        raise OrganizationConflict(
            f"account {backend.account_id} manages organization {org.id}, not {org_id}"
        )
    if org.root_id != root_id:
        raise OrganizationConflict(f"organization {org_id} has root {org.root_id}, not {root_id}")
    if org.feature_set != "ALL":
        raise OrganizationConflict(
            f"organization {org_id} has feature set {org.feature_set}, not ALL"
        )


def _ensure_units(backend: Any, units: list[dict[str, str]]) -> None:
    for unit in units:
        existing = next((ou for ou in backend.ou if ou.id == unit["id"]), None)
        if existing is not None:
            if existing.parent_id != unit["parent_id"]:
                raise OrganizationConflict(
                    f"OU {unit['id']} is under {existing.parent_id}, not {unit['parent_id']}"
                )
            continue
        backend.validate_parent_id(unit["parent_id"])
        with _given_id(ou=unit["id"]):
            backend.create_organizational_unit(Name=unit["name"], ParentId=unit["parent_id"])


def _ensure_accounts(backend: Any, accounts: list[dict[str, str]]) -> None:
    from moto.organizations.models import organizations_backends

    for account in accounts:
        backend.validate_parent_id(account["parent_id"])
        held = next((a for a in backend.accounts if a.id == account["id"]), None)
        if held is None:
            other = organizations_backends.master_accounts.get(account["id"])
            if other is not None or organizations_backends[account["id"]][backend.partition].org:
                raise OrganizationConflict(
                    f"account {account['id']} belongs to another organization"
                )
            with _given_id(account=account["id"]):
                backend.create_account(AccountName=account["name"], Email=account["email"])
            held = backend.get_account_by_id(account["id"])
        if held.parent_id != account["parent_id"]:
            backend.move_account(
                AccountId=held.id,
                SourceParentId=held.parent_id,
                DestinationParentId=account["parent_id"],
            )


def _ensure_delegations(backend: Any, delegations: list[dict[str, str]]) -> None:
    for delegation in delegations:
        account, service = delegation["account_id"], delegation["service_principal"]
        if any(a.account.id == account and service in a.services for a in backend.admins):
            continue
        backend.register_delegated_administrator(AccountId=account, ServicePrincipal=service)


def describe(backend: Any) -> dict[str, Any]:
    """What the organization of `backend` (its management account's) holds."""
    org = backend.org
    access = service_catalog.organization_of(backend.account_id, backend.partition)
    return {
        "organization": org.describe()["Organization"],
        "root_id": org.root_id,
        "organizational_units": [
            {"id": ou.id, "name": ou.name, "parent_id": ou.parent_id, "arn": ou.arn}
            for ou in backend.ou
            if ou.type == "ORGANIZATIONAL_UNIT"
        ],
        "accounts": [
            {"id": account.id, "name": account.name, "parent_id": account.parent_id}
            for account in backend.accounts
        ],
        "trusted_services": [s["ServicePrincipal"] for s in backend.services],
        "delegated_administrators": {
            admin.account.id: sorted(admin.services) for admin in backend.admins
        },
        "servicecatalog_organizations_access": (
            "ENABLED" if access is not None and access.access_enabled else "DISABLED"
        ),
    }


def seed(request: dict[str, Any]) -> dict[str, Any]:
    """Create (or complete) the organization `request` describes in moto's Organizations."""
    from moto.organizations.models import organizations_backends

    _install_given_ids()
    with _LOCK:
        backend = organizations_backends[request["management_account"]["id"]][
            request.get("partition", "aws")
        ]
        _ensure_organization(backend, request)
        _ensure_units(backend, request.get("organizational_units", []))
        _ensure_accounts(backend, request.get("accounts", []))
        for service in request.get("trusted_services", []):
            backend.enable_aws_service_access(ServicePrincipal=service)
        _ensure_delegations(backend, request.get("delegated_administrators", []))
        return describe(backend)


def _seed_route(request: Any, full_url: str, headers: Any) -> tuple[int, dict[str, str], str]:
    from moto.core.exceptions import ServiceException

    json_type = {"Content-Type": "application/json"}
    if request.method != "POST":
        return 405, json_type, json.dumps({"error": "only POST seeds the organization"})
    try:
        body = json.loads(request.get_data() or b"{}")
        return 200, json_type, json.dumps(seed(body), default=str)
    except OrganizationConflict as conflict:
        return 409, json_type, json.dumps({"error": "Conflict", "message": str(conflict)})
    except ServiceException as error:  # what moto's Organizations refused
        return 400, json_type, json.dumps({"error": error.code, "message": error.message})
    except (KeyError, TypeError, ValueError) as malformed:
        return 400, json_type, json.dumps({"error": "BadRequest", "message": repr(malformed)})


def patch_organizations() -> None:
    """Register the seeding route and the given-id generators (server process only)."""
    from moto.moto_api._internal import urls

    _install_given_ids()
    urls.url_paths["{0}" + SEED_PATH] = _seed_route
