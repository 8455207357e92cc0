"""`mlgov sandbox up|demo|down|status`: the whole platform in a local simulated organization.

Runs from a checkout of the project (it synthesizes `environments/` and needs Terraform, the AWS
provider and the test dependencies); the deployment tooling bundle never imports it.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from mlgov.errors import InputError, MlgovError
from mlgov.progress import Progress

ACTIONS = ("up", "demo", "down", "status")


def add_sandbox_parser(commands: Any, parents: list[argparse.ArgumentParser]) -> None:
    sandbox = commands.add_parser(
        "sandbox",
        parents=parents,
        help="apply the platform into a local simulated organization and walk one model",
        description=(
            "up: start the simulated AWS and apply every stack with real Terraform; demo: walk "
            "one model from dev approval to the prod endpoint and print the audit trail; down: "
            "stop the simulator and remove the sandbox state; status: what is running."
        ),
    )
    sandbox.add_argument("action", choices=ACTIONS, help="what to do (see above)")
    sandbox.add_argument(
        "--root",
        type=Path,
        default=None,
        help="sandbox directory (default: .sandbox/ in the project checkout)",
    )


def run_sandbox(args: argparse.Namespace, progress: Progress) -> tuple[dict[str, Any], str]:
    """Carry out one sandbox action; returns (JSON payload, human text)."""
    try:
        from platform_sandbox.organization import DEFAULT_ROOT, Sandbox, SandboxError
        from platform_sandbox.terraform import TerraformFailed, TerraformUnavailable
    except ImportError as error:  # pragma: no cover - depends on how mlgov was installed
        raise InputError(
            f"the sandbox needs a project checkout with its test dependencies ({error}); "
            "install them with `make sandbox` (or `.venv/bin/pip install -e '.[dev]'`)"
        ) from error
    sandbox = Sandbox(args.root or DEFAULT_ROOT, progress=progress)
    try:
        return _carry_out(args.action, sandbox)
    except (SandboxError, TerraformFailed, TerraformUnavailable) as error:
        raise MlgovError(str(error)) from error


def _carry_out(action: str, sandbox: Any) -> tuple[dict[str, Any], str]:
    from platform_sandbox.organization import coverage_table

    if action == "up":
        runs = sandbox.up()
        not_applied = sandbox.stacks_not_applied()
        payload = {
            "status": "up",
            "endpoint_url": sandbox.simulator.endpoint_url,
            "stacks": [{"stack": r.name, "applied": r.applied, "planned": r.planned} for r in runs],
            "stacks_not_applied": [{"stack": r.name, "reason": r.not_applied} for r in not_applied],
        }
        return payload, coverage_table(runs, not_applied=not_applied)
    if action == "demo":
        sandbox.simulator  # noqa: B018 - raises SandboxError unless the sandbox is up
        from platform_sandbox.lifecycle import format_audit_trail, walk_one_model

        trail = walk_one_model(sandbox, progress=sandbox.progress)
        return {"status": "ok", "audit_trail": trail.as_dict()}, format_audit_trail(trail)
    if action == "down":
        sandbox.down()
        return {"status": "down"}, f"sandbox removed ({sandbox.root})"
    running = sandbox.status()
    return {"status": running}, f"sandbox {running} ({sandbox.root})"
