"""AWS Service Catalog (the administrator's side) in the simulator.

moto 5.2 implements Service Catalog portfolios, portfolio shares and products only in part:
portfolio and product ids are UUIDs, a product gets no provisioning artifact, a missing
portfolio is an empty answer instead of ResourceNotFoundException, shares to organization nodes
are strings parsed back from an invented token and are never checked against the organization,
and it has no DescribeProductAsAdmin, UpdatePortfolio, UpdateProduct, provisioning artifacts,
product-portfolio associations, constraints, TagOptions, principal associations, share status
or AWS Organizations access. These patches (server process only, registered by
`gaps.patch_simulator`; the gaps are listed in `gaps.GAPS`) replace every administrator action
the Terraform provider calls with one catalog per account and region that keeps what each
request set and answers as Service Catalog does: AWS's id formats (`port-`, `prod-`, `pa-`,
`cons-`, `tag-`, `share-` and 13 lower-case letters or digits), its validations and its error
codes (ResourceNotFoundException, DuplicateResourceException, InvalidParametersException,
LimitExceededException, ResourceInUseException, InvalidStateException,
OperationNotSupportedException). The error codes are those the API reference lists for each
action; the messages are the simulator's own.

What is checked as in AWS: a CloudFormation template read from a bucket the simulator holds
(unless template validation is disabled), the launch role a LAUNCH constraint names (it must
exist in the account), the shape of every constraint type, principal ARNs of type IAM and
IAM_PATTERN (at most 10 IAM_PATTERN principals per portfolio), organization shares (only from
the management account or a delegated administrator of Service Catalog, with AWS Organizations
access enabled, to a node of the caller's organization, principal sharing only to an
organization or OU), and the references that keep a portfolio, product, artifact or TagOption
from being deleted. AWS Organizations access is the trusted access of
`servicecatalog.amazonaws.com` in moto's Organizations, so it is the same state Organizations
reports.

Nothing is provisioned: there is no ProvisionProduct, no CloudFormation stack or Terraform engine
run behind a product, a constraint or TagOption is never applied to a launch, and a share
imports nothing into the recipient accounts (only AcceptPortfolioShare of an account share is
answered there).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
import secrets
import string
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlparse

SERVICE_PRINCIPAL = "servicecatalog.amazonaws.com"
_ID_ALPHABET = string.ascii_lowercase + string.digits
ID_LENGTH = 13
MAX_IAM_PATTERN_PRINCIPALS = 10  # per portfolio (AssociatePrincipalWithPortfolio)
MAX_ARTIFACTS_PER_PRODUCT = 100  # "versions per product" quota
DEFAULT_PAGE_SIZE = 20
PRODUCT_TYPES = ("CLOUD_FORMATION_TEMPLATE", "TERRAFORM_OPEN_SOURCE", "TERRAFORM_CLOUD", "EXTERNAL")
CONSTRAINT_TYPES = ("LAUNCH", "NOTIFICATION", "RESOURCE_UPDATE", "STACKSET", "TEMPLATE")
# DescribePortfolioShares types, by the OrganizationNode type they are created with.
SHARE_TYPE_OF_NODE = {
    "ORGANIZATION": "ORGANIZATION",
    "ORGANIZATIONAL_UNIT": "ORGANIZATIONAL_UNIT",
    "ACCOUNT": "ORGANIZATION_MEMBER_ACCOUNT",
}
SHARE_TYPES = ("ACCOUNT", *SHARE_TYPE_OF_NODE.values())

_IAM_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:(user|role|group)/[\w+=,.@/-]{1,512}$")
_IAM_PATTERN_ARN = re.compile(r"^arn:aws[a-z-]*:iam:::(user|role|group)/[\w+=,.@/*?-]{1,512}$")
_S3_HOST = re.compile(
    r"^(?:(?P<bucket>[a-z0-9][a-z0-9.-]*?)\.)?s3(?:[.-](?P<region>[a-z0-9-]+))?"
    r"\.amazonaws\.com(?:\.cn)?$"
)


def new_id(prefix: str) -> str:
    """`<prefix>-` and 13 lower-case letters or digits, as Service Catalog's ids."""
    return f"{prefix}-" + "".join(secrets.choice(_ID_ALPHABET) for _ in range(ID_LENGTH))


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def _tag_list(tags: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": key, "Value": value} for key, value in tags.items()]


@dataclass
class Portfolio:
    id: str
    arn: str
    display_name: str
    provider_name: str
    description: str | None
    created: datetime.datetime
    tags: dict[str, str] = field(default_factory=dict)

    def detail(self) -> dict[str, Any]:
        detail: dict[str, Any] = {
            "Id": self.id,
            "ARN": self.arn,
            "DisplayName": self.display_name,
            "CreatedTime": self.created,
            "ProviderName": self.provider_name,
        }
        if self.description is not None:
            detail["Description"] = self.description
        return detail


@dataclass
class Artifact:
    """A provisioning artifact (product version); `source` is the request's Info."""

    id: str
    name: str | None
    description: str | None
    type: str
    source: dict[str, str]
    created: datetime.datetime
    active: bool = True
    guidance: str = "DEFAULT"

    def detail(self) -> dict[str, Any]:
        detail: dict[str, Any] = {
            "Id": self.id,
            "Type": self.type,
            "CreatedTime": self.created,
            "Active": self.active,
            "Guidance": self.guidance,
        }
        if self.name is not None:
            detail["Name"] = self.name
        if self.description is not None:
            detail["Description"] = self.description
        return detail

    def summary(self) -> dict[str, Any]:
        summary: dict[str, Any] = {"Id": self.id, "CreatedTime": self.created}
        if self.name is not None:
            summary["Name"] = self.name
        if self.description is not None:
            summary["Description"] = self.description
        summary["ProvisioningArtifactMetadata"] = {}
        return summary

    def info(self) -> dict[str, str]:
        """The template source as DescribeProvisioningArtifact reports it."""
        if "LoadTemplateFromURL" in self.source:
            return {"TemplateUrl": self.source["LoadTemplateFromURL"]}
        if "ImportFromPhysicalId" in self.source:
            return {"PhysicalId": self.source["ImportFromPhysicalId"]}
        return dict(self.source)


@dataclass
class Product:
    id: str
    view_id: str
    arn: str
    name: str
    owner: str
    type: str
    created: datetime.datetime
    description: str | None = None
    distributor: str | None = None
    support_description: str | None = None
    support_email: str | None = None
    support_url: str | None = None
    source_connection: dict[str, Any] | None = None
    tags: dict[str, str] = field(default_factory=dict)
    artifacts: dict[str, Artifact] = field(default_factory=dict)

    def view_summary(self) -> dict[str, Any]:
        summary: dict[str, Any] = {
            "Id": self.view_id,
            "ProductId": self.id,
            "Name": self.name,
            "Owner": self.owner,
            "Type": self.type,
            "HasDefaultPath": False,
        }
        for key, value in (
            ("ShortDescription", self.description),
            ("Distributor", self.distributor),
            ("SupportDescription", self.support_description),
            ("SupportEmail", self.support_email),
            ("SupportUrl", self.support_url),
        ):
            if value is not None:
                summary[key] = value
        return summary

    def view_detail(self, status: str = "AVAILABLE") -> dict[str, Any]:
        detail: dict[str, Any] = {
            "ProductViewSummary": self.view_summary(),
            "Status": status,
            "ProductARN": self.arn,
            "CreatedTime": self.created,
        }
        if self.source_connection:
            detail["SourceConnection"] = self.source_connection
        return detail


@dataclass
class Constraint:
    id: str
    type: str
    parameters: str
    portfolio_id: str
    product_id: str
    owner: str
    description: str | None = None

    def detail(self) -> dict[str, Any]:
        detail: dict[str, Any] = {
            "ConstraintId": self.id,
            "Type": self.type,
            "Owner": self.owner,
            "ProductId": self.product_id,
            "PortfolioId": self.portfolio_id,
        }
        if self.description is not None:
            detail["Description"] = self.description
        return detail


@dataclass
class TagOption:
    id: str
    key: str
    value: str
    owner: str
    active: bool = True

    def detail(self) -> dict[str, Any]:
        return {
            "Key": self.key,
            "Value": self.value,
            "Active": self.active,
            "Id": self.id,
            "Owner": self.owner,
        }


@dataclass
class Share:
    """One portfolio share: to an account (type ACCOUNT) or to an organization node."""

    type: str
    principal_id: str
    share_tag_options: bool
    share_principals: bool
    accepted: bool

    def detail(self) -> dict[str, Any]:
        return {
            "PrincipalId": self.principal_id,
            "Type": self.type,
            "Accepted": self.accepted,
            "ShareTagOptions": self.share_tag_options,
            "SharePrincipals": self.share_principals,
        }


@dataclass
class ShareOperation:
    """A create, update or delete of a share, as DescribePortfolioShareStatus reports it."""

    token: str
    portfolio_id: str
    node_value: str
    accounts: list[str]

    def status(self) -> dict[str, Any]:
        return {
            "PortfolioShareToken": self.token,
            "PortfolioId": self.portfolio_id,
            "OrganizationNodeValue": self.node_value,
            "Status": "COMPLETED",
            "ShareDetails": {"SuccessfulShares": self.accounts, "ShareErrors": []},
        }


@dataclass
class Catalog:
    """Service Catalog of one account in one region."""

    account: str
    region: str
    portfolios: dict[str, Portfolio] = field(default_factory=dict)
    products: dict[str, Product] = field(default_factory=dict)
    constraints: dict[str, Constraint] = field(default_factory=dict)
    tag_options: dict[str, TagOption] = field(default_factory=dict)
    # product id -> ids of the portfolios it is in
    product_portfolios: dict[str, list[str]] = field(default_factory=dict)
    # portfolio id -> (principal ARN, principal type)
    principals: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    # TagOption id -> ids of the portfolios and products it is associated with
    tag_option_resources: dict[str, list[str]] = field(default_factory=dict)
    # portfolio id -> its shares
    shares: dict[str, list[Share]] = field(default_factory=dict)
    share_operations: dict[str, ShareOperation] = field(default_factory=dict)
    # (action, idempotency token) -> id of what the first request created
    idempotency: dict[tuple[str, str], str] = field(default_factory=dict)

    @property
    def partition(self) -> str:
        if self.region.startswith("cn-"):
            return "aws-cn"
        if self.region.startswith("us-gov-"):
            return "aws-us-gov"
        return "aws"

    def arn(self, kind: str, resource_id: str) -> str:
        return f"arn:{self.partition}:catalog:{self.region}:{self.account}:{kind}/{resource_id}"

    def portfolio(self, portfolio_id: str | None) -> Portfolio:
        found = self.portfolios.get(portfolio_id or "")
        if found is None:
            raise _fail("ResourceNotFoundException", f"Portfolio {portfolio_id} not found.")
        return found

    def product(self, product_id: str | None) -> Product:
        found = self.products.get(product_id or "")
        if found is None:
            raise _fail("ResourceNotFoundException", f"Product {product_id} not found.")
        return found

    def tag_option(self, tag_option_id: str | None) -> TagOption:
        found = self.tag_options.get(tag_option_id or "")
        if found is None:
            raise _fail("ResourceNotFoundException", f"TagOption {tag_option_id} not found.")
        return found

    def constraint(self, constraint_id: str | None) -> Constraint:
        found = self.constraints.get(constraint_id or "")
        if found is None:
            raise _fail("ResourceNotFoundException", f"Constraint {constraint_id} not found.")
        return found

    def tag_options_of(self, resource_id: str) -> list[dict[str, Any]]:
        return [
            self.tag_options[option_id].detail()
            for option_id, resources in self.tag_option_resources.items()
            if resource_id in resources
        ]


# (account, region) -> the catalog of every account and region that was called.
CATALOGS: dict[tuple[str, str], Catalog] = {}
_LOCK = threading.RLock()


def catalog_for(account: str, region: str) -> Catalog:
    key = (account, region)
    if key not in CATALOGS:
        CATALOGS[key] = Catalog(account, region)
    return CATALOGS[key]


def _fail(code: str, message: str) -> Exception:
    from moto.core.exceptions import JsonRESTError

    return JsonRESTError(code, message)


# -- validation (pure: no simulator state) ----------------------------------------------------


def principal_arn_problem(arn: str, principal_type: str) -> str | None:
    """Why AssociatePrincipalWithPortfolio refuses this principal, or None."""
    if principal_type == "IAM":
        if not _IAM_ARN.match(arn):
            return (
                f"PrincipalARN {arn} of PrincipalType IAM must be a fully defined IAM user, "
                "role or group ARN"
            )
        return None
    if principal_type == "IAM_PATTERN":
        if not _IAM_PATTERN_ARN.match(arn):
            return (
                f"PrincipalARN {arn} of PrincipalType IAM_PATTERN must be an IAM ARN without an "
                "account id, arn:<partition>:iam:::<user|role|group>/<path>/<name>, wildcards "
                "(* and ?) only in the path and name"
            )
        return None
    return f"PrincipalType {principal_type} is not one of IAM, IAM_PATTERN"


def _role_name_problem(name: Any) -> str | None:
    if not isinstance(name, str) or not re.fullmatch(r"[\w+=,.@-]{1,64}", name):
        return f"LocalRoleName {name!r} is not an IAM role name"
    return None


def constraint_problem(constraint_type: str, parameters: Any) -> str | None:
    """Why CreateConstraint/UpdateConstraint refuse these parameters (JSON text), or None."""
    if constraint_type not in CONSTRAINT_TYPES:
        return f"Constraint type {constraint_type} is not one of {', '.join(CONSTRAINT_TYPES)}"
    try:
        document = json.loads(parameters)
    except (TypeError, ValueError):
        return "Parameters must be a JSON document"
    if not isinstance(document, dict):
        return "Parameters must be a JSON object"
    if constraint_type == "LAUNCH":
        keys = {"RoleArn", "LocalRoleName"} & document.keys()
        if len(keys) != 1:
            return "A LAUNCH constraint needs either RoleArn or LocalRoleName, not both"
        if "LocalRoleName" in document:
            return _role_name_problem(document["LocalRoleName"])
        if not re.fullmatch(
            r"arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+", str(document["RoleArn"])
        ):
            return f"RoleArn {document['RoleArn']} is not an IAM role ARN"
        return None
    if constraint_type == "NOTIFICATION":
        arns = document.get("NotificationArns")
        if not isinstance(arns, list) or not arns:
            return "A NOTIFICATION constraint needs NotificationArns, a list of SNS topic ARNs"
        bad = [
            a for a in arns if not re.fullmatch(r"arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:.+", str(a))
        ]
        return f"NotificationArns {bad} are not SNS topic ARNs" if bad else None
    if constraint_type == "RESOURCE_UPDATE":
        properties = document.get("Properties")
        value = (
            properties.get("TagUpdateOnProvisionedProduct")
            if isinstance(properties, dict)
            else None
        )
        if document.get("Version") != "2.0" or value not in ("ALLOWED", "NOT_ALLOWED"):
            return (
                'A RESOURCE_UPDATE constraint is {"Version":"2.0","Properties":'
                '{"TagUpdateOnProvisionedProduct":"ALLOWED|NOT_ALLOWED"}}'
            )
        return None
    if constraint_type == "TEMPLATE":
        if not isinstance(document.get("Rules"), dict) or not document["Rules"]:
            return "A TEMPLATE constraint needs Rules, an object of template constraint rules"
        return None
    # STACKSET
    properties = document.get("Properties")
    if not isinstance(properties, dict):
        return "A STACKSET constraint needs Version and Properties"
    for key in ("AccountList", "RegionList"):
        if not isinstance(properties.get(key), list) or not properties[key]:
            return f"A STACKSET constraint needs Properties.{key}, a non-empty list"
    for key in ("AdminRole", "ExecutionRole"):
        if not isinstance(properties.get(key), str) or not properties[key]:
            return f"A STACKSET constraint needs Properties.{key}"
    return None


def organization_node_id(value: str) -> str:
    """An organization node given as an id or ARN (`arn:...:ou/o-x/ou-y-z`) -> its id."""
    return value.rsplit("/", 1)[-1] if value.startswith("arn:") else value


def template_location(url: str) -> tuple[str, str] | None:
    """(bucket, key) of a template URL in S3 (virtual-hosted or path style), or None."""
    parsed = urlparse(url)
    host = (parsed.hostname or "").lower()
    match = _S3_HOST.match(host)
    if parsed.scheme not in ("http", "https") or match is None:
        return None
    path = unquote(parsed.path.lstrip("/"))
    if match["bucket"]:
        return (match["bucket"], path) if path else None
    bucket, _, key = path.partition("/")
    return (bucket, key) if bucket and key else None


def template_problem(body: bytes) -> str | None:
    """Why a CloudFormation template (JSON or YAML with short-form tags) is invalid, or None."""
    import yaml

    class TemplateLoader(yaml.SafeLoader):
        pass

    def any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
        if isinstance(node, yaml.ScalarNode):
            return loader.construct_scalar(node)
        if isinstance(node, yaml.SequenceNode):
            return loader.construct_sequence(node, deep=True)
        return loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]

    TemplateLoader.add_multi_constructor("!", any_tag)
    try:
        template = yaml.load(body.decode("utf-8"), Loader=TemplateLoader)
    except (UnicodeDecodeError, yaml.YAMLError) as error:
        return f"the template is neither JSON nor YAML ({str(error).splitlines()[0]})"
    if not isinstance(template, dict):
        return "the template is not a JSON or YAML object"
    resources = template.get("Resources")
    if not isinstance(resources, dict) or not resources:
        return "the template has no Resources"
    return None


