"""One Terraform stack per account, each composing the HCL modules its account role needs.

Stack ids are environment names; module construct ids are stable kebab-case (renaming one makes
Terraform replace everything inside it). Values that cross accounts come from `Naming`, never from
another stack's state. The one account with a second stack is data governance, when it configures
`unified_studio`: `<environment>-unified-studio` needs hashicorp/aws 6.x, which must not leak into
the platform's other stacks (see `aws_provider.AWS_PROVIDER_VERSION_DATAZONE_V2`).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, ClassVar, TypedDict

from cdktn import AssetType, Fn, TerraformAsset, TerraformOutput, TerraformStack, Token
from constructs import Construct

from platform_composition.aws_provider import (
    AWS_PROVIDER_VERSION,
    AWS_PROVIDER_VERSION_DATAZONE_V2,
    AwsProvider,
)
from platform_composition.backends import attach_backend
from platform_composition.catalog_config import CatalogSettings
from platform_composition.config import AccountRole, Environment, PlatformConfig
from platform_composition.hcl_module import PROJECT_ROOT
from platform_composition.lake_config import Column, FeatureStore
from platform_composition.modules import (
    CentralModelRegistry,
    DataLake,
    DataLakeConsumer,
    HclModule,
    LambdaCodeSigning,
    MlWorkspace,
    ModelApprovalForwarder,
    ModelDeploymentPipeline,
    ModelDeploymentTarget,
    ModelPromotionHub,
    OrgGuardrails,
    ServiceCatalogPortfolios,
    UnifiedStudioDomain,
)
from platform_composition.modules.data_lake import (
    DataLakeDatabasesValueTablesValueColumnsItem,
    DataLakeDatabasesValueTablesValuePartitionKeysItem,
    DataLakeFeatureStore,
)
from platform_composition.modules.model_promotion_hub import ModelPromotionHubFunctionPackage
from platform_composition.modules.service_catalog_portfolios import (
    ServiceCatalogPortfoliosProductsValue,
    ServiceCatalogPortfoliosPublishingPipeline,
)
from platform_composition.naming import Naming, uses_dynamic_credentials
from platform_composition.packaging import Package
from platform_composition.products import (
    PROJECT_TEMPLATE_PRODUCTS,
    SEED_CODE,
    SMALL_ADMIN_PRODUCTS,
    TERRAFORM_PRODUCTS,
    platform_version,
    project_template,
)
from platform_composition.workspace_config import USER_IDLE_TIMEOUT_CEILING, CreatedNetwork


class PackageFile(TypedDict):
    """A deployment package in a stack's assets, as the modules take one."""

    filename: str
    source_code_hash: str


class AccountStack(TerraformStack):
    """Provider (pinned to the account), backend, and the modules of one account."""

    # The HCL modules this account role composes; only these are copied into the stack's assets.
    MODULES: ClassVar[tuple[type[HclModule], ...]] = ()
    # None: the environment's own stack, named after it. A suffix: a further stack of the same
    # account, named `<environment>-<suffix>`, with a state (key, workspace, file) of its own.
    STACK_SUFFIX: ClassVar[str | None] = None
    # The hashicorp/aws range written into the stack's required_providers.
    PROVIDER_VERSION: ClassVar[str] = AWS_PROVIDER_VERSION

    @classmethod
    def name_for(cls, env: Environment) -> str:
        """The stack id, which is also its directory under cdktf.out/stacks and its state name."""
        return env.name if cls.STACK_SUFFIX is None else f"{env.name}-{cls.STACK_SUFFIX}"

    @classmethod
    def wanted_for(cls, env: Environment) -> bool:
        """Whether `env` gets this stack (an environment always gets its own)."""
        return True

    def __init__(
        self,
        scope: Construct,
        env: Environment,
        naming: Naming,
        *,
        project_root: Path,
        stack_dir: Path,
        packages: dict[str, Package],
    ) -> None:
        self.stack_name = self.name_for(env)
        super().__init__(scope, self.stack_name)
        self.packages = packages
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
            version_constraint=self.PROVIDER_VERSION,
        )
        attach_backend(
            self, env, state_name=self.stack_name, project_root=project_root, stack_dir=stack_dir
        )
        self.modules: list[HclModule] = []

    def add_module(self, module: HclModule) -> HclModule:
        if type(module) not in self.MODULES:
            raise TypeError(
                f"{type(self).__name__} does not declare {type(module).__name__} in MODULES"
            )
        self.modules.append(module)
        return module

    def export(self, name: str, value: Any, description: str) -> None:
        """A stack output: what operators, `mlgov` and the sandbox read after an apply."""
        TerraformOutput(self, name, value=value, description=description)

    @property
    def module_names(self) -> list[str]:
        return [module.module_name for module in self.modules]

    def file_asset(self, name: str, path: Path) -> str:
        """A file copied into this stack's assets; returns the path Terraform reads it from."""
        return TerraformAsset(self, name, path=str(path), type=AssetType.FILE).path

    def package_input(self, name: str) -> PackageFile:
        """A built deployment package copied into this stack's assets, as modules take it."""
        package = self.packages[name]
        asset = TerraformAsset(
            self, f"{name.replace('_', '-')}-package", path=str(package.path), type=AssetType.FILE
        )
        return {"filename": asset.path, "source_code_hash": package.sha256_base64}


