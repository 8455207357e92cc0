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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import hcl2
from hcl2.utils import SerializationOptions

PROJECT_ROOT = Path(__file__).resolve().parents[1]
MODULES_DIR = PROJECT_ROOT / "modules"
TARGET_DIR = PROJECT_ROOT / "platform_composition" / "modules"
_HCL_OPTIONS = SerializationOptions(strip_string_quotes=True, with_comments=False)
_NOT_GENERATED = {"__init__.py", "base.py"}


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


def python_type(hcl_type: str) -> str:
    """Map an HCL type constraint to the Python hint the wrapper accepts."""
    hcl_type = hcl_type.strip()
    simple = {"string": "str", "number": "int | float", "bool": "bool", "any": "Any"}
    if hcl_type in simple:
        return simple[hcl_type]
    match = re.fullmatch(r"(list|set|tuple)\((.*)\)", hcl_type, flags=re.S)
    if match:
        inner = match.group(2)
        return f"Sequence[{python_type(inner)}]" if match.group(1) != "tuple" else "Sequence[Any]"
    match = re.fullmatch(r"map\((.*)\)", hcl_type, flags=re.S)
    if match:
        return f"Mapping[str, {python_type(match.group(1))}]"
    if hcl_type.startswith("object("):
        return "Mapping[str, Any]"
    return "Any"


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
        "from platform_composition.modules.base import HclModule",
        "",
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
        hint = python_type(variable.hcl_type)
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
    uses_any = "Any]" in text or ": Any" in text
    return text.replace("ANY_IMPORT\n", "from typing import Any\n" if uses_any else "")


def render_init(module_dirs: list[Path]) -> str:
    names = sorted(class_name(d.name) for d in module_dirs)
    lines = [
        '"""One typed Python interface per HCL module in `modules/` (generated; see base.py)."""',
        "",
        "from platform_composition.modules.base import HclModule, ModuleArgumentError",
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
