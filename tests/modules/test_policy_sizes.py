"""With 100 dev accounts in config, every policy and parameter value stays under its AWS limit.

Why: the bus policy, the promoter's role policy and the source-accounts parameter grow with the
number of dev accounts. This test generates an organization of 100 dev accounts (the generator
of `benchmarks/synth.py`), synthesizes it with the composition, and lets real Terraform with the
real AWS provider render every policy: the stacks are applied into the local simulated AWS
(`platform_sandbox`) and each value is read from `terraform show -json` of the state.

Applied, not planned: in a plan, every policy naming a resource created in the same run (the
KMS key of the registry, the bus, the queue...) is unknown, and a bound with the longest
possible ARN would be a second renderer again. Applying puts the real ARNs in the policies (the
simulator names resources as AWS does: key ids are 36-character UUIDs, the other ARNs are built
from the configured names), so the sizes are the ones AWS would receive. Applied are the hub
(every policy that grows with the dev accounts lives there; ~80 s), one dev stack, test and prod.
The 99 other dev stacks are not applied: `test_dev_stacks_differ_only_in_account_and_team`
proves each of their `cdk.tf.json` is the measured one with another account id and team of the
same length, so their policies have exactly the measured sizes.

Each value is compared with the limit AWS enforces, measured the way AWS measures it (`LIMITS`,
with sources). The table of sizes is printed by `test_size_table` (`pytest -rA` shows it); the
module READMEs quote it. `test_growing_policy_crosses_its_limit` proves the measurement is real:
a policy that grows with a list, rendered by Terraform, crosses its limit.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from platform_composition.config import AccountRole
from platform_sandbox.organization import Sandbox
from tests.terraform_state import Resource, State
from tests.terraform_support import require_terraform

pytestmark = pytest.mark.slow

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEV_ACCOUNTS = 100
MEASURED_DEV = "dev-team-000"
MODULES_UNDER_TEST = (
    "ml-workspace",
    "data-lake-consumer",
    "central-model-registry",
    "model-promotion-hub",
    "model-approval-forwarder",
    "model-deployment-pipeline",
    "model-deployment-target",
    "service-catalog-portfolios",
    "lambda-code-signing",
)
# Every kind of consumer these modules are expected to have; a collector that silently found
# none of one kind would otherwise pass.
EXPECTED_LIMIT_KINDS = {
    "iam_trust",
    "iam_inline",
    "iam_managed",
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
GROUP_POLICY_PARAMETER = "aws_ssm_parameter.group_policy_template"


# --------------------------------------------------------------------------------------------
# Limits and how AWS measures them
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Limit:
    """An AWS size limit and how AWS measures against it."""

    name: str
    maximum: int
    unit: str  # "chars" (characters, no whitespace for IAM) or "bytes" (UTF-8)
    source: str  # where AWS documents it


# Limits as documented by AWS (checked 2026):
# - IAM: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
#   "Role trust policy length: 2,048 characters" (the default; Service Quotas can raise it to
#   4,096, which is not assumed here), "Role policy size cannot exceed 10,240 characters"
#   (aggregate of all inline policies of a role), managed policy 6,144 characters; "IAM
#   doesn't count white space".
# - S3: https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-iam-policies.html
#   "Bucket policies are limited to 20 KB in size."
# - KMS: PutKeyPolicy/CreateKey "The policy size limit is 32 KiB (32768 bytes)".
# - ECR: SetRepositoryPolicy policyText "Maximum length of 10240".
# - EventBridge: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html
#   "Event bus policy size: 10,240 ... Maximum policy size, in characters".
# - SQS: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-policies.html
#   policy "Bytes: 8,192" (not 20 KB).
# - SNS: https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-language-api-permissions-reference.html
#   policy "Bytes: 30 kb".
# - SSM: PutParameter "Standard tier parameters support a maximum parameter value of 4096
#   characters"; Advanced tier 8 KB
#   (https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html).
# - SageMaker: PutModelPackageGroupPolicy ResourcePolicy "Maximum length of 20480".
LIMITS: dict[str, Limit] = {
    "iam_trust": Limit("IAM role trust policy", 2048, "chars", "IAM quotas (default)"),
    "iam_inline": Limit("IAM inline policies per role", 10240, "chars", "IAM quotas"),
    "iam_managed": Limit("IAM managed policy", 6144, "chars", "IAM quotas"),
    "s3_bucket": Limit("S3 bucket policy", 20 * 1024, "bytes", "S3 user guide"),
    "kms_key": Limit("KMS key policy", 32768, "bytes", "KMS PutKeyPolicy"),
    "ecr_repository": Limit("ECR repository policy", 10240, "chars", "ECR SetRepositoryPolicy"),
    "event_bus": Limit("EventBridge bus policy", 10240, "chars", "EventBridge quotas"),
    "sqs_queue": Limit("SQS queue policy", 8192, "bytes", "SQS policy quotas"),
    "sns_topic": Limit("SNS topic policy", 30 * 1024, "bytes", "SNS policy quotas"),
    "ssm_standard": Limit("SSM parameter (Standard)", 4096, "chars", "SSM PutParameter"),
    "ssm_advanced": Limit("SSM parameter (Advanced)", 8192, "chars", "SSM advanced parameters"),
    "sagemaker_group": Limit(
        "SageMaker model package group policy", 20480, "chars", "PutModelPackageGroupPolicy"
    ),
}

# (resource type, attribute holding the policy/value, limit key). For IAM inline policies the
# limit applies to the sum over every aws_iam_role_policy of one role (grouped by `role`).
# `aws_sqs_queue.policy` / `aws_sns_topic.policy` are not listed: in these modules they only
# mirror the separate `aws_sqs_queue_policy` / `aws_sns_topic_policy` (measured once, there).
CONSUMERS: tuple[tuple[str, str, str], ...] = (
    ("aws_iam_role", "assume_role_policy", "iam_trust"),
    ("aws_iam_role_policy", "policy", "iam_inline"),
    ("aws_iam_policy", "policy", "iam_managed"),
    ("aws_s3_bucket_policy", "policy", "s3_bucket"),
    ("aws_kms_key", "policy", "kms_key"),
    ("aws_kms_key_policy", "policy", "kms_key"),
    ("aws_ecr_repository_policy", "policy", "ecr_repository"),
    ("aws_cloudwatch_event_bus_policy", "policy", "event_bus"),
    ("aws_sqs_queue_policy", "policy", "sqs_queue"),
    ("aws_sns_topic_policy", "policy", "sns_topic"),
    ("aws_ssm_parameter", "value", "ssm"),
)
SSM_TIERS = {"Standard": "ssm_standard", "Advanced": "ssm_advanced"}


def compact(text: str) -> str:
    """What the provider sends for a policy (`structure.NormalizeJsonString`: Go's compact
    `json.Marshal`, HTML characters escaped). IAM ignores whitespace; counting the spaces
    inside string values keeps the measure on the safe side."""
    encoded = json.dumps(json.loads(text), ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        encoded = encoded.replace(char, escaped)
    return encoded


def measure(text: str, limit: Limit) -> int:
    return len(text.encode("utf-8")) if limit.unit == "bytes" else len(text)


@dataclass(frozen=True)
class Measurement:
    """One rendered policy/value and its size against its limit."""

    module: str
    resource: str
    limit: Limit
    size: int
    text: str
    instances: int = 1

    @property
    def headroom(self) -> int:
        return self.limit.maximum - self.size


def _top_call(resource: Resource) -> str:
    """The stack's module call a resource belongs to, also inside a module's own submodules
    (`module.ml-workspace.module.artifact_bucket...` -> `ml-workspace`)."""
    return resource.module.split(".")[1] if resource.module else ""


def _local_address(resource: Resource) -> str:
    """The address inside its module call (`aws_iam_role.this`, `module.artifact_bucket.
    aws_s3_bucket_policy.this`), as the module READMEs say."""
    call = _top_call(resource)
    return resource.address.removeprefix(f"module.{call}.") if call else resource.address


def _base(address: str) -> str:
    return address.split("[", 1)[0]


def measure_state(state: State) -> Iterator[Measurement]:
    """Every policy / value consumer of every module call in `state`, measured.

    Instances of one resource (`count` / `for_each`) give one row, the largest; the inline
    policies of one role give one row, their sum.
    """
    calls = sorted({_top_call(r) for r in state})
    for call in calls:
        module = call or "(root)"
        inline_by_role: dict[str, list[tuple[str, str]]] = {}
        for rtype, attribute, limit_key in CONSUMERS:
            groups: dict[str, list[tuple[str, str, Limit]]] = {}
            for resource in (r for r in state.resources(rtype) if _top_call(r) == call):
                value = resource.get(attribute)
                if not value:
                    continue
                address = _local_address(resource)
                if limit_key == "ssm":
                    tier = resource.get("tier") or "Standard"
                    assert tier in SSM_TIERS, f"{resource.address}: SSM tier {tier!r} has no limit"
                    groups.setdefault(_base(address), []).append(
                        (address, value, LIMITS[SSM_TIERS[tier]])
                    )
                elif limit_key == "iam_inline":
                    inline_by_role.setdefault(resource["role"], []).append(
                        (address, compact(value))
                    )
                else:
                    groups.setdefault(_base(address), []).append(
                        (address, compact(value), LIMITS[limit_key])
                    )
            for base, entries in groups.items():
                address, text, limit = max(entries, key=lambda e: measure(e[1], e[2]))
                yield Measurement(
                    module,
                    address if len(entries) == 1 else f"{base}[*] (largest of {len(entries)})",
                    limit,
                    measure(text, limit),
                    text,
                    instances=len(entries),
                )
        for role, policies in sorted(inline_by_role.items()):
            inline = LIMITS["iam_inline"]
            yield Measurement(
                module,
                f"role {role}: {', '.join(where for where, _ in policies)}",
                inline,
                sum(measure(policy, inline) for _, policy in policies),
                "\n".join(policy for _, policy in policies),
                instances=len(policies),
            )


def group_policy_measurement(state: State) -> Measurement:
    """The policy the promoter puts on a central group: the template it reads from SSM, with
    the token replaced by the longest group name (sent as is, so whitespace counts)."""
    (parameter,) = [
        r
        for r in state.resources("aws_ssm_parameter")
        if _local_address(r) == GROUP_POLICY_PARAMETER
    ]
    template = parameter["value"]
    assert GROUP_POLICY_TOKEN in template
    rendered = template.replace(GROUP_POLICY_TOKEN, LONGEST_GROUP_NAME)
    limit = LIMITS["sagemaker_group"]
    return Measurement(
        "central-model-registry",
        "group policy from model_package_group_policy_template (63-char group name)",
        limit,
        measure(rendered, limit),
        rendered,
    )


# --------------------------------------------------------------------------------------------
# The organization: generated, synthesized, applied
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One line of the size table: the largest instance over every stack using the module."""

    measurement: Measurement
    stacks: int

    @property
    def key(self) -> str:
        return f"{self.measurement.module}: {self.measurement.resource}"