class SharedServicesStack(AccountStack):
    """The hub: central model registry, promotion hub, deployment pipeline and the Service
    Catalog portfolios."""

    MODULES = (
        CentralModelRegistry,
        LambdaCodeSigning,
        ModelPromotionHub,
        ModelDeploymentPipeline,
        ServiceCatalogPortfolios,
    )

    def __init__(self, scope: Construct, env: Environment, naming: Naming, **kwargs: Any) -> None:
        super().__init__(scope, env, naming, **kwargs)
        organization = naming.config.organization
        self.registry = CentralModelRegistry(
            self,
            "central-model-registry",
            organization_id=organization.organization_id,
            consumer_account_ids=[account.account_id for account in naming.consumer_accounts],
            kms_alias_name=naming.registry_kms_alias,
            artifact_bucket_name=naming.artifact_bucket_name,
            image_repository_names=naming.promoted_image_repositories,
            # The promoter signs server-side copies with each dev account's promotion-source
            # role (the only principal that can read the source objects); this lets that role
            # write its own account's prefix, nothing else.
            artifact_writers={
                "role_name": naming.promotion_source_role_name,
                "account_ids": [dev.account_id for dev in naming.dev_environments],
                "organization_path": organization.workloads_ou_path,
            },
            # Inside the hub too: only the ML engineer sets statuses, only the promoter writes
            # promoted/ (the organization's SCPs say the same where they apply).
            model_approver_role_arns=[
                naming.role_arn(env.account_id, naming.ml_engineer_role_name)
            ],
            promoted_artifact_writer_role_arns=[naming.promoter_role_arn],
            break_glass_role_arns=[naming.any_account_role_arn(naming.break_glass_role_name)],
        )
        self.add_module(self.registry)
        # The promoter and the trigger run only code signed by the hub's own Signer profile:
        # Lambda refuses any other code for them, whoever deploys it.
        self.code_signing = LambdaCodeSigning(
            self,
            "lambda-code-signing",
            name=naming.code_signing_name,
            packages={
                name: self.package_input(name) for name in ("model_promoter", "pipeline_trigger")
            },
        )
        self.add_module(self.code_signing)
        self.promotion_hub = ModelPromotionHub(
            self,
            "model-promotion-hub",
            organization_id=organization.organization_id,
            # Both apply: an event must come from a listed dev account inside the workloads OU.
            workloads_ou_path=organization.workloads_ou_path,
            allowed_account_ids=[dev.account_id for dev in naming.dev_environments],
            event_bus_name=naming.promotion_event_bus_name,
            function_name=naming.promoter_function_name,
            function_package=self._signed_package("model_promoter"),
            code_signing_config_arn=self.code_signing.code_signing_config_arn,
            role_name=naming.promoter_role_name,
            source_role_name=naming.promotion_source_role_name,
            source_accounts=naming.source_accounts,
            image_repository_prefix=naming.promoted_image_repository_prefix,
            hub_artifact_bucket_arn=self.registry.artifact_bucket_arn,
            registry_kms_key_arn=self.registry.kms_key_arn,
            # One pattern for every team's repository keeps the role policy a fixed size.
            hub_repository_arns=[naming.promoted_image_repository_arn("*")],
            idempotency_table_name=naming.idempotency_table_name,
            source_accounts_parameter_name=naming.source_accounts_parameter,
            group_policy_template_parameter_name=naming.group_policy_template_parameter,
            group_policy_template=self.registry.model_package_group_policy_template,
            powertools_layer_arn=naming.powertools_layer_arn,
            # Only the workspace's lead data scientist role may approve what the hub promotes.
            approver_role_name_template=naming.approver_role_name_template,
        )
        self.add_module(self.promotion_hub)
        personas = env.personas
        assert personas is not None  # the config loader requires them for the hub
        self.deployment_pipeline = ModelDeploymentPipeline(
            self,
            "model-deployment-pipeline",
            name=naming.deployment_pipeline_name,
            organization_id=organization.organization_id,
            deployment_targets={
                target.role.value: {
                    "account_id": target.account_id,
                    "region": target.region,
                    "deploy_role_arn": naming.model_deployer_role_arn(target),
                    "target_config_parameter_name": naming.target_config_parameter,
                }
                for target in naming.consumer_accounts
            },
            codebuild_role_names={
                "test": naming.codebuild_role_name("test"),
                "prod": naming.codebuild_role_name("prod"),
            },
            tooling_package=self.package_input("mlgov"),
            tooling_writer_role_arns=[writer]
            if (writer := naming.terraform_writer_role_arn(env))
            else None,
            trigger_function_package=self._signed_package("pipeline_trigger"),
            trigger_function_code_signing_config_arn=self.code_signing.code_signing_config_arn,
            trigger_function_layers=[naming.powertools_layer_arn]
            if naming.powertools_layer_arn
            else None,
            ml_engineer_role_name=naming.ml_engineer_role_name,
            ml_engineer_trusted_principal_arns=list(personas.ml_engineers),
            governance_officer_role_name=naming.governance_officer_role_name,
            governance_officer_trusted_principal_arns=list(personas.governance_officers),
            approval_notification_emails=list(personas.approval_notification_emails) or None,
        )
        self.add_module(self.deployment_pipeline)
        self.portfolios = self.add_module(self._portfolios(env, naming))
        self._export_outputs()

    def _portfolios(self, env: Environment, naming: Naming) -> ServiceCatalogPortfolios:
        """Both portfolios, shared to the workloads OU: the project templates, the team ML
        workspace product and the seed code, each published as the platform's release."""
        settings = env.service_catalog
        assert settings is not None  # the config loader sets it for the hub
        release = platform_version()
        products: dict[str, ServiceCatalogPortfoliosProductsValue] = {
            key: {
                "portfolio": "sagemaker_projects",
                "type": "CLOUD_FORMATION_TEMPLATE",
                "name": name,
                "description": description,
                "studio_template": True,
                "versions": [
                    {
                        "name": release,
                        "description": f"Platform release {release}.",
                        "artifact_path": self.file_asset(f"{key}-template", project_template(key)),
                    }
                ],
            }
            for key, (name, description, _) in PROJECT_TEMPLATE_PRODUCTS.items()
        }
        products["team-ml-workspace"] = {
            "portfolio": "ml_admin",
            "type": settings.workspace_product_type,
            "name": "Team ML workspace",
            "description": "VPC-only SageMaker Studio domain with persona and execution roles, "
            "team buckets and key, MLflow and SageMaker projects support (ml-workspace).",
            "versions": [
                {
                    "name": release,
                    "description": f"Platform release {release}.",
                    "artifact_path": self.package_input("team_ml_workspace_product")["filename"],
                }
            ],
        }
        for key, (name, description) in SMALL_ADMIN_PRODUCTS.items():
            products[key] = {
                "portfolio": "ml_admin",
                "type": settings.workspace_product_type,
                "name": name,
                "description": description,
                "versions": [
                    {
                        "name": release,
                        "description": f"Platform release {release}.",
                        "artifact_path": self.package_input(f"{key.replace('-', '_')}_product")[
                            "filename"
                        ],
                    }
                ],
            }
        lead_pattern = naming.lead_data_scientist_role_pattern
        return ServiceCatalogPortfolios(
            self,
            "service-catalog-portfolios",
            name_prefix=naming.prefix,
            organization_id=naming.config.organization.organization_id,
            management_account_id=naming.config.organization.management_account_id,
            workloads_ou_paths=[naming.config.organization.workloads_ou_path],
            share_to_account_ids=list(settings.share_to_account_ids),
            portfolios={
                "ml_admin": {"principal_patterns": [lead_pattern]},
                "sagemaker_projects": {"principal_patterns": [lead_pattern]},
            },
            support={"email": settings.support_email},
            products=products,
            launch_role_names={
                "ml_admin": naming.ml_admin_launch_role_name,
                "sagemaker_projects": naming.sagemaker_projects_launch_role_name,
            },
            terraform_engine_role_arn_pattern=settings.terraform_engine_role_arn_pattern,
            tag_options={"mlgov:team": sorted(str(dev.team) for dev in naming.dev_environments)},
            seed_code={
                "model-build": self.package_input("model_build_seed_code")["filename"],
            },
            bucket_name=naming.portfolio_artifacts_bucket_name,
            publishing_pipeline=_publishing_pipeline(settings),
        )

    def _signed_package(self, name: str) -> ModelPromotionHubFunctionPackage:
        """Where the signed copy of a package is, as the function modules take it."""
        signed = self.code_signing.reference("signed_packages")
        return {
            "s3_bucket": Token.as_string(Fn.lookup_nested(signed, [name, "s3_bucket"])),
            "s3_key": Token.as_string(Fn.lookup_nested(signed, [name, "s3_key"])),
        }

    def _export_outputs(self) -> None:
        registry, hub, pipeline = self.registry, self.promotion_hub, self.deployment_pipeline
        for name, value, description in (
            ("registry_kms_key_arn", registry.kms_key_arn, "Central registry KMS key."),
            (
                "registry_artifact_bucket_name",
                registry.artifact_bucket_name,
                "Hub bucket holding promoted model artifacts.",
            ),
            (
                "promoted_image_repository_urls",
                registry.image_repository_urls,
                "Team -> hub ECR repository URL for promoted images.",
            ),
            (
                "promotion_event_bus_arn",
                hub.event_bus_arn,
                "Bus the dev accounts forward approval events to.",
            ),
            (
                "promotion_rule_name",
                hub.rule_name,
                "Rule on the promotion bus invoking the promoter.",
            ),
            ("model_promoter_function_name", hub.function_name, "The model-promotion Lambda."),
            ("model_promoter_role_arn", hub.function_role_arn, "The promoter's execution role."),
            (
                "model_promoter_dead_letter_queue_url",
                hub.dead_letter_queue_url,
                "Promotions that failed after retries.",
            ),
            (
                "idempotency_table_name",
                hub.idempotency_table_name,
                "Promotion idempotency records.",
            ),
            ("deployment_pipeline_name", pipeline.pipeline_name, "The deployment pipeline."),
            ("deployment_pipeline_arn", pipeline.pipeline_arn, "The deployment pipeline's ARN."),
            (
                "prod_approval_action_arn",
                pipeline.approval_action_arn,
                "The ApproveProd action only the governance officer may answer.",
            ),
            (
                "pipeline_trigger_function_arn",
                pipeline.trigger_function_arn,
                "Lambda starting the pipeline on central approval.",
            ),
            (
                "pipeline_trigger_rule_arn",
                pipeline.trigger_rule_arn,
                "Rule matching central approvals (default bus).",
            ),
            (
                "codebuild_project_names",
                pipeline.codebuild_project_names,
                "CodeBuild project per pipeline action.",
            ),
            (
                "tooling_bucket_name",
                pipeline.artifact_bucket_name,
                "Pipeline artifact store holding the deployment tooling bundle.",
            ),
            (
                "ml_engineer_role_arn",
                pipeline.ml_engineer_role_arn,
                "Role that approves central model packages.",
            ),
            (
                "governance_officer_role_arn",
                pipeline.governance_officer_role_arn,
                "Role that answers the production approval.",
            ),
        ):
            self.export(name, value, description)


