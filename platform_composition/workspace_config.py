"""The `workspace { ... }` block of a dev environment: the team's SageMaker workspace.

    workspace {
      auth_mode = "SSO"                       # or "IAM"
      network "create" {                      # or network "existing" { vpc_id, subnet_ids, ... }
        cidr               = "10.40.0.0/16"
        availability_zones = ["eu-west-1a", "eu-west-1b"]
      }
      lead_data_scientist_principal_arns = ["arn:aws:iam::222222222222:role/..."]
      data_scientist_principal_arns      = ["arn:aws:iam::222222222222:role/..."]
      users = {
        alice = { persona = "lead_data_scientist", sso_user_name = "alice@example.com" }
      }
      mlflow {}                               # optional tracking server
      project_source_provider = "GitHub"      # SageMaker projects' git host (CodeConnections)
    }

Checks that the module's own variable validations would make later are made here, against the
environment (zones in the account's region, principals in no two personas), so that a mistake is
reported with the environment file and key before anything is synthesized.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from platform_composition.hcl_reader import Reader

PERSONAS = ("lead_data_scientist", "data_scientist")
AUTH_MODES = ("SSO", "IAM")
MLFLOW_SIZES = ("Small", "Medium", "Large")

SOURCE_PROVIDERS = ("GitHub", "GitHubEnterpriseServer", "GitLab", "GitLabSelfManaged", "Bitbucket")
CONNECTION_ARN_RE = re.compile(
    r"^arn:aws[\w-]*:code(connections|star-connections):[a-z0-9-]+:\d{12}:connection/[0-9a-f-]{36}$"
)
IAM_PRINCIPAL_ARN_RE = re.compile(r"^arn:aws[\w-]*:iam::\d{12}:(role|user)/[\w+=,.@/-]+$")
USER_PROFILE_NAME_RE = re.compile(r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$")
SSO_USER_NAME_RE = re.compile(r"^[\w+=,.@-]{1,128}$")
VPC_ID_RE = re.compile(r"^vpc-[0-9a-f]{8,17}$")
SUBNET_ID_RE = re.compile(r"^subnet-[0-9a-f]{8,17}$")
ROUTE_TABLE_ID_RE = re.compile(r"^rtb-[0-9a-f]{8,17}$")
BUCKET_RE = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
POLICY_ARN_RE = re.compile(r"^arn:aws[\w-]*:iam::(\d{12}|aws):policy/[\w+=,.@/-]+$")
MAINTENANCE_WINDOW_RE = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun):([01]\d|2[0-3]):[0-5]\d$")
# Studio's idle shutdown bounds (minutes); users may pick up to four hours unless the default is
# longer.
IDLE_TIMEOUT_MINIMUM, IDLE_TIMEOUT_MAXIMUM, USER_IDLE_TIMEOUT_CEILING = 60, 525600, 240


@dataclass(frozen=True)
class CreatedNetwork:
    """The workspace creates its ML VPC: private subnets only, one per zone."""

    cidr: str
    availability_zones: tuple[str, ...]
    mode: str = "create"


@dataclass(frozen=True)
class ExistingNetwork:
    """The workspace attaches to a VPC of the account's network baseline."""

    vpc_id: str
    subnet_ids: tuple[str, ...]
    route_table_ids: tuple[str, ...]
    create_vpc_endpoints: bool
    mode: str = "existing"


@dataclass(frozen=True)
class WorkspaceUser:
    """One Studio user profile, bound to its persona's execution role."""

    name: str
    persona: str
    sso_user_name: str | None


@dataclass(frozen=True)
class MlflowSettings:
    """Optional SageMaker MLflow tracking server of the team."""

    size: str
    automatic_model_registration: bool
    weekly_maintenance_window_start: str | None


@dataclass(frozen=True)
class WorkspaceSettings:
    """Everything the `ml-workspace` module takes from an environment file."""

    auth_mode: str
    network: CreatedNetwork | ExistingNetwork
    internet_egress: bool
    lead_data_scientist_principals: tuple[str, ...]
    data_scientist_principals: tuple[str, ...]
    users: tuple[WorkspaceUser, ...]
    mlflow: MlflowSettings | None
    idle_timeout_in_minutes: int
    permissions_boundary_arn: str | None
    access_log_bucket: str | None
    # SageMaker projects reach their git repositories through CodeConnections: a connection the
    # workspace creates for this provider, or an existing one.
    project_source_provider: str = "GitHub"
    project_source_connection_arn: str | None = None


