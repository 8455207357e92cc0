"""Operator tooling for the governed ML platform: deploy, smoke-test and govern models.

Installed with the project (`pip install -e .`) as the `mlgov` command. CodeBuild runs it as
``python -m mlgov`` from the unpacked tooling bundle, whose root holds this package. Every
subcommand's logic lives in a module that takes boto3 sessions or clients as arguments, so tests
drive it without argparse.
"""

from importlib import metadata

DISTRIBUTION = "ml-governance-platform"


def package_version() -> str:
    """The installed distribution's version; "unknown" where mlgov runs uninstalled (the
    tooling bundle in CodeBuild)."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "unknown"


__version__ = package_version()
