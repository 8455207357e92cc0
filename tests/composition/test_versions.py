"""The version contract: one version in pyproject.toml, a CHANGELOG section for it, module
sources pinned to release tags in every README."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
SECTION = re.compile(r"^## \[([^\]]+)\]", re.MULTILINE)
GIT_SOURCE = re.compile(r'source\s*=\s*"(git::[^"]+)"')


def project_version() -> str:
    with (PROJECT_ROOT / "pyproject.toml").open("rb") as handle:
        version = tomllib.load(handle)["project"]["version"]
    assert isinstance(version, str)
    return version


def test_the_version_is_semver_and_has_a_changelog_section() -> None:
    version = project_version()
    assert SEMVER.match(version), version
    sections = SECTION.findall((PROJECT_ROOT / "CHANGELOG.md").read_text(encoding="utf-8"))
    released = [s for s in sections if s != "Unreleased"]
    assert sections[0] in ("Unreleased", version), sections
    assert all(SEMVER.match(s) for s in released), sections
    # Newest first, each version once.
    as_tuples = [tuple(int(p) for p in s.split(".")) for s in released]
    assert as_tuples == sorted(set(as_tuples), reverse=True), sections
    assert version in released, f"CHANGELOG.md has no section for {version}: {sections}"


def test_every_git_module_source_in_the_docs_pins_a_release() -> None:
    tracked = subprocess.run(
        ["git", "ls-files", "*.md"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    sources = {
        (name, source)
        for name in tracked
        for source in GIT_SOURCE.findall((PROJECT_ROOT / name).read_text(encoding="utf-8"))
    }
    assert sources, "no git:: module source in any README"
    unpinned = sorted(
        (n, s) for n, s in sources if not re.search(r"\?ref=(v\d|v<version>|<tag>)", s)
    )
    assert not unpinned, unpinned


def test_the_readme_shows_a_complete_source_pinned_to_the_current_version() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    expected = f"//modules/model-promotion-hub?ref=v{project_version()}"
    assert any(s.endswith(expected) for s in GIT_SOURCE.findall(readme)), expected
