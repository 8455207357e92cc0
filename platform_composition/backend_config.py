"""The `backend` block: where a stack's state lives (local, S3 or HCP Terraform), and for HCP
Terraform how its runs get AWS credentials and where their configuration comes from.

    backend "s3"    { bucket, region, key_prefix, kms_key_id, role_arn }
    backend "cloud" { organization, project, workspace_prefix, hostname, dynamic_credentials,
                      separate_plan_role, apply_policy_arns, vcs { repository, branch,
                      oauth_token_id | github_app_installation_id } }
    backend "local" {}
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from platform_composition.hcl_reader import Reader
from platform_composition.regions import REGION_RE, check_region

BUCKET_RE = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
POLICY_ARN_RE = re.compile(r"^arn:aws[\w-]*:iam::(aws|\d{12}):policy/[\w+=,.@/-]+$")


@dataclass(frozen=True)
class LocalBackendConfig:
    """State on the operator's disk (the default: fine for a first look, not for a team)."""

    kind: str = field(default="local", init=False)


@dataclass(frozen=True)
class S3BackendConfig:
    """S3 state with native locking (`use_lockfile`, Terraform >= 1.10)."""

    bucket: str
    region: str
    key_prefix: str
    kms_key_id: str | None = None
    role_arn: str | None = None
    kind: str = field(default="s3", init=False)


@dataclass(frozen=True)
class VcsRepository:
    """The repository whose commits start VCS-driven runs, and how HCP Terraform reads it."""

    identifier: str
    branch: str | None = None
    oauth_token_id: str | None = None
    github_app_installation_id: str | None = None


@dataclass(frozen=True)
class CloudBackendConfig:
    """HCP Terraform / Terraform Enterprise: one workspace per stack.

    With `dynamic_credentials` (the default) runs get short-lived AWS credentials from HCP
    Terraform's workload identity: the stacks' provider assumes no role of its own, and the
    `hcp-terraform-run-roles` stack creates the roles the workspaces' tokens may assume.
    """

    organization: str
    workspace_prefix: str
    hostname: str = "app.terraform.io"
    project: str | None = None
    dynamic_credentials: bool = True
    separate_plan_role: bool = True
    apply_policy_arns: tuple[str, ...] = ()  # () = the partition's AdministratorAccess
    vcs: VcsRepository | None = None
    kind: str = field(default="cloud", init=False)


BackendConfig = LocalBackendConfig | S3BackendConfig | CloudBackendConfig


