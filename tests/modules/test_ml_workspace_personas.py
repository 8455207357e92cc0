"""Who may do what in ml-workspace: the README's matrix, asserted on what Terraform renders.

The data table is the README's "Who may do what" table: this test parses it (request, action,
resource, context and one cell per role) and checks every cell, so the README cannot drift from
the policies. The policies are Terraform's own rendering, never HCL read by this test:

1. `examples/complete` is copied out of the tree and planned by real Terraform with the real AWS
   provider against the simulated AWS (`platform_sandbox.simulator`). Every workspace policy names
   something with a generated identifier (the team key's ARN, the subnets, the security group), so
   a bare plan shows them all as unknown; the roles and the three managed policies are therefore
   applied first (`APPLIED`, which pulls in the key, both buckets and the network), then the
   whole example is planned. The SageMaker domain is not applied (the simulator cannot create
   one yet), and so stays unknown.
2. Each role's effective policies are read from that plan: inline `aws_iam_role_policy` and the
   managed policies attached by `aws_iam_role_policy_attachment` (the `aws_iam_policy` documents).
   The five inline policies that name the domain (`DOMAIN_SCOPED`) are unknown: the test asserts
   that exactly those are, and reads them from the `aws_iam_policy_document` data sources'
   arguments as Terraform evaluated them, with the unknown parts marked. The evaluator
   (`tests.modules.iam_eval`) is three-valued, so a cell that depends on an unknown value fails as
   undecided instead of being guessed.
3. Cells whose decision moto evaluates faithfully are also checked with real calls: the roles are
   created in an in-process moto with the exact rendered policy JSON, assumed, and the SageMaker
   and S3 calls made (`REAL_CALL_CELLS`, and `test_real_calls_in_moto` for what moto evaluates).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from platform_sandbox import simulator
from platform_sandbox.terraform import setup_terraform
from tests.modules import iam_eval
from tests.modules.iam_eval import (
    ALLOWED,
    DENIED,
    NOT_ALLOWED,
    UNDECIDED,
    UNKNOWN,
    Condition,
    Request,
    Statement,
)
from tests.terraform_support import copy_module, require_terraform

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MODULE = PROJECT_ROOT / "modules" / "ml-workspace"
README = MODULE / "README.md"
SECTION = "### Who may do what"
PREFIX = "module.ml_workspace."

# Applied before the plan (with everything they reference): the roles, so that inline policies
# and attachments name them, and the managed policies, so that attachments name their ARNs.
APPLIED = [
    PREFIX + "aws_iam_role.persona",
    PREFIX + "aws_iam_role.execution",
    PREFIX + "aws_iam_role.mlflow",
    PREFIX + "aws_iam_policy.workspace_common",
    PREFIX + "aws_iam_policy.workspace_compute",
    PREFIX + "aws_iam_policy.workspace_authoring",
]

# The inline policies that name the domain, hence unknown at plan time; nothing else may be.
DOMAIN_SCOPED = {
    PREFIX + 'aws_iam_role_policy.persona_studio["lead_data_scientist"]',
    PREFIX + 'aws_iam_role_policy.persona_studio["data_scientist"]',
    PREFIX + 'aws_iam_role_policy.execution_domain["studio_lead_data_scientist"]',
    PREFIX + 'aws_iam_role_policy.execution_domain["studio_data_scientist"]',
    PREFIX + 'aws_iam_role_policy.execution_domain["pipeline"]',
}

# README column -> (role name, personas the role belongs to, for <other persona>).
LEAD, SCIENTIST = "lead_data_scientist", "data_scientist"
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "lead persona": ("<name>-lead-data-scientist", (LEAD,)),
    "data scientist persona": ("<name>-data-scientist", (SCIENTIST,)),
    "Studio exec (lead)": ("<name>-studio-lead-data-scientist", (LEAD,)),
    "Studio exec (data scientist)": ("<name>-studio-data-scientist", (SCIENTIST,)),
    "pipeline exec": ("<name>-pipeline-execution", ()),
    "MLflow server": ("<name>-mlflow", ()),
}
REQUEST_COLUMNS = ["request", "action", "resource", "context"]

# Cells also checked with real calls in moto, by request and column. `test_real_calls_in_moto`
# derives them from the rendered policies and what moto evaluates, and asserts they are these.
_ALL = tuple(COLUMNS)
_NOT_PERSONAS = (
    "Studio exec (lead)",
    "Studio exec (data scientist)",
    "pipeline exec",
    "MLflow server",
)
_WITHOUT_JOB_GRANT = ("lead persona", "data scientist persona", "MLflow server")
REAL_CALL_COLUMNS: dict[str, tuple[str, ...]] = {
    "approve or reject a team package": _ALL,
    "approve a package outside the team prefix": _ALL,
    "create a team model package group": _ALL,
    "create a group without the team prefix": _ALL,
    # Allowed for the lead, but moto has no PutModelPackageGroupPolicy: only denials are observed.
    "put a model package group policy": _ALL[1:],
    "read the team data bucket": _ALL,
    "write the team data bucket": _ALL,
    "read another team's bucket": _ALL,
    "start a team pipeline": _ALL,
    # The execution roles' grant has conditions (the VPC), which moto does not evaluate.
    "create a training job in the workspace VPC": _WITHOUT_JOB_GRANT,
    "create a training job outside the workspace VPC": _WITHOUT_JOB_GRANT,
    "create a user profile": _ALL,
    # The personas' grants are domain-scoped (no JSON before the domain exists).
    "open a Studio profile of the other persona (presigned URL)": _NOT_PERSONAS,
}
REAL_CALL_CELLS = {
    (row, column) for row, columns in REAL_CALL_COLUMNS.items() for column in columns
}


# --------------------------------------------------------------------------------------------
# The README table
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    text: str
    verdict: str
    sids: frozenset[str]
    conditions: frozenset[tuple[str, str, tuple[str, ...]]]  # (operator, key, raw values)


@dataclass(frozen=True)
class Row:
    label: str
    action: str
    resources: tuple[str, ...]
    context: tuple[tuple[str, str], ...]  # (key, raw value), value "[a, b]" for a set
    cells: dict[str, Cell]


_CELL = re.compile(
    r"^(?P<verdict>Allowed|Denied|Not allowed)"
    r"(?: \((?P<sids>`[^)]*`)\))?"
    r"(?: if (?P<conditions>.+))?$"
)
_CONDITION = re.compile(r"^`(?P<key>[^`]+)` (?P<operator>[A-Za-z:]+) (?P<values>`.*`)$")


def _code_spans(text: str) -> list[str]:
    return re.findall(r"`([^`]*)`", text)


def parse_cell(text: str) -> Cell:
    match = _CELL.match(text)
    if match is None:
        raise ValueError(f"unreadable cell {text!r}")
    verdict = match["verdict"]
    sids = frozenset(_code_spans(match["sids"] or ""))
    conditions = set()
    for part in (match["conditions"] or "").split(" and ") if match["conditions"] else []:
        condition = _CONDITION.match(part)
        if condition is None:
            raise ValueError(f"unreadable condition {part!r} in {text!r}")
        values = tuple(_code_spans(condition["values"]))
        conditions.add((condition["operator"], condition["key"], values))
    if verdict == NOT_ALLOWED and (sids or conditions):
        raise ValueError(f"'Not allowed' takes no statement or condition: {text!r}")
    if verdict != NOT_ALLOWED and not sids:
        raise ValueError(f"name the deciding statement(s): {text!r}")
    return Cell(text, verdict, sids, frozenset(conditions))


def readme_rows(readme: Path = README) -> list[Row]:
    text = readme.read_text(encoding="utf-8")
    section = text.split(SECTION + "\n", 1)[1].split("\n#", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("|")]
    split = [[c.strip() for c in line.strip().strip("|").split("|")] for line in lines]
    header, rows = split[0], split[2:]
    assert header == REQUEST_COLUMNS + list(COLUMNS), header
    result = []
    for cells in rows:
        assert len(cells) == len(header), cells
        label, action, resource, context = cells[:4]
        parsed: dict[str, Cell] = {}
        previous: Cell | None = None
        for column, raw in zip(COLUMNS, cells[4:], strict=True):
            if raw == "same":
                assert previous is not None, f"{label}: 'same' in the first role column"
                cell = previous
            else:
                cell = parse_cell(raw)
            parsed[column] = previous = cell
        context_items = []
        for item in _code_spans(context) if context != "—" else []:
            key, _, value = item.partition("=")
            context_items.append((key, value))
        (action_name,) = _code_spans(action)
        result.append(
            Row(label, action_name, tuple(_code_spans(resource)), tuple(context_items), parsed)
        )
    assert len({r.label for r in result}) == len(result), "request labels must be unique"
    return result


# --------------------------------------------------------------------------------------------
# Terraform's rendering
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rendered:
    roles: dict[str, list[Statement]]  # role name -> statements of all its policies
    documents: dict[str, dict[str, str]]  # role name -> {"inline:<name>" | "managed:<arn>": JSON}
    managed: dict[str, tuple[str, str, str]]  # policy ARN -> (name, path, JSON)
    trust: dict[str, tuple[str, str]]  # role name -> (path, trust policy JSON)
    placeholders: dict[str, Any]
    fallbacks: set[str]  # addresses of inline policies read from data source arguments


def _state_resources(module: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    yield from module.get("resources", [])
    for child in module.get("child_modules", []):
        yield from _state_resources(child)


def _config_module(plan: Mapping[str, Any], module_address: str) -> Mapping[str, Any]:
    module = plan["configuration"]["root_module"]
    for part in module_address.split(".")[1::2]:  # module.a.module.b -> a, b
        module = module["module_calls"][part]["module"]
    return module  # type: ignore[no-any-return]


def _policy_document_source(plan: Mapping[str, Any], change: Mapping[str, Any]) -> str:
    """Address of the `aws_iam_policy_document` an inline policy's `policy` refers to, from the
    plan's configuration (Terraform's own reference analysis)."""
    module = _config_module(plan, change["module_address"])
    local = f"{change['type']}.{change['name']}"
    (config,) = [r for r in module["resources"] if r["address"] == local]
    references = config["expressions"]["policy"]["references"]
    documents = [r for r in references if r.startswith("data.aws_iam_policy_document.")]
    document = re.sub(r"\.json$", "", documents[0])
    if "[" not in document and "each.key" in references:
        document += f"[{json.dumps(change['index'])}]"
    return f"{change['module_address']}.{document}"


def collect(plan: Mapping[str, Any]) -> Rendered:
    changes = {c["address"]: c for c in plan["resource_changes"]}
    state = {
        r["address"]: r["values"]
        for r in _state_resources(plan["prior_state"]["values"]["root_module"])
    }

    def after(change: Mapping[str, Any], key: str) -> Any:
        detail = change["change"]
        if (detail.get("after_unknown") or {}).get(key):
            return UNKNOWN
        return (detail.get("after") or {}).get(key)

    def of_type(kind: str) -> list[Mapping[str, Any]]:
        return [c for c in changes.values() if c["type"] == kind and c["mode"] == "managed"]

    roles: dict[str, list[Statement]] = {}
    documents: dict[str, dict[str, str]] = {}
    trust: dict[str, tuple[str, str]] = {}
    for change in of_type("aws_iam_role"):
        name = after(change, "name")
        if name is UNKNOWN:
            continue  # not applied (e.g. the flow logs role): not a role of the matrix
        roles[name], documents[name] = [], {}
        trust[name] = (after(change, "path"), after(change, "assume_role_policy"))

    fallbacks = set()
    for change in of_type("aws_iam_role_policy"):
        role, name = after(change, "role"), after(change, "name")
        if role not in roles:
            continue
        source = f"{role}/{name}"
        policy = after(change, "policy")
        if policy is not UNKNOWN:
            roles[role] += iam_eval.statements_from_json(policy, source)
            documents[role][f"inline:{name}"] = policy
            continue
        fallbacks.add(change["address"])
        data = changes[_policy_document_source(plan, change)]["change"]
        roles[role] += iam_eval.statements_from_arguments(
            data["after"]["statement"], (data.get("after_unknown") or {}).get("statement"), source
        )

    managed: dict[str, tuple[str, str, str]] = {}
    for change in of_type("aws_iam_policy"):
        arn, policy = after(change, "arn"), after(change, "policy")
        assert UNKNOWN not in (arn, policy), f"{change['address']} is not rendered"
        managed[arn] = (after(change, "name"), after(change, "path"), policy)
    for change in of_type("aws_iam_role_policy_attachment"):
        role, arn = after(change, "role"), after(change, "policy_arn")
        name, _, policy = managed[arn]
        roles[role] += iam_eval.statements_from_json(policy, f"{role}/{name}")
        documents[role][f"managed:{arn}"] = policy

    module = PREFIX
    persona_role = state[module + 'aws_iam_role.persona["lead_data_scientist"]']
    placeholders: dict[str, Any] = {
        "name": persona_role["tags"]["mlgov:workspace"],
        "account": state[module + "data.aws_caller_identity.current"]["account_id"],
        "region": state[module + "data.aws_region.current"]["name"],
        "data bucket": state[module + "module.data_bucket.aws_s3_bucket.this"]["bucket"],
        "artifact bucket": state[module + "module.artifact_bucket.aws_s3_bucket.this"]["bucket"],
        "team key id": state[module + "module.kms_key.aws_kms_key.this"]["key_id"],
        "workspace subnets": sorted(
            values["id"]
            for address, values in state.items()
            if address.startswith(module + "aws_subnet.private[")
        ),
        "workspace security group": state[module + "aws_security_group.workspace"]["id"],
        "domain id": UNKNOWN,
    }
    return Rendered(roles, documents, managed, trust, placeholders, fallbacks)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    require_terraform()
    root = tmp_path_factory.mktemp("ml-workspace-personas")
    sim = simulator.start(root / "simulator")
    try:
        copy = copy_module(MODULE, root)
        workspace = setup_terraform(root / "cli", sim.environment()).workspace(
            copy / "examples" / "complete"
        )
        workspace.init(backend=False)
        workspace.apply(*APPLIED)
        plan = workspace.plan()
    finally:
        simulator.stop(sim)
    return collect(plan)


# --------------------------------------------------------------------------------------------
# From a README row to requests
# --------------------------------------------------------------------------------------------

# ARN service of an action prefix, where they differ.
ARN_SERVICE = {"sagemaker-mlflow": "sagemaker"}


def substitute(text: str, values: Mapping[str, Any]) -> Any:
    """`text` with its <placeholders> replaced: a string, a list (a list-valued placeholder that
    is the whole text) or UNKNOWN (any unknown part)."""
    tokens = re.findall(r"<([a-z ]+)>", text)
    for token in tokens:
        if token not in values:
            raise KeyError(f"unknown placeholder <{token}> in {text!r}")
        value = values[token]
        if value is UNKNOWN:
            return UNKNOWN
        if isinstance(value, list):
            if text != f"<{token}>":
                raise ValueError(f"<{token}> is a list and must stand alone: {text!r}")
            return list(value)
        text = text.replace(f"<{token}>", value)
    return text


def arn(action: str, resource: str, values: Mapping[str, Any]) -> Any:
    service = action.split(":", 1)[0]
    service = ARN_SERVICE.get(service, service)
    region = "" if service in ("s3", "iam") else values["region"]
    account = "" if service == "s3" else values["account"]
    part = substitute(resource, values)
    if part is UNKNOWN:
        return UNKNOWN
    return f"arn:aws:{service}:{region}:{account}:{part}"


def context_values(raw: str, values: Mapping[str, Any]) -> Any:
    if raw.startswith("[") and raw.endswith("]"):
        items: list[str] = []
        for item in raw[1:-1].split(", "):
            value = substitute(item, values)
            items += value if isinstance(value, list) else [value]
        return tuple(items)
    return substitute(raw, values)


def requests_for(row: Row, values: Mapping[str, Any]) -> list[Request]:
    context = {key: context_values(raw, values) for key, raw in row.context}
    return [Request(row.action, arn(row.action, r, values), context) for r in row.resources]


def cell_conditions(cell: Cell, values: Mapping[str, Any]) -> frozenset[Condition]:
    conditions = set()
    for operator, key, raw_values in cell.conditions:
        expanded: list[Any] = []
        for raw in raw_values:
            value = substitute(raw, values)
            expanded += value if isinstance(value, list) else [value]
        conditions.add(Condition(operator, key, tuple(expanded)))
    return frozenset(conditions)


def _same_conditions(a: frozenset[Condition], b: frozenset[Condition]) -> bool:
    """Equal, with each condition's values compared as a set (the provider sorts them)."""

    def normal(conditions: frozenset[Condition]) -> set[tuple[str, str, frozenset[Any]]]:
        return {(c.operator, c.key, frozenset(c.values)) for c in conditions}

    return normal(a) == normal(b)


