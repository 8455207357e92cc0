"""The whole platform in a local simulated organization: synthesize, apply, re-plan, destroy.

The sandbox synthesizes its own copy of `environments/` (the only change: test/prod endpoint
networks point at a VPC the sandbox created in the simulated account, see `gaps`), then applies
every stack hub first with the real provider, each through its own `assume_role` and
`allowed_account_ids` exactly as synthesized. A `sandbox_override.tf.json` beside each stack adds
only what a local run needs: local state under the sandbox directory and path-style S3 addressing.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from platform_composition.app import synthesize
from platform_composition.config import AccountRole, PlatformConfig, load_platform_config
from platform_composition.naming import Naming
from platform_composition.stacks import stack_classes
from platform_composition.workspace_config import ExistingNetwork
from platform_sandbox import gaps, simulator
from platform_sandbox.simulator import Simulator
from platform_sandbox.terraform import (
    TerraformSetup,
    Workspace,
    planned_resources,
    setup_terraform,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ROOT = PROJECT_ROOT / ".sandbox"
# Applied one after the other, in this order, before every other stack.
LEADING_ROLES = (AccountRole.ORGANIZATION, AccountRole.SHARED_SERVICES)
SANDBOX_TAG = {"Key": "mlgov-sandbox", "Value": "network-baseline"}
_NETWORK_BLOCK = re.compile(r"^endpoint_network\s*\{[^}]*\}", re.MULTILINE)
_EXISTING_WORKSPACE_NETWORK = re.compile(r'network\s+"existing"\s*\{[^}]*\}')

Progress = Callable[[str], None]


class SandboxError(RuntimeError):
    """The sandbox could not do what was asked; the message says why."""


@dataclass
class StackRun:
    """What happened to one stack in the sandbox."""

    name: str
    role: str
    account_id: str
    planned: int = 0
    applied: int = 0
    unsupported: list[str] = field(default_factory=list)
    # Resource types applied as records only (gaps.RECORD_ONLY_RESOURCE_TYPES), with counts.
    record_only: dict[str, int] = field(default_factory=dict)
    apply_seconds: float = 0.0
    replan_changes: bool | None = None
    replan_seconds: float = 0.0
    replan_text: str = ""
    outputs: dict[str, Any] = field(default_factory=dict)
    # Synthesized but never applied (gaps.STACKS_NOT_APPLIED): why.
    not_applied: str | None = None


class Sandbox:
    """One local organization under `root` (default `.sandbox/`)."""

    def __init__(
        self,
        root: Path = DEFAULT_ROOT,
        *,
        environments: Path = PROJECT_ROOT / "environments",
        progress: Progress = print,
    ) -> None:
        self.root = root.resolve()
        self.source_environments = environments
        self.environments = self.root / "environments"
        self.outdir = self.root / "cdktf.out"
        self.state_dir = self.root / "state"
        self.progress = progress
        self._simulator: Simulator | None = None
        self._terraform: TerraformSetup | None = None
        self._config: PlatformConfig | None = None

    # -- simulator ---------------------------------------------------------------------------

    @property
    def simulator(self) -> Simulator:
        if self._simulator is None:
            running = simulator.Simulator.load(self.root)
            if running is None or not running.is_alive():
                raise SandboxError("the sandbox is not up (run `mlgov sandbox up`)")
            self._simulator = running
        return self._simulator

    def start_simulator(self) -> Simulator:
        running = simulator.Simulator.load(self.root)
        if running is not None and running.is_alive():
            self._simulator = running
            return running
        self.root.mkdir(parents=True, exist_ok=True)
        self._simulator = simulator.start(self.root)
        self.progress(f"simulated AWS listening on {self._simulator.endpoint_url}")
        return self._simulator

    @property
    def terraform(self) -> TerraformSetup:
        if self._terraform is None:
            self._terraform = setup_terraform(self.root / "terraform", self.simulator.environment())
        return self._terraform

    @property
    def config(self) -> PlatformConfig:
        if self._config is None:
            self._config = load_platform_config(self.environments)
        return self._config

    # -- preparing the organization ----------------------------------------------------------

    def prepare(self) -> None:
        """Seed the simulated AWS, write the sandbox environments and synthesize them."""
        source_config = load_platform_config(self.source_environments)
        self._seed_organization(source_config)
        self._seed_powertools_layer(source_config)
        self._seed_deployment_roles(source_config)
        self._seed_access_log_buckets(source_config)
        if self.environments.exists():
            shutil.rmtree(self.environments)
        shutil.copytree(self.source_environments, self.environments)
        for env in source_config.environments:
            if env.role in (AccountRole.TEST, AccountRole.PROD):
                vpc_id, subnet_ids, _ = self._network_baseline(env.account_id, env.region)
                self._point_endpoint_network(env.name, vpc_id, subnet_ids)
            elif env.workspace is not None and isinstance(env.workspace.network, ExistingNetwork):
                self._point_workspace_network(
                    env.name, *self._network_baseline(env.account_id, env.region)
                )
        self._config = None
        rows = synthesize(self.environments, self.outdir)
        for run in self.ordered_stacks():
            self._write_override(run.name)
        self.progress(f"synthesized {len(rows)} stacks into {self.outdir}")
        for run in self.stacks_not_applied():
            self.progress(f"{run.name}: not applied ({run.not_applied})")

    def _seed_organization(self, config: PlatformConfig) -> None:
        """The organization `organization.hcl` describes, with its ids: root, OUs, the accounts
        in their OUs, trusted access for Service Catalog and the hub as its delegated
        administrator, as the organization's baseline holds them (gap `organization-baseline`)."""
        from platform_sandbox.gaps_organization import OrganizationSeedError, seed_organization

        try:
            seed_organization(self.simulator, config)
        except OrganizationSeedError as error:
            raise SandboxError(str(error)) from error

    def _seed_powertools_layer(self, config: PlatformConfig) -> None:
        layer_arn = Naming(config).powertools_layer_arn
        if layer_arn is None:
            return
        gaps.seed_powertools_layer(
            lambda account: self.simulator.session(account, config.organization.home_region),
            layer_arn,
            client_for=self.simulator.client,
        )

    def _seed_deployment_roles(self, config: PlatformConfig) -> None:
        """The role Terraform assumes in each account, which account vending creates (gap
        `account-baseline-deployment-role`)."""
        name = config.organization.deployment_role_name
        if name is None:
            return
        for env in config.environments:
            iam = self.simulator.client(self.simulator.session(env.account_id, env.region), "iam")
            # The simulator does not evaluate trust policies; the account's own root stands in
            # for the organization's automation account.
            trust = {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": f"arn:aws:iam::{env.account_id}:root"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            }
            with contextlib.suppress(iam.exceptions.EntityAlreadyExistsException):
                iam.create_role(
                    RoleName=name,
                    AssumeRolePolicyDocument=json.dumps(trust),
                    Description="Terraform deployment role (sandbox stand-in for account vending)",
                    Tags=[SANDBOX_TAG],
                )

    def _seed_access_log_buckets(self, config: PlatformConfig) -> None:
        """The access log buckets the environments name, admitting the S3 logging service (gap
        `account-baseline-access-log-bucket`)."""
        for env in config.environments:
            named = {
                env.lake.access_log_bucket if env.lake else None,
                env.workspace.access_log_bucket if env.workspace else None,
            } - {None}
            s3 = self.simulator.client(self.simulator.session(env.account_id, env.region), "s3")
            for bucket in sorted(b for b in named if b):
                location: dict[str, Any] = (
                    {}
                    if env.region == "us-east-1"
                    else {"CreateBucketConfiguration": {"LocationConstraint": env.region}}
                )
                with contextlib.suppress(s3.exceptions.BucketAlreadyOwnedByYou):
                    s3.create_bucket(Bucket=bucket, **location)
                policy = {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Sid": "S3ServerAccessLogs",
                            "Effect": "Allow",
                            "Principal": {"Service": "logging.s3.amazonaws.com"},
                            "Action": "s3:PutObject",
                            "Resource": f"arn:aws:s3:::{bucket}/*",
                            "Condition": {"StringEquals": {"aws:SourceAccount": env.account_id}},
                        }
                    ],
                }
                s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))

    def _network_baseline(self, account_id: str, region: str) -> tuple[str, list[str], str]:
        """A VPC (DNS on) with two private subnets and their route table, as the account's
        network baseline would provide."""
        ec2 = self.simulator.client(self.simulator.session(account_id, region), "ec2")
        existing = ec2.describe_vpcs(
            Filters=[{"Name": f"tag:{SANDBOX_TAG['Key']}", "Values": [SANDBOX_TAG["Value"]]}]
        )["Vpcs"]
        if existing:
            vpc_id = existing[0]["VpcId"]
        else:
            vpc_id = ec2.create_vpc(
                CidrBlock="10.42.0.0/16",
                TagSpecifications=[{"ResourceType": "vpc", "Tags": [SANDBOX_TAG]}],
            )["Vpc"]["VpcId"]
            # Private DNS of interface endpoints needs both attributes.
            ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsSupport={"Value": True})
            ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsHostnames={"Value": True})
        subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Subnets"]
        subnet_ids = sorted(s["SubnetId"] for s in subnets)
        for index, zone in enumerate(("a", "b")[len(subnet_ids) :], start=len(subnet_ids)):
            subnet_ids.append(
                ec2.create_subnet(
                    VpcId=vpc_id, CidrBlock=f"10.42.{index}.0/24", AvailabilityZone=region + zone
                )["Subnet"]["SubnetId"]
            )
        main_route_table = ec2.describe_route_tables(
            Filters=[
                {"Name": "vpc-id", "Values": [vpc_id]},
                {"Name": "association.main", "Values": ["true"]},
            ]
        )["RouteTables"][0]["RouteTableId"]
        return vpc_id, subnet_ids, main_route_table

    def _point_endpoint_network(self, env_name: str, vpc_id: str, subnet_ids: list[str]) -> None:
        path = self.environments / env_name / "environment.hcl"
        text = path.read_text(encoding="utf-8")
        block = (
            "endpoint_network {\n"
            f'  vpc_id     = "{vpc_id}"\n'
            f"  subnet_ids = {json.dumps(subnet_ids)}\n"
            "}"
        )
        new_text, count = _NETWORK_BLOCK.subn(block, text)
        if count != 1:
            raise SandboxError(f"{path}: expected one endpoint_network block, found {count}")
        path.write_text(new_text, encoding="utf-8")

    def _point_workspace_network(
        self, env_name: str, vpc_id: str, subnet_ids: list[str], route_table_id: str
    ) -> None:
        path = self.environments / env_name / "environment.hcl"
        text = path.read_text(encoding="utf-8")
        block = (
            'network "existing" {\n'
            f'    vpc_id          = "{vpc_id}"\n'
            f"    subnet_ids      = {json.dumps(subnet_ids)}\n"
            f'    route_table_ids = ["{route_table_id}"]\n'
            "  }"
        )
        new_text, count = _EXISTING_WORKSPACE_NETWORK.subn(block, text)
        if count != 1:
            raise SandboxError(f'{path}: expected one network "existing" block, found {count}')
        path.write_text(new_text, encoding="utf-8")

    def stack_dir(self, name: str) -> Path:
        return self.outdir / "stacks" / name

    def _write_override(self, name: str) -> None:
        override = {
            "terraform": {"backend": {"local": {"path": str(self.state_dir / f"{name}.tfstate")}}},
            # The simulator is addressed by IP: virtual-hosted bucket names cannot resolve.
            "provider": {"aws": {"s3_use_path_style": True}},
        }
        (self.stack_dir(name) / "sandbox_override.tf.json").write_text(
            json.dumps(override, indent=2) + "\n", encoding="utf-8"
        )

    # -- Terraform over every stack ----------------------------------------------------------

    def _stacks(self) -> list[StackRun]:
        """Every synthesized stack: the organization's first (the baseline the hub's portfolio
        shares need), then the hub (every spoke depends on it), then the others in configuration
        order; an environment's additional stacks follow its own stack."""
        envs = sorted(
            self.config.environments,
            key=lambda e: LEADING_ROLES.index(e.role) if e.role in LEADING_ROLES else 2,
        )
        return [
            StackRun(
                stack_class.name_for(env),
                env.role.value,
                env.account_id,
                not_applied=gaps.STACKS_NOT_APPLIED.get(stack_class.STACK_SUFFIX or ""),
            )
            for env in envs
            for stack_class in stack_classes(env)
        ]

    def ordered_stacks(self) -> list[StackRun]:
        """The stacks the sandbox applies, hub first (see `_stacks`)."""
        return [run for run in self._stacks() if run.not_applied is None]

    def stacks_not_applied(self) -> list[StackRun]:
        """Synthesized stacks the sandbox leaves alone, each with the reason (see
        `gaps.STACKS_NOT_APPLIED`); the coverage table lists them."""
        return [run for run in self._stacks() if run.not_applied is not None]

    def workspace(self, name: str) -> Workspace:
        return self.terraform.workspace(self.stack_dir(name))

    def apply_all(self, parallel: int = 4) -> list[StackRun]:
        """The organization's stack and the hub one after the other, then every spoke at once
        (spokes depend on the hub, not on each other).

        Apply time is dominated by the provider's waiters, not by CPU, so spokes overlap well.
        """
        self.state_dir.mkdir(parents=True, exist_ok=True)
        runs = self.ordered_stacks()
        leading_roles = {role.value for role in LEADING_ROLES}
        leading = [run for run in runs if run.role in leading_roles]
        spokes = [run for run in runs if run.role not in leading_roles]
        # One at a time: concurrent `terraform init` runs race on the shared plugin cache.
        for run in runs:
            self.workspace(run.name).init()
        for run in leading:
            self.apply_stack(run, init=False)
        with ThreadPoolExecutor(max_workers=max(1, parallel)) as pool:
            for future in [pool.submit(self.apply_stack, run, init=False) for run in spokes]:
                future.result()
        return runs

    def apply_stack(self, run: StackRun, *, init: bool = True) -> None:
        """Plan, apply (leaving out what the simulator cannot create) and read the outputs."""
        workspace = self.workspace(run.name)
        started = time.monotonic()
        if init:
            workspace.init()
        plan = workspace.plan()
        resources = planned_resources(plan)
        run.planned = len(resources)
        run.unsupported = sorted(
            r["address"] for r in resources if r["type"] in gaps.UNSUPPORTED_RESOURCE_TYPES
        )
        record_only = [r["type"] for r in resources if r["type"] in gaps.RECORD_ONLY_RESOURCE_TYPES]
        run.record_only = {kind: record_only.count(kind) for kind in sorted(set(record_only))}
        self.progress(f"{run.name}: applying {run.planned} resources into {run.account_id}")
        if run.unsupported:
            workspace.apply(
                *(r["address"] for r in resources if r["address"] not in run.unsupported)
            )
        else:
            workspace.apply()
        run.applied = len(workspace.state_resources())
        run.outputs = workspace.output()
        run.apply_seconds = time.monotonic() - started
        self.progress(
            f"{run.name}: {run.applied}/{run.planned} resources applied "
            f"in {run.apply_seconds:.0f} s"
        )

    def replan_all(self, runs: list[StackRun] | None = None, parallel: int = 4) -> list[StackRun]:
        """`plan -detailed-exitcode` on every stack: a change right after apply is a defect."""
        runs = runs or self.ordered_stacks()

        def replan(run: StackRun) -> None:
            started = time.monotonic()
            run.replan_changes, run.replan_text = self.workspace(run.name).plan_has_changes()
            run.replan_seconds = time.monotonic() - started
            verdict = "changes pending" if run.replan_changes else "no changes"
            self.progress(f"{run.name}: re-plan {verdict} ({run.replan_seconds:.0f} s)")

        with ThreadPoolExecutor(max_workers=max(1, parallel)) as pool:
            for future in [pool.submit(replan, run) for run in runs]:
                future.result()
        return runs

    def destroy_all(self, parallel: int = 4) -> None:
        """Every spoke at once, then the hub (the reverse of `apply_all`)."""
        runs = self.ordered_stacks()
        hub, spokes = runs[0], runs[1:]

        def destroy(run: StackRun) -> None:
            if (self.state_dir / f"{run.name}.tfstate").exists():
                self._release_for_teardown(run)
                self.workspace(run.name).destroy()
                self.progress(f"{run.name}: destroyed")

        with ThreadPoolExecutor(max_workers=max(1, parallel)) as pool:
            for future in [pool.submit(destroy, run) for run in spokes]:
                future.result()
        destroy(hub)

    def _release_for_teardown(self, run: StackRun) -> None:
        """What an operator does before `terraform destroy`, as AWS would refuse it otherwise:
        lift DynamoDB deletion protection, empty versioned buckets and image repositories."""
        env = next(e for e in self.config.environments if e.name == run.name)
        session = self.simulator.session(env.account_id, env.region)
        for resource in self.workspace(run.name).state_resources():
            values = resource.get("values") or {}
            if resource["type"] == "aws_dynamodb_table" and values.get(
                "deletion_protection_enabled"
            ):
                self.simulator.client(session, "dynamodb").update_table(
                    TableName=values["name"], DeletionProtectionEnabled=False
                )
            elif resource["type"] == "aws_s3_bucket":
                _empty_bucket(self.simulator.client(session, "s3"), values["bucket"])
            elif resource["type"] == "aws_ecr_repository":
                _empty_repository(self.simulator.client(session, "ecr"), values["name"])

    def outputs(self, name: str) -> dict[str, Any]:
        return self.workspace(name).output()

    # -- lifecycle of the sandbox itself -----------------------------------------------------

    def up(self) -> list[StackRun]:
        self.start_simulator()
        self.prepare()
        runs = self.apply_all()
        self.progress(coverage_table(runs, not_applied=self.stacks_not_applied()))
        return runs

    def status(self) -> str:
        """'up' (simulator answering), 'stopped' (state left, simulator gone) or 'absent'."""
        running = simulator.Simulator.load(self.root)
        if running is not None and running.is_alive():
            return "up"
        return "stopped" if self.root.exists() else "absent"

    def down(self) -> None:
        """Stop the simulator and remove the sandbox directory (state included)."""
        running = simulator.Simulator.load(self.root)
        if running is not None:
            simulator.stop(running)
        if self.root.exists():
            shutil.rmtree(self.root)
        self.progress(f"sandbox removed ({self.root})")


