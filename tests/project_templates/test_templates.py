"""Every check of checks.py on every template, plus what only the raw text shows."""

from __future__ import annotations

import copy
import re

import pytest

from tests.project_templates.checks import CHECKS, TYPED_PARAMETER_VARIABLES
from tests.project_templates.parameter_samples import ACCEPTED
from tests.project_templates.support import (
    KINDS,
    SETTINGS_PATH,
    build_contract,
    environment_variables,
    example_values,
    load_seed_settings,
    load_template,
    resolve,
    template_path,
)


@pytest.mark.parametrize("check", CHECKS, ids=list(CHECKS))
@pytest.mark.parametrize("kind", KINDS)
def test_template(kind: str, check: str) -> None:
    CHECKS[check](load_template(kind), kind)


@pytest.mark.parametrize("kind", KINDS)
def test_no_codecommit_in_text(kind: str) -> None:
    assert "codecommit" not in template_path(kind).read_text().lower()


def test_contract_source() -> None:
    """Which definition of the build variables the checks compared with."""
    common, by_kind, origin = build_contract()
    assert set(by_kind) == set(KINDS), f"kinds in {origin}: {sorted(by_kind)}"
    assert "DATA_SOURCE_KIND" in common
    if not SETTINGS_PATH.exists():
        pytest.skip(f"{SETTINGS_PATH.name} of the seed code does not exist yet: {origin} used")


def _without_data_source(template: dict, kind: str) -> dict:
    """The template minus what legitimately differs per kind."""
    stripped = copy.deepcopy(dict(template))
    stripped.pop("Description")
    stripped.pop("Metadata")
    for name in list(stripped["Parameters"]):
        if name.startswith(("DataSource", "Athena", "FeatureGroup", "FeatureStore")):
            del stripped["Parameters"][name]
    project = next(
        r for r in stripped["Resources"].values() if r["Type"] == "AWS::CodeBuild::Project"
    )
    env = project["Properties"]["Environment"]["EnvironmentVariables"]
    project["Properties"]["Environment"]["EnvironmentVariables"] = [
        v
        for v in env
        if v["Name"] != "DATA_SOURCE_KIND"
        and not re.match(r"(DATA_SOURCE_S3|ATHENA|FEATURE)_", v["Name"])
    ]
    return stripped


@pytest.mark.parametrize("kind", [k for k in KINDS if k != "s3"])
def test_templates_differ_only_in_the_data_source(kind: str) -> None:
    """The shared part (bucket, group, pipeline, build) is the same in every template."""
    assert _without_data_source(load_template(kind), kind) == _without_data_source(
        load_template("s3"), "s3"
    )


@pytest.mark.parametrize("kind", KINDS)
def test_seed_code_accepts_what_the_form_accepts(kind: str) -> None:
    """The build's own checks (BuildSettings.from_environ in the seed code, when it has one)
    accept the environment the template gives for the example project and for every accepted
    value of the lead's data-source parameters: the form never lets through what the build
    then refuses."""
    module = load_seed_settings()
    from_environ = getattr(getattr(module, "BuildSettings", None), "from_environ", None)
    if from_environ is None:
        pytest.skip("the seed code has no BuildSettings.from_environ (yet)")
    template = load_template(kind)
    samples: list[dict[str, str]] = [{}] + [
        {name: value}
        for name, values in ACCEPTED.items()
        if name in TYPED_PARAMETER_VARIABLES[kind]
        for value in values
    ]
    for override in samples:
        values = example_values(template, **override)
        env = {
            v["Name"]: str(resolve(v["Value"], template, values))
            for v in environment_variables(template)
        }
        from_environ(env)
