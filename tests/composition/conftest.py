"""Shared fixtures: the default configuration synthesized once per session."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ENVIRONMENTS = PROJECT_ROOT / "environments"


def unlined(text: str) -> str:
    """Configuration errors without their line numbers (`file.hcl:12: key` -> `file.hcl: key`),
    for tests about what an error says; the lines have tests of their own."""
    return re.sub(r"(\.hcl):\d+: ", r"\1: ", text)


def run_main(
    *args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `main.py` the way an operator does, in a fresh interpreter (in `cwd`, with `env`)."""
    return subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "main.py"), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=cwd,
        env=env,
    )


@pytest.fixture(scope="session")
def synthesized(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`cdktf.out` of the default environments."""
    outdir = tmp_path_factory.mktemp("synth") / "cdktf.out"
    result = run_main("--outdir", outdir)
    assert result.returncode == 0, result.stderr
    return outdir


@pytest.fixture(scope="session")
def stacks(synthesized: Path) -> dict[str, dict[str, Any]]:
    """Every synthesized stack's JSON, by stack name."""
    return {
        path.parent.name: json.loads(path.read_text())
        for path in sorted((synthesized / "stacks").glob("*/cdk.tf.json"))
    }


@pytest.fixture
def environments_copy(tmp_path: Path) -> Path:
    """A writable copy of the default environments, for tests that break it on purpose."""
    target = tmp_path / "environments"
    shutil.copytree(ENVIRONMENTS, target)
    return target