def parse_workspace(reader: Reader, *, region: str) -> WorkspaceSettings:
    """Parse the `workspace` block of a dev environment (required there)."""
    block = reader.required_block(
        "workspace",
        "missing; expected a workspace { ... } block (network, persona principals, users): "
        "every dev account gets the team's SageMaker workspace",
    )
    sub = reader.sub("workspace", block[1])
    mark = sub.mark()
    auth_mode = sub.string("auth_mode", expected='"SSO" or "IAM"', default="SSO")
    if auth_mode is not None and auth_mode not in AUTH_MODES:
        sub.report("auth_mode", f'got {auth_mode!r}; expected "SSO" or "IAM"')
        auth_mode = None
    network = sub.attempt(_parse_network, sub, region)
    internet_egress = sub.boolean("internet_egress", default=False)
    leads, scientists = _parse_principals(sub)
    # Users are checked against the auth mode; with a wrong or misspelled one (its default
    # would not be what was meant), only their shape is checked.
    users = sub.attempt(_parse_users, sub, None if sub.misspelling_of("auth_mode") else auth_mode)
    mlflow = sub.attempt(_parse_mlflow, sub)
    idle_timeout = sub.integer(
        "idle_timeout_in_minutes",
        minimum=IDLE_TIMEOUT_MINIMUM,
        maximum=IDLE_TIMEOUT_MAXIMUM,
        default=IDLE_TIMEOUT_MINIMUM,
    )
    boundary = sub.string(
        "permissions_boundary_arn",
        pattern=POLICY_ARN_RE,
        expected="an IAM managed policy ARN",
        required=False,
    )
    access_log_bucket = sub.string(
        "access_log_bucket",
        pattern=BUCKET_RE,
        expected="the name of an existing S3 bucket receiving server access logs",
        required=False,
    )
    expected_provider = " or ".join(f'"{p}"' for p in SOURCE_PROVIDERS)
    source_provider = sub.string(
        "project_source_provider", expected=expected_provider, default="GitHub"
    )
    if source_provider is not None and source_provider not in SOURCE_PROVIDERS:
        sub.report(
            "project_source_provider",
            f"got {source_provider!r}; expected {expected_provider} (CodeConnections providers; "
            "CodeCommit is not offered)",
        )
    connection_arn = sub.string(
        "project_source_connection_arn",
        pattern=CONNECTION_ARN_RE,
        expected="a CodeConnections connection ARN (arn:aws:codeconnections:<region>:<account>:"
        "connection/<uuid>)",
        required=False,
    )
    sub.reject_unknown()
    sub.checkpoint(mark)
    assert auth_mode and source_provider and network and users is not None
    return WorkspaceSettings(
        auth_mode=auth_mode,
        network=network,
        internet_egress=internet_egress,
        lead_data_scientist_principals=leads,
        data_scientist_principals=scientists,
        users=users,
        mlflow=mlflow,
        idle_timeout_in_minutes=idle_timeout,
        permissions_boundary_arn=boundary,
        access_log_bucket=access_log_bucket,
        project_source_provider=source_provider,
        project_source_connection_arn=connection_arn,
    )


def _parse_network(reader: Reader, region: str) -> CreatedNetwork | ExistingNetwork:
    mode, body = reader.required_block(
        "network",
        'missing; expected network "create" { cidr, availability_zones } or '
        'network "existing" { vpc_id, subnet_ids, route_table_ids }',
    )
    sub = reader.child(body, f'{reader.prefix}network "{mode}".')
    mark = sub.mark()
    network: CreatedNetwork | ExistingNetwork
    if mode == "create":
        cidr = sub.string("cidr", expected="an IPv4 CIDR block from /16 to /24, e.g. 10.40.0.0/16")
        if cidr is not None:
            try:
                parsed = ipaddress.IPv4Network(cidr)
            except ValueError as error:
                sub.report("cidr", f"got {cidr!r}; expected an IPv4 CIDR block ({error})")
            else:
                if not 16 <= parsed.prefixlen <= 24:
                    sub.report(
                        "cidr",
                        f"got {cidr!r}; expected a prefix length from /16 to /24 (one per zone)",
                    )
        zones = sub.string_list(
            "availability_zones",
            pattern=re.compile(rf"^{re.escape(region)}[a-z]$"),
            expected=f"two or three availability zones of {region}, e.g. {region}a",
        )
        if zones and (len(set(zones)) != len(zones) or len(zones) not in (2, 3)):
            sub.report(
                "availability_zones",
                f"got {list(zones)}; expected two or three distinct zones (Studio and the "
                "endpoints need subnets in at least two)",
            )
        sub.reject_unknown()
        sub.checkpoint(mark)
        assert cidr
        network = CreatedNetwork(cidr=cidr, availability_zones=zones)
    elif mode == "existing":
        vpc_id = sub.string(
            "vpc_id", pattern=VPC_ID_RE, expected='a VPC id such as "vpc-0123456789abcdef0"'
        )
        subnet_ids = sub.string_list(
            "subnet_ids", pattern=SUBNET_ID_RE, expected="private subnet ids in two or more zones"
        )
        if subnet_ids and len(set(subnet_ids)) < 2:
            sub.report(
                "subnet_ids", f"got {list(subnet_ids)}; expected at least two distinct subnets"
            )
        create_endpoints = sub.boolean("create_vpc_endpoints", default=True)
        route_table_ids: tuple[str, ...] = ()
        if create_endpoints or "route_table_ids" in body:
            route_table_ids = sub.string_list(
                "route_table_ids",
                pattern=ROUTE_TABLE_ID_RE,
                expected="the subnets' route table ids (the S3 gateway endpoint is added to them)",
            )
        sub.reject_unknown()
        sub.checkpoint(mark)
        assert vpc_id
        network = ExistingNetwork(
            vpc_id=vpc_id,
            subnet_ids=subnet_ids,
            route_table_ids=route_table_ids,
            create_vpc_endpoints=create_endpoints,
        )
    else:
        raise reader.error("network", f'got "{mode}"; expected "create" or "existing"')
    sub.reject_unknown()
    return network


