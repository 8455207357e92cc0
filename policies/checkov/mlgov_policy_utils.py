"""Shared IAM-policy reading for the CKV_MLGOV_* checkov checks.

Why this exists: checkov hands a check the *rendered* Terraform configuration, and the same
policy reaches it in two shapes. A `data "aws_iam_policy_document"` block arrives as HCL
blocks (`statement`, `principals`, `condition`, sometimes `dynamic`), every value wrapped in a
list; an inline `jsonencode({...})` or JSON string arrives as an IAM JSON document. This module
turns both into one `Statement` model and classifies principals, so each check states its rule
once.

checkov's renderer leaves some expressions unevaluated: a `for` expression becomes an empty
list, `formatlist(...)`/`keys(...)` stay as text, `dynamic` blocks keep their template. Those
principals are classified UNRESOLVED: the checks cannot prove them exact, so they require the
organization condition (fail closed), which is the platform's rule for every cross-account
policy anyway.

Pure Python on purpose (no checkov import): the checks import it from checkov's venv, and the
test suite imports it from the project venv to unit-test the classification quickly.
"""

from __future__ import annotations

import ast
import fnmatch
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

#: Condition keys that pin a principal to the AWS Organization (or an OU path inside it).
ORG_CONDITION_KEYS = frozenset({"aws:principalorgid", "aws:principalorgpaths"})

#: Condition key that pins an account-wide principal to one exact IAM principal ARN.
PRINCIPAL_ARN_CONDITION_KEY = "aws:principalarn"

# Positive comparison operators only. Negated operators (StringNotEquals...) widen access,
# `...IfExists` passes when the key is absent (principals outside any organization have no
# aws:PrincipalOrgID), `ForAllValues:` passes on an empty key, and `Null` only tests presence.
_POSITIVE_OPERATORS = frozenset(
    {"stringequals", "stringequalsignorecase", "stringlike", "arnequals", "arnlike"}
)

_INTERPOLATION = re.compile(r"\$\{[^}]*\}")
_SINGLE_REFERENCE = re.compile(r"^(?:\$\{)?\s*(?:var|local|module|data)\.[\w.\-\[\]\"]+\s*\}?$")
_ACCOUNT_ID = re.compile(r"^\d{12}$")
_ROOT_ARN = re.compile(r"^arn:[^:]*:iam::(?P<account>[^:]*):root$")
_EXACT_ARN = re.compile(
    r"^arn:[^:]*:(?:iam|sts)::(?P<account>[^:]*):(?:role|user|assumed-role)/(?P<name>.+)$"
)


class PrincipalKind(Enum):
    """How far a principal reaches, as far as it can be told from the configuration text."""

    SERVICE = "service"  # Service / Federated / CanonicalUser: not an account-wide grant
    EXACT = "exact"  # one named role or user ARN
    SAME_ACCOUNT = "same-account"  # the caller's own account (data.aws_caller_identity)
    ACCOUNT = "account"  # an account root or a bare account id: anyone that account allows
    WILDCARD = "wildcard"  # "*" or a pattern: anyone
    UNRESOLVED = "unresolved"  # checkov could not render it; cannot be proven exact


@dataclass(frozen=True)
class Principal:
    """One principal identifier of a statement, with its type (AWS, Service, *...)."""

    type: str
    identifier: str
    kind: PrincipalKind


@dataclass(frozen=True)
class Condition:
    """One condition of a statement: operator (test), key (variable) and values."""

    operator: str
    key: str
    values: tuple[str, ...]


@dataclass
class Statement:
    """A policy statement reduced to what the checks look at."""

    effect: str = "Allow"
    actions: list[str] = field(default_factory=list)
    not_actions: bool = False
    principals: list[Principal] = field(default_factory=list)
    not_principals: bool = False
    conditions: list[Condition] = field(default_factory=list)
    label: str = ""

    @property
    def allows(self) -> bool:
        """True for Allow statements; Deny statements only ever restrict."""
        return self.effect.strip().lower() != "deny"

    def grants(self, action: str) -> bool:
        """True when the statement's actions cover `action` (wildcards, NotAction included)."""
        if self.not_actions:
            # Allow + NotAction grants everything not listed: treat it as covering the action.
            return True
        wanted = action.lower()
        return any(fnmatch.fnmatchcase(wanted, pattern.lower()) for pattern in self.actions)

    def grants_service(self, service: str) -> bool:
        """True when any action belongs to `service` (e.g. "events") or is a bare wildcard."""
        if self.not_actions:
            return True
        prefix = service.lower() + ":"
        return any(a == "*" or a.lower().startswith(prefix) for a in self.actions)

    def has_org_condition(self) -> bool:
        """True when a positive aws:PrincipalOrgID / aws:PrincipalOrgPaths condition is set."""
        return any(_restricts(c) and c.key.lower() in ORG_CONDITION_KEYS for c in self.conditions)

    def has_exact_principal_arn_condition(self) -> bool:
        """True when aws:PrincipalArn is pinned to ARNs without wildcards."""
        for cond in self.conditions:
            if cond.key.lower() != PRINCIPAL_ARN_CONDITION_KEY or not _restricts(cond):
                continue
            if all(_EXACT_ARN.match(v) and not _has_wildcard(v) for v in cond.values):
                return True
        return False

    def describe(self) -> str:
        """Short human label for failure details."""
        return self.label or "statement"


