"""Offline checks for the HCL modules in `modules/` (and the fixture modules of the tests).

Why: no Terraform provider can be downloaded here, so `terraform validate` cannot run. These
checks cover what it (and a reviewer) would catch: files that do not parse, house-style
conventions (typed and described variables, described outputs, versions.tf declaring every
provider used with its range, no provider/backend in a module, self-contained folders, README
tables, examples), and every `resource`/`data`/`ephemeral`/`provider` block of a provider with a
derived schema (hashicorp/aws: `aws_*`, hashicorp/tfe: `tfe_*`; see SCHEMA_PATHS) against that
schema, derived by `scripts/derive_provider_schema.py --provider <name>`. Blocks of any other
provider are not schema-checked.

Every check returns a list of problem strings (empty = pass), each starting with the file path
relative to the repository root, e.g.
`modules/m/main.tf: aws_s3_bucket.this: unknown argument "bukcet" (did you mean "bucket"?)`.

python-hcl2 8 representation (normalized here): string literals keep their double quotes
(`'"abc"'`), expressions are wrapped in `${...}`, block labels are quoted dict keys, blocks are
lists of dicts carrying `"__is_block__": True`, and object values are dicts without it.
"""

from __future__ import annotations

import difflib
import functools
import gzip
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import hcl2
from hcl2 import SerializationOptions

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = Path(__file__).resolve().parent / "data"
SCHEMA_PATH = DATA_DIR / "aws_provider_schema.json.gz"
SCHEMA_META_PATH = DATA_DIR / "aws_provider_schema.meta.json"
TFE_SCHEMA_PATH = DATA_DIR / "tfe_provider_schema.json.gz"
TFE_SCHEMA_META_PATH = DATA_DIR / "tfe_provider_schema.meta.json"
# Provider local name (the type prefix: aws_s3_bucket -> aws) -> its derived schema. Blocks of a
# provider not listed here are not schema-checked.
SCHEMA_PATHS = {"aws": SCHEMA_PATH, "tfe": TFE_SCHEMA_PATH}

# The hashicorp/tfe (HCP Terraform) range every module using tfe_* declares in versions.tf. The
# schema is derived from tfe 0.71.0 (tests/modules/data/tfe_provider_schema.meta.json). The
# hashicorp/aws range is platform_composition.aws_provider.AWS_PROVIDER_VERSION, with the named
# exceptions of tests/modules/test_provider_range.py (see _aws_provider_range).
TFE_PROVIDER_VERSION = ">= 0.60, < 1.0"

_PARSE_OPTIONS = SerializationOptions(with_comments=False)

# Meta-arguments Terraform itself handles; never provider arguments at the top of a block.
RESOURCE_META_ARGUMENTS = frozenset({"count", "for_each", "depends_on", "provider"})
RESOURCE_META_BLOCKS = frozenset({"lifecycle", "provisioner", "connection"})
DATA_META_ARGUMENTS = frozenset({"count", "for_each", "depends_on", "provider"})
DATA_META_BLOCKS = frozenset({"lifecycle"})
PROVIDER_META_ARGUMENTS = frozenset({"alias", "version"})

# Functions that read files: their path argument must stay inside the module folder.
_FILE_FUNCTIONS = (
    "file",
    "templatefile",
    "filebase64",
    "filebase64sha256",
    "filebase64sha512",
    "filemd5",
    "filesha1",
    "filesha256",
    "filesha512",
    "fileexists",
    "fileset",
)
_FILE_CALL = re.compile(r"\b(" + "|".join(_FILE_FUNCTIONS) + r')\(\s*"([^"]*)"')
_PATH_REF = re.compile(r"\$\{path\.(module|root|cwd)\}((?:/[^\"'\s,)}]*)?)")
_AWS_SOURCES = frozenset({"hashicorp/aws", "registry.terraform.io/hashicorp/aws"})
_TFE_SOURCES = frozenset({"hashicorp/tfe", "registry.terraform.io/hashicorp/tfe"})
# Terraform's built-in provider (terraform_data, terraform_remote_state): never declared.
_BUILTIN_PROVIDERS = frozenset({"terraform"})
# Block type -> how its addresses start (resource "x" "y" is x.y, data "x" "y" is data.x.y).
_ADDRESS_PREFIXES = (("resource", ""), ("data", "data."), ("ephemeral", "ephemeral."))
_PROVIDER_REF = re.compile(r"^\$\{([A-Za-z][\w-]*)(?:\.[\w-]+)?\}$")