def _check_template(artifact_type: str, source: dict[str, str], disabled: bool) -> None:
    """Service Catalog reads and validates a CloudFormation template when an artifact is
    created; the simulator does so for templates in buckets it holds (others it cannot read)."""
    url = source.get("LoadTemplateFromURL")
    if disabled or artifact_type != "CLOUD_FORMATION_TEMPLATE" or not url:
        return
    location = template_location(url)
    if location is None:
        return
    from moto.s3.models import FakeKey, s3_backends

    bucket_name, key = location
    owner = s3_backends.bucket_accounts.get(bucket_name)
    if owner is None:
        return  # a bucket outside the simulated AWS: not readable here
    partition, account = owner
    bucket = s3_backends[account][partition].buckets.get(bucket_name)
    stored = bucket.keys.get(key) if bucket is not None else None
    if not isinstance(stored, FakeKey):
        raise _fail(
            "InvalidParametersException",
            f"Unable to retrieve the template from {url}: the object does not exist",
        )
    problem = template_problem(stored.value)
    if problem is not None:
        raise _fail("InvalidParametersException", f"Invalid template at {url}: {problem}")


def _check_tags(tags: list[dict[str, str]] | None) -> dict[str, str]:
    result: dict[str, str] = {}
    for tag in tags or []:
        if str(tag.get("Key", "")).lower().startswith("aws:"):
            raise _fail(
                "InvalidParametersException", f"Tag key {tag['Key']} uses the reserved prefix aws:"
            )
        result[tag["Key"]] = tag.get("Value", "")
    return result