class DevAccountStack(AccountStack):
    """One data science team's account: its SageMaker workspace, and the forwarder of approved
    models to the hub."""

    MODULES = (MlWorkspace, ModelApprovalForwarder, DataLakeConsumer)

    def __init__(self, scope: Construct, env: Environment, naming: Naming, **kwargs: Any) -> None:
        super().__init__(scope, env, naming, **kwargs)
        partition = naming.partition
        organization_id = naming.config.organization.organization_id
        self.workspace = self._workspace(env, naming)
        self.add_module(self.workspace)
        self.approval_forwarder = ModelApprovalForwarder(
            self,
            "model-approval-forwarder",
            organization_id=organization_id,
            rule_name=naming.approval_forwarder_name,
            forwarder_role_name=naming.approval_forwarder_name,
            hub_event_bus_arn=naming.promotion_event_bus_arn,
            promotion_source_role_name=naming.promotion_source_role_name,
            hub_promoter_role_arn=naming.promoter_role_arn,
            hub_artifact_bucket_arn=naming.artifact_bucket_arn,
            hub_kms_key_alias_arn=naming.registry_kms_alias_arn,
            # The promoter reads the workspace's artifact bucket (and any bucket the team kept).
            artifact_bucket_arns=[
                self.workspace.artifact_bucket_arn,
                *(
                    f"arn:{partition}:s3:::{bucket}"
                    for bucket in env.additional_model_artifact_buckets
                ),
            ],
            artifact_kms_key_arns=[
                self.workspace.kms_key_arn,
                *env.additional_model_artifact_kms_key_arns,
            ],
        )
        self.add_module(self.approval_forwarder)
        self._data_lake_access(env, naming)
        workspace, forwarder = self.workspace, self.approval_forwarder
        for name, value, description in (
            ("workspace_domain_id", workspace.domain_id, "The team's SageMaker Studio domain."),
            ("workspace_domain_url", workspace.domain_url, "Studio URL of the domain."),
            (
                "persona_role_arns",
                workspace.persona_role_arns,
                "Persona roles (lead_data_scientist approves, data_scientist registers).",
            ),
            (
                "execution_role_arns",
                workspace.execution_role_arns,
                "Execution roles of Studio (per persona) and of SageMaker pipelines.",
            ),
            ("team_data_bucket_name", workspace.data_bucket_name, "The team's data bucket."),
            (
                "team_artifact_bucket_name",
                workspace.artifact_bucket_name,
                "The team's model-artifact bucket (read by the hub promoter).",
            ),
            ("team_kms_key_arn", workspace.kms_key_arn, "The team's KMS key."),
            (
                "workspace_security_group_ids",
                workspace.security_group_ids,
                "Security groups of Studio apps and jobs, and of the VPC endpoints.",
            ),
            ("workspace_subnet_ids", workspace.subnet_ids, "Private subnets of the workspace."),
            (
                "mlflow_tracking_server_arn",
                workspace.mlflow_tracking_server_arn,
                "The team's MLflow tracking server, or null.",
            ),
            (
                "model_package_group_policy_json",
                workspace.model_package_group_policy_json,
                "Resource policy for the team's model package groups (hub promoter reads).",
            ),
            (
                "approval_forwarder_rule_name",
                forwarder.rule_name,
                "Rule forwarding approved model packages to the hub.",
            ),
            ("approval_forwarder_rule_arn", forwarder.rule_arn, "ARN of that rule."),
            (
                "approval_forwarder_dead_letter_queue_url",
                forwarder.dead_letter_queue_url,
                "Approval events the hub bus did not accept.",
            ),
            (
                "promotion_source_role_arn",
                forwarder.promotion_source_role_arn,
                "Read-only role the hub's promoter assumes to copy artifacts.",
            ),
        ):
            self.export(name, value, description)

    def _data_lake_access(self, env: Environment, naming: Naming) -> None:
        """Resource links and the Athena role, when the lake grants this team anything."""
        lake_env = naming.data_governance
        lake = lake_env.lake if lake_env else None
        shared = lake.shared_databases(env.name) if lake else ()
        if not lake_env or not lake or not shared:
            return
        workspace = self.workspace
        consumer = DataLakeConsumer(
            self,
            "data-lake-consumer",
            name=naming.workspace_name(env),
            organization_id=naming.config.organization.organization_id,
            lake_account_id=lake_env.account_id,
            shared_databases=list(shared),
            # The workspace's persona and execution roles query the lake through this role.
            athena_user_principal_arns=Fn.concat(
                [
                    Fn.values(workspace.reference("persona_role_arns")),
                    Fn.values(workspace.reference("execution_role_arns")),
                ]
            ),
            # The lake grants the Athena role itself; nothing is re-granted in this account.
            grant_shared_database_permissions=False,
            create_kms_key=False,
            kms_key_arn=workspace.kms_key_arn,
            shared_feature_group_arns=[
                naming.feature_group_arn(name) for name in lake.shared_feature_groups(env.name)
            ],
            # The lake and feature-store project templates read the role and workgroup here.
            project_settings_parameter_path=naming.PROJECT_SETTINGS_PATH,
        )
        self.add_module(consumer)
        for name, value, description in (
            (
                "lake_resource_link_names",
                consumer.resource_link_names,
                "Shared lake database -> its resource link in this account.",
            ),
            (
                "lake_athena_workgroup_name",
                consumer.athena_workgroup_name,
                "Team Athena workgroup.",
            ),
            ("lake_athena_role_arn", consumer.athena_role_arn, "Role that queries the lake."),
        ):
            self.export(name, value, description)

    def _workspace(self, env: Environment, naming: Naming) -> MlWorkspace:
        settings = env.workspace
        assert settings is not None  # the config loader requires it for dev accounts
        network = settings.network
        network_arguments: dict[str, Any]
        if isinstance(network, CreatedNetwork):
            network_arguments = {
                "create_vpc": True,
                "vpc_cidr": network.cidr,
                "availability_zones": list(network.availability_zones),
            }
        else:
            network_arguments = {
                "create_vpc": False,
                "vpc_id": network.vpc_id,
                "subnet_ids": list(network.subnet_ids),
                "route_table_ids": list(network.route_table_ids) or None,
                "create_vpc_endpoints": network.create_vpc_endpoints,
            }
        mlflow = settings.mlflow
        timeout = settings.idle_timeout_in_minutes
        lake_env = naming.data_governance
        has_lake_access = bool(
            lake_env and lake_env.lake and lake_env.lake.shared_databases(env.name)
        )
        return MlWorkspace(
            self,
            "ml-workspace",
            name=naming.workspace_name(env),
            organization_id=naming.config.organization.organization_id,
            **network_arguments,
            enable_internet_egress=settings.internet_egress,
            auth_mode=settings.auth_mode,
            idle_shutdown={
                "idle_timeout_in_minutes": timeout,
                "max_idle_timeout_in_minutes": max(timeout, USER_IDLE_TIMEOUT_CEILING),
            },
            users={
                user.name: {"persona": user.persona, "sso_user_name": user.sso_user_name}
                for user in settings.users
            },
            lead_data_scientist_trusted_principal_arns=list(
                settings.lead_data_scientist_principals
            ),
            data_scientist_trusted_principal_arns=list(settings.data_scientist_principals),
            permissions_boundary_arn=settings.permissions_boundary_arn,
            access_log_bucket_name=settings.access_log_bucket,
            hub_promoter_role_arn=naming.promoter_role_arn,
            # SageMaker projects from the hub's portfolio or its Studio templates location.
            project_templates_s3_location=naming.studio_templates_s3_location,
            sagemaker_projects={
                "launch_role_name": naming.sagemaker_projects_launch_role_name,
                "source_provider_type": settings.project_source_provider,
                "source_connection_arn": settings.project_source_connection_arn,
                "athena_role_arn": naming.lake_athena_role_arn(env) if has_lake_access else None,
                "settings_parameter_path": naming.PROJECT_SETTINGS_PATH,
            },
            mlflow=(
                {
                    "enabled": True,
                    "tracking_server_size": mlflow.size,
                    "automatic_model_registration": mlflow.automatic_model_registration,
                    "weekly_maintenance_window_start": mlflow.weekly_maintenance_window_start,
                }
                if mlflow
                else None
            ),
        )