def column_values(rendered: Rendered, column: str) -> list[dict[str, Any]]:
    """Placeholder values for one column: one set per <other persona> the column stands for."""
    _, personas = COLUMNS[column]
    others = [p for p in (LEAD, SCIENTIST) if p not in personas] if personas else [LEAD, SCIENTIST]
    return [{**rendered.placeholders, "other persona": other} for other in others]


def role_name(rendered: Rendered, column: str) -> str:
    name: str = substitute(COLUMNS[column][0], rendered.placeholders)
    return name


def check_cell(
    cell: Cell, statements: Sequence[Statement], requests: Sequence[Request], values: Any
) -> list[str]:
    """What is wrong with the cell for these statements (empty when it holds)."""
    decision = iam_eval.decide(statements, requests)
    if decision.verdict == UNDECIDED:
        unsure = sorted(f"{s.source}:{s.sid}" for s in decision.undecided)
        return [f"undecided at plan time (depends on unknown values in {unsure})"]
    if decision.verdict != cell.verdict:
        deciding = sorted(f"{s.source}:{s.sid}" for s in decision.deciding)
        return [f"README says {cell.verdict}, the policies say {decision.verdict} {deciding}"]
    if decision.verdict == NOT_ALLOWED:
        return []
    problems = []
    sids = {s.sid for s in decision.deciding}
    if sids != cell.sids:
        problems.append(f"decided by {sorted(sids)}, README names {sorted(cell.sids)}")
    expected = cell_conditions(cell, values)
    if decision.verdict == ALLOWED:
        # Every statement that could allow this action on these resources, whatever its
        # conditions: exactly the README's conditions, so no unconditional or other allow.
        candidates = [
            s
            for s in statements
            if s.effect == "Allow"
            and iam_eval.action_matches(s, requests[0].action) is not False
            and any(iam_eval.resource_matches(s, r.resource) is not False for r in requests)
        ]
    else:
        candidates = list(decision.deciding)
    for statement in candidates:
        if not _same_conditions(statement.conditions, expected):
            problems.append(
                f"{statement.source}:{statement.sid} ({statement.effect}) has conditions "
                f"{sorted(map(repr, statement.conditions))}, README: {sorted(map(repr, expected))}"
            )
    return problems


