"""Generate the typed Python interface of every HCL module from its variables.tf and outputs.tf.

    python scripts/generate_module_interfaces.py           # write platform_composition/modules/*.py
    python scripts/generate_module_interfaces.py --check   # exit 1 if any file is out of date

One class per module: keyword-only arguments mirror the variables (required ones without a
default), properties mirror the outputs, and docstrings carry the HCL descriptions. Generating
instead of hand-writing means the Python side cannot drift from the HCL silently: the test suite
runs `--check`. Exit codes: 0 up to date / written, 1 out of date, 2 bad input.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import hcl2
from hcl2.utils import SerializationOptions

PROJECT_ROOT = Path(__file__).resolve().parents[1]
MODULES_DIR = PROJECT_ROOT / "modules"
TARGET_DIR = PROJECT_ROOT / "platform_composition" / "modules"
_HCL_OPTIONS = SerializationOptions(strip_string_quotes=True, with_comments=False)
_NOT_GENERATED: set[str] = set()  # every file in the folder is generated


@dataclass(frozen=True)
class Variable:
    name: str
    hcl_type: str
    description: str
    required: bool


@dataclass(frozen=True)
class Output:
    name: str
    description: str


def _blocks(path: Path, kind: str) -> list[tuple[str, dict[str, Any]]]:
    with path.open(encoding="utf-8") as handle:
        parsed = hcl2.load(handle, serialization_options=_HCL_OPTIONS)
    return [(label, body) for block in parsed.get(kind, []) for label, body in block.items()]


def read_module(module_dir: Path) -> tuple[list[Variable], list[Output]]:
    variables: list[Variable] = []
    outputs: list[Output] = []
    for tf_file in sorted(module_dir.glob("*.tf")):
        for name, body in _blocks(tf_file, "variable"):
            variables.append(
                Variable(
                    name=name,
                    hcl_type=_strip_interpolation(str(body.get("type", "any"))),
                    description=str(body.get("description", "")).strip(),
                    required="default" not in body,
                )
            )
        for name, body in _blocks(tf_file, "output"):
            outputs.append(Output(name=name, description=str(body.get("description", "")).strip()))
    return variables, outputs


def _strip_interpolation(value: str) -> str:
    match = re.fullmatch(r"\$\{(.*)\}", value.strip(), flags=re.S)
    return match.group(1) if match else value.strip()


_TOKEN = re.compile(r'\s*("(?:[^"\\]|\\.)*"|[A-Za-z_][\w-]*|-?\d+(?:\.\d+)?|[(){}\[\],=:])')


@dataclass(frozen=True)
class HclType:
    """A parsed HCL type constraint: a primitive, a collection of one element type, or an object
    with attributes (name, type, optional)."""

    kind: str  # string, number, bool, any, list, set, map, tuple, object
    element: HclType | None = None
    attributes: tuple[tuple[str, HclType, bool], ...] = ()


class _TypeParser:
    """Recursive descent over a type constraint as python-hcl2 prints it, e.g.
    `map(object({a = string, b = optional(list(string), [])}))`. The default of `optional(...)`
    is skipped: the wrapper leaves defaults to Terraform."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[str] = []
        end = 0
        while end < len(text.rstrip()):
            match = _TOKEN.match(text, end)
            if match is None:
                raise ValueError(f"cannot read type constraint {text!r} at {text[end:]!r}")
            self.tokens.append(match.group(1))
            end = match.end()
        self.position = 0

    def _next(self) -> str:
        if self.position >= len(self.tokens):
            raise ValueError(f"type constraint ends early: {self.text!r}")
        token = self.tokens[self.position]
        self.position += 1
        return token

    def _expect(self, token: str) -> None:
        got = self._next()
        if got != token:
            raise ValueError(f"expected {token!r}, got {got!r} in {self.text!r}")

    def _peek(self) -> str | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def parse(self) -> HclType:
        result = self.type()
        if self._peek() is not None:
            raise ValueError(f"unexpected {self._peek()!r} in {self.text!r}")
        return result

    def type(self) -> HclType:
        name = self._next()
        if name in ("string", "number", "bool", "any"):
            return HclType(name)
        if name in ("list", "set", "map"):
            self._expect("(")
            element = self.type()
            self._expect(")")
            return HclType(name, element)
        if name == "tuple":
            self._skip_balanced_group()
            return HclType("tuple")
        if name == "object":
            self._expect("(")
            self._expect("{")
            attributes = []
            while self._peek() != "}":
                attribute = self._next()
                self._expect("=")
                optional = self._peek() == "optional"
                if optional:
                    self._next()
                    self._expect("(")
                    attribute_type = self.type()
                    if self._peek() == ",":
                        self._next()
                        self._skip_expression()
                    self._expect(")")
                else:
                    attribute_type = self.type()
                attributes.append((attribute, attribute_type, optional))
                if self._peek() == ",":
                    self._next()
            self._expect("}")
            self._expect(")")
            return HclType("object", attributes=tuple(attributes))
        raise ValueError(f"unknown type {name!r} in {self.text!r}")

    def _skip_balanced_group(self) -> None:
        self._expect("(")
        depth = 1
        while depth:
            token = self._next()
            depth += token in "([{" and len(token) == 1
            depth -= token in ")]}" and len(token) == 1

    def _skip_expression(self) -> None:
        """A default value: everything up to the `)` that closes `optional(`."""
        depth = 0
        while True:
            token = self._peek()
            if token is None:
                raise ValueError(f"unclosed optional() in {self.text!r}")
            if depth == 0 and token == ")":
                return
            self._next()
            if token in ("(", "[", "{"):
                depth += 1
            elif token in (")", "]", "}"):
                depth -= 1