# --------------------------------------------------------------------------------------------
# Parsing and normalization
# --------------------------------------------------------------------------------------------


def unquote(value: str) -> str:
    """Strip the double quotes python-hcl2 8 keeps around string literals and labels."""
    if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
        inner = value[1:-1]
        return re.sub(r'\\(["\\])', r"\1", inner).replace("\\n", "\n").replace("\\t", "\t")
    return value


def literal_string(value: Any) -> str | None:
    """The text of a plain string literal (no interpolation), or None for anything else."""
    if isinstance(value, str) and value.startswith('"') and value.endswith('"'):
        text = unquote(value)
        if "${" not in text and not text.startswith("<<"):
            return text
    return None


def is_block_list(value: Any) -> bool:
    """True when `value` is how python-hcl2 8 represents one or more blocks of a type."""
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(item, dict) and item.get("__is_block__") is True for item in value)
    )


def body_items(body: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """Arguments and nested blocks of a block body, without python-hcl2's `__...__` markers."""
    for key, value in body.items():
        if not (key.startswith("__") and key.endswith("__")):
            yield key, value


def iter_blocks(document: dict[str, Any], block_type: str) -> Iterator[tuple[list[str], dict]]:
    """Yield (labels, body) for every top-level block of `block_type` in a parsed file."""
    for entry in document.get(block_type, []) or []:
        labels: list[str] = []
        node: Any = entry
        # Labeled blocks nest one single-key dict per label until the body (marked as block).
        while isinstance(node, dict) and node.get("__is_block__") is not True and len(node) == 1:
            (label, node), *_ = node.items()
            labels.append(unquote(label))
        if isinstance(node, dict):
            yield labels, node


def iter_strings(value: Any) -> Iterator[str]:
    """Every string anywhere inside a parsed value (expressions included), depth first."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and not key.startswith("__"):
                yield key
            yield from iter_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from iter_strings(item)


@functools.lru_cache(maxsize=512)
def _parse_cached(path: str, mtime_ns: int, size: int) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        return hcl2.load(handle, serialization_options=_PARSE_OPTIONS)


def parse_tf(path: Path) -> dict[str, Any]:
    """Parse one .tf file (cached per path and modification time, so a session parses once)."""
    stat = path.stat()
    return _parse_cached(str(path), stat.st_mtime_ns, stat.st_size)


def rel(path: Path, root: Path = REPO_ROOT) -> str:
    """Path as shown in problem messages: relative to the repository root when possible."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


# --------------------------------------------------------------------------------------------
# Discovery
# --------------------------------------------------------------------------------------------


SHARED_BLOCKS_DIR = "shared"


def discover_modules(modules_root: Path = REPO_ROOT / "modules") -> list[Path]:
    """Every module folder, sorted; new modules are picked up automatically.

    That is `modules/*/` and the shared building blocks `modules/shared/*/` (the `shared` folder
    itself only groups them).
    """
    if not modules_root.is_dir():
        return []
    found = []
    for path in modules_root.iterdir():
        if not path.is_dir() or path.name.startswith("."):
            continue
        if path.name == SHARED_BLOCKS_DIR:
            found += [p for p in path.iterdir() if p.is_dir() and not p.name.startswith(".")]
        else:
            found.append(path)
    return sorted(found)


def module_id(module_dir: Path, modules_root: Path = REPO_ROOT / "modules") -> str:
    """A module's name for test ids and messages: `ml-workspace`, `shared/s3-bucket`."""
    try:
        return module_dir.relative_to(modules_root).as_posix()
    except ValueError:
        return module_dir.name


def is_shared_block(target: Path, modules_root: Path = REPO_ROOT / "modules") -> bool:
    """`target` is one of the shared building blocks (`modules/shared/<block>/`)."""
    resolved = target.resolve()
    return (
        resolved.parent == (modules_root / SHARED_BLOCKS_DIR).resolve()
        and (resolved / "versions.tf").is_file()
    )


def root_tf_files(module_dir: Path) -> list[Path]:
    """The module's own .tf files (the module root, not its examples)."""
    return sorted(module_dir.glob("*.tf"))


def all_tf_files(module_dir: Path) -> list[Path]:
    """Every .tf file of the module folder, examples included (.terraform dirs excluded)."""
    return sorted(p for p in module_dir.rglob("*.tf") if ".terraform" not in p.parts)


def example_dirs(module_dir: Path) -> list[Path]:
    """Folders under `examples/` that contain at least one .tf file."""
    examples = module_dir / "examples"
    if not examples.is_dir():
        return []
    return sorted({p.parent for p in examples.rglob("*.tf") if ".terraform" not in p.parts})


def skip_reason(module_dir: Path) -> str | None:
    """Why a module folder cannot be checked yet, or None when it must be checked fully.

    A folder another helper has only just created has no .tf file yet; once the module root
    holds any .tf file, every check applies (a missing versions.tf is then a failure).
    """
    if not root_tf_files(module_dir):
        return f"{rel(module_dir)}: no .tf files in the module root yet"
    return None


def _parsed(files: Iterable[Path]) -> Iterator[tuple[Path, dict[str, Any]]]:
    """(path, document) for files that parse; parse failures are reported by check_parse."""
    for path in files:
        try:
            yield path, parse_tf(path)
        except Exception:  # reported by check_parse, not here
            continue


# --------------------------------------------------------------------------------------------
# Checks: parsing
# --------------------------------------------------------------------------------------------


def check_parse(module_dir: Path) -> list[str]:
    """Every .tf file of the module (examples included) parses with python-hcl2."""
    problems = []
    for path in all_tf_files(module_dir):
        try:
            parse_tf(path)
        except Exception as exc:
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
            problems.append(f"{rel(path)}: does not parse: {type(exc).__name__}: {first_line}")
    return problems


# --------------------------------------------------------------------------------------------
# Checks: conventions
# --------------------------------------------------------------------------------------------


def module_variables(module_dir: Path) -> dict[str, tuple[Path, dict[str, Any]]]:
    """Variable name -> (file, body) over the module root."""
    found = {}
    for path, doc in _parsed(root_tf_files(module_dir)):
        for labels, body in iter_blocks(doc, "variable"):
            if labels:
                found[labels[0]] = (path, body)
    return found


def module_outputs(module_dir: Path) -> dict[str, tuple[Path, dict[str, Any]]]:
    """Output name -> (file, body) over the module root."""
    found = {}
    for path, doc in _parsed(root_tf_files(module_dir)):
        for labels, body in iter_blocks(doc, "output"):
            if labels:
                found[labels[0]] = (path, body)
    return found


def _has_text(body: dict[str, Any], key: str) -> bool:
    value = body.get(key)
    if isinstance(value, str):
        return bool(unquote(value).strip())
    return value is not None


def check_variables(module_dir: Path) -> list[str]:
    """Every variable has a `type` (never `any`) and a non-empty `description`."""
    problems = []
    for name, (path, body) in sorted(module_variables(module_dir).items()):
        where = f'{rel(path)}: variable "{name}"'
        if "type" not in body:
            problems.append(f"{where}: missing type")
        elif re.search(r"\bany\b", str(body["type"])):
            problems.append(f"{where}: type uses `any`; declare the structure instead")
        if not _has_text(body, "description"):
            problems.append(f"{where}: missing description")
    return problems


def check_outputs(module_dir: Path) -> list[str]:
    """Every output has a non-empty `description`."""
    return [
        f'{rel(path)}: output "{name}": missing description'
        for name, (path, body) in sorted(module_outputs(module_dir).items())
        if not _has_text(body, "description")
    ]


def provider_of(type_name: str) -> str:
    """Provider local name Terraform infers from a resource/data type (aws_s3_bucket -> aws)."""
    return type_name.split("_", 1)[0]


def used_providers(module_dir: Path) -> dict[str, str]:
    """Provider local name -> first address that uses it, over the module root.

    A resource/data/ephemeral block uses the provider its type prefix names, or the one its
    `provider = <name>.<alias>` meta-argument names; Terraform's built-in `terraform` provider is
    left out.
    """
    used: dict[str, str] = {}
    for _path, doc in _parsed(root_tf_files(module_dir)):
        for block_type, prefix in _ADDRESS_PREFIXES:
            for labels, body in iter_blocks(doc, block_type):
                if len(labels) != 2:
                    continue
                name = provider_of(labels[0])
                ref = _PROVIDER_REF.match(str(body.get("provider", "")))
                if ref:
                    name = ref.group(1)
                if name not in _BUILTIN_PROVIDERS:
                    used.setdefault(name, f"{prefix}{labels[0]}.{labels[1]}")
    return used


def _aws_provider_range(module_dir: Path) -> str:
    """The hashicorp/aws range a module declares: the platform's, or its named exception.

    Imported, not copied, from their single definitions (platform_composition.aws_provider and
    PROVIDER_RANGE_EXCEPTIONS in test_provider_range.py); imported here on first use because the
    platform package pulls in cdktn, which the other checks do not need.
    """
    from tests.modules.test_provider_range import (
        AWS_PROVIDER_VERSION,
        PROVIDER_RANGE_EXCEPTIONS,
    )

    return PROVIDER_RANGE_EXCEPTIONS.get(rel(module_dir), AWS_PROVIDER_VERSION)


def check_versions(module_dir: Path) -> list[str]:
    """versions.tf sets `required_version >= x` and declares every provider the module uses.

    hashicorp/aws (required when used, and by a module that uses no provider yet) with the
    platform range, hashicorp/tfe (when used) with TFE_PROVIDER_VERSION, any other provider under
    its local name. A declared aws/tfe entry is range-checked whether used or not.
    """
    path = module_dir / "versions.tf"
    where = rel(path)
    if not path.is_file():
        return [f"{where}: missing (required_version and required_providers belong there)"]
    try:
        doc = parse_tf(path)
    except Exception:
        return []  # reported by check_parse
    terraform_blocks = [body for _, body in iter_blocks(doc, "terraform")]
    if not terraform_blocks:
        return [f"{where}: no terraform block"]
    problems = []
    required_version = next(
        (b["required_version"] for b in terraform_blocks if "required_version" in b), None
    )
    if required_version is None:
        problems.append(f"{where}: terraform block has no required_version")
    elif ">=" not in unquote(str(required_version)):
        problems.append(
            f"{where}: required_version {unquote(str(required_version))!r} has no '>=' lower bound"
        )
    entries: dict[str, dict[str, Any]] = {}
    for block in terraform_blocks:
        for rp in block.get("required_providers", []) or []:
            for name, spec in body_items(rp):
                if isinstance(spec, dict):
                    entries[unquote(name)] = spec
    used = used_providers(module_dir)
    ranged = (
        ("aws", _AWS_SOURCES, "hashicorp/aws", lambda: _aws_provider_range(module_dir)),
        ("tfe", _TFE_SOURCES, "hashicorp/tfe", lambda: TFE_PROVIDER_VERSION),
    )
    for local_name, sources, source, expected_range in ranged:
        entry = next(
            (spec for spec in entries.values() if literal_string(spec.get("source")) in sources),
            None,
        )
        if entry is None:
            if local_name in used or (local_name == "aws" and not used):
                problems.append(f"{where}: required_providers has no {source} entry")
            continue
        version = literal_string(entry.get("version")) or ""
        if ">=" not in version:
            problems.append(f"{where}: {source} version {version!r} has no '>=' lower bound")
        elif version != (expected := expected_range()):
            problems.append(f"{where}: {source} version {version!r} is not the range {expected!r}")
    for name, address in sorted(used.items()):
        if name not in ("aws", "tfe") and name not in entries:
            problems.append(
                f'{where}: required_providers has no "{name}" entry (used by {address})'
            )
    return problems


def check_no_provider_or_backend(module_dir: Path) -> list[str]:
    """The module root configures no provider, backend or HCP Terraform `cloud` block."""
    problems = []
    for path, doc in _parsed(root_tf_files(module_dir)):
        for labels, _ in iter_blocks(doc, "provider"):
            name = labels[0] if labels else "?"
            problems.append(
                f'{rel(path)}: provider "{name}" block in a module root '
                "(configure providers in examples or the caller)"
            )
        for _, body in iter_blocks(doc, "terraform"):
            for kind in ("backend", "cloud"):
                if kind in body:
                    problems.append(f"{rel(path)}: terraform {kind} block in a module root")
    return problems


def _inside(target: Path, folder: Path) -> bool:
    try:
        target.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def check_self_contained(module_dir: Path) -> list[str]:
    """Nothing outside the module folder is referenced (module sources, path.*, file paths).

    The one exception is a module source naming a shared building block (`modules/shared/*`):
    consumed as `git::<repo>//modules/<name>`, the whole repository is one module package, so
    `../shared/<block>` resolves wherever the module is used from.

    Local module sources and `${path.module}/...` are resolved from the referencing file's
    folder (so an example's `source = "../.."` is fine). `path.root`/`path.cwd` are the
    caller's folders and never allowed in the module root; in examples they are the example
    folder. Paths built with format()/join() are not followed.
    """
    problems = []
    for path, doc in _parsed(all_tf_files(module_dir)):
        here = path.parent
        in_root = here.resolve() == module_dir.resolve()
        for labels, body in iter_blocks(doc, "module"):
            source = literal_string(body.get("source"))
            name = labels[0] if labels else "?"
            if source is None or not source.startswith(("./", "../")):
                continue
            if not _inside(here / source, module_dir) and not is_shared_block(here / source):
                problems.append(
                    f'{rel(path)}: module "{name}": source "{source}" is outside the module folder'
                )
        seen: set[str] = set()
        for text in iter_strings(doc):
            for match in _PATH_REF.finditer(text):
                kind, suffix = match.group(1), match.group(2)
                ref = match.group(0)
                if ref in seen:
                    continue
                if kind in ("root", "cwd") and in_root:
                    seen.add(ref)
                    problems.append(
                        f"{rel(path)}: {ref} refers to the caller's folder, not the module's"
                    )
                elif not _inside(here / suffix.lstrip("/"), module_dir):
                    seen.add(ref)
                    problems.append(f"{rel(path)}: {ref} points outside the module folder")
            for match in _FILE_CALL.finditer(text):
                func, arg = match.group(1), match.group(2)
                if "${" in arg:
                    continue  # interpolated paths are covered by the path.* rule above
                key = f"{func}:{arg}"
                if key in seen:
                    continue
                if arg.startswith("/") or not _inside(here / arg, module_dir):
                    seen.add(key)
                    problems.append(
                        f'{rel(path)}: {func}("{arg}") reads a file outside the module folder'
                    )
    return problems


def _readme_sections(text: str) -> list[tuple[str, list[str]]]:
    """(heading, table rows) per markdown section; rows are table lines with escapes removed."""
    sections: list[tuple[str, list[str]]] = [("", [])]
    in_fence = False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        if stripped.startswith("#"):
            sections.append((stripped.lstrip("#").strip(), []))
        elif stripped.startswith("|"):
            sections[-1][1].append(stripped.replace("\\_", "_").replace("\\", ""))
    return sections


def _names_in_rows(rows: Iterable[str]) -> set[str]:
    """Identifiers in the first cell of each table row (the Name column).

    Only the first cell counts, so a name mentioned in another row's description is not taken
    for a documented row. Works for plain, backticked and terraform-docs cells
    (`<a name="input_x"></a> [x](#input_x)`).
    """
    names: set[str] = set()
    for row in rows:
        cells = [cell.strip() for cell in row.strip().strip("|").split("|")]
        if cells and cells[0]:
            names.update(re.findall(r"[A-Za-z_][A-Za-z0-9_-]*", cells[0]))
    return names


def check_readme(module_dir: Path) -> list[str]:
    """README.md exists and its Inputs/Outputs tables name every variable and output."""
    path = module_dir / "README.md"
    where = rel(path)
    if not path.is_file():
        return [f"{where}: missing"]
    sections = _readme_sections(path.read_text(encoding="utf-8"))
    inputs = [rows for heading, rows in sections if re.search(r"input|variable", heading, re.I)]
    outputs = [rows for heading, rows in sections if re.search(r"output", heading, re.I)]
    problems = []
    variables = sorted(module_variables(module_dir))
    output_names = sorted(module_outputs(module_dir))
    if variables and not any(inputs):
        problems.append(f"{where}: no Inputs table (a '## Inputs' section with a markdown table)")
    if output_names and not any(outputs):
        problems.append(f"{where}: no Outputs table (a '## Outputs' section with a markdown table)")
    input_names = _names_in_rows(row for rows in inputs for row in rows)
    documented_outputs = _names_in_rows(row for rows in outputs for row in rows)
    if any(inputs):
        problems += [
            f'{where}: variable "{name}" missing from the Inputs table'
            for name in variables
            if name not in input_names
        ]
    if any(outputs):
        problems += [
            f'{where}: output "{name}" missing from the Outputs table'
            for name in output_names
            if name not in documented_outputs
        ]
    return problems


def check_examples(module_dir: Path) -> list[str]:
    """examples/ has at least one example, and every example calls the module (`../..`)."""
    dirs = example_dirs(module_dir)
    where = rel(module_dir / "examples")
    if not dirs:
        return [f"{where}: no example folder with a .tf file"]
    problems = []
    for example in dirs:
        calls = False
        for _path, doc in _parsed(sorted(example.glob("*.tf"))):
            for _labels, body in iter_blocks(doc, "module"):
                source = literal_string(body.get("source"))
                if source and source.startswith((".", "/")):
                    target = (example / source).resolve()
                    calls = calls or target == module_dir.resolve()
        if not calls:
            problems.append(
                f"{rel(example)}: no module block whose source is the module folder (../..)"
            )
    return problems


CONVENTION_CHECKS = (
    check_variables,
    check_outputs,
    check_versions,
    check_no_provider_or_backend,
    check_self_contained,
    check_readme,
    check_examples,
)


def check_conventions(module_dir: Path) -> list[str]:
    """All house-style convention checks for one module folder."""
    problems: list[str] = []
    for check in CONVENTION_CHECKS:
        problems += check(module_dir)
    return problems


# --------------------------------------------------------------------------------------------
# Checks: provider schema
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProviderSchema:
    """One derived provider schema, aws or tfe (see scripts/derive_provider_schema.py)."""

    data: dict[str, Any]

    @property
    def name(self) -> str:
        """Provider local name and type prefix: "aws" for hashicorp/aws."""
        return str(self.data["provider_source"]).rsplit("/", 1)[-1]

    @property
    def provider_version(self) -> str:
        return str(self.data["provider_version"])

    @property
    def resources(self) -> dict[str, Any]:
        return self.data["resources"]  # type: ignore[no-any-return]

    @property
    def data_sources(self) -> dict[str, Any]:
        return self.data["data_sources"]  # type: ignore[no-any-return]

    @property
    def ephemeral_resources(self) -> dict[str, Any]:
        return self.data["ephemeral_resources"]  # type: ignore[no-any-return]

    @property
    def provider(self) -> dict[str, Any]:
        return self.data["provider"]  # type: ignore[no-any-return]

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        """Follow a `{"ref": key}` of a recursive struct into `definitions`."""
        if "ref" in node:
            return {**node, **self.data["definitions"][node["ref"]]}
        return node


@functools.lru_cache(maxsize=4)
def load_schema(path: Path = SCHEMA_PATH) -> ProviderSchema:
    """Load a gzipped schema once per process (aws about 30 ms); aws unless `path` says else."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return ProviderSchema(json.load(handle))


def schema_for(provider: str, schema: ProviderSchema) -> ProviderSchema | None:
    """The schema to check `provider`'s blocks with, or None when there is none.

    `schema` (the one a caller passes, normally aws) serves its own provider; the others in
    SCHEMA_PATHS are loaded on first use and cached, so checking aws-only files never loads them.
    """
    if provider == schema.name:
        return schema
    path = SCHEMA_PATHS.get(provider)
    return load_schema(path) if path is not None else None


def _suggest(name: str, candidates: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.75)
    return f' (did you mean "{close[0]}"?)' if close else ""


@dataclass
class _Ctx:
    schema: ProviderSchema
    where: str  # "<file>: <address>"
    problems: list[str]

    def add(self, path: tuple[str, ...], message: str) -> None:
        inside = f"{'.'.join(path)}: " if path else ""
        self.problems.append(f"{self.where}: {inside}{message}")


def _check_body(
    ctx: _Ctx,
    body: dict[str, Any],
    node: dict[str, Any],
    path: tuple[str, ...],
    meta_arguments: frozenset[str] = frozenset(),
    meta_blocks: frozenset[str] = frozenset(),
) -> None:
    """Check one block body against a schema node; recurse into nested and dynamic blocks."""
    node = ctx.schema.resolve(node)
    if node.get("opaque"):
        return
    attributes: dict[str, bool] = node.get("attributes", {})
    blocks: dict[str, dict[str, Any]] = node.get("blocks", {})
    known = [*attributes, *blocks]
    present: set[str] = set()
    for key, value in body_items(body):
        if key in meta_arguments and not is_block_list(value):
            continue
        if key in meta_blocks:  # lifecycle {...}; provisioner "x" {...} is labeled, not a list
            continue
        if key == "dynamic" and "dynamic" not in blocks and isinstance(value, list):
            # Labeled nested block: [{'"statement"': {..., "__is_block__": True}}, ...]
            for entry in value:
                for label, dynamic_body in body_items(entry if isinstance(entry, dict) else {}):
                    name = unquote(label)
                    present.add(name)
                    _check_dynamic(ctx, name, dynamic_body, blocks, attributes, known, path)
            continue
        present.add(key)
        if is_block_list(value):
            block = blocks.get(key)
            if block is None:
                if key in attributes:
                    ctx.add(path, f'"{key}" is an argument, not a block (use {key} = ...)')
                else:
                    ctx.add(path, f'unknown block "{key}"{_suggest(key, known)}')
                continue
            if block["syntax"] == "attribute":
                ctx.add(path, f'"{key}" is an object argument: assign it ({key} = {{...}})')
                continue
            for item in value:
                _check_body(ctx, item, block, (*path, key))
        elif key in attributes:
            continue
        elif key in blocks:
            if blocks[key]["syntax"] == "block":
                ctx.add(path, f'"{key}" is a block, not an argument (write {key} {{ ... }})')
        else:
            ctx.add(path, f'unknown argument "{key}"{_suggest(key, known)}')
    for name, required in sorted(attributes.items()):
        if required and name not in present:
            ctx.add(path, f'missing required argument "{name}"')
    for name, block in sorted(blocks.items()):
        if block.get("required") and name not in present:
            kind = "block" if block["syntax"] == "block" else "argument"
            ctx.add(path, f'missing required {kind} "{name}"')


def _check_dynamic(
    ctx: _Ctx,
    name: str,
    dynamic_body: dict[str, Any],
    blocks: dict[str, dict[str, Any]],
    attributes: dict[str, bool],
    known: list[str],
    path: tuple[str, ...],
) -> None:
    """A `dynamic "<name>"` block generates `<name>` blocks from its `content`."""
    block = blocks.get(name)
    if block is None:
        if name in attributes:
            ctx.add(path, f'dynamic "{name}": "{name}" is an argument, not a block')
        else:
            ctx.add(path, f'unknown dynamic block "{name}"{_suggest(name, known)}')
        return
    if "for_each" not in dynamic_body:
        ctx.add(path, f'dynamic "{name}": missing for_each')
    contents = dynamic_body.get("content")
    if not isinstance(contents, list) or not is_block_list(contents):
        ctx.add(path, f'dynamic "{name}": missing content block')
        return
    for content in contents:
        _check_body(ctx, content, block, (*path, name))


def check_schema_file(path: Path, schema: ProviderSchema) -> list[str]:
    """Check every resource/data/ephemeral and `provider` block of a schema'd provider in a file.

    `schema` checks its own provider's blocks (aws_* for the aws schema); tfe_* blocks are checked
    against the tfe schema (see schema_for). Blocks of other providers are left alone.
    """
    try:
        doc = parse_tf(path)
    except Exception:
        return []  # reported by check_parse
    problems: list[str] = []
    where = rel(path)
    kinds = (
        ("resource", "resources", "resource", "", RESOURCE_META_ARGUMENTS, RESOURCE_META_BLOCKS),
        ("data", "data_sources", "data source", "data.", DATA_META_ARGUMENTS, DATA_META_BLOCKS),
        (
            "ephemeral",
            "ephemeral_resources",
            "ephemeral resource",
            "ephemeral.",
            DATA_META_ARGUMENTS,
            DATA_META_BLOCKS,
        ),
    )
    for block_type, section, noun, prefix, meta_args, meta_blocks in kinds:
        for labels, body in iter_blocks(doc, block_type):
            if len(labels) != 2:
                continue
            type_name, name = labels
            provider_schema = schema_for(provider_of(type_name), schema)
            if provider_schema is None:
                continue
            table: dict[str, Any] = getattr(provider_schema, section)
            ctx = _Ctx(provider_schema, f"{where}: {prefix}{type_name}.{name}", problems)
            node = table.get(type_name)
            if node is None:
                ctx.add((), f'unknown {noun} type "{type_name}"{_suggest(type_name, table)}')
                continue
            _check_body(ctx, body, node, (), meta_args, meta_blocks)
    for labels, body in iter_blocks(doc, "provider"):
        provider_schema = schema_for(labels[0], schema) if len(labels) == 1 else None
        if provider_schema is not None:
            ctx = _Ctx(provider_schema, f'{where}: provider "{labels[0]}"', problems)
            _check_body(ctx, body, provider_schema.provider, (), PROVIDER_META_ARGUMENTS)
    return problems


def check_schema(module_dir: Path, schema: ProviderSchema) -> list[str]:
    """Schema check over the module root and all of its examples."""
    problems: list[str] = []
    for path in all_tf_files(module_dir):
        problems += check_schema_file(path, schema)
    return problems


def check_module(module_dir: Path, schema: ProviderSchema) -> list[str]:
    """Everything except `terraform fmt`: parse, conventions and provider schema."""
    return (
        check_parse(module_dir) + check_conventions(module_dir) + check_schema(module_dir, schema)
    )
