"""Deterministic Lambda deployment packages built from `lambda_src/` at synth time.

The zip's bytes depend only on the source files (sorted entries, fixed timestamps and modes), so
`source_code_hash` changes exactly when the code changes and a re-synth never forces a redeploy.
"""

from __future__ import annotations

import base64
import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import Path

from platform_composition.modules.base import PROJECT_ROOT

LAMBDA_SRC = PROJECT_ROOT / "lambda_src"
SCRIPTS_SRC = PROJECT_ROOT / "scripts"
_FIXED_DATE = (1980, 1, 1, 0, 0, 0)
_EXCLUDED_PARTS = {"__pycache__", ".pytest_cache", ".mypy_cache"}


@dataclass(frozen=True)
class Package:
    """A built zip and its base64 SHA-256, the form `source_code_hash` expects."""

    path: Path
    sha256_base64: str


def build_package(source_root: Path, package_name: str, build_dir: Path) -> Package:
    """Zip `source_root/package_name` so that the archive root contains `package_name/`."""
    package_dir = source_root / package_name
    if not (package_dir / "__init__.py").is_file():
        raise FileNotFoundError(f"{package_dir} is not a Python package (no __init__.py)")
    build_dir.mkdir(parents=True, exist_ok=True)
    target = build_dir / f"{package_name}.zip"
    files = sorted(
        path
        for path in package_dir.rglob("*")
        if path.is_file()
        and not _EXCLUDED_PARTS.intersection(path.relative_to(source_root).parts)
        and path.suffix not in {".pyc", ".pyo"}
    )
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in files:
            info = zipfile.ZipInfo(path.relative_to(source_root).as_posix(), date_time=_FIXED_DATE)
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    digest = hashlib.sha256(target.read_bytes()).digest()
    return Package(path=target, sha256_base64=base64.b64encode(digest).decode("ascii"))
