"""Shared setup of the seed code suite: no real AWS (the example project is in seed_env.py)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws
from seed_env import REGION

# Before any boto3 client exists: moto intercepts every call, and these make a leak fail fast
# instead of finding real credentials or the instance metadata service.
os.environ["AWS_EC2_METADATA_DISABLED"] = "true"
os.environ["AWS_ACCESS_KEY_ID"] = "testing"
os.environ["AWS_SECRET_ACCESS_KEY"] = "testing"
os.environ["AWS_SESSION_TOKEN"] = "testing"
os.environ["AWS_DEFAULT_REGION"] = REGION
os.environ.pop("AWS_PROFILE", None)


@pytest.fixture
def aws() -> Iterator[boto3.Session]:
    """A moto-backed boto3 session in the fixed region."""
    with mock_aws():
        yield boto3.Session(region_name=REGION)