class DeploymentTargetStack(AccountStack):
    """Test (pre-prod) or prod: where the pipeline deploys endpoints."""

    MODULES = (ModelDeploymentTarget,)

    def __init__(self, scope: Construct, env: Environment, naming: Naming, **kwargs: Any) -> None:
        super().__init__(scope, env, naming, **kwargs)
        hub = naming.hub
        network, endpoint = env.endpoint_network, env.endpoint
        assert network is not None and endpoint is not None  # required for test/prod by config
        autoscaling = env.autoscaling
        self.deployment_target = ModelDeploymentTarget(
            self,
            "model-deployment-target",
            stage=env.role.value,
            name_prefix=naming.prefix,
            organization_id=naming.config.organization.organization_id,
            hub_account_id=hub.account_id,
            hub_region=hub.region,
            deploy_role_name=naming.model_deployer_role_name,
            execution_role_name=naming.endpoint_execution_role_name,
            target_config_parameter_name=naming.target_config_parameter,
            pipeline_codebuild_role_arns=[naming.codebuild_role_arn(env.role.value)],
            hub_ecr_repository_arns=[naming.promoted_image_repository_arn("*")],
            hub_artifact_bucket_arn=naming.artifact_bucket_arn,
            vpc_id=network.vpc_id,
            subnet_ids=list(network.subnet_ids),
            endpoint_name=endpoint.name,
            instance_type=endpoint.instance_type,
            initial_instance_count=endpoint.initial_instance_count,
            autoscaling=(
                {
                    "min_capacity": autoscaling.min_capacity,
                    "max_capacity": autoscaling.max_capacity,
                    "target_invocations_per_instance": autoscaling.target_invocations_per_instance,
                }
                if autoscaling
                else None
            ),
        )
        self.add_module(self.deployment_target)
        target = self.deployment_target
        for name, value, description in (
            (
                "target_config",
                target.target_config,
                "This stage's deployment settings (endpoint name included), as published in SSM.",
            ),
            (
                "target_config_parameter_name",
                target.target_config_parameter_name,
                "SSM SecureString holding target_config.",
            ),
            (
                "deploy_role_arn",
                target.deploy_role_arn,
                "Role the pipeline's stage build assumes to deploy here.",
            ),
            (
                "endpoint_execution_role_arn",
                target.execution_role_arn,
                "Execution role of the endpoint's model.",
            ),
            (
                "endpoint_kms_key_arn",
                target.endpoint_kms_key_arn,
                "Endpoint storage and capture key.",
            ),
            (
                "data_capture_bucket_name",
                target.data_capture_bucket_name,
                "Bucket receiving endpoint data capture.",
            ),
            (
                "endpoint_security_group_id",
                target.security_group_id,
                "Security group of the endpoint's VPC interfaces.",
            ),
            (
                "rollback_alarm_names",
                target.alarm_names,
                "Alarms that roll a blue/green deployment back.",
            ),
        ):
            self.export(name, value, description)


