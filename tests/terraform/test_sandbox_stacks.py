"""Which synthesized stacks the sandbox applies, and how the ones it leaves out are reported.

No simulator and no Terraform: the sandbox's stack list comes from the configuration alone.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from platform_composition.config import AccountRole, load_platform_config
from platform_composition.stacks import AccountStack, stack_classes, stack_names
from platform_sandbox import gaps
from platform_sandbox.organization import Sandbox, StackRun, coverage_table

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ENVIRONMENTS = PROJECT_ROOT / "environments"
STUDIO = "data-governance-unified-studio"


@pytest.fixture
def sandbox(tmp_path: Path) -> Sandbox:
    """A sandbox whose environments are the default ones (as `prepare` would leave them)."""
    sandbox = Sandbox(tmp_path / "sandbox", environments=ENVIRONMENTS, progress=lambda _: None)
    shutil.copytree(ENVIRONMENTS, sandbox.environments)
    return sandbox


def test_the_unified_studio_stack_is_left_out_with_the_reason(sandbox: Sandbox) -> None:
    applied = [run.name for run in sandbox.ordered_stacks()]
    (studio,) = sandbox.stacks_not_applied()
    assert studio.name == STUDIO and studio.role == AccountRole.DATA_GOVERNANCE.value
    assert studio.not_applied == gaps.STACKS_NOT_APPLIED["unified-studio"]
    assert "hashicorp/aws 6.x" in studio.not_applied and "DataZone" in studio.not_applied
    # Every synthesized stack is either applied or reported; the organization's stack comes
    # first (the hub's portfolio shares need its registration), then the hub.
    config = load_platform_config(ENVIRONMENTS)
    assert sorted([*applied, STUDIO]) == sorted(stack_names(config))
    (management,) = config.by_role(AccountRole.ORGANIZATION)
    assert applied[:2] == [management.name, config.shared_services.name]
    assert sorted(applied[2:]) == sorted(
        env.name
        for env in config.environments
        if env.role not in (AccountRole.ORGANIZATION, AccountRole.SHARED_SERVICES)
    )


def test_every_stack_left_out_is_a_known_additional_stack() -> None:
    """A reason names a stack kind that exists, and never an environment's own stack."""
    config = load_platform_config(ENVIRONMENTS)
    suffixes = {cls.STACK_SUFFIX for env in config.environments for cls in stack_classes(env)} - {
        None
    }
    assert set(gaps.STACKS_NOT_APPLIED) <= suffixes
    assert AccountStack.STACK_SUFFIX is None
    for suffix, reason in gaps.STACKS_NOT_APPLIED.items():
        assert len(reason) > 20, suffix


def test_coverage_table_lists_stacks_not_applied() -> None:
    applied = StackRun("data-governance", "data-governance", "666666666666", planned=3, applied=3)
    left_out = StackRun(
        STUDIO, "data-governance", "666666666666", not_applied="needs hashicorp/aws 6.x"
    )
    table = coverage_table([applied], not_applied=[left_out])
    lines = table.splitlines()
    (row,) = [line for line in lines if line.startswith(STUDIO)]
    assert "stack not applied" in row and row.endswith("needs hashicorp/aws 6.x")
    assert lines[-1].split() == ["total", "3/3"]
    # Columns stay aligned with a stack name longer than the default column.
    assert lines[0].index("account") == row.index("666666666666")
