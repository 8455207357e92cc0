"""Every cross-account name and ARN of the platform, computed from configuration alone.

Stacks never read each other's state: the hub needs the dev accounts' promotion-source role ARNs,
the dev accounts need the hub's bus ARN and promoter role ARN, the test/prod accounts need the
hub's key, bucket and repositories. All of these are deterministic functions of the config, so
they live here, in one place, and each stack passes them to its modules as plain strings.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from platform_composition.config import (
    AccountRole,
    CloudBackendConfig,
    Environment,
    PlatformConfig,
)

# Published by AWS; one version for every Lambda of the platform.
POWERTOOLS_LAYER_VERSION = 27
_POWERTOOLS_LAYER_ACCOUNTS = {"aws": "017000801446", "aws-cn": "498634801083"}


def uses_dynamic_credentials(env: Environment) -> bool:
    """Whether `env`'s runs take AWS credentials from HCP Terraform's workload identity."""
    return isinstance(env.backend, CloudBackendConfig) and env.backend.dynamic_credentials


@dataclass(frozen=True)
class Naming:
    """Names and ARNs derived from the platform configuration."""

    config: PlatformConfig

    # -- basics ------------------------------------------------------------------------------

    @property
    def prefix(self) -> str:
        return self.config.organization.name_prefix

    @property
    def partition(self) -> str:
        return self.config.organization.partition

    @property
    def hub(self) -> Environment:
        return self.config.shared_services

    def _arn(self, service: str, region: str, account_id: str, resource: str) -> str:
        return f"arn:{self.partition}:{service}:{region}:{account_id}:{resource}"

    def role_arn(self, account_id: str, role_name: str) -> str:
        return f"arn:{self.partition}:iam::{account_id}:role/{role_name}"

    def deployment_role_arn(self, env: Environment) -> str | None:
        """The role Terraform assumes in `env` (None: use the ambient credentials, which HCP
        Terraform's dynamic credentials provide)."""
        if uses_dynamic_credentials(env):
            return None
        return self.bootstrap_role_arn(env)

    def bootstrap_role_arn(self, env: Environment) -> str | None:
        """The deployer role of `env`'s account, which bootstrap stacks assume in any case."""
        role_name = self.config.organization.deployment_role_name
        return self.role_arn(env.account_id, role_name) if role_name else None

    # HCP Terraform run roles (modules/hcp-terraform-run-roles), the same names in every account
    # whose environments use dynamic credentials: <prefix>-plan/-apply, or -run for both phases.
    @property
    def hcp_terraform_role_prefix(self) -> str:
        return f"{self.prefix}-hcp-terraform"

    @property
    def hcp_terraform_writer_role_names(self) -> tuple[str, ...]:
        """The run roles that apply (platform admins in the SCPs, as the deployer role is)."""
        return tuple(f"{self.hcp_terraform_role_prefix}-{key}" for key in ("apply", "run"))

    def terraform_writer_role_arn(self, env: Environment) -> str | None:
        """The role whose credentials apply `env`'s stacks: the HCP Terraform apply (or run)
        role with dynamic credentials, the deployer role otherwise (None: ambient credentials)."""
        backend = env.backend
        if isinstance(backend, CloudBackendConfig) and backend.dynamic_credentials:
            key = "apply" if backend.separate_plan_role else "run"
            return self.role_arn(env.account_id, f"{self.hcp_terraform_role_prefix}-{key}")
        return self.bootstrap_role_arn(env)

    def stack_tags(self, env: Environment) -> dict[str, str]:
        """Provider default tags: organization defaults, then environment tags, then identity."""
        return {
            **self.config.organization.default_tags,
            **env.tags,
            "Environment": env.name,
            "AccountRole": env.role.value,
            "ManagedBy": "terraform",
        }

    # -- central model registry (hub) ---------------------------------------------------------

    @property
    def registry_kms_alias(self) -> str:
        return f"alias/{self.prefix}-model-registry"

    @property
    def registry_kms_alias_arn(self) -> str:
        """Other accounts cannot know the key id without reading hub state; the alias is fixed."""
        return self._arn("kms", self.hub.region, self.hub.account_id, self.registry_kms_alias)

    @property
    def artifact_bucket_name(self) -> str:
        return f"{self.prefix}-model-artifacts-{self.hub.account_id}-{self.hub.region}"

    @property
    def artifact_bucket_arn(self) -> str:
        return f"arn:{self.partition}:s3:::{self.artifact_bucket_name}"

    @property
    def promoted_image_repository_prefix(self) -> str:
        """The promoter derives a team's hub repository as `{this}/{team}` at run time."""
        return f"{self.prefix}-promoted"

    def promoted_image_repository(self, team: str) -> str:
        return f"{self.promoted_image_repository_prefix}/{team}"

    def promoted_image_repository_arn(self, team: str) -> str:
        return self._arn(
            "ecr",
            self.hub.region,
            self.hub.account_id,
            f"repository/{self.promoted_image_repository(team)}",
        )

    @property
    def promoted_image_repositories(self) -> list[str]:
        return [self.promoted_image_repository(env.team or "") for env in self.dev_environments]

    # -- model promotion hub ------------------------------------------------------------------

    @property
    def promotion_event_bus_name(self) -> str:
        return f"{self.prefix}-model-promotion"

    @property
    def promotion_event_bus_arn(self) -> str:
        return self._arn(
            "events",
            self.hub.region,
            self.hub.account_id,
            f"event-bus/{self.promotion_event_bus_name}",
        )

    @property
    def promoter_function_name(self) -> str:
        return f"{self.prefix}-model-promoter"

    @property
    def promoter_role_name(self) -> str:
        return f"{self.prefix}-model-promoter"

    @property
    def promoter_role_arn(self) -> str:
        return self.role_arn(self.hub.account_id, self.promoter_role_name)

    @property
    def idempotency_table_name(self) -> str:
        return f"{self.prefix}-model-promoter-idempotency"

    @property
    def source_accounts_parameter(self) -> str:
        return f"/{self.prefix}/model-promotion/source-accounts"

    @property
    def group_policy_template_parameter(self) -> str:
        return f"/{self.prefix}/model-promotion/group-policy-template"

    @property
    def dev_environments(self) -> tuple[Environment, ...]:
        return self.config.by_role(AccountRole.DEV)

    @property
    def source_accounts(self) -> dict[str, str]:
        """The promoter's allow-list: dev account id -> team.

        Only the team is stored (the SSM parameter must hold every dev account); the hub image
        repository is `promoted_image_repository_prefix/team`, derived by the promoter.
        """
        return {env.account_id: env.team or "" for env in self.dev_environments}

    @property
    def source_accounts_json(self) -> str:
        return json.dumps(self.source_accounts, sort_keys=True, separators=(",", ":"))

    # -- dev accounts -------------------------------------------------------------------------

    @property
    def promotion_source_role_name(self) -> str:
        return f"{self.prefix}-promotion-source"

    def promotion_source_role_arn(self, env: Environment) -> str:
        return self.role_arn(env.account_id, self.promotion_source_role_name)

    @property
    def approval_forwarder_name(self) -> str:
        return f"{self.prefix}-forward-approved-models"

    def workspace_name(self, env: Environment) -> str:
        """The team workspace's name; ml-workspace prefixes every team resource with it."""
        return f"{self.prefix}-{env.team}"

    # -- Service Catalog portfolios (hub) and SageMaker projects (dev) -------------------------

    # Where ml-workspace and data-lake-consumer write the settings the project templates read;
    # the templates name these parameters as defaults (one workspace per dev account).
    PROJECT_SETTINGS_PATH = "/mlgov/project-settings/"

    @property
    def portfolio_artifacts_bucket_name(self) -> str:
        return f"{self.prefix}-portfolio-artifacts-{self.hub.account_id}-{self.hub.region}"

    @property
    def studio_templates_s3_location(self) -> str:
        """The Studio S3 templates location every team domain is tagged with."""
        return f"s3://{self.portfolio_artifacts_bucket_name}/templates/"

    @property
    def ml_admin_launch_role_name(self) -> str:
        return f"{self.prefix}-ml-admin-launch"

    @property
    def sagemaker_projects_launch_role_name(self) -> str:
        return f"{self.prefix}-sagemaker-projects-launch"

    @property
    def lead_data_scientist_role_pattern(self) -> str:
        """IAM_PATTERN of every team's lead data scientist roles: the persona role
        "<workspace>-lead-data-scientist" and the Studio role "<workspace>-studio-lead-data-
        scientist" (team names never end in "-lead" or "-studio", so no data scientist role
        matches)."""
        return f"arn:{self.partition}:iam:::role/{self.prefix}-*-lead-data-scientist"

    @property
    def lake_name(self) -> str:
        """Prefix of the data lake's resources in the data-governance account."""
        return f"{self.prefix}-lake"

    @property
    def unified_studio_domain_name(self) -> str:
        """The Unified Studio domain; the module prefixes its roles and key alias with it."""
        return f"{self.prefix}-studio"

    def lake_athena_role_arn(self, env: Environment) -> str:
        """The dev account's Athena role (data-lake-consumer names it "<workspace>-athena"),
        which the lake's grants name directly."""
        return self.role_arn(env.account_id, f"{self.workspace_name(env)}-athena")

    def feature_group_arn(self, name: str) -> str:
        """A feature group of the central feature store (data-governance account)."""
        lake_env = self.data_governance
        assert lake_env is not None
        return self._arn("sagemaker", lake_env.region, lake_env.account_id, f"feature-group/{name}")

    @property
    def data_governance(self) -> Environment | None:
        envs = self.config.by_role(AccountRole.DATA_GOVERNANCE)
        return envs[0] if envs else None

    @property
    def approver_role_name_template(self) -> str:
        """The only role whose sessions may approve a team's packages (the hub checks it).

        ml-workspace names the lead data scientist persona role "<workspace name>-lead-data-
        scientist"; `{team}` is filled in by the promoter from the source accounts map.
        """
        return f"{self.prefix}-{{team}}-lead-data-scientist"

    # -- deployment ---------------------------------------------------------------------------

    @property
    def deployment_pipeline_name(self) -> str:
        return f"{self.prefix}-model-deployment"

    def codebuild_role_name(self, stage: str) -> str:
        """The pipeline's CodeBuild role for one stage; the target's deploy role trusts it."""
        return f"{self.deployment_pipeline_name}-codebuild-{stage}"

    def codebuild_role_arn(self, stage: str) -> str:
        return self.role_arn(self.hub.account_id, self.codebuild_role_name(stage))

    @property
    def model_deployer_role_name(self) -> str:
        return f"{self.prefix}-model-deployer"

    def model_deployer_role_arn(self, env: Environment) -> str:
        return self.role_arn(env.account_id, self.model_deployer_role_name)

    @property
    def target_config_parameter(self) -> str:
        """SSM parameter in each test/prod account holding that target's deployment settings."""
        return f"/{self.prefix}/model-deployment/target-config"

    @property
    def endpoint_execution_role_name(self) -> str:
        return f"{self.prefix}-endpoint-execution"

    @property
    def ml_engineer_role_name(self) -> str:
        return f"{self.prefix}-ml-engineer"

    @property
    def governance_officer_role_name(self) -> str:
        return f"{self.prefix}-governance-officer"

    @property
    def powertools_layer_arn(self) -> str | None:
        """Powertools for AWS Lambda (Python) v3 public layer for the hub's Lambdas (arm64)."""
        publisher = _POWERTOOLS_LAYER_ACCOUNTS.get(self.partition)
        if publisher is None:
            return None
        return (
            f"arn:{self.partition}:lambda:{self.hub.region}:{publisher}:layer:"
            f"AWSLambdaPowertoolsPythonV3-python313-arm64:{POWERTOOLS_LAYER_VERSION}"
        )

    @property
    def consumer_accounts(self) -> tuple[Environment, ...]:
        """Accounts that deploy central models (read-only on the registry)."""
        return self.config.by_role(AccountRole.TEST) + self.config.by_role(AccountRole.PROD)

    # -- organization guardrails ----------------------------------------------------------------
    # The SCPs name the hub's resources and roles by the modules' naming contracts; the
    # guardrail tests check each name against the hub stack's plan.

    @property
    def break_glass_role_name(self) -> str:
        """The one role every guardrail exempts (the organization environment may rename it)."""
        for env in self.config.by_role(AccountRole.ORGANIZATION):
            if env.guardrails is not None:
                return env.guardrails.break_glass_role_name
        return f"{self.prefix}-break-glass"

    def any_account_role_arn(self, role_name: str) -> str:
        """A role name in every account of the organization (an SCP ARN pattern)."""
        return self.role_arn("*", role_name)

    @property
    def deployment_pipeline_arn(self) -> str:
        return self._arn(
            "codepipeline", self.hub.region, self.hub.account_id, self.deployment_pipeline_name
        )

    @property
    def deployment_project_arn_pattern(self) -> str:
        """The pipeline's CodeBuild projects (deploy-test, integration-test, deploy-prod)."""
        return self._arn(
            "codebuild",
            self.hub.region,
            self.hub.account_id,
            f"project/{self.deployment_pipeline_name}-*",
        )

    @property
    def deployment_pipeline_role_names(self) -> tuple[str, ...]:
        """The roles that run the pipeline: its service role and the trigger function's."""
        name = self.deployment_pipeline_name
        return (f"{name}-pipeline", f"{name}-trigger")

    @property
    def pipeline_trigger_function_name(self) -> str:
        return f"{self.deployment_pipeline_name}-trigger"

    def hub_function_arn(self, function_name: str) -> str:
        return self._arn(
            "lambda", self.hub.region, self.hub.account_id, f"function:{function_name}"
        )

    @property
    def code_signing_name(self) -> str:
        """Name of the hub's code signing setup: the promoter's and the trigger's packages."""
        return f"{self.prefix}-functions"

    @property
    def code_signing_bucket_arn(self) -> str:
        """The bucket of the signed packages (the lambda-code-signing module's default name)."""
        bucket = f"{self.code_signing_name}-code-{self.hub.account_id}-{self.hub.region}"
        return f"arn:{self.partition}:s3:::{bucket}"

    @property
    def signing_profile_arn_pattern(self) -> str:
        """The hub's Signer profile (its name is generated from this prefix) and its versions."""
        profile_prefix = self.code_signing_name.replace("-", "_")
        return self._arn(
            "signer", self.hub.region, self.hub.account_id, f"/signing-profiles/{profile_prefix}*"
        )

    @property
    def deployment_artifact_bucket_arn(self) -> str:
        """The pipeline's artifact bucket, which also holds the tooling bundle."""
        name = self.deployment_pipeline_name
        return f"arn:{self.partition}:s3:::{name}-artifacts-{self.hub.account_id}-{self.hub.region}"

    @property
    def deployment_tooling_object_arn(self) -> str:
        """The tooling bundle the pipeline's Source stage reads (the module's default key)."""
        return f"{self.deployment_artifact_bucket_arn}/tooling/*"

    @property
    def central_model_package_groups_arn(self) -> str:
        return self._arn("sagemaker", self.hub.region, self.hub.account_id, "model-package-group/*")

    @property
    def platform_parameter_arn_patterns(self) -> tuple[str, ...]:
        """Every SSM parameter of the platform (settings of promotion, deployment, projects)."""
        paths = [f"/{self.prefix}/"]
        if not self.PROJECT_SETTINGS_PATH.startswith(paths[0]):
            paths.append(self.PROJECT_SETTINGS_PATH)
        return tuple(f"arn:{self.partition}:ssm:*:*:parameter{path}*" for path in paths)
