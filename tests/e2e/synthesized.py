"""Read the synthesized stacks and render module values the way Terraform would.

The end-to-end test takes every name, pattern and setting from `cdktf.out/stacks/<env>/cdk.tf.json`
(module arguments, provider account and region) and from the module copies in each stack's
`assets/`, evaluated offline by `tests/modules/policy_eval.py` with that stack's arguments. Nothing
here knows a platform name: if the composition or a module changes a name, the test follows.

Values that exist only after `terraform apply` (a KMS key id, a security group id) are rendered
by policy_eval as fixed placeholders of the real length; `AppliedIds` swaps them for the ids of the
resources the test created in moto for that module call, so what is published (SSM parameters,
Lambda environments) points at resources that exist.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from tests.modules.policy_eval import (
    KMS_KEY_ID,
    SECURITY_GROUP_ID,
    AwsContext,
    Block,
    Instance,
    Module,
    ModuleEvaluator,
    Scope,
    UnsupportedExpression,
)

_MODULE_REFERENCE = re.compile(r"^\$\{module\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_]+)\}$")
# Meta-arguments that configure Terraform itself, not the resource.
_META_ARGUMENTS = frozenset({"count", "for_each", "depends_on", "provider", "lifecycle"})


@dataclass
class AppliedIds:
    """Ids AWS assigns at apply time, per module call (policy_eval renders placeholders)."""

    kms_key_id: str | None = None
    security_group_id: str | None = None

    def substitute(self, value: Any) -> Any:
        """Replace the placeholders in every string of `value`; fail if one has no real id."""
        if isinstance(value, str):
            for placeholder, real, what in (
                (KMS_KEY_ID, self.kms_key_id, "KMS key"),
                (SECURITY_GROUP_ID, self.security_group_id, "security group"),
            ):
                if placeholder in value:
                    if real is None:
                        raise AssertionError(
                            f"a rendered value needs the id of a {what} the test did not create: "
                            f"{value[:200]}"
                        )
                    value = value.replace(placeholder, real)
            return value
        if isinstance(value, list):
            return [self.substitute(item) for item in value]
        if isinstance(value, dict):
            return {key: self.substitute(item) for key, item in value.items()}
        return value


@dataclass
class Stack:
    """One synthesized stack: its provider's account and region and its module calls."""

    name: str
    directory: Path
    document: dict[str, Any]

    @property
    def account_id(self) -> str:
        (account,) = self._provider["allowed_account_ids"]
        return str(account)

    @property
    def region(self) -> str:
        return str(self._provider["region"])

    @property
    def _provider(self) -> dict[str, Any]:
        (provider,) = self.document["provider"]["aws"]
        return dict(provider)

    @property
    def module_calls(self) -> dict[str, dict[str, Any]]:
        return dict(self.document.get("module", {}))

    def arguments(self, call: str) -> dict[str, Any]:
        """The module call's arguments as synthesized (references still unresolved)."""
        return {k: v for k, v in self.module_calls[call].items() if k not in ("//", "source")}

    def module_directory(self, call: str) -> Path:
        return (self.directory / self.module_calls[call]["source"]).resolve()

    def asset(self, relative: str) -> Path:
        """A file the stack references relative to its own directory (packages, bundles)."""
        return (self.directory / relative).resolve()


