"""Fixtures for the operator CLI tests: a moto-backed hub, test and prod account.

Accounts are isolated the way moto isolates them: the hub is moto's default account, and the
test/prod sessions come from STS AssumeRole into the target account, exactly as the CLI does.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

# `mlgov` is a top-level package of the project (installed with it); the test kit lives here.
_TESTS = str(Path(__file__).parent)
if _TESTS not in sys.path:
    sys.path.insert(0, _TESTS)

os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")

from mlgov_testkit import REGION  # noqa: E402
from moto import mock_aws  # noqa: E402


@pytest.fixture(autouse=True)
def _aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fake credentials and no metadata lookups, so nothing can reach a real account."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    for name in (
        "MLGOV_TARGET_CONFIG",
        "MODEL_PACKAGE_ARN",
        "MLGOV_PIPELINE_EXECUTION_ID",
        "MLGOV_PIPELINE_NAME",
        "MLGOV_PROD_APPROVER_ROLE_ARN",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def aws() -> Iterator[None]:
    """Everything inside runs against moto."""
    with mock_aws():
        yield


@pytest.fixture
def hub_session(aws: None) -> boto3.Session:
    """The caller's session in the hub (the pipeline's CodeBuild role, or an operator)."""
    return boto3.Session(region_name=REGION)
