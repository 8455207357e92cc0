"""One Terraform stack per account, each composing the HCL modules its account role needs.

Stack ids are environment names; module construct ids are stable kebab-case (renaming one makes
Terraform replace everything inside it). Values that cross accounts come from `Naming`, never from
another stack's state.
"""

from __future__ import annotations

from pathlib import Path

from cdktn import TerraformStack
from constructs import Construct

from platform_composition.aws_provider import AwsProvider
from platform_composition.backends import attach_backend
from platform_composition.config import AccountRole, Environment
from platform_composition.modules import CentralModelRegistry, HclModule
from platform_composition.naming import Naming


class AccountStack(TerraformStack):
    """Provider (pinned to the account), backend, and the modules of one account."""

    def __init__(
        self,
        scope: Construct,
        env: Environment,
        naming: Naming,
        *,
        project_root: Path,
        stack_dir: Path,
    ) -> None:
        super().__init__(scope, env.name)
        self.env = env
        self.naming = naming
        self.provider = AwsProvider(
            self,
            "aws",
            region=env.region,
            allowed_account_ids=[env.account_id],
            assume_role_arn=naming.deployment_role_arn(env),
            session_name=f"terraform-{env.name}",
            external_id=env.external_id,
            default_tags=naming.stack_tags(env),
        )
        attach_backend(self, env, project_root=project_root, stack_dir=stack_dir)
        self.modules: list[HclModule] = []

    def add_module(self, module: HclModule) -> HclModule:
        self.modules.append(module)
        return module

    @property
    def module_names(self) -> list[str]:
        return [module.module_name for module in self.modules]


class SharedServicesStack(AccountStack):
    """The hub: central model registry (and, as they land, promotion hub and deployment)."""

    def __init__(self, scope: Construct, env: Environment, naming: Naming, **kwargs: Path) -> None:
        super().__init__(scope, env, naming, **kwargs)
        self.registry = CentralModelRegistry(
            self,
            "central-model-registry",
            organization_id=naming.config.organization.organization_id,
            consumer_account_ids=[account.account_id for account in naming.consumer_accounts],
            kms_alias_name=naming.registry_kms_alias,
            artifact_bucket_name=naming.artifact_bucket_name,
            image_repository_names=naming.promoted_image_repositories,
        )
        self.add_module(self.registry)


class DevAccountStack(AccountStack):
    """One data science team's account."""


class DeploymentTargetStack(AccountStack):
    """Test (pre-prod) or prod: where the pipeline deploys endpoints."""


class DataGovernanceStack(AccountStack):
    """Data lake, grants and feature store account."""


STACK_CLASSES: dict[AccountRole, type[AccountStack]] = {
    AccountRole.SHARED_SERVICES: SharedServicesStack,
    AccountRole.DEV: DevAccountStack,
    AccountRole.TEST: DeploymentTargetStack,
    AccountRole.PROD: DeploymentTargetStack,
    AccountRole.DATA_GOVERNANCE: DataGovernanceStack,
}
