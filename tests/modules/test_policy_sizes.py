"""With 100 dev accounts in config, every policy and parameter value stays under its AWS limit.

Why: the bus policy, the promoter's role policy and the source-accounts parameter grow with the
number of dev accounts, and `terraform plan` cannot run here to show them. This test
synthesizes an organization of 100 dev accounts with the composition itself (`main.py`, the
way `benchmarks/synth.py` generates it), reads each module call's arguments from
`cdk.tf.json`, renders every policy document / `jsonencode` value of the modules with the
offline renderer in `policy_eval.py` (module outputs such as `kms_key_arn` or the group policy
template are evaluated from the called module, computed ARNs get their real length), and
compares each with the limit AWS enforces, measured the way AWS measures it (limits and
sources: `policy_eval.LIMITS`). The table of sizes is printed by `test_size_table`
(`pytest -rA` shows it).

The negative tests prove the measurement is real: a fixture policy that grows with a list
crosses its limit, and expressions the renderer cannot evaluate fail loudly.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.modules import policy_eval
from tests.modules.policy_eval import (
    LIMITS,
    AwsContext,
    EvalError,
    Measurement,
    Module,
    ModuleEvaluator,
    Stack,
    UnsupportedExpression,
    measure,
    measure_module,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = PROJECT_ROOT / "tests" / "fixtures" / "policy_sizes"
MODULES_ROOT = PROJECT_ROOT / "modules"
DEV_ACCOUNTS = 100
MODULES_UNDER_TEST = (
    "central-model-registry",
    "model-promotion-hub",
    "model-approval-forwarder",
    "model-deployment-pipeline",
    "model-deployment-target",
)
# Every kind of consumer these modules are expected to have; a renderer that silently found
# none of one kind would otherwise pass.
EXPECTED_LIMIT_KINDS = {
    "iam_trust",
    "iam_inline",
    "s3_bucket",
    "kms_key",
    "ecr_repository",
    "event_bus",
    "sqs_queue",
    "sns_topic",
    "ssm_standard",
    "ssm_advanced",
    "sagemaker_group",
}
# SageMaker model package group names are at most 63 characters
# (PutModelPackageGroupPolicy ModelPackageGroupName, pattern [a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}).
LONGEST_GROUP_NAME = "g" * 63
GROUP_POLICY_TOKEN = "{model_package_group_name}"
TEST_CONTEXT = AwsContext(account_id="123456789012", region="eu-west-1")


@dataclass(frozen=True)
class Row:
    """One line of the size table: the largest instance over every stack using the module."""

    measurement: Measurement
    stacks: int

    @property
    def key(self) -> str:
        return f"{self.measurement.module}: {self.measurement.resource}"


# --------------------------------------------------------------------------------------------
# Building the organization and rendering it
# --------------------------------------------------------------------------------------------


def _generate_organization(target: Path, dev_accounts: int) -> Path:
    """benchmarks/synth.py's generator (the benchmarks folder is not a package)."""
    spec = importlib.util.spec_from_file_location(
        "mlgov_benchmark_synth", PROJECT_ROOT / "benchmarks" / "synth.py"
    )
    assert spec is not None and spec.loader is not None
    synth = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(synth)
    return synth.generate_organization(target, dev_accounts)  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def stacks_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`main.py` over a generated organization with 100 dev accounts, into a temp dir."""
    root = tmp_path_factory.mktemp("policy-sizes")
    environments = _generate_organization(root / "environments", DEV_ACCOUNTS)
    outdir = root / "cdktf.out"
    result = subprocess.run(
        [
            sys.executable,
            str(PROJECT_ROOT / "main.py"),
            "--environments",
            str(environments),
            "--outdir",
            str(outdir),
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "AWS_EC2_METADATA_DISABLED": "true"},
        check=False,
    )
    assert result.returncode == 0, f"synth failed:\n{result.stdout}\n{result.stderr}"
    return outdir / "stacks"


def _group_policy_rows(stack: Stack) -> list[Measurement]:
    """The policy the promoter puts on a central group: the template, token replaced."""
    rows = []
    for call_name in stack.calls:
        if stack.module_name(call_name) != "central-model-registry":
            continue
        template = stack.output(call_name, "model_package_group_policy_template")
        assert GROUP_POLICY_TOKEN in template
        rendered = template.replace(GROUP_POLICY_TOKEN, LONGEST_GROUP_NAME)
        limit = LIMITS["sagemaker_group"]
        rows.append(
            Measurement(
                "central-model-registry",
                "group policy from model_package_group_policy_template (63-char group name)",
                limit,
                measure(rendered, limit),
                rendered,
            )
        )
    return rows


def _render(stacks: Path) -> tuple[list[Row], dict[str, int]]:
    """Measure every module call of interest in every stack; aggregate equal rows by max."""
    largest: dict[str, tuple[Measurement, int]] = {}
    calls_per_module: dict[str, int] = dict.fromkeys(MODULES_UNDER_TEST, 0)
    for stack_dir in sorted(p for p in stacks.iterdir() if (p / "cdk.tf.json").is_file()):
        stack = Stack(stack_dir, MODULES_ROOT)
        measurements: list[Measurement] = []
        for call_name in stack.calls:
            module_name = stack.module_name(call_name)
            if module_name not in calls_per_module:
                continue
            calls_per_module[module_name] += 1
            measurements += measure_module(stack.evaluator(call_name))
        measurements += _group_policy_rows(stack)
        for m in measurements:
            key = f"{m.module}: {m.resource}"
            previous = largest.get(key)
            if previous is None:
                largest[key] = (m, 1)
            else:
                best = m if m.size > previous[0].size else previous[0]
                largest[key] = (best, previous[1] + 1)
    rows = [Row(m, count) for m, count in largest.values()]
    rows.sort(key=lambda r: (MODULES_UNDER_TEST.index(r.measurement.module), r.key))
    return rows, calls_per_module


@pytest.fixture(scope="module")
def rendered(stacks_dir: Path) -> tuple[list[Row], dict[str, int]]:
    return _render(stacks_dir)


def over_limit(measurements: Iterable[Measurement]) -> list[str]:
    """Every measurement at or over its limit, as a readable line (empty = all fit)."""
    return [
        f"{m.module}: {m.resource}: {m.size} {m.limit.unit} >= {m.limit.name} limit "
        f"{m.limit.maximum}"
        for m in measurements
        if m.size >= m.limit.maximum
    ]


def _headroom(m: Measurement) -> str:
    return f"{m.headroom} ({m.headroom / m.limit.maximum:.0%})"


def format_table(rows: Iterable[Row]) -> str:
    header = ("module", "resource", "size", "limit", "unit", "headroom", "stacks")
    body = [
        (
            r.measurement.module,
            r.measurement.resource,
            str(r.measurement.size),
            str(r.measurement.limit.maximum),
            r.measurement.limit.unit,
            _headroom(r.measurement),
            str(r.stacks),
        )
        for r in rows
    ]
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in body]
    head = "  ".join(cell.ljust(w) for cell, w in zip(header, widths, strict=True))
    return "\n".join(line.rstrip() for line in [head, "-" * len(head), *lines])


# --------------------------------------------------------------------------------------------
# The requirement
# --------------------------------------------------------------------------------------------


def test_every_module_is_rendered_for_the_whole_organization(
    rendered: tuple[list[Row], dict[str, int]],
) -> None:
    rows, calls = rendered
    assert calls["model-approval-forwarder"] == DEV_ACCOUNTS, calls
    assert calls["model-deployment-target"] == 2, calls  # test and prod
    for module in ("central-model-registry", "model-promotion-hub", "model-deployment-pipeline"):
        assert calls[module] == 1, calls
    kinds = {key for r in rows for key, limit in LIMITS.items() if limit == r.measurement.limit}
    assert kinds >= EXPECTED_LIMIT_KINDS, f"no policy rendered for {EXPECTED_LIMIT_KINDS - kinds}"
    for module in MODULES_UNDER_TEST:
        assert any(r.measurement.module == module for r in rows), f"nothing rendered for {module}"


@pytest.mark.parametrize("module", MODULES_UNDER_TEST)
def test_policies_fit_their_aws_limits(
    module: str, rendered: tuple[list[Row], dict[str, int]]
) -> None:
    rows, _ = rendered
    mine = [r for r in rows if r.measurement.module == module]
    assert mine, f"nothing rendered for {module}"
    problems = over_limit(r.measurement for r in mine)
    assert not problems, "\n".join(problems)


def test_size_table(
    rendered: tuple[list[Row], dict[str, int]],
    record_property: Callable[[str, object], None],
) -> None:
    """Prints the table (shown by `pytest -rA`) and records it as a property."""
    rows, _ = rendered
    table = format_table(rows)
    print(f"\nPolicy and parameter sizes with {DEV_ACCOUNTS} dev accounts:\n{table}")
    record_property(
        "policy_sizes",
        json.dumps(
            [
                {
                    "module": r.measurement.module,
                    "resource": r.measurement.resource,
                    "size": r.measurement.size,
                    "limit": r.measurement.limit.maximum,
                    "unit": r.measurement.limit.unit,
                    "headroom": r.measurement.headroom,
                }
                for r in rows
            ]
        ),
    )
    assert not over_limit(r.measurement for r in rows)


# --------------------------------------------------------------------------------------------
# The renderer is real
# --------------------------------------------------------------------------------------------


def _fixture(name: str, **arguments: object) -> ModuleEvaluator:
    return ModuleEvaluator(Module(FIXTURES / name), arguments, TEST_CONTEXT)


def _accounts(count: int) -> list[str]:
    return [f"{100000000000 + n:012d}" for n in range(count)]


def test_growing_policy_crosses_its_limit() -> None:
    sizes = {}
    for count in (10, 11, 400):
        (measurement,) = measure_module(_fixture("growing_policy", account_ids=_accounts(count)))
        assert measurement.resource == "aws_ecr_repository_policy.this"
        assert measurement.limit is LIMITS["ecr_repository"]
        sizes[count] = measurement
    # One more account adds exactly `"arn:aws:iam::100000000010:root",` (33 characters).
    assert sizes[11].size - sizes[10].size == len('"arn:aws:iam::100000000010:root",')
    assert not over_limit([sizes[10]])
    problems = over_limit([sizes[400]])
    assert len(problems) == 1 and "ECR repository policy limit 10240" in problems[0]
    assert sizes[400].size > LIMITS["ecr_repository"].maximum


@pytest.mark.parametrize(
    ("document", "pattern"),
    [
        (
            "function",
            r"module unsupported_expression: main\.tf:\d+: cannot evaluate "
            r"`formatlist\(.*function formatlist\(\) is not implemented",
        ),
        (
            "attribute",
            r"module unsupported_expression: main\.tf:\d+: cannot evaluate "
            r"`aws_s3_bucket\.this\.bucket_regional_domain_name`.*neither an argument",
        ),
    ],
)
def test_unsupported_expression_raises(document: str, pattern: str) -> None:
    evaluator = _fixture("unsupported_expression")
    instance = evaluator.instances("data", "aws_iam_policy_document", document)
    with pytest.raises(UnsupportedExpression, match=pattern):
        instance.attr("json")


def test_missing_required_variable_raises() -> None:
    with pytest.raises(EvalError, match=r"required variable var\.account_ids was not given"):
        measure_module(_fixture("growing_policy"))


def test_rendering_follows_the_aws_provider() -> None:
    """Set dedup + reverse sort, one element -> string, "*" principal, merged conditions,
    dynamic blocks in source order, source document statements replaced by Sid, `&{` -> `${`,
    jsonencode with sorted keys and HTML escaping, optional() defaults."""
    evaluator = _fixture(
        "render_golden",
        principal_arns=["arn:aws:iam::111122223333:root", "arn:aws:iam::444455556666:role/x"],
        settings={"name": "n"},
    )
    policy = evaluator.instances("data", "aws_iam_policy_document", "this")
    expected = (
        '{"Version":"2012-10-17","Statement":['
        '{"Sid":"Shared","Effect":"Deny","NotAction":"iam:*",'
        '"NotResource":"arn:aws:iam::*:user/${aws:username}"},'
        '{"Sid":"Dedupe","Effect":"Allow","Action":["s3:PutObject","s3:GetObject"],'
        '"Resource":"arn:aws:s3:::b/*","Principal":"*",'
        '"Condition":{"StringEquals":{"aws:PrincipalOrgID":["o-1","o-2"]}}},'
        '{"Sid":"Principal0","Effect":"Allow","Action":"kms:Decrypt","Resource":"*",'
        '"Principal":{"AWS":"arn:aws:iam::111122223333:root",'
        '"Service":["b.amazonaws.com","a.amazonaws.com"]}},'
        '{"Sid":"Principal1","Effect":"Allow","Action":"kms:Decrypt","Resource":"*",'
        '"Principal":{"AWS":"arn:aws:iam::444455556666:role/x",'
        '"Service":["b.amazonaws.com","a.amazonaws.com"]}}]}'
    )
    assert policy.attr("minified_json") == expected
    assert policy.attr("json").startswith(
        '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Sid": "Shared",\n'
    )
    by_resource = {m.resource: m for m in measure_module(evaluator)}
    parameter = by_resource["aws_ssm_parameter.settings"]
    assert parameter.text == '{"a":["n"],"extra":["x"],"html":"\\u003c\\u0026\\u003e","z":1}'
    assert parameter.limit is LIMITS["ssm_advanced"]
    managed = by_resource["aws_iam_policy.this"]
    assert managed.limit is LIMITS["iam_managed"] and managed.size == len(expected)


def test_module_outputs_resolve_across_calls(stacks_dir: Path) -> None:
    """`${module.central-model-registry.kms_key_arn}` in cdk.tf.json becomes the key's ARN."""
    hub = Stack(stacks_dir / "shared-services", MODULES_ROOT)
    promotion = hub.evaluator("model-promotion-hub")
    key_arn = promotion.variable("registry_kms_key_arn")
    assert key_arn == (
        f"arn:aws:kms:{hub.context.region}:{hub.context.account_id}:key/{policy_eval.KMS_KEY_ID}"
    )
    template = promotion.variable("group_policy_template")
    assert json.loads(template)["Statement"][0]["Sid"] == "AllowConsumerDescribeGroup"
