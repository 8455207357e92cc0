"""Deterministic deployment packages built at synth time: Lambdas from `lambda_src/`, operator
tooling bundles from the top-level packages of the project root (`mlgov/`).

The zip's bytes depend only on the source files (sorted entries, fixed timestamps and modes), so
`source_code_hash` changes exactly when the code changes and a re-synth never forces a redeploy.
A bundle may carry extra entries beside its package, e.g. the deployment builds' `wheelhouse/`
(see `platform_composition.wheelhouse`); wheels are stored as they are, being zips already.
"""

from __future__ import annotations

import base64
import hashlib
import zipfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from platform_composition.hcl_module import PROJECT_ROOT

LAMBDA_SRC = PROJECT_ROOT / "lambda_src"
# Where the tooling packages (`mlgov/`) live: the project root, beside pyproject.toml.
TOOLING_SRC = PROJECT_ROOT
_FIXED_DATE = (1980, 1, 1, 0, 0, 0)
_EXCLUDED_PARTS = {"__pycache__", ".pytest_cache", ".mypy_cache"}


@dataclass(frozen=True)
class Package:
    """A built zip and its base64 SHA-256, the form `source_code_hash` expects."""

    path: Path
    sha256_base64: str


@dataclass(frozen=True)
class Entry:
    """An extra file of a package: its path in the archive, its bytes, and whether to deflate."""

    name: str
    data: bytes
    compress: bool = True


def build_package(
    source_root: Path, package_name: str, build_dir: Path, *, extra: Sequence[Entry] = ()
) -> Package:
    """Zip `source_root/package_name` so that the archive root contains `package_name/`, plus
    the `extra` entries (which must not collide with the package's files)."""
    package_dir = source_root / package_name
    if not (package_dir / "__init__.py").is_file():
        raise FileNotFoundError(f"{package_dir} is not a Python package (no __init__.py)")
    build_dir.mkdir(parents=True, exist_ok=True)
    target = build_dir / f"{package_name}.zip"
    files = (
        Entry(path.relative_to(source_root).as_posix(), path.read_bytes())
        for path in package_dir.rglob("*")
        if path.is_file()
        and not _EXCLUDED_PARTS.intersection(path.relative_to(source_root).parts)
        and path.suffix not in {".pyc", ".pyo"}
    )
    entries = sorted([*files, *extra], key=lambda entry: entry.name)
    duplicates = sorted(name for name, n in Counter(e.name for e in entries).items() if n > 1)
    if duplicates:
        raise ValueError(f"{target.name}: duplicate entries {duplicates}")
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for entry in entries:
            info = zipfile.ZipInfo(entry.name, date_time=_FIXED_DATE)
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED if entry.compress else zipfile.ZIP_STORED
            archive.writestr(info, entry.data)
    digest = hashlib.sha256(target.read_bytes()).digest()
    return Package(path=target, sha256_base64=base64.b64encode(digest).decode("ascii"))