def parse_backend(
    reader: Reader,
    env_name: str | None,
    name_prefix: str,
    home_region: str,
    partition: str,
    *,
    key: str = "backend",
    kinds: tuple[str, ...] = ("local", "s3", "cloud"),
) -> BackendConfig | None:
    """The `backend` block (or another block of the same shape, `key`) of an organization or
    environment file, of one of `kinds` (None: absent)."""
    block = reader.block(key)
    if block is None:
        return None
    kind, body = block
    if kind not in kinds:
        expected = ", ".join(f'"{k}"' for k in kinds)
        raise reader.error(key, f'got "{kind}"; expected one of {expected}')
    sub = reader.child(body, f'{key} "{kind}".')
    mark = sub.mark()
    backend: BackendConfig
    if kind == "local":
        backend = LocalBackendConfig()
    elif kind == "s3":
        bucket = sub.string("bucket", pattern=BUCKET_RE, expected="an S3 bucket name")
        region = sub.string(
            "region",
            pattern=REGION_RE,
            expected="an AWS region such as eu-west-1",
            default=home_region,
        )
        if region is not None:
            check_region(sub, "region", region, partition)
        key_prefix = sub.string(
            "key_prefix",
            pattern=re.compile(r"^[\w./-]{1,200}$"),
            expected="an S3 key prefix of letters, digits, _ . / -",
            default=name_prefix,
        )
        kms_key_id = sub.string(
            "kms_key_id",
            pattern=re.compile(
                r"^(arn:aws[\w-]*:kms:[\w-]+:\d{12}:(key|alias)/[\w/-]+|alias/[\w/-]+)$"
            ),
            expected="a KMS key ARN or alias",
            required=False,
        )
        role_arn = sub.string(
            "role_arn",
            pattern=re.compile(r"^arn:aws[\w-]*:iam::\d{12}:role/[\w+=,.@/-]+$"),
            expected="an IAM role ARN",
            required=False,
        )
        sub.reject_unknown()
        sub.checkpoint(mark)
        assert bucket and region and key_prefix
        backend = S3BackendConfig(
            bucket=bucket,
            region=region,
            key_prefix=key_prefix.strip("/"),
            kms_key_id=kms_key_id,
            role_arn=role_arn,
        )
    elif kind == "cloud":
        organization = sub.string(
            "organization",
            pattern=re.compile(r"^[\w-]{3,40}$"),
            expected="an HCP Terraform organization name",
        )
        workspace_prefix = sub.string(
            "workspace_prefix",
            pattern=re.compile(r"^[\w-]{1,60}$"),
            expected="a workspace name prefix of letters, digits, _ and -",
            default=f"{name_prefix}-",
        )
        hostname = sub.string(
            "hostname",
            pattern=re.compile(r"^[a-z0-9.-]+$"),
            expected="a hostname",
            default="app.terraform.io",
        )
        project = sub.string(
            "project",
            pattern=re.compile(r"^[\w -]{3,40}$"),
            expected="a project name",
            required=False,
        )
        dynamic_credentials = sub.boolean("dynamic_credentials", default=True)
        separate_plan_role = sub.boolean("separate_plan_role", default=True)
        apply_policy_arns: tuple[str, ...] = ()
        if "apply_policy_arns" in sub.body:
            apply_policy_arns = sub.string_list(
                "apply_policy_arns", pattern=POLICY_ARN_RE, expected="IAM policy ARNs"
            )
        else:
            sub.seen.add("apply_policy_arns")
        if dynamic_credentials and "project" not in sub.body:
            sub.report(
                "project",
                "missing; expected the HCP Terraform project of the workspaces: with "
                "dynamic_credentials the run roles trust only runs of that project",
            )
        vcs = sub.attempt(_parse_vcs, sub)
        sub.reject_unknown()
        sub.checkpoint(mark)
        assert organization and workspace_prefix and hostname
        backend = CloudBackendConfig(
            organization=organization,
            workspace_prefix=workspace_prefix,
            hostname=hostname,
            project=project,
            dynamic_credentials=dynamic_credentials,
            separate_plan_role=separate_plan_role,
            apply_policy_arns=apply_policy_arns,
            vcs=vcs,
        )
    else:
        raise AssertionError(kind)  # refused above
    sub.reject_unknown()
    sub.checkpoint(mark)
    return backend


def _parse_vcs(backend: Reader) -> VcsRepository | None:
    """The optional `vcs { ... }` block of a cloud backend (VCS-driven runs)."""
    block = backend.block("vcs")
    if block is None:
        return None
    _, body = block
    sub = backend.sub("vcs", body)
    mark = sub.mark()
    identifier = sub.string(
        "repository",
        pattern=re.compile(r"^[^/\s]+/[^/\s]+$"),
        expected="<owner>/<repository>, as HCP Terraform's VCS connection names it",
    )
    branch = sub.string(
        "branch", pattern=re.compile(r"^[^\s]{1,255}$"), expected="a branch name", required=False
    )
    oauth = sub.string(
        "oauth_token_id",
        pattern=re.compile(r"^ot-\w+$"),
        expected="an OAuth token ID (ot-...)",
        required=False,
    )
    github_app = sub.string(
        "github_app_installation_id",
        pattern=re.compile(r"^ghain-\w+$"),
        expected="a GitHub App installation ID (ghain-...)",
        required=False,
    )
    if ("oauth_token_id" in sub.body) == ("github_app_installation_id" in sub.body):
        sub.report(
            "oauth_token_id", "expected exactly one of oauth_token_id or github_app_installation_id"
        )
    sub.reject_unknown()
    sub.checkpoint(mark)
    assert identifier
    return VcsRepository(identifier, branch, oauth, github_app)
