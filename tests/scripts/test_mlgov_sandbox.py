"""`mlgov sandbox`: argument handling and the states a sandbox directory can be in.

`up`, `demo` and `down` against a running simulator are exercised by tests/terraform and tests/e2e
(they share the same `platform_sandbox` code); here nothing starts a simulator.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from mlgov.cli import build_parser, main


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()

    def no_session(*_: object) -> None:
        raise AssertionError("the sandbox command must not use the caller's AWS session")

    code = main(list(argv), session_factory=no_session, stdout=out, stderr=err)  # type: ignore[arg-type]
    return code, out.getvalue(), err.getvalue()


def test_sandbox_is_a_documented_subcommand() -> None:
    help_text = build_parser().format_help()
    assert "sandbox" in help_text


def test_an_unknown_action_is_bad_input() -> None:
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args(["sandbox", "destroy-everything"])
    assert exit_info.value.code == 2


def test_status_of_a_missing_sandbox_is_absent(tmp_path: Path) -> None:
    code, out, _ = _run("sandbox", "status", "--json", "--root", str(tmp_path / "none"))
    assert code == 0
    assert json.loads(out) == {"status": "absent"}


def test_status_with_state_but_no_simulator_is_stopped(tmp_path: Path) -> None:
    (tmp_path / "simulator.json").write_text(
        json.dumps({"endpoint_url": "https://127.0.0.1:1", "ca_bundle": "x", "pid": 2**22 + 1})
    )
    code, out, _ = _run("sandbox", "status", "--root", str(tmp_path))
    assert code == 0
    assert out.startswith("sandbox stopped")


def test_demo_without_a_running_sandbox_fails_with_the_reason(tmp_path: Path) -> None:
    code, _, err = _run("sandbox", "demo", "--root", str(tmp_path))
    assert code != 0
    assert "the sandbox is not up" in err


def test_down_of_a_stopped_sandbox_removes_its_directory(tmp_path: Path) -> None:
    root = tmp_path / "sandbox"
    (root / "state").mkdir(parents=True)
    (root / "state" / "hub.tfstate").write_text("{}")
    code, out, _ = _run("sandbox", "down", "--root", str(root))
    assert code == 0 and not root.exists()
    assert "removed" in out