@dataclass
class SynthesizedPlatform:
    """Every stack of one synth, with evaluators for their module calls."""

    outdir: Path
    applied: dict[tuple[str, str], AppliedIds] = field(default_factory=dict)
    _evaluators: dict[tuple[str, str], ModuleEvaluator] = field(default_factory=dict)

    @cached_property
    def stacks(self) -> dict[str, Stack]:
        found = {}
        for path in sorted((self.outdir / "stacks").glob("*/cdk.tf.json")):
            found[path.parent.name] = Stack(
                path.parent.name, path.parent, json.loads(path.read_text())
            )
        if not found:
            raise AssertionError(f"no stacks synthesized under {self.outdir}")
        return found

    def stacks_with(self, call: str) -> list[Stack]:
        """Stacks that call the module `call` (construct ids are the module call names)."""
        return [s for s in self.stacks.values() if call in s.module_calls]

    def only_stack_with(self, call: str) -> Stack:
        (stack,) = self.stacks_with(call)
        return stack

    def ids(self, stack: Stack, call: str) -> AppliedIds:
        return self.applied.setdefault((stack.name, call), AppliedIds())

    def evaluator(self, stack: Stack, call: str) -> ModuleEvaluator:
        """policy_eval's evaluator for one module call, with `${module.x.y}` arguments resolved."""
        key = (stack.name, call)
        if key not in self._evaluators:
            arguments = {
                name: self._resolve(stack, value) for name, value in stack.arguments(call).items()
            }
            self._evaluators[key] = ModuleEvaluator(
                Module(stack.module_directory(call), call),
                arguments,
                AwsContext(stack.account_id, stack.region),
                call_name=call,
            )
        return self._evaluators[key]

    def _resolve(self, stack: Stack, value: Any) -> Any:
        """Resolve references to other module calls' outputs, as Terraform does at plan time."""
        if isinstance(value, str) and "${" in value:
            match = _MODULE_REFERENCE.match(value)
            if match is None:
                raise UnsupportedExpression(
                    f"{stack.name}: unsupported argument expression {value}"
                )
            call, output = match.groups()
            return self.output(stack, call, output)
        if isinstance(value, list):
            return [self._resolve(stack, item) for item in value]
        if isinstance(value, dict):
            return {key: self._resolve(stack, item) for key, item in value.items()}
        return value

    # -- rendered values, with apply-time ids substituted ----------------------------------

    def output(self, stack: Stack, call: str, name: str) -> Any:
        return self.ids(stack, call).substitute(self.evaluator(stack, call).output(name))

    def local(self, stack: Stack, call: str, name: str) -> Any:
        return self.ids(stack, call).substitute(self.evaluator(stack, call).local(name))

    def resource(
        self, stack: Stack, call: str, address: str, only: frozenset[str] | None = None
    ) -> Any:
        """A resource block rendered to plain data: arguments and nested blocks (as lists).

        `address` is `type.name`; a `count`/`for_each` resource renders as a list/dict of
        instances. `only` limits rendering to some top-level arguments/blocks (the others may use
        functions the offline evaluator does not implement, such as `yamlencode`).
        """
        rtype, name = address.split(".", 1)
        instances = self.evaluator(stack, call).instances("resource", rtype, name)
        ids = self.ids(stack, call)
        if isinstance(instances, list):
            return [ids.substitute(render_instance(i, only)) for i in instances]
        if isinstance(instances, dict):
            return {k: ids.substitute(render_instance(i, only)) for k, i in instances.items()}
        return ids.substitute(render_instance(instances, only))

    def resource_instances(self, stack: Stack, call: str, rtype: str) -> Iterator[str]:
        """Addresses of a module call's resource blocks of one type (`type.name`)."""
        for block_type, name in sorted(self.evaluator(stack, call).module.resources):
            if block_type == rtype:
                yield f"{rtype}.{name}"


def render_instance(instance: Instance, only: frozenset[str] | None = None) -> dict[str, Any]:
    """Evaluate the arguments and nested blocks of a resource instance (all, or `only` these)."""
    return _render_block(instance.ev, instance.block, instance.scope, only)


def _render_block(
    ev: ModuleEvaluator,
    block: Block,
    scope: Scope,
    only: frozenset[str] | None = None,
    *,
    top_level: bool = True,
) -> dict[str, Any]:
    # Meta-arguments exist only at the resource's top level (an action block has a `provider`).
    skip = _META_ARGUMENTS if top_level else frozenset()
    rendered: dict[str, Any] = {}
    for name, attr in block.attrs.items():
        if name in skip or (only is not None and name not in only):
            continue
        rendered[name] = ev.eval(attr.expr, attr.file, scope)
    for nested in block.blocks:
        if nested.type in skip or (only is not None and nested.type not in only):
            continue
        if nested.type == "dynamic":
            raise UnsupportedExpression(
                f"dynamic block {nested.labels} in {block.type} {block.labels}: not rendered here"
            )
        rendered.setdefault(nested.type, []).append(
            _render_block(ev, nested, scope, top_level=False)
        )
    return rendered
