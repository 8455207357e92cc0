#!/usr/bin/env python3
"""Derive a compact provider schema (hashicorp/aws or hashicorp/tfe) offline from a bindings wheel.

Why: `terraform validate` needs the provider plugin, which cannot be downloaded here. Prebuilt
CDK bindings on PyPI are generated from the provider's own schema, and their jsii assembly keeps
enough of it (Terraform names, required flags, nested blocks) to check HCL `resource`/`data`
blocks for unknown or missing arguments. This script turns the assembly (155 MB for aws) into a
small gzipped JSON that the test suite loads in milliseconds.

Providers (`--provider`, see PROVIDERS): `aws` (default) from CDK Terrain's `cdktn-provider-aws`
(jsii core `cdktn`) -> tests/modules/data/aws_provider_schema.*; `tfe` (HCP Terraform) from the
CDKTF bindings `cdktf-cdktf-provider-tfe` (jsii core `cdktf`; no longer published after 12.5.1) ->
tests/modules/data/tfe_provider_schema.*. Both are generated the same way; only the package,
the core library's prefix and the registry links differ. `<core>` below is `cdktn` or `cdktf`.

How the assembly maps back to Terraform (all taken from `package/.jsii` inside
`<package>/_jsii/provider-<name>@<version>.jsii.tgz` in the wheel):

* Resource / data source / ephemeral resource classes are the classes whose base is
  `<core>.TerraformResource` / `<core>.TerraformDataSource` / `<core>.TerraformEphemeralResource`.
  Their Terraform type is the link text in the class docs
  ("Represents a {@link https://registry.terraform.io/.../docs/resources/s3_bucket aws_s3_bucket}").
  The `tfResourceType` static constant holds the same value, but jsii does not record constant
  values, so the compiled `lib/*/index.js` in the same tarball is used only as a cross-check
  (`static tfResourceType = "...";` or, older compilers, `Cls.tfResourceType = "...";`).
  Class names are useless for this (`S3BucketServerSideEncryptionConfigurationA` exists because
  of a name clash).
* Arguments are the properties of the `config` struct of the class initializer (computed-only
  attributes are not in it). The Terraform name of every property is the registry anchor in
  its docs ("{@link .../s3_bucket#bucket_prefix S3Bucket#bucket_prefix}"), which sidesteps the
  lossy camelCase round trip (`addressLine1` <- `address_line_1`, `m2TsSettings` <-
  `m2ts_settings`, `s3Api` <- `s3api`) and the renames cdktf applies to names that clash with
  jsii, constructs or target languages (`self` -> `selfAttribute`, `get_password_data` ->
  `fetchPasswordData`, `equals` -> `equalTo`, `node`/`system`/`software` -> `...Attribute`).
  Meta-arguments (`count`, `for_each`, `depends_on`, `provider`, `lifecycle`) come from the
  inherited `<core>.TerraformMetaArguments`, which lives in another assembly and is therefore
  never mixed into the argument lists; nested blocks that legitimately have arguments called
  `count`, `provider` or `lifecycle` (wafv2 actions, codepipeline actions, backup rules) keep
  them. A camelCase -> snake_case fallback with the reverse renames exists for properties
  without an anchor; the summary reports how often it was needed (0 for aws 25.8.1 and tfe
  12.5.1).
* Required = the struct property is not optional. For nested blocks cdktf makes the property
  non-optional when the block has `min_items >= 1`, so "required block" is recorded as well.

Block versus attribute (the limits):

* A struct-typed property whose docs summary reads "<name> block." is a nested block
  (`syntax: block`).
* A struct-typed property without that summary is an object-typed attribute (plugin-framework
  nested attributes or `list(object)` attributes). A list of objects accepts both the
  `name = [{...}]` form and repeated blocks (Terraform core's attributes-as-blocks fixup), so it
  is recorded as `syntax: either`; a single object must be assigned (`syntax: attribute`).
* A few blocks are too deep for the bindings (`wafv2_web_acl.rule.statement`,
  `quicksight_*.definition`): cdktf types them as `any`, so their contents are unknown and
  recorded as `opaque: true` (anything inside is accepted).
* Map and primitive attributes are plain attributes; attribute value types, `ConflictsWith`,
  `ExactlyOneOf`, validators and max_items are not in the assembly and are not checked.

Exit codes: 0 schema written, 1 derivation failed (download, unreadable or inconsistent
assembly), 2 bad input (arguments, missing wheel file).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import re
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "tests" / "modules" / "data"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class ProviderSpec:
    """Where one provider's bindings come from, how their assembly names things, where to write."""

    name: str  # provider local name and type prefix: "aws" -> aws_s3_bucket
    package: str  # PyPI distribution of the prebuilt bindings
    version: str  # pinned bindings version (the provider version is read from the assembly)
    core: str  # jsii module of the CDK core the bindings extend: "cdktn" or "cdktf"
    # Keys naming the bindings in the schema and its metadata; aws keeps its original key so the
    # committed aws files stay byte-identical.
    legacy_version_key: str | None = None
    opaque_examples: str = ""  # for the metadata's limits text

    @property
    def source(self) -> str:
        return f"hashicorp/{self.name}"

    @property
    def wheel_glob(self) -> str:
        return f"{self.package.replace('-', '_')}-*.whl"

    @property
    def output(self) -> Path:
        return DATA_DIR / f"{self.name}_provider_schema.json.gz"

    @property
    def meta(self) -> Path:
        return DATA_DIR / f"{self.name}_provider_schema.meta.json"

    def kind_by_base(self) -> dict[str, str]:
        """Class base -> section of the output schema."""
        return {
            f"{self.core}.TerraformResource": "resources",
            f"{self.core}.TerraformDataSource": "data_sources",
            f"{self.core}.TerraformEphemeralResource": "ephemeral_resources",
            f"{self.core}.TerraformProvider": "provider",
        }

    def bindings_fields(self, bindings_version: Any) -> dict[str, Any]:
        """Schema/metadata fields naming the bindings release the schema was derived from."""
        if self.legacy_version_key:
            return {self.legacy_version_key: bindings_version}
        return {"bindings_package": self.package, "bindings_version": bindings_version}

    def registry(self) -> str:
        return (
            r"https://registry\.terraform\.io/providers/hashicorp/"
            + re.escape(self.name)
            + r"/(?P<version>[^/\s]+)/docs"
        )

    def class_link(self) -> re.Pattern[str]:
        """Class docs: "{@link <registry>/docs/resources/s3_bucket aws_s3_bucket}", provider docs:
        "{@link <registry>/docs aws}"."""
        return re.compile(
            r"\{@link " + self.registry() + r"(?:/(?P<section>[a-z-]+)/\w+)? (?P<name>\w+)\}"
        )

    def property_link(self) -> re.Pattern[str]:
        """Property docs: "{@link <registry>/docs/resources/s3_bucket#bucket_prefix <label>}"."""
        return re.compile(r"\{@link " + self.registry() + r"[^#\s]*#(?P<anchor>\w+) [^}]*\}")