# --------------------------------------------------------------------------------------------
# The matrix, from Terraform's rendering
# --------------------------------------------------------------------------------------------


def test_readme_matrix_has_the_required_rows() -> None:
    labels = {row.label for row in readme_rows()}
    required = {
        "approve or reject a team package",
        "register a package as PendingManualApproval",
        "register a package as Approved",
        "create a team model package group",
        "create a group without the team prefix",
        "read the team data bucket",
        "write the team data bucket",
        "read another team's bucket",
        "use the team KMS key",
        "pass the pipeline execution role to SageMaker",
        "pass a role that is not the team's",
        "start a team pipeline",
        "create a training job outside the workspace VPC",
        "put a model package group policy",
        "open a Studio profile of the other persona (presigned URL)",
    }
    assert required <= labels, sorted(required - labels)


def test_only_the_domain_scoped_policies_are_unknown_at_plan_time(rendered: Rendered) -> None:
    assert rendered.fallbacks == DOMAIN_SCOPED
    columns = {role_name(rendered, c) for c in COLUMNS}
    assert columns <= set(rendered.roles), sorted(columns - set(rendered.roles))
    for column in COLUMNS:
        assert rendered.roles[role_name(rendered, column)], f"{column}: no policy collected"


def test_every_cell_holds_for_the_rendered_policies(rendered: Rendered) -> None:
    problems = []
    for row in readme_rows():
        for column, cell in row.cells.items():
            statements = rendered.roles[role_name(rendered, column)]
            for values in column_values(rendered, column):
                for problem in check_cell(cell, statements, requests_for(row, values), values):
                    problems.append(f"{row.label!r} / {column}: {problem}")
    assert not problems, "\n".join(dict.fromkeys(problems))


