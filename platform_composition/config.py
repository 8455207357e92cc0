"""Typed, validated platform configuration parsed from `environments/` with python-hcl2.

Layout::

    environments/
      organization.hcl            # organization-wide settings, defined once
      <environment>/environment.hcl  # one directory per account (stack id = directory name)

Everything is parsed once into frozen dataclasses. Unknown keys, wrong types and broken references
are errors that name the file, the key, the bad value and what was expected, because a typo in an
account id or an OU path silently produces a platform that refuses its own events.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from platform_composition.backend_config import (
    BUCKET_RE,
    BackendConfig,
    CloudBackendConfig,
    LocalBackendConfig,
    S3BackendConfig,
    VcsRepository,
    parse_backend,
)
from platform_composition.catalog_config import CatalogSettings, parse_service_catalog
from platform_composition.guardrails_config import GuardrailSettings, parse_guardrails
from platform_composition.hcl_reader import ConfigError, ConfigErrors, Reader, raise_all, read_hcl
from platform_composition.lake_config import LakeSettings, parse_lake
from platform_composition.regions import PARTITIONS, REGION_RE, check_region, partition_regions
from platform_composition.studio_config import StudioSettings, parse_unified_studio
from platform_composition.workspace_config import WorkspaceSettings, parse_workspace

# Re-exported: callers catch ConfigError and name the backend and region types from here.
__all__ = [
    "BackendConfig",
    "CloudBackendConfig",
    "ConfigError",
    "LocalBackendConfig",
    "S3BackendConfig",
    "VcsRepository",
    "check_region",
    "partition_regions",
]

ORGANIZATION_FILE = "organization.hcl"
LOCK_FILE_SUFFIX = "terraform.lock.hcl"
ENVIRONMENT_FILE = "environment.hcl"

ACCOUNT_ID_RE = re.compile(r"^\d{12}$")
ORGANIZATION_ID_RE = re.compile(r"^o-[a-z0-9]{10,32}$")
OU_PATH_RE = re.compile(
    r"^o-[a-z0-9]{10,32}/r-[a-z0-9]{4,32}(/ou-[a-z0-9]{4,32}-[a-z0-9]{8,32})*/$"
)
NAME_PREFIX_RE = re.compile(r"^[a-z][a-z0-9-]{1,14}[a-z0-9]$")
ENVIRONMENT_NAME_RE = re.compile(r"^[a-z][a-z0-9-]{0,38}[a-z0-9]$")
TEAM_RE = re.compile(r"^[a-z][a-z0-9-]{0,30}[a-z0-9]$")
ROLE_NAME_RE = re.compile(r"^[\w+=,.@-]{1,64}$")
VPC_ID_RE = re.compile(r"^vpc-[0-9a-f]{8,17}$")
SUBNET_ID_RE = re.compile(r"^subnet-[0-9a-f]{8,17}$")
KMS_KEY_ARN_RE = re.compile(r"^arn:aws[\w-]*:kms:[a-z0-9-]+:\d{12}:key/[\w-]+$")
WORKSPACE_NAME_MAX_LENGTH = 24


class AccountRole(StrEnum):
    """What an account does in the platform; decides which modules its stack gets."""

    SHARED_SERVICES = "shared-services"
    DEV = "dev"
    TEST = "test"
    PROD = "prod"
    DATA_GOVERNANCE = "data-governance"
    # The management account (or an Organizations policy delegated admin): SCPs, and Service
    # Catalog's delegated administrator.
    ORGANIZATION = "organization"


# ---------------------------------------------------------------------------------------------
# Typed configuration
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EndpointNetwork:
    """Where SageMaker endpoints of a test/prod account run (VPC-only)."""

    vpc_id: str
    subnet_ids: tuple[str, ...]


@dataclass(frozen=True)
class EndpointSettings:
    """The SageMaker endpoint of a test/prod account."""

    name: str
    instance_type: str
    initial_instance_count: int


@dataclass(frozen=True)
class AutoscalingSettings:
    """Target-tracking autoscaling of the prod endpoint variant."""

    min_capacity: int
    max_capacity: int
    target_invocations_per_instance: int


@dataclass(frozen=True)
class PersonaPrincipals:
    """Exact principals (e.g. SSO permission-set roles) allowed to act as each hub persona."""

    ml_engineers: tuple[str, ...]
    governance_officers: tuple[str, ...]
    approval_notification_emails: tuple[str, ...]


@dataclass(frozen=True)
class OrganizationSettings:
    """Organization-wide settings, defined once in `environments/organization.hcl`."""

    organization_id: str
    workloads_ou_path: str
    management_account_id: str
    home_region: str
    name_prefix: str
    deployment_role_name: str | None
    partition: str
    default_tags: Mapping[str, str]
    backend: BackendConfig
    file: Path
    # State of the bootstrap stacks (HCP Terraform's run roles and workspaces), which cannot
    # live in the workspaces they create: local or S3.
    bootstrap_backend: LocalBackendConfig | S3BackendConfig = field(
        default_factory=LocalBackendConfig
    )


@dataclass(frozen=True)
class Environment:
    """One AWS account of the platform, and so one Terraform stack."""

    name: str
    role: AccountRole
    account_id: str
    region: str
    ou_path: str | None
    tags: Mapping[str, str]
    backend: BackendConfig
    external_id: str | None
    team: str | None
    endpoint_network: EndpointNetwork | None
    file: Path
    # Dev accounts: artifact buckets and keys the hub promoter reads besides the workspace's.
    additional_model_artifact_buckets: tuple[str, ...] = ()
    additional_model_artifact_kms_key_arns: tuple[str, ...] = ()
    # Test/prod accounts: the endpoint the pipeline deploys (prod may autoscale).
    endpoint: EndpointSettings | None = None
    autoscaling: AutoscalingSettings | None = None
    # Hub: who holds the ML engineer and governance officer roles.
    personas: PersonaPrincipals | None = None
    # Dev accounts: the team's SageMaker workspace.
    workspace: WorkspaceSettings | None = None
    # Data governance account: the governed data lake and who may read what.
    lake: LakeSettings | None = None
    # Data governance account: the SageMaker Unified Studio domain (a stack of its own).
    unified_studio: StudioSettings | None = None
    # Hub: how the Service Catalog portfolios are published.
    service_catalog: CatalogSettings | None = None
    # Organization account: the service control policies and where they apply.
    guardrails: GuardrailSettings | None = None


@dataclass(frozen=True)
class PlatformConfig:
    """The whole platform: organization settings plus every environment, ordered hub first."""

    organization: OrganizationSettings
    environments: tuple[Environment, ...]

    def by_role(self, role: AccountRole) -> tuple[Environment, ...]:
        """Environments of one role, in name order."""
        return tuple(env for env in self.environments if env.role is role)

    @property
    def shared_services(self) -> Environment:
        """The hub account (validation guarantees exactly one)."""
        return self.by_role(AccountRole.SHARED_SERVICES)[0]

    def environment(self, name: str) -> Environment:
        """Look an environment up by name; an unknown name is an error, never a default."""
        for env in self.environments:
            if env.name == name:
                return env
        known = ", ".join(env.name for env in self.environments)
        raise KeyError(f"unknown environment {name!r} (known: {known})")


IAM_PRINCIPAL_ARN_RE = re.compile(r"^arn:aws[\w-]*:iam::\d{12}:(role|user)/[\w+=,.@/-]+$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
INSTANCE_TYPE_RE = re.compile(r"^ml\.[a-z0-9]+\.[a-z0-9]+$")
ENDPOINT_NAME_RE = re.compile(r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$")


def _parse_personas(reader: Reader) -> PersonaPrincipals:
    """Persona principals; one principal in both roles would defeat separation of duties."""
    expected = "exact IAM role or user ARNs (no wildcards)"
    engineers = reader.string_list(
        "ml_engineer_principal_arns", pattern=IAM_PRINCIPAL_ARN_RE, expected=expected
    )
    officers = reader.string_list(
        "governance_officer_principal_arns", pattern=IAM_PRINCIPAL_ARN_RE, expected=expected
    )
    both = sorted(set(engineers) & set(officers))
    if both:
        reader.report(
            "governance_officer_principal_arns",
            f"got {both[0]!r}, which is also an ML engineer principal; expected separate "
            "principals (the governance officer approves what the ML engineer promoted)",
        )
    emails: tuple[str, ...] = ()
    if "approval_notification_emails" in reader.body:
        emails = reader.string_list(
            "approval_notification_emails", pattern=EMAIL_RE, expected="e-mail addresses"
        )
    return PersonaPrincipals(engineers, officers, emails)


def _parse_endpoint(reader: Reader, name_prefix: str) -> EndpointSettings:
    block = reader.block("endpoint")
    sub = reader.child(block[1] if block else {}, "endpoint.")
    mark = sub.mark()
    name = sub.string(
        "name",
        pattern=ENDPOINT_NAME_RE,
        expected="an endpoint name of letters, digits and -",
        default=f"{name_prefix}-inference",
    )
    if name and not name.startswith(f"{name_prefix}-"):
        sub.report(
            "name",
            f"got {name!r}; expected a name starting with {name_prefix}- (the deploy "
            "role may only manage endpoints carrying the platform prefix)",
        )
    instance_type = sub.string(
        "instance_type",
        pattern=INSTANCE_TYPE_RE,
        expected="a SageMaker instance type such as ml.m5.large",
        default="ml.m5.large",
    )
    count = sub.integer("initial_instance_count", minimum=1, maximum=100, default=1)
    sub.reject_unknown()
    sub.checkpoint(mark)
    assert name and instance_type
    return EndpointSettings(name=name, instance_type=instance_type, initial_instance_count=count)


def _parse_autoscaling(reader: Reader) -> AutoscalingSettings | None:
    block = reader.block("autoscaling")
    if block is None:
        return None
    sub = reader.child(block[1], "autoscaling.")
    minimum = sub.integer("min_capacity", minimum=1, maximum=100, default=2)
    maximum = sub.integer("max_capacity", minimum=1, maximum=100, default=4)
    target = sub.integer("target_invocations_per_instance", minimum=1, maximum=100000, default=100)
    sub.reject_unknown()
    if maximum < minimum:
        sub.report("max_capacity", f"got {maximum}; expected at least min_capacity ({minimum})")
    return AutoscalingSettings(minimum, maximum, target)


def load_organization(directory: Path) -> OrganizationSettings:
    """Parse `environments/organization.hcl`."""
    file = directory / ORGANIZATION_FILE
    reader = read_hcl(file)
    organization_id = reader.string(
        "organization_id",
        pattern=ORGANIZATION_ID_RE,
        expected='an organization id such as "o-a1b2c3d4e5"',
    )
    workloads_ou_path = reader.string(
        "workloads_ou_path",
        pattern=OU_PATH_RE,
        expected='an aws:PrincipalOrgPaths value such as "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/"',
    )
    management_account_id = reader.string(
        "management_account_id",
        pattern=ACCOUNT_ID_RE,
        expected="the 12-digit id of the organization's management account (OU ARNs carry it)",
    )
    home_region = reader.string(
        "home_region", pattern=REGION_RE, expected="an AWS region such as eu-west-1"
    )
    name_prefix = reader.string(
        "name_prefix",
        pattern=NAME_PREFIX_RE,
        expected="3-16 lowercase letters, digits or '-', starting with a letter",
    )
    deployment_role_name = reader.string(
        "deployment_role_name",
        pattern=ROLE_NAME_RE,
        expected="an IAM role name",
        required=False,
    )
    partition = reader.string(
        "partition", expected=f"one of {', '.join(PARTITIONS)}", default="aws"
    )
    if partition is not None and partition not in PARTITIONS:
        reader.report("partition", f"got {partition!r}; expected one of {', '.join(PARTITIONS)}")
        partition = None
    default_tags = reader.string_map("default_tags")
    if home_region and partition:
        check_region(reader, "home_region", home_region, partition)
    if (
        workloads_ou_path
        and organization_id
        and not workloads_ou_path.startswith(f"{organization_id}/")
    ):
        reader.report(
            "workloads_ou_path",
            f"got {workloads_ou_path!r}; expected a path inside organization {organization_id} "
            f"(starting with {organization_id}/)",
        )
    # Backends default their region and key prefix from the values above: read them once those
    # are known to be right.
    backend: BackendConfig | None = None
    bootstrap_backend: BackendConfig | None = None
    if name_prefix and partition and home_region in partition_regions().get(partition, ()):
        backend = reader.attempt(parse_backend, reader, None, name_prefix, home_region, partition)
        bootstrap_backend = reader.attempt(
            parse_backend,
            reader,
            None,
            name_prefix,
            home_region,
            partition,
            key="bootstrap_backend",
            kinds=("local", "s3"),
        )
    else:
        reader.seen |= {"backend", "bootstrap_backend"}
    reader.reject_unknown()
    reader.raise_collected()
    assert organization_id and workloads_ou_path and home_region and name_prefix
    assert management_account_id and partition
    assert not isinstance(bootstrap_backend, CloudBackendConfig)
    return OrganizationSettings(
        organization_id=organization_id,
        workloads_ou_path=workloads_ou_path,
        management_account_id=management_account_id,
        home_region=home_region,
        name_prefix=name_prefix,
        deployment_role_name=deployment_role_name,
        partition=partition or "aws",
        default_tags=default_tags,
        backend=backend or LocalBackendConfig(),
        file=file,
        bootstrap_backend=bootstrap_backend or LocalBackendConfig(),
    )


_ROLE_KEYS: dict[AccountRole, set[str]] = {
    AccountRole.SHARED_SERVICES: {
        "ml_engineer_principal_arns",
        "governance_officer_principal_arns",
        "approval_notification_emails",
        "service_catalog",
    },
    AccountRole.DEV: {
        "team",
        "workspace",
        "additional_model_artifact_buckets",
        "additional_model_artifact_kms_key_arns",
    },
    AccountRole.TEST: {"endpoint_network", "endpoint"},
    AccountRole.PROD: {"endpoint_network", "endpoint", "autoscaling"},
    AccountRole.DATA_GOVERNANCE: {"lake", "unified_studio"},
    AccountRole.ORGANIZATION: {"guardrails"},
}
_COMMON_KEYS = {"role", "account_id", "region", "ou_path", "tags", "backend", "external_id"}


def _parse_team(reader: Reader, name_prefix: str) -> str:
    """A dev account's team: it names the workspace and prefixes every team resource."""
    mark = reader.mark()
    team = reader.string("team", pattern=TEAM_RE, expected="2-32 lowercase letters, digits or '-'")
    reader.checkpoint(mark)
    assert team
    # "<prefix>-<team>" names the workspace and prefixes every team resource; SageMaker and
    # IAM limits leave 24 characters for it.
    workspace_name = f"{name_prefix}-{team}"
    if len(workspace_name) > WORKSPACE_NAME_MAX_LENGTH:
        raise reader.error(
            "team",
            f"got {team!r}; expected at most "
            f"{WORKSPACE_NAME_MAX_LENGTH - len(name_prefix) - 1} characters "
            f"(the workspace name {workspace_name!r} must fit in "
            f"{WORKSPACE_NAME_MAX_LENGTH} characters with name_prefix {name_prefix!r})",
        )
    # The portfolios' principal pattern "<prefix>-*-lead-data-scientist" must match only the
    # lead's roles: a team "x-lead" would make its data scientists ("<prefix>-x-lead-data-
    # scientist") look like a lead.
    if team.endswith(("-lead", "-studio")):
        raise reader.error(
            "team",
            f"got {team!r}; expected a name not ending in '-lead' or '-studio' (the role "
            f"{workspace_name}-data-scientist would match the lead data scientists' "
            "Service Catalog principal pattern)",
        )
    return team