def parse_type(hcl_type: str) -> HclType:
    return _TypeParser(hcl_type.strip()).parse()


def _camel(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[_-]", name) if part)


@dataclass
class TypedDicts:
    """The TypedDict classes one module's object variables need, in definition order."""

    classes: list[str] = field(default_factory=list)

    def hint(self, hcl_type: HclType, name: str) -> str:
        """The Python hint for `hcl_type`; object types become TypedDicts named `name`."""
        simple = {"string": "str", "number": "int | float", "bool": "bool", "any": "Any"}
        if hcl_type.kind in simple:
            return simple[hcl_type.kind]
        if hcl_type.kind in ("list", "set"):
            assert hcl_type.element is not None
            return f"Sequence[{self.hint(hcl_type.element, f'{name}Item')}]"
        if hcl_type.kind == "map":
            assert hcl_type.element is not None
            return f"Mapping[str, {self.hint(hcl_type.element, f'{name}Value')}]"
        if hcl_type.kind == "tuple":
            return "Sequence[Any]"
        fields = []
        for attribute, attribute_type, optional in hcl_type.attributes:
            inner = self.hint(attribute_type, f"{name}{_camel(attribute)}")
            fields.append(
                f"    {attribute}: NotRequired[{inner} | None]"
                if optional
                else f"    {attribute}: {inner}"
            )
        body = "\n".join(fields) or "    pass"
        self.classes.append(f"class {name}(TypedDict):\n{body}\n")
        return name


def python_type(hcl_type: str, name: str = "Object", typed: TypedDicts | None = None) -> str:
    """Map an HCL type constraint to the Python hint the wrapper accepts; object types become
    TypedDicts (collected in `typed`), so mypy checks the keys a stack passes."""
    return (typed or TypedDicts()).hint(parse_type(hcl_type), name)


def class_name(module_name: str) -> str:
    return "".join(part.capitalize() for part in module_name.split("-"))


def _doc(text: str, indent: str, width: int = 96) -> str:
    return textwrap.fill(text, width=width, initial_indent=indent, subsequent_indent=indent)


def _property_docstring(text: str) -> list[str]:
    text = text.replace('"""', "'''")
    if len(text) <= 80:
        return [f'        """{text}"""']
    return ['        """', *_doc(text, "        ", 96).splitlines(), '        """']


def render(module_dir: Path) -> str:
    variables, outputs = read_module(module_dir)
    name = module_dir.name
    cls = class_name(name)
    typed = TypedDicts()
    lines = [
        f'"""Typed interface of `modules/{name}`.',
        "",
        "Generated from the module's variables.tf and outputs.tf by",
        "`scripts/generate_module_interfaces.py`; edit the HCL, then regenerate.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "from collections.abc import Mapping, Sequence",
        "ANY_IMPORT",
        "",
        "from cdktn import TerraformProvider",
        "from constructs import Construct",
        "",
        "from platform_composition.hcl_module import HclModule",
        "",
        "TYPED_DICTS",
        "",
        f"class {cls}(HclModule):",
        f'    """Python interface of modules/{name} (see its README.md).',
        "",
        "    Arguments (HCL variable descriptions):",
    ]
    for variable in variables:
        lines.append(_doc(f"{variable.name}: {variable.description}", "        "))
    lines += [
        '    """',
        "",
        f'    module_name = "{name}"',
        "",
        "    def __init__(",
        "        self,",
        "        scope: Construct,",
        "        construct_id: str,",
        "        *,",
    ]
    for variable in variables:
        hint = python_type(variable.hcl_type, f"{cls}{_camel(variable.name)}", typed)
        if variable.required:
            lines.append(f"        {variable.name}: {hint},")
        else:
            lines.append(f"        {variable.name}: {hint} | None = None,")
    lines += [
        "        providers: Sequence[TerraformProvider] | None = None,",
        "    ) -> None:",
        "        super().__init__(",
        "            scope,",
        "            construct_id,",
        "            providers=providers,",
        "            arguments={",
    ]
    for variable in variables:
        lines.append(f'                "{variable.name}": {variable.name},')
    lines += ["            },", "        )"]
    for output in outputs:
        lines += [
            "",
            "    @property",
            f"    def {output.name}(self) -> str:",
            *_property_docstring(output.description or output.name),
            f'        return self.output("{output.name}")',
        ]
    text = "\n".join(line.rstrip() for line in lines) + "\n"
    # The argument shapes of object variables (total: an optional() attribute is NotRequired).
    text = text.replace("TYPED_DICTS\n", "\n\n".join(typed.classes) + "\n" if typed.classes else "")
    names = [n for n in ("Any", "NotRequired", "TypedDict") if re.search(rf"\b{n}\b", text)]
    typing_import = f"from typing import {', '.join(names)}\n" if names else ""
    return text.replace("ANY_IMPORT\n", typing_import)


def render_init(module_dirs: list[Path]) -> str:
    names = sorted(class_name(d.name) for d in module_dirs)
    lines = [
        '"""Generated: one typed Python interface per HCL module in `modules/` (see '
        'platform_composition/hcl_module.py and scripts/generate_module_interfaces.py)."""',
        "",
        "from platform_composition.hcl_module import HclModule, ModuleArgumentError",
    ]
    for module_dir in sorted(module_dirs, key=lambda d: d.name):
        lines.append(
            f"from platform_composition.modules.{module_dir.name.replace('-', '_')} "
            f"import {class_name(module_dir.name)}"
        )
    exported = ", ".join(f'"{n}"' for n in sorted([*names, "HclModule", "ModuleArgumentError"]))
    lines += ["", f"__all__ = [{exported}]"]
    return "\n".join(lines) + "\n"


def formatted(text: str, path: Path) -> str:
    """Run the project's formatter so generated files look like hand-written ones."""
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--stdin-filename", str(path), "-"],
        input=text,
        capture_output=True,
        text=True,
        check=True,
        cwd=PROJECT_ROOT,
    )
    return result.stdout