# --------------------------------------------------------------------------------------------
# The evaluator itself
# --------------------------------------------------------------------------------------------


def _statement(effect: str, action: str, resource: Any, *conditions: Condition) -> Statement:
    return Statement(
        "t/p", "S", effect, (action,), None, (resource,), None, frozenset(conditions), True
    )


def test_evaluator_matches_like_iam() -> None:
    bucket = _statement("Allow", "s3:Get*", "arn:aws:s3:::team/*")
    assert iam_eval.applies(bucket, Request("S3:getobject", "arn:aws:s3:::team/a/b", {}))
    assert not iam_eval.applies(bucket, Request("s3:GetObject", "arn:aws:s3:::TEAM/a", {}))
    assert not iam_eval.applies(bucket, Request("s3:PutObject", "arn:aws:s3:::team/a", {}))
    deny = _statement("Deny", "s3:GetObject", "*")
    verdict = iam_eval.decide([bucket, deny], [Request("s3:GetObject", "arn:aws:s3:::team/a", {})])
    assert verdict.verdict == DENIED and verdict.deciding == (deny,)
    unknown_resource = _statement("Allow", "s3:GetObject", UNKNOWN)
    request = Request("s3:GetObject", "arn:aws:s3:::team/a", {})
    assert iam_eval.decide([unknown_resource], [request]).verdict == UNDECIDED


