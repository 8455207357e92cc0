"""Typed environment settings shared by the platform's Lambda functions.

Each function declares a frozen dataclass whose fields name their environment variable (`env`),
and loads it once at import with `load_settings`: every problem is collected and reported in one
error that names the variable, the value and what a valid value looks like, so a misconfigured
function fails its cold start instead of half-doing its work.

This file is the only copy. The packaging zips one folder per function, so each function's
folder links it as `common_settings.py` (a symbolic link the zip stores as a regular file).
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

# Powertools reads these itself; they are also validated here so a typo fails the cold start.
SERVICE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
LOG_LEVEL = re.compile(r"^(DEBUG|INFO|WARNING|ERROR|CRITICAL)$")
# CloudWatch namespaces: 1-255 characters, no leading colon, no "AWS/" (reserved).
METRICS_NAMESPACE = re.compile(r"^(?!AWS/)(?!:)[A-Za-z0-9.\-_/#:]{1,255}$")

_SPEC = "setting"


class SettingsError(RuntimeError):
    """The function's environment is missing a variable or holds a malformed value."""


@dataclass(frozen=True)
class Setting:
    """How one field is read: its variable, the valid shape, a default when optional, and an
    optional conversion (which raises ValueError with the reason for a value it refuses)."""

    variable: str
    pattern: re.Pattern[str]
    expected: str
    default: str | None = None
    convert: Callable[[str], Any] | None = None


def env(
    variable: str,
    pattern: re.Pattern[str] | str,
    expected: str,
    *,
    default: str | None = None,
    convert: Callable[[str], Any] | None = None,
) -> Any:
    """A dataclass field read from `variable` (required unless `default` is given)."""
    compiled = re.compile(pattern) if isinstance(pattern, str) else pattern
    return dataclasses.field(
        metadata={_SPEC: Setting(variable, compiled, expected, default, convert)}
    )


@dataclass(frozen=True)
class LambdaSettings:
    """Settings every function has: its Powertools service name, log level and metrics
    namespace. Subclasses add their own `env` fields and may override `check`."""

    # Prefix of the error message, e.g. "model_promoter configuration error".
    error_prefix: ClassVar[str] = "configuration error"
    # Default service name and namespace of the function (overridden per function).
    default_service: ClassVar[str] = "lambda"
    default_namespace: ClassVar[str] = "mlgov"

    service_name: str = env(
        "POWERTOOLS_SERVICE_NAME", SERVICE_NAME, "1-128 letters, digits, '.', '_' or '-'"
    )
    log_level: str = env(
        "POWERTOOLS_LOG_LEVEL", LOG_LEVEL, "DEBUG, INFO, WARNING, ERROR or CRITICAL"
    )
    metrics_namespace: str = env(
        "POWERTOOLS_METRICS_NAMESPACE",
        METRICS_NAMESPACE,
        "a CloudWatch namespace of 1-255 letters, digits or . - _ / # : not starting with AWS/",
    )

    def check(self) -> list[str]:
        """Problems spanning several fields (each names its variable); none by default."""
        return []


S = TypeVar("S", bound=LambdaSettings)

_COMMON_DEFAULTS = {
    "POWERTOOLS_LOG_LEVEL": "INFO",
}


def load_settings(
    cls: type[S],
    environ: Mapping[str, str] | None = None,
    *,
    error: type[Exception] = SettingsError,
) -> S:
    """Read and validate every field of `cls` from `environ` (default: the process
    environment); raise `error` listing each bad variable with its value and what was
    expected (`error` lets a function keep raising its own configuration error type)."""
    return _load(cls, environ, error)


def _load(cls: type[S], environ: Mapping[str, str] | None, error: type[Exception]) -> S:
    source = os.environ if environ is None else environ
    defaults = {
        **_COMMON_DEFAULTS,
        "POWERTOOLS_SERVICE_NAME": cls.default_service,
        "POWERTOOLS_METRICS_NAMESPACE": cls.default_namespace,
    }
    values: dict[str, Any] = {}
    problems: list[str] = []
    for item in dataclasses.fields(cls):
        spec: Setting | None = item.metadata.get(_SPEC)
        if spec is None:
            continue
        raw = source.get(spec.variable, "").strip()
        default = spec.default if spec.default is not None else defaults.get(spec.variable)
        if not raw:
            if default is None:
                problems.append(f"{spec.variable} is not set (expected {spec.expected})")
                continue
            raw = default
        if not spec.pattern.fullmatch(raw):
            problems.append(f"{spec.variable}={raw!r} is invalid (expected {spec.expected})")
            continue
        try:
            values[item.name] = spec.convert(raw) if spec.convert else raw
        except ValueError as reason:
            problems.append(
                f"{spec.variable}={raw!r} is invalid: {reason} (expected {spec.expected})"
            )
    if not problems:
        settings = cls(**values)
        problems = settings.check()
        if not problems:
            return settings
    raise error(f"{cls.error_prefix}: " + "; ".join(problems))