@dataclass
class Organization:
    sandbox: Sandbox
    states: dict[str, State]  # the applied stacks
    calls: dict[str, list[str]]  # module name -> stacks calling it (every synthesized stack)


def _generate_organization(target: Path, dev_accounts: int) -> Path:
    """benchmarks/synth.py's generator (the benchmarks folder is not a package)."""
    spec = importlib.util.spec_from_file_location(
        "mlgov_benchmark_synth", PROJECT_ROOT / "benchmarks" / "synth.py"
    )
    assert spec is not None and spec.loader is not None
    synth = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(synth)
    return synth.generate_organization(target, dev_accounts)  # type: ignore[no-any-return]


def _module_calls(stacks_dir: Path) -> dict[str, list[str]]:
    """Module call name (the composition names each call after its module, as the rows of the
    table do) -> the stacks calling it."""
    calls: dict[str, list[str]] = {name: [] for name in MODULES_UNDER_TEST}
    for stack_file in sorted(stacks_dir.glob("*/cdk.tf.json")):
        stack = json.loads(stack_file.read_text(encoding="utf-8"))
        for call_name in stack.get("module") or {}:
            calls.setdefault(call_name, []).append(stack_file.parent.name)
    return calls


@pytest.fixture(scope="module")
def organization(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Organization]:
    require_terraform()
    root = tmp_path_factory.mktemp("policy-sizes")
    environments = _generate_organization(root / "environments", DEV_ACCOUNTS)
    lines: list[str] = []
    sandbox = Sandbox(root / "sandbox", environments=environments, progress=lines.append)
    try:
        sandbox.start_simulator()
        sandbox.prepare()
        sandbox.state_dir.mkdir(parents=True, exist_ok=True)
        applied = {
            MEASURED_DEV,
            *(
                e.name
                for e in sandbox.config.environments
                # The organization's stack registers the hub for the portfolio shares.
                if e.role
                in (
                    AccountRole.ORGANIZATION,
                    AccountRole.SHARED_SERVICES,
                    AccountRole.TEST,
                    AccountRole.PROD,
                )
            ),
        }
        states: dict[str, State] = {}
        for run in sandbox.ordered_stacks():
            if run.name in applied:
                sandbox.apply_stack(run)
                states[run.name] = State(sandbox.workspace(run.name).show_state())
        yield Organization(sandbox, states, _module_calls(sandbox.outdir / "stacks"))
    except Exception:
        print("\n".join(lines))
        raise
    finally:
        sandbox.down()


