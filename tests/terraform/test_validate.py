"""`terraform fmt -check` and `terraform validate` with the real AWS provider (5.100 here).

Every module example and every synthesized stack must validate with no error and no warning:
a deprecation warning on the lowest supported provider is a defect too (issue: provider range).
The one exception is `MODULES_NEEDING_PROVIDER_MAJOR`: a module whose provider range the
provider mirror cannot satisfy is skipped with the reason, and validated wherever it can be; so is
every synthesized stack calling it (`data-governance-unified-studio`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from platform_composition.config import load_platform_config
from platform_composition.stacks import stack_names
from platform_sandbox.terraform import TerraformSetup, fmt_check, provider_mirror
from tests.modules.hcl_checks import discover_modules, module_id
from tests.terraform.conftest import MODULE_EXAMPLES, MODULES_DIR, PROJECT_ROOT

# Every stack the default environments synthesize: one per environment, plus the additional
# stacks an environment configures (e.g. data-governance-unified-studio).
STACK_NAMES = sorted(stack_names(load_platform_config(PROJECT_ROOT / "environments")))

# Modules that need a hashicorp/aws major version the platform's floor (5.100) does not give, with
# why (the module's own range is named in tests/modules/test_provider_range.py). Their examples
# are validated when Terraform can install that major (the registry, or a mirror holding it), and
# skipped with the reason otherwise: the mirror on this machine holds 5.100.0 only.
MODULES_NEEDING_PROVIDER_MAJOR: dict[str, tuple[int, str]] = {
    "unified-studio-domain": (
        6,
        "DataZone V2 (domain_version and service_role on aws_datazone_domain) exists only in "
        "hashicorp/aws 6.x",
    ),
}


# Modules of another provider than hashicorp/aws, with its source: validated wherever Terraform
# can install that provider, skipped with the reason where the mirror lacks it (it holds aws
# only here; the module is checked against the provider's schema in test_provider_schema.py).
MODULES_OF_OTHER_PROVIDERS = {"hcp-terraform-workspaces": "hashicorp/tfe"}


def _unavailable_provider_reason(module: str) -> str | None:
    """Why `module`'s example cannot be validated here, or None when it can."""
    if module in MODULES_OF_OTHER_PROVIDERS:
        mirror = provider_mirror()
        source = MODULES_OF_OTHER_PROVIDERS[module]
        if mirror is None or (mirror / "registry.terraform.io" / source).is_dir():
            return None
        return (
            f"modules/{module} uses {source}, which the provider mirror {mirror} does not hold; "
            "its HCL is checked against the provider's schema instead"
        )
    if module not in MODULES_NEEDING_PROVIDER_MAJOR:
        return None
    major, why = MODULES_NEEDING_PROVIDER_MAJOR[module]
    mirror = provider_mirror()
    if mirror is None:
        return None  # the registry serves every version
    versions_dir = mirror / "registry.terraform.io" / "hashicorp" / "aws"
    versions = sorted(p.name for p in versions_dir.iterdir()) if versions_dir.is_dir() else []
    if any(v.split(".")[0] == str(major) for v in versions):
        return None
    return (
        f"modules/{module} needs hashicorp/aws {major}.x ({why}); the provider mirror {mirror} "
        f"holds {', '.join(versions) or 'no hashicorp/aws'}"
    )


def _diagnostics(result: dict[str, Any]) -> list[str]:
    return [
        f"{d['severity']}: {d['summary']} — {d.get('detail', '')} "
        f"({(d.get('range') or {}).get('filename', '?')}:"
        f"{((d.get('range') or {}).get('start') or {}).get('line', '?')})"
        for d in result.get("diagnostics", [])
    ]


def test_every_module_is_terraform_fmt_clean(terraform: TerraformSetup) -> None:
    assert fmt_check(terraform, MODULES_DIR) == []


def test_every_module_has_an_example_to_validate() -> None:
    modules = sorted(
        module_id(p, MODULES_DIR)
        for p in discover_modules(MODULES_DIR)
        if (p / "versions.tf").exists()
    )
    with_examples = sorted(
        {module_id(example.parents[1], MODULES_DIR) for example in MODULE_EXAMPLES}
    )
    assert with_examples == modules
    # The validation exception names existing modules only, so it cannot outlive its module.
    assert set(MODULES_NEEDING_PROVIDER_MAJOR) <= set(modules)


@pytest.mark.parametrize(
    "module_example",
    MODULE_EXAMPLES,
    ids=[f"{module_id(p.parents[1], MODULES_DIR)}/{p.name}" for p in MODULE_EXAMPLES],
    indirect=True,
)
def test_module_example_validates_without_warnings(
    terraform: TerraformSetup, module_example: Path
) -> None:
    reason = _unavailable_provider_reason(module_example.parents[1].name)
    if reason:
        pytest.skip(reason)
    workspace = terraform.workspace(module_example)
    workspace.init(backend=False)
    result = workspace.validate()
    assert result["valid"], _diagnostics(result)
    assert result["warning_count"] == 0, _diagnostics(result)


def _stack_unavailable_provider_reason(stack_dir: Path) -> str | None:
    """Why a synthesized stack cannot be validated here: it calls a module of
    `MODULES_NEEDING_PROVIDER_MAJOR` (the composition names each module call after its module)
    and the mirror cannot give that major. None when it can be validated."""
    document = json.loads((stack_dir / "cdk.tf.json").read_text(encoding="utf-8"))
    for module in sorted(document.get("module") or {}):
        reason = _unavailable_provider_reason(module)
        if reason:
            return f"stack {stack_dir.name}: {reason}"
    return None


def test_every_synthesized_stack_is_validated_or_skipped_with_a_reason(
    synthesized_stacks: Path,
) -> None:
    """The parametrization names exactly the synthesized stacks, so none escapes validation."""
    assert sorted(p.name for p in synthesized_stacks.iterdir() if p.is_dir()) == STACK_NAMES


@pytest.mark.parametrize("stack", STACK_NAMES)
def test_synthesized_stack_validates_without_warnings(
    terraform: TerraformSetup, synthesized_stacks: Path, stack: str
) -> None:
    reason = _stack_unavailable_provider_reason(synthesized_stacks / stack)
    if reason:
        pytest.skip(reason)
    workspace = terraform.workspace(synthesized_stacks / stack)
    workspace.init(backend=False)
    result = workspace.validate()
    assert result["valid"], _diagnostics(result)
    assert result["warning_count"] == 0, _diagnostics(result)