def _restricts(cond: Condition) -> bool:
    op = cond.operator.strip().lower()
    if op.startswith("forallvalues:"):
        return False
    op = op.removeprefix("foranyvalue:")
    if op not in _POSITIVE_OPERATORS:
        return False
    # A value of "*" restricts nothing; an unrendered reference is accepted (it is a value).
    return bool(cond.values) and all(v.strip() != "*" for v in cond.values)


def _has_wildcard(text: str) -> bool:
    literal = _INTERPOLATION.sub("", text)
    return "*" in literal or "?" in literal


def flatten(value: Any) -> Iterator[Any]:
    """Yield the leaves of checkov's nested list wrapping (`[["a", "b"]]` -> "a", "b")."""
    if isinstance(value, (list, tuple)):
        for item in value:
            yield from flatten(item)
    else:
        yield value


def strings(value: Any) -> list[str]:
    """Leaves of `value` as strings; a rendered Python/JSON list literal in text is expanded."""
    out: list[str] = []
    for leaf in flatten(value):
        if leaf is None:
            continue
        if isinstance(leaf, str):
            text = leaf.strip()
            if text.startswith("[") and text.endswith("]"):
                parsed = _parse_list_literal(text)
                if parsed is not None:
                    out.extend(strings(parsed))
                    continue
            out.append(text)
        elif isinstance(leaf, (int, float)) and not isinstance(leaf, bool):
            out.append(str(leaf))
        else:
            out.append(json.dumps(leaf, sort_keys=True, default=str))
    return out


def _parse_list_literal(text: str) -> list[Any] | None:
    for parse in (json.loads, ast.literal_eval):
        try:
            parsed = parse(text)
        except (ValueError, SyntaxError, TypeError):
            continue
        if isinstance(parsed, list):
            return parsed
    return None


def first_string(value: Any, default: str = "") -> str:
    """First leaf of a checkov-wrapped scalar (`["Allow"]` -> "Allow")."""
    found = strings(value)
    return found[0] if found else default


def classify(principal_type: str, identifier: str) -> PrincipalKind:
    """Classify one principal identifier of the given principal type."""
    ptype = principal_type.strip()
    if ptype.lower() in {"service", "federated", "canonicaluser"}:
        return PrincipalKind.SERVICE
    ident = identifier.strip()
    if ident.startswith("${") and ident.endswith("}") and ident.count("${") == 1:
        ident = ident[2:-1].strip()
    if ident == "*" or ptype == "*":
        return PrincipalKind.WILDCARD
    exact = _EXACT_ARN.match(ident)
    if exact:
        if _has_wildcard(exact.group("name")) or _has_wildcard(exact.group("account")):
            return PrincipalKind.WILDCARD
        return PrincipalKind.EXACT
    root = _ROOT_ARN.match(ident)
    if root:
        account = root.group("account")
        if "aws_caller_identity" in account:
            return PrincipalKind.SAME_ACCOUNT
        if _has_wildcard(account):
            return PrincipalKind.WILDCARD
        return PrincipalKind.ACCOUNT
    if _ACCOUNT_ID.match(ident):
        return PrincipalKind.ACCOUNT
    if "aws_caller_identity" in ident and "account_id" in ident and _SINGLE_REFERENCE.match(ident):
        return PrincipalKind.SAME_ACCOUNT
    if _has_wildcard(ident) and not _SINGLE_REFERENCE.match(ident):
        return PrincipalKind.WILDCARD
    return PrincipalKind.UNRESOLVED


# --- HCL data "aws_iam_policy_document" -------------------------------------------------


