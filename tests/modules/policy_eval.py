"""Offline renderer of the IAM/resource policies and SSM values an HCL module would create.

Why: no Terraform provider can run here, so `terraform plan` cannot render
`data "aws_iam_policy_document"` and nothing tells us whether a policy outgrows its AWS size
limit when the organization grows. This module evaluates a module's own `.tf` files (parsed
with python-hcl2 8 into its raw Lark tree) for concrete variable values and renders:

- every `data "aws_iam_policy_document"` exactly as hashicorp/aws does (internal/service/iam
  policy_document_data_source.go + policy_model.go): statements in source order (static and
  `dynamic` blocks interleaved by position), `Effect` defaulting to Allow, actions / resources /
  principal identifiers as sets (deduplicated, one element -> a string, several -> sorted in
  reverse), condition values as lists (order kept, one element -> a string), a lone
  `{"type": "*", "identifiers": ["*"]}` principal -> `"*"`, map keys sorted, Go's HTML escaping,
  `source_policy_documents` / `override_policy_documents` merged by Sid; `json` is Go's
  `MarshalIndent(doc, "", "  ")` and `minified_json` is `Marshal(doc)`;
- `jsonencode(...)` values (Terraform: compact, object keys sorted);
- every consumer of a policy or parameter value (`aws_iam_role.assume_role_policy`,
  `aws_iam_role_policy.policy`, bucket / key / repository / bus / queue / topic policies,
  `aws_ssm_parameter.value`), by evaluating the consumer's own argument.

The evaluator supports exactly what these modules use: string templates, `var.*` (with
`variables.tf` type conversion: optional attributes, defaults, sets), lazily evaluated
`local.*`, `data.aws_partition|aws_region|aws_caller_identity|aws_service_principal` from a
context, resource attributes (arguments as written; computed ARNs/ids built from the
resource's own name arguments, at their real length), `count` / `for_each` / `each` /
`count.index`, `for` expressions with `if`, conditionals, arithmetic / comparison / logic
operators, `module.<call>.<output>` across module calls of one stack, and the functions listed
in `FUNCTIONS`. Anything else raises `UnsupportedExpression` naming the module, file, line and
expression text; a missing key, attribute or index raises `EvalError`. Nothing is ever
skipped or approximated to a smaller value.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import hcl2
from lark import Token, Tree

# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------


class EvalError(Exception):
    """An expression could not be evaluated (missing key/attribute, bad type, ...)."""


class UnsupportedExpression(EvalError):
    """The expression uses HCL syntax or a function this evaluator does not implement.

    `try()` / `can()` never swallow this: an unsupported construct must fail the test instead
    of silently falling back to a smaller value.
    """


# --------------------------------------------------------------------------------------------
# Parsing (python-hcl2 8 raw Lark tree), cached by file content
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceFile:
    """One parsed .tf file: its path (for messages), its text (for expression excerpts)."""

    path: Path
    text: str
    tree: Tree


@functools.lru_cache(maxsize=256)
def _parse_text(digest: str, text: str) -> Tree:
    del digest  # part of the cache key only
    return hcl2.parses_to_tree(text)


def parse_file(path: Path) -> SourceFile:
    """Parse a .tf file; identical contents (module copies in every stack) are parsed once."""
    text = path.read_text(encoding="utf-8")
    tree = _parse_text(hashlib.sha256(text.encode()).hexdigest(), text)
    return SourceFile(path, text + "\n", tree)


def _trees(node: Tree) -> list[Tree]:
    """Child subtrees that carry meaning (no tokens, no newline/comment nodes)."""
    return [c for c in node.children if isinstance(c, Tree) and c.data != "new_line_or_comment"]


def _identifier(node: Tree | Token) -> str:
    if isinstance(node, Token):
        return str(node)
    if node.data in ("identifier", "keyword", "literal_value"):
        return str(node.children[0])
    if node.data == "string":
        return _literal_string(node)
    raise UnsupportedExpression(f"expected a name, got {node.data}")


def _literal_string(node: Tree) -> str:
    """Text of a string literal without interpolation (block labels)."""
    parts: list[str] = []
    for part in _trees(node):
        child = part.children[0]
        if not isinstance(child, Token) or child.type != "STRING_CHARS":
            raise UnsupportedExpression("block labels must be plain strings")
        parts.append(_unescape(str(child)))
    return "".join(parts)


_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


def _unescape(chars: str) -> str:
    """HCL quoted-string escapes: \\n \\r \\t \\" \\\\ \\uNNNN \\UNNNNNNNN."""

    def repl(match: re.Match[str]) -> str:
        body = match.group(1)
        if body[0] in "uU":
            return chr(int(body[1:], 16))
        return _ESCAPES[body]

    return re.sub(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[nrt\"\\])", repl, chars)


# --------------------------------------------------------------------------------------------
# Module model
# --------------------------------------------------------------------------------------------


@dataclass
class Attr:
    """An argument `name = expression` with the file it came from."""

    name: str
    expr: Tree
    file: SourceFile


@dataclass
class Block:
    """A block body: arguments, nested blocks (with labels) in source order."""

    type: str
    labels: tuple[str, ...]
    file: SourceFile
    line: int
    attrs: dict[str, Attr] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)

    @property
    def address(self) -> str:
        return ".".join(self.labels)


def _read_body(body: Tree, file: SourceFile, block_type: str, labels: tuple[str, ...]) -> Block:
    block = Block(block_type, labels, file, body.meta.line if not body.meta.empty else 0)
    for item in _trees(body):
        if item.data == "attribute":
            name_node, expr = _trees(item)
            name = _identifier(name_node)
            block.attrs[name] = Attr(name, expr, file)
        elif item.data == "block":
            parts = _trees(item)
            inner = parts[-1]
            names = [_identifier(p) for p in parts[:-1]]
            child = _read_body(inner, file, names[0], tuple(names[1:]))
            child.line = item.meta.line
            block.blocks.append(child)
    return block


class Module:
    """The root `.tf` files of one module folder, indexed by block kind."""

    def __init__(self, directory: Path, name: str | None = None) -> None:
        self.directory = directory
        self.name = name or directory.name
        self.variables: dict[str, Block] = {}
        self.locals: dict[str, Attr] = {}
        self.resources: dict[tuple[str, str], Block] = {}
        self.data: dict[tuple[str, str], Block] = {}
        self.outputs: dict[str, Block] = {}
        files = sorted(directory.glob("*.tf"))
        if not files:
            raise EvalError(f"module {self.name}: no .tf files in {directory}")
        for path in files:
            source = parse_file(path)
            root = _read_body(_trees(source.tree)[0], source, "", ())
            for block in root.blocks:
                if block.type == "variable":
                    self.variables[block.labels[0]] = block
                elif block.type == "locals":
                    self.locals.update(block.attrs)
                elif block.type == "resource":
                    self.resources[(block.labels[0], block.labels[1])] = block
                elif block.type == "data":
                    self.data[(block.labels[0], block.labels[1])] = block
                elif block.type == "output":
                    self.outputs[block.labels[0]] = block


# --------------------------------------------------------------------------------------------
# Context: what the provider and other module calls would supply
# --------------------------------------------------------------------------------------------


def partition_of(region: str) -> tuple[str, str]:
    """(partition, DNS suffix) of a region, as data.aws_partition returns them."""
    if region.startswith("cn-"):
        return "aws-cn", "amazonaws.com.cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov", "amazonaws.com"
    return "aws", "amazonaws.com"


@dataclass(frozen=True)
class AwsContext:
    """Account and region of the provider a module runs with."""

    account_id: str
    region: str

    @property
    def partition(self) -> str:
        return partition_of(self.region)[0]

    @property
    def dns_suffix(self) -> str:
        return partition_of(self.region)[1]


