"""The HCP Terraform bootstrap: two stacks synthesized when environments use the `cloud` backend.

* `hcp-terraform-run-roles` (hashicorp/aws): in every account whose environments use dynamic
  credentials, the OIDC provider and the run roles that only the account's own workspaces may
  assume (modules/hcp-terraform-run-roles). An operator applies it with the deployer role, once
  and whenever environments are added, before the workspaces run.
* `hcp-terraform-workspaces` (hashicorp/tfe): one workspace per synthesized stack, with the
  variables that hand its runs those roles, its working directory for VCS-driven runs, and run
  triggers from the hub to the stacks that read the hub's names (modules/hcp-terraform-workspaces).
  An operator applies it with an HCP Terraform API token (TFE_TOKEN).

Both keep their state where `bootstrap_backend` in organization.hcl says (local `terraform-state/`
by default, or S3): they create what the workspaces need before any workspace can run, so they
cannot be workspaces of their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from cdktn import (
    TerraformOutput,
    TerraformProvider,
    TerraformProviderGeneratorMetadata,
    TerraformStack,
)
from constructs import Construct

from platform_composition.aws_provider import AwsProvider
from platform_composition.backends import attach_state
from platform_composition.config import (
    AccountRole,
    CloudBackendConfig,
    Environment,
    PlatformConfig,
)
from platform_composition.hcl_module import HclModule
from platform_composition.modules.hcp_terraform_run_roles import HcpTerraformRunRoles
from platform_composition.modules.hcp_terraform_workspaces import (
    HcpTerraformWorkspaces,
    HcpTerraformWorkspacesWorkspacesValue,
)
from platform_composition.naming import Naming, uses_dynamic_credentials
from platform_composition.stacks import stack_classes

TFE_PROVIDER_SOURCE = "hashicorp/tfe"
TFE_PROVIDER_VERSION = ">= 0.60, < 1.0"
# The Terraform release the test suite plans and applies the stacks with.
WORKSPACE_TERRAFORM_VERSION = "~> 1.11.0"
# Environments whose stacks take names from the hub: a hub apply queues a run in them.
SPOKE_ROLES = (AccountRole.DEV, AccountRole.TEST, AccountRole.PROD)


@dataclass(frozen=True)
class CloudWorkspace:
    """One synthesized stack kept in an HCP Terraform workspace."""

    stack_name: str
    env: Environment
    name: str
    own_stack: str  # the environment's own stack (itself, or the one an additional stack follows)

    @property
    def backend(self) -> CloudBackendConfig:
        assert isinstance(self.env.backend, CloudBackendConfig)
        return self.env.backend


def cloud_workspaces(config: PlatformConfig) -> list[CloudWorkspace]:
    """Every stack whose environment keeps its state in HCP Terraform, in synth order."""
    workspaces = []
    for env in config.environments:
        backend = env.backend
        if not isinstance(backend, CloudBackendConfig):
            continue
        classes = stack_classes(env)
        own = classes[0].name_for(env)
        for stack_class in classes:
            stack = stack_class.name_for(env)
            workspaces.append(CloudWorkspace(stack, env, f"{backend.workspace_prefix}{stack}", own))
    return workspaces


def run_role_variables(naming: Naming, env: Environment) -> dict[str, str]:
    """The workspace environment variables that give `env`'s runs its account's run roles
    (the same values modules/hcp-terraform-run-roles outputs; computed here so that the two
    bootstrap stacks do not read each other's state)."""
    if not uses_dynamic_credentials(env):
        return {}
    backend = env.backend
    assert isinstance(backend, CloudBackendConfig)

    def role(key: str) -> str:
        return naming.role_arn(env.account_id, f"{naming.hcp_terraform_role_prefix}-{key}")

    if backend.separate_plan_role:
        roles = {"TFC_AWS_PLAN_ROLE_ARN": role("plan"), "TFC_AWS_APPLY_ROLE_ARN": role("apply")}
    else:
        roles = {"TFC_AWS_RUN_ROLE_ARN": role("run")}
    return {"TFC_AWS_PROVIDER_AUTH": "true", **roles}


class BootstrapStack(TerraformStack):
    """A stack of the bootstrap: its state where `bootstrap_backend` says, and the synth
    summary's fields."""

    STACK_NAME: ClassVar[str]
    MODULES: ClassVar[tuple[type[HclModule], ...]] = ()
    ROLE = "bootstrap"

    def __init__(
        self,
        scope: Construct,
        config: PlatformConfig,
        naming: Naming,
        *,
        project_root: Path,
        stack_dir: Path,
    ) -> None:
        self.stack_name = self.STACK_NAME
        super().__init__(scope, self.stack_name)
        self.config = config
        self.naming = naming
        self.workspaces = cloud_workspaces(config)
        attach_state(
            self,
            config.organization.bootstrap_backend,
            state_name=self.stack_name,
            project_root=project_root,
            stack_dir=stack_dir,
        )
        self.modules: list[HclModule] = []
        self.account_ids: list[str] = []
        self.region = naming.config.organization.home_region

    @classmethod
    def wanted_for(cls, config: PlatformConfig) -> bool:
        return any(isinstance(e.backend, CloudBackendConfig) for e in config.environments)

    @property
    def module_names(self) -> list[str]:
        return sorted({module.module_name for module in self.modules})

    def export(self, name: str, value: Any, description: str) -> None:
        TerraformOutput(self, name, value=value, description=description)


class HcpTerraformRunRolesStack(BootstrapStack):
    """The run roles in every account whose environments use dynamic credentials."""

    STACK_NAME = "hcp-terraform-run-roles"
    MODULES = (HcpTerraformRunRoles,)

    @classmethod
    def wanted_for(cls, config: PlatformConfig) -> bool:
        return any(uses_dynamic_credentials(e) for e in config.environments)

    def __init__(self, scope: Construct, config: PlatformConfig, naming: Naming, **kw: Any) -> None:
        super().__init__(scope, config, naming, **kw)
        variables: dict[str, Any] = {}
        for env in config.environments:
            if not uses_dynamic_credentials(env):
                continue
            backend = env.backend
            assert isinstance(backend, CloudBackendConfig) and backend.project
            # One provider per account: the deployer role, never a run role (they are made here).
            provider = AwsProvider(
                self,
                f"aws-{env.name}",
                region=env.region,
                allowed_account_ids=[env.account_id],
                assume_role_arn=naming.bootstrap_role_arn(env),
                session_name="terraform-hcp-terraform-run-roles",
                external_id=env.external_id,
                default_tags=naming.stack_tags(env),
                alias=env.name,
            )
            roles = HcpTerraformRunRoles(
                self,
                f"run-roles-{env.name}",
                providers=[provider],
                name_prefix=naming.hcp_terraform_role_prefix,
                hostname=backend.hostname,
                organization=backend.organization,
                project=backend.project,
                workspaces=[w.name for w in self.workspaces if w.env == env],
                separate_plan_role=backend.separate_plan_role,
                apply_policy_arns=list(backend.apply_policy_arns)
                or [f"arn:{naming.partition}:iam::aws:policy/AdministratorAccess"],
            )
            self.modules.append(roles)
            self.account_ids.append(env.account_id)
            variables[env.name] = roles.workspace_environment_variables
        self.export(
            "workspace_environment_variables",
            variables,
            "By environment: the variables its workspaces need (hcp-terraform-workspaces sets).",
        )


class TfeProvider(TerraformProvider):
    """`provider "tfe"`: the API token comes from TFE_TOKEN or the CLI's credentials file."""

    def __init__(self, scope: Construct, construct_id: str, *, hostname: str, organization: str):
        super().__init__(
            scope,
            construct_id,
            terraform_resource_type="tfe",
            terraform_provider_source=TFE_PROVIDER_SOURCE,
            terraform_generator_metadata=TerraformProviderGeneratorMetadata(
                provider_name="tfe", provider_version_constraint=TFE_PROVIDER_VERSION
            ),
        )
        self._hostname = hostname
        self._organization = organization

    def _synthesize_attributes(self) -> dict[str, Any]:
        return {"hostname": self._hostname, "organization": self._organization}


class HcpTerraformWorkspacesStack(BootstrapStack):
    """One HCP Terraform workspace per stack whose environment uses the `cloud` backend."""

    STACK_NAME = "hcp-terraform-workspaces"
    MODULES = (HcpTerraformWorkspaces,)

    def __init__(
        self,
        scope: Construct,
        config: PlatformConfig,
        naming: Naming,
        *,
        stacks_dir_in_repository: str,
        **kw: Any,
    ) -> None:
        super().__init__(scope, config, naming, **kw)
        # The config loader checked that every cloud backend names the same target.
        backend = self.workspaces[0].backend
        TfeProvider(self, "tfe", hostname=backend.hostname, organization=backend.organization)
        names = {w.stack_name for w in self.workspaces}
        hub_stack = naming.hub.name if naming.hub.name in names else None
        vcs = backend.vcs
        workspaces: dict[str, HcpTerraformWorkspacesWorkspacesValue] = {}
        for workspace in self.workspaces:
            env = workspace.env
            if workspace.stack_name != workspace.own_stack:
                triggered_by = [workspace.own_stack] if workspace.own_stack in names else []
            elif env.role in SPOKE_ROLES and hub_stack:
                triggered_by = [hub_stack]
            else:
                triggered_by = []
            workspaces[workspace.stack_name] = {
                "name": workspace.name,
                "description": (
                    f"The {workspace.stack_name} stack: {env.role.value} account "
                    f"{env.account_id}, {env.region}."
                ),
                "working_directory": f"{stacks_dir_in_repository}/{workspace.stack_name}"
                if vcs
                else None,
                "environment_variables": run_role_variables(naming, env),
                "triggered_by": triggered_by,
            }
            if env.account_id not in self.account_ids:
                self.account_ids.append(env.account_id)
        module = HcpTerraformWorkspaces(
            self,
            "workspaces",
            organization=backend.organization,
            project_name=backend.project or "Default Project",
            create_project=backend.project is not None,
            workspaces=workspaces,
            vcs_repo=None
            if vcs is None
            else {
                "identifier": vcs.identifier,
                "branch": vcs.branch,
                "oauth_token_id": vcs.oauth_token_id,
                "github_app_installation_id": vcs.github_app_installation_id,
            },
            terraform_version=WORKSPACE_TERRAFORM_VERSION,
        )
        self.modules.append(module)
        self.export("workspace_ids", module.workspace_ids, "Workspace IDs by stack.")
        self.export("run_triggers", module.run_triggers, "Run triggers, as <source>-><stack>.")


BOOTSTRAP_STACK_CLASSES: tuple[type[BootstrapStack], ...] = (
    HcpTerraformRunRolesStack,
    HcpTerraformWorkspacesStack,
)


def bootstrap_stack_names(config: PlatformConfig) -> list[str]:
    """The bootstrap stacks `config` synthesizes (none without a cloud backend)."""
    return [cls.STACK_NAME for cls in BOOTSTRAP_STACK_CLASSES if cls.wanted_for(config)]
