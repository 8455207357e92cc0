"""State backends chosen per environment in config: local, S3 (native locking) or HCP Terraform."""

from __future__ import annotations

import os
from pathlib import Path

from cdktn import CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend, TerraformStack

from platform_composition.config import (
    BackendConfig,
    CloudBackendConfig,
    Environment,
    LocalBackendConfig,
    S3BackendConfig,
)

STATE_DIR = "terraform-state"


def describe_backend(backend: BackendConfig, state_name: str) -> str:
    """One short human description, for the synth summary table."""
    if isinstance(backend, S3BackendConfig):
        return f"s3://{backend.bucket}/{backend.key_prefix}/{state_name}/terraform.tfstate"
    if isinstance(backend, CloudBackendConfig):
        return f"cloud:{backend.organization}/{backend.workspace_prefix}{state_name}"
    return f"local:{STATE_DIR}/{state_name}.tfstate"


def attach_backend(
    stack: TerraformStack,
    env: Environment,
    *,
    state_name: str,
    project_root: Path,
    stack_dir: Path,
) -> None:
    """Configure `env.backend` on `stack`, its state named `state_name` (the stack's name).

    Every stack of an environment shares the environment's backend settings but has a state (S3
    key, HCP Terraform workspace, local file) of its own. Local state lives in
    `<project>/terraform-state/`, outside `cdktf.out/`, so re-synthesizing (which replaces
    `cdktf.out/` wholesale) can never delete it; the path is relative to the stack's working
    directory so the synthesized JSON is the same on every machine.
    """
    attach_state(
        stack, env.backend, state_name=state_name, project_root=project_root, stack_dir=stack_dir
    )


def attach_state(
    stack: TerraformStack,
    backend: BackendConfig,
    *,
    state_name: str,
    project_root: Path,
    stack_dir: Path,
) -> None:
    """Configure `backend` on `stack`, its state named `state_name` (see `attach_backend`)."""
    if isinstance(backend, LocalBackendConfig):
        state_file = project_root / STATE_DIR / f"{state_name}.tfstate"
        LocalBackend(stack, path=os.path.relpath(state_file, stack_dir))
    elif isinstance(backend, S3BackendConfig):
        S3Backend(
            stack,
            bucket=backend.bucket,
            key=f"{backend.key_prefix}/{state_name}/terraform.tfstate",
            region=backend.region,
            encrypt=True,
            use_lockfile=True,
            kms_key_id=backend.kms_key_id,
            assume_role={"role_arn": backend.role_arn} if backend.role_arn else None,
        )
    elif isinstance(backend, CloudBackendConfig):
        CloudBackend(
            stack,
            organization=backend.organization,
            hostname=backend.hostname,
            workspaces=NamedCloudWorkspace(
                f"{backend.workspace_prefix}{state_name}", project=backend.project
            ),
        )
    else:  # pragma: no cover - the config loader only builds the three kinds above
        raise TypeError(f"unsupported backend {backend!r}")
