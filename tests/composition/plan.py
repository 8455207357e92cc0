"""Plan-level view of the synthesized stacks: module internals rendered with the stack's arguments.

`terraform plan` cannot run offline, so the module calls in `cdk.tf.json` are evaluated with the
offline renderer of `tests/modules/policy_eval.py` (the same one that measures policy sizes):
policies come out as the JSON the AWS provider would send, and resource arguments and nested
blocks as Terraform would plan them.
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.modules.policy_eval import Instance, Stack, nested_blocks

MODULES_ROOT = Path(__file__).resolve().parents[2] / "modules"

__all__ = ["Instance", "actions_allowed", "load_stack", "nested_blocks", "policy", "statements"]


def load_stack(synthesized: Path, env_name: str) -> Stack:
    return Stack(synthesized / "stacks" / env_name, MODULES_ROOT)


def resource(stack: Stack, call: str, rtype: str, name: str) -> Instance:
    instance = stack.evaluator(call).instances("resource", rtype, name)
    assert isinstance(instance, Instance), f"{call}: {rtype}.{name} has several instances"
    return instance


def resources(stack: Stack, call: str, rtype: str) -> Iterator[tuple[str, Instance]]:
    return stack.evaluator(call).iter_instances("resource", rtype)


def policy(text: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(text)
    return document


def statements(document: dict[str, Any]) -> list[dict[str, Any]]:
    found = document["Statement"]
    return found if isinstance(found, list) else [found]


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def actions_allowed(document: dict[str, Any], action: str) -> list[dict[str, Any]]:
    """Allow statements whose Action (wildcards included) or NotAction admits `action`."""
    matched = []
    for statement in statements(document):
        if statement.get("Effect", "Allow") != "Allow":
            continue
        if "NotAction" in statement:
            excluded = any(
                fnmatch.fnmatchcase(action.lower(), pattern.lower())
                for pattern in _as_list(statement["NotAction"])
            )
            if not excluded:
                matched.append(statement)
        elif any(
            fnmatch.fnmatchcase(action.lower(), pattern.lower())
            for pattern in _as_list(statement.get("Action"))
        ):
            matched.append(statement)
    return matched


def actions_denied(document: dict[str, Any], action: str) -> list[dict[str, Any]]:
    return [
        statement
        for statement in statements(document)
        if statement.get("Effect") == "Deny"
        and any(
            fnmatch.fnmatchcase(action.lower(), pattern.lower())
            for pattern in _as_list(statement.get("Action"))
        )
    ]


def role_policies(stack: Stack, call: str) -> dict[str, list[dict[str, Any]]]:
    """Every IAM role of a module call: role name -> its inline policy documents."""
    roles = {address: inst for address, inst in resources(stack, call, "aws_iam_role")}
    documents: dict[str, list[dict[str, Any]]] = {}
    for _address, role in roles.items():
        documents.setdefault(role.argument("name"), [])
    for _address, inline in resources(stack, call, "aws_iam_role_policy"):
        role_name = inline.argument("role")
        documents.setdefault(role_name, []).append(policy(inline.argument("policy")))
    return documents
