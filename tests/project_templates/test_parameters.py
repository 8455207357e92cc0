"""Parameter constraints.

Every parameter the lead data scientist types (and the two SageMaker passes) is constrained so
that a bad value fails in the launch form, not halfway through the stack. The derived names, at
the longest these constraints allow, are checked against the AWS limits in checks.py
(check_longest_names_fit_aws_limits, check_name_arithmetic).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.project_templates.parameter_samples import ACCEPTED, REJECTED
from tests.project_templates.support import (
    KINDS,
    constrained_max_length,
    example_values,
    is_ssm_parameter,
    load_template,
    team_name_max_length,
    violations,
    workspace_team_name_pattern,
)


def _typed_parameters(template: dict[str, Any]) -> dict[str, Any]:
    return {n: p for n, p in template["Parameters"].items() if not is_ssm_parameter(p)}


@pytest.mark.parametrize("kind", KINDS)
def test_every_typed_parameter_is_constrained(kind: str) -> None:
    for name, parameter in _typed_parameters(load_template(kind)).items():
        assert parameter.get("ConstraintDescription"), f"{name} has no ConstraintDescription"
        assert parameter.get("Description"), f"{name} has no Description"
        if parameter["Type"] == "Number":
            assert {"MinValue", "MaxValue"} <= set(parameter), name
            continue
        assert parameter["Type"] == "String", name
        assert {"MinLength", "MaxLength", "AllowedPattern"} <= set(parameter), name
        pattern = parameter["AllowedPattern"]
        assert pattern.startswith("^") and pattern.endswith("$"), f"{name}: anchor {pattern}"


@pytest.mark.parametrize("kind", KINDS)
def test_defaults_and_examples_are_accepted(kind: str) -> None:
    template = load_template(kind)
    values = example_values(template)
    for name, parameter in _typed_parameters(template).items():
        if "Default" in parameter:
            assert violations(parameter, str(parameter["Default"])) == [], name
        assert violations(parameter, str(values[name])) == [], name


def _cases(table: dict[str, list[str]]) -> list[Any]:
    cases: list[Any] = []
    for kind in KINDS:
        parameters = load_template(kind)["Parameters"]
        for name, samples in table.items():
            if name in parameters:
                cases.extend(
                    pytest.param(kind, name, sample, id=f"{kind}-{name}-{sample[:40]!r}")
                    for sample in samples
                )
    return cases


@pytest.mark.parametrize(("kind", "name", "value"), _cases(ACCEPTED))
def test_parameter_accepts(kind: str, name: str, value: str) -> None:
    assert violations(load_template(kind)["Parameters"][name], value) == []


@pytest.mark.parametrize(("kind", "name", "value"), _cases(REJECTED))
def test_parameter_rejects(kind: str, name: str, value: str) -> None:
    assert violations(load_template(kind)["Parameters"][name], value) != []


def test_every_typed_parameter_has_cases() -> None:
    for kind in KINDS:
        for name in _typed_parameters(load_template(kind)):
            assert name in ACCEPTED and name in REJECTED, f"{kind}: no cases for {name}"


# ------------------------------------------------------------------------------------------------
# Name-length arithmetic
# ------------------------------------------------------------------------------------------------


def test_team_name_rule_comes_from_the_workspace() -> None:
    pattern = workspace_team_name_pattern()
    assert team_name_max_length() == 24
    assert re.fullmatch(pattern, "mlgov-team-a")
    assert not re.fullmatch(pattern, "a" * 25)


@pytest.mark.parametrize("kind", KINDS)
def test_longest_parameter_values(kind: str) -> None:
    """The lengths the README's arithmetic starts from."""
    parameters = load_template(kind)["Parameters"]
    assert constrained_max_length(parameters["SageMakerProjectName"]) == 32
    assert constrained_max_length(parameters["SageMakerProjectId"]) == 14


@pytest.mark.parametrize("kind", KINDS)
def test_too_long_project_name_is_rejected(kind: str) -> None:
    """One character more than the arithmetic allows fails in the form."""
    parameter = load_template(kind)["Parameters"]["SageMakerProjectName"]
    assert violations(parameter, "a" * 32) == []
    problems = violations(parameter, "a" * 33)
    assert any("MaxLength" in p for p in problems), problems
