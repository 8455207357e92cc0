"""Base class for the typed Python interface of each HCL module in `modules/`.

Each wrapper mirrors its module's `variables.tf` with keyword-only arguments and its `outputs.tf`
with properties. At synth time the arguments are checked against `variables.tf` itself (parsed
with python-hcl2), so a variable renamed in HCL but not in Python fails the synth with a message
naming the module and the variable instead of failing later in `terraform plan`; a test compares
every wrapper's signature and properties with the HCL so the two cannot drift silently.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import hcl2
from cdktn import IResolvable, TerraformHclModule, TerraformProvider, TerraformStack
from constructs import Construct
from hcl2.utils import SerializationOptions

PROJECT_ROOT = Path(__file__).resolve().parents[1]
MODULES_DIR = PROJECT_ROOT / "modules"

_HCL_OPTIONS = SerializationOptions(strip_string_quotes=True, with_comments=False)


class ModuleArgumentError(ValueError):
    """Arguments passed to an HCL module do not match its `variables.tf`."""


@dataclass(frozen=True)
class ModuleInterface:
    """What an HCL module accepts and returns, read from its own files."""

    name: str
    variables: Mapping[str, bool]  # variable name -> required (no default)
    outputs: frozenset[str]


def _blocks(parsed: Mapping[str, Any], kind: str) -> dict[str, Mapping[str, Any]]:
    result: dict[str, Mapping[str, Any]] = {}
    for block in parsed.get(kind, []):
        for label, body in block.items():
            result[label] = body
    return result


@functools.cache
def read_module_interface(module_name: str, modules_dir: Path = MODULES_DIR) -> ModuleInterface:
    """Parse `variables.tf` and `outputs.tf` of `modules/<module_name>`.

    Only those two files are read (the module conventions test guarantees that no variable or
    output is declared elsewhere): parsing every file of every module would double synth time.
    """
    module_dir = modules_dir / module_name
    variables_tf, outputs_tf = module_dir / "variables.tf", module_dir / "outputs.tf"
    if not variables_tf.is_file():
        raise ModuleArgumentError(f"module {module_name}: {variables_tf} not found")
    variables_text = variables_tf.read_text(encoding="utf-8")
    outputs_text = outputs_tf.read_text(encoding="utf-8") if outputs_tf.is_file() else ""
    # Parsing HCL is most of a synth's time: the result is kept per content of the two files.
    digest = hashlib.sha256(f"{variables_text}\0{outputs_text}".encode()).hexdigest()
    cached = _read_cache(digest)
    if cached is None:
        cached = {
            "variables": {
                name: "default" not in body
                for name, body in _blocks(_parse(variables_text), "variable").items()
            },
            "outputs": sorted(_blocks(_parse(outputs_text), "output")) if outputs_text else [],
        }
        _write_cache(digest, cached)
    return ModuleInterface(
        name=module_name,
        variables=dict(cached["variables"]),
        outputs=frozenset(cached["outputs"]),
    )


def _cache_dir() -> Path:
    """Where parsed interfaces are kept; OSError when there is no place for it (no home)."""
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError as error:  # no HOME and no user database entry
            raise OSError(str(error)) from error
    return Path(base) / "mlgov" / "module-interfaces"


def _read_cache(digest: str) -> dict[str, Any] | None:
    """The interface parsed from files with this content, if a synth kept it (None otherwise,
    also for an unreadable or malformed entry, which is parsed again)."""
    try:
        entry = json.loads((_cache_dir() / f"{digest}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    valid = (
        isinstance(entry, dict)
        and isinstance(entry.get("variables"), dict)
        and all(isinstance(v, bool) for v in entry["variables"].values())
        and isinstance(entry.get("outputs"), list)
    )
    return entry if valid else None


def _write_cache(digest: str, entry: dict[str, Any]) -> None:
    """Keep the entry (written whole, then renamed); a cache that cannot be written is skipped."""
    try:
        directory = _cache_dir()
        directory.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", dir=directory, suffix=".tmp", delete=False, encoding="utf-8"
        ) as handle:
            json.dump(entry, handle)
        os.replace(handle.name, directory / f"{digest}.json")
    except OSError:
        pass


def _parse(text: str) -> dict[str, Any]:
    parsed: dict[str, Any] = hcl2.loads(text, serialization_options=_HCL_OPTIONS)
    return parsed


def check_module_arguments(interface: ModuleInterface, arguments: Mapping[str, Any]) -> None:
    """Fail on unknown variables and on missing required ones, naming module and variable."""
    unknown = sorted(set(arguments) - set(interface.variables))
    if unknown:
        raise ModuleArgumentError(
            f"module {interface.name}: unknown variable {unknown[0]!r} "
            f"(variables.tf declares: {', '.join(sorted(interface.variables))})"
        )
    missing = sorted(
        name for name, required in interface.variables.items() if required and name not in arguments
    )
    if missing:
        raise ModuleArgumentError(
            f"module {interface.name}: required variable {missing[0]!r} is not set"
        )


class HclModule(TerraformHclModule):
    """A local HCL module from `modules/`, called as `./modules/<name>` of its stack directory
    (`install_module_sources` copies it there after synth)."""

    module_name: ClassVar[str]

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        arguments: Mapping[str, Any],
        providers: Sequence[TerraformProvider] | None = None,
    ) -> None:
        interface = read_module_interface(self.module_name)
        # None means "leave the module's default"; it is not passed to Terraform at all.
        variables = {key: value for key, value in arguments.items() if value is not None}
        check_module_arguments(interface, variables)
        super().__init__(
            scope,
            construct_id,
            source=stack_module_source(self.module_name),
            variables=variables,
            providers=list(providers) if providers else None,
            # cdktn's own module asset copies every module of the stack into a temporary
            # directory it never removes, hashes it, and copies it again at synth: most of a
            # stack's synth time, one leaked directory per stack and run, and a source path
            # that changes (forcing `terraform init`) whenever any module file changes.
            skip_asset_creation_from_local_modules=True,
        )
        self._interface = interface
        # A module placed directly in its stack is keyed by its construct id in the stack's
        # `module` block (cdktn derives longer keys for deeper constructs).
        self._address = f"module.{construct_id}" if isinstance(scope, TerraformStack) else None

    def output(self, name: str) -> str:
        """A module output as a Terraform expression string (`${module.<id>.<name>}`), for
        module arguments and stack outputs; unknown names fail at synth time.

        Written here rather than asked of cdktn (`get_string`): a synth reads over a thousand
        outputs for 50 dev accounts, and each question is a round trip to its Node.js process.
        cdktn's functions (`Fn.*`) take a plain string as a string literal: pass them
        `reference(name)` instead.
        """
        self._check_output(name)
        if self._address is None:
            return self.get_string(name)
        return f"${{{self._address}.{name}}}"

    def reference(self, name: str) -> IResolvable:
        """A module output as a cdktn reference, for the arguments of `Fn.*` functions."""
        self._check_output(name)
        return self.interpolation_for_output(name)

    def _check_output(self, name: str) -> None:
        if name not in self._interface.outputs:
            raise ModuleArgumentError(
                f"module {self.module_name}: unknown output {name!r} "
                f"(outputs.tf declares: {', '.join(sorted(self._interface.outputs))})"
            )


# Below each stack directory: the modules its cdk.tf.json calls.
STACK_MODULES_FOLDER = "modules"
# The building blocks modules call as `../shared/<block>`: copied next to them.
SHARED_BLOCKS = "shared"
# Never shipped from a source tree: caches, and what a `terraform init`/`apply` run inside the
# folder leaves behind (providers can weigh hundreds of MB).
_NOT_SOURCE_PARTS = {"__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", ".terraform"}
_SHARED_BLOCK_SOURCE = re.compile(r'^\s*source\s*=\s*"\.\./shared/([A-Za-z0-9_-]+)"', re.MULTILINE)


def source_files(root: Path) -> list[Path]:
    """The files of a source tree that are shipped (stacks, product archives, seed code)."""
    return sorted(
        path
        for path in root.rglob("*")
        if path.is_file()
        and not _NOT_SOURCE_PARTS.intersection(path.relative_to(root).parts)
        and path.suffix not in {".pyc", ".pyo"}
        and path.name != ".terraform.lock.hcl"
        and ".tfstate" not in path.name
    )


def module_files(module_dir: Path) -> list[Path]:
    """What a module deploys: its source files without `examples/` (root modules of their own
    that call `../..`)."""
    return [
        path
        for path in source_files(module_dir)
        if path.relative_to(module_dir).parts[0] != "examples"
    ]


def shared_blocks_called(module_dir: Path) -> list[str]:
    """The shared building blocks a module calls (`source = "../shared/<block>"`), sorted."""
    return sorted(
        {
            block
            for path in module_dir.glob("*.tf")
            for block in _SHARED_BLOCK_SOURCE.findall(path.read_text(encoding="utf-8"))
        }
    )


def stack_module_source(module_name: str) -> str:
    """The `source` of a module call, relative to the stack directory."""
    return f"./{STACK_MODULES_FOLDER}/{module_name}"


def install_module_sources(stack_dir: Path, modules_dir: Path = MODULES_DIR) -> list[str]:
    """Copy the modules `<stack_dir>/cdk.tf.json` calls, and the shared building blocks they
    call, into `<stack_dir>/modules/` (their `module_files`), so the stack directory is a
    self-contained Terraform root (what `terraform init`, HCP Terraform and the tests read).
    Returns the module names copied, in the order the stack calls them.
    """
    document = json.loads((stack_dir / "cdk.tf.json").read_text(encoding="utf-8"))
    prefix = stack_module_source("")
    names: list[str] = []
    for call, body in (document.get("module") or {}).items():
        source = str(body.get("source", ""))
        if not source.startswith(prefix):
            continue  # a registry or git source: Terraform downloads it
        name = source[len(prefix) :]
        if "/" in name or not (modules_dir / name).is_dir() or name == SHARED_BLOCKS:
            raise ModuleArgumentError(
                f"{stack_dir.name}: module {call!r} calls {source!r}, which is not a module of "
                f"{modules_dir}"
            )
        if name not in names:
            names.append(name)
    blocks = sorted({block for name in names for block in shared_blocks_called(modules_dir / name)})
    target = stack_dir / STACK_MODULES_FOLDER
    for relative in [*names, *(f"{SHARED_BLOCKS}/{block}" for block in blocks)]:
        source_dir = modules_dir / relative
        if not (source_dir / "versions.tf").is_file():
            raise ModuleArgumentError(f"{stack_dir.name}: {source_dir} is no module")
        for path in module_files(source_dir):
            copy = target / relative / path.relative_to(source_dir)
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, copy)
    return names