def test_evaluator_conditions() -> None:
    status = "sagemaker:ModelApprovalStatus"
    if_exists = Condition("StringEqualsIfExists", status, ("PendingManualApproval",))
    assert iam_eval.condition_holds(if_exists, {})
    assert iam_eval.condition_holds(if_exists, {status: "PendingManualApproval"})
    assert not iam_eval.condition_holds(if_exists, {status: "Approved"})
    not_equals = Condition("StringNotEquals", status, ("PendingManualApproval",))
    assert iam_eval.condition_holds(not_equals, {})  # negated operators hold without the key
    present = Condition("Null", status, ("false",))
    assert not iam_eval.condition_holds(present, {})
    subnets = Condition("ForAllValues:StringEquals", "sagemaker:VpcSubnets", ("a", "b"))
    assert iam_eval.condition_holds(subnets, {})  # vacuously true: hence the Null check
    assert iam_eval.condition_holds(subnets, {"sagemaker:vpcsubnets": ("a", "b")})
    assert not iam_eval.condition_holds(subnets, {"sagemaker:VpcSubnets": ("a", "c")})
    unknown = Condition("StringNotEquals", "aws:ResourceTag/x", (UNKNOWN,))
    assert iam_eval.condition_holds(unknown, {"aws:ResourceTag/x": "y"}) is None
    with pytest.raises(ValueError, match="unsupported"):
        iam_eval.condition_holds(Condition("DateLessThan", "aws:CurrentTime", ("x",)), {})


