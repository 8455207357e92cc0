"""What the platform's configuration fixes, as defaults for the commands that need it.

The deployment pipeline's name and the hub's region follow from `environments/` (the pipeline is
`<name_prefix>-model-deployment` in the shared-services account's region), so an operator working
from a checkout of the platform need not repeat them. The configuration is found at
`--environments`, else `$MLGOV_ENVIRONMENTS`, else `./environments` when that folder exists; it
is read only when a command needs a value that was not given.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from mlgov.errors import InputError

ENVIRONMENTS_ENV = "MLGOV_ENVIRONMENTS"
DEFAULT_ENVIRONMENTS = Path("environments")


@dataclass(frozen=True)
class PlatformDefaults:
    """Values read from one platform configuration."""

    environments: Path
    pipeline_name: str
    hub_region: str


def locate(explicit: str | None) -> Path | None:
    """The configuration folder to read, or None when none is named and ./environments is
    absent. A folder that is named but missing is an error naming where it came from."""
    if explicit:
        source, directory = "--environments", Path(explicit)
    elif os.environ.get(ENVIRONMENTS_ENV):
        source, directory = f"${ENVIRONMENTS_ENV}", Path(os.environ[ENVIRONMENTS_ENV])
    elif DEFAULT_ENVIRONMENTS.is_dir():
        return DEFAULT_ENVIRONMENTS.resolve()
    else:
        return None
    if not directory.is_dir():
        raise InputError(f"{source}: {str(directory)!r} is not a directory")
    return directory.resolve()


def load(explicit: str | None) -> PlatformDefaults | None:
    """The platform's defaults, or None when there is no configuration to read."""
    directory = locate(explicit)
    if directory is None:
        return None
    try:
        # Imported here: `mlgov --help`, and every command given its values, never reads it.
        from platform_composition.config import load_platform_config
        from platform_composition.hcl_reader import ConfigError
        from platform_composition.naming import Naming
    except ImportError as error:  # a tooling bundle carries mlgov only
        raise InputError(
            f"reading {directory} needs the platform's composition package ({error.name}); "
            "pass the values explicitly"
        ) from None
    try:
        config = load_platform_config(directory)
    except ConfigError as error:
        raise InputError(f"the platform configuration in {directory} is invalid: {error}") from None
    return PlatformDefaults(
        environments=directory,
        pipeline_name=Naming(config).deployment_pipeline_name,
        hub_region=config.shared_services.region,
    )