PROVIDERS = {
    "aws": ProviderSpec(
        name="aws",
        package="cdktn-provider-aws",
        version="25.8.1",
        core="cdktn",
        legacy_version_key="cdktn_provider_aws_version",
        opaque_examples="wafv2 rule statements, quicksight definitions",
    ),
    "tfe": ProviderSpec(
        name="tfe",
        package="cdktf-cdktf-provider-tfe",
        version="12.5.1",
        core="cdktf",
    ),
}
DEFAULT_PROVIDER = "aws"

# Compiled JS (cross-check only): `static tfResourceType = "aws_s3_bucket";` (cdktn, ES2022
# class fields) or `Workspace.tfResourceType = "tfe_workspace";` (cdktf, older target).
JS_TF_TYPE = re.compile(rb'(?:static |\b[A-Za-z_$][\w$]*\.)tfResourceType = "([a-z0-9_]+)";')
# Reverse of the property renames cdktf applies (see module docstring).
RENAMED_PROPERTIES = {"equalTo": "equals"}
ATTRIBUTE_SUFFIX_NAMES = {"self", "build", "node", "system", "software", "tf_resource_type"}


class DerivationError(Exception):
    """The wheel or its assembly is not what this script understands (exit code 1)."""


@dataclass
class Stats:
    """Counters reported after derivation, so a regression in the mapping is visible."""

    properties: int = 0
    anchor_fallbacks: list[str] = field(default_factory=list)
    blocks: int = 0
    object_attributes: int = 0
    opaque_blocks: int = 0


