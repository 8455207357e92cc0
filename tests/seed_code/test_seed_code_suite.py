"""The SageMaker project seed code suite, run in its own venv (see conftest.py here).

`make test` builds .venv-seed-code from the seed code's requirements.txt and
requirements/seed-code-tests.txt; this test runs tests/seed_code/suite with it and fails with
that run's output when any of its tests fails.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SEED_PYTHON = REPO_ROOT / ".venv-seed-code" / "bin" / "python"
SUITE = Path(__file__).resolve().parent / "suite"


@pytest.mark.slow
def test_seed_code_suite() -> None:
    if not SEED_PYTHON.exists():
        pytest.fail(
            f"{SEED_PYTHON.relative_to(REPO_ROOT)} does not exist: `make test` builds it (the "
            "seed code's sagemaker v3 SDK cannot share .venv with moto[all,server]); or run "
            "`make .venv-seed-code/.deps` and this test again"
        )
    # Fake credentials and no metadata service: the suite runs against moto only.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "PYTEST_"))}
    env.pop("PYTHONPATH", None)
    env.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_SESSION_TOKEN="testing",
        AWS_DEFAULT_REGION="eu-west-1",
        AWS_EC2_METADATA_DISABLED="true",
        # No __pycache__ in the seed code folder: it is published as a repository's content.
        PYTHONDONTWRITEBYTECODE="1",
    )
    result = subprocess.run(
        [
            str(SEED_PYTHON),
            "-m",
            "pytest",
            "-c",
            str(SUITE / "pytest.ini"),
            "--rootdir",
            str(SUITE),
            "--confcutdir",
            str(SUITE),
            "-q",
            str(SUITE),
        ],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=1800,  # a safety net for a hung run, not an assertion on its speed
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"the seed code suite failed ({SEED_PYTHON}):\n{output}"
    assert " passed" in output.splitlines()[-1], output