def statements_from_policy_document(conf: dict[str, Any]) -> list[Statement]:
    """Statements of a rendered `aws_iam_policy_document` data block (incl. dynamic ones)."""
    raw: list[tuple[dict[str, Any], bool]] = [
        (s, False) for s in _blocks(conf.get("statement")) if isinstance(s, dict)
    ]
    raw.extend((s, True) for s in _dynamic_contents(conf, "statement"))
    result = []
    for index, (block, from_dynamic) in enumerate(raw, start=1):
        sid = first_string(block.get("sid"))
        label = f"statement {sid or index}" + (" (dynamic)" if from_dynamic else "")
        result.append(_statement_from_hcl(block, label))
    return result


def _blocks(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, dict):
        return [value]
    return [b for b in flatten(value)]


def _dynamic_contents(
    block: dict[str, Any], name: str, *, restricting: bool = False
) -> list[dict[str, Any]]:
    """Templates of `dynamic "<name>"` blocks that checkov left unexpanded.

    A dynamic block exists only when its `for_each` is non-empty. Templates that could grant
    access (statements, principals) are read unless `for_each` is known to be empty, so they
    are never missed; templates that restrict access (`restricting`, i.e. conditions) count
    only when `for_each` is known to be non-empty, so an absent condition is never credited.
    """
    contents: list[dict[str, Any]] = []
    for dyn in _blocks(block.get("dynamic")):
        if not isinstance(dyn, dict) or name not in dyn:
            continue
        for spec in _blocks(dyn[name]):
            if not isinstance(spec, dict):
                continue
            size = _known_size(spec.get("for_each"))
            if size == 0 or (restricting and size is None):
                continue
            contents.extend(c for c in _blocks(spec.get("content")) if isinstance(c, dict))
    return contents


def _known_size(for_each: Any) -> int | None:
    """Number of elements of a rendered `for_each`, or None when checkov left it unrendered."""
    value = for_each[0] if isinstance(for_each, list) and len(for_each) == 1 else for_each
    if isinstance(value, (list, dict)):
        return len(value)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if "${" in text or re.search(r"\b(?:var|local|module|data)\.", text):
        return None
    if (text.startswith("[") and text.endswith("]")) or (
        text.startswith("{") and text.endswith("}")
    ):
        return 0 if not text[1:-1].strip() else 1
    return None


def _statement_from_hcl(block: dict[str, Any], label: str) -> Statement:
    stmt = Statement(label=label, effect=first_string(block.get("effect"), "Allow"))
    if "not_actions" in block:
        stmt.not_actions = True
    stmt.actions = strings(block.get("actions"))
    for key, negated in (("principals", False), ("not_principals", True)):
        blocks = [b for b in _blocks(block.get(key)) if isinstance(b, dict)]
        blocks.extend(_dynamic_contents(block, key))
        if blocks and negated:
            stmt.not_principals = True
        for principal_block in blocks:
            ptype = first_string(principal_block.get("type"))
            identifiers = strings(principal_block.get("identifiers"))
            if not identifiers:
                # checkov renders a `for` expression it cannot evaluate as an empty list.
                stmt.principals.append(Principal(ptype, "<unrendered>", _unrendered_kind(ptype)))
            for ident in identifiers:
                stmt.principals.append(Principal(ptype, ident, classify(ptype, ident)))
    conditions = [b for b in _blocks(block.get("condition")) if isinstance(b, dict)]
    conditions.extend(_dynamic_contents(block, "condition", restricting=True))
    for cond in conditions:
        stmt.conditions.append(
            Condition(
                operator=first_string(cond.get("test")),
                key=first_string(cond.get("variable")),
                values=tuple(strings(cond.get("values"))),
            )
        )
    return stmt


def _unrendered_kind(principal_type: str) -> PrincipalKind:
    if principal_type.strip().lower() in {"service", "federated", "canonicaluser"}:
        return PrincipalKind.SERVICE
    return PrincipalKind.UNRESOLVED


# --- IAM JSON (jsonencode / heredoc / JSON string) --------------------------------------


def load_json_policy(value: Any) -> dict[str, Any] | None:
    """The policy document behind a rendered attribute, or None when it is a reference.

    A reference such as `data.aws_iam_policy_document.x.json` cannot be read here; the
    data-source half of each check evaluates that document where it is declared.
    """
    leaves = list(flatten(value))
    if len(leaves) != 1:
        return None
    doc = leaves[0]
    if isinstance(doc, str):
        text = doc.strip()
        if not text.startswith("{"):
            return None
        try:
            doc = json.loads(text)
        except ValueError:
            return None
    if isinstance(doc, dict) and "Statement" in doc:
        return doc
    return None