def test_readme_cells_parse() -> None:
    cell = parse_cell(
        "Allowed (`RegisterPendingModelPackages`) if `sagemaker:ModelApprovalStatus` "
        "StringEqualsIfExists `PendingManualApproval`"
    )
    assert cell.verdict == ALLOWED and cell.sids == {"RegisterPendingModelPackages"}
    assert cell.conditions == {
        ("StringEqualsIfExists", "sagemaker:ModelApprovalStatus", ("PendingManualApproval",))
    }
    assert parse_cell("Not allowed").verdict == NOT_ALLOWED
    with pytest.raises(ValueError):
        parse_cell("Allowed")  # names no statement
    with pytest.raises(ValueError):
        parse_cell("allowed (`X`)")


# --------------------------------------------------------------------------------------------
# Real calls in moto
# --------------------------------------------------------------------------------------------
#
# What moto 5.2.5 evaluates (moto/iam/access_control.py): an assumed role's inline and attached
# policies; Action and Resource patterns (`*` only; actions compared case-sensitively) and
# explicit Deny over Allow. Conditions are not evaluated for identity policies (moto passes no
# request context and knows only StringEquals), and every call of a service other than S3 is
# authorized against Resource "*" unless its responses class names the resource. So a real call
# checks a cell faithfully only when every statement concerning the action has no condition and
# a resource moto compares: S3 (moto passes the bucket or object ARN), "*", or the SageMaker
# calls below, whose resource this test tells moto (`SAGEMAKER_RESOURCE`). A Denied cell decided
# by such a deny is faithful whatever else matches (any deny wins). The domain-scoped policies
# cannot be created (no JSON), so a cell concerned by one of their statements is not eligible.


def _sagemaker_arn(response: Any, kind: str, parameter: str) -> str:
    """The ARN SageMaker gives the named resource (names are lower-cased in ARNs)."""
    name = response._get_param(parameter).lower()
    return f"arn:aws:sagemaker:{response.region}:{response.current_account}:{kind}/{name}"


# The resource IAM authorizes these calls against (Service Authorization Reference), read from
# the request as SageMaker does; anything else stays "*", moto's default.
SAGEMAKER_RESOURCE: dict[str, Callable[[Any], str]] = {
    "UpdateModelPackage": lambda response: response._get_param("ModelPackageArn"),
    "CreateModelPackageGroup": lambda response: _sagemaker_arn(
        response, "model-package-group", "ModelPackageGroupName"
    ),
    "PutModelPackageGroupPolicy": lambda response: _sagemaker_arn(
        response, "model-package-group", "ModelPackageGroupName"
    ),
    "StartPipelineExecution": lambda response: _sagemaker_arn(response, "pipeline", "PipelineName"),
}


@contextmanager
def _sagemaker_resources_for_moto() -> Iterator[None]:
    from moto.sagemaker.responses import SageMakerResponse

    def determine_resource(self: Any) -> str:
        resolve = SAGEMAKER_RESOURCE.get(self._get_action())
        return resolve(self) if resolve else "*"

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(SageMakerResponse, "_determine_resource", determine_resource, raising=False)
        yield