class DataGovernanceStack(AccountStack):
    """Data governance account: the governed data lake and the teams' grants."""

    MODULES = (DataLake,)

    def __init__(self, scope: Construct, env: Environment, naming: Naming, **kwargs: Any) -> None:
        super().__init__(scope, env, naming, **kwargs)
        lake = env.lake
        if lake is None:
            return
        config = naming.config
        self.lake = DataLake(
            self,
            "data-lake",
            name=naming.lake_name,
            organization_id=config.organization.organization_id,
            lake_admin_principal_arns=list(lake.admin_principal_arns),
            lf_tags={key: list(values) for key, values in lake.lf_tags.items()},
            databases={
                db.name: {
                    "description": db.description,
                    "lf_tags": dict(db.lf_tags),
                    "tables": {
                        table.name: {
                            "description": table.description,
                            "zone": table.zone,
                            "format": table.format,
                            "columns": [_column(c) for c in table.columns],
                            "partition_keys": [_partition_key(c) for c in table.partition_keys],
                            "lf_tags": dict(table.lf_tags),
                        }
                        for table in db.tables
                    },
                }
                for db in lake.databases
            },
            consumer_grants={
                dev.account_id: {
                    "expression": {key: list(values) for key, values in grant.expression.items()},
                    "permissions": list(grant.permissions),
                    "principal_arn": naming.lake_athena_role_arn(dev),
                }
                for grant in lake.grants
                for dev in [config.environment(grant.environment)]
            },
            feature_store=(
                _feature_store(lake.feature_store, config) if lake.feature_store else None
            ),
            access_log_bucket_name=lake.access_log_bucket,
        )
        self.add_module(self.lake)
        for name, value, description in (
            ("lake_bucket_names", self.lake.bucket_names, "Raw and curated zone buckets."),
            ("lake_kms_key_arn", self.lake.kms_key_arn, "Key of the lake's buckets and results."),
            ("lake_database_names", self.lake.database_names, "Glue databases of the lake."),
            (
                "lake_athena_workgroup_name",
                self.lake.athena_workgroup_name,
                "Athena workgroup of the data engineers.",
            ),
            ("lake_consumer_grants", self.lake.consumer_grants, "What each dev account may read."),
            (
                "feature_group_arns",
                self.lake.feature_group_arns,
                "Feature groups of the central feature store.",
            ),
            (
                "feature_shares",
                self.lake.feature_shares,
                "Feature groups shared read-only through AWS RAM, by dev account id.",
            ),
        ):
            self.export(name, value, description)