def camel_to_snake(name: str) -> str:
    """Fallback jsii-name -> Terraform-name conversion, used only when the docs have no anchor.

    Lossy by nature (digits: `addressLine1` could be `address_line1` or `address_line_1`);
    the anchor in the property docs is authoritative whenever present.
    """
    if name in RENAMED_PROPERTIES:
        return RENAMED_PROPERTIES[name]
    if name.startswith("fetch") and name[5:6].isupper():
        name = "get" + name[5:]
    if name.endswith("Attribute"):
        base = camel_to_snake(name[: -len("Attribute")])
        if base in ATTRIBUTE_SUFFIX_NAMES:
            return base
    snake = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name)
    snake = re.sub(r"(?<=[A-Z])([A-Z][a-z])", r"_\1", snake)
    return snake.lower()


def download_wheel(spec: ProviderSpec, version: str, dest: Path) -> Path:
    """Fetch the wheel with pip (no dependencies: only the assembly inside is needed)."""
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--only-binary=:all:",
        "--disable-pip-version-check",
        "-q",
        f"{spec.package}=={version}",
        "-d",
        str(dest),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise DerivationError(f"pip download failed ({proc.returncode}): {proc.stderr.strip()}")
    wheels = sorted(dest.glob(spec.wheel_glob))
    if not wheels:
        raise DerivationError(f"pip download produced no {spec.wheel_glob} in {dest}")
    return wheels[0]


def _read_jsii_tgz(wheel: Path) -> tuple[str, bytes]:
    with zipfile.ZipFile(wheel) as zf:
        members = [n for n in zf.namelist() if re.search(r"/_jsii/[^/]+\.jsii\.tgz$", n)]
        if len(members) != 1:
            raise DerivationError(f"expected one _jsii/*.jsii.tgz in {wheel.name}, got {members}")
        return members[0], zf.read(members[0])