# -- AWS Organizations ----------------------------------------------------------------------


@dataclass(frozen=True)
class OrganizationView:
    """The caller's organization (moto's Organizations backend of its management account) and
    the caller's role in it."""

    backend: Any
    role: str  # "management", "delegated-admin" or "member"

    @property
    def access_enabled(self) -> bool:
        return any(s["ServicePrincipal"] == SERVICE_PRINCIPAL for s in self.backend.services)

    def accounts_under(self, node_id: str) -> list[str]:
        """Accounts in the organization, an OU (and its child OUs) or the one account named."""
        org = self.backend.org
        if node_id == org.id:
            return [account.id for account in self.backend.accounts]
        if re.fullmatch(r"\d{12}", node_id):
            return [node_id]
        parents = {node_id}
        grew = True
        while grew:
            children = {ou.id for ou in self.backend.ou if ou.parent_id in parents}
            grew = not children <= parents
            parents |= children
        return [account.id for account in self.backend.accounts if account.parent_id in parents]

    def has_node(self, node_type: str, node_id: str) -> bool:
        from moto.organizations.models import FakeRoot

        if node_type == "ORGANIZATION":
            return bool(node_id == self.backend.org.id)
        if node_type == "ORGANIZATIONAL_UNIT":
            return any(ou.id == node_id and not isinstance(ou, FakeRoot) for ou in self.backend.ou)
        return any(account.id == node_id for account in self.backend.accounts)


def organization_of(account: str, partition: str) -> OrganizationView | None:
    from moto.organizations.models import organizations_backends

    own = organizations_backends[account][partition]
    if own.org is not None:
        return OrganizationView(own, "management")
    master = organizations_backends.master_accounts.get(account)
    if master is None:
        return None
    backend = organizations_backends[master[0]][master[1]]
    delegated = any(
        admin.account.id == account and SERVICE_PRINCIPAL in admin.services
        for admin in backend.admins
    )
    return OrganizationView(backend, "delegated-admin" if delegated else "member")


def _organization_or_fail(catalog: Catalog, *roles: str) -> OrganizationView:
    org = organization_of(catalog.account, catalog.partition)
    if org is None:
        raise _fail(
            "ResourceNotFoundException",
            f"Account {catalog.account} is not a member of an organization in AWS Organizations",
        )
    if org.role not in roles:
        who = " or a delegated administrator" if "delegated-admin" in roles else ""
        raise _fail(
            "OperationNotSupportedException",
            f"Only the management account of the organization{who} can call this operation; "
            f"account {catalog.account} cannot",
        )
    return org


# -- the actions ------------------------------------------------------------------------------


class _Request:
    """One call: its parameters and the caller's catalog."""

    def __init__(self, response: Any) -> None:
        self.response = response
        self.catalog = catalog_for(response.current_account, response.region)

    def get(self, name: str, default: Any = None) -> Any:
        value = self.response._get_param(name)
        return default if value is None else value

    def page(
        self, items: list[Any], key: str, default_size: int = DEFAULT_PAGE_SIZE
    ) -> dict[str, Any]:
        """`{key: one page of items}`, with NextPageToken when more follow."""
        token = self.get("PageToken")
        size = int(self.get("PageSize") or default_size)
        try:
            start = int(token) if token else 0
        except ValueError:
            raise _fail("InvalidParametersException", f"PageToken {token} is not valid") from None
        result: dict[str, Any] = {key: items[start : start + size]}
        if start + size < len(items):
            result["NextPageToken"] = str(start + size)
        return result

    def created_before(self, action: str) -> str | None:
        token = self.get("IdempotencyToken")
        return self.catalog.idempotency.get((action, token)) if token else None

    def remember(self, action: str, resource_id: str) -> None:
        token = self.get("IdempotencyToken")
        if token:
            self.catalog.idempotency[(action, token)] = resource_id


# Portfolios


def create_portfolio(call: _Request) -> dict[str, Any]:
    catalog = call.catalog
    existing = call.created_before("CreatePortfolio")
    if existing in catalog.portfolios:
        portfolio = catalog.portfolios[existing]
    else:
        portfolio_id = new_id("port")
        portfolio = Portfolio(
            id=portfolio_id,
            arn=catalog.arn("portfolio", portfolio_id),
            display_name=call.get("DisplayName"),
            provider_name=call.get("ProviderName"),
            description=call.get("Description"),
            created=_now(),
            tags=_check_tags(call.get("Tags")),
        )
        catalog.portfolios[portfolio.id] = portfolio
        call.remember("CreatePortfolio", portfolio.id)
    return {"PortfolioDetail": portfolio.detail(), "Tags": _tag_list(portfolio.tags)}