def _publishing_pipeline(
    settings: CatalogSettings,
) -> ServiceCatalogPortfoliosPublishingPipeline | None:
    """Pushes to the platform repository publish new versions of the project templates and
    the seed code (paths are this repository's)."""
    if settings.publishing_repository is None:
        return None
    return {
        "repository_id": settings.publishing_repository,
        "branch": settings.publishing_branch,
        "provider_type": settings.publishing_provider,
        "product_sources": {
            key: project_template(key).relative_to(PROJECT_ROOT).as_posix()
            for key in PROJECT_TEMPLATE_PRODUCTS
        }
        | {
            key: (TERRAFORM_PRODUCTS / key).relative_to(PROJECT_ROOT).as_posix()
            for key in SMALL_ADMIN_PRODUCTS
        },
        "seed_code_sources": {"model-build": SEED_CODE.relative_to(PROJECT_ROOT).as_posix()},
    }


def _feature_store(store: FeatureStore, config: PlatformConfig) -> DataLakeFeatureStore:
    return {
        "database": store.database,
        "lf_tags": dict(store.lf_tags),
        "feature_groups": {
            group.name: {
                "description": group.description,
                "record_identifier": group.record_identifier,
                "event_time": group.event_time,
                "features": [{"name": f.name, "type": f.type} for f in group.features],
                "online": group.online,
                "lf_tags": dict(group.lf_tags),
                "shared_with_account_ids": [
                    config.environment(env).account_id for env in group.shared_with
                ],
            }
            for group in store.groups
        },
    }


