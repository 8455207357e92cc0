"""pipelines/settings.py: the build's environment contract, every problem named at once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pipelines import settings as settings_module
from pipelines.settings import (
    COMMON_VARIABLES,
    DEFAULTS,
    VARIABLES_BY_KIND,
    BuildSettings,
)
from seed_env import COMMON_ENV, KIND_ENV, KINDS, environ_for


def _error(environ: dict[str, str]) -> str:
    with pytest.raises(ValueError) as caught:
        BuildSettings.from_environ(environ)
    return str(caught.value)


def test_the_contract_matches_the_templates_variables() -> None:
    assert set(COMMON_VARIABLES) == {*COMMON_ENV, "DATA_SOURCE_KIND"}
    assert set(VARIABLES_BY_KIND) == set(KINDS)
    for kind in KINDS:
        assert set(VARIABLES_BY_KIND[kind]) == set(KIND_ENV[kind]), kind


@pytest.mark.parametrize("kind", KINDS)
def test_a_complete_environment_parses(kind: str) -> None:
    settings = BuildSettings.from_environ(environ_for(kind))
    assert settings.data_source_kind == kind
    assert settings.project_name == "churn"
    assert settings.project_id == "p-abcdefghijkl"
    assert settings.subnet_ids == ("subnet-0a1b2c3d4e5f60718", "subnet-0a1b2c3d4e5f60719")
    assert settings.security_group_ids == ("sg-0a1b2c3d4e5f60718",)
    assert settings.metric_threshold == pytest.approx(0.75)
    assert settings.uses_athena == (kind != "s3")
    if kind == "s3":
        assert settings.data_source_s3_uri == "s3://team-a-data/churn/train/"
        assert settings.athena_workgroup is None
    if kind == "athena":
        assert (settings.athena_database, settings.athena_table) == (
            "lake_curated",
            "customer_churn",
        )
    if kind == "feature-store":
        assert settings.feature_group_name == KIND_ENV[kind]["FEATURE_GROUP_NAME"]
        assert settings.feature_store_database == "lake_feature_store"
        assert settings.athena_role_arn == KIND_ENV[kind]["ATHENA_ROLE_ARN"]


def test_settings_are_frozen() -> None:
    settings = BuildSettings.from_environ(environ_for("s3"))
    with pytest.raises(AttributeError):
        settings.kms_key_arn = "other"  # type: ignore[misc]


def test_an_empty_environment_names_every_common_variable() -> None:
    message = _error({})
    for name in COMMON_VARIABLES:
        assert name in message, name


@pytest.mark.parametrize("kind", KINDS)
def test_every_listed_variable_is_required(kind: str) -> None:
    """Each variable of the contract, removed alone, is reported (unless it has a default)."""
    for name in (*COMMON_VARIABLES, *VARIABLES_BY_KIND[kind]):
        environ = environ_for(kind, **{name: None})
        if name in DEFAULTS:
            BuildSettings.from_environ(environ)
            continue
        message = _error(environ)
        assert f"missing: {name}" in message or f", {name}" in message, (name, message)


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_requires_its_own_variables_and_only_those(kind: str) -> None:
    environ = {**COMMON_ENV, "DATA_SOURCE_KIND": kind}
    required = [n for n in VARIABLES_BY_KIND[kind] if n not in DEFAULTS]
    message = _error(environ)
    missing_line = next(line for line in message.splitlines() if "missing:" in line)
    missing = set(missing_line.split("missing:")[1].replace(" ", "").split(","))
    assert missing == set(required)


def test_the_feature_store_database_defaults_to_the_lake_resource_link() -> None:
    settings = BuildSettings.from_environ(environ_for("feature-store", FEATURE_STORE_DATABASE="  "))
    assert settings.feature_store_database == "lake_feature_store"


def test_every_invalid_and_missing_variable_is_in_one_error() -> None:
    environ = environ_for(
        "athena",
        METRIC_THRESHOLD="high",
        SUBNET_IDS="subnet-0a1b2c3d4e5f60718, vpc-123",
        KMS_KEY_ARN="alias/team-a",
        ARTIFACT_BUCKET="s3://team-a-bucket",
        ATHENA_DATABASE='lake"; DROP TABLE x; --',
        PIPELINE_EXECUTION_ROLE_ARN=None,
        ATHENA_TABLE=None,
    )
    message = _error(environ)
    for name in (
        "METRIC_THRESHOLD",
        "SUBNET_IDS",
        "KMS_KEY_ARN",
        "ARTIFACT_BUCKET",
        "ATHENA_DATABASE",
        "PIPELINE_EXECUTION_ROLE_ARN",
        "ATHENA_TABLE",
    ):
        assert name in message, name
    assert "'vpc-123'" in message  # the bad item of the list is shown
    for fine in ("SECURITY_GROUP_IDS", "ATHENA_WORKGROUP", "TARGET_COLUMN"):
        assert fine not in message, fine


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("METRIC_THRESHOLD", "1.2"),
        ("METRIC_THRESHOLD", "-0.1"),
        ("METRIC_THRESHOLD", "nan"),
        ("DATA_SOURCE_KIND", "redshift"),
        ("SAGEMAKER_PROJECT_ID", "p-short"),
        ("TARGET_COLUMN", "Churned Flag"),
        ("SECURITY_GROUP_IDS", ""),
        ("ATHENA_ROLE_ARN", "team-a-athena"),
        ("ATHENA_WORKGROUP", "team a"),
        ("FEATURE_GROUP_NAME", "customers;drop"),
    ],
)
def test_invalid_values_are_named(name: str, value: str) -> None:
    assert name in _error(environ_for("feature-store", **{name: value}))


def test_comma_separated_ids_tolerate_spaces() -> None:
    settings = BuildSettings.from_environ(
        environ_for("s3", SUBNET_IDS=" subnet-0a1b2c3d4e5f60718 , subnet-0a1b2c3d4e5f60719 ")
    )
    assert settings.subnet_ids == ("subnet-0a1b2c3d4e5f60718", "subnet-0a1b2c3d4e5f60719")


def test_settings_loads_by_path_with_the_standard_library_only() -> None:
    """-S: no site-packages at all, as in a venv without the SageMaker SDK."""
    path = Path(settings_module.__file__)
    script = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('seed_settings', {str(path)!r})\n"
        "module = importlib.util.module_from_spec(spec)\n"
        "sys.modules['seed_settings'] = module\n"
        "spec.loader.exec_module(module)\n"
        "print(sorted(module.VARIABLES_BY_KIND), len(module.COMMON_VARIABLES))\n"
    )
    result = subprocess.run(
        [sys.executable, "-S", "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['athena', 'feature-store', 's3'] 12"