def _parse_endpoint_network(reader: Reader) -> EndpointNetwork:
    """The VPC the test and prod endpoints run in."""
    block = reader.required_block(
        "endpoint_network", "missing; expected a block with vpc_id and subnet_ids"
    )
    sub = reader.child(block[1], "endpoint_network.")
    mark = sub.mark()
    vpc_id = sub.string(
        "vpc_id", pattern=VPC_ID_RE, expected='a VPC id such as "vpc-0123456789abcdef0"'
    )
    subnet_ids = sub.string_list(
        "subnet_ids",
        pattern=SUBNET_ID_RE,
        expected='subnet ids such as "subnet-0123456789abcdef0"',
    )
    sub.reject_unknown()
    sub.checkpoint(mark)
    assert vpc_id
    return EndpointNetwork(vpc_id=vpc_id, subnet_ids=subnet_ids)


def load_environment(directory: Path, organization: OrganizationSettings) -> Environment:
    """Parse one `environments/<name>/environment.hcl`."""
    name = directory.name
    file = directory / ENVIRONMENT_FILE
    if not ENVIRONMENT_NAME_RE.match(name):
        raise ConfigError(
            directory,
            None,
            f"environment directory name {name!r} is not valid; expected 2-40 lowercase letters, "
            "digits or '-' (it becomes the stack id and part of resource names)",
        )
    reader = read_hcl(file)
    role_value = reader.string(
        "role", expected="one of " + ", ".join(f'"{r.value}"' for r in AccountRole)
    )
    try:
        role = AccountRole(role_value or "")
    except ValueError:
        if role_value is not None:
            reader.report(
                "role",
                f"got {role_value!r}; expected one of "
                + ", ".join(f'"{r.value}"' for r in AccountRole),
            )
        # Without a role the keys allowed are not known: report those no role allows, and stop.
        reader.reject_keys_outside(
            _COMMON_KEYS.union(*_ROLE_KEYS.values()), "unknown key for any environment"
        )
        reader.raise_collected()
        raise AssertionError("a missing or unknown role is recorded above") from None
    reader.reject_keys_outside(
        _COMMON_KEYS | _ROLE_KEYS[role], f"unknown key for a {role.value} environment"
    )
    account_id = reader.string(
        "account_id", pattern=ACCOUNT_ID_RE, expected="a 12-digit AWS account id in quotes"
    )
    region = reader.string(
        "region",
        pattern=REGION_RE,
        expected="an AWS region such as eu-west-1",
        default=organization.home_region,
    )
    if region is not None:
        check_region(reader, "region", region, organization.partition)
    # Dev accounts default to the workloads OU; for the others the OU is informational.
    ou_path = reader.string(
        "ou_path",
        pattern=OU_PATH_RE,
        expected="an organization path ending in /",
        default=organization.workloads_ou_path if role is AccountRole.DEV else None,
        required=False,
    )
    if ou_path is not None and not ou_path.startswith(f"{organization.organization_id}/"):
        reader.report(
            "ou_path",
            f"got {ou_path!r}; expected a path inside organization "
            f"{organization.organization_id} ({organization.file})",
        )
    elif (
        role is AccountRole.DEV
        and ou_path is not None
        and not ou_path.startswith(organization.workloads_ou_path)
    ):
        reader.report(
            "ou_path",
            f"got {ou_path!r}; a dev account must sit under the workloads OU "
            f"{organization.workloads_ou_path!r} set in {organization.file}, "
            "because the hub's event "
            "bus only admits model approval events from that OU",
        )
    tags = reader.string_map("tags")
    external_id = reader.string(
        "external_id",
        pattern=re.compile(r"^[\w+=,.@:/-]{2,1224}$"),
        expected="an sts external id",
        required=False,
    )
    # Blocks are read even when the account id or region is wrong (reported above), so their own
    # mistakes are reported too; checks against the account id are then left out.
    block_region = region or organization.home_region
    team = None
    workspace: WorkspaceSettings | None = None
    additional_model_artifact_buckets: tuple[str, ...] = ()
    additional_model_artifact_kms_key_arns: tuple[str, ...] = ()
    if role is AccountRole.DEV:
        team = reader.attempt(_parse_team, reader, organization.name_prefix)
        workspace = reader.attempt(parse_workspace, reader, region=block_region)
        # Buckets the hub's promoter may read besides the workspace's own artifact bucket
        # (e.g. a bucket the team used before the workspace existed).
        if "additional_model_artifact_buckets" in reader.body:
            additional_model_artifact_buckets = reader.string_list(
                "additional_model_artifact_buckets", pattern=BUCKET_RE, expected="S3 bucket names"
            )
        if "additional_model_artifact_kms_key_arns" in reader.body:
            additional_model_artifact_kms_key_arns = reader.string_list(
                "additional_model_artifact_kms_key_arns",
                pattern=KMS_KEY_ARN_RE,
                expected=f"KMS key ARNs in account {account_id}",
            )
            for index, arn in enumerate(additional_model_artifact_kms_key_arns):
                if account_id and f":{account_id}:" not in arn:
                    reader.report(
                        f"additional_model_artifact_kms_key_arns[{index}]",
                        f"got {arn!r}; expected a key of this account ({account_id})",
                    )
    endpoint_network = None
    endpoint: EndpointSettings | None = None
    autoscaling: AutoscalingSettings | None = None
    if role in (AccountRole.TEST, AccountRole.PROD):
        endpoint_network = reader.attempt(_parse_endpoint_network, reader)
        endpoint = reader.attempt(_parse_endpoint, reader, organization.name_prefix)
        autoscaling = (
            reader.attempt(_parse_autoscaling, reader) if role is AccountRole.PROD else None
        )
    personas = (
        reader.attempt(_parse_personas, reader) if role is AccountRole.SHARED_SERVICES else None
    )
    service_catalog = (
        reader.attempt(parse_service_catalog, reader, hub_account_id=account_id)
        if role is AccountRole.SHARED_SERVICES
        else None
    )
    lake = reader.attempt(parse_lake, reader) if role is AccountRole.DATA_GOVERNANCE else None
    unified_studio = (
        reader.attempt(parse_unified_studio, reader, account_id=account_id, region=block_region)
        if role is AccountRole.DATA_GOVERNANCE
        else None
    )
    guardrails = (
        reader.attempt(
            parse_guardrails,
            reader,
            name_prefix=organization.name_prefix,
            account_id=account_id,
            management_account_id=organization.management_account_id,
            deployment_role_name=organization.deployment_role_name,
        )
        if role is AccountRole.ORGANIZATION
        else None
    )
    backend = reader.attempt(
        parse_backend,
        reader,
        name,
        organization.name_prefix,
        organization.home_region,
        organization.partition,
    )
    reader.reject_unknown()
    reader.raise_collected()
    assert account_id and region
    return Environment(
        name=name,
        role=role,
        account_id=account_id,
        region=region,
        ou_path=ou_path,
        tags=tags,
        backend=backend or organization.backend,
        external_id=external_id,
        team=team,
        endpoint_network=endpoint_network,
        file=file,
        additional_model_artifact_buckets=additional_model_artifact_buckets,
        additional_model_artifact_kms_key_arns=additional_model_artifact_kms_key_arns,
        endpoint=endpoint,
        autoscaling=autoscaling,
        personas=personas,
        workspace=workspace,
        lake=lake,
        unified_studio=unified_studio,
        service_catalog=service_catalog,
        guardrails=guardrails,
    )


