"""The real `terraform` binary with the real `hashicorp/aws` provider, driven through tftest.

The provider comes from a filesystem mirror named by `TF_PROVIDER_MIRROR` (the folder that holds
`registry.terraform.io/`); without it, Terraform installs from the registry as usual. A CLI
configuration written into the sandbox directory points Terraform at the mirror and at a plugin
cache, so every working directory links the same provider instead of copying it.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tftest

# tftest logs every failing command's whole output at CRITICAL; failures are raised with their
# diagnostics instead (see Workspace._run).
logging.getLogger("tftest").setLevel(logging.CRITICAL + 1)

MIRROR_VARIABLE = "TF_PROVIDER_MIRROR"
# Never handed to terraform from the caller's environment: the setup's extra_env decides.
_CREDENTIAL_VARIABLES = frozenset(
    {
        "AWS_PROFILE",
        "AWS_SESSION_TOKEN",
        "AWS_SECURITY_TOKEN",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
    }
)


class TerraformUnavailable(RuntimeError):
    """No terraform binary, or no way to install the AWS provider here."""


def provider_mirror() -> Path | None:
    """The filesystem mirror from `TF_PROVIDER_MIRROR`, or None to use the registry."""
    value = os.environ.get(MIRROR_VARIABLE)
    if not value:
        return None
    path = Path(value)
    if not (path / "registry.terraform.io").is_dir():
        raise TerraformUnavailable(
            f"{MIRROR_VARIABLE}={value} holds no registry.terraform.io/ folder "
            "(expected <root>/registry.terraform.io/hashicorp/aws/<version>/<os_arch>/)"
        )
    return path


def write_cli_config(directory: Path) -> Path:
    """A Terraform CLI configuration using the mirror (if any) and a shared plugin cache."""
    directory.mkdir(parents=True, exist_ok=True)
    cache = directory / "plugin-cache"
    cache.mkdir(exist_ok=True)
    mirror = provider_mirror()
    lines = [f"plugin_cache_dir = {json.dumps(str(cache))}"]
    if mirror is not None:
        lines += [
            "provider_installation {",
            "  filesystem_mirror {",
            f"    path    = {json.dumps(str(mirror))}",
            '    include = ["registry.terraform.io/*/*"]',
            "  }",
            "  direct {",
            '    exclude = ["registry.terraform.io/*/*"]',
            "  }",
            "}",
        ]
    path = directory / "terraformrc"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@dataclass(frozen=True)
class TerraformSetup:
    """How to run terraform here: the binary, the CLI config and extra environment."""

    binary: str
    cli_config: Path
    extra_env: dict[str, str]

    def env(self, **overrides: str) -> dict[str, str]:
        inherited = {k: v for k, v in os.environ.items() if k not in _CREDENTIAL_VARIABLES}
        return {
            **inherited,
            "TF_CLI_CONFIG_FILE": str(self.cli_config),
            "TF_IN_AUTOMATION": "1",
            "CHECKPOINT_DISABLE": "1",
            **self.extra_env,
            **overrides,
        }

    def workspace(self, directory: Path, **env: str) -> Workspace:
        return Workspace(self, directory, env)


def setup_terraform(directory: Path, extra_env: dict[str, str] | None = None) -> TerraformSetup:
    """Find terraform and write the CLI config; raises TerraformUnavailable with the reason."""
    binary = shutil.which("terraform")
    if binary is None:
        raise TerraformUnavailable("no `terraform` binary on PATH (Terraform >= 1.10 is needed)")
    return TerraformSetup(binary, write_cli_config(directory), dict(extra_env or {}))


class TerraformFailed(RuntimeError):
    """A terraform command failed; the message holds its output."""


class Workspace:
    """One Terraform working directory (a module example or a synthesized stack)."""

    def __init__(self, setup: TerraformSetup, directory: Path, env: dict[str, str]) -> None:
        self.directory = directory
        self._tf = tftest.TerraformTest(str(directory), binary=setup.binary, env=setup.env(**env))

    def _run(self, command: str, *args: str) -> tftest.TerraformCommandOutput:
        try:
            return self._tf.execute_command(command, "-no-color", *args)
        except tftest.TerraformTestError as error:
            # args: (message with the whole output, stderr); the diagnostics are on stderr.
            detail = error.args[1] if len(error.args) > 1 and error.args[1] else error.args[0]
            # `from None`: the chained tftest error would repeat the whole output once more.
            raise TerraformFailed(f"terraform {command} in {self.directory}:\n{detail}") from None

    def init(self, *, backend: bool = True) -> None:
        self._run("init", "-input=false", f"-backend={str(backend).lower()}")

    def validate(self) -> dict[str, Any]:
        """`terraform validate -json` (warnings included); an invalid config raises with them."""
        return json.loads(self._run("validate", "-json").out)  # type: ignore[no-any-return]

    def plan(self, plan_file: str = "sandbox.tfplan") -> dict[str, Any]:
        """Plan into `plan_file` and return `terraform show -json` of it."""
        self._run("plan", "-input=false", "-lock=false", f"-out={plan_file}")
        return json.loads(self._run("show", "-json", plan_file).out)  # type: ignore[no-any-return]

    def plan_has_changes(self, plan_file: str = "replan.tfplan") -> tuple[bool, str]:
        """`plan -detailed-exitcode`: (changes pending, one line per change and attribute)."""
        result = self._run("plan", "-input=false", "-detailed-exitcode", f"-out={plan_file}")
        if result.retcode != 2:
            return False, ""
        plan = json.loads(self._run("show", "-json", plan_file).out)
        return True, "\n".join(describe_changes(plan))

    def apply(self, *targets: str, parallelism: int = 20) -> str:
        args = ["-input=false", "-auto-approve", f"-parallelism={parallelism}"]
        args += [f"-target={target}" for target in targets]
        return self._run("apply", *args).out

    def destroy(self, parallelism: int = 20) -> str:
        return self._run(
            "destroy", "-input=false", "-auto-approve", f"-parallelism={parallelism}"
        ).out

    def output(self) -> dict[str, Any]:
        """`terraform output -json`, as values."""
        raw = json.loads(self._run("output", "-json").out)
        return {name: entry["value"] for name, entry in raw.items()}

    def show_state(self) -> dict[str, Any]:
        """`terraform show -json` of the state: every applied value rendered."""
        return json.loads(self._run("show", "-json").out)  # type: ignore[no-any-return]

    def state_resources(self) -> list[dict[str, Any]]:
        """Managed resources recorded in the state."""
        values = self.show_state().get("values") or {}
        return list(_managed_resources(values.get("root_module") or {}))


def _managed_resources(module: dict[str, Any]) -> Any:
    for resource in module.get("resources", []):
        if resource.get("mode") == "managed":
            yield resource
    for child in module.get("child_modules", []):
        yield from _managed_resources(child)


def describe_changes(plan: dict[str, Any]) -> list[str]:
    """`<address> <actions>: <attribute> <before> -> <after>` for every pending change."""
    lines = []
    for change in plan.get("resource_changes", []):
        detail = change.get("change") or {}
        actions = detail.get("actions") or []
        if actions in (["no-op"], ["read"]):
            continue
        before, after = detail.get("before") or {}, detail.get("after") or {}
        unknown = detail.get("after_unknown") or {}
        keys = sorted(
            k
            for k in set(before) | set(after) | set(unknown)
            if before.get(k) != after.get(k) or unknown.get(k)
        )
        lines.append(f"{change['address']} {'/'.join(actions)}")
        for key in keys:
            after_value = "(known after apply)" if unknown.get(key) else after.get(key)
            lines.append(f"    {key}: {before.get(key)!r} -> {after_value!r}")
    for name, change in (plan.get("output_changes") or {}).items():
        if (change.get("actions") or []) != ["no-op"]:
            lines.append(f"output.{name} {'/'.join(change.get('actions') or [])}")
    return lines


def planned_resources(plan: dict[str, Any]) -> list[dict[str, Any]]:
    """Managed resources of a plan's planned values (every module level)."""
    root = (plan.get("planned_values") or {}).get("root_module") or {}
    return list(_managed_resources(root))


def fmt_check(setup: TerraformSetup, directory: Path) -> list[str]:
    """Files `terraform fmt -check -recursive` would rewrite (empty when formatted)."""
    result = subprocess.run(
        [setup.binary, "fmt", "-check", "-recursive", "-list=true", str(directory)],
        capture_output=True,
        text=True,
        env=setup.env(),
        check=False,
    )
    if result.returncode not in (0, 3):
        raise TerraformFailed(f"terraform fmt failed in {directory}:\n{result.stderr}")
    return [line for line in result.stdout.splitlines() if line.strip()]