def moto_evaluates(statement: Statement, action: str) -> bool:
    service, name = action.split(":", 1)
    return (
        statement.rendered
        and not statement.conditions
        and statement.not_resources is None
        and (
            statement.resources == ("*",)
            or service == "s3"
            or (service == "sagemaker" and name in SAGEMAKER_RESOURCE)
        )
    )


@dataclass(frozen=True)
class Call:
    """How to make one row's call with a session; `implemented` is False when moto has no
    such operation (then only a denial can be observed)."""

    make: Callable[[boto3.Session, Request, Mapping[str, Any]], Any]
    implemented: bool = True


def _name_of(arn_: str) -> str:
    return arn_.split(":", 5)[5].split("/", 1)[1]


def _s3_target(arn_: str) -> tuple[str, str]:
    bucket, key = arn_.removeprefix("arn:aws:s3:::").split("/", 1)
    return bucket, key


IMAGE = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/train:1"
TRAINING: dict[str, Any] = {
    "AlgorithmSpecification": {"TrainingImage": IMAGE, "TrainingInputMode": "File"},
    "OutputDataConfig": {"S3OutputPath": "s3://bucket/out"},
    "ResourceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 5},
    "StoppingCondition": {"MaxRuntimeInSeconds": 60},
}


def _sagemaker(session: boto3.Session) -> Any:
    return session.client("sagemaker")


def _training_job(session: boto3.Session, request: Request, values: Mapping[str, Any]) -> Any:
    vpc = {}
    if "sagemaker:VpcSubnets" in request.context:
        vpc["VpcConfig"] = {
            "Subnets": list(request.context["sagemaker:VpcSubnets"]),
            "SecurityGroupIds": list(request.context["sagemaker:VpcSecurityGroupIds"]),
        }
    return _sagemaker(session).create_training_job(
        TrainingJobName=_name_of(request.resource),
        RoleArn=f"arn:aws:iam::{values['account']}:role/{values['name']}-pipeline-execution",
        **TRAINING,
        **vpc,
    )


CALLS: dict[str, Call] = {
    "sagemaker:UpdateModelPackage": Call(
        lambda s, r, v: _sagemaker(s).update_model_package(
            ModelPackageArn=r.resource, ModelApprovalStatus="Approved"
        )
    ),
    "sagemaker:CreateModelPackageGroup": Call(
        lambda s, r, v: _sagemaker(s).create_model_package_group(
            ModelPackageGroupName=_name_of(r.resource)
        )
    ),
    "sagemaker:PutModelPackageGroupPolicy": Call(
        lambda s, r, v: _sagemaker(s).put_model_package_group_policy(
            ModelPackageGroupName=_name_of(r.resource), ResourcePolicy="{}"
        ),
        implemented=False,
    ),
    "sagemaker:StartPipelineExecution": Call(
        lambda s, r, v: _sagemaker(s).start_pipeline_execution(PipelineName=_name_of(r.resource))
    ),
    "sagemaker:CreateTrainingJob": Call(_training_job),
    "sagemaker:CreateUserProfile": Call(
        lambda s, r, v: _sagemaker(s).create_user_profile(
            DomainId="d-notknownyet", UserProfileName="mallory"
        )
    ),
    "sagemaker:CreatePresignedDomainUrl": Call(
        lambda s, r, v: _sagemaker(s).create_presigned_domain_url(
            DomainId="d-notknownyet", UserProfileName="someone"
        ),
        implemented=False,
    ),
    "s3:GetObject": Call(
        lambda s, r, v: (
            s.client("s3")
            .get_object(Bucket=_s3_target(r.resource)[0], Key=_s3_target(r.resource)[1])["Body"]
            .read()
        )
    ),
    "s3:PutObject": Call(
        lambda s, r, v: s.client("s3").put_object(
            Bucket=_s3_target(r.resource)[0], Key=_s3_target(r.resource)[1], Body=b"x"
        )
    ),
}


def real_call_eligible(
    row: Row, cell: Cell, statements: Sequence[Statement], requests: Sequence[Request]
) -> bool:
    call = CALLS.get(row.action)
    if call is None or len(requests) != 1:
        return False
    if cell.verdict == ALLOWED and not call.implemented:
        return False
    concerned = [s for s in statements if iam_eval.action_matches(s, row.action) is not False]
    if cell.verdict == DENIED:
        deciding = iam_eval.decide(statements, requests).deciding
        return any(moto_evaluates(s, row.action) for s in deciding)
    return all(moto_evaluates(s, row.action) for s in concerned)