def _empty_bucket(s3: Any, bucket: str) -> None:
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
        doomed = [
            {"Key": v["Key"], "VersionId": v["VersionId"]}
            for v in page.get("Versions", []) + page.get("DeleteMarkers", [])
        ]
        if doomed:
            s3.delete_objects(Bucket=bucket, Delete={"Objects": doomed, "Quiet": True})


def _empty_repository(ecr: Any, repository: str) -> None:
    images = ecr.list_images(repositoryName=repository).get("imageIds", [])
    if images:
        ecr.batch_delete_image(repositoryName=repository, imageIds=images)


def coverage_table(runs: list[StackRun], *, not_applied: list[StackRun]) -> str:
    """Per stack: resources applied / planned, the types the simulator cannot create, and the
    types it creates as records only (nothing runs behind them); then the synthesized stacks
    that were not applied at all, with the reason (`not_applied`, required so that no caller
    reports a partial organization as the whole one)."""
    width = max([18, *(len(run.name) + 2 for run in [*runs, *not_applied])])
    header = (
        f"{'stack':<{width}}{'account':<15}{'applied/planned':>16}  "
        "not applied (simulator gap); records only (nothing behind them)"
    )
    lines = [header]
    for run in runs:
        missing = ", ".join(run.unsupported) or "-"
        records = ", ".join(f"{kind} x{count}" for kind, count in run.record_only.items())
        lines.append(
            f"{run.name:<{width}}{run.account_id:<15}{f'{run.applied}/{run.planned}':>16}  "
            f"{missing}" + (f"; {records}" if records else "")
        )
    for run in not_applied:
        lines.append(
            f"{run.name:<{width}}{run.account_id:<15}{'stack not applied':>16}  "
            f"{run.not_applied or '-'}"
        )
    total_applied = sum(r.applied for r in runs)
    total_planned = sum(r.planned for r in runs)
    lines.append(f"{'total':<{width + 15}}{f'{total_applied}/{total_planned}':>16}")
    kinds = sorted({kind for run in runs for kind in run.record_only})
    lines += [f"  {kind}: {gaps.RECORD_ONLY_RESOURCE_TYPES[kind]}" for kind in kinds]
    return "\n".join(lines)