def describe_portfolio(call: _Request) -> dict[str, Any]:
    portfolio = call.catalog.portfolio(call.get("Id"))
    return {
        "PortfolioDetail": portfolio.detail(),
        "Tags": _tag_list(portfolio.tags),
        "TagOptions": call.catalog.tag_options_of(portfolio.id),
        "Budgets": [],
    }


def update_portfolio(call: _Request) -> dict[str, Any]:
    portfolio = call.catalog.portfolio(call.get("Id"))
    added = _check_tags(call.get("AddTags"))
    for attribute, name in (
        ("display_name", "DisplayName"),
        ("description", "Description"),
        ("provider_name", "ProviderName"),
    ):
        if call.get(name) is not None:
            setattr(portfolio, attribute, call.get(name))
    for key in call.get("RemoveTags", []):
        portfolio.tags.pop(key, None)
    portfolio.tags.update(added)
    return {"PortfolioDetail": portfolio.detail(), "Tags": _tag_list(portfolio.tags)}


def delete_portfolio(call: _Request) -> dict[str, Any]:
    catalog = call.catalog
    portfolio = catalog.portfolio(call.get("Id"))
    in_use = [
        what
        for what, present in (
            ("products", any(portfolio.id in p for p in catalog.product_portfolios.values())),
            ("principals", bool(catalog.principals.get(portfolio.id))),
            (
                "constraints",
                any(c.portfolio_id == portfolio.id for c in catalog.constraints.values()),
            ),
            ("shares", bool(catalog.shares.get(portfolio.id))),
        )
        if present
    ]
    if in_use:
        raise _fail(
            "ResourceInUseException",
            f"Portfolio {portfolio.id} still has associated {', '.join(in_use)}",
        )
    for resources in catalog.tag_option_resources.values():
        if portfolio.id in resources:
            resources.remove(portfolio.id)
    del catalog.portfolios[portfolio.id]
    return {}


def list_portfolios(call: _Request) -> dict[str, Any]:
    details = [p.detail() for p in call.catalog.portfolios.values()]
    return call.page(details, "PortfolioDetails")


def list_portfolios_for_product(call: _Request) -> dict[str, Any]:
    catalog = call.catalog
    product = catalog.product(call.get("ProductId"))
    details = [
        catalog.portfolios[p].detail() for p in catalog.product_portfolios.get(product.id, [])
    ]
    return call.page(details, "PortfolioDetails")


# Products and provisioning artifacts


def _new_artifact(product_type: str, parameters: dict[str, Any] | None) -> Artifact:
    parameters = parameters or {}
    source = dict(parameters.get("Info") or {})
    given = {"LoadTemplateFromURL", "ImportFromPhysicalId"} & source.keys()
    if len(given) != 1 or set(source) != given:
        raise _fail(
            "InvalidParametersException",
            "Info must name the template source with exactly one of LoadTemplateFromURL and "
            "ImportFromPhysicalId",
        )
    # A version is of its product's type (MARKETPLACE_AMI and MARKETPLACE_CAR versions of
    # CloudFormation products come from AWS Marketplace, not from this API).
    expected = product_type
    artifact_type = parameters.get("Type") or expected
    if artifact_type != expected:
        raise _fail(
            "InvalidParametersException",
            f"Provisioning artifact type {artifact_type} does not match product type "
            f"{product_type} (expected {expected})",
        )
    if "ImportFromPhysicalId" in source and artifact_type != "CLOUD_FORMATION_TEMPLATE":
        raise _fail(
            "InvalidParametersException",
            "ImportFromPhysicalId is only supported for CLOUD_FORMATION_TEMPLATE artifacts",
        )
    _check_template(artifact_type, source, bool(parameters.get("DisableTemplateValidation")))
    name = parameters.get("Name")
    if name is not None and " " in name:
        raise _fail("InvalidParametersException", f"Provisioning artifact name {name!r} has spaces")
    return Artifact(
        id=new_id("pa"),
        name=name,
        description=parameters.get("Description"),
        type=artifact_type,
        source=source,
        created=_now(),
    )


def create_product(call: _Request) -> dict[str, Any]:
    catalog = call.catalog
    existing = call.created_before("CreateProduct")
    if existing in catalog.products:
        product = catalog.products[existing]
        first = next(iter(product.artifacts.values()), None)
        return {
            "ProductViewDetail": product.view_detail("CREATED"),
            "ProvisioningArtifactDetail": first.detail() if first else {},
            "Tags": _tag_list(product.tags),
        }
    product_type = call.get("ProductType")
    if product_type not in PRODUCT_TYPES:
        raise _fail(
            "InvalidParametersException",
            f"ProductType {product_type} is not one of {', '.join(PRODUCT_TYPES)}",
        )
    parameters = call.get("ProvisioningArtifactParameters")
    source_connection = call.get("SourceConnection")
    if parameters is None and source_connection is None:
        raise _fail(
            "InvalidParametersException",
            "Either ProvisioningArtifactParameters or SourceConnection is required",
        )
    tags = _check_tags(call.get("Tags"))
    artifact = _new_artifact(product_type, parameters) if parameters is not None else None
    product_id = new_id("prod")
    product = Product(
        id=product_id,
        view_id=new_id("prodview"),
        arn=catalog.arn("product", product_id),
        name=call.get("Name"),
        owner=call.get("Owner"),
        type=product_type,
        created=_now(),
        description=call.get("Description"),
        distributor=call.get("Distributor"),
        support_description=call.get("SupportDescription"),
        support_email=call.get("SupportEmail"),
        support_url=call.get("SupportUrl"),
        source_connection=source_connection,
        tags=tags,
    )
    if artifact is not None:
        product.artifacts[artifact.id] = artifact
    catalog.products[product.id] = product
    call.remember("CreateProduct", product.id)
    return {
        "ProductViewDetail": product.view_detail("CREATED"),
        "ProvisioningArtifactDetail": artifact.detail() if artifact else {},
        "Tags": _tag_list(product.tags),
    }


def _product_by_id_or_name(call: _Request) -> Product:
    catalog = call.catalog
    product_id, name = call.get("Id"), call.get("Name")
    if product_id:
        return catalog.product(product_id)
    if not name:
        raise _fail("InvalidParametersException", "Either Id or Name must be specified")
    for product in catalog.products.values():
        if product.name == name:
            return product
    raise _fail("ResourceNotFoundException", f"Product {name} not found.")


def describe_product_as_admin(call: _Request) -> dict[str, Any]:
    product = _product_by_id_or_name(call)
    source = call.get("SourcePortfolioId")
    if source and source not in call.catalog.product_portfolios.get(product.id, []):
        raise _fail(
            "ResourceNotFoundException", f"Product {product.id} is not in portfolio {source}."
        )
    return {
        "ProductViewDetail": product.view_detail(),
        "ProvisioningArtifactSummaries": [a.summary() for a in product.artifacts.values()],
        "Tags": _tag_list(product.tags),
        "TagOptions": call.catalog.tag_options_of(product.id),
        "Budgets": [],
    }


def _launch_path_id(portfolio_id: str, product_id: str) -> str:
    digest = hashlib.sha256(f"{portfolio_id}/{product_id}".encode()).digest()
    return "lpv3-" + "".join(_ID_ALPHABET[b % len(_ID_ALPHABET)] for b in digest[:ID_LENGTH])


