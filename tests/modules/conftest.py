"""Fixtures for the HCL module checks: module discovery and the provider schemas, once per session.

Modules are discovered by globbing `modules/*/` at collection time, so a module added later is
checked without touching these tests. Parametrized test ids are the module folder names, so a
failure names the module.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.modules import hcl_checks

MODULES_ROOT = hcl_checks.REPO_ROOT / "modules"
FIXTURE_MODULES_ROOT = hcl_checks.REPO_ROOT / "tests" / "fixtures" / "modules"


def _parametrized_explicitly(metafunc: pytest.Metafunc, name: str) -> bool:
    for marker in metafunc.definition.iter_markers("parametrize"):
        names = marker.args[0] if marker.args else marker.kwargs.get("argnames", "")
        if isinstance(names, str):
            names = [n.strip() for n in names.split(",")]
        if name in names:
            return True
    return False


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrize `module_dir` over every folder in modules/ (ids = module names).

    Any test in tests/modules that takes `module_dir` (or the `checked_module` fixture) runs once
    per module; a test that parametrizes `module_dir` itself is left alone.
    """
    if "module_dir" in metafunc.fixturenames and not _parametrized_explicitly(
        metafunc, "module_dir"
    ):
        modules = hcl_checks.discover_modules(MODULES_ROOT)
        metafunc.parametrize(
            "module_dir", modules, ids=[hcl_checks.module_id(m, MODULES_ROOT) for m in modules]
        )


@pytest.fixture
def checked_module(module_dir: Path) -> Path:
    """The module folder, or a visible skip while another helper has not written any .tf yet."""
    reason = hcl_checks.skip_reason(module_dir)
    if reason:
        pytest.skip(reason)
    return module_dir


@pytest.fixture(scope="session")
def schema() -> hcl_checks.ProviderSchema:
    """The derived hashicorp/aws schema, loaded once per session."""
    return hcl_checks.load_schema()


@pytest.fixture(scope="session")
def tfe_schema() -> hcl_checks.ProviderSchema:
    """The derived hashicorp/tfe schema, loaded once per session.

    The checks load it themselves when a file has tfe_* blocks (hcl_checks.schema_for); this
    fixture is for tests that look into it.
    """
    return hcl_checks.load_schema(hcl_checks.TFE_SCHEMA_PATH)


@pytest.fixture(scope="session")
def fixture_modules() -> Path:
    """Folder of the deliberately broken (and one valid) fixture modules."""
    return FIXTURE_MODULES_ROOT
