"""Build the cdktn app from configuration and synthesize it atomically."""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cdktn import App

from platform_composition.backends import describe_backend
from platform_composition.config import (
    AccountRole,
    Environment,
    PlatformConfig,
    load_platform_config,
)
from platform_composition.hcl_module import PROJECT_ROOT, install_module_sources
from platform_composition.hcp_terraform import (
    BootstrapStack,
    HcpTerraformRunRolesStack,
    HcpTerraformWorkspacesStack,
)
from platform_composition.naming import Naming
from platform_composition.packaging import LAMBDA_SRC, TOOLING_SRC, Package, build_package
from platform_composition.products import build_catalog_packages
from platform_composition.stacks import AccountStack, stack_classes
from platform_composition.wheelhouse import wheelhouse_entries

# Lambda packages (from lambda_src/) and operator tooling bundles (from the project root, with the
# deployment builds' wheelhouse/: platform_composition/wheelhouse.py).
LAMBDA_PACKAGES = ("model_promoter", "pipeline_trigger")
TOOLING_PACKAGES = ("mlgov",)

# Terraform's per-stack working files, kept across re-synths (state itself lives outside outdir).
LOCK_FILE = ".terraform.lock.hcl"
WORKING_DIR = ".terraform"


@dataclass(frozen=True)
class StackSummary:
    """One row of the synth summary."""

    stack: str
    role: str
    account_id: str
    region: str
    modules: tuple[str, ...]
    backend: str


def load_cdktf_context(project_root: Path = PROJECT_ROOT) -> dict[str, Any]:
    """App context from `cdktf.json`, so `python main.py` and the cdktn/cdktf CLIs agree."""
    with (project_root / "cdktf.json").open(encoding="utf-8") as handle:
        cdktf_json = json.load(handle)
    context = dict(cdktf_json.get("context", {}))
    if "targetVersions" in cdktf_json:
        context["targetVersions"] = cdktf_json["targetVersions"]
    return context


def build_packages(build_dir: Path) -> dict[str, Package]:
    """Every deployment package the stacks may reference, built once per synth. The tooling
    bundle carries the deployment builds' `wheelhouse/` (raises WheelhouseError without it)."""
    lambdas = {name: build_package(LAMBDA_SRC, name, build_dir) for name in LAMBDA_PACKAGES}
    wheelhouse = wheelhouse_entries()
    tooling = {
        name: build_package(TOOLING_SRC, name, build_dir, extra=wheelhouse)
        for name in TOOLING_PACKAGES
    }
    return lambdas | tooling


Stack = AccountStack | BootstrapStack


def build_app(
    config: PlatformConfig,
    outdir: Path,
    *,
    build_dir: Path,
    final_outdir: Path | None = None,
) -> tuple[App, list[Stack]]:
    """Create one stack per environment, hub first, spokes depending on the hub; then any
    additional stack of an environment (e.g. `<env>-unified-studio`), depending on its
    environment's own stack.

    `final_outdir` is where the output will finally live (local state paths are relative to it);
    it differs from `outdir` while synthesizing into a staging directory.
    """
    final_outdir = final_outdir or outdir
    app = App(outdir=str(outdir), context=load_cdktf_context(), stack_traces=False)
    naming = Naming(config)
    # Lambdas and tooling, plus what the hub publishes through Service Catalog.
    packages = build_packages(build_dir) | build_catalog_packages(naming, build_dir)
    stacks: list[AccountStack] = []
    hub: AccountStack | None = None

    def make(stack_class: type[AccountStack], env: Environment) -> AccountStack:
        return stack_class(
            app,
            env,
            naming,
            project_root=PROJECT_ROOT,
            stack_dir=final_outdir / "stacks" / stack_class.name_for(env),
            packages=packages,
        )

    for env in config.environments:
        own_class, *additional_classes = stack_classes(env)
        own = make(own_class, env)
        if env.role is AccountRole.SHARED_SERVICES:
            hub = own
        elif hub is not None:
            own.add_dependency(hub)
        stacks.append(own)
        for stack_class in additional_classes:
            additional = make(stack_class, env)
            additional.add_dependency(own)
            stacks.append(additional)
    return app, [*stacks, *_bootstrap_stacks(app, config, naming, final_outdir)]


def _bootstrap_stacks(
    app: App, config: PlatformConfig, naming: Naming, final_outdir: Path
) -> list[BootstrapStack]:
    """The HCP Terraform bootstrap, when an environment keeps its state there."""
    bootstrap: list[BootstrapStack] = []
    stacks_dir = final_outdir / "stacks"

    def where(name: str) -> dict[str, Path]:
        return {"project_root": PROJECT_ROOT, "stack_dir": stacks_dir / name}

    if HcpTerraformRunRolesStack.wanted_for(config):
        name = HcpTerraformRunRolesStack.STACK_NAME
        bootstrap.append(HcpTerraformRunRolesStack(app, config, naming, **where(name)))
    if HcpTerraformWorkspacesStack.wanted_for(config):
        # VCS-driven runs read each stack from the repository: outdir relative to its root.
        try:
            in_repository = stacks_dir.relative_to(PROJECT_ROOT).as_posix()
        except ValueError:
            in_repository = "cdktf.out/stacks"
        name = HcpTerraformWorkspacesStack.STACK_NAME
        bootstrap.append(
            HcpTerraformWorkspacesStack(
                app, config, naming, stacks_dir_in_repository=in_repository, **where(name)
            )
        )
    return bootstrap