def describe_product(call: _Request) -> dict[str, Any]:
    """The end user's view: active versions and one launch path per portfolio the product is
    in (access through principal associations is not checked)."""
    catalog = call.catalog
    product = _product_by_id_or_name(call)
    portfolios = catalog.product_portfolios.get(product.id, [])
    if not portfolios:
        raise _fail("ResourceNotFoundException", f"Product {product.id} is in no portfolio.")
    artifacts = [
        {
            key: value
            for key, value in artifact.detail().items()
            if key in ("Id", "Name", "Description", "CreatedTime", "Guidance")
        }
        for artifact in product.artifacts.values()
        if artifact.active
    ]
    return {
        "ProductViewSummary": product.view_summary(),
        "ProvisioningArtifacts": artifacts,
        "Budgets": [],
        "LaunchPaths": [
            {
                "Id": _launch_path_id(p, product.id),
                "Name": catalog.portfolios[p].display_name,
            }
            for p in portfolios
        ],
    }


def update_product(call: _Request) -> dict[str, Any]:
    product = call.catalog.product(call.get("Id"))
    added = _check_tags(call.get("AddTags"))
    for attribute, name in (
        ("name", "Name"),
        ("owner", "Owner"),
        ("description", "Description"),
        ("distributor", "Distributor"),
        ("support_description", "SupportDescription"),
        ("support_email", "SupportEmail"),
        ("support_url", "SupportUrl"),
        ("source_connection", "SourceConnection"),
    ):
        if call.get(name) is not None:
            setattr(product, attribute, call.get(name))
    for key in call.get("RemoveTags", []):
        product.tags.pop(key, None)
    product.tags.update(added)
    return {"ProductViewDetail": product.view_detail(), "Tags": _tag_list(product.tags)}


def delete_product(call: _Request) -> dict[str, Any]:
    catalog = call.catalog
    product = catalog.product(call.get("Id"))
    if catalog.product_portfolios.get(product.id):
        raise _fail(
            "ResourceInUseException",
            f"Product {product.id} is associated with portfolios "
            f"{', '.join(catalog.product_portfolios[product.id])}",
        )
    for resources in catalog.tag_option_resources.values():
        if product.id in resources:
            resources.remove(product.id)
    catalog.product_portfolios.pop(product.id, None)
    del catalog.products[product.id]
    return {}


def search_products_as_admin(call: _Request) -> dict[str, Any]:
    catalog = call.catalog
    portfolio_id = call.get("PortfolioId")
    if portfolio_id:
        catalog.portfolio(portfolio_id)
    filters = call.get("Filters", {})
    products = [
        product
        for product in catalog.products.values()
        if not portfolio_id or portfolio_id in catalog.product_portfolios.get(product.id, [])
    ]
    for text in filters.get("FullTextSearch", []):
        needle = text.lower()
        products = [
            p
            for p in products
            if any(needle in (v or "").lower() for v in (p.name, p.description, p.owner))
        ]
    for attribute, key in (("owner", "Owner"), ("type", "ProductType"), ("name", "Name")):
        if filters.get(key):
            products = [p for p in products if getattr(p, attribute) in filters[key]]
    return call.page([p.view_detail() for p in products], "ProductViewDetails")


def _artifact(call: _Request) -> tuple[Product, Artifact]:
    catalog = call.catalog
    product_id = call.get("ProductId")
    if not product_id and call.get("ProductName"):
        product = next(
            (p for p in catalog.products.values() if p.name == call.get("ProductName")), None
        )
        if product is None:
            raise _fail(
                "ResourceNotFoundException", f"Product {call.get('ProductName')} not found."
            )
    else:
        product = catalog.product(product_id)
    artifact_id, name = call.get("ProvisioningArtifactId"), call.get("ProvisioningArtifactName")
    for artifact in product.artifacts.values():
        if (artifact_id and artifact.id == artifact_id) or (
            not artifact_id and name and artifact.name == name
        ):
            return product, artifact
    raise _fail(
        "ResourceNotFoundException",
        f"Provisioning artifact {artifact_id or name} not found for product {product.id}.",
    )


def create_provisioning_artifact(call: _Request) -> dict[str, Any]:
    product = call.catalog.product(call.get("ProductId"))
    existing = call.created_before("CreateProvisioningArtifact")
    if existing in product.artifacts:
        artifact = product.artifacts[existing]
    else:
        if len(product.artifacts) >= MAX_ARTIFACTS_PER_PRODUCT:
            raise _fail(
                "LimitExceededException",
                f"Product {product.id} already has {MAX_ARTIFACTS_PER_PRODUCT} provisioning "
                "artifacts",
            )
        artifact = _new_artifact(product.type, call.get("Parameters"))
        product.artifacts[artifact.id] = artifact
        call.remember("CreateProvisioningArtifact", artifact.id)
    return {
        "ProvisioningArtifactDetail": artifact.detail(),
        "Info": artifact.info(),
        "Status": "CREATING",
    }


def _artifact_description(artifact: Artifact, verbose: bool = False) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ProvisioningArtifactDetail": artifact.detail(),
        "Info": artifact.info(),
        "Status": "AVAILABLE",
    }
    if verbose:
        result["ProvisioningArtifactParameters"] = []
    return result


def describe_provisioning_artifact(call: _Request) -> dict[str, Any]:
    _, artifact = _artifact(call)
    return _artifact_description(artifact, bool(call.get("IncludeProvisioningArtifactParameters")))


def update_provisioning_artifact(call: _Request) -> dict[str, Any]:
    _, artifact = _artifact(call)
    guidance = call.get("Guidance")
    if guidance is not None and guidance not in ("DEFAULT", "DEPRECATED"):
        raise _fail(
            "InvalidParametersException", f"Guidance {guidance} is not DEFAULT or DEPRECATED"
        )
    if call.get("Name") is not None:
        artifact.name = call.get("Name")
    if call.get("Description") is not None:
        artifact.description = call.get("Description")
    if call.get("Active") is not None:
        artifact.active = bool(call.get("Active"))
    if guidance is not None:
        artifact.guidance = guidance
    return _artifact_description(artifact)


def delete_provisioning_artifact(call: _Request) -> dict[str, Any]:
    product, artifact = _artifact(call)
    if len(product.artifacts) == 1:
        raise _fail(
            "InvalidParametersException",
            f"Cannot delete {artifact.id}, the last provisioning artifact of product {product.id}",
        )
    del product.artifacts[artifact.id]
    return {}


def list_provisioning_artifacts(call: _Request) -> dict[str, Any]:
    product = call.catalog.product(call.get("ProductId"))
    return {"ProvisioningArtifactDetails": [a.detail() for a in product.artifacts.values()]}


# Product-portfolio associations


def associate_product_with_portfolio(call: _Request) -> dict[str, Any]:
    catalog = call.catalog
    product = catalog.product(call.get("ProductId"))
    portfolio = catalog.portfolio(call.get("PortfolioId"))
    source = call.get("SourcePortfolioId")
    if source and source not in catalog.product_portfolios.get(product.id, []):
        raise _fail(
            "ResourceNotFoundException", f"Product {product.id} is not in portfolio {source}."
        )
    portfolios = catalog.product_portfolios.setdefault(product.id, [])
    if portfolio.id not in portfolios:
        portfolios.append(portfolio.id)
    return {}


def disassociate_product_from_portfolio(call: _Request) -> dict[str, Any]:
    catalog = call.catalog
    product = catalog.product(call.get("ProductId"))
    portfolio = catalog.portfolio(call.get("PortfolioId"))
    portfolios = catalog.product_portfolios.get(product.id, [])
    if portfolio.id not in portfolios:
        raise _fail(
            "ResourceNotFoundException", f"Product {product.id} is not in portfolio {portfolio.id}."
        )
    constrained = [
        c.id
        for c in catalog.constraints.values()
        if (c.portfolio_id, c.product_id) == (portfolio.id, product.id)
    ]
    if constrained:
        raise _fail(
            "ResourceInUseException",
            f"Product {product.id} has constraints {', '.join(constrained)} in portfolio "
            f"{portfolio.id}",
        )
    portfolios.remove(portfolio.id)
    return {}


# Constraints


def _role_exists(catalog: Catalog, role_name: str) -> bool:
    from moto.iam.models import iam_backends

    iam = iam_backends[catalog.account][catalog.partition]
    return any(role.name == role_name for role in iam.get_roles())


