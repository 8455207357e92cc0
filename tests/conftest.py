"""Suite-wide safety: no test may reach a real AWS endpoint or credentials."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.terraform_support import AppliedPlatform, applied_platform_fixture

# Set before any boto3 client exists; moto intercepts calls, these make a leak fail fast instead
# of finding a developer's real credentials or the instance metadata service.
os.environ["AWS_EC2_METADATA_DISABLED"] = "true"
os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("AWS_SECURITY_TOKEN", "testing")
os.environ.setdefault("AWS_SESSION_TOKEN", "testing")
os.environ.setdefault("AWS_DEFAULT_REGION", "eu-west-1")
os.environ.pop("AWS_PROFILE", None)


@pytest.fixture(scope="session")
def applied_platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppliedPlatform]:
    """The default organization applied by real Terraform into the simulated AWS (once)."""
    yield from applied_platform_fixture(tmp_path_factory)
