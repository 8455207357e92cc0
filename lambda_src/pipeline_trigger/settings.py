"""The trigger's environment settings, validated once when the handler module is imported."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from pipeline_trigger.common_settings import LambdaSettings, env
from pipeline_trigger.common_settings import load_settings as load_common


@dataclass(frozen=True)
class TriggerSettings(LambdaSettings):
    """Validated configuration of the trigger; the names match `model-deployment-pipeline`."""

    error_prefix: ClassVar[str] = "pipeline_trigger configuration error"
    default_service: ClassVar[str] = "pipeline-trigger"
    default_namespace: ClassVar[str] = "ModelDeployment"

    pipeline_name: str = env(
        "PIPELINE_NAME",
        r"^[A-Za-z0-9.@_-]{1,100}$",
        "a CodePipeline name: 1-100 of A-Z a-z 0-9 . @ _ -",
    )


def load_settings(environ: Mapping[str, str] | None = None) -> TriggerSettings:
    """Read and validate the trigger's settings; the error names each bad variable."""
    return load_common(TriggerSettings, environ)