def expected_files() -> dict[Path, str]:
    module_dirs = [d for d in sorted(MODULES_DIR.iterdir()) if (d / "variables.tf").is_file()]
    files = {TARGET_DIR / f"{d.name.replace('-', '_')}.py": render(d) for d in module_dirs}
    files[TARGET_DIR / "__init__.py"] = render_init(module_dirs)
    return {path: formatted(text, path) for path, text in files.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="only report out-of-date files")
    args = parser.parse_args(argv)
    try:
        files = expected_files()
    except Exception as error:  # a module whose HCL does not parse is bad input here
        print(f"error: {error}", file=sys.stderr)
        return 2
    stale = [path for path, text in files.items() if not path.is_file() or path.read_text() != text]
    orphans = [
        path
        for path in TARGET_DIR.glob("*.py")
        if path not in files and path.name not in _NOT_GENERATED
    ]
    if args.check:
        for path in stale:
            print(f"out of date: {path.relative_to(PROJECT_ROOT)}")
        for path in orphans:
            print(f"no module behind: {path.relative_to(PROJECT_ROOT)}")
        if stale or orphans:
            print("run: python scripts/generate_module_interfaces.py", file=sys.stderr)
            return 1
        return 0
    for path in stale:
        path.write_text(files[path])
        print(f"wrote {path.relative_to(PROJECT_ROOT)}")
    for path in orphans:
        path.unlink()
        print(f"removed {path.relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
