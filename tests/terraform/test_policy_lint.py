"""parliament lints every IAM and resource policy the applied platform holds.

Every document comes from `terraform show -json` of a stack applied by real Terraform into the
simulated AWS (the session's `applied_platform`), so parliament reads exactly what the provider
sent to AWS. A finding passes only when `tests/terraform/policy_lint.SUPPRESSIONS` accepts it
with a reason; every other finding fails with the policy address and the finding, and so does a
suppression that no longer matches anything (it would hide the next real finding).
"""

from __future__ import annotations

import pytest

from platform_composition.config import load_platform_config
from tests.composition.conftest import ENVIRONMENTS
from tests.terraform.policy_lint import (
    SUPPRESSIONS,
    Finding,
    PolicyDocument,
    Suppression,
    collect_policies,
    lint,
    suppression_for,
    unlisted_policy_attributes,
)
from tests.terraform_state import State
from tests.terraform_support import AppliedPlatform

pytestmark = pytest.mark.slow  # the session's applied sandbox (~4 min, shared with e2e)

STACKS = sorted(env.name for env in load_platform_config(ENVIRONMENTS).environments)


@pytest.fixture(scope="module")
def policies(applied_platform: AppliedPlatform) -> dict[str, list[PolicyDocument]]:
    return {
        stack: list(collect_policies(stack, State(applied_platform.state(stack))))
        for stack in STACKS
    }


@pytest.fixture(scope="module")
def findings(policies: dict[str, list[PolicyDocument]]) -> dict[str, list[Finding]]:
    return {stack: [f for p in documents for f in lint(p)] for stack, documents in policies.items()}


@pytest.mark.parametrize("stack", STACKS)
def test_every_policy_of_the_state_is_collected(
    applied_platform: AppliedPlatform, stack: str
) -> None:
    """A policy attribute the collector does not know would never be linted."""
    assert unlisted_policy_attributes(State(applied_platform.state(stack))) == []


def test_policies_were_collected(policies: dict[str, list[PolicyDocument]]) -> None:
    counted = {stack: len(documents) for stack, documents in policies.items()}
    assert sum(counted.values()) > 0, counted
    # Every stack with a module has at least a role trust policy.
    for stack, count in counted.items():
        if stack != "data-governance":
            assert count > 0, f"no policy collected from {stack}"


@pytest.mark.parametrize("stack", STACKS)
def test_parliament_finds_nothing_unaccepted(
    findings: dict[str, list[Finding]], stack: str
) -> None:
    unaccepted = [f for f in findings[stack] if suppression_for(f) is None]
    listing = "\n".join(f"  {f}" for f in unaccepted)
    assert not unaccepted, f"parliament findings (fix the module or suppress them):\n{listing}"


def test_every_suppression_is_still_needed(findings: dict[str, list[Finding]]) -> None:
    used: set[Suppression] = set()
    for stack_findings in findings.values():
        for finding in stack_findings:
            suppression = suppression_for(finding)
            if suppression is not None:
                used.add(suppression)
    stale = [s for s in SUPPRESSIONS if s not in used]
    assert not stale, "suppressions matching no finding:\n" + "\n".join(
        f"  {s.address} {s.issue} {s.detail}" for s in stale
    )


def test_suppressions_give_reasons() -> None:
    for suppression in SUPPRESSIONS:
        assert len(suppression.reason.split()) >= 8, suppression