def _check_constraint(
    catalog: Catalog, constraint_type: str, parameters: str, portfolio_id: str, product_id: str
) -> None:
    problem = constraint_problem(constraint_type, parameters)
    if problem is not None:
        raise _fail("InvalidParametersException", problem)
    document = json.loads(parameters)
    if constraint_type == "LAUNCH":
        name = document.get("LocalRoleName") or str(document.get("RoleArn")).rsplit("/", 1)[-1]
        in_account = (
            "LocalRoleName" in document or document["RoleArn"].split(":")[4] == catalog.account
        )
        if in_account and not _role_exists(catalog, name):
            raise _fail(
                "InvalidParametersException",
                f"The launch role {name} does not exist in account {catalog.account}",
            )
    if (
        constraint_type == "STACKSET"
        and catalog.products[product_id].type != "CLOUD_FORMATION_TEMPLATE"
    ):
        raise _fail(
            "InvalidParametersException",
            "STACKSET constraints apply to CLOUD_FORMATION_TEMPLATE products only",
        )


def create_constraint(call: _Request) -> dict[str, Any]:
    catalog = call.catalog
    existing = call.created_before("CreateConstraint")
    if existing in catalog.constraints:
        constraint = catalog.constraints[existing]
        return {
            "ConstraintDetail": constraint.detail(),
            "ConstraintParameters": constraint.parameters,
            "Status": "CREATING",
        }
    portfolio = catalog.portfolio(call.get("PortfolioId"))
    product = catalog.product(call.get("ProductId"))
    if portfolio.id not in catalog.product_portfolios.get(product.id, []):
        raise _fail(
            "ResourceNotFoundException", f"Product {product.id} is not in portfolio {portfolio.id}."
        )
    constraint_type, parameters = call.get("Type"), call.get("Parameters")
    _check_constraint(catalog, constraint_type, parameters, portfolio.id, product.id)
    siblings = [
        c.type
        for c in catalog.constraints.values()
        if (c.portfolio_id, c.product_id) == (portfolio.id, product.id)
    ]
    if constraint_type in ("LAUNCH", "RESOURCE_UPDATE", "STACKSET") and constraint_type in siblings:
        raise _fail(
            "DuplicateResourceException",
            f"Product {product.id} already has a {constraint_type} constraint in portfolio "
            f"{portfolio.id}",
        )
    if {constraint_type, *siblings} >= {"LAUNCH", "STACKSET"}:
        raise _fail(
            "InvalidParametersException",
            "A product cannot have both a LAUNCH and a STACKSET constraint in a portfolio",
        )
    constraint = Constraint(
        id=new_id("cons"),
        type=constraint_type,
        parameters=parameters,
        portfolio_id=portfolio.id,
        product_id=product.id,
        owner=catalog.account,
        description=call.get("Description"),
    )
    catalog.constraints[constraint.id] = constraint
    call.remember("CreateConstraint", constraint.id)
    return {
        "ConstraintDetail": constraint.detail(),
        "ConstraintParameters": constraint.parameters,
        "Status": "CREATING",
    }


def describe_constraint(call: _Request) -> dict[str, Any]:
    constraint = call.catalog.constraint(call.get("Id"))
    return {
        "ConstraintDetail": constraint.detail(),
        "ConstraintParameters": constraint.parameters,
        "Status": "AVAILABLE",
    }


def update_constraint(call: _Request) -> dict[str, Any]:
    catalog = call.catalog
    constraint = catalog.constraint(call.get("Id"))
    parameters = call.get("Parameters")
    if parameters is not None:
        _check_constraint(
            catalog, constraint.type, parameters, constraint.portfolio_id, constraint.product_id
        )
        constraint.parameters = parameters
    if call.get("Description") is not None:
        constraint.description = call.get("Description")
    return {
        "ConstraintDetail": constraint.detail(),
        "ConstraintParameters": constraint.parameters,
        "Status": "AVAILABLE",
    }


def delete_constraint(call: _Request) -> dict[str, Any]:
    constraint = call.catalog.constraint(call.get("Id"))
    del call.catalog.constraints[constraint.id]
    return {}


def list_constraints_for_portfolio(call: _Request) -> dict[str, Any]:
    catalog = call.catalog
    portfolio = catalog.portfolio(call.get("PortfolioId"))
    product_id = call.get("ProductId")
    details = [
        c.detail()
        for c in catalog.constraints.values()
        if c.portfolio_id == portfolio.id and (not product_id or c.product_id == product_id)
    ]
    return call.page(details, "ConstraintDetails")


# TagOptions


def _duplicate_tag_option(catalog: Catalog, key: str, value: str, other_than: str = "") -> None:
    for option in catalog.tag_options.values():
        if (option.key, option.value) == (key, value) and option.id != other_than:
            raise _fail(
                "DuplicateResourceException",
                f"TagOption {key}={value} already exists as {option.id}",
            )


def create_tag_option(call: _Request) -> dict[str, Any]:
    catalog = call.catalog
    key, value = call.get("Key"), call.get("Value")
    _duplicate_tag_option(catalog, key, value)
    option = TagOption(id=new_id("tag"), key=key, value=value, owner=catalog.account)
    catalog.tag_options[option.id] = option
    return {"TagOptionDetail": option.detail()}


def describe_tag_option(call: _Request) -> dict[str, Any]:
    return {"TagOptionDetail": call.catalog.tag_option(call.get("Id")).detail()}


def update_tag_option(call: _Request) -> dict[str, Any]:
    catalog = call.catalog
    option = catalog.tag_option(call.get("Id"))
    value = call.get("Value")
    if value is not None:
        _duplicate_tag_option(catalog, option.key, value, other_than=option.id)
        option.value = value
    if call.get("Active") is not None:
        option.active = bool(call.get("Active"))
    return {"TagOptionDetail": option.detail()}


def delete_tag_option(call: _Request) -> dict[str, Any]:
    catalog = call.catalog
    option = catalog.tag_option(call.get("Id"))
    if catalog.tag_option_resources.get(option.id):
        raise _fail(
            "ResourceInUseException",
            f"TagOption {option.id} is associated with "
            f"{', '.join(catalog.tag_option_resources[option.id])}",
        )
    catalog.tag_option_resources.pop(option.id, None)
    del catalog.tag_options[option.id]
    return {}


def list_tag_options(call: _Request) -> dict[str, Any]:
    filters = call.get("Filters", {})
    options = [
        option.detail()
        for option in call.catalog.tag_options.values()
        if filters.get("Key") in (None, option.key)
        and filters.get("Value") in (None, option.value)
        and filters.get("Active") in (None, option.active)
    ]
    return call.page(options, "TagOptionDetails")


def associate_tag_option_with_resource(call: _Request) -> dict[str, Any]:
    catalog = call.catalog
    resource_id = call.get("ResourceId")
    if resource_id not in catalog.portfolios and resource_id not in catalog.products:
        raise _fail(
            "ResourceNotFoundException", f"Resource {resource_id} is no portfolio or product."
        )
    option = catalog.tag_option(call.get("TagOptionId"))
    if not option.active:
        raise _fail("InvalidStateException", f"TagOption {option.id} is not active")
    resources = catalog.tag_option_resources.setdefault(option.id, [])
    if resource_id in resources:
        raise _fail(
            "DuplicateResourceException",
            f"TagOption {option.id} is already associated with {resource_id}",
        )
    resources.append(resource_id)
    return {}


def disassociate_tag_option_from_resource(call: _Request) -> dict[str, Any]:
    catalog = call.catalog
    option_id, resource_id = call.get("TagOptionId"), call.get("ResourceId")
    resources = catalog.tag_option_resources.get(option_id, [])
    if resource_id not in resources:
        raise _fail(
            "ResourceNotFoundException",
            f"TagOption {option_id} is not associated with {resource_id}",
        )
    resources.remove(resource_id)
    return {}