def _column(column: Column) -> DataLakeDatabasesValueTablesValueColumnsItem:
    return {"name": column.name, "type": column.type, "comment": column.comment}


def _partition_key(column: Column) -> DataLakeDatabasesValueTablesValuePartitionKeysItem:
    """Partition keys have a name and a type only (the module's type has no comment)."""
    return {"name": column.name, "type": column.type}


class UnifiedStudioStack(AccountStack):
    """Data governance account, second stack: the SageMaker Unified Studio (DataZone V2) domain
    with the data-lake blueprint and one project per dev team.

    Separate from `DataGovernanceStack` because its module needs hashicorp/aws 6.x: in one stack
    it would force 6.x on the lake too. Same account, region, deployment role, tags and backend
    settings as the environment's own stack; its own state. Applied after that stack.
    """

    MODULES = (UnifiedStudioDomain,)
    STACK_SUFFIX = "unified-studio"
    PROVIDER_VERSION = AWS_PROVIDER_VERSION_DATAZONE_V2

    @classmethod
    def wanted_for(cls, env: Environment) -> bool:
        return env.unified_studio is not None

    def __init__(self, scope: Construct, env: Environment, naming: Naming, **kwargs: Any) -> None:
        super().__init__(scope, env, naming, **kwargs)
        settings = env.unified_studio
        assert settings is not None  # wanted_for
        self.studio = UnifiedStudioDomain(
            self,
            "unified-studio-domain",
            name=naming.unified_studio_domain_name,
            description=settings.description,
            single_sign_on_type=settings.single_sign_on_type,
            single_sign_on_user_assignment=(
                settings.single_sign_on_user_assignment
                if settings.single_sign_on_type == "IAM_IDC"
                else None
            ),
            create_kms_key=settings.kms_key_arn is None,
            kms_key_arn=settings.kms_key_arn,
            permissions_boundary_arn=settings.permissions_boundary_arn,
            data_lake_s3_location=settings.data_lake_s3_location,
            # One project per dev environment, named after its team.
            teams={
                dev.team: {"description": f"ML team {dev.team} (account {dev.account_id})"}
                for dev in naming.dev_environments
                if dev.team
            },
        )
        self.add_module(self.studio)
        studio = self.studio
        for name, value, description in (
            ("unified_studio_domain_id", studio.domain_id, "The Unified Studio domain (dzd-...)."),
            ("unified_studio_domain_arn", studio.domain_arn, "ARN of the domain."),
            (
                "unified_studio_portal_url",
                studio.domain_portal_url,
                "URL of the SageMaker Unified Studio portal.",
            ),
            (
                "unified_studio_project_ids",
                studio.project_ids,
                "DataZone project ids, by team.",
            ),
            (
                "unified_studio_manage_access_role_arn",
                studio.manage_access_role_arn,
                "The data-lake blueprint's manage-access role (grants through Lake Formation).",
            ),
        ):
            self.export(name, value, description)


