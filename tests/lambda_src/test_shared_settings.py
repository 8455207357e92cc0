"""One settings module for every function: linked into each function's folder, packaged as a
regular file of each zip, and importable from the zip alone."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from platform_composition.packaging import LAMBDA_SRC, build_package

SHARED = LAMBDA_SRC / "mlgov_lambda_common" / "settings.py"
FUNCTIONS = ("model_promoter", "pipeline_trigger")


@pytest.mark.parametrize("function", FUNCTIONS)
def test_each_function_links_the_one_shared_file(function):
    linked = LAMBDA_SRC / function / "common_settings.py"
    assert linked.is_symlink(), f"{linked} must link the shared file, not copy it"
    assert linked.resolve() == SHARED.resolve()


@pytest.mark.parametrize("function", FUNCTIONS)
def test_the_package_holds_the_shared_settings_and_imports_alone(function, tmp_path):
    package = build_package(LAMBDA_SRC, function, tmp_path / "build")
    with zipfile.ZipFile(package.path) as archive:
        assert archive.read(f"{function}/common_settings.py") == SHARED.read_bytes()
        archive.extractall(tmp_path / "root")
    # Only the zip's content on the path: the settings load without lambda_src.
    completed = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import {function}.settings as s; print(s.load_settings.__module__)",
        ],
        cwd=tmp_path / "root",
        env={"PYTHONPATH": str(tmp_path / "root"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == f"{function}.settings"


def test_a_settings_error_names_the_variable_the_value_and_the_expectation():
    from pipeline_trigger.common_settings import SettingsError
    from pipeline_trigger.settings import load_settings

    with pytest.raises(SettingsError) as error:
        load_settings({"PIPELINE_NAME": "two words"})
    assert str(error.value) == (
        "pipeline_trigger configuration error: PIPELINE_NAME='two words' is invalid "
        "(expected a CodePipeline name: 1-100 of A-Z a-z 0-9 . @ _ -)"
    )