def list_resources_for_tag_option(call: _Request) -> dict[str, Any]:
    catalog = call.catalog
    option = catalog.tag_option(call.get("TagOptionId"))
    wanted = (call.get("ResourceType") or "").lower()
    details = []
    for resource_id in catalog.tag_option_resources.get(option.id, []):
        if resource_id in catalog.portfolios and wanted in ("", "portfolio"):
            portfolio = catalog.portfolios[resource_id]
            details.append(
                {
                    "Id": portfolio.id,
                    "ARN": portfolio.arn,
                    "Name": portfolio.display_name,
                    "Description": portfolio.description or "",
                    "CreatedTime": portfolio.created,
                }
            )
        elif resource_id in catalog.products and wanted in ("", "product"):
            product = catalog.products[resource_id]
            details.append(
                {
                    "Id": product.id,
                    "ARN": product.arn,
                    "Name": product.name,
                    "Description": product.description or "",
                    "CreatedTime": product.created,
                }
            )
    return call.page(details, "ResourceDetails")


# Principals


def associate_principal_with_portfolio(call: _Request) -> dict[str, Any]:
    catalog = call.catalog
    portfolio = catalog.portfolio(call.get("PortfolioId"))
    arn, principal_type = call.get("PrincipalARN"), call.get("PrincipalType")
    problem = principal_arn_problem(arn, principal_type)
    if problem is not None:
        raise _fail("InvalidParametersException", problem)
    principals = catalog.principals.setdefault(portfolio.id, [])
    if (arn, principal_type) in principals:
        return {}
    patterns = sum(1 for _, kind in principals if kind == "IAM_PATTERN")
    if principal_type == "IAM_PATTERN" and patterns >= MAX_IAM_PATTERN_PRINCIPALS:
        raise _fail(
            "LimitExceededException",
            "The current limits of the service would have been exceeded by this operation. "
            f"Decrease your resource use or increase your service limits and retry the "
            f"operation. (Portfolio {portfolio.id} already has {MAX_IAM_PATTERN_PRINCIPALS} "
            "principals of type IAM_PATTERN.)",
        )
    principals.append((arn, principal_type))
    return {}


def disassociate_principal_from_portfolio(call: _Request) -> dict[str, Any]:
    catalog = call.catalog
    portfolio = catalog.portfolio(call.get("PortfolioId"))
    arn, principal_type = call.get("PrincipalARN"), call.get("PrincipalType") or "IAM"
    principals = catalog.principals.get(portfolio.id, [])
    if (arn, principal_type) not in principals:
        raise _fail(
            "ResourceNotFoundException",
            f"Principal {arn} of type {principal_type} is not associated with {portfolio.id}",
        )
    principals.remove((arn, principal_type))
    return {}


def list_principals_for_portfolio(call: _Request) -> dict[str, Any]:
    catalog = call.catalog
    portfolio = catalog.portfolio(call.get("PortfolioId"))
    principals = [
        {"PrincipalARN": arn, "PrincipalType": kind}
        for arn, kind in catalog.principals.get(portfolio.id, [])
    ]
    return call.page(principals, "Principals")


# Portfolio shares


def _operation(catalog: Catalog, portfolio_id: str, node_value: str, accounts: list[str]) -> str:
    token = new_id("share")
    catalog.share_operations[token] = ShareOperation(token, portfolio_id, node_value, accounts)
    return token


def _share_target(call: _Request) -> tuple[str, str, OrganizationView | None]:
    """(share type, principal id, the caller's organization for organization node shares)."""
    account_id, node = call.get("AccountId"), call.get("OrganizationNode")
    if bool(account_id) == bool(node):
        raise _fail(
            "InvalidParametersException",
            "Exactly one of AccountId and OrganizationNode is required",
        )
    if account_id:
        if account_id == call.catalog.account:
            raise _fail(
                "InvalidParametersException", "A portfolio cannot be shared with its own account"
            )
        return "ACCOUNT", account_id, None
    node_type = node.get("Type")
    if node_type not in SHARE_TYPE_OF_NODE:
        raise _fail(
            "InvalidParametersException",
            f"OrganizationNode type {node_type} is not ORGANIZATION, ORGANIZATIONAL_UNIT or "
            "ACCOUNT",
        )
    org = _organization_or_fail(call.catalog, "management", "delegated-admin")
    return SHARE_TYPE_OF_NODE[node_type], organization_node_id(str(node.get("Value"))), org


def _find_share(
    catalog: Catalog, portfolio_id: str, share_type: str, principal: str
) -> Share | None:
    for share in catalog.shares.get(portfolio_id, []):
        if (share.type, share.principal_id) == (share_type, principal):
            return share
    return None


def create_portfolio_share(call: _Request) -> dict[str, Any]:
    catalog = call.catalog
    portfolio = catalog.portfolio(call.get("PortfolioId"))
    share_type, principal, org = _share_target(call)
    share_principals = bool(call.get("SharePrincipals"))
    if share_principals and share_type not in ("ORGANIZATION", "ORGANIZATIONAL_UNIT"):
        raise _fail(
            "InvalidParametersException",
            "SharePrincipals is only supported for shares to an ORGANIZATION or "
            "ORGANIZATIONAL_UNIT",
        )
    if org is not None:
        if not org.access_enabled:
            raise _fail(
                "InvalidStateException",
                "AWS Organizations access must be enabled (EnableAWSOrganizationsAccess) to "
                "share a portfolio with an organization node",
            )
        node_type = next(t for t, s in SHARE_TYPE_OF_NODE.items() if s == share_type)
        if not org.has_node(node_type, principal):
            raise _fail(
                "InvalidParametersException",
                f"{principal} is not a {node_type} of organization {org.backend.org.id}",
            )
    if _find_share(catalog, portfolio.id, share_type, principal) is None:
        catalog.shares.setdefault(portfolio.id, []).append(
            Share(
                type=share_type,
                principal_id=principal,
                share_tag_options=bool(call.get("ShareTagOptions")),
                share_principals=share_principals,
                # Organization shares are imported automatically; an account accepts its own.
                accepted=org is not None,
            )
        )
    if org is None:
        return {}
    accounts = [a for a in org.accounts_under(principal) if a != catalog.account]
    return {"PortfolioShareToken": _operation(catalog, portfolio.id, principal, accounts)}


def update_portfolio_share(call: _Request) -> dict[str, Any]:
    catalog = call.catalog
    portfolio = catalog.portfolio(call.get("PortfolioId"))
    share_type, principal, org = _share_target(call)
    share = _find_share(catalog, portfolio.id, share_type, principal)
    if share is None:
        raise _fail(
            "ResourceNotFoundException",
            f"Portfolio {portfolio.id} is not shared with {share_type} {principal}",
        )
    if call.get("SharePrincipals") and share_type not in ("ORGANIZATION", "ORGANIZATIONAL_UNIT"):
        raise _fail(
            "InvalidParametersException",
            "SharePrincipals is only supported for shares to an ORGANIZATION or "
            "ORGANIZATIONAL_UNIT",
        )
    if call.get("SharePrincipals") is not None:
        share.share_principals = bool(call.get("SharePrincipals"))
    if call.get("ShareTagOptions") is not None:
        share.share_tag_options = bool(call.get("ShareTagOptions"))
    accounts = org.accounts_under(principal) if org is not None else [principal]
    accounts = [a for a in accounts if a != catalog.account]
    return {
        "PortfolioShareToken": _operation(catalog, portfolio.id, principal, accounts),
        "Status": "COMPLETED",
    }


def delete_portfolio_share(call: _Request) -> dict[str, Any]:
    catalog = call.catalog
    portfolio = catalog.portfolio(call.get("PortfolioId"))
    share_type, principal, org = _share_target(call)
    share = _find_share(catalog, portfolio.id, share_type, principal)
    if share is None:
        raise _fail(
            "ResourceNotFoundException",
            f"Portfolio {portfolio.id} is not shared with {share_type} {principal}",
        )
    catalog.shares[portfolio.id].remove(share)
    if org is None:
        return {}
    accounts = [a for a in org.accounts_under(principal) if a != catalog.account]
    return {"PortfolioShareToken": _operation(catalog, portfolio.id, principal, accounts)}