def read_assembly(wheel: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """Return the jsii assembly and, per compiled JS file, its `tfResourceType` constant.

    The assembly is `package/.jsii` in the tarball; jsii may store it compressed behind a
    `jsii/file-redirect` stub, which is followed here.
    """
    member, blob = _read_jsii_tgz(wheel)
    files: dict[str, bytes] = {}
    js_types: dict[str, str] = {}
    with tarfile.open(fileobj=io.BytesIO(blob), mode="r:gz") as tar:
        for info in tar:
            if not info.isfile():
                continue
            name = info.name
            if name.startswith("package/.jsii") or name == "package/README.md":
                handle = tar.extractfile(info)
                if handle is not None:
                    files[name] = handle.read()
            elif name.startswith("package/lib/") and name.endswith("/index.js"):
                handle = tar.extractfile(info)
                if handle is None:
                    continue
                text = handle.read()
                match = JS_TF_TYPE.search(text)
                if match:
                    js_types[name] = match.group(1).decode()
    if "package/.jsii" not in files:
        raise DerivationError(f"{member} has no package/.jsii")
    assembly = json.loads(files["package/.jsii"])
    if assembly.get("schema") == "jsii/file-redirect":
        target = "package/" + assembly["filename"]
        data = files.get(target)
        if data is None:
            raise DerivationError(f"assembly redirects to missing {target}")
        if assembly.get("compression") == "gzip":
            data = gzip.decompress(data)
        assembly = json.loads(data)
    if not str(assembly.get("schema", "")).startswith("jsii/"):
        raise DerivationError(f"{member}: not a jsii assembly (schema={assembly.get('schema')})")
    return assembly, js_types


class SchemaBuilder:
    """Walks config structs of the assembly and builds the nested argument/block tree."""

    def __init__(self, assembly: dict[str, Any], spec: ProviderSpec) -> None:
        self.types: dict[str, dict[str, Any]] = assembly["types"]
        self.property_link = spec.property_link()
        self.stats = Stats()
        self.provider_versions: set[str] = set()
        self.recursive: set[str] = set()

    def definitions(self) -> dict[str, dict[str, Any]]:
        """Expand every struct that was referenced recursively (to a fixed point)."""
        done: dict[str, dict[str, Any]] = {}
        while pending := sorted(self.recursive - set(done)):
            for fqn in pending:
                done[fqn] = self.node(fqn)
        return {self.definition_key(fqn): node for fqn, node in sorted(done.items())}

    def _is_struct(self, fqn: str) -> bool:
        t = self.types.get(fqn)
        return bool(t and t.get("kind") == "interface" and t.get("datatype"))

    def _struct_of(self, type_ref: dict[str, Any]) -> tuple[str | None, bool]:
        """(struct fqn, is collection) for a property type, or (None, False) for non-structs.

        cdktf types blocks as `S`, `S[] | IResolvable` or a map of `S`.
        """
        if "fqn" in type_ref:
            return (type_ref["fqn"], False) if self._is_struct(type_ref["fqn"]) else (None, False)
        if "collection" in type_ref:
            inner, _ = self._struct_of(type_ref["collection"]["elementtype"])
            return (inner, True) if inner else (None, False)
        if "union" in type_ref:
            for member in type_ref["union"]["types"]:
                inner, many = self._struct_of(member)
                if inner:
                    return inner, many
        return None, False

    def _properties(self, fqn: str) -> Iterator[dict[str, Any]]:
        """Own properties plus those of parent structs in this assembly (<core>.* excluded)."""
        t = self.types[fqn]
        for parent in t.get("interfaces", []):
            if parent in self.types:
                yield from self._properties(parent)
        yield from t.get("properties", [])

    def terraform_name(self, prop: dict[str, Any], where: str) -> str:
        docs = prop.get("docs", {})
        text = f"{docs.get('summary', '')} {docs.get('remarks', '')}"
        match = self.property_link.search(text)
        if match:
            self.provider_versions.add(match.group("version"))
            return match.group("anchor")
        self.stats.anchor_fallbacks.append(f"{where}.{prop['name']}")
        return camel_to_snake(prop["name"])

    @staticmethod
    def definition_key(fqn: str) -> str:
        """Key of a recursive struct in the schema's `definitions` table."""
        return fqn.split(".", 1)[1] if fqn.startswith("@") else fqn

    def node(self, fqn: str, stack: tuple[str, ...] = ()) -> dict[str, Any]:
        """Schema node for a struct: {"attributes": {name: required}, "blocks": {...}}.

        Plugin-framework schemas can be recursive (wafv2_web_acl_rule: statement ->
        and_statement -> statement). A struct already on the walk's stack becomes a
        `{"ref": key}` into `definitions` instead of being expanded again.
        """
        attributes: dict[str, bool] = {}
        blocks: dict[str, dict[str, Any]] = {}
        for prop in self._properties(fqn):
            self.stats.properties += 1
            name = self.terraform_name(prop, fqn)
            required = not prop.get("optional", False)
            summary = prop.get("docs", {}).get("summary", "")
            says_block = summary.strip().endswith(" block.")
            struct, many = self._struct_of(prop["type"])
            if name in attributes or name in blocks:
                raise DerivationError(f"{fqn}: duplicate Terraform name {name!r}")
            if struct:
                if struct in (*stack, fqn):
                    self.recursive.add(struct)
                    child = {"ref": self.definition_key(struct)}
                else:
                    child = self.node(struct, (*stack, fqn))
                if says_block:
                    syntax = "block"
                    self.stats.blocks += 1
                else:
                    syntax = "either" if many else "attribute"
                    self.stats.object_attributes += 1
                blocks[name] = {
                    "required": required,
                    "syntax": syntax,
                    "max_one": not many,
                    **child,
                }
            elif says_block:
                # Too deep for the bindings: typed `any`, contents unknown.
                self.stats.opaque_blocks += 1
                blocks[name] = {
                    "required": required,
                    "syntax": "block",
                    "opaque": True,
                    "attributes": {},
                    "blocks": {},
                }
            else:
                attributes[name] = required
        return {
            "attributes": dict(sorted(attributes.items())),
            "blocks": dict(sorted(blocks.items())),
        }

    def config_struct(self, cls: dict[str, Any]) -> str:
        for param in cls.get("initializer", {}).get("parameters", []):
            if param["name"] == "config":
                fqn = param["type"].get("fqn")
                if fqn and self._is_struct(fqn):
                    return str(fqn)
        raise DerivationError(f"{cls['fqn']}: initializer has no config struct")


def derive(
    assembly: dict[str, Any], js_types: dict[str, str], spec: ProviderSpec = PROVIDERS["aws"]
) -> tuple[dict[str, Any], Stats]:
    """Build the schema document from the assembly; cross-check type names with the JS."""
    builder = SchemaBuilder(assembly, spec)
    kind_by_base = spec.kind_by_base()
    class_link = spec.class_link()
    sections: dict[str, dict[str, Any]] = {
        "resources": {},
        "data_sources": {},
        "ephemeral_resources": {},
    }
    provider: dict[str, Any] | None = None
    expected_section = {
        "resources": "resources",
        "data_sources": "data-sources",
        "ephemeral_resources": "ephemeral-resources",
    }
    for fqn, cls in sorted(builder.types.items()):
        if cls.get("kind") != "class" or cls.get("base") not in kind_by_base:
            continue
        kind = kind_by_base[cls["base"]]
        match = class_link.search(cls.get("docs", {}).get("summary", ""))
        if not match:
            raise DerivationError(f"{fqn}: no registry link with the Terraform type in its docs")
        builder.provider_versions.add(match.group("version"))
        tf_name = match.group("name")
        node = builder.node(builder.config_struct(cls))
        if kind == "provider":
            provider = node
            continue
        if match.group("section") != expected_section[kind]:
            raise DerivationError(f"{fqn}: docs link section {match.group('section')} for {kind}")
        if tf_name in sections[kind]:
            raise DerivationError(f"duplicate {kind} type {tf_name}")
        sections[kind][tf_name] = node
    if provider is None:
        raise DerivationError("no TerraformProvider class in the assembly")
    if len(builder.provider_versions) != 1:
        raise DerivationError(f"docs link several provider versions: {builder.provider_versions}")

    # Cross-check: every class-derived type name must be a tfResourceType constant in the JS.
    js_names = set(js_types.values()) - {spec.name}
    derived_names = {name for section in sections.values() for name in section}
    if not js_names:
        raise DerivationError("no `static tfResourceType` constants found in lib/*/index.js")
    if js_names != derived_names:
        only_js = sorted(js_names - derived_names)[:10]
        only_docs = sorted(derived_names - js_names)[:10]
        raise DerivationError(
            f"type names disagree with JS: js-only {only_js}, docs-only {only_docs}"
        )

    schema = {
        "format_version": FORMAT_VERSION,
        "provider_source": spec.source,
        "provider_version": builder.provider_versions.pop(),
        **spec.bindings_fields(assembly.get("version")),
        "provider": provider,
        "definitions": builder.definitions(),
        **{kind: dict(sorted(items.items())) for kind, items in sections.items()},
    }
    return schema, builder.stats


def readme_provider_version(
    assembly: dict[str, Any], spec: ProviderSpec = PROVIDERS["aws"]
) -> str | None:
    """The README title also names the provider version; used as a second witness."""
    markdown = assembly.get("readme", {}).get("markdown", "")
    pattern = re.escape(spec.source) + r" provider version (\d+\.\d+\.\d+)"
    match = re.search(pattern, markdown)
    return match.group(1) if match else None


def write_outputs(
    schema: dict[str, Any],
    stats: Stats,
    assembly: dict[str, Any],
    wheel: Path,
    output: Path,
    meta_output: Path,
    spec: ProviderSpec = PROVIDERS["aws"],
) -> dict[str, Any]:
    """Write the gzipped schema (byte-reproducible: mtime 0, sorted keys) and its metadata."""
    payload = json.dumps(schema, separators=(",", ":"), sort_keys=True).encode()
    output.parent.mkdir(parents=True, exist_ok=True)
    with (
        output.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz,
    ):
        gz.write(payload)
    try:
        schema_file = str(output.resolve().relative_to(REPO_ROOT))
    except ValueError:
        schema_file = str(output)
    meta = {
        "format_version": FORMAT_VERSION,
        "schema_file": schema_file,
        "schema_sha256": hashlib.sha256(output.read_bytes()).hexdigest(),
        "schema_bytes": output.stat().st_size,
        "provider_source": schema["provider_source"],
        "provider_version": schema["provider_version"],
        **{key: schema[key] for key in spec.bindings_fields(None)},
        "wheel_filename": wheel.name,
        "wheel_sha256": hashlib.sha256(wheel.read_bytes()).hexdigest(),
        "jsii_assembly": assembly.get("name"),
        "jsii_fingerprint": assembly.get("fingerprint"),
        "jsii_version": assembly.get("jsiiVersion"),
        "counts": {
            "resources": len(schema["resources"]),
            "data_sources": len(schema["data_sources"]),
            "ephemeral_resources": len(schema["ephemeral_resources"]),
            "properties": stats.properties,
            "nested_blocks": stats.blocks,
            "object_attributes": stats.object_attributes,
            "opaque_blocks": stats.opaque_blocks,
            "names_without_docs_anchor": len(stats.anchor_fallbacks),
        },
        "derived_with": "scripts/derive_provider_schema.py",
        "limits": [
            "Argument value types, ConflictsWith/ExactlyOneOf, validators and max_items are not "
            "checked.",
            "Blocks the bindings type as `any`"
            + (f" ({spec.opaque_examples})" if spec.opaque_examples else "")
            + " are opaque: their contents are accepted unchecked.",
            "Object-typed attributes (framework nested attributes) are told apart from blocks by "
            "the bindings' docs ('<name> block.'); lists of objects accept both syntaxes.",
        ],
    }
    meta_output.parent.mkdir(parents=True, exist_ok=True)
    meta_output.write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n")
    return meta


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="derive_provider_schema.py",
        description=(
            "Derive a provider schema (resources, data sources, arguments, required flags, "
            "nested blocks) offline from the jsii assembly of its prebuilt bindings wheel, for "
            "the HCL checks in tests/modules."
        ),
    )
    bindings = ", ".join(f"{n}: {s.package} {s.version}" for n, s in PROVIDERS.items())
    parser.add_argument(
        "--provider",
        choices=sorted(PROVIDERS),
        default=DEFAULT_PROVIDER,
        help=f"hashicorp/<provider> to derive (default {DEFAULT_PROVIDER}; bindings {bindings})",
    )
    parser.add_argument(
        "--wheel",
        type=Path,
        help="use this bindings wheel (e.g. cdktn_provider_aws-*.whl) instead of downloading it",
    )
    parser.add_argument(
        "--version",
        help="bindings version to download (default: the pinned one of --provider)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        help="gzipped schema JSON to write (default tests/modules/data/<provider>_provider_"
        "schema.json.gz)",
    )
    parser.add_argument(
        "--meta-output",
        type=Path,
        help="metadata JSON to write (default tests/modules/data/<provider>_provider_"
        "schema.meta.json)",
    )
    parser.add_argument("--json", action="store_true", help="print the metadata as JSON")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    spec = PROVIDERS[args.provider]
    version = args.version or spec.version
    output = args.output or spec.output
    meta_output = args.meta_output or spec.meta
    if args.wheel is not None and not args.wheel.is_file():
        print(f"error: wheel not found: {args.wheel}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    try:
        with tempfile.TemporaryDirectory(prefix=f"{spec.name}-bindings-wheel-") as tmp:
            if args.wheel is None:
                print(f"downloading {spec.package}=={version} ...", file=sys.stderr)
                wheel = download_wheel(spec, version, Path(tmp))
            else:
                wheel = args.wheel
            print(f"reading jsii assembly from {wheel.name} ...", file=sys.stderr)
            assembly, js_types = read_assembly(wheel)
            print(f"deriving schema from {len(assembly['types'])} jsii types ...", file=sys.stderr)
            schema, stats = derive(assembly, js_types, spec)
            witness = readme_provider_version(assembly, spec)
            if witness and witness != schema["provider_version"]:
                raise DerivationError(
                    f"README names provider {witness}, docs links {schema['provider_version']}"
                )
            meta = write_outputs(schema, stats, assembly, wheel, output, meta_output, spec)
    except DerivationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except (OSError, zipfile.BadZipFile, tarfile.TarError, json.JSONDecodeError) as exc:
        print(f"error: cannot read the wheel: {exc}", file=sys.stderr)
        return 1
    elapsed = time.perf_counter() - started
    if args.json:
        print(json.dumps({**meta, "seconds": round(elapsed, 2)}, indent=2, sort_keys=True))
    else:
        counts = meta["counts"]
        bindings_version = schema.get(spec.legacy_version_key or "bindings_version")
        print(
            f"{spec.source} {meta['provider_version']} ({spec.package} {bindings_version}): "
            f"{counts['resources']} resources, {counts['data_sources']} data sources, "
            f"{counts['ephemeral_resources']} ephemeral resources -> {output} "
            f"({meta['schema_bytes']} bytes) in {elapsed:.1f} s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