_ROLE_ORDER = {
    AccountRole.SHARED_SERVICES: 0,
    AccountRole.DATA_GOVERNANCE: 1,
    AccountRole.DEV: 2,
    AccountRole.TEST: 3,
    AccountRole.PROD: 4,
    AccountRole.ORGANIZATION: 5,
}


def _role_errors(root: Path, environments: list[Environment]) -> list[ConfigError]:
    """How many environments each account role has, and lake grants to dev environments."""
    errors: list[ConfigError] = []
    counts = {role: sum(1 for e in environments if e.role is role) for role in AccountRole}
    for role in (AccountRole.SHARED_SERVICES, AccountRole.TEST, AccountRole.PROD):
        if counts[role] != 1:
            names = [e.name for e in environments if e.role is role]
            errors.append(
                ConfigError(
                    root,
                    None,
                    f'expected exactly one environment with role = "{role.value}", '
                    f"found {counts[role]}" + (f" ({', '.join(names)})" if names else ""),
                )
            )
    if counts[AccountRole.DATA_GOVERNANCE] > 1:
        errors.append(
            ConfigError(
                root, None, 'expected at most one environment with role = "data-governance"'
            )
        )
    if counts[AccountRole.ORGANIZATION] > 1:
        names = [e.name for e in environments if e.role is AccountRole.ORGANIZATION]
        errors.append(
            ConfigError(
                root,
                None,
                'expected at most one environment with role = "organization", found '
                f"{counts[AccountRole.ORGANIZATION]} ({', '.join(names)})",
            )
        )
    if counts[AccountRole.DEV] == 0:
        errors.append(
            ConfigError(root, None, 'expected at least one environment with role = "dev"')
        )
    dev_names = sorted(e.name for e in environments if e.role is AccountRole.DEV)
    for env in environments:
        for grant in env.lake.grants if env.lake else ():
            if grant.environment not in dev_names:
                errors.append(
                    ConfigError(
                        env.file,
                        f'lake.grant "{grant.environment}"',
                        f"{grant.environment!r} is not a dev environment of {root}; "
                        "expected one of: " + ", ".join(dev_names),
                    )
                )
    return errors