def _render(organization: Organization) -> list[Row]:
    """Measure every applied stack; aggregate equal rows by max; count the stacks using each
    module (every synthesized stack, applied or proven identical)."""
    largest: dict[str, Measurement] = {}
    hub = organization.sandbox.config.shared_services.name
    for name, state in organization.states.items():
        measurements = list(measure_state(state))
        if name == hub:
            measurements.append(group_policy_measurement(state))
        for m in measurements:
            key = f"{m.module}: {m.resource}"
            if key not in largest or m.size > largest[key].size:
                largest[key] = m
    rows = [Row(m, len(organization.calls.get(m.module, []))) for m in largest.values()]
    rows.sort(key=lambda r: (MODULES_UNDER_TEST.index(r.measurement.module), r.key))
    return rows


@pytest.fixture(scope="module")
def rendered(organization: Organization) -> list[Row]:
    return _render(organization)


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
    organization: Organization, rendered: list[Row]
) -> None:
    calls = {module: len(stacks) for module, stacks in organization.calls.items()}
    assert calls["model-approval-forwarder"] == DEV_ACCOUNTS, calls
    assert calls["ml-workspace"] == DEV_ACCOUNTS, calls
    assert calls["model-deployment-target"] == 2, calls  # test and prod
    for module in ("central-model-registry", "model-promotion-hub", "model-deployment-pipeline"):
        assert calls[module] == 1, calls
    kinds = {k for r in rendered for k, limit in LIMITS.items() if limit == r.measurement.limit}
    assert kinds >= EXPECTED_LIMIT_KINDS, f"no policy rendered for {EXPECTED_LIMIT_KINDS - kinds}"
    for module in MODULES_UNDER_TEST:
        assert any(r.measurement.module == module for r in rendered), f"nothing for {module}"
        # Every stack calling the module is measured, or is proven identical to a measured one.
        measured = [s for s in organization.calls[module] if s in organization.states]
        assert measured, f"no stack calling {module} was applied"