# A KMS key id is always a 36-character UUID and a security group id "sg-" + 17 hex digits:
# fixed placeholders of the real length keep every computed ARN at its deployed size.
KMS_KEY_ID = "0123abcd-45ef-67ab-89cd-0123456789ef"
SECURITY_GROUP_ID = "sg-0123456789abcdef0"

# --------------------------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------------------------


def tf_string(value: Any, what: str = "value") -> str:
    """Terraform's automatic conversion of a primitive to string (templates, list(string))."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if value is None:
        raise EvalError(f"{what} is null where a string is required")
    raise EvalError(f"{what} of type {type(value).__name__} cannot be converted to a string")


def go_json(value: Any, *, indent: bool = False) -> str:
    """`json.Marshal` / `json.MarshalIndent(v, "", "  ")` of Go: HTML characters escaped."""
    if indent:
        text = json.dumps(value, ensure_ascii=False, indent=2, separators=(",", ": "))
    else:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    # < > & and U+2028/2029 only occur inside JSON strings, so a global replace is exact.
    for char, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escaped)
    return text


def _sorted_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _sorted_keys(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [_sorted_keys(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def tf_jsonencode(value: Any) -> str:
    """Terraform `jsonencode`: compact, object/map keys in lexical order, HTML escaped."""
    return go_json(_sorted_keys(value))


def _set_of(values: Sequence[Any]) -> list[Any]:
    """A Terraform set of primitives: unique elements in lexical (or numeric) order."""
    unique = list(dict.fromkeys(values))
    try:
        return sorted(unique)
    except TypeError as error:
        raise EvalError(f"cannot order set elements of mixed types: {unique!r}") from error


# --------------------------------------------------------------------------------------------
# Functions (exactly those the modules use on evaluated paths)
# --------------------------------------------------------------------------------------------


def _fn_coalesce(*args: Any) -> Any:
    for arg in args:
        if arg is not None and arg != "":
            return arg
    raise EvalError("coalesce: no non-null, non-empty argument")


def _fn_concat(*lists: Any) -> list[Any]:
    out: list[Any] = []
    for item in lists:
        if not isinstance(item, list):
            raise EvalError(f"concat: argument is not a list: {item!r}")
        out.extend(item)
    return out


def _fn_flatten(value: Any) -> list[Any]:
    out: list[Any] = []
    for item in value:
        out.extend(_fn_flatten(item) if isinstance(item, list) else [item])
    return out


def _fn_length(value: Any) -> int:
    if isinstance(value, (str, list, dict)):
        return len(value)
    raise EvalError(f"length: unsupported type {type(value).__name__}")


def _fn_element(value: list[Any], index: int) -> Any:
    if not value:
        raise EvalError("element: empty list")
    return value[int(index) % len(value)]


def _fn_replace(text: str, search: str, replacement: str) -> str:
    if len(search) > 1 and search.startswith("/") and search.endswith("/"):
        raise UnsupportedExpression("replace() with a regular expression is not implemented")
    return text.replace(search, replacement)


def _fn_merge(*maps: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in maps:
        if item is None:
            continue
        if not isinstance(item, dict):
            raise EvalError(f"merge: argument is not a map/object: {item!r}")
        out.update(item)
    return out


def _fn_keys(value: Any) -> list[str]:
    if not isinstance(value, dict):
        raise EvalError(f"keys: not a map/object: {value!r}")
    return sorted(value)


def _fn_values(value: Any) -> list[Any]:
    if not isinstance(value, dict):
        raise EvalError(f"values: not a map/object: {value!r}")
    return [value[k] for k in sorted(value)]


def _fn_split(separator: str, text: str) -> list[str]:
    return text.split(separator)


def _fn_toset(value: Any) -> list[Any]:
    return _set_of([tf_string(v) if isinstance(v, (int, float, bool)) else v for v in value])


def _fn_regex(pattern: str, text: str) -> Any:
    """Terraform regex(): the match, or its captures (a list; a map for named groups).

    Python's `re` agrees with RE2 on the syntax these modules use; RE2-only or Python-only
    constructs are refused rather than risk a different match.
    """
    if re.search(r"\\[pPCQEz]|\(\?[<P]?=|\(\?<!|\(\?!", pattern):
        raise UnsupportedExpression(f"regex(): pattern {pattern!r} needs RE2-specific handling")
    match = re.search(pattern, text)
    if match is None:
        raise EvalError(f"regex(): pattern {pattern!r} does not match {text!r}")
    if match.re.groupindex:
        return {name: match.group(name) for name in match.re.groupindex}
    if match.re.groups:
        return list(match.groups())
    return match.group(0)


def _fn_distinct(value: list[Any]) -> list[Any]:
    out: list[Any] = []
    for item in value:
        if item not in out:
            out.append(item)
    return out


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "coalesce": _fn_coalesce,
    "concat": _fn_concat,
    "contains": lambda collection, value: value in collection,
    "distinct": _fn_distinct,
    "element": _fn_element,
    "endswith": lambda text, suffix: text.endswith(suffix),
    "flatten": _fn_flatten,
    "jsonencode": tf_jsonencode,
    "keys": _fn_keys,
    "length": _fn_length,
    "lower": lambda text: text.lower(),
    "merge": _fn_merge,
    "regex": _fn_regex,
    "replace": _fn_replace,
    "sort": lambda value: sorted(tf_string(v) for v in value),
    "split": _fn_split,
    "startswith": lambda text, prefix: text.startswith(prefix),
    "strcontains": lambda text, part: part in text,
    "tolist": lambda value: list(value),
    "toset": _fn_toset,
    "upper": lambda text: text.upper(),
    "values": _fn_values,
}

# --------------------------------------------------------------------------------------------
# Reference proxies (namespaces, resources, data sources)
# --------------------------------------------------------------------------------------------


class Proxy:
    """Something reachable by attribute/index traversal that is not a plain value."""

    def attr(self, name: str) -> Any:
        raise EvalError(f"{self!r} has no attribute {name!r}")

    def index(self, key: Any) -> Any:
        raise EvalError(f"{self!r} cannot be indexed")


@dataclass
class Scope:
    """Names bound while evaluating: for-expression variables, each/count, dynamic iterators."""

    names: dict[str, Any] = field(default_factory=dict)

    def child(self, **names: Any) -> Scope:
        return Scope({**self.names, **names})


class _Namespace(Proxy):
    def __init__(self, label: str, getter: Callable[[str], Any]) -> None:
        self._label = label
        self._getter = getter

    def attr(self, name: str) -> Any:
        return self._getter(name)

    def __repr__(self) -> str:
        return self._label


class Instance(Proxy):
    """One instance of a resource or data source, with `each` / `count` bound."""

    def __init__(self, ev: ModuleEvaluator, kind: str, block: Block, scope: Scope) -> None:
        self.ev = ev
        self.kind = kind  # "resource" or "data"
        self.block = block
        self.scope = scope
        self._cache: dict[str, Any] = {}

    @property
    def type(self) -> str:
        return self.block.labels[0]

    def __repr__(self) -> str:
        prefix = "data." if self.kind == "data" else ""
        key = self.scope.names.get("each")
        suffix = f"[{key['key']!r}]" if isinstance(key, dict) else ""
        return f"{prefix}{self.block.address}{suffix}"

    def argument(self, name: str) -> Any:
        """The value of an argument as written in the block (null when absent)."""
        attr = self.block.attrs.get(name)
        return None if attr is None else self.ev.eval(attr.expr, attr.file, self.scope)

    def attr(self, name: str) -> Any:
        if name not in self._cache:
            self._cache[name] = self._compute(name)
        return self._cache[name]

    def _compute(self, name: str) -> Any:
        if self.kind == "data":
            return self.ev.data_attribute(self, name)
        builder = COMPUTED_ATTRIBUTES.get((self.type, name))
        if builder is not None:
            return builder(self, self.ev.context)
        if name in self.block.attrs:
            return self.argument(name)
        raise UnsupportedExpression(
            f"attribute {name!r} of {self!r} is neither an argument in the module nor a "
            "computed attribute this renderer knows (add it to COMPUTED_ATTRIBUTES)"
        )


def _required(instance: Instance, argument: str) -> str:
    value = instance.argument(argument)
    if value is None:
        raise UnsupportedExpression(
            f"{instance!r}: argument {argument!r} is not set, so its name (and ARN) is generated "
            "by AWS and its length unknown"
        )
    return tf_string(value, f"{instance!r}.{argument}")


def _arn(ctx: AwsContext, service: str, resource: str, *, regional: bool = True) -> str:
    region = ctx.region if regional else ""
    account = ctx.account_id if service != "s3" else ""
    return f"arn:{ctx.partition}:{service}:{region}:{account}:{resource}"


def _role_arn(i: Instance, c: AwsContext) -> str:
    path = i.argument("path") or "/"
    return _arn(c, "iam", f"role{path}{_required(i, 'name')}", regional=False)


def _rule_arn(i: Instance, c: AwsContext) -> str:
    bus = i.argument("event_bus_name")
    name = _required(i, "name")
    return _arn(c, "events", f"rule/{name}" if bus in (None, "default") else f"rule/{bus}/{name}")


def _queue_url(i: Instance, c: AwsContext) -> str:
    return f"https://sqs.{c.region}.{c.dns_suffix}/{c.account_id}/{_required(i, 'name')}"


def _parameter_arn(i: Instance, c: AwsContext) -> str:
    name = _required(i, "name")
    return _arn(c, "ssm", f"parameter{name if name.startswith('/') else '/' + name}")


_Builder = Callable[[Instance, AwsContext], Any]

# Computed attributes, at the length AWS returns them (ARN formats from each service's
# "resource types" table in the Service Authorization Reference).
COMPUTED_ATTRIBUTES: dict[tuple[str, str], _Builder] = {
    ("aws_kms_key", "arn"): lambda i, c: _arn(c, "kms", f"key/{KMS_KEY_ID}"),
    ("aws_kms_key", "key_id"): lambda i, c: KMS_KEY_ID,
    ("aws_kms_key", "id"): lambda i, c: KMS_KEY_ID,
    ("aws_kms_alias", "arn"): lambda i, c: _arn(c, "kms", _required(i, "name")),
    ("aws_s3_bucket", "id"): lambda i, c: _required(i, "bucket"),
    ("aws_s3_bucket", "arn"): lambda i, c: f"arn:{c.partition}:s3:::{_required(i, 'bucket')}",
    ("aws_sqs_queue", "arn"): lambda i, c: _arn(c, "sqs", _required(i, "name")),
    ("aws_sqs_queue", "id"): _queue_url,
    ("aws_sqs_queue", "url"): _queue_url,
    ("aws_sns_topic", "arn"): lambda i, c: _arn(c, "sns", _required(i, "name")),
    ("aws_sns_topic", "id"): lambda i, c: _arn(c, "sns", _required(i, "name")),
    ("aws_iam_role", "arn"): _role_arn,
    ("aws_iam_role", "id"): lambda i, c: _required(i, "name"),
    ("aws_cloudwatch_event_bus", "arn"): lambda i, c: _arn(
        c, "events", f"event-bus/{_required(i, 'name')}"
    ),
    ("aws_cloudwatch_event_bus", "id"): lambda i, c: _required(i, "name"),
    ("aws_cloudwatch_event_rule", "arn"): _rule_arn,
    ("aws_cloudwatch_log_group", "arn"): lambda i, c: _arn(
        c, "logs", f"log-group:{_required(i, 'name')}"
    ),
    ("aws_codebuild_project", "arn"): lambda i, c: _arn(
        c, "codebuild", f"project/{_required(i, 'name')}"
    ),
    ("aws_codepipeline", "arn"): lambda i, c: _arn(c, "codepipeline", _required(i, "name")),
    ("aws_dynamodb_table", "arn"): lambda i, c: _arn(
        c, "dynamodb", f"table/{_required(i, 'name')}"
    ),
    ("aws_ssm_parameter", "arn"): _parameter_arn,
    ("aws_lambda_function", "arn"): lambda i, c: _arn(
        c, "lambda", f"function:{_required(i, 'function_name')}"
    ),
    ("aws_ecr_repository", "arn"): lambda i, c: _arn(
        c, "ecr", f"repository/{_required(i, 'name')}"
    ),
    ("aws_ecr_repository", "repository_url"): lambda i, c: (
        f"{c.account_id}.dkr.ecr.{c.region}.{c.dns_suffix}/{_required(i, 'name')}"
    ),
    ("aws_security_group", "id"): lambda i, c: SECURITY_GROUP_ID,
    ("aws_security_group", "arn"): lambda i, c: _arn(
        c, "ec2", f"security-group/{SECURITY_GROUP_ID}"
    ),
}


# --------------------------------------------------------------------------------------------
# Variable types (variables.tf) -> conversion of the values passed in
# --------------------------------------------------------------------------------------------


class _Type:
    def __init__(
        self,
        kind: str,
        inner: _Type | None = None,
        attrs: dict[str, tuple[_Type, bool, Any]] | None = None,
    ) -> None:
        self.kind = kind
        self.inner = inner
        self.attrs = attrs or {}


def _parse_type(node: Tree, ev: ModuleEvaluator, file: SourceFile) -> _Type:
    node = _unwrap(node)
    if node.data == "identifier":
        return _Type(_identifier(node))
    if node.data == "function_call":
        name = _identifier(_trees(node)[0])
        args = _call_args(node)
        if name in ("list", "set", "map"):
            return _Type(name, _parse_type(args[0], ev, file))
        if name == "object":
            attrs: dict[str, tuple[_Type, bool, Any]] = {}
            obj = _unwrap(args[0])
            for elem in _trees(obj):
                key_node, value_node = _trees(elem)
                key = _identifier(_unwrap(_trees(key_node)[0]))
                value_node = _unwrap(value_node)
                if value_node.data == "function_call" and (
                    _identifier(_trees(value_node)[0]) == "optional"
                ):
                    opt = _call_args(value_node)
                    default = ev.eval(opt[1], file, Scope()) if len(opt) > 1 else None
                    attrs[key] = (_parse_type(opt[0], ev, file), True, default)
                else:
                    attrs[key] = (_parse_type(value_node, ev, file), False, None)
            return _Type("object", attrs=attrs)
    raise UnsupportedExpression(f"unsupported type constraint {node.data}")


def _convert(value: Any, t: _Type, where: str) -> Any:
    if value is None or t.kind == "any":
        return value
    if t.kind == "string":
        return tf_string(value, where)
    if t.kind in ("number", "bool"):
        return value
    if t.kind in ("list", "set"):
        if not isinstance(value, list):
            raise EvalError(f"{where}: expected a {t.kind}, got {value!r}")
        assert t.inner is not None
        items = [_convert(v, t.inner, f"{where}[{n}]") for n, v in enumerate(value)]
        return _set_of(items) if t.kind == "set" else items
    if t.kind == "map":
        if not isinstance(value, dict):
            raise EvalError(f"{where}: expected a map, got {value!r}")
        assert t.inner is not None
        return {k: _convert(v, t.inner, f"{where}.{k}") for k, v in value.items()}
    if t.kind == "object":
        if not isinstance(value, dict):
            raise EvalError(f"{where}: expected an object, got {value!r}")
        out: dict[str, Any] = {}
        for key, (attr_type, optional, default) in t.attrs.items():
            if key in value and value[key] is not None:
                out[key] = _convert(value[key], attr_type, f"{where}.{key}")
            elif key in value or optional:
                out[key] = None if default is None else _convert(default, attr_type, where)
            else:
                raise EvalError(f"{where}: attribute {key!r} is required")
        return out
    raise UnsupportedExpression(f"{where}: unsupported type {t.kind}")


def _unwrap(node: Tree) -> Tree:
    """Strip `expr_term` wrappers (and parentheses) down to the meaningful node."""
    while isinstance(node, Tree) and node.data == "expr_term":
        inner = _trees(node)
        if len(inner) != 1:
            break
        node = inner[0]
    return node


def _call_args(node: Tree) -> list[Tree]:
    parts = _trees(node)
    args = [p for p in parts[1:] if p.data == "arguments"]
    return _trees(args[0]) if args else []


# --------------------------------------------------------------------------------------------
# The evaluator
# --------------------------------------------------------------------------------------------

ModuleResolver = Callable[[str, str], Any]


class ModuleEvaluator:
    """Evaluates one module call: a module, its arguments and the account it runs in."""

    def __init__(
        self,
        module: Module,
        arguments: Mapping[str, Any],
        context: AwsContext,
        *,
        call_name: str | None = None,
        module_outputs: ModuleResolver | None = None,
    ) -> None:
        self.module = module
        self.context = context
        self.call_name = call_name or module.name
        self._arguments = dict(arguments)
        self._module_outputs = module_outputs
        self._variables: dict[str, Any] = {}
        self._locals: dict[str, Any] = {}
        self._evaluating: set[str] = set()
        self._instance_cache: dict[tuple[str, int], Any] = {}
        unknown = sorted(set(arguments) - set(module.variables))
        if unknown:
            raise EvalError(f"module {module.name}: unknown variable(s) {unknown}")

    # -- errors ---------------------------------------------------------------------------

    def _where(self, node: Tree, file: SourceFile) -> str:
        line = "?" if node.meta.empty else node.meta.line
        try:
            rel = file.path.relative_to(self.module.directory)
        except ValueError:
            rel = file.path
        return f"module {self.module.name}: {rel}:{line}"

    def _excerpt(self, node: Tree, file: SourceFile) -> str:
        if node.meta.empty:
            return node.data
        text = file.text[node.meta.start_pos : node.meta.end_pos]
        text = " ".join(text.split())
        return text if len(text) <= 160 else text[:157] + "..."

    # -- entry points ---------------------------------------------------------------------

    def eval(self, node: Tree, file: SourceFile, scope: Scope) -> Any:
        """Evaluate an expression; errors name module, file, line and the expression."""
        try:
            return self._eval(node, file, scope)
        except EvalError as error:
            if getattr(error, "located", False):
                raise
            located = type(error)(
                f"{self._where(node, file)}: cannot evaluate `{self._excerpt(node, file)}`: {error}"
            )
            located.located = True  # type: ignore[attr-defined]
            raise located from error

    def variable(self, name: str) -> Any:
        if name not in self._variables:
            block = self.module.variables.get(name)
            if block is None:
                raise EvalError(f"undeclared variable var.{name}")
            type_attr = block.attrs.get("type")
            var_type = (
                _parse_type(type_attr.expr, self, type_attr.file) if type_attr else _Type("any")
            )
            nullable = True
            if "nullable" in block.attrs:
                nullable = bool(self.eval(block.attrs["nullable"].expr, block.file, Scope()))
            value = resolve_arguments(self._arguments.get(name))
            if value is None and (name not in self._arguments or not nullable):
                if "default" not in block.attrs:
                    raise EvalError(f"required variable var.{name} was not given")
                default = block.attrs["default"]
                value = self.eval(default.expr, default.file, Scope())
            self._variables[name] = _convert(value, var_type, f"var.{name}")
        return self._variables[name]

    def local(self, name: str) -> Any:
        if name not in self._locals:
            attr = self.module.locals.get(name)
            if attr is None:
                raise EvalError(f"undeclared local value local.{name}")
            if name in self._evaluating:
                raise EvalError(f"local.{name} depends on itself")
            self._evaluating.add(name)
            try:
                self._locals[name] = self.eval(attr.expr, attr.file, Scope())
            finally:
                self._evaluating.discard(name)
        return self._locals[name]

    def output(self, name: str) -> Any:
        block = self.module.outputs.get(name)
        if block is None:
            raise EvalError(f"module {self.module.name} has no output {name!r}")
        attr = block.attrs["value"]
        return self.eval(attr.expr, attr.file, Scope())

    def instances(self, kind: str, rtype: str, name: str) -> Any:
        """A resource/data block as Terraform exposes it: one instance, a list or a map."""
        table = self.module.resources if kind == "resource" else self.module.data
        block = table.get((rtype, name))
        if block is None:
            prefix = "data." if kind == "data" else ""
            raise EvalError(f"reference to undeclared {prefix}{rtype}.{name}")
        return self._instances(kind, block)

    def _instances(self, kind: str, block: Block) -> Any:
        key = (kind, id(block))
        if key not in self._instance_cache:
            self._instance_cache[key] = self._make_instances(kind, block)
        return self._instance_cache[key]

    def _make_instances(self, kind: str, block: Block) -> Any:
        if "count" in block.attrs:
            attr = block.attrs["count"]
            count = self.eval(attr.expr, attr.file, Scope())
            return [
                Instance(self, kind, block, Scope({"count": {"index": n}})) for n in range(count)
            ]
        if "for_each" in block.attrs:
            attr = block.attrs["for_each"]
            collection = self.eval(attr.expr, attr.file, Scope())
            items = _for_each_items(collection)
            return {
                key: Instance(self, kind, block, Scope({"each": {"key": key, "value": value}}))
                for key, value in items
            }
        return Instance(self, kind, block, Scope())

    def iter_instances(self, kind: str, rtype: str) -> Iterator[tuple[str, Instance]]:
        """Every instance of every block of a type, with its address."""
        table = self.module.resources if kind == "resource" else self.module.data
        for (block_type, name), block in sorted(table.items()):
            if block_type != rtype:
                continue
            found = self._instances(kind, block)
            if isinstance(found, list):
                for n, inst in enumerate(found):
                    yield f"{rtype}.{name}[{n}]", inst
            elif isinstance(found, dict):
                for key, inst in found.items():
                    yield f'{rtype}.{name}["{key}"]', inst
            else:
                yield f"{rtype}.{name}", found

    # -- data sources -----------------------------------------------------------------------

    def data_attribute(self, inst: Instance, name: str) -> Any:
        ctx = self.context
        rtype = inst.type
        if rtype == "aws_partition":
            values = {
                "partition": ctx.partition,
                "dns_suffix": ctx.dns_suffix,
                "id": ctx.partition,
                "reverse_dns_prefix": ".".join(reversed(ctx.dns_suffix.split("."))),
            }
        elif rtype == "aws_region":
            values = {"region": ctx.region, "name": ctx.region, "id": ctx.region}
        elif rtype == "aws_caller_identity":
            values = {"account_id": ctx.account_id, "id": ctx.account_id}
        elif rtype == "aws_service_principal":
            service = tf_string(inst.argument("service_name"), "service_name")
            values = {"name": f"{service}.{ctx.dns_suffix}", "suffix": ctx.dns_suffix}
        elif rtype == "aws_iam_policy_document":
            document = render_policy_document(self, inst)
            values = {
                "json": go_json(document, indent=True),
                "minified_json": go_json(document),
            }
        else:
            raise UnsupportedExpression(f"data source {rtype} is not rendered offline")
        if name not in values:
            raise UnsupportedExpression(f"attribute {name!r} of data.{rtype} is not rendered")
        return values[name]

    # -- expressions ------------------------------------------------------------------------

    def _eval(self, node: Tree, file: SourceFile, scope: Scope) -> Any:
        kind = node.data
        if kind == "expr_term":
            inner = _trees(node)
            if len(inner) != 1:
                raise UnsupportedExpression(f"unexpected expression term ({len(inner)} parts)")
            return self._eval(inner[0], file, scope)
        handler = getattr(self, f"_x_{kind}", None)
        if handler is None:
            raise UnsupportedExpression(f"HCL construct {kind!r} is not supported")
        return handler(node, file, scope)

    def _x_literal_value(self, node: Tree, file: SourceFile, scope: Scope) -> Any:
        return {"true": True, "false": False, "null": None}[str(node.children[0])]

    def _x_int_lit(self, node: Tree, file: SourceFile, scope: Scope) -> int:
        return int(str(node.children[0]))

    def _x_float_lit(self, node: Tree, file: SourceFile, scope: Scope) -> float:
        return float(str(node.children[0]))

    def _x_string(self, node: Tree, file: SourceFile, scope: Scope) -> Any:
        parts = _trees(node)
        # "${expr}" alone keeps the expression's type, as in Terraform.
        if len(parts) == 1 and isinstance(parts[0].children[0], Tree):
            only = parts[0].children[0]
            if only.data == "interpolation":
                return self.eval(_trees(only)[0], file, scope)
        out: list[str] = []
        for part in parts:
            child = part.children[0]
            if isinstance(child, Token):
                text = str(child)
                if child.type == "STRING_CHARS":
                    out.append(_unescape(text))
                elif child.type in ("ESCAPED_INTERPOLATION", "ESCAPED_DIRECTIVE"):
                    out.append(text[1:])
                else:
                    raise UnsupportedExpression(f"string token {child.type}")
            elif child.data == "interpolation":
                inner = _trees(child)[0]
                out.append(tf_string(self.eval(inner, file, scope), "interpolated value"))
            else:
                raise UnsupportedExpression(f"template directive {child.data} is not supported")
        return "".join(out)

    def _x_identifier(self, node: Tree, file: SourceFile, scope: Scope) -> Any:
        name = _identifier(node)
        if name in scope.names:
            return scope.names[name]
        if name == "var":
            return _Namespace("var", self.variable)
        if name == "local":
            return _Namespace("local", self.local)
        if name == "data":
            return _Namespace("data", self._data_type)
        if name == "module":
            return _Namespace("module", self._module_call)
        if name in ("each", "count", "self", "path", "terraform"):
            raise EvalError(f"{name} is not available here")
        if any(rtype == name for rtype, _ in self.module.resources):
            return _Namespace(name, functools.partial(self.instances, "resource", name))
        raise EvalError(f"unknown name {name!r}")

    def _data_type(self, rtype: str) -> _Namespace:
        return _Namespace(f"data.{rtype}", functools.partial(self.instances, "data", rtype))

    def _module_call(self, call: str) -> _Namespace:
        return _Namespace(f"module.{call}", functools.partial(self._module, call))

    def _module(self, call: str, output: str) -> Any:
        if self._module_outputs is None:
            raise EvalError(f"module.{call}.{output}: no other module calls are known here")
        return self._module_outputs(call, output)

    def _x_get_attr_expr_term(self, node: Tree, file: SourceFile, scope: Scope) -> Any:
        target, get_attr = _trees(node)
        value = self._eval(target, file, scope)
        name = _identifier(_trees(get_attr)[0])
        if isinstance(value, Proxy):
            return value.attr(name)
        if isinstance(value, dict):
            if name not in value:
                raise EvalError(f"object has no attribute {name!r} (has: {sorted(value)})")
            return value[name]
        raise EvalError(f"cannot read attribute {name!r} of {type(value).__name__} {value!r}")

    def _x_index_expr_term(self, node: Tree, file: SourceFile, scope: Scope) -> Any:
        target, index = _trees(node)
        value = self._eval(target, file, scope)
        if index.data == "short_index":
            key: Any = int(str(index.children[1]))
        else:
            key = self.eval(_trees(index)[0], file, scope)
        if isinstance(value, Proxy):
            return value.index(key)
        if isinstance(value, dict):
            key = tf_string(key, "map key")
            if key not in value:
                raise EvalError(f"key {key!r} not found (has: {sorted(value)})")
            return value[key]
        if isinstance(value, list):
            if not isinstance(key, int) or not 0 <= key < len(value):
                raise EvalError(f"index {key!r} out of range for a list of {len(value)}")
            return value[key]
        raise EvalError(f"cannot index {type(value).__name__}")

    def _x_tuple(self, node: Tree, file: SourceFile, scope: Scope) -> list[Any]:
        return [self.eval(item, file, scope) for item in _trees(node)]

    def _x_object(self, node: Tree, file: SourceFile, scope: Scope) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for elem in _trees(node):
            key_node, value_node = _trees(elem)
            key_expr = _trees(key_node)[0]
            # A bare name is a literal key; `(expr)`, a string or any other expression is
            # evaluated.
            parenthesized = any(
                isinstance(c, Token) and c.type == "LPAR" for c in key_expr.children
            )
            if key_expr.data == "keyword":
                key = _identifier(key_expr)
            elif (
                key_expr.data == "expr_term"
                and not parenthesized
                and _trees(key_expr)[0].data == "identifier"
            ):
                key = _identifier(_trees(key_expr)[0])
            else:
                key = tf_string(self.eval(key_expr, file, scope), "object key")
            out[key] = self.eval(value_node, file, scope)
        return out

    def _x_function_call(self, node: Tree, file: SourceFile, scope: Scope) -> Any:
        parts = _trees(node)
        names = [p for p in parts if p.data == "identifier"]
        if len(names) != 1:
            raise UnsupportedExpression("provider-defined functions are not supported")
        name = _identifier(names[0])
        args = _call_args(node)
        arguments = next((p for p in parts if p.data == "arguments"), None)
        expand = arguments is not None and any(
            isinstance(c, Token) and c.type == "ELLIPSIS" for c in arguments.children
        )
        if name in ("try", "can"):
            for arg in args:
                try:
                    value = self.eval(arg, file, scope)
                except UnsupportedExpression:
                    raise
                except EvalError:
                    continue
                return True if name == "can" else value
            if name == "can":
                return False
            raise EvalError("try: every argument failed")
        function = FUNCTIONS.get(name)
        if function is None:
            raise UnsupportedExpression(f"function {name}() is not implemented")
        values = [self.eval(arg, file, scope) for arg in args]
        if expand:
            values = values[:-1] + list(values[-1])
        try:
            return function(*values)
        except EvalError:
            raise
        except (TypeError, ValueError, AttributeError, KeyError) as error:
            raise EvalError(f"{name}(): {error}") from error

    def _x_conditional(self, node: Tree, file: SourceFile, scope: Scope) -> Any:
        condition, when_true, when_false = _trees(node)
        test = self.eval(condition, file, scope)
        if not isinstance(test, bool):
            raise EvalError(f"condition is not a bool: {test!r}")
        return self.eval(when_true if test else when_false, file, scope)

    def _x_unary_op(self, node: Tree, file: SourceFile, scope: Scope) -> Any:
        operator = str(node.children[0])
        value = self.eval(_trees(node)[0], file, scope)
        if operator == "!":
            if not isinstance(value, bool):
                raise EvalError(f"! applied to {value!r}")
            return not value
        return -value

    def _x_binary_op(self, node: Tree, file: SourceFile, scope: Scope) -> Any:
        left_node, term = _trees(node)
        op_node, right_node = _trees(term)
        operator = str(op_node.children[0])
        left = self.eval(left_node, file, scope)
        if operator == "&&" and left is False:
            return False
        if operator == "||" and left is True:
            return True
        right = self.eval(right_node, file, scope)
        operations: dict[str, Callable[[Any, Any], Any]] = {
            "==": _tf_equal,
            "!=": lambda a, b: not _tf_equal(a, b),
            "&&": lambda a, b: a and b,
            "||": lambda a, b: a or b,
            "<": lambda a, b: a < b,
            ">": lambda a, b: a > b,
            "<=": lambda a, b: a <= b,
            ">=": lambda a, b: a >= b,
            "+": lambda a, b: a + b,
            "-": lambda a, b: a - b,
            "*": lambda a, b: a * b,
            "/": lambda a, b: a / b,
            "%": lambda a, b: a % b,
        }
        try:
            return operations[operator](left, right)
        except TypeError as error:
            raise EvalError(f"operator {operator}: {error}") from error

    def _x_for_tuple_expr(self, node: Tree, file: SourceFile, scope: Scope) -> list[Any]:
        intro, *rest = _trees(node)
        body = rest[0]
        condition = rest[1] if len(rest) > 1 else None
        out = []
        for inner in self._for_scopes(intro, file, scope):
            if condition is not None and not self._for_condition(condition, file, inner):
                continue
            out.append(self.eval(body, file, inner))
        return out

    def _x_for_object_expr(self, node: Tree, file: SourceFile, scope: Scope) -> dict[str, Any]:
        if any(isinstance(c, Token) and c.type == "ELLIPSIS" for c in node.children):
            raise UnsupportedExpression("grouping mode (...) in for expressions")
        intro, key_node, value_node, *rest = _trees(node)
        condition = rest[0] if rest else None
        out: dict[str, Any] = {}
        for inner in self._for_scopes(intro, file, scope):
            if condition is not None and not self._for_condition(condition, file, inner):
                continue
            key = tf_string(self.eval(key_node, file, inner), "for-expression key")
            if key in out:
                raise EvalError(f"duplicate key {key!r} in for expression")
            out[key] = self.eval(value_node, file, inner)
        return out

    def _for_condition(self, cond: Tree, file: SourceFile, scope: Scope) -> bool:
        value = self.eval(_trees(cond)[0], file, scope)
        if not isinstance(value, bool):
            raise EvalError(f"for-expression condition is not a bool: {value!r}")
        return value

    def _for_scopes(self, intro: Tree, file: SourceFile, scope: Scope) -> Iterator[Scope]:
        parts = _trees(intro)
        names = [_identifier(p) for p in parts if p.data == "identifier"]
        collection = self.eval(parts[-1], file, scope)
        if isinstance(collection, dict):
            pairs: list[tuple[Any, Any]] = [(k, collection[k]) for k in sorted(collection)]
        elif isinstance(collection, list):
            pairs = list(enumerate(collection))
        else:
            raise EvalError(f"cannot iterate over {type(collection).__name__}")
        for key, value in pairs:
            if len(names) == 2:
                yield scope.child(**{names[0]: key, names[1]: value})
            else:
                yield scope.child(**{names[0]: value})


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _tf_equal(a: Any, b: Any) -> bool:
    """Terraform `==`: equal type and value (all numbers are one type); no conversion."""
    if _is_number(a) and _is_number(b):
        return bool(a == b)
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(_tf_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_tf_equal(a[k], b[k]) for k in a)
    return bool(a == b)


def _for_each_items(collection: Any) -> list[tuple[str, Any]]:
    """for_each over a map (keys in order) or a set of strings (each.key == each.value)."""
    if isinstance(collection, dict):
        return [(k, collection[k]) for k in sorted(collection)]
    if isinstance(collection, list):
        if not all(isinstance(v, str) for v in collection):
            raise EvalError("for_each over a list must be a set of strings")
        return [(v, v) for v in _set_of(collection)]
    raise EvalError(f"for_each over {type(collection).__name__}")


# --------------------------------------------------------------------------------------------
# aws_iam_policy_document rendering (mirrors hashicorp/aws)
# --------------------------------------------------------------------------------------------


def _expand_blocks(
    ev: ModuleEvaluator, block: Block, block_type: str, scope: Scope
) -> Iterator[tuple[Block, Scope]]:
    """Static `<type> {}` and `dynamic "<type>" {}` blocks, in source order."""
    for child in sorted(block.blocks, key=lambda b: b.line):
        if child.type == block_type:
            yield child, scope
        elif child.type == "dynamic" and child.labels == (block_type,):
            if "for_each" not in child.attrs:
                raise EvalError(f'dynamic "{block_type}" without for_each')
            if "labels" in child.attrs:
                raise UnsupportedExpression(f'dynamic "{block_type}" with labels')
            iterator = block_type
            if "iterator" in child.attrs:
                iterator = _identifier(_unwrap(child.attrs["iterator"].expr))
            attr = child.attrs["for_each"]
            collection = ev.eval(attr.expr, attr.file, scope)
            contents = [b for b in child.blocks if b.type == "content"]
            if len(contents) != 1:
                raise EvalError(f'dynamic "{block_type}" needs exactly one content block')
            if isinstance(collection, dict):
                items: list[tuple[Any, Any]] = [(k, collection[k]) for k in sorted(collection)]
            elif isinstance(collection, list):
                items = list(enumerate(collection))
            else:
                raise EvalError(f'dynamic "{block_type}": for_each is {collection!r}')
            for key, value in items:
                yield contents[0], scope.child(**{iterator: {"key": key, "value": value}})


def _arg(ev: ModuleEvaluator, block: Block, name: str, scope: Scope) -> Any:
    attr = block.attrs.get(name)
    return None if attr is None else ev.eval(attr.expr, attr.file, scope)


def _string_list(value: Any, what: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise EvalError(f"{what} must be a list of strings, got {value!r}")
    return [tf_string(v, what) for v in value]


def _decode_set(values: list[str]) -> Any:
    """policyDecodeConfigStrings: one element -> string, else sorted in reverse."""
    unique = list(dict.fromkeys(values))
    if len(unique) == 1:
        return unique[0]
    return sorted(unique, reverse=True)


def _principals(entries: list[tuple[str, Any]]) -> Any:
    """iamPolicyStatementPrincipalSet.MarshalJSON."""
    if len(entries) == 1 and entries[0][0] == "*" and entries[0][1] in ("*", ["*"]):
        return "*"
    raw: dict[str, Any] = {}
    for ptype, identifiers in entries:
        current = raw.get(ptype)
        if isinstance(identifiers, list):
            merged = [] if current is None else ([current] if isinstance(current, str) else current)
            raw[ptype] = merged + sorted(identifiers, reverse=True)
        elif current is None:
            raw[ptype] = identifiers
        elif isinstance(current, str):
            raw[ptype] = [current, identifiers]
        else:
            raw[ptype] = [*current, identifiers]
    return {k: raw[k] for k in sorted(raw)}


def _conditions(entries: list[tuple[str, str, list[str]]]) -> dict[str, Any]:
    """iamPolicyStatementConditionSet.MarshalJSON: same test+variable merged, order kept."""
    raw: dict[str, dict[str, list[str]]] = {}
    for test, variable, values in entries:
        raw.setdefault(test, {}).setdefault(variable, []).extend(values)
    return {
        test: {
            var: (vals[0] if len(vals) == 1 else vals) for var, vals in sorted(raw[test].items())
        }
        for test in sorted(raw)
    }


def _render_statement(ev: ModuleEvaluator, block: Block, scope: Scope) -> dict[str, Any]:
    statement: dict[str, Any] = {}
    sid = _arg(ev, block, "sid", scope)
    if sid:
        statement["Sid"] = tf_string(sid, "sid")
    effect = _arg(ev, block, "effect", scope)
    statement["Effect"] = "Allow" if effect is None else tf_string(effect, "effect")
    if statement["Effect"] not in ("Allow", "Deny"):
        raise EvalError(f"effect must be Allow or Deny, got {statement['Effect']!r}")
    for argument, key in (
        ("actions", "Action"),
        ("not_actions", "NotAction"),
        ("resources", "Resource"),
        ("not_resources", "NotResource"),
    ):
        values = _string_list(_arg(ev, block, argument, scope), argument)
        if values:
            decoded = _decode_set(values)
            if key in ("Resource", "NotResource"):
                decoded = (
                    decoded.replace("&{", "${")
                    if isinstance(decoded, str)
                    else [v.replace("&{", "${") for v in decoded]
                )
            statement[key] = decoded
    for block_type, key in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
        entries: list[tuple[str, Any]] = []
        for child, inner in _expand_blocks(ev, block, block_type, scope):
            ptype = tf_string(_arg(ev, child, "type", inner), "principals.type")
            identifiers = _string_list(_arg(ev, child, "identifiers", inner), "identifiers")
            if not identifiers:
                raise EvalError(f"{block_type} {ptype!r} has no identifiers")
            principal = (ptype, _decode_set([i.replace("&{", "${") for i in identifiers]))
            if principal not in entries:  # principals is a set of blocks
                entries.append(principal)
        if entries:
            statement[key] = _principals(entries)
    conditions: list[tuple[str, str, list[str]]] = []
    for child, inner in _expand_blocks(ev, block, "condition", scope):
        entry = (
            tf_string(_arg(ev, child, "test", inner), "condition.test"),
            tf_string(_arg(ev, child, "variable", inner), "condition.variable"),
            [
                v.replace("&{", "${")
                for v in _string_list(_arg(ev, child, "values", inner), "values")
            ],
        )
        if entry not in conditions:  # condition is a set of blocks
            conditions.append(entry)
    if conditions:
        statement["Condition"] = _conditions(conditions)
    return statement


_STATEMENT_KEYS = (
    "Sid",
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Principal",
    "NotPrincipal",
    "Condition",
)


def _normalize_json_statement(raw: dict[str, Any]) -> dict[str, Any]:
    """A statement read from a JSON document, re-marshalled the way the provider does."""
    out: dict[str, Any] = {}
    for key in _STATEMENT_KEYS:
        value = raw.get(key)
        if value in (None, "", [], {}):
            continue
        if key in ("Principal", "NotPrincipal"):
            if isinstance(value, str):
                value = _principals([("*", ["*"])])
            else:
                entries = [(t, sorted(v) if isinstance(v, list) else v) for t, v in value.items()]
                value = _principals(entries)
        elif key == "Condition":
            entries3 = [
                (test, var, [tf_string(v) for v in (vals if isinstance(vals, list) else [vals])])
                for test, variables in value.items()
                for var, vals in variables.items()
            ]
            value = _conditions(entries3)
        out[key] = value
    return out


def _merge(doc: dict[str, Any], new: dict[str, Any]) -> None:
    """iamPolicyDoc.Merge: adopt Id, upgrade Version, replace statements with the same Sid."""
    if new.get("Id"):
        doc["Id"] = new["Id"]
    if new.get("Version", "") > doc.get("Version", ""):
        doc["Version"] = new["Version"]
    statements = doc.setdefault("Statement", [])
    for statement in new.get("Statement", []):
        sid = statement.get("Sid")
        for n, existing in enumerate(statements):
            if sid and existing.get("Sid") == sid:
                statements[n] = statement
                break
        else:
            statements.append(statement)


def _json_document(text: Any, what: str) -> dict[str, Any]:
    try:
        raw = json.loads(tf_string(text, what))
    except json.JSONDecodeError as error:
        raise EvalError(f"{what} is not JSON: {error}") from error
    statements = raw.get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    return {
        "Version": raw.get("Version", ""),
        "Id": raw.get("Id", ""),
        "Statement": [_normalize_json_statement(s) for s in statements],
    }


def render_policy_document(ev: ModuleEvaluator, inst: Instance) -> dict[str, Any]:
    """The document `data.aws_iam_policy_document` marshals (before JSON encoding)."""
    block, scope = inst.block, inst.scope
    merged: dict[str, Any] = {"Version": "", "Id": "", "Statement": []}
    seen_sids: set[str] = set()
    for n, source in enumerate(_arg(ev, block, "source_policy_documents", scope) or []):
        if source is None:
            continue
        doc = _json_document(source, f"source_policy_documents[{n}]")
        for statement in doc["Statement"]:
            sid = statement.get("Sid")
            if sid and sid in seen_sids:
                raise EvalError(f"duplicate Sid {sid!r} in source_policy_documents")
            if sid:
                seen_sids.add(sid)
        _merge(merged, doc)
    version = _arg(ev, block, "version", scope) or "2012-10-17"
    own: dict[str, Any] = {"Version": version, "Id": _arg(ev, block, "policy_id", scope) or ""}
    own_sids: set[str] = set()
    statements = []
    for child, inner in _expand_blocks(ev, block, "statement", scope):
        statement = _render_statement(ev, child, inner)
        sid = statement.get("Sid")
        if sid:
            if sid in own_sids:
                raise EvalError(f"duplicate Sid {sid!r}")
            own_sids.add(sid)
        statements.append(statement)
    own["Statement"] = statements
    _merge(merged, own)
    for n, override in enumerate(_arg(ev, block, "override_policy_documents", scope) or []):
        if override is not None:
            _merge(merged, _json_document(override, f"override_policy_documents[{n}]"))
    document: dict[str, Any] = {}
    if merged["Version"]:
        document["Version"] = merged["Version"]
    if merged["Id"]:
        document["Id"] = merged["Id"]
    if merged["Statement"]:
        document["Statement"] = merged["Statement"]
    return document


# --------------------------------------------------------------------------------------------
# Consumers and limits
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

# (resource type, argument holding the policy/value, limit key). For IAM inline policies the
# limit applies to the sum over every aws_iam_role_policy of one role (grouped by `role`).
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
    ("aws_sqs_queue", "policy", "sqs_queue"),
    ("aws_sns_topic_policy", "policy", "sns_topic"),
    ("aws_sns_topic", "policy", "sns_topic"),
    ("aws_ssm_parameter", "value", "ssm"),
)


def normalized_policy(text: str) -> str:
    """What the provider sends: `structure.NormalizeJsonString` = compact Go JSON.

    For IAM this is also at least what IAM counts (it ignores whitespace); counting the spaces
    inside string values keeps the measure on the safe side.
    """
    return go_json(json.loads(text))


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


def measure_module(ev: ModuleEvaluator) -> list[Measurement]:
    """Render every policy/value consumer of a module call and measure it."""
    results: list[Measurement] = []
    inline_by_role: dict[str, list[tuple[str, str]]] = {}
    for rtype, argument, limit_key in CONSUMERS:
        groups: dict[str, list[tuple[str, str]]] = {}
        for address, inst in ev.iter_instances("resource", rtype):
            if argument not in inst.block.attrs:
                continue
            value = inst.argument(argument)
            if value is None:
                continue
            text = tf_string(value, f"{address}.{argument}")
            if limit_key == "ssm":
                tier = inst.argument("tier") or "Standard"
                key = {"Standard": "ssm_standard", "Advanced": "ssm_advanced"}.get(tier)
                if key is None:
                    raise EvalError(f"{address}: SSM tier {tier!r} has no known size limit")
                limit = LIMITS[key]
                results.append(
                    Measurement(ev.module.name, address, limit, measure(text, limit), text)
                )
                continue
            compact = normalized_policy(text)
            if limit_key == "iam_inline":
                role = tf_string(inst.argument("role"), f"{address}.role")
                inline_by_role.setdefault(role, []).append((address, compact))
                continue
            base = address.split("[", 1)[0]
            groups.setdefault(base, []).append((address, compact))
        for base, entries in groups.items():
            limit = LIMITS[limit_key]
            largest_address, largest = max(entries, key=lambda e: measure(e[1], limit))
            results.append(
                Measurement(
                    ev.module.name,
                    largest_address
                    if len(entries) == 1
                    else f"{base}[*] (largest of {len(entries)})",
                    limit,
                    measure(largest, limit),
                    largest,
                    instances=len(entries),
                )
            )
    for role, entries in sorted(inline_by_role.items()):
        limit = LIMITS["iam_inline"]
        total = sum(measure(text, limit) for _, text in entries)
        names = ", ".join(address for address, _ in entries)
        results.append(
            Measurement(
                ev.module.name,
                f"role {role}: {names}",
                limit,
                total,
                "\n".join(text for _, text in entries),
                instances=len(entries),
            )
        )
    return results


# --------------------------------------------------------------------------------------------
# Synthesized stacks (cdktf.out/stacks/<stack>/cdk.tf.json)
# --------------------------------------------------------------------------------------------


def _template_tree(text: str) -> tuple[Tree, SourceFile]:
    """A .tf.json string is an HCL template: parse it as the quoted string it stands for."""
    source = "v = " + json.dumps(text)
    tree = _parse_text(hashlib.sha256(source.encode()).hexdigest(), source)
    attribute = _trees(_trees(tree)[0])[0]
    return _trees(attribute)[1], SourceFile(Path("cdk.tf.json"), source + "\n", tree)


def _tf_digest(directory: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(directory.glob("*.tf")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@functools.lru_cache(maxsize=8)
def _known_modules(modules_root: Path) -> dict[str, str]:
    return {
        _tf_digest(d): d.name
        for d in sorted(modules_root.iterdir())
        if d.is_dir() and any(d.glob("*.tf"))
    }


def identify_module(source_dir: Path, modules_root: Path) -> str:
    """Which `modules/<name>` a stack's module asset is a copy of.

    cdktn names some asset folders by hash only, so the folder name cannot be trusted; the
    copy's .tf files must equal the module's byte for byte (a stale synth fails here).
    """
    name = _known_modules(modules_root).get(_tf_digest(source_dir))
    if name is None:
        raise EvalError(
            f"{source_dir}: not a copy of any module in {modules_root} (synthesized from "
            "other module sources?)"
        )
    return name


class Stack:
    """One synthesized stack: its provider context and its module calls.

    `modules_root` names each call's module by content (see `identify_module`).
    """

    def __init__(self, stack_dir: Path, modules_root: Path | None = None) -> None:
        self.modules_root = modules_root
        self.directory = stack_dir
        self.name = stack_dir.name
        self.path = stack_dir / "cdk.tf.json"
        config = json.loads(self.path.read_text(encoding="utf-8"))
        providers = config.get("provider", {}).get("aws", [])
        default = [p for p in providers if "alias" not in p]
        if len(default) != 1:
            raise EvalError(f"{self.path}: expected one default aws provider")
        provider = default[0]
        accounts = provider.get("allowed_account_ids") or []
        if len(accounts) != 1:
            raise EvalError(f"{self.path}: the aws provider must pin one allowed_account_ids")
        self.context = AwsContext(account_id=accounts[0], region=provider["region"])
        self.calls: dict[str, dict[str, Any]] = config.get("module", {})
        for name, call in self.calls.items():
            if call.get("providers"):
                raise UnsupportedExpression(
                    f"{self.path}: module {name} gets aliased providers; its account/region "
                    "would need resolving per alias"
                )
        self._evaluators: dict[str, ModuleEvaluator] = {}
        self._json_scope = _JsonScope(self)

    def evaluator(self, call_name: str) -> ModuleEvaluator:
        """The evaluator of one module call, with its arguments from cdk.tf.json."""
        if call_name not in self._evaluators:
            if call_name not in self.calls:
                raise EvalError(f"{self.path}: no module call {call_name!r}")
            module = Module(self.source_dir(call_name), name=self.module_name(call_name))
            arguments = {
                key: self._value(value)
                for key, value in self.calls[call_name].items()
                if key not in ("source", "version", "providers", "depends_on", "//")
            }
            self._evaluators[call_name] = ModuleEvaluator(
                module,
                arguments,
                self.context,
                call_name=call_name,
                module_outputs=self.output,
            )
        return self._evaluators[call_name]

    def source_dir(self, call_name: str) -> Path:
        return (self.directory / self.calls[call_name]["source"]).resolve()

    def module_name(self, call_name: str) -> str:
        """The module a call uses: matched by content when `modules_root` is given."""
        if self.modules_root is None:
            return self.source_dir(call_name).name
        return identify_module(self.source_dir(call_name), self.modules_root)

    def output(self, call_name: str, output: str) -> Any:
        return self.evaluator(call_name).output(output)

    def _value(self, value: Any) -> Any:
        """A JSON argument value; strings with ${...} are templates (module outputs...)."""
        if isinstance(value, dict):
            return {k: self._value(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self._value(v) for v in value]
        if isinstance(value, str) and ("${" in value or "%{" in value):
            return _DeferredTemplate(self._json_scope, value)
        return value


class _JsonScope(ModuleEvaluator):
    """Evaluates expressions written in cdk.tf.json: only `module.<call>.<output>` resolves."""

    def __init__(self, stack: Stack) -> None:
        empty = Module.__new__(Module)
        empty.directory, empty.name = stack.directory, f"{stack.name} (cdk.tf.json)"
        empty.variables, empty.locals, empty.resources, empty.data, empty.outputs = (
            {},
            {},
            {},
            {},
            {},
        )
        super().__init__(
            empty, {}, stack.context, call_name=stack.name, module_outputs=stack.output
        )


@dataclass
class _DeferredTemplate:
    """A template argument, evaluated when the module first reads the variable."""

    scope: _JsonScope
    text: str

    def resolve(self) -> Any:
        tree, source = _template_tree(self.text)
        return self.scope.eval(tree, source, Scope())


def resolve_arguments(value: Any) -> Any:
    """Replace deferred templates (recursively) by their values."""
    if isinstance(value, _DeferredTemplate):
        return value.resolve()
    if isinstance(value, dict):
        return {k: resolve_arguments(v) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve_arguments(v) for v in value]
    return value


def nested_blocks(instance: Instance, block_type: str) -> list[dict[str, Any]]:
    """The evaluated arguments of an instance's nested `<block_type>` blocks (static and dynamic).

    For plan-level assertions on blocks such as `retry_policy` or a pipeline's `stage`: each
    block becomes a dict of its arguments, with its own nested blocks under their type names.
    """
    result = []
    for block, scope in _expand_blocks(instance.ev, instance.block, block_type, instance.scope):
        values: dict[str, Any] = {
            name: instance.ev.eval(attr.expr, attr.file, scope)
            for name, attr in block.attrs.items()
        }
        child = Instance(instance.ev, instance.kind, block, scope)
        for inner_type in {b.type if b.type != "dynamic" else b.labels[0] for b in block.blocks}:
            values[inner_type] = nested_blocks(child, inner_type)
        result.append(values)
    return result
