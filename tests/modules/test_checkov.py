"""checkov as a gate: module examples and synthesized stacks pass, and the gate can fail.

checkov starts slowly (~2 s) and scans a whole tree in one graph, so each scan runs once per
test module: one over `modules/` (split per module afterwards), one over the synthesized
stacks, one over the negative fixtures. Custom CKV_MLGOV_* policies live in
`policies/checkov/`; the fixture tests prove each one fires on real HCL and stays quiet on the
accepted patterns, and that built-in checks and parse errors are reported.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import hcl2
import pytest

from tests import checkov_support
from tests.checkov_support import (
    MIN_REASON_WORDS,
    POLICY_DIR,
    REPO_ROOT,
    ScanResult,
    modules_to_hcl,
    parse_report,
    run_checkov,
    stack_scan_tree,
    weak_skip_comments,
)
from tests.modules.hcl_checks import discover_modules, module_id

MODULES_DIR = REPO_ROOT / "modules"
FIXTURES_DIR = REPO_ROOT / "tests" / "fixtures" / "checkov"


def _module_dirs() -> list[Path]:
    if not MODULES_DIR.is_dir():
        return []
    return [d for d in discover_modules(MODULES_DIR) if any(d.glob("*.tf"))]


def _example_dirs(module_dir: Path) -> list[Path]:
    return sorted(d for d in module_dir.glob("examples/*") if d.is_dir() and any(d.glob("*.tf")))


MODULE_PARAMS = [pytest.param(d, id=module_id(d, MODULES_DIR)) for d in _module_dirs()] or [
    pytest.param(None, id="no-modules", marks=pytest.mark.skip(reason="modules/ has no module"))
]


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


# --- every module's examples ---------------------------------------------------------


# Modules with no resource of a provider checkov has checks for, with why. The HCL itself is still
# scanned (parse errors count); there is simply no check whose result would show the call.
MODULES_CHECKOV_CANNOT_SCAN = {
    "hcp-terraform-workspaces": "checkov has no checks for hashicorp/tfe resources; the module is "
    "checked against the tfe provider schema in tests/modules/test_provider_schema.py",
}


@pytest.fixture(scope="module")
def module_scan() -> ScanResult:
    """One checkov run over `modules/`: examples call their module (`../..`), and checkov
    evaluates a module folder only through those calls, with the example's inputs."""
    if not _module_dirs():
        pytest.skip("modules/ has no module")
    return run_checkov(MODULES_DIR)


@pytest.mark.slow
def test_module_scan_ran_cleanly(module_scan: ScanResult) -> None:
    """checkov itself reported no error (e.g. a custom policy that failed to import)."""
    assert not module_scan.errors, "\n".join(module_scan.errors)
    assert module_scan.passed or module_scan.failed, "checkov evaluated nothing under modules/"


@pytest.mark.slow
@pytest.mark.parametrize("module_dir", MODULE_PARAMS)
def test_module_examples_pass_checkov(module_scan: ScanResult, module_dir: Path) -> None:
    """Every examples/<scenario> of the module scans with zero failed checks, zero parse errors."""
    examples = _example_dirs(module_dir)
    assert examples, f"{module_dir.name} has no examples/<scenario>/*.tf for checkov to scan"
    if module_dir.name in MODULES_CHECKOV_CANNOT_SCAN:
        pytest.skip(MODULES_CHECKOV_CANNOT_SCAN[module_dir.name])
    part = module_scan.within(module_dir)
    problems = part.problems()
    assert not problems, (
        f"checkov findings in module {module_dir.name} "
        f"({len(part.failed)} failed, {len(part.parsing_errors)} parse errors):\n  "
        + "\n  ".join(problems)
    )
    for example in examples:
        followed = [
            f
            for f in part.passed + part.skipped
            if f.caller_file_path
            and example in (MODULES_DIR / f.caller_file_path.lstrip("/")).resolve().parents
        ]
        assert followed, (
            f"checkov reported nothing for the module called from "
            f"{example.relative_to(REPO_ROOT)}: the module call was not followed"
        )


