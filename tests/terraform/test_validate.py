"""`terraform fmt -check` and `terraform validate` with the real AWS provider (5.100 here).

Every module example and every synthesized stack must validate with no error and no warning:
a deprecation warning on the lowest supported provider is a defect too (issue: provider range).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from platform_sandbox.terraform import TerraformSetup, fmt_check
from tests.terraform.conftest import MODULE_EXAMPLES, MODULES_DIR, PROJECT_ROOT

STACK_NAMES = sorted(p.name for p in (PROJECT_ROOT / "environments").iterdir() if p.is_dir())


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
    modules = sorted(p.name for p in MODULES_DIR.iterdir() if (p / "versions.tf").exists())
    with_examples = sorted({example.parents[1].name for example in MODULE_EXAMPLES})
    assert with_examples == modules


@pytest.mark.parametrize(
    "module_example",
    MODULE_EXAMPLES,
    ids=[f"{p.parents[1].name}/{p.name}" for p in MODULE_EXAMPLES],
    indirect=True,
)
def test_module_example_validates_without_warnings(
    terraform: TerraformSetup, module_example: Path
) -> None:
    workspace = terraform.workspace(module_example)
    workspace.init(backend=False)
    result = workspace.validate()
    assert result["valid"], _diagnostics(result)
    assert result["warning_count"] == 0, _diagnostics(result)


@pytest.mark.parametrize("stack", STACK_NAMES)
def test_synthesized_stack_validates_without_warnings(
    terraform: TerraformSetup, synthesized_stacks: Path, stack: str
) -> None:
    workspace = terraform.workspace(synthesized_stacks / stack)
    workspace.init(backend=False)
    result = workspace.validate()
    assert result["valid"], _diagnostics(result)
    assert result["warning_count"] == 0, _diagnostics(result)