def test_dev_stacks_differ_only_in_account_and_team(organization: Organization) -> None:
    """Every dev stack is the measured one with its own account id and team (same lengths), so
    its policies have the measured sizes."""
    config = organization.sandbox.config
    measured = config.environment(MEASURED_DEV)
    stacks_dir = organization.sandbox.outdir / "stacks"
    expected = (stacks_dir / MEASURED_DEV / "cdk.tf.json").read_text(encoding="utf-8")
    devs = config.by_role(AccountRole.DEV)
    assert len(devs) == DEV_ACCOUNTS
    for env in devs:
        assert len(env.account_id) == len(measured.account_id)
        assert len(env.team or "") == len(measured.team or "")
        assert len(env.name) == len(measured.name)
        text = (stacks_dir / env.name / "cdk.tf.json").read_text(encoding="utf-8")
        for own, theirs in (
            (env.account_id, measured.account_id),
            (env.name, measured.name),
            (env.team or "", measured.team or ""),
        ):
            text = re.sub(re.escape(own), theirs, text)
        assert text == expected, f"{env.name} differs from {MEASURED_DEV} beyond account and team"


@pytest.mark.parametrize("module", MODULES_UNDER_TEST)
def test_policies_fit_their_aws_limits(module: str, rendered: list[Row]) -> None:
    mine = [r for r in rendered if r.measurement.module == module]
    assert mine, f"nothing rendered for {module}"
    problems = over_limit(r.measurement for r in mine)
    assert not problems, "\n".join(problems)