# --- synthesized stacks ----------------------------------------------------------------


@pytest.fixture(scope="module")
def stack_scan(tmp_path_factory: pytest.TempPathFactory) -> tuple[ScanResult, list[Path]]:
    """Synthesize every environment with main.py, then scan all stacks in one checkov run."""
    main_py = REPO_ROOT / "main.py"
    if not main_py.exists():
        message = "main.py does not exist yet: no stacks to synthesize"
        if _in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    outdir = tmp_path_factory.mktemp("synth")
    completed = subprocess.run(
        [sys.executable, str(main_py), "--outdir", str(outdir)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, (
        f"main.py --outdir failed ({completed.returncode}):\n{completed.stderr[-4000:]}"
    )
    stacks_dir = outdir / "stacks"
    assert list(stacks_dir.glob("*/cdk.tf.json")), f"main.py wrote no stacks under {stacks_dir}"
    scan_dir = tmp_path_factory.mktemp("stack-scan")
    stacks = stack_scan_tree(stacks_dir, scan_dir)
    return run_checkov(scan_dir), stacks


@pytest.mark.slow
def test_synthesized_stacks_pass_checkov(stack_scan: tuple[ScanResult, list[Path]]) -> None:
    """Each stack, with its module calls followed using the synthesized inputs, passes."""
    result, stacks = stack_scan
    report = []
    for stack in stacks:
        part = result.within(stack)
        report += [f"[{stack.name}] {line}" for line in part.problems()]
        if (stack / "mlgov_modules.tf").exists():
            followed = [f for f in part.passed + part.failed if f.caller_file_path]
            if not followed:
                report.append(f"[{stack.name}] checkov did not evaluate any module call")
    report += [f"CHECKOV ERROR {e}" for e in result.errors]
    assert not report, "checkov findings in the synthesized stacks:\n  " + "\n  ".join(report)


# --- the gate can fail -------------------------------------------------------------------


@pytest.fixture(scope="module")
def fixture_scan(tmp_path_factory: pytest.TempPathFactory) -> ScanResult:
    """One checkov run over a copy of tests/fixtures/checkov, with the broken file restored.

    The syntax-error fixture is stored as `main.tf.broken` so repository-wide HCL tooling
    (`terraform fmt -recursive`) does not trip on it; the copy renames it to `main.tf`.
    """
    root = tmp_path_factory.mktemp("checkov-fixtures") / "fixtures"
    shutil.copytree(FIXTURES_DIR, root)
    for broken in root.rglob("*.tf.broken"):
        broken.rename(broken.with_suffix(""))
    return run_checkov(root)


def _fixture(scan: ScanResult, name: str) -> ScanResult:
    return scan.within(scan.root / name)


@pytest.mark.slow
def test_fixture_scan_loaded_custom_policies(fixture_scan: ScanResult) -> None:
    """No checkov error, and every CKV_MLGOV_* policy in policies/checkov produced a result."""
    assert not fixture_scan.errors, "\n".join(fixture_scan.errors)
    seen = {f.check_id for f in fixture_scan.passed + fixture_scan.failed}
    assert {"CKV_MLGOV_1", "CKV_MLGOV_2", "CKV_MLGOV_3"} <= seen


@pytest.mark.slow
def test_builtin_checks_fail_public_unencrypted_bucket(fixture_scan: ScanResult) -> None:
    part = _fixture(fixture_scan, "builtin_public_bucket")
    failed = {f.check_id for f in part.failed}
    # Public-read ACL, no SSE-KMS, no public access block.
    assert {"CKV_AWS_20", "CKV_AWS_145", "CKV2_AWS_6"} <= failed, sorted(failed)
    assert part.problems()


@pytest.mark.slow
def test_syntax_error_is_reported_as_parse_error(fixture_scan: ScanResult) -> None:
    part = _fixture(fixture_scan, "syntax_error")
    assert part.parsing_errors == [fixture_scan.root / "syntax_error" / "main.tf"]
    assert not part.passed, "an unparsable file must not produce passing results"
    assert any(line.startswith("PARSE ERROR") for line in part.problems())


CUSTOM_POLICY_CASES = [
    pytest.param(
        "CKV_MLGOV_1",
        "bus_policy_pass",
        {
            "aws_cloudwatch_event_bus_policy.inline",
            "aws_cloudwatch_event_permission.account",
            "aws_cloudwatch_event_permission.organization",
            "aws_iam_policy_document.org_conditioned",
            "aws_iam_policy_document.ou_path",
            "aws_iam_policy_document.exact_accounts",
            "aws_iam_policy_document.dynamic_ou_condition",
        },
        "bus_policy_fail",
        {
            "aws_cloudwatch_event_bus_policy.inline_public",
            "aws_cloudwatch_event_permission.public",
            "aws_iam_policy_document.public",
            "aws_iam_policy_document.negated_condition",
            "aws_iam_policy_document.unrendered_principals",
            "aws_iam_policy_document.dynamic_condition_absent",
        },
        id="CKV_MLGOV_1-eventbridge-bus-policy",
    ),
    pytest.param(
        "CKV_MLGOV_2",
        "sagemaker_domain_pass",
        {"aws_sagemaker_domain.vpc_only"},
        "sagemaker_domain_fail",
        {"aws_sagemaker_domain.public_internet", "aws_sagemaker_domain.default_access"},
        id="CKV_MLGOV_2-sagemaker-domain-vpc-only",
    ),
    pytest.param(
        "CKV_MLGOV_3",
        "trust_pass",
        {
            "aws_iam_role.inline_org_paths",
            "aws_iam_role.inline_service",
            "aws_iam_policy_document.service",
            "aws_iam_policy_document.exact_role",
            "aws_iam_policy_document.root_with_org_condition",
            "aws_iam_policy_document.root_with_principal_arn",
            "aws_iam_policy_document.same_account",
        },
        "trust_fail",
        {
            "aws_iam_role.inline_public",
            "aws_iam_role.inline_root",
            "aws_iam_policy_document.account_root",
            "aws_iam_policy_document.bare_account_id",
            "aws_iam_policy_document.if_exists_condition",
            "aws_iam_policy_document.wildcard_role",
            "aws_iam_policy_document.unrendered_principals",
        },
        id="CKV_MLGOV_3-cross-account-trust",
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("check_id", "pass_dir", "expect_passed", "fail_dir", "expect_failed"), CUSTOM_POLICY_CASES
)
def test_custom_policy_on_fixtures(
    fixture_scan: ScanResult,
    check_id: str,
    pass_dir: str,
    expect_passed: set[str],
    fail_dir: str,
    expect_failed: set[str],
) -> None:
    """Exactly the violating blocks fail; the accepted patterns are evaluated and pass."""
    good = _fixture(fixture_scan, pass_dir).by_check(check_id)
    bad = _fixture(fixture_scan, fail_dir).by_check(check_id)
    assert not good["failed"], "\n".join(f.describe() for f in good["failed"])
    assert {f.resource for f in good["passed"]} == expect_passed
    assert {f.resource for f in bad["failed"]} == expect_failed
    assert not bad["passed"], "\n".join(f.describe() for f in bad["passed"])


# --- skip comments carry reasons ---------------------------------------------------------


def _text_files(root: Path) -> list[Path]:
    files = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or any(part.startswith(".") for part in path.parts):
            continue
        try:
            path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        files.append(path)
    return files


def test_checkov_skip_comments_under_modules_have_reasons() -> None:
    weak = [
        f"{path.relative_to(REPO_ROOT)}:{line}: {comment}"
        for path in _text_files(MODULES_DIR)
        for line, comment in weak_skip_comments(path.read_text(encoding="utf-8"))
    ]
    assert not weak, (
        "every #checkov:skip=CKV_ID:reason needs a written reason (a few words):\n  "
        + "\n  ".join(weak)
    )


@pytest.mark.parametrize(
    ("line", "weak"),
    [
        (
            "  #checkov:skip=CKV_AWS_144:Replication is configured by the data governance account",
            False,
        ),
        (
            "# checkov:skip=CKV2_AWS_62,CKV_AWS_18: Access logs land in the central log archive",
            False,
        ),
        ("  #checkov:skip=CKV_AWS_144", True),
        ("  #checkov:skip=CKV_AWS_144:", True),
        ("  #checkov:skip=CKV_AWS_144: not needed", True),
        ("  // checkov:skip=CKV_AWS_144:TODO", True),
        ('  name = "checkov:skip=is not a comment here"', False),
    ],
)
def test_weak_skip_comment_detection(line: str, weak: bool) -> None:
    assert bool(weak_skip_comments(line)) is weak


@pytest.mark.slow
def test_checkov_suppressions_in_modules_have_reasons(module_scan: ScanResult) -> None:
    """The same rule, read from checkov's own report: every suppressed result says why."""
    weak = [
        f"{f.check_id} {f.resource}: {f.suppress_comment!r}"
        for f in module_scan.skipped
        if len((f.suppress_comment or "").split()) < MIN_REASON_WORDS
    ]
    assert not weak, "checkov suppressions without a real reason:\n  " + "\n  ".join(weak)


# --- the harness and policy helpers themselves (fast, no checkov) -----------------------------


@pytest.mark.parametrize(
    ("ci", "outcome"), [("true", pytest.fail.Exception), ("", pytest.skip.Exception)]
)
def test_missing_checkov_skips_locally_and_fails_in_ci(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, ci: str, outcome: type[BaseException]
) -> None:
    monkeypatch.setattr(checkov_support, "CHECKOV_BIN", tmp_path / "missing" / "checkov")
    monkeypatch.setenv("CI", ci)
    with pytest.raises(outcome, match="checkov is not installed"):
        checkov_support.require_checkov()


def _load_policy_utils() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "mlgov_policy_utils", POLICY_DIR / "mlgov_policy_utils.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("mlgov_policy_utils", module)
    spec.loader.exec_module(module)
    return module


utils = _load_policy_utils()
Kind = utils.PrincipalKind


@pytest.mark.parametrize(
    ("ptype", "identifier", "kind"),
    [
        ("Service", "sagemaker.amazonaws.com", Kind.SERVICE),
        ("Federated", "arn:aws:iam::111111111111:oidc-provider/x", Kind.SERVICE),
        ("AWS", "*", Kind.WILDCARD),
        ("*", "*", Kind.WILDCARD),
        ("AWS", "111111111111", Kind.ACCOUNT),
        ("AWS", "arn:aws:iam::111111111111:root", Kind.ACCOUNT),
        ("AWS", "arn:${data.aws_partition.current.partition}:iam::${var.hub}:root", Kind.ACCOUNT),
        ("AWS", "arn:aws:iam::111111111111:role/mlgov-model-promoter", Kind.EXACT),
        ("AWS", "arn:aws:iam::${var.hub}:role/${var.name}", Kind.EXACT),
        ("AWS", "arn:aws:sts::111111111111:assumed-role/r/s", Kind.EXACT),
        ("AWS", "arn:aws:iam::111111111111:role/*", Kind.WILDCARD),
        ("AWS", "arn:aws:iam::*:root", Kind.WILDCARD),
        (
            "AWS",
            "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root",
            Kind.SAME_ACCOUNT,
        ),
        ("AWS", "${data.aws_caller_identity.current.account_id}", Kind.SAME_ACCOUNT),
        ("AWS", "var.trusted_accounts", Kind.UNRESOLVED),
        ("AWS", 'formatlist("arn:aws:iam::%s:root", var.ids)', Kind.UNRESOLVED),
        ("AWS", "${keys(var.source_accounts)}", Kind.UNRESOLVED),
    ],
)
def test_principal_classification(ptype: str, identifier: str, kind: object) -> None:
    assert utils.classify(ptype, identifier) is kind


def test_trust_rule_on_json_policy() -> None:
    root = {"AWS": "arn:aws:iam::111111111111:root"}
    bare = {"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": root}]}
    org = {
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["sts:AssumeRole", "sts:TagSession"],
                "Principal": root,
                "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-exampleorg1"}},
            }
        ]
    }
    deny = {"Statement": [{"Effect": "Deny", "Action": "sts:AssumeRole", "Principal": "*"}]}
    not_principal = {
        "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "NotPrincipal": root}]
    }
    assert utils.trust_problems(utils.statements_from_json(bare))
    assert not utils.trust_problems(utils.statements_from_json(org))
    assert not utils.trust_problems(utils.statements_from_json(deny))
    assert utils.trust_problems(utils.statements_from_json(not_principal))