def _cloud_backend_errors(environments: list[Environment]) -> list[ConfigError]:
    """Every `cloud` backend must name the same HCP Terraform organization, project and VCS
    repository: the bootstrap stacks create one project and its workspaces."""
    clouds = [e for e in environments if isinstance(e.backend, CloudBackendConfig)]
    if not clouds:
        return []

    def target(env: Environment) -> tuple[object, ...]:
        backend = env.backend
        assert isinstance(backend, CloudBackendConfig)
        return (backend.hostname, backend.organization, backend.project, backend.vcs)

    first = clouds[0]
    return [
        ConfigError(
            env.file,
            'backend "cloud"',
            f"names {_describe_cloud(env)}, but environment {first.name!r} names "
            f"{_describe_cloud(first)}; expected every cloud backend to use one HCP Terraform "
            "organization, project and VCS repository",
        )
        for env in clouds[1:]
        if target(env) != target(first)
    ]


def _describe_cloud(env: Environment) -> str:
    backend = env.backend
    assert isinstance(backend, CloudBackendConfig)
    repo = f", repository {backend.vcs.identifier}" if backend.vcs else ""
    return f"{backend.hostname}/{backend.organization}, project {backend.project!r}{repo}"


def _syntax_errors(env_dirs: list[Path]) -> list[ConfigError]:
    """What can be checked of the environments while organization.hcl is wrong: their syntax
    and keys set twice (their values take defaults from the organization)."""
    errors: list[ConfigError] = []
    for env_dir in env_dirs:
        try:
            errors += read_hcl(env_dir / ENVIRONMENT_FILE).errors
        except ConfigError as error:
            errors.append(error)
    return errors


