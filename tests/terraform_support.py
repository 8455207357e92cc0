"""Session-wide real-Terraform fixtures: the provider probe and the applied sandbox.

Without Terraform or an installable `hashicorp/aws` provider the tests that need them are
skipped with the reason; under `CI=true` that is a failure instead (CI must run them).
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from platform_sandbox.organization import Sandbox, StackRun, coverage_table
from platform_sandbox.terraform import (
    TerraformFailed,
    TerraformSetup,
    TerraformUnavailable,
    setup_terraform,
)

PROBE_CONFIG = {
    "terraform": {
        "required_providers": {"aws": {"source": "hashicorp/aws", "version": ">= 5.100, < 7.0"}}
    }
}


@functools.cache
def _probe() -> tuple[TerraformSetup | None, str]:
    """Can Terraform install the AWS provider here? (setup, reason when it cannot)."""
    directory = Path(tempfile.mkdtemp(prefix="mlgov-terraform-probe-"))
    try:
        setup = setup_terraform(directory / "cli")
        probe = directory / "probe"
        probe.mkdir()
        (probe / "main.tf.json").write_text(json.dumps(PROBE_CONFIG), encoding="utf-8")
        setup.workspace(probe).init(backend=False)
    except (TerraformUnavailable, TerraformFailed) as error:
        hint = "set TF_PROVIDER_MIRROR to a filesystem mirror holding hashicorp/aws"
        return None, f"real Terraform unavailable: {str(error).strip()[:400]} ({hint})"
    return setup, ""


def require_terraform() -> TerraformSetup:
    """The probed setup, or skip (fail under CI=true) with the reason."""
    setup, reason = _probe()
    if setup is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason}; CI must run the real-Terraform tests", pytrace=False)
        pytest.skip(reason)
    return setup


@dataclass(eq=False)  # hashed by identity: `state` is cached per instance
class AppliedPlatform:
    """The default organization applied into the simulated AWS by real Terraform."""

    sandbox: Sandbox
    runs: dict[str, StackRun]

    def outputs(self, stack: str) -> dict[str, Any]:
        return self.runs[stack].outputs

    def stack_dir(self, stack: str) -> Path:
        return self.sandbox.stack_dir(stack)

    @functools.cache  # noqa: B019 - one instance per session
    def state(self, stack: str) -> dict[str, Any]:
        """`terraform show -json` of the stack's state: every value rendered."""
        return self.sandbox.workspace(stack).show_state()


def simulator_errors(log: Path, limit: int = 80) -> str:
    """The simulator's failed requests and tracebacks, for a failed apply's report (the sandbox
    directory, log included, is removed afterwards)."""
    if not log.exists():
        return f"(no simulator log at {log})"
    text = log.read_text(encoding="utf-8", errors="replace").splitlines()
    errors = [
        line
        for line in text
        if '" 5' in line or "Traceback" in line or "Error" in line or "Exception" in line
    ]
    return "simulator errors:\n" + "\n".join(errors[-limit:]) if errors else "simulator: no errors"


def applied_platform_fixture(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[AppliedPlatform]:
    require_terraform()
    root = tmp_path_factory.mktemp("sandbox")
    lines: list[str] = []
    sandbox = Sandbox(root, progress=lines.append)
    try:
        runs = sandbox.up()
    except Exception:
        print("\n".join(lines))
        print(simulator_errors(root / "simulator.log"))
        sandbox.down()
        raise
    print("\n" + coverage_table(runs, not_applied=sandbox.stacks_not_applied()))
    try:
        yield AppliedPlatform(sandbox, {run.name: run for run in runs})
    finally:
        try:
            sandbox.destroy_all()
        finally:
            sandbox.down()


MODULES_DIR = Path(__file__).resolve().parents[1] / "modules"
SHARED_BLOCKS = MODULES_DIR / "shared"


def copy_module(module_dir: Path, root: Path, *, ignore: tuple[str, ...] = ()) -> Path:
    """Copy one module and the shared building blocks it calls (`../shared/<block>`) into
    `root/modules/`, keeping the layout, so `terraform init` there leaves nothing in the working
    tree. Returns the copy of the module."""
    copy = root / "modules" / module_dir.relative_to(MODULES_DIR)
    shared_copy = root / "modules" / SHARED_BLOCKS.name
    if not shared_copy.exists():
        shutil.copytree(SHARED_BLOCKS, shared_copy, ignore=shutil.ignore_patterns(".terraform*"))
    if not copy.exists():
        shutil.copytree(module_dir, copy, ignore=shutil.ignore_patterns(".terraform*", *ignore))
    return copy
