"""A small, explicit IAM evaluator for identity policies, for asserting who may do what.

It knows only what it needs and refuses the rest: Action/NotAction and Resource/NotResource with
the `*` and `?` wildcards (actions case-insensitive, resources case-sensitive), explicit Deny over
Allow, `Null`, and the condition operators listed in `_BASE_TESTS` and `_NEGATED` (with
`IfExists`, `ForAllValues:` and `ForAnyValue:`); any other operator raises. Values that Terraform
could not know at plan time are `UNKNOWN`, and evaluation is three-valued (Kleene): a result that
depends on one is `None`, never a guess. Principals are out of scope: SCPs, and the Deny
statements of resource policies that name every principal, are given as identity statements.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any


class _Unknown:
    """A value Terraform shows as "known after apply"."""

    _instance: _Unknown | None = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Any = _Unknown()

ALLOWED = "Allowed"
DENIED = "Denied"
NOT_ALLOWED = "Not allowed"
UNDECIDED = "undecided"


@dataclass(frozen=True)
class Condition:
    operator: str  # e.g. "StringEqualsIfExists", "ForAllValues:StringEquals"
    key: str
    values: tuple[Any, ...]  # strings, or UNKNOWN


@dataclass(frozen=True)
class Statement:
    source: str  # "<role>/<policy name>"
    sid: str
    effect: str
    actions: tuple[str, ...] | None
    not_actions: tuple[str, ...] | None
    resources: tuple[Any, ...] | None
    not_resources: tuple[Any, ...] | None
    conditions: frozenset[Condition]
    rendered: bool  # False: read from the data source's arguments, the JSON being unknown


@dataclass(frozen=True)
class Request:
    action: str
    resource: Any  # an ARN, or UNKNOWN
    context: Mapping[str, str | tuple[str, ...]]


@dataclass(frozen=True)
class Decision:
    verdict: str  # ALLOWED, DENIED, NOT_ALLOWED or UNDECIDED
    deciding: tuple[Statement, ...]  # the statements that apply (of the verdict's effect)
    undecided: tuple[Statement, ...]  # statements whose applying depends on an unknown value


def _tuple(value: Any) -> tuple[Any, ...]:
    return tuple(value) if isinstance(value, list | tuple) else (value,)


def statements_from_json(document: str, source: str) -> list[Statement]:
    """The statements of a rendered policy document."""
    policy = json.loads(document)
    statements = policy["Statement"]
    result = []
    for raw in statements if isinstance(statements, list) else [statements]:
        if "Principal" in raw or "NotPrincipal" in raw:
            raise ValueError(f"{source}: a principal in an identity policy: {raw}")
        conditions = frozenset(
            Condition(operator, key, tuple(str(v) for v in _tuple(values)))
            for operator, block in (raw.get("Condition") or {}).items()
            for key, values in block.items()
        )
        result.append(
            Statement(
                source=source,
                sid=raw.get("Sid", ""),
                effect=raw["Effect"],
                actions=_tuple(raw["Action"]) if "Action" in raw else None,
                not_actions=_tuple(raw["NotAction"]) if "NotAction" in raw else None,
                resources=_tuple(raw["Resource"]) if "Resource" in raw else None,
                not_resources=_tuple(raw["NotResource"]) if "NotResource" in raw else None,
                conditions=conditions,
                rendered=True,
            )
        )
    return result


def _with_unknowns(values: Sequence[Any] | None, marks: Any) -> tuple[Any, ...] | None:
    """Values of a list argument, with UNKNOWN where the plan's after_unknown marks one."""
    if marks is True:
        return (UNKNOWN,)  # the whole list is unknown; it names at least one value
    if values is None:
        return None
    marks = marks if isinstance(marks, list) else [False] * len(values)
    pairs = zip(values, marks, strict=True)
    return tuple(UNKNOWN if mark is True else value for value, mark in pairs)


