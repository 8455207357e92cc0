"""`mlgov` is an installed command: help and version without credentials or a search path.

The command is the console script that `pip install -e .` puts beside the interpreter
(`.venv/bin/mlgov`). It runs here with no AWS_* variable and an empty HOME (no ~/.aws), the way
an operator without credentials first meets it, and it must answer `--help` and `--version`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from mlgov_testkit import REPO

from mlgov.cli import build_parser

MLGOV = Path(sys.executable).parent / "mlgov"
# Docs that record history may quote the old way of running the CLI.
HISTORY_DOCS = {"CHANGELOG.md", "CHANGES.md", "HISTORY.md"}
# Spelled in pieces so that this file does not match itself.
OLD_PYTHONPATH = "PYTHONPATH=" + "scripts"
PATH_INSERT = "sys.path" + ".insert"


def _subcommands() -> dict[str, str]:
    """Every subcommand, e.g. `governance approve-prod`, and its one-line help."""
    found: dict[str, str] = {}

    def walk(parser: argparse.ArgumentParser, prefix: str) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                helps = {choice.dest: choice.help or "" for choice in action._choices_actions}
                for name, sub in action.choices.items():
                    found[prefix + name] = helps[name]
                    walk(sub, f"{prefix}{name} ")

    walk(build_parser(), "")
    return found


SUBCOMMANDS = _subcommands()


def _clean_env(home: Path) -> dict[str, str]:
    """No AWS_* variable, HOME an empty directory, no extra import path: the installation."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("AWS_") and key not in {"PYTHONPATH", "HOME"}
    }
    env["HOME"] = str(home)
    return env


def _mlgov(home: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(MLGOV), *argv],
        env=_clean_env(home),
        cwd=home,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def empty_home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    return home


def _words(text: str) -> str:
    """argparse wraps help to the terminal width; compare with whitespace collapsed."""
    return " ".join(text.split())


def test_the_command_is_installed_beside_the_interpreter() -> None:
    assert MLGOV.is_file() and os.access(MLGOV, os.X_OK), (
        f"{MLGOV} missing: run `pip install -e . -c requirements/constraints.txt`"
    )


def test_help_lists_every_subcommand_with_its_description(empty_home: Path) -> None:
    run = _mlgov(empty_home, "--help")
    assert run.returncode == 0, run.stderr
    text = _words(run.stdout)
    top_level = {name: help for name, help in SUBCOMMANDS.items() if " " not in name}
    assert set(top_level) == {"deploy", "test-endpoint", "governance", "sandbox"}
    for name, description in top_level.items():
        assert description, f"{name} has no help line"
        assert f"{name} {_words(description)}" in text, name


def test_version_comes_from_the_installed_distribution(empty_home: Path) -> None:
    from importlib import metadata

    run = _mlgov(empty_home, "--version")
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == f"mlgov {metadata.version('ml-governance-platform')}"


@pytest.mark.parametrize("command", sorted(SUBCOMMANDS))
def test_every_subcommand_has_help(empty_home: Path, command: str) -> None:
    run = _mlgov(empty_home, *command.split(), "--help")
    assert run.returncode == 0, run.stderr
    assert SUBCOMMANDS[command], f"{command} has no help line"
    # The description under the usage line: present, and not argparse's empty default.
    usage, _, rest = run.stdout.partition("\n\n")
    assert usage.startswith(f"usage: mlgov {command}"), run.stdout
    assert rest and not rest.startswith(("positional arguments:", "options:")), run.stdout


def test_importing_the_cli_loads_no_test_tooling(empty_home: Path) -> None:
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json, sys, mlgov.cli; "
            "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))",
        ],
        env=_clean_env(empty_home),
        cwd=empty_home,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert probe.returncode == 0, probe.stderr
    loaded = set(json.loads(probe.stdout))
    assert not loaded & {"moto", "pytest", "_pytest", "platform_sandbox"}, sorted(loaded)


def test_no_tracked_file_runs_mlgov_from_scripts() -> None:
    files = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True
    ).stdout.split(b"\0")
    offenders = []
    for name in filter(None, (f.decode() for f in files)):
        path = REPO / name
        if Path(name).name in HISTORY_DOCS or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            if OLD_PYTHONPATH in line or (PATH_INSERT in line and "scripts" in line):
                offenders.append(f"{name}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)
