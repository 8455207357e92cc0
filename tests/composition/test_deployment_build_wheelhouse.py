"""The deployment builds install the mlgov CLI's dependencies from the tooling bundle, offline.

The synthesized tooling bundle carries `wheelhouse/`: the lock `requirements/deployment-build.txt`
as `requirements.txt` and one wheel per locked package, matching the lock's hashes. The module's
default install command, as Terraform renders it into the buildspec, installs from there into a
fresh venv with no package index, and pip refuses a tampered wheel. Synth refuses a wheelhouse
that is missing or does not match the lock, naming the file and the `make` target to run.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from platform_composition.app import build_packages
from platform_composition.wheelhouse import (
    DEPLOYMENT_LOCK,
    WHEELS_ENV_VAR,
    WheelhouseError,
    checked_wheels,
    wheels_dir,
)
from tests.composition.conftest import PROJECT_ROOT
from tests.terraform_support import copy_module, require_terraform

MODULE = PROJECT_ROOT / "modules" / "model-deployment-pipeline"
CONSTRAINTS = PROJECT_ROOT / "requirements" / "constraints.txt"
LOCKED_PACKAGES = {
    "boto3",
    "botocore",
    "s3transfer",
    "jmespath",
    "python-dateutil",
    "six",
    "urllib3",
}
# Nothing listens on port 9 (discard): any attempt to reach an index fails at once.
UNREACHABLE_INDEX = "http://127.0.0.1:9/simple"


def _lock() -> dict[str, tuple[str, set[str]]]:
    """The lock read independently of the code under test: name -> (version, sha256s)."""
    text = DEPLOYMENT_LOCK.read_text(encoding="utf-8")
    pins = re.findall(
        r"^([A-Za-z0-9._-]+)==(\S+)((?:\s*\\\s*--hash=sha256:[0-9a-f]{64})+)", text, re.M
    )
    return {
        name.lower(): (version, set(re.findall(r"sha256:([0-9a-f]{64})", hashes)))
        for name, version, hashes in pins
    }


def _wheel_package(filename: str) -> str:
    return filename.split("-")[0].lower().replace("_", "-")


def _tooling_bundle(synthesized: Path, stacks: dict[str, dict[str, Any]]) -> Path:
    package = stacks["shared-services"]["module"]["model-deployment-pipeline"]["tooling_package"]
    return synthesized / "stacks" / "shared-services" / package["filename"]


def _unzipped(bundle: Path, target: Path) -> Path:
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(target)
    return target


def _offline_env(tmp_path: Path, venv_dir: Path, **extra: str) -> dict[str, str]:
    """A build's environment: the venv's `python` first on PATH, no pip configuration file
    (this machine's may add find-links), an unreachable index."""
    return {
        "PATH": f"{venv_dir / 'bin'}:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_INDEX_URL": UNREACHABLE_INDEX,
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        **extra,
    }


def _run_install(
    commands: list[str], source_dir: Path, tmp_path: Path, venv_dir: Path
) -> subprocess.CompletedProcess[str]:
    """The buildspec's install phase, the way CodeBuild runs it: bash, in the source directory."""
    return subprocess.run(
        ["bash", "-c", "set -e\n" + "\n".join(commands) + "\n"],
        cwd=source_dir,
        env=_offline_env(tmp_path, venv_dir, CODEBUILD_SRC_DIR=str(source_dir)),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _fresh_venv(path: Path) -> Path:
    venv.EnvBuilder(with_pip=True, clear=True).create(path)
    return path


@pytest.fixture(scope="module")
def buildspecs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Each CodeBuild project's buildspec with the module's defaults, rendered by Terraform
    (`terraform console` on a copy of the module, so no `.terraform/` lands in the tree)."""
    setup = require_terraform()
    copy = copy_module(MODULE, tmp_path_factory.mktemp("pipeline-module"), ignore=("examples",))
    setup.workspace(copy).init(backend=False)
    rendered = {}
    for project in ("deploy_test", "integration_test", "deploy_prod"):
        console = subprocess.run(
            [setup.binary, "console"],
            input=f'jsonencode(local.buildspecs["{project}"])\n',
            cwd=copy,
            env=setup.env(),
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        text = console.stdout.strip()
        assert "${" not in text, text  # an HCL template escape would not survive json.loads
        rendered[project] = yaml.safe_load(json.loads(json.loads(text)))
    return rendered


@pytest.fixture(scope="module")
def install_commands(buildspecs: dict[str, dict[str, Any]]) -> list[str]:
    commands = [spec["phases"]["install"]["commands"] for spec in buildspecs.values()]
    assert all(c == commands[0] for c in commands), "every project installs the same way"
    return [str(command) for command in commands[0]]


def test_the_lock_pins_every_dependency_by_hash_at_the_projects_versions() -> None:
    lock = _lock()
    assert set(lock) == LOCKED_PACKAGES
    constraints = dict(
        line.split("==", 1) for line in CONSTRAINTS.read_text().splitlines() if "==" in line
    )
    constraints = {name.lower().replace("_", "-"): v for name, v in constraints.items()}
    for name, (version, hashes) in lock.items():
        assert hashes, name
        assert version == constraints[name], (
            f"{name}: lock {version}, constraints {constraints[name]}"
        )
    boto3_in = (PROJECT_ROOT / "requirements" / "deployment-build.in").read_text()
    assert f"boto3=={lock['boto3'][0]}" in boto3_in.splitlines()


def test_tooling_bundle_carries_the_locked_wheelhouse(
    synthesized: Path, stacks: dict[str, dict[str, Any]]
) -> None:
    lock = _lock()
    with zipfile.ZipFile(_tooling_bundle(synthesized, stacks)) as archive:
        infos = {info.filename: info for info in archive.infolist()}
        assert "mlgov/__main__.py" in infos
        assert archive.read("wheelhouse/requirements.txt") == DEPLOYMENT_LOCK.read_bytes()
        wheels = sorted(name for name in infos if name.startswith("wheelhouse/"))
        wheels.remove("wheelhouse/requirements.txt")
        assert all(name.endswith(".whl") and name.count("/") == 1 for name in wheels), wheels
        packages = [_wheel_package(Path(name).name) for name in wheels]
        assert sorted(packages) == sorted(LOCKED_PACKAGES), "exactly one wheel per package"
        for name, package in zip(wheels, packages, strict=True):
            version, hashes = lock[package]
            assert Path(name).name.split("-")[1] == version
            assert hashlib.sha256(archive.read(name)).hexdigest() in hashes, name
            assert infos[name].compress_type == zipfile.ZIP_STORED, f"{name} recompressed"
        # Deterministic: entries sorted, fixed timestamps.
        assert list(infos) == sorted(infos)
        assert {info.date_time for info in infos.values()} == {(1980, 1, 1, 0, 0, 0)}


def test_tooling_bundle_is_reproducible(tmp_path: Path) -> None:
    first = build_packages(tmp_path / "one")["mlgov"]
    second = build_packages(tmp_path / "two")["mlgov"]
    assert first.path.read_bytes() == second.path.read_bytes()
    assert first.sha256_base64 == second.sha256_base64


def test_default_install_is_offline_and_hash_checked(install_commands: list[str]) -> None:
    pip = [c for c in install_commands if "pip install" in c]
    assert len(pip) == 1, install_commands
    for flag in ("--no-index", "--no-deps", "--require-hashes"):
        assert flag in pip[0].split(), pip[0]


def test_builds_run_the_cli_from_the_source_directory(
    buildspecs: dict[str, dict[str, Any]],
) -> None:
    for project, spec in buildspecs.items():
        commands = [str(c) for c in spec["phases"]["build"]["commands"]]
        assert commands[0] == 'cd "$CODEBUILD_SRC_DIR"', (project, commands)
        assert commands[-1].startswith("python -m mlgov "), (project, commands)
        assert not any("PYTHONPATH" in c for c in commands), (project, commands)


def test_default_install_from_the_bundle_needs_no_index(
    install_commands: list[str],
    synthesized: Path,
    stacks: dict[str, dict[str, Any]],
    tmp_path: Path,
) -> None:
    source = _unzipped(_tooling_bundle(synthesized, stacks), tmp_path / "src")
    venv_dir = _fresh_venv(tmp_path / "venv")
    result = _run_install(install_commands, source, tmp_path, venv_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    # The build phase runs in the source directory (`cd "$CODEBUILD_SRC_DIR"`), where the
    # bundle's uninstalled `mlgov/` is importable because it is the working directory.
    build_env = _offline_env(tmp_path, venv_dir, CODEBUILD_SRC_DIR=str(source))
    probe = subprocess.run(
        [
            str(venv_dir / "bin" / "python"),
            "-c",
            "import boto3, botocore, mlgov.cli; print(boto3.__version__); print(boto3.__file__);"
            " print(mlgov.__file__)",
        ],
        cwd=source,
        env=build_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert probe.returncode == 0, probe.stderr
    version, location, mlgov_location = probe.stdout.split()
    assert version == _lock()["boto3"][0]
    assert Path(location).is_relative_to(venv_dir), "boto3 installed into the build's venv"
    assert Path(mlgov_location).is_relative_to(source), "mlgov imported from the bundle"
    # `python -m mlgov` as the buildspec runs it: not installed there, so no version is known.
    for argv in (["--version"], ["--help"], ["deploy", "--help"]):
        run = subprocess.run(
            [str(venv_dir / "bin" / "python"), "-m", "mlgov", *argv],
            cwd=source,
            env=build_env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert run.returncode == 0, (argv, run.stdout + run.stderr)
        if argv == ["--version"]:
            assert "version unknown" in run.stdout, run.stdout


def test_a_tampered_wheel_fails_the_install_with_a_hash_mismatch(
    install_commands: list[str],
    synthesized: Path,
    stacks: dict[str, dict[str, Any]],
    tmp_path: Path,
) -> None:
    source = _unzipped(_tooling_bundle(synthesized, stacks), tmp_path / "src")
    (wheel,) = (source / "wheelhouse").glob("six-*.whl")
    data = bytearray(wheel.read_bytes())
    data[len(data) // 2] ^= 0xFF
    wheel.write_bytes(bytes(data))
    venv_dir = _fresh_venv(tmp_path / "venv")
    result = _run_install(install_commands, source, tmp_path, venv_dir)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "DO NOT MATCH THE HASHES" in output, output
    assert "six" in output
    probe = subprocess.run(
        [str(venv_dir / "bin" / "python"), "-c", "import boto3"],
        env=_offline_env(tmp_path, venv_dir),
        capture_output=True,
        check=False,
    )
    assert probe.returncode != 0, "nothing was installed"


def test_a_bundle_without_wheelhouse_fails_before_pip(
    install_commands: list[str],
    synthesized: Path,
    stacks: dict[str, dict[str, Any]],
    tmp_path: Path,
) -> None:
    source = _unzipped(_tooling_bundle(synthesized, stacks), tmp_path / "src")
    shutil.rmtree(source / "wheelhouse")
    # Never reached: the check stops the phase before pip runs, so no venv is needed.
    result = _run_install(install_commands, source, tmp_path, tmp_path / "no-venv")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "tooling bundle has no wheelhouse/requirements.txt" in result.stderr


# -- synth refuses a wheelhouse that does not match the lock --------------------------------------


def _wheels_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "wheels"
    shutil.copytree(wheels_dir(), copy)
    return copy


def _synth_with_wheels(wheels: Path, outdir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "main.py"), "--outdir", str(outdir)],
        env={**os.environ, WHEELS_ENV_VAR: str(wheels)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_synth_refuses_a_missing_wheelhouse(tmp_path: Path) -> None:
    missing = tmp_path / "no-wheels"
    result = _synth_with_wheels(missing, tmp_path / "out")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert f"wheelhouse {missing} does not exist" in result.stderr
    assert "make deployment-wheels" in result.stderr
    assert not (tmp_path / "out").exists(), "nothing written"


def test_synth_refuses_a_tampered_wheel(tmp_path: Path) -> None:
    wheels = _wheels_copy(tmp_path)
    (wheel,) = wheels.glob("botocore-*.whl")
    with wheel.open("ab") as handle:
        handle.write(b"\0")
    result = _synth_with_wheels(wheels, tmp_path / "out")
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{wheel}: sha256 " in result.stderr
    assert "of botocore==" in result.stderr
    assert "requirements/deployment-build.txt" in result.stderr
    assert "make deployment-wheels" in result.stderr
    assert not (tmp_path / "out").exists(), "nothing written"


def test_wheelhouse_must_hold_every_locked_package_and_nothing_else(tmp_path: Path) -> None:
    wheels = _wheels_copy(tmp_path)
    assert [_wheel_package(w.filename) for w in checked_wheels(wheels)] == sorted(
        LOCKED_PACKAGES, key=lambda name: name.replace("-", "_")
    )
    (urllib3,) = wheels.glob("urllib3-*.whl")
    moved = urllib3.rename(tmp_path / urllib3.name)
    with pytest.raises(WheelhouseError, match=r"has no wheel of urllib3==.*make deployment-wheels"):
        checked_wheels(wheels)
    moved.rename(urllib3)
    (wheels / "requests-2.0.0-py3-none-any.whl").write_bytes(b"PK")
    with pytest.raises(WheelhouseError, match=r"requests is not in .*deployment-build\.txt"):
        checked_wheels(wheels)
