"""Reading what Terraform rendered: `terraform show -json` of a state or of a saved plan.

Terraform and the AWS provider render every policy document, `jsonencode` value and nested
block; these helpers only find resources in that JSON and parse the policy documents, so the
tests ask Terraform's own answer instead of evaluating HCL themselves.

    state = State(applied_platform.state("shared-services"))
    role = state.resource("module.model-promotion-hub.aws_iam_role.this")
    (trust,) = statements(role.policy("assume_role_policy"))
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

Document = dict[str, Any]
Statement = dict[str, Any]


@dataclass(frozen=True)
class Resource:
    """One resource instance (managed or data) with its rendered attribute values."""

    address: str
    mode: str
    type: str
    name: str
    module: str  # "" for the root module, else e.g. "module.model-promotion-hub"
    values: dict[str, Any]

    def __getitem__(self, attribute: str) -> Any:
        return self.values[attribute]

    def get(self, attribute: str, default: Any = None) -> Any:
        return self.values.get(attribute, default)

    @property
    def call(self) -> str:
        """The module call name (`model-promotion-hub`), "" for root resources."""
        return self.module.rsplit("module.", 1)[-1] if self.module else ""

    def document(self, attribute: str) -> Document:
        """The JSON object held by `attribute` (an event pattern, a `jsonencode` value...)."""
        return parse_policy(self.values[attribute], f"{self.address}.{attribute}")

    def policy(self, attribute: str = "policy") -> Document:
        """The policy document held by `attribute` (`policy`, `assume_role_policy`...)."""
        return self.document(attribute)

    def block(self, name: str) -> dict[str, Any]:
        """The single nested block `name` (Terraform renders blocks as lists of objects)."""
        blocks = self.values.get(name) or []
        assert len(blocks) == 1, f"{self.address}: expected one {name} block, got {blocks}"
        return blocks[0]  # type: ignore[no-any-return]


class State:
    """`terraform show -json` of a state (`values`) or of a plan (`planned_values`)."""

    def __init__(self, show_json: dict[str, Any]) -> None:
        values = show_json.get("values") or show_json.get("planned_values") or {}
        self.raw = show_json
        self.outputs: dict[str, Any] = {
            name: entry.get("value") for name, entry in (values.get("outputs") or {}).items()
        }
        self._resources: dict[str, Resource] = {}
        for module, item in _walk(values.get("root_module") or {}, ""):
            resource = Resource(
                address=item["address"],
                mode=item["mode"],
                type=item["type"],
                name=item["name"],
                module=module,
                values=item.get("values") or {},
            )
            self._resources[resource.address] = resource

    def __iter__(self) -> Iterator[Resource]:
        return iter(self._resources.values())

    def resource(self, address: str) -> Resource:
        """The resource at `address` (e.g. `module.x.aws_iam_role.this`, `data.` included)."""
        try:
            return self._resources[address]
        except KeyError:
            near = sorted(a for a in self._resources if address.rsplit(".", 1)[0] in a)[:10]
            raise AssertionError(f"no {address} in the state; similar: {near}") from None

    def resources(
        self, type_: str | None = None, *, module: str | None = None, mode: str = "managed"
    ) -> list[Resource]:
        """Resources of `type_` (every type when None) in module call `module` (any when None)."""
        return [
            r
            for r in self._resources.values()
            if r.mode == mode
            and (type_ is None or r.type == type_)
            and (module is None or r.call == module)
        ]

    def one(self, type_: str, *, module: str | None = None) -> Resource:
        """The only resource of `type_` (in `module`)."""
        found = self.resources(type_, module=module)
        assert len(found) == 1, f"expected one {type_} in {module}: {[r.address for r in found]}"
        return found[0]

    def role_policies(self, module: str | None = None) -> dict[str, list[Document]]:
        """Every IAM role (of `module`): role name -> the documents of its inline policies."""
        documents: dict[str, list[Document]] = {
            role["name"]: [] for role in self.resources("aws_iam_role", module=module)
        }
        for inline in self.resources("aws_iam_role_policy", module=module):
            documents.setdefault(inline["role"], []).append(inline.policy())
        return documents


def _walk(module: dict[str, Any], address: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for resource in module.get("resources", []):
        yield address, resource
    for child in module.get("child_modules", []):
        yield from _walk(child, child["address"])


# --------------------------------------------------------------------------------------------
# Policy documents
# --------------------------------------------------------------------------------------------


def parse_policy(text: Any, what: str = "policy") -> Document:
    assert isinstance(text, str) and text, f"{what}: no rendered JSON (got {text!r})"
    document = json.loads(text)
    assert isinstance(document, dict), f"{what}: not a JSON object"
    return document


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def statements(document: Document) -> list[Statement]:
    return as_list(document["Statement"])


def statement(document: Document, sid: str) -> Statement:
    """The statement with Sid `sid` (exactly one)."""
    found = [s for s in statements(document) if s.get("Sid") == sid]
    assert len(found) == 1, f"{len(found)} statements with Sid {sid!r}"
    return found[0]


def _matches(action: str, patterns: Any) -> bool:
    return any(
        fnmatch.fnmatchcase(action.lower(), pattern.lower()) for pattern in as_list(patterns)
    )


def actions_allowed(document: Document, action: str) -> list[Statement]:
    """Allow statements whose Action (wildcards included) or NotAction admits `action`."""
    matched = []
    for item in statements(document):
        if item.get("Effect", "Allow") != "Allow":
            continue
        if "NotAction" in item:
            if not _matches(action, item["NotAction"]):
                matched.append(item)
        elif _matches(action, item.get("Action")):
            matched.append(item)
    return matched


def actions_denied(document: Document, action: str) -> list[Statement]:
    """Deny statements whose Action (wildcards included) names `action`."""
    return [
        item
        for item in statements(document)
        if item.get("Effect") == "Deny" and _matches(action, item.get("Action"))
    ]


def condition_values(item: Statement, key: str) -> list[str]:
    """The values of condition key `key` in a statement, whatever its operator."""
    for operator_values in item.get("Condition", {}).values():
        if key in operator_values:
            return as_list(operator_values[key])
    raise AssertionError(f"no {key} condition in {item}")
