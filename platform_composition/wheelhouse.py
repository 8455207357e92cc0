"""The `wheelhouse/` of the tooling bundle: the deployment builds' dependencies, checked at synth.

Why it exists: the model deployment pipeline's CodeBuild builds run `python -m mlgov deploy` from
the tooling bundle (modules/model-deployment-pipeline). Installing boto3 from a package index at
build time would make every production deploy depend on that index being reachable (builds in a
VPC without internet access cannot reach it at all) and would install whatever the index serves
that day. Instead the bundle carries the wheels of `requirements/deployment-build.txt`, a complete
lock with a SHA-256 for every package, and the module's default install command is
`pip install --no-index --no-deps --require-hashes` from the bundle: no index, no resolution,
and pip refuses any wheel whose bytes differ from the lock.

`make deployment-wheels` downloads the wheels once per lock (pip checks the hashes); synth checks
them again here, because `build/` is a working directory anyone can change, and refuses to build a
bundle whose wheelhouse does not match the lock exactly: one wheel per locked package, of the
locked version, with one of the locked hashes, and no other wheel.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from platform_composition.hcl_module import PROJECT_ROOT
from platform_composition.packaging import Entry

DEPLOYMENT_LOCK = PROJECT_ROOT / "requirements" / "deployment-build.txt"
DEPLOYMENT_WHEELS = PROJECT_ROOT / "build" / "deployment-wheels"
# Where the wheels are read from instead of DEPLOYMENT_WHEELS (tests, CI caches).
WHEELS_ENV_VAR = "MLGOV_DEPLOYMENT_WHEELS"
WHEELHOUSE = "wheelhouse"
DOWNLOAD_TARGET = "deployment-wheels"

_REQUIREMENT = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)$")
_HASH = re.compile(r"^--hash=sha256:([0-9a-f]{64})$")


class WheelhouseError(RuntimeError):
    """The wheelhouse is missing or does not match the lock; the message says what to run."""


@dataclass(frozen=True)
class LockedPackage:
    """One pinned requirement of the lock: normalized name, exact version, allowed SHA-256s."""

    name: str
    version: str
    hashes: frozenset[str]


@dataclass(frozen=True)
class Wheel:
    """A checked wheel: its file name in the wheelhouse and its bytes."""

    filename: str
    data: bytes


def normalize(name: str) -> str:
    """PEP 503 project name normalization (`python_dateutil` and `python-dateutil` are one)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def read_lock(lock: Path) -> dict[str, LockedPackage]:
    """The lock's packages by normalized name; every one must be `name==version` with hashes."""
    logical: list[str] = []
    pending = ""
    for raw in lock.read_text(encoding="utf-8").splitlines():
        line = raw.split(" #", 1)[0].strip() if not raw.lstrip().startswith("#") else ""
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        if pending or line:
            logical.append((pending + line).strip())
        pending = ""
    if pending:
        logical.append(pending.strip())
    packages: dict[str, LockedPackage] = {}
    for entry in filter(None, logical):
        requirement, *options = entry.split()
        match = _REQUIREMENT.match(requirement)
        hashes = [m.group(1) for m in map(_HASH.match, options) if m]
        if match is None or not hashes or len(hashes) != len(options):
            raise WheelhouseError(
                f"{lock}: `{entry[:80]}` is not a `name==version --hash=sha256:...` pin"
            )
        name = normalize(match.group(1))
        packages[name] = LockedPackage(name, match.group(2), frozenset(hashes))
    if not packages:
        raise WheelhouseError(f"{lock} pins no package")
    return packages


def wheels_dir() -> Path:
    """The downloaded wheels: $MLGOV_DEPLOYMENT_WHEELS, else build/deployment-wheels."""
    override = os.environ.get(WHEELS_ENV_VAR)
    return Path(override) if override else DEPLOYMENT_WHEELS


def checked_wheels(directory: Path, lock: Path = DEPLOYMENT_LOCK) -> list[Wheel]:
    """The wheels of `directory`, sorted by file name, once each matches the lock exactly."""
    fix = (
        f"run `make {DOWNLOAD_TARGET}` (after `rm -rf {_shown(directory)}` if it exists) "
        f"to download the wheels of {_shown(lock)} again"
    )
    if not directory.is_dir():
        raise WheelhouseError(
            f"the deployment builds' wheelhouse {_shown(directory)} does not exist; {fix}"
        )
    locked = read_lock(lock)
    found: dict[str, Wheel] = {}
    for path in sorted(directory.glob("*.whl")):
        # {distribution}-{version}(-{build})?-{python}-{abi}-{platform}.whl, names escaped with _.
        distribution, version = path.name.split("-")[:2]
        package = locked.get(normalize(distribution))
        if package is None:
            raise WheelhouseError(f"{_shown(path)}: {distribution} is not in {_shown(lock)}; {fix}")
        if version != package.version:
            raise WheelhouseError(
                f"{_shown(path)}: {package.name} {version} is not the locked "
                f"{package.name}=={package.version}; {fix}"
            )
        if package.name in found:
            raise WheelhouseError(
                f"{_shown(directory)} holds two wheels of {package.name}: "
                f"{found[package.name].filename} and {path.name}; {fix}"
            )
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if digest not in package.hashes:
            raise WheelhouseError(
                f"{_shown(path)}: sha256 {digest} of {package.name}=={package.version} is not "
                f"one of its hashes in {_shown(lock)} (changed or corrupted); {fix}"
            )
        found[package.name] = Wheel(path.name, data)
    missing = sorted(set(locked) - set(found))
    if missing:
        names = ", ".join(f"{locked[name].name}=={locked[name].version}" for name in missing)
        raise WheelhouseError(f"{_shown(directory)} has no wheel of {names}; {fix}")
    return sorted(found.values(), key=lambda wheel: wheel.filename)


def wheelhouse_entries(directory: Path | None = None, lock: Path = DEPLOYMENT_LOCK) -> list[Entry]:
    """The bundle's `wheelhouse/`: the checked wheels (stored) and the lock as `requirements.txt`,
    which the builds' `pip install --require-hashes -r wheelhouse/requirements.txt` reads."""
    wheels = checked_wheels(wheels_dir() if directory is None else directory, lock)
    return [
        *(Entry(f"{WHEELHOUSE}/{wheel.filename}", wheel.data, compress=False) for wheel in wheels),
        Entry(f"{WHEELHOUSE}/requirements.txt", lock.read_bytes()),
    ]


def _shown(path: Path) -> str:
    """`path` relative to the project when inside it, as the make commands name it."""
    try:
        return path.resolve().relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return str(path)