def _setup_moto_world(rendered: Rendered, values: Mapping[str, Any]) -> dict[str, boto3.Session]:
    """Roles with the rendered policies, the resources the calls name; sessions per role."""
    region = values["region"]
    iam = boto3.client("iam", region_name=region)
    for arn_, (name, path, document) in rendered.managed.items():
        created = iam.create_policy(PolicyName=name, Path=path, PolicyDocument=document)
        assert created["Policy"]["Arn"] == arn_, (created["Policy"]["Arn"], arn_)
    sessions = {}
    sts = boto3.client("sts", region_name=region)
    for column in COLUMNS:
        role = role_name(rendered, column)
        path, trust = rendered.trust[role]
        # The trust policy is the rendered one, unchanged: roles are assumed before moto's
        # authorization is switched on, so moto never evaluates it (no adjustment needed).
        created = iam.create_role(RoleName=role, Path=path, AssumeRolePolicyDocument=trust)
        for key, document in rendered.documents[role].items():
            kind, _, name = key.partition(":")
            if kind == "inline":
                iam.put_role_policy(RoleName=role, PolicyName=name, PolicyDocument=document)
            else:
                iam.attach_role_policy(RoleName=role, PolicyArn=name)
        credentials = sts.assume_role(RoleArn=created["Role"]["Arn"], RoleSessionName="matrix")[
            "Credentials"
        ]
        sessions[column] = boto3.Session(
            aws_access_key_id=credentials["AccessKeyId"],
            aws_secret_access_key=credentials["SecretAccessKey"],
            aws_session_token=credentials["SessionToken"],
            region_name=region,
        )

    s3 = boto3.client("s3", region_name=region)
    other_bucket = substitute("mlgov-team-b-data-333333333333-<region>", values)
    for bucket in (values["data bucket"], values["artifact bucket"], other_bucket):
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region})
        s3.put_object(Bucket=bucket, Key="raw/train.csv", Body=b"a,b\n1,2\n")
    sagemaker = boto3.client("sagemaker", region_name=region)
    for group in (f"{values['name']}-churn", "mlgov-team-b-churn"):
        sagemaker.create_model_package_group(ModelPackageGroupName=group)
        sagemaker.create_model_package(
            ModelPackageGroupName=group,
            ModelApprovalStatus="PendingManualApproval",
            InferenceSpecification={
                "Containers": [{"Image": IMAGE}],
                "SupportedContentTypes": ["text/csv"],
                "SupportedResponseMIMETypes": ["text/csv"],
            },
        )
    sagemaker.create_pipeline(
        PipelineName=f"{values['name']}-training",
        PipelineDefinition=json.dumps({"Version": "2020-12-01", "Steps": []}),
        RoleArn=f"arn:aws:iam::{values['account']}:role/{values['name']}-pipeline-execution",
    )
    return sessions


def _access_denied(error: ClientError) -> bool:
    """moto's authorization refusal. For JSON services (SageMaker) moto answers with its XML
    error body, which botocore cannot parse: the code is then only in the message."""
    detail = error.response["Error"]
    return detail.get("Code") == "AccessDenied" or (
        error.response["ResponseMetadata"]["HTTPStatusCode"] == 403
        and "<Code>AccessDenied</Code>" in detail.get("Message", "")
    )


def test_real_calls_in_moto(rendered: Rendered) -> None:
    from moto import mock_aws
    from moto.core import set_initial_no_auth_action_count

    eligible = []
    for row in readme_rows():
        for column, cell in row.cells.items():
            statements = rendered.roles[role_name(rendered, column)]
            values_sets = column_values(rendered, column)
            if all(
                real_call_eligible(row, cell, statements, requests_for(row, values))
                for values in values_sets
            ):
                eligible.append((row, column, cell, values_sets[0]))
    assert {(row.label, column) for row, column, _, _ in eligible} == REAL_CALL_CELLS

    problems = []
    with mock_aws(), _sagemaker_resources_for_moto():
        sessions = _setup_moto_world(rendered, rendered.placeholders)

        # From here on moto authorizes every request (0 calls without authorization).
        @set_initial_no_auth_action_count(0)
        def call_all() -> None:
            for row, column, cell, values in eligible:
                (request,) = requests_for(row, values)
                try:
                    CALLS[row.action].make(sessions[column], request, values)
                    outcome = ALLOWED
                except ClientError as error:
                    outcome = "AccessDenied" if _access_denied(error) else f"error {error}"
                expected = ALLOWED if cell.verdict == ALLOWED else "AccessDenied"
                if outcome != expected:
                    problems.append(f"{row.label!r} / {column}: expected {expected}, got {outcome}")

        call_all()
    assert not problems, "\n".join(problems)
