"""Run checkov from its own venv and turn its JSON report into findings tests can assert on.

Why a separate venv: checkov and python-hcl2 8 (used by the composition) both install a
top-level `hcl2` module, so checkov lives in `.venv-checkov` (requirements/checkov.txt) and is
called as a subprocess.

Facts about checkov 3.3.30 this module is built around (measured here):
- it exits 0 when files fail to parse; parse errors are only in the JSON
  (`summary.parsing_errors`, `results.parsing_errors`), so they are reported as failures;
- it writes one JSON object for one framework, a list for several, a summary-only object when
  nothing was scanned, and concatenated objects when given several `-d` (which also mixes up
  their results), so every scan here is one `-d` over a common parent and results are split
  per directory afterwards;
- it only loads Python checks from a directory with an `__init__.py`, and logs (does not fail)
  when a custom check cannot be imported: `[ERROR]` lines on stderr are reported too;
- it does not follow `module` blocks written in `.tf.json`; `stack_scan_tree` rewrites the
  synthesized stacks' module calls as HCL so the modules are scanned with real inputs.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
CHECKOV_BIN = REPO_ROOT / ".venv-checkov" / "bin" / "checkov"
POLICY_DIR = REPO_ROOT / "policies" / "checkov"
CUSTOM_CHECK_PREFIX = "CKV_MLGOV_"

#: Wall-clock limit for one checkov run; a hang must fail the suite, not block it.
CHECKOV_TIMEOUT_S = 900


@dataclass(frozen=True)
class Finding:
    """One check result from the report (failed, passed or skipped)."""

    check_id: str
    check_name: str
    result: str
    resource: str
    file_path: Path
    line_range: tuple[int, int]
    caller_file_path: str | None = None
    details: tuple[str, ...] = ()
    suppress_comment: str | None = None

    def describe(self, root: Path | None = None) -> str:
        """One line a reviewer can act on: id, resource, file:lines, why."""
        path = self.file_path
        if root is not None:
            with contextlib.suppress(ValueError):
                path = path.relative_to(root)
        text = (
            f"{self.check_id} {self.resource} at {path}:{self.line_range[0]}-"
            f"{self.line_range[1]} ({self.check_name})"
        )
        if self.caller_file_path:
            text += f" [called from {self.caller_file_path.lstrip('/')}]"
        if self.details:
            text += " — " + "; ".join(self.details)
        return text


@dataclass
class ScanResult:
    """A checkov report, or the part of one that belongs to a directory."""

    root: Path
    failed: list[Finding] = field(default_factory=list)
    passed: list[Finding] = field(default_factory=list)
    skipped: list[Finding] = field(default_factory=list)
    parsing_errors: list[Path] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    duration_s: float = 0.0
    command: tuple[str, ...] = ()

    def within(self, directory: Path) -> ScanResult:
        """The findings whose file lies under `directory` (per-module / per-stack split)."""
        directory = directory.resolve()

        def inside(path: Path) -> bool:
            return path == directory or directory in path.parents

        return ScanResult(
            root=directory,
            failed=[f for f in self.failed if inside(f.file_path)],
            passed=[f for f in self.passed if inside(f.file_path)],
            skipped=[f for f in self.skipped if inside(f.file_path)],
            parsing_errors=[p for p in self.parsing_errors if inside(p)],
            errors=list(self.errors),
            duration_s=self.duration_s,
            command=self.command,
        )

    def by_check(self, check_id: str) -> dict[str, list[Finding]]:
        """Results of one check id keyed by outcome ("failed", "passed", "skipped")."""
        return {
            "failed": [f for f in self.failed if f.check_id == check_id],
            "passed": [f for f in self.passed if f.check_id == check_id],
            "skipped": [f for f in self.skipped if f.check_id == check_id],
        }

    def problems(self) -> list[str]:
        """Everything that must fail a gate: failed checks, unparsable files, checkov errors."""
        lines = [f"FAILED {f.describe(self.root)}" for f in self.failed]
        lines += [f"PARSE ERROR {_relative(p, self.root)}" for p in self.parsing_errors]
        lines += [f"CHECKOV ERROR {e}" for e in self.errors]
        return lines


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def require_checkov() -> Path:
    """Path of the checkov executable; skip (locally) or fail (CI=true) when it is missing."""
    if CHECKOV_BIN.exists():
        return CHECKOV_BIN
    reason = (
        f"checkov is not installed at {_relative(CHECKOV_BIN, REPO_ROOT)}; create it with "
        "`python3 -m venv .venv-checkov && .venv-checkov/bin/pip install -r "
        "requirements/checkov.txt`"
    )
    if os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)


def run_checkov(
    directory: Path,
    *,
    checks: Sequence[str] = (),
    external_checks_dir: Path = POLICY_DIR,
) -> ScanResult:
    """Scan `directory` once (terraform framework, offline) and parse the JSON report.

    Passed checks are kept (no `--quiet`) so callers can prove a directory was really
    evaluated, not silently skipped.
    """
    binary = require_checkov()
    command = [
        str(binary),
        "--directory",
        str(directory),
        "--framework",
        "terraform",
        "--skip-download",
        "--output",
        "json",
        "--compact",
        "--external-checks-dir",
        str(external_checks_dir),
    ]
    if checks:
        command += ["--check", ",".join(checks)]
    # --skip-download keeps checkov offline; BC_SKIP_MAPPING also skips its guideline mapping.
    env = {**os.environ, "BC_SKIP_MAPPING": "TRUE"}
    started = time.perf_counter()
    completed = subprocess.run(
        command,
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO_ROOT,
        timeout=CHECKOV_TIMEOUT_S,
        check=False,
    )
    duration = time.perf_counter() - started
    # Exit code 1 only means "some check failed"; anything else is checkov itself failing.
    if completed.returncode not in (0, 1):
        raise RuntimeError(
            f"checkov exited {completed.returncode}: {' '.join(command)}\n"
            f"{completed.stderr[-4000:]}"
        )
    result = parse_report(completed.stdout, root=directory)
    result.errors.extend(_checkov_errors(completed.stderr))
    result.duration_s = duration
    result.command = tuple(command)
    return result


_ERROR_LINE = re.compile(r"\[(?:ERROR|CRITICAL)\s*\]")


def _checkov_errors(stderr: str) -> list[str]:
    """checkov's own `[ERROR]` log lines (e.g. a custom check that failed to import)."""
    return [line.strip() for line in stderr.splitlines() if _ERROR_LINE.search(line)]