class OrganizationStack(AccountStack):
    """The management account: the ML service control policies and the hub as Service Catalog
    delegated administrator. Every exemption names a role by the modules' naming contracts."""

    MODULES = (OrgGuardrails,)

    def __init__(self, scope: Construct, env: Environment, naming: Naming, **kwargs: Any) -> None:
        super().__init__(scope, env, naming, **kwargs)
        settings = env.guardrails
        assert settings is not None  # the config loader sets it for the organization role
        hub = naming.hub
        hub_role = functools.partial(naming.role_arn, hub.account_id)
        everywhere = naming.any_account_role_arn
        lead = everywhere(f"{naming.prefix}-*-lead-data-scientist")
        break_glass = everywhere(naming.break_glass_role_name)
        deployer = naming.config.organization.deployment_role_name
        # HCP Terraform's apply roles change the platform as the deployer role does.
        dynamic = any(uses_dynamic_credentials(e) for e in naming.config.environments)
        hcp_writers = naming.hcp_terraform_writer_role_names if dynamic else ()
        # The plan role is protected too (admin_names already lists the writers).
        hcp_roles = (f"{naming.hcp_terraform_role_prefix}-plan",) if dynamic else ()
        admin_names = (
            *((deployer,) if deployer else ()),
            *hcp_writers,
            naming.ml_admin_launch_role_name,
            *settings.platform_admin_role_names,
        )
        pipeline_roles = [hub_role(name) for name in naming.deployment_pipeline_role_names]
        guardrails = OrgGuardrails(
            self,
            "org-guardrails",
            name_prefix=naming.prefix,
            attach_to=list(settings.attach_to or self._default_targets(naming)),
            break_glass_role_arns=[break_glass],
            platform_admin_role_arns=[everywhere(name) for name in admin_names],
            model_approval={
                "registry_account_id": hub.account_id,
                "central_approver_role_arns": [hub_role(naming.ml_engineer_role_name)],
                "team_approver_role_arns": [lead],
                "never_approver_role_arns": [
                    everywhere(f"{naming.prefix}-*-studio-lead-data-scientist")
                ],
            },
            deployment={
                "pipeline_arns": [naming.deployment_pipeline_arn],
                "build_project_arns": [naming.deployment_project_arn_pattern],
                "production_approver_role_arns": [hub_role(naming.governance_officer_role_name)],
                "operator_role_arns": pipeline_roles,
            },
            protected_resources={
                "function_arns": [
                    naming.hub_function_arn(naming.promoter_function_name),
                    naming.hub_function_arn(naming.pipeline_trigger_function_name),
                ],
                "parameter_arns": list(naming.platform_parameter_arn_patterns),
                "tooling_object_arns": [naming.deployment_tooling_object_arn],
                "role_arns": [
                    lead,
                    break_glass,
                    *(everywhere(name) for name in admin_names),
                    hub_role(naming.ml_engineer_role_name),
                    hub_role(naming.governance_officer_role_name),
                    hub_role(naming.promoter_role_name),
                    hub_role(f"{naming.deployment_pipeline_name}-*"),
                    everywhere(naming.model_deployer_role_name),
                    everywhere(naming.promotion_source_role_name),
                    everywhere(naming.sagemaker_projects_launch_role_name),
                    *(everywhere(name) for name in hcp_roles),
                ],
                "bucket_arns": [
                    naming.artifact_bucket_arn,
                    naming.deployment_artifact_bucket_arn,
                    naming.code_signing_bucket_arn,
                ],
                "signing_profile_arns": [naming.signing_profile_arn_pattern],
                "model_package_group_arns": [naming.central_model_package_groups_arn],
                "policy_writer_role_arns": [naming.promoter_role_arn],
            },
            require_vpc_only_sagemaker_domains=settings.require_vpc_only_sagemaker_domains,
            protect_cloudtrail=settings.protect_cloudtrail,
            service_catalog_delegated_admin_account_id=hub.account_id
            if settings.register_service_catalog_admin
            else None,
        )
        self.add_module(guardrails)
        for name, value, description in (
            ("scp_ids", guardrails.policy_ids, "Service control policy ids, by key."),
            ("scp_documents", guardrails.policy_documents, "The rendered SCPs, by key."),
            ("scp_attachments", guardrails.attachments, "Targets of each SCP, by key."),
            (
                "service_catalog_delegated_admin_account_id",
                guardrails.service_catalog_delegated_admin_account_id,
                "The hub, registered as Service Catalog delegated administrator.",
            ),
        ):
            self.export(name, value, description)

    @staticmethod
    def _default_targets(naming: Naming) -> list[str]:
        """The workloads OU (every dev account) and each other platform account itself."""
        config = naming.config
        workloads_ou = config.organization.workloads_ou_path.rstrip("/").rsplit("/", 1)[-1]
        accounts = [
            env.account_id
            for env in config.environments
            if env.role not in (AccountRole.DEV, AccountRole.ORGANIZATION)
        ]
        return [workloads_ou, *accounts]


# The environment's own stack, by account role.
STACK_CLASSES: dict[AccountRole, type[AccountStack]] = {
    AccountRole.SHARED_SERVICES: SharedServicesStack,
    AccountRole.DEV: DevAccountStack,
    AccountRole.TEST: DeploymentTargetStack,
    AccountRole.PROD: DeploymentTargetStack,
    AccountRole.DATA_GOVERNANCE: DataGovernanceStack,
    AccountRole.ORGANIZATION: OrganizationStack,
}
# Further stacks of the same account, synthesized when the environment asks for them
# (`AccountStack.wanted_for`), after the environment's own stack, which they depend on.
ADDITIONAL_STACK_CLASSES: dict[AccountRole, tuple[type[AccountStack], ...]] = {
    AccountRole.DATA_GOVERNANCE: (UnifiedStudioStack,),
}


def stack_classes(env: Environment) -> tuple[type[AccountStack], ...]:
    """Every stack class `env` gets: its own first, then the additional ones it configures."""
    additional = ADDITIONAL_STACK_CLASSES.get(env.role, ())
    return (STACK_CLASSES[env.role], *(cls for cls in additional if cls.wanted_for(env)))


def stack_names(config: PlatformConfig) -> list[str]:
    """The ids of every stack `config` synthesizes, in synth order."""
    return [cls.name_for(env) for env in config.environments for cls in stack_classes(env)]