def statements_from_arguments(
    blocks: Sequence[Mapping[str, Any]], unknown: Sequence[Any] | Any, source: str
) -> list[Statement]:
    """Statements of an `aws_iam_policy_document` whose `json` is unknown at plan time, from the
    `statement` blocks as Terraform evaluated them (`change.after` of the data source), unknown
    elements marked from `change.after_unknown`. Block attributes are the provider's schema."""
    if unknown is True:
        raise ValueError(f"{source}: every statement is unknown at plan time")
    result = []
    for index, block in enumerate(blocks):
        marks = unknown[index] if isinstance(unknown, list) and index < len(unknown) else {}
        if block.get("principals") or block.get("not_principals"):
            raise ValueError(f"{source}: a principal in an identity policy: {block}")
        conditions = []
        condition_marks = marks.get("condition") or []
        for position, condition in enumerate(block.get("condition") or []):
            mark = condition_marks[position] if position < len(condition_marks) else {}
            values = _with_unknowns(condition["values"], (mark or {}).get("values"))
            if condition["test"] is None or condition["variable"] is None or values is None:
                raise ValueError(f"{source}: a condition with an unknown test or key: {condition}")
            conditions.append(Condition(condition["test"], condition["variable"], values))
        result.append(
            Statement(
                source=source,
                sid=block.get("sid") or "",
                effect=block.get("effect") or "Allow",  # the provider's default
                actions=_with_unknowns(block.get("actions"), marks.get("actions")),
                not_actions=_with_unknowns(block.get("not_actions"), marks.get("not_actions")),
                resources=_with_unknowns(block.get("resources"), marks.get("resources")),
                not_resources=_with_unknowns(
                    block.get("not_resources"), marks.get("not_resources")
                ),
                conditions=frozenset(conditions),
                rendered=False,
            )
        )
    return result


# -- matching -------------------------------------------------------------------------------------


def glob(pattern: Any, value: Any, *, case_sensitive: bool) -> bool | None:
    """IAM wildcard match: `*` any run of characters, `?` one character, nothing else special."""
    if pattern == "*":
        return True
    if pattern is UNKNOWN or value is UNKNOWN:
        return None
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in str(pattern))
    flags = 0 if case_sensitive else re.IGNORECASE
    return re.fullmatch(regex, str(value), flags) is not None


def _any(results: Iterable[bool | None]) -> bool | None:
    seen_unknown = False
    for result in results:
        if result is True:
            return True
        seen_unknown |= result is None
    return None if seen_unknown else False


def _all(results: Iterable[bool | None]) -> bool | None:
    seen_unknown = False
    for result in results:
        if result is False:
            return False
        seen_unknown |= result is None
    return None if seen_unknown else True


def _not(result: bool | None) -> bool | None:
    return None if result is None else not result


def action_matches(statement: Statement, action: str) -> bool | None:
    if statement.actions is not None:
        return _any(glob(p, action, case_sensitive=False) for p in statement.actions)
    assert statement.not_actions is not None, statement
    return _not(_any(glob(p, action, case_sensitive=False) for p in statement.not_actions))


def resource_matches(statement: Statement, resource: Any) -> bool | None:
    if statement.resources is not None:
        return _any(glob(p, resource, case_sensitive=True) for p in statement.resources)
    assert statement.not_resources is not None, statement
    return _not(_any(glob(p, resource, case_sensitive=True) for p in statement.not_resources))


def _string_equals(expected: str, actual: str) -> bool | None:
    return expected == actual


def _string_like(expected: str, actual: str) -> bool | None:
    return glob(expected, actual, case_sensitive=True)


def _bool(expected: str, actual: str) -> bool | None:
    return expected.lower() == actual.lower()


def _numeric(compare: Any) -> Any:
    def test(expected: str, actual: str) -> bool | None:
        return compare(float(actual), float(expected))

    return test


# Positive operators; the negated ones ("StringNotEquals", ...) are their negation.
_BASE_TESTS = {
    "NumericEquals": _numeric(lambda actual, expected: actual == expected),
    "NumericLessThan": _numeric(lambda actual, expected: actual < expected),
    "NumericLessThanEquals": _numeric(lambda actual, expected: actual <= expected),
    "NumericGreaterThan": _numeric(lambda actual, expected: actual > expected),
    "NumericGreaterThanEquals": _numeric(lambda actual, expected: actual >= expected),
    "StringEquals": _string_equals,
    "StringLike": _string_like,
    "ArnEquals": _string_like,  # ArnEquals and ArnLike both take wildcards
    "ArnLike": _string_like,
    "Bool": _bool,
}
_NEGATED = {
    "StringNotEquals": "StringEquals",
    "StringNotLike": "StringLike",
    "ArnNotEquals": "ArnEquals",
    "ArnNotLike": "ArnLike",
    "NumericNotEquals": "NumericEquals",
}