# Files that look like configuration but that nothing reads: an error rather than silence
# (values in a terraform.tfvars next to environment.hcl would otherwise be ignored).
_CONFIG_LIKE_SUFFIXES = (".hcl", ".tf", ".tfvars", ".json", ".tf.json", ".tfvars.json")


def _unread_files(root: Path, env_dirs: list[Path]) -> list[ConfigError]:
    """Configuration-like files of the tree that the platform does not read."""
    read = {root / ORGANIZATION_FILE}
    candidates = [p for p in root.iterdir() if p.is_file()]
    for env_dir in env_dirs:
        read.add(env_dir / ENVIRONMENT_FILE)
        read.update(env_dir.glob(f"*{LOCK_FILE_SUFFIX}"))
        candidates += [p for p in env_dir.iterdir() if p.is_file()]
    return [
        ConfigError(
            path,
            None,
            "is not read; the configuration is organization.hcl and one environment.hcl per "
            f"environment directory (with its lock files, *{LOCK_FILE_SUFFIX}): move its "
            "settings there",
        )
        for path in sorted(candidates)
        if path not in read
        and not path.name.startswith(".")
        and path.name.endswith(_CONFIG_LIKE_SUFFIXES)
    ]


def load_platform_config(directory: Path | str) -> PlatformConfig:
    """Parse and cross-check the whole `environments/` tree.

    Cross-checks: exactly one shared-services, test and prod account; at least one dev account;
    account ids, dev teams and environment names unique; every environment inside the organization.
    """
    root = Path(directory)
    if not root.is_dir():
        raise ConfigError(root, None, "environments directory not found")
    env_dirs = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    try:
        organization = load_organization(root)
    except ConfigError as error:
        raise ConfigErrors(
            [error, *_syntax_errors(env_dirs)],
            note=f"(the environments' values are checked once {ORGANIZATION_FILE} is right: "
            "they take defaults from it)"
            if env_dirs
            else None,
        ) from None
    environments: list[Environment] = []
    # Every environment is read even after one fails, so one run reports every mistake.
    errors: list[ConfigError] = []
    errors += _unread_files(root, env_dirs)
    for env_dir in env_dirs:
        if not (env_dir / ENVIRONMENT_FILE).exists():
            errors.append(
                ConfigError(
                    env_dir,
                    None,
                    f"directory has no {ENVIRONMENT_FILE}; every directory under "
                    f"{root} is an environment",
                )
            )
            continue
        try:
            environments.append(load_environment(env_dir, organization))
        except ConfigError as error:
            errors.append(error)
    unreadable = bool(errors)

    seen_accounts: dict[str, Environment] = {}
    seen_teams: dict[str, Environment] = {}
    for env in environments:
        other = seen_accounts.get(env.account_id)
        if other is not None:
            errors.append(
                ConfigError(
                    env.file,
                    "account_id",
                    f"got {env.account_id!r}, already used by environment {other.name!r} "
                    f"({other.file}); "
                    "expected one account per environment",
                )
            )
        seen_accounts[env.account_id] = env
        if env.team is not None:
            other = seen_teams.get(env.team)
            if other is not None:
                errors.append(
                    ConfigError(
                        env.file,
                        "team",
                        f"got {env.team!r}, already used by environment {other.name!r}; "
                        "expected a unique team",
                    )
                )
            seen_teams[env.team] = env

    # Counting roles, or naming dev environments, among environments that could not all be read
    # would report mistakes that are not there.
    if not unreadable:
        errors += _role_errors(root, environments)
    errors += _cloud_backend_errors(environments)
    raise_all(errors)

    environments.sort(key=lambda e: (_ROLE_ORDER[e.role], e.name))
    return PlatformConfig(organization=organization, environments=tuple(environments))