def parse_report(text: str, *, root: Path) -> ScanResult:
    """Parse checkov's JSON output in any of the shapes it writes (see module docstring)."""
    documents = list(_json_documents(text))
    if not documents:
        raise ValueError(f"checkov wrote no JSON report: {text[:500]!r}")
    result = ScanResult(root=root.resolve())
    for document in documents:
        for report in document if isinstance(document, list) else [document]:
            _merge_report(result, report)
    return result


def _json_documents(text: str) -> Iterable[Any]:
    decoder = json.JSONDecoder()
    index = 0
    while index < len(text):
        while index < len(text) and text[index].isspace():
            index += 1
        if index >= len(text):
            break
        if text[index] not in "[{":
            raise ValueError(f"unexpected checkov output at {index}: {text[index : index + 300]!r}")
        document, index = decoder.raw_decode(text, index)
        yield document


def _merge_report(result: ScanResult, report: dict[str, Any]) -> None:
    if not isinstance(report, dict):
        raise ValueError(f"unexpected checkov report element: {report!r:.300}")
    summary = report.get("summary", report)
    results = report.get("results", {})
    for outcome, target in (
        ("failed_checks", result.failed),
        ("passed_checks", result.passed),
        ("skipped_checks", result.skipped),
    ):
        target.extend(_finding(item) for item in results.get(outcome, []))
    listed = [Path(p).resolve() for p in results.get("parsing_errors", [])]
    result.parsing_errors.extend(listed)
    # The count is authoritative: checkov has written a count without the list before.
    missing = int(summary.get("parsing_errors", 0) or 0) - len(listed)
    if missing > 0:
        result.errors.append(f"{missing} parse error(s) counted in the summary but not listed")


def _finding(item: dict[str, Any]) -> Finding:
    line_range = item.get("file_line_range") or [0, 0]
    check_result = item.get("check_result") or {}
    return Finding(
        check_id=str(item.get("check_id")),
        check_name=str(item.get("check_name") or ""),
        result=str(check_result.get("result", "")),
        resource=str(item.get("resource")),
        file_path=Path(item.get("file_abs_path") or item.get("file_path") or "").resolve(),
        line_range=(int(line_range[0]), int(line_range[-1])),
        caller_file_path=item.get("caller_file_path"),
        details=tuple(str(d) for d in item.get("details") or ()),
        suppress_comment=check_result.get("suppress_comment"),
    )


# --- synthesized stacks -------------------------------------------------------------------


