"""cfn-lint on every project template: no errors, no warnings, no informational findings.

Linted for the platform's regions (eu-west-1 home, eu-central-1 in the examples) and cfn-lint's
default us-east-1. A rule may only be suppressed per resource (Metadata cfn-lint config
ignore_checks) with a written reason, never for a whole template.
"""

from __future__ import annotations

import pytest
from cfnlint.api import ManualArgs, lint_file

from tests.project_templates.support import KINDS, load_template, template_path

REGIONS = ["us-east-1", "eu-west-1", "eu-central-1"]


@pytest.mark.parametrize("kind", KINDS)
def test_cfn_lint_is_clean(kind: str) -> None:
    matches = lint_file(
        template_path(kind),
        config=ManualArgs(regions=REGIONS, include_checks=["I"]),
    )
    assert [f"{m.rule.id} {m.linenumber}: {m.message}" for m in matches] == []


@pytest.mark.parametrize("kind", KINDS)
def test_suppressions_are_per_resource_with_a_reason(kind: str) -> None:
    template = load_template(kind)
    assert "cfn-lint" not in template.get("Metadata", {}), "no template-wide suppression"
    for name, resource in template["Resources"].items():
        config = resource.get("Metadata", {}).get("cfn-lint", {}).get("config", {})
        if config.get("ignore_checks"):
            reason = resource["Metadata"]["cfn-lint"].get("reason", "")
            assert reason.strip(), f"{name} suppresses {config['ignore_checks']} without a reason"
