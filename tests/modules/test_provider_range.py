"""One provider range for every module, example and synthesized stack, with one named exception.

`platform_composition.aws_provider.AWS_PROVIDER_VERSION` is the single definition; each
`versions.tf` repeats it (a module must stay self-contained), so this test keeps the copies equal.
`PROVIDER_RANGE_EXCEPTIONS` lists the only module allowed another range, and why.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from platform_composition.aws_provider import (
    AWS_PROVIDER_VERSION,
    AWS_PROVIDER_VERSION_DATAZONE_V2,
)
from platform_composition.hcp_terraform import TFE_PROVIDER_VERSION

PROJECT_ROOT = Path(__file__).resolve().parents[2]
VERSIONS_FILES = sorted((PROJECT_ROOT / "modules").glob("**/versions.tf"))

# Module folder (relative to the repository root) -> its hashicorp/aws range, for the module and
# its examples. unified-studio-domain: an Amazon DataZone V2 domain (SageMaker Unified Studio)
# needs `domain_version = "V2"` and `service_role` on aws_datazone_domain, which exist only in
# hashicorp/aws 6.x. Only the `<environment>-unified-studio` stack calls it, with the stack-level
# range AWS_PROVIDER_VERSION_DATAZONE_V2 (so its versions.tf must equal that constant); every other
# synthesized stack stays on AWS_PROVIDER_VERSION.
PROVIDER_RANGE_EXCEPTIONS: dict[str, str] = {
    "modules/unified-studio-domain": AWS_PROVIDER_VERSION_DATAZONE_V2,
}

_FLOOR = re.compile(r">=\s*(\d+)\.(\d+)")
_CEILING = re.compile(r"<\s*(\d+(?:\.\d+)*)")


def expected_range(versions_tf: Path) -> str:
    """The range a versions.tf must declare: its module's exception, else the platform's."""
    relative = versions_tf.relative_to(PROJECT_ROOT).as_posix()
    for module, version_range in PROVIDER_RANGE_EXCEPTIONS.items():
        if relative.startswith(f"{module}/"):
            return version_range
    return AWS_PROVIDER_VERSION


def test_the_range_has_a_floor_and_a_ceiling() -> None:
    assert AWS_PROVIDER_VERSION == ">= 5.100, < 7.0"
    assert AWS_PROVIDER_VERSION_DATAZONE_V2 == ">= 6.0, < 7.0"


@pytest.mark.parametrize("module", sorted(PROVIDER_RANGE_EXCEPTIONS))
def test_exception_has_a_6x_floor_and_the_platform_ceiling(module: str) -> None:
    version_range = PROVIDER_RANGE_EXCEPTIONS[module]
    floor = _FLOOR.findall(version_range)
    assert [major for major, _minor in floor] == ["6"], f"{version_range!r}: one 6.x floor"
    assert _CEILING.findall(version_range) == _CEILING.findall(AWS_PROVIDER_VERSION) == ["7.0"]
    assert (PROJECT_ROOT / module / "versions.tf").is_file(), f"{module}: no such module"


# Modules that manage no AWS resource (HCP Terraform's own objects, with hashicorp/tfe).
MODULES_WITHOUT_AWS = ("modules/hcp-terraform-workspaces",)


@pytest.mark.parametrize(
    "versions_tf", VERSIONS_FILES, ids=[str(p.relative_to(PROJECT_ROOT)) for p in VERSIONS_FILES]
)
def test_versions_tf_uses_the_platform_range(versions_tf: Path) -> None:
    text = versions_tf.read_text(encoding="utf-8")
    entries = re.findall(r"\baws\s*=\s*\{([^}]*)\}", text)
    relative = versions_tf.relative_to(PROJECT_ROOT).as_posix()
    if any(relative.startswith(f"{module}/") for module in MODULES_WITHOUT_AWS):
        assert entries == [], f"{relative}: listed in MODULES_WITHOUT_AWS but requires aws"
        tfe = re.findall(r"\btfe\s*=\s*\{([^}]*)\}", text)
        assert len(tfe) == 1 and re.search(r'source\s*=\s*"hashicorp/tfe"', tfe[0])
        assert re.findall(r'version\s*=\s*"([^"]*)"', tfe[0]) == [TFE_PROVIDER_VERSION]
        return
    assert len(entries) == 1, "one hashicorp/aws entry in required_providers"
    assert re.search(r'source\s*=\s*"hashicorp/aws"', entries[0])
    versions = re.findall(r'version\s*=\s*"([^"]*)"', entries[0])
    assert versions == [expected_range(versions_tf)]