def stack_scan_tree(stacks_dir: Path, scan_dir: Path) -> list[Path]:
    """Copy synthesized stacks into `scan_dir` so checkov scans the modules with real inputs.

    For each `<stacks_dir>/<stack>/cdk.tf.json`: the `module` blocks are rewritten as HCL in
    `mlgov_modules.tf` (checkov follows module calls only in HCL), the rest of the JSON stays
    as `cdk.tf.json`, and only the module folders those blocks call (`source = "./modules/..."`)
    are copied, with the shared building blocks next to them and without `examples/` (scanned in
    the source tree already): checkov would scan anything else as a root module with no inputs,
    which says nothing about the stack. Returns the stack directories created.
    """
    created = []
    for stack_json in sorted(stacks_dir.glob("*/cdk.tf.json")):
        source = stack_json.parent
        target = scan_dir / source.name
        target.mkdir(parents=True, exist_ok=True)
        document = json.loads(stack_json.read_text(encoding="utf-8"))
        modules = document.pop("module", {}) or {}
        (target / "cdk.tf.json").write_text(json.dumps(document, indent=2), encoding="utf-8")
        if modules:
            (target / "mlgov_modules.tf").write_text(modules_to_hcl(modules), encoding="utf-8")
        for body in modules.values():
            module_source = str(body.get("source", ""))
            if not module_source.startswith("./"):
                continue  # registry/git sources: nothing local to scan (--skip-download)
            called = (source / module_source).resolve()
            if source.resolve() not in called.parents or not called.is_dir():
                raise ValueError(f"{stack_json}: module source {module_source} is not in the stack")
            destination = target / called.relative_to(source.resolve())
            if not destination.exists():
                shutil.copytree(called, destination, ignore=shutil.ignore_patterns("examples"))
            # The shared building blocks the module calls (`../shared/<block>`) sit next to it.
            shared = called.parent / "shared"
            if shared.is_dir() and not (destination.parent / "shared").exists():
                shutil.copytree(
                    shared, destination.parent / "shared", ignore=shutil.ignore_patterns("examples")
                )
        created.append(target)
    return created


def modules_to_hcl(modules: dict[str, Any]) -> str:
    """Terraform JSON `module` blocks as HCL, with the same meaning.

    Strings keep their `${...}` templates (both syntaxes interpret them the same way);
    `providers` and `depends_on` hold references, which JSON writes as strings and HCL as
    bare expressions; `//` keys are cdktf metadata comments and are dropped.
    """
    blocks = []
    for name, body in modules.items():
        lines = [f"module {_hcl_string(name)} {{"]
        for key, value in body.items():
            if key == "//":
                continue
            if key == "providers" and isinstance(value, dict):
                inner = ", ".join(f"{k} = {_strip_template(v)}" for k, v in value.items())
                lines.append(f"  providers = {{ {inner} }}")
            elif key == "depends_on" and isinstance(value, list):
                lines.append(f"  depends_on = [{', '.join(_strip_template(v) for v in value)}]")
            else:
                lines.append(f"  {key} = {_hcl_value(value)}")
        lines.append("}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def _strip_template(reference: str) -> str:
    text = reference.strip()
    if text.startswith("${") and text.endswith("}"):
        return text[2:-1]
    return text


def _hcl_string(text: str) -> str:
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    return f'"{escaped}"'


def _hcl_value(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    if isinstance(value, str):
        return _hcl_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(_hcl_value(v) for v in value) + "]"
    if isinstance(value, dict):
        # Keys are always quoted: a bare key such as `for` would start a for expression.
        items = ", ".join(
            f"{_hcl_string(k)} = {_hcl_value(v)}" for k, v in value.items() if k != "//"
        )
        return "{ " + items + " }" if items else "{}"
    raise TypeError(f"cannot write {type(value).__name__} as HCL: {value!r:.100}")


# --- skip comments ------------------------------------------------------------------------

#: checkov's own comment pattern (checkov/common/comment/enum.py), anchored on a comment start.
SKIP_COMMENT = re.compile(
    r"(?:#|//|/\*)\s*(?:checkov|bridgecrew|cortex):skip=\s*"
    r"(?P<ids>[A-Za-z_\d-]+(?:,[A-Za-z_\d-]+)*)?(?::(?P<reason>[^\n]*))?"
)

#: A reason is "a few words": at least this many words of letters.
MIN_REASON_WORDS = 4


def weak_skip_comments(text: str) -> list[tuple[int, str]]:
    """(line number, comment) of each checkov skip whose reason is missing or too short."""
    weak = []
    for number, line in enumerate(text.splitlines(), start=1):
        for match in SKIP_COMMENT.finditer(line):
            reason = (match.group("reason") or "").strip().rstrip("*/").strip()
            words = re.findall(r"[A-Za-z][A-Za-z'-]*", reason)
            if not match.group("ids") or len(words) < MIN_REASON_WORDS:
                weak.append((number, match.group(0).strip()))
    return weak