def test_size_table(rendered: list[Row], record_property: Callable[[str, object], None]) -> None:
    """Prints the table (shown by `pytest -rA`) and records it as a property."""
    table = format_table(rendered)
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
                for r in rendered
            ]
        ),
    )
    assert not over_limit(r.measurement for r in rendered)


# --------------------------------------------------------------------------------------------
# The measurement is real
# --------------------------------------------------------------------------------------------


def _growing_policy_config(account_ids: list[str]) -> dict[str, Any]:
    """An ECR repository policy that lists one principal per account, rendered by the AWS
    provider's `aws_iam_policy_document` (planned offline: nothing in it calls AWS)."""
    return {
        "terraform": {"required_providers": {"aws": {"source": "hashicorp/aws"}}},
        "provider": {
            "aws": {
                "region": "eu-west-1",
                "access_key": "offline",
                "secret_key": "offline",
                "skip_credentials_validation": True,
                "skip_requesting_account_id": True,
                "skip_metadata_api_check": True,
                "skip_region_validation": True,
            }
        },
        "data": {
            "aws_iam_policy_document": {
                "this": {
                    "statement": [
                        {
                            "sid": "Pull",
                            "actions": ["ecr:BatchGetImage"],
                            "principals": [
                                {
                                    "type": "AWS",
                                    "identifiers": [f"arn:aws:iam::{a}:root" for a in account_ids],
                                }
                            ],
                        }
                    ]
                }
            }
        },
        "resource": {
            "aws_ecr_repository_policy": {
                "this": {
                    "repository": "growing",
                    "policy": "${data.aws_iam_policy_document.this.json}",
                }
            }
        },
    }


def test_growing_policy_crosses_its_limit(tmp_path: Path) -> None:
    workspace = require_terraform().workspace(tmp_path)
    config = tmp_path / "main.tf.json"
    sizes: dict[int, Measurement] = {}
    for count in (10, 11, 400):
        accounts = [f"{100000000000 + n:012d}" for n in range(count)]
        config.write_text(json.dumps(_growing_policy_config(accounts)), encoding="utf-8")
        if count == 10:
            workspace.init(backend=False)
        (measurement,) = measure_state(State(workspace.plan()))
        assert measurement.resource == "aws_ecr_repository_policy.this"
        assert measurement.limit is LIMITS["ecr_repository"]
        sizes[count] = measurement
    # One more account adds exactly `"arn:aws:iam::100000000010:root",` (33 characters).
    assert sizes[11].size - sizes[10].size == len('"arn:aws:iam::100000000010:root",')
    assert not over_limit([sizes[10]])
    problems = over_limit([sizes[400]])
    assert len(problems) == 1 and "ECR repository policy limit 10240" in problems[0]
    assert sizes[400].size > LIMITS["ecr_repository"].maximum
    shutil.rmtree(tmp_path / ".terraform", ignore_errors=True)