def _parse_principals(reader: Reader) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Who may assume each persona role; one principal in both would let a scientist approve."""
    expected = "exact IAM role or user ARNs (no wildcards), e.g. permission-set roles"
    leads = reader.string_list(
        "lead_data_scientist_principal_arns", pattern=IAM_PRINCIPAL_ARN_RE, expected=expected
    )
    scientists = reader.string_list(
        "data_scientist_principal_arns", pattern=IAM_PRINCIPAL_ARN_RE, expected=expected
    )
    both = sorted(set(leads) & set(scientists))
    if both:
        reader.report(
            "data_scientist_principal_arns",
            f"got {both[0]!r}, which is also a lead data scientist principal; expected separate "
            "principals (the lead approves what data scientists register)",
        )
    return leads, scientists


def _parse_users(reader: Reader, auth_mode: str | None) -> tuple[WorkspaceUser, ...]:
    """The workspace's user profiles (`auth_mode` None: unknown, its rules not checked)."""
    reader.seen.add("users")
    mark = reader.mark()
    value = reader.body.get("users", {})
    if not isinstance(value, dict):
        raise reader.error(
            "users",
            f"got {value!r}; expected a map of user profiles, e.g. "
            '{ alice = { persona = "lead_data_scientist", sso_user_name = "alice@example.com" } }',
        )
    users: list[WorkspaceUser] = []
    for name, body in value.items():
        if not USER_PROFILE_NAME_RE.match(str(name)):
            reader.report(
                f"users.{name}",
                "is not a valid user profile name; expected 1-63 letters, digits or '-'",
            )
        if not isinstance(body, dict):
            reader.report(
                f"users.{name}", f"got {body!r}; expected {{ persona = ..., sso_user_name = ... }}"
            )
            continue
        sub = reader.sub(f"users.{name}", body)
        persona = sub.string("persona", expected=" or ".join(f'"{p}"' for p in PERSONAS))
        if persona is not None and persona not in PERSONAS:
            sub.report(
                "persona", f"got {persona!r}; expected " + " or ".join(f'"{p}"' for p in PERSONAS)
            )
        sso_user_name = sub.string(
            "sso_user_name",
            pattern=SSO_USER_NAME_RE,
            expected="the user's IAM Identity Center user name",
            required=auth_mode == "SSO",
        )
        if auth_mode == "IAM" and sso_user_name is not None:
            sub.report(
                "sso_user_name",
                f'got {sso_user_name!r}; expected no sso_user_name with auth_mode = "IAM" '
                "(users open Studio through their persona role)",
            )
        sub.reject_unknown()
        if persona in PERSONAS:
            users.append(WorkspaceUser(str(name), persona, sso_user_name))
    reader.checkpoint(mark)
    return tuple(users)


def _parse_mlflow(reader: Reader) -> MlflowSettings | None:
    block = reader.block("mlflow")
    if block is None:
        return None
    sub = reader.sub("mlflow", block[1])
    mark = sub.mark()
    size = sub.string("size", expected=" or ".join(f'"{s}"' for s in MLFLOW_SIZES), default="Small")
    if size is not None and size not in MLFLOW_SIZES:
        sub.report("size", f"got {size!r}; expected " + " or ".join(f'"{s}"' for s in MLFLOW_SIZES))
    automatic = sub.boolean("automatic_model_registration", default=False)
    window = sub.string(
        "weekly_maintenance_window_start",
        pattern=MAINTENANCE_WINDOW_RE,
        expected='a weekly UTC start such as "Sun:03:00"',
        required=False,
    )
    sub.reject_unknown()
    sub.checkpoint(mark)
    assert size
    return MlflowSettings(size, automatic, window)