def statements_from_json(policy: dict[str, Any]) -> list[Statement]:
    """Statements of an IAM JSON policy document."""
    raw = policy.get("Statement")
    items = raw if isinstance(raw, list) else [raw]
    result = []
    for index, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            continue
        sid = item.get("Sid") if isinstance(item.get("Sid"), str) else ""
        stmt = Statement(label=f"statement {sid or index}", effect=str(item.get("Effect", "Allow")))
        if "NotAction" in item:
            stmt.not_actions = True
        stmt.actions = strings(item.get("Action"))
        for key, negated in (("Principal", False), ("NotPrincipal", True)):
            if key not in item:
                continue
            if negated:
                stmt.not_principals = True
            stmt.principals.extend(_json_principals(item[key]))
        stmt.conditions = list(_json_conditions(item.get("Condition")))
        result.append(stmt)
    return result


def _json_principals(value: Any) -> Iterable[Principal]:
    if isinstance(value, dict):
        for ptype, idents in value.items():
            found = strings(idents)
            if not found:
                yield Principal(str(ptype), "<unrendered>", _unrendered_kind(str(ptype)))
            for ident in found:
                yield Principal(str(ptype), ident, classify(str(ptype), ident))
    else:
        for ident in strings(value) or ["<unrendered>"]:
            kind = PrincipalKind.WILDCARD if ident == "*" else PrincipalKind.UNRESOLVED
            yield Principal("*", ident, kind)


def _json_conditions(value: Any) -> Iterable[Condition]:
    if not isinstance(value, dict):
        return
    for operator, keys in value.items():
        if not isinstance(keys, dict):
            continue
        for key, values in keys.items():
            yield Condition(str(operator), str(key), tuple(strings(values)))


# --- rules -------------------------------------------------------------------------------


def trust_problems(statements: Iterable[Statement]) -> list[str]:
    """Why a trust policy lets principals outside the organization assume the role.

    Applies to Allow statements granting sts:AssumeRole. Service/federated principals, exact
    role/user ARNs and the caller's own account are fine. An account root, `*` or a principal
    checkov could not render needs aws:PrincipalOrgID / aws:PrincipalOrgPaths, or an
    aws:PrincipalArn condition naming exact ARNs.
    """
    problems = []
    for stmt in statements:
        if not stmt.allows or not stmt.grants("sts:AssumeRole"):
            continue
        risky = [
            p
            for p in stmt.principals
            if p.kind in {PrincipalKind.ACCOUNT, PrincipalKind.WILDCARD, PrincipalKind.UNRESOLVED}
        ]
        if stmt.not_principals:
            risky = risky or [Principal("NotPrincipal", "*", PrincipalKind.WILDCARD)]
        if not risky:
            continue
        if stmt.has_org_condition() or stmt.has_exact_principal_arn_condition():
            continue
        who = ", ".join(f"{p.identifier} ({p.kind.value})" for p in risky)
        problems.append(
            f"{stmt.describe()}: sts:AssumeRole for {who} without an aws:PrincipalOrgID/"
            "aws:PrincipalOrgPaths condition or an exact role ARN"
        )
    return problems


def event_bus_problems(statements: Iterable[Statement], *, all_actions: bool) -> list[str]:
    """Why an event bus policy lets anyone outside the organization put events.

    `all_actions` is True for a bus policy resource (every statement is about the bus) and
    False for a policy document, where only statements granting events:* actions are read.
    Exact account ids/roots and role ARNs are fine; `*`, wildcards and principals checkov could
    not render need an aws:PrincipalOrgID / aws:PrincipalOrgPaths condition.
    """
    problems = []
    for stmt in statements:
        if not stmt.allows:
            continue
        if not all_actions and not stmt.grants_service("events"):
            continue
        risky = [
            p
            for p in stmt.principals
            if p.kind in {PrincipalKind.WILDCARD, PrincipalKind.UNRESOLVED}
        ]
        if stmt.not_principals:
            risky = risky or [Principal("NotPrincipal", "*", PrincipalKind.WILDCARD)]
        if not risky or stmt.has_org_condition():
            continue
        who = ", ".join(f"{p.identifier} ({p.kind.value})" for p in risky)
        problems.append(
            f"{stmt.describe()}: event bus access for {who} without an aws:PrincipalOrgID/"
            "aws:PrincipalOrgPaths condition"
        )
    return problems