def test_json_policy_loading_ignores_references() -> None:
    assert utils.load_json_policy(["data.aws_iam_policy_document.trust.json"]) is None
    assert utils.load_json_policy(['{"Statement": []}']) == {"Statement": []}
    assert utils.load_json_policy([{"Statement": []}]) == {"Statement": []}


def test_parse_report_shapes(tmp_path: Path) -> None:
    """checkov writes a dict, a list, a summary-only dict, or concatenated documents."""
    finding = {
        "check_id": "CKV_AWS_20",
        "check_name": "public ACL",
        "check_result": {"result": "FAILED"},
        "resource": "aws_s3_bucket.this",
        "file_abs_path": str(tmp_path / "a" / "main.tf"),
        "file_line_range": [1, 3],
    }
    report = {
        "check_type": "terraform",
        "results": {
            "failed_checks": [finding],
            "passed_checks": [],
            "skipped_checks": [],
            "parsing_errors": [str(tmp_path / "b" / "main.tf")],
        },
        "summary": {"passed": 0, "failed": 1, "parsing_errors": 1},
    }
    summary_only = {"passed": 0, "failed": 0, "parsing_errors": 0, "resource_count": 0}
    for text in (
        json.dumps(report),
        json.dumps([report]),
        json.dumps(report) + "\n" + json.dumps(summary_only),
    ):
        result = parse_report(text, root=tmp_path)
        assert [f.check_id for f in result.failed] == ["CKV_AWS_20"]
        assert result.parsing_errors == [(tmp_path / "b" / "main.tf").resolve()]
        assert len(result.within(tmp_path / "a").problems()) == 1
        assert result.within(tmp_path / "b").problems() == ["PARSE ERROR main.tf"]
    counted_only = parse_report(json.dumps({"summary": {"parsing_errors": 2}}), root=tmp_path)
    assert counted_only.problems()
    with pytest.raises(ValueError):
        parse_report("", root=tmp_path)


def test_modules_to_hcl_is_valid_hcl_with_same_values() -> None:
    modules = {
        "registry": {
            "//": {"metadata": {"path": "hub/registry"}},
            "source": "./modules/central-model-registry",
            "name_prefix": "mlgov",
            "reader_account_ids": ["111111111111", "222222222222"],
            "tags": {"team": "platform", "cost-center": "ml", "for": "keyword key"},
            "enable": True,
            "count_hint": 2,
            "description": 'quote " and ${var.x} stays a template',
            "providers": {"aws": "aws.hub"},
            "depends_on": ["${module.naming}"],
        }
    }
    text = modules_to_hcl(modules)
    parsed = hcl2.loads(text)
    assert "//" not in text
    assert "providers = { aws = aws.hub }" in text
    assert "depends_on = [module.naming]" in text
    # python-hcl2 8 keeps string literals quoted in its output.
    (block,) = parsed["module"]
    body = block['"registry"']
    assert body["reader_account_ids"] == ['"111111111111"', '"222222222222"']
    assert body["tags"]['"for"'] == '"keyword key"'
    assert body["enable"] is True and body["count_hint"] == 2
    assert body["description"] == '"quote \\" and ${var.x} stays a template"'