def condition_holds(condition: Condition, context: Mapping[str, Any]) -> bool | None:
    """Whether one condition holds for the request context (keys are case-insensitive)."""
    qualifier, _, operator = condition.operator.rpartition(":")
    if qualifier not in ("", "ForAllValues", "ForAnyValue"):
        raise ValueError(f"unsupported condition qualifier {condition.operator}")
    if_exists = operator.endswith("IfExists")
    operator = operator.removesuffix("IfExists")
    lowered = {k.lower(): v for k, v in context.items()}
    present = condition.key.lower() in lowered

    if operator == "Null":
        if condition.values not in (("true",), ("false",)):
            raise ValueError(f"Null takes one value, true or false: {condition}")
        return (not present) == (condition.values[0] == "true")

    negated = operator in _NEGATED
    base = _NEGATED.get(operator, operator)
    if base not in _BASE_TESTS:
        raise ValueError(f"unsupported condition operator {condition.operator}")
    if not present:
        # AWS: IfExists is true without the key; ForAllValues is true for an empty set and
        # ForAnyValue false; otherwise a negated operator is true and a positive one false.
        if if_exists or qualifier == "ForAllValues":
            return True
        if qualifier == "ForAnyValue":
            return False
        return negated
    test = _BASE_TESTS[base]

    def one(actual: str) -> bool | None:
        result = _any(
            None if expected is UNKNOWN else test(expected, actual) for expected in condition.values
        )
        return _not(result) if negated else result

    actual_values = _tuple(lowered[condition.key.lower()])
    if qualifier == "ForAllValues":
        return _all(one(a) for a in actual_values)
    if qualifier == "ForAnyValue":
        return _any(one(a) for a in actual_values)
    if len(actual_values) != 1:
        raise ValueError(f"{condition.key} is multi-valued; {condition.operator} needs a set")
    return one(actual_values[0])


def applies(statement: Statement, request: Request) -> bool | None:
    """Whether the statement concerns the request: action, resource and every condition."""
    return _all(
        [
            action_matches(statement, request.action),
            resource_matches(statement, request.resource),
            *(condition_holds(c, request.context) for c in statement.conditions),
        ]
    )


def decide_one(statements: Sequence[Statement], request: Request) -> Decision:
    results = [(s, applies(s, request)) for s in statements]
    denies = tuple(s for s, r in results if s.effect == "Deny" and r is True)
    allows = tuple(s for s, r in results if s.effect == "Allow" and r is True)
    unsure_denies = tuple(s for s, r in results if s.effect == "Deny" and r is None)
    unsure_allows = tuple(s for s, r in results if s.effect == "Allow" and r is None)
    if denies:
        return Decision(DENIED, denies, ())
    if unsure_denies:
        return Decision(UNDECIDED, (), unsure_denies)
    if allows:
        return Decision(ALLOWED, allows, ())
    if unsure_allows:
        return Decision(UNDECIDED, (), unsure_allows)
    return Decision(NOT_ALLOWED, (), ())


def decide(statements: Sequence[Statement], requests: Sequence[Request]) -> Decision:
    """One call authorized against several resources (e.g. CreateModelPackage: the package and
    its group) is allowed only if allowed for each, and denied if denied for any."""
    decisions = [decide_one(statements, r) for r in requests]

    def merged(verdict: str) -> Decision:
        chosen = [d for d in decisions if d.verdict == verdict]
        deciding = tuple(dict.fromkeys(s for d in chosen for s in d.deciding))
        undecided = tuple(dict.fromkeys(s for d in chosen for s in d.undecided))
        return Decision(verdict, deciding, undecided)

    for verdict in (DENIED, UNDECIDED):
        if any(d.verdict == verdict for d in decisions):
            return merged(verdict)
    if all(d.verdict == ALLOWED for d in decisions):
        return merged(ALLOWED)
    return Decision(NOT_ALLOWED, (), ())