def describe_portfolio_shares(call: _Request) -> dict[str, Any]:
    catalog = call.catalog
    portfolio = catalog.portfolio(call.get("PortfolioId"))
    share_type = call.get("Type")
    if share_type not in SHARE_TYPES:
        raise _fail(
            "InvalidParametersException",
            f"Type {share_type} is not one of {', '.join(SHARE_TYPES)}",
        )
    details = [s.detail() for s in catalog.shares.get(portfolio.id, []) if s.type == share_type]
    return call.page(details, "PortfolioShareDetails", default_size=50)


def describe_portfolio_share_status(call: _Request) -> dict[str, Any]:
    catalog = call.catalog
    _organization_or_fail(catalog, "management", "delegated-admin")
    token = call.get("PortfolioShareToken")
    operation = catalog.share_operations.get(token)
    if operation is None:
        raise _fail("ResourceNotFoundException", f"Portfolio share {token} not found.")
    return operation.status()


def list_portfolio_access(call: _Request) -> dict[str, Any]:
    catalog = call.catalog
    portfolio = catalog.portfolio(call.get("PortfolioId"))
    shares = catalog.shares.get(portfolio.id, [])
    parent = call.get("OrganizationParentId")
    if parent:
        org = _organization_or_fail(catalog, "management", "delegated-admin")
        covered = {
            a for s in shares if s.type != "ACCOUNT" for a in org.accounts_under(s.principal_id)
        }
        accounts = [
            account.id
            for account in org.backend.accounts
            if account.parent_id == parent and account.id in covered
        ]
    else:
        accounts = [s.principal_id for s in shares if s.type == "ACCOUNT"]
    return call.page(accounts, "AccountIds")


def list_organization_portfolio_access(call: _Request) -> dict[str, Any]:
    catalog = call.catalog
    _organization_or_fail(catalog, "management", "delegated-admin")
    portfolio = catalog.portfolio(call.get("PortfolioId"))
    node_type = call.get("OrganizationNodeType")
    share_type = SHARE_TYPE_OF_NODE.get(node_type)
    if share_type is None:
        raise _fail("InvalidParametersException", f"OrganizationNodeType {node_type} is not valid")
    nodes = [
        {"Type": node_type, "Value": s.principal_id}
        for s in catalog.shares.get(portfolio.id, [])
        if s.type == share_type
    ]
    return call.page(nodes, "OrganizationNodes")


def accept_portfolio_share(call: _Request) -> dict[str, Any]:
    """In the recipient account: an account share (IMPORTED) becomes accepted; an organization
    share (AWS_ORGANIZATIONS) is accepted already."""
    account, region = call.catalog.account, call.catalog.region
    portfolio_id = call.get("PortfolioId")
    kind = call.get("PortfolioShareType") or "IMPORTED"
    for (owner, owner_region), catalog in CATALOGS.items():
        if owner_region != region or portfolio_id not in catalog.portfolios:
            continue
        for share in catalog.shares.get(portfolio_id, []):
            if kind == "IMPORTED" and (share.type, share.principal_id) == ("ACCOUNT", account):
                share.accepted = True
                return {}
            if kind == "AWS_ORGANIZATIONS" and share.type != "ACCOUNT":
                org = organization_of(owner, catalog.partition)
                if org is not None and account in org.accounts_under(share.principal_id):
                    return {}
    raise _fail(
        "ResourceNotFoundException",
        f"Portfolio {portfolio_id} is not shared with account {account} ({kind}).",
    )


# AWS Organizations access (trusted access of servicecatalog.amazonaws.com)


def enable_aws_organizations_access(call: _Request) -> dict[str, Any]:
    org = _organization_or_fail(call.catalog, "management")
    if org.backend.org.feature_set != "ALL":
        raise _fail(
            "InvalidStateException",
            "AWS Organizations access needs an organization with all features enabled",
        )
    org.backend.enable_aws_service_access(ServicePrincipal=SERVICE_PRINCIPAL)
    return {}


def disable_aws_organizations_access(call: _Request) -> dict[str, Any]:
    org = _organization_or_fail(call.catalog, "management")
    delegated = [a.account.id for a in org.backend.admins if SERVICE_PRINCIPAL in a.services]
    if delegated:
        raise _fail(
            "InvalidStateException",
            "AWS Organizations access cannot be disabled while Service Catalog has delegated "
            f"administrators ({', '.join(delegated)})",
        )
    org.backend.disable_aws_service_access(ServicePrincipal=SERVICE_PRINCIPAL)
    return {}


def get_aws_organizations_access_status(call: _Request) -> dict[str, Any]:
    org = _organization_or_fail(call.catalog, "management", "delegated-admin")
    return {"AccessStatus": "ENABLED" if org.access_enabled else "DISABLED"}


ACTIONS: dict[str, Callable[[_Request], dict[str, Any]]] = {
    action.__name__: action
    for action in (
        create_portfolio,
        describe_portfolio,
        update_portfolio,
        delete_portfolio,
        list_portfolios,
        list_portfolios_for_product,
        create_product,
        describe_product_as_admin,
        describe_product,
        update_product,
        delete_product,
        search_products_as_admin,
        create_provisioning_artifact,
        describe_provisioning_artifact,
        update_provisioning_artifact,
        delete_provisioning_artifact,
        list_provisioning_artifacts,
        associate_product_with_portfolio,
        disassociate_product_from_portfolio,
        create_constraint,
        describe_constraint,
        update_constraint,
        delete_constraint,
        list_constraints_for_portfolio,
        create_tag_option,
        describe_tag_option,
        update_tag_option,
        delete_tag_option,
        list_tag_options,
        associate_tag_option_with_resource,
        disassociate_tag_option_from_resource,
        list_resources_for_tag_option,
        associate_principal_with_portfolio,
        disassociate_principal_from_portfolio,
        list_principals_for_portfolio,
        create_portfolio_share,
        update_portfolio_share,
        delete_portfolio_share,
        describe_portfolio_shares,
        describe_portfolio_share_status,
        list_portfolio_access,
        list_organization_portfolio_access,
        accept_portfolio_share,
        enable_aws_organizations_access,
        disable_aws_organizations_access,
        get_aws_organizations_access_status,
    )
}


def _handler(action: Callable[[_Request], dict[str, Any]]) -> Callable[[Any], Any]:
    from moto.core.responses import ActionResult

    def handle(response: Any) -> Any:
        with _LOCK:
            return ActionResult(action(_Request(response)))

    handle.__name__ = action.__name__
    return handle


def _patch_tagged_resources() -> None:
    """Portfolios and products are listed by the Resource Groups Tagging API with their tags."""
    from moto.core.resource_tagging import TaggedResource
    from moto.servicecatalog import models

    def iter_tagged_resources(self: Any) -> Any:
        catalog = CATALOGS.get((self.account_id, self.region_name))
        if catalog is None:
            return
        for portfolio in catalog.portfolios.values():
            yield TaggedResource(
                arn=portfolio.arn,
                tags=dict(portfolio.tags),
                resource_type="servicecatalog:portfolio",
            )
        for product in catalog.products.values():
            yield TaggedResource(
                arn=product.arn, tags=dict(product.tags), resource_type="servicecatalog:product"
            )

    models.ServiceCatalogBackend.iter_tagged_resources = iter_tagged_resources  # type: ignore[method-assign]


def patch_service_catalog() -> None:
    """Register every action of this module (idempotent per server process)."""
    from moto.servicecatalog import responses

    response = responses.ServiceCatalogResponse
    if getattr(response, "sandbox_service_catalog", False):
        return
    for name, action in ACTIONS.items():
        setattr(response, name, _handler(action))
    _patch_tagged_resources()
    response.sandbox_service_catalog = True  # type: ignore[attr-defined]
