"""Typed interface of `modules/model-deployment-pipeline`.

Generated from the module's variables.tf and outputs.tf by
`scripts/generate_module_interfaces.py`; edit the HCL, then regenerate.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NotRequired, TypedDict

from cdktn import TerraformProvider
from constructs import Construct

from platform_composition.hcl_module import HclModule


class ModelDeploymentPipelineDeploymentTargetsValueAutoscaling(TypedDict):
    min_capacity: int | float
    max_capacity: int | float
    target_invocations_per_instance: int | float


class ModelDeploymentPipelineDeploymentTargetsValue(TypedDict):
    account_id: str
    region: NotRequired[str | None]
    deploy_role_arn: str
    target_config_parameter_name: str
    endpoint_name: NotRequired[str | None]
    instance_type: NotRequired[str | None]
    initial_instance_count: NotRequired[int | float | None]
    autoscaling: NotRequired[ModelDeploymentPipelineDeploymentTargetsValueAutoscaling | None]


class ModelDeploymentPipelineToolingPackage(TypedDict):
    filename: str
    source_code_hash: str


class ModelDeploymentPipelineTriggerFunctionPackage(TypedDict):
    filename: NotRequired[str | None]
    source_code_hash: NotRequired[str | None]
    s3_bucket: NotRequired[str | None]
    s3_key: NotRequired[str | None]


class ModelDeploymentPipelineTriggerFunctionVpcConfig(TypedDict):
    subnet_ids: Sequence[str]
    security_group_ids: Sequence[str]


class ModelDeploymentPipelineTriggerEventRetryPolicy(TypedDict):
    maximum_event_age_in_seconds: NotRequired[int | float | None]
    maximum_retry_attempts: NotRequired[int | float | None]


class ModelDeploymentPipelineCodebuildRoleNames(TypedDict):
    test: NotRequired[str | None]
    prod: NotRequired[str | None]


class ModelDeploymentPipelineCodebuildEnvironment(TypedDict):
    image: NotRequired[str | None]
    type: NotRequired[str | None]
    compute_type: NotRequired[str | None]
    python_version: NotRequired[str | None]


class ModelDeploymentPipelineCodebuildVpcConfig(TypedDict):
    vpc_id: str
    subnet_ids: Sequence[str]
    security_group_ids: Sequence[str]


class ModelDeploymentPipeline(HclModule):
    """Python interface of modules/model-deployment-pipeline (see its README.md).

    Arguments (HCL variable descriptions):
        name: Name of the deployment pipeline (naming contract: `{prefix}-model-deployment`);
        also prefixes the pipeline's roles, projects, function, queue and topic.
        organization_id: AWS Organizations id whose principals may assume the ML engineer and
        governance officer roles (aws:PrincipalOrgID).
        deployment_targets: Per-stage deployment target (keys exactly "test" and "prod") with
        only values known before the target stacks exist; the deploy CLI reads the rest from the
        target account's SSM parameter, and any override set here wins.
        tooling_package: Tooling bundle to upload as the pipeline's Source: a zip whose root
        holds the `mlgov/` package (this repository's `mlgov/`) and, for the default
        `codebuild_install_commands`, the `wheelhouse/` of its dependencies; and its base64
        SHA-256 (filebase64sha256).
        tooling_object_key: S3 key of the tooling bundle in the artifact bucket (the Source
        action's S3ObjectKey).
        integration_test_payloads_path: Path, relative to the tooling bundle's root, of the JSON
        Lines payload file passed to `mlgov test-endpoint --payloads`.
        trigger_function_package: Deployment zip of the pipeline trigger Lambda (root contains
        the `pipeline_trigger/` package): either a local file (filename and its base64 SHA-256
        as source_code_hash) or an object in S3 (s3_bucket, s3_key), such as the signed copy of
        modules/lambda-code-signing.
        trigger_function_layers: Lambda layer version ARNs for the trigger function (for example
        the Powertools for AWS Lambda (Python) v3 arm64 layer).
        trigger_function_reserved_concurrent_executions: Reserved concurrency of the trigger
        function; approvals are rare, so a small cap protects the account's concurrency pool.
        trigger_function_code_signing_config_arn: Lambda code signing configuration the
        trigger's code must satisfy (with a signed S3 trigger_function_package, e.g. from
        modules/lambda-code-signing), or null for none.
        trigger_function_vpc_config: Optional VPC attachment of the trigger function (it needs a
        route or VPC endpoint to the CodePipeline API).
        trigger_model_package_group_name_prefixes: Optional central model package group name
        prefixes the trigger rule matches; empty matches every group in the hub registry.
        trigger_event_retry_policy: Retry policy of the rule target delivering approval events
        to the trigger function; undeliverable events go to the dead-letter queue.
        codebuild_role_names: Optional names of the CodeBuild roles per stage; defaults are
        `{name}-codebuild-test` and `{name}-codebuild-prod` (the target accounts trust these
        exact ARNs).
        codebuild_environment: Build environment of the CodeBuild projects: image, environment
        type, compute type and the Python runtime version selected in the buildspec.
        codebuild_install_commands: Install-phase commands of every build; they must provide the
        CLI's runtime dependencies (boto3) to the build's Python. The default installs them
        offline from the tooling bundle's `wheelhouse/` (wheels plus a hash-pinned
        `requirements.txt`; no package index), so the bundle must carry one; commands that read
        `wheelhouse/` are preceded by a check that `wheelhouse/requirements.txt` exists.
        codebuild_build_timeout_in_minutes: Build timeout of each CodeBuild project; a
        blue/green prod deploy waits for endpoint creation plus the bake time.
        codebuild_vpc_config: Optional VPC for the builds (they need routes or VPC endpoints to
        STS and SageMaker in the target accounts' region).
        ml_engineer_role_name: Name of the ML engineer role (naming contract: `{prefix}-ml-
        engineer`).
        ml_engineer_trusted_principal_arns: Exact IAM principal ARNs (for example Identity
        Center permission-set roles) allowed to assume the ML engineer role.
        governance_officer_role_name: Name of the governance officer role (naming contract:
        `{prefix}-governance-officer`).
        governance_officer_trusted_principal_arns: Exact IAM principal ARNs allowed to assume
        the governance officer role; keep them disjoint from the ML engineer's.
        approval_notification_emails: Email addresses subscribed to the production approval
        topic (each must confirm the subscription).
        artifact_bucket_name: Optional name of the artifact bucket; defaults to
        `{name}-artifacts-{account id}-{region}`.
        access_log_bucket_name: Optional existing bucket that receives S3 server access logs of
        the artifact bucket (for example the organization's log archive).
        artifact_noncurrent_version_expiration_days: Days after which noncurrent versions of
        artifacts and tooling bundles are deleted.
        log_retention_in_days: Retention of the CodeBuild and trigger function log groups.
        kms_key_deletion_window_in_days: Waiting period before the pipeline's KMS key is deleted
        after destroy.
        tags: Tags applied to every resource of the module.
        tooling_writer_role_arns: Roles that alone may write or delete the tooling bundle (the
        role applying this module), as aws:PrincipalArn patterns; every other object of the
        artifact bucket is then writable only by the pipeline's service role and these. Null
        leaves writes to IAM.
    """

    module_name = "model-deployment-pipeline"

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        name: str,
        organization_id: str,
        deployment_targets: Mapping[str, ModelDeploymentPipelineDeploymentTargetsValue],
        tooling_package: ModelDeploymentPipelineToolingPackage,
        tooling_object_key: str | None = None,
        integration_test_payloads_path: str | None = None,
        trigger_function_package: ModelDeploymentPipelineTriggerFunctionPackage,
        trigger_function_layers: Sequence[str] | None = None,
        trigger_function_reserved_concurrent_executions: int | float | None = None,
        trigger_function_code_signing_config_arn: str | None = None,
        trigger_function_vpc_config: ModelDeploymentPipelineTriggerFunctionVpcConfig | None = None,
        trigger_model_package_group_name_prefixes: Sequence[str] | None = None,
        trigger_event_retry_policy: ModelDeploymentPipelineTriggerEventRetryPolicy | None = None,
        codebuild_role_names: ModelDeploymentPipelineCodebuildRoleNames | None = None,
        codebuild_environment: ModelDeploymentPipelineCodebuildEnvironment | None = None,
        codebuild_install_commands: Sequence[str] | None = None,
        codebuild_build_timeout_in_minutes: int | float | None = None,
        codebuild_vpc_config: ModelDeploymentPipelineCodebuildVpcConfig | None = None,
        ml_engineer_role_name: str,
        ml_engineer_trusted_principal_arns: Sequence[str],
        governance_officer_role_name: str,
        governance_officer_trusted_principal_arns: Sequence[str],
        approval_notification_emails: Sequence[str] | None = None,
        artifact_bucket_name: str | None = None,
        access_log_bucket_name: str | None = None,
        artifact_noncurrent_version_expiration_days: int | float | None = None,
        log_retention_in_days: int | float | None = None,
        kms_key_deletion_window_in_days: int | float | None = None,
        tags: Mapping[str, str] | None = None,
        tooling_writer_role_arns: Sequence[str] | None = None,
        providers: Sequence[TerraformProvider] | None = None,
    ) -> None:
        super().__init__(
            scope,
            construct_id,
            providers=providers,
            arguments={
                "name": name,
                "organization_id": organization_id,
                "deployment_targets": deployment_targets,
                "tooling_package": tooling_package,
                "tooling_object_key": tooling_object_key,
                "integration_test_payloads_path": integration_test_payloads_path,
                "trigger_function_package": trigger_function_package,
                "trigger_function_layers": trigger_function_layers,
                "trigger_function_reserved_concurrent_executions": trigger_function_reserved_concurrent_executions,
                "trigger_function_code_signing_config_arn": trigger_function_code_signing_config_arn,
                "trigger_function_vpc_config": trigger_function_vpc_config,
                "trigger_model_package_group_name_prefixes": trigger_model_package_group_name_prefixes,
                "trigger_event_retry_policy": trigger_event_retry_policy,
                "codebuild_role_names": codebuild_role_names,
                "codebuild_environment": codebuild_environment,
                "codebuild_install_commands": codebuild_install_commands,
                "codebuild_build_timeout_in_minutes": codebuild_build_timeout_in_minutes,
                "codebuild_vpc_config": codebuild_vpc_config,
                "ml_engineer_role_name": ml_engineer_role_name,
                "ml_engineer_trusted_principal_arns": ml_engineer_trusted_principal_arns,
                "governance_officer_role_name": governance_officer_role_name,
                "governance_officer_trusted_principal_arns": governance_officer_trusted_principal_arns,
                "approval_notification_emails": approval_notification_emails,
                "artifact_bucket_name": artifact_bucket_name,
                "access_log_bucket_name": access_log_bucket_name,
                "artifact_noncurrent_version_expiration_days": artifact_noncurrent_version_expiration_days,
                "log_retention_in_days": log_retention_in_days,
                "kms_key_deletion_window_in_days": kms_key_deletion_window_in_days,
                "tags": tags,
                "tooling_writer_role_arns": tooling_writer_role_arns,
            },
        )

    @property
    def pipeline_name(self) -> str:
        """Name of the deployment pipeline (the trigger function's PIPELINE_NAME)."""
        return self.output("pipeline_name")

    @property
    def pipeline_arn(self) -> str:
        """ARN of the deployment pipeline."""
        return self.output("pipeline_arn")

    @property
    def approval_action_arn(self) -> str:
        """
        ARN of the ApproveProd manual approval action; the only resource on which the governance
        officer role may call codepipeline:PutApprovalResult.
        """
        return self.output("approval_action_arn")

    @property
    def approval_topic_arn(self) -> str:
        """ARN of the KMS-encrypted SNS topic that announces production approval requests."""
        return self.output("approval_topic_arn")

    @property
    def artifact_bucket_name(self) -> str:
        """Name of the KMS-encrypted artifact bucket that also holds the tooling bundle."""
        return self.output("artifact_bucket_name")

    @property
    def tooling_object_key(self) -> str:
        """S3 key of the tooling bundle read by the Source stage."""
        return self.output("tooling_object_key")

    @property
    def kms_key_arn(self) -> str:
        """ARN of the pipeline's customer managed KMS key."""
        return self.output("kms_key_arn")

    @property
    def codebuild_role_arns(self) -> str:
        """
        CodeBuild role ARN per target stage (test, prod); the target account's deploy role
        trusts exactly this ARN.
        """
        return self.output("codebuild_role_arns")

    @property
    def codebuild_project_names(self) -> str:
        """
        CodeBuild project name per pipeline action (deploy_test, integration_test, deploy_prod).
        """
        return self.output("codebuild_project_names")

    @property
    def trigger_function_arn(self) -> str:
        """
        ARN of the Lambda function that starts the pipeline for approved central model packages.
        """
        return self.output("trigger_function_arn")

    @property
    def trigger_rule_arn(self) -> str:
        """ARN of the default-bus rule that matches central model package approval changes."""
        return self.output("trigger_rule_arn")

    @property
    def trigger_dead_letter_queue_arn(self) -> str:
        """ARN of the KMS-encrypted SQS dead-letter queue of the trigger rule and function."""
        return self.output("trigger_dead_letter_queue_arn")

    @property
    def event_pattern(self) -> str:
        """
        JSON event pattern of the trigger rule (useful for tests and for replaying events).
        """
        return self.output("event_pattern")

    @property
    def ml_engineer_role_arn(self) -> str:
        """
        ARN of the ML engineer role (approves central model packages; explicitly denied
        codepipeline:PutApprovalResult).
        """
        return self.output("ml_engineer_role_arn")

    @property
    def governance_officer_role_arn(self) -> str:
        """
        ARN of the governance officer role (the only role allowed to approve ApproveProd).
        """
        return self.output("governance_officer_role_arn")
