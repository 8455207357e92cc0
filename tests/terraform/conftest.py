"""Fixtures of the real-Terraform tests: module examples and synthesized stacks to validate."""

from __future__ import annotations

from pathlib import Path

import pytest

from platform_composition.app import synthesize
from platform_sandbox.terraform import TerraformSetup
from tests.terraform_support import copy_module, require_terraform

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MODULES_DIR = PROJECT_ROOT / "modules"
# Capability modules and the shared building blocks (modules/shared/<block>).
MODULE_EXAMPLES = sorted(
    [*MODULES_DIR.glob("*/examples/*/"), *MODULES_DIR.glob("shared/*/examples/*/")]
)


@pytest.fixture(scope="session")
def terraform() -> TerraformSetup:
    return require_terraform()


@pytest.fixture(scope="session")
def synthesized_stacks(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default environments synthesized into a temporary `cdktf.out/stacks`."""
    outdir = tmp_path_factory.mktemp("terraform-synth") / "cdktf.out"
    synthesize(PROJECT_ROOT / "environments", outdir)
    return outdir / "stacks"


@pytest.fixture
def module_example(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    """A copy of one module (with its examples) outside the repository, so that `terraform
    init` leaves no `.terraform/` or lock file in the working tree."""
    example: Path = request.param
    module = example.parents[1]
    return copy_module(module, tmp_path) / example.relative_to(module)
