"""One provider range for every module, example and synthesized stack.

`platform_composition.aws_provider.AWS_PROVIDER_VERSION` is the single definition; each
`versions.tf` repeats it (a module must stay self-contained), so this test keeps the copies equal.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from platform_composition.aws_provider import AWS_PROVIDER_VERSION

PROJECT_ROOT = Path(__file__).resolve().parents[2]
VERSIONS_FILES = sorted((PROJECT_ROOT / "modules").glob("**/versions.tf"))


def test_the_range_has_a_floor_and_a_ceiling() -> None:
    assert AWS_PROVIDER_VERSION == ">= 5.100, < 7.0"


@pytest.mark.parametrize(
    "versions_tf", VERSIONS_FILES, ids=[str(p.relative_to(PROJECT_ROOT)) for p in VERSIONS_FILES]
)
def test_versions_tf_uses_the_platform_range(versions_tf: Path) -> None:
    text = versions_tf.read_text(encoding="utf-8")
    entries = re.findall(r"\baws\s*=\s*\{([^}]*)\}", text)
    assert len(entries) == 1, "one hashicorp/aws entry in required_providers"
    assert re.search(r'source\s*=\s*"hashicorp/aws"', entries[0])
    versions = re.findall(r'version\s*=\s*"([^"]*)"', entries[0])
    assert versions == [AWS_PROVIDER_VERSION]