def synthesize(environments_dir: Path, outdir: Path) -> list[StackSummary]:
    """Parse config, synthesize every stack into a staging directory, then swap it into place.

    Each stack directory gets the modules it calls in `modules/` (`install_module_sources`).
    A config error raises before anything is written; a synth error removes the staging
    directory; the previous `outdir` is replaced only once the new one is complete.
    Each surviving stack keeps its Terraform working files (see `_install_lock_files` and
    `_move_working_dirs`); a stack no longer in the config loses them with the old output.
    """
    config = load_platform_config(environments_dir)
    outdir = outdir.resolve()
    outdir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{outdir.name}.staging-", dir=outdir.parent))
    moved: list[tuple[Path, Path]] = []
    try:
        with tempfile.TemporaryDirectory(prefix="mlgov-build-") as build_dir:
            app, stacks = build_app(config, staging, build_dir=Path(build_dir), final_outdir=outdir)
            app.synth()
        names = [stack.stack_name for stack in stacks]
        for name in names:
            install_module_sources(staging / "stacks" / name)
        pins = {stack.stack_name: pinned_lock_file(stack) for stack in stacks}
        _install_lock_files(pins, environments_dir, old=outdir, new=staging)
        # Last step before the swap: the only one that changes the old output.
        _move_working_dirs(names, old=outdir, new=staging, moved=moved)
        _replace_directory(staging, outdir)
    except BaseException:
        _restore_moves(moved)
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [_summary(stack) for stack in stacks]


def _summary(stack: Stack) -> StackSummary:
    if isinstance(stack, BootstrapStack):
        return StackSummary(
            stack=stack.stack_name,
            role=stack.ROLE,
            account_id=stack.account_ids[0]
            if len(stack.account_ids) == 1
            else f"{len(stack.account_ids)} accounts",
            region=stack.region,
            modules=tuple(stack.module_names),
            backend=describe_backend(stack.config.organization.bootstrap_backend, stack.stack_name),
        )
    return StackSummary(
        stack=stack.stack_name,
        role=stack.env.role.value,
        account_id=stack.env.account_id,
        region=stack.env.region,
        modules=tuple(stack.module_names),
        backend=describe_backend(stack.env.backend, stack.stack_name),
    )


def pinned_lock_file(stack: Stack) -> Path:
    """Where a team commits a stack's lock file, relative to `environments/`.

    An environment's own stack: `<env>/.terraform.lock.hcl`. An additional stack of the same
    account (its own providers, e.g. hashicorp/aws 6.x): `<env>/<suffix>.terraform.lock.hcl`,
    e.g. `data-governance/unified-studio.terraform.lock.hcl`.
    """
    if isinstance(stack, BootstrapStack):
        return Path(f"{stack.stack_name}{LOCK_FILE}")
    suffix = stack.STACK_SUFFIX
    return Path(stack.env.name) / (f"{suffix}{LOCK_FILE}" if suffix else LOCK_FILE)


def _install_lock_files(
    pins: dict[str, Path], environments_dir: Path, *, old: Path, new: Path
) -> None:
    """Give each new stack its provider lock file, so re-synthesizing never unpins providers.

    `pins` maps each stack to its committed lock file (`pinned_lock_file`), which wins over the
    one `terraform init` left in the old output. Copied, not moved: the old output stays intact
    until the swap. Stacks no longer in the config get nothing.
    """
    for name, pin in pins.items():
        for source in (environments_dir / pin, old / "stacks" / name / LOCK_FILE):
            if source.is_file():
                shutil.copyfile(source, new / "stacks" / name / LOCK_FILE)
                break


def _move_working_dirs(
    names: list[str], *, old: Path, new: Path, moved: list[tuple[Path, Path]]
) -> None:
    """Move each surviving stack's `.terraform/` into the new output, recording (from, to).

    Renamed, not copied: it holds installed providers and modules (often hundreds of MB) that
    are slow to download again. Stacks no longer in the config lose it with the old output.
    Each move is recorded as it happens, so a failure midway can still be undone.
    """
    for name in names:
        source = old / "stacks" / name / WORKING_DIR
        if source.is_dir():
            destination = new / "stacks" / name / WORKING_DIR
            source.rename(destination)
            moved.append((source, destination))


def _restore_moves(moved: list[tuple[Path, Path]]) -> None:
    """Undo `_move_working_dirs` when the swap fails, so a failed synth keeps the old output."""
    for source, destination in reversed(moved):
        if destination.exists() and not source.exists():
            destination.rename(source)


def _replace_directory(new: Path, target: Path) -> None:
    """Swap `new` into `target` with two renames; the old tree is deleted afterwards.

    If the second rename fails the first is undone, so `target` still holds the old tree.
    """
    if target.exists():
        retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        retired.rmdir()
        target.rename(retired)
        try:
            new.rename(target)
        except BaseException:
            retired.rename(target)
            raise
        shutil.rmtree(retired, ignore_errors=True)
    else:
        new.rename(target)


def format_summary(rows: list[StackSummary]) -> str:
    """A fixed-width table: stack, role, account, region, modules, backend."""
    header = ("stack", "role", "account", "region", "modules", "backend")
    body = [
        (r.stack, r.role, r.account_id, r.region, ", ".join(r.modules) or "-", r.backend)
        for r in rows
    ]
    widths = [max(len(str(row[i])) for row in [header, *body]) for i in range(len(header))]
    lines = [
        "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in [header, *body]
    ]
    return "\n".join(line.rstrip() for line in lines)
