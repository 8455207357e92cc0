"""Typed interface of `modules/model-deployment-target`.

Generated from the module's variables.tf and outputs.tf by
`scripts/generate_module_interfaces.py`; edit the HCL, then regenerate.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NotRequired, TypedDict

from cdktn import TerraformProvider
from constructs import Construct

from platform_composition.hcl_module import HclModule


class ModelDeploymentTargetAutoscaling(TypedDict):
    min_capacity: NotRequired[int | float | None]
    max_capacity: NotRequired[int | float | None]
    target_invocations_per_instance: NotRequired[int | float | None]


class ModelDeploymentTargetAlarmThresholds(TypedDict):
    invocation_5xx_errors: NotRequired[int | float | None]
    model_latency_microseconds: NotRequired[int | float | None]
    period_seconds: NotRequired[int | float | None]
    evaluation_periods: NotRequired[int | float | None]
    datapoints_to_alarm: NotRequired[int | float | None]


class ModelDeploymentTarget(HclModule):
    """Python interface of modules/model-deployment-target (see its README.md).

    Arguments (HCL variable descriptions):
        stage: Deployment stage this account serves: "test" (pre-prod) or "prod".
        name_prefix: Platform name prefix (e.g. "mlgov"); SageMaker models, endpoint configs and
        endpoints the deploy role may manage must start with `{name_prefix}-`.
        organization_id: AWS Organizations id that the pipeline's CodeBuild roles must belong to
        (aws:PrincipalOrgID).
        hub_account_id: Account id of the ML Shared Services hub that hosts the central registry
        and the deployment pipeline.
        hub_region: Region of the hub's central model registry; defaults to this account's
        provider region.
        deploy_role_name: Name of the deploy role the pipeline assumes (naming contract:
        `{prefix}-model-deployer`).
        execution_role_name: Name of the SageMaker endpoint execution role (naming contract:
        `{prefix}-endpoint-execution`).
        target_config_parameter_name: Name of the SSM parameter in this account that publishes
        target_config as JSON for the deploy CLI (naming contract: `/{prefix}/model-
        deployment/target-config`).
        pipeline_codebuild_role_arns: Exact ARNs of the hub pipeline's CodeBuild roles for this
        stage (model-deployment-pipeline output codebuild_role_arns[stage]); the only principals
        that may assume the deploy role.
        hub_ecr_repository_arns: ARNs of the hub ECR repositories holding promoted images
        (`{prefix}-promoted/{team}`) that endpoints may pull; one ending in `/*` covers a
        namespace (`.../repository/{prefix}-promoted/*`, a fixed-size policy whatever the number
        of teams).
        hub_artifact_bucket_arn: ARN of the hub artifact bucket (`{prefix}-model-artifacts-{hub
        account}-{region}`); endpoints read only its `promoted/` prefix.
        vpc_id: VPC in which the VPC-mode endpoints run (the endpoint security group is created
        here).
        subnet_ids: Private subnets (in var.vpc_id) for the endpoints' network interfaces; the
        deploy role can only create models in these.
        endpoint_egress_cidr_blocks: IPv4 CIDR blocks the endpoints may reach on HTTPS (where
        the interface VPC endpoints live); defaults to the VPC's primary CIDR.
        allow_s3_gateway_egress: Whether the endpoint security group allows HTTPS to the
        regional S3 prefix list (needed with an S3 gateway VPC endpoint).
        endpoint_name: Name of the endpoint this stage hosts (`{name_prefix}-{central model
        package group}`); alarms watch it and it is passed to the deploy CLI.
        variant_name: Production variant name the deploy CLI uses for the endpoint (alarm
        dimension VariantName).
        instance_type: SageMaker instance type of the endpoint variant.
        initial_instance_count: Initial instance count of the endpoint variant; defaults to 1 in
        test and 2 in prod (two instances spread over AZs).
        autoscaling: Prod endpoint autoscaling settings emitted in target_config (the deploy CLI
        registers the scalable target); ignored in test.
        alarm_thresholds: Overrides of the guardrail alarm settings; unset fields take the stage
        defaults (prod is stricter).
        alarm_actions: SNS topic ARNs notified when a guardrail alarm changes to ALARM or OK.
        data_capture_bucket_name: Optional name of the data-capture bucket; defaults to
        `{name_prefix}-data-capture-{account id}-{region}`.
        data_capture_retention_days: Days after which captured inference data expires.
        access_log_bucket_name: Optional existing bucket that receives S3 server access logs of
        the data-capture bucket.
        kms_key_deletion_window_in_days: Waiting period before the endpoint KMS key is deleted
        after destroy.
        tags: Tags applied to every resource of the module.
    """

    module_name = "model-deployment-target"

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        stage: str,
        name_prefix: str,
        organization_id: str,
        hub_account_id: str,
        hub_region: str | None = None,
        deploy_role_name: str,
        execution_role_name: str,
        target_config_parameter_name: str,
        pipeline_codebuild_role_arns: Sequence[str],
        hub_ecr_repository_arns: Sequence[str],
        hub_artifact_bucket_arn: str,
        vpc_id: str,
        subnet_ids: Sequence[str],
        endpoint_egress_cidr_blocks: Sequence[str] | None = None,
        allow_s3_gateway_egress: bool | None = None,
        endpoint_name: str,
        variant_name: str | None = None,
        instance_type: str | None = None,
        initial_instance_count: int | float | None = None,
        autoscaling: ModelDeploymentTargetAutoscaling | None = None,
        alarm_thresholds: ModelDeploymentTargetAlarmThresholds | None = None,
        alarm_actions: Sequence[str] | None = None,
        data_capture_bucket_name: str | None = None,
        data_capture_retention_days: int | float | None = None,
        access_log_bucket_name: str | None = None,
        kms_key_deletion_window_in_days: int | float | None = None,
        tags: Mapping[str, str] | None = None,
        providers: Sequence[TerraformProvider] | None = None,
    ) -> None:
        super().__init__(
            scope,
            construct_id,
            providers=providers,
            arguments={
                "stage": stage,
                "name_prefix": name_prefix,
                "organization_id": organization_id,
                "hub_account_id": hub_account_id,
                "hub_region": hub_region,
                "deploy_role_name": deploy_role_name,
                "execution_role_name": execution_role_name,
                "target_config_parameter_name": target_config_parameter_name,
                "pipeline_codebuild_role_arns": pipeline_codebuild_role_arns,
                "hub_ecr_repository_arns": hub_ecr_repository_arns,
                "hub_artifact_bucket_arn": hub_artifact_bucket_arn,
                "vpc_id": vpc_id,
                "subnet_ids": subnet_ids,
                "endpoint_egress_cidr_blocks": endpoint_egress_cidr_blocks,
                "allow_s3_gateway_egress": allow_s3_gateway_egress,
                "endpoint_name": endpoint_name,
                "variant_name": variant_name,
                "instance_type": instance_type,
                "initial_instance_count": initial_instance_count,
                "autoscaling": autoscaling,
                "alarm_thresholds": alarm_thresholds,
                "alarm_actions": alarm_actions,
                "data_capture_bucket_name": data_capture_bucket_name,
                "data_capture_retention_days": data_capture_retention_days,
                "access_log_bucket_name": access_log_bucket_name,
                "kms_key_deletion_window_in_days": kms_key_deletion_window_in_days,
                "tags": tags,
            },
        )

    @property
    def target_config(self) -> str:
        """
        Target config of this stage (naming contract's JSON shape, endpoint_name included), the
        same object the SSM parameter publishes as JSON.
        """
        return self.output("target_config")

    @property
    def target_config_parameter_name(self) -> str:
        """
        Name of the SSM SecureString parameter holding target_config as JSON; pass it as the
        pipeline's deployment_targets[stage].target_config_parameter_name.
        """
        return self.output("target_config_parameter_name")

    @property
    def target_config_parameter_arn(self) -> str:
        """
        ARN of the SSM SecureString parameter holding target_config as JSON (the deploy role may
        read only this parameter).
        """
        return self.output("target_config_parameter_arn")

    @property
    def deploy_role_arn(self) -> str:
        """ARN of the deploy role the pipeline's CodeBuild role assumes."""
        return self.output("deploy_role_arn")

    @property
    def execution_role_arn(self) -> str:
        """
        ARN of the SageMaker endpoint execution role (the hub must allow it on its bucket, ECR
        repositories and KMS key).
        """
        return self.output("execution_role_arn")

    @property
    def endpoint_kms_key_arn(self) -> str:
        """ARN of the endpoint KMS key (ML storage volumes and data capture)."""
        return self.output("endpoint_kms_key_arn")

    @property
    def data_capture_bucket_name(self) -> str:
        """Name of the data-capture bucket."""
        return self.output("data_capture_bucket_name")

    @property
    def security_group_id(self) -> str:
        """ID of the endpoint security group the deploy CLI attaches to VPC-mode endpoints."""
        return self.output("security_group_id")

    @property
    def alarm_names(self) -> str:
        """
        Names of the guardrail alarms (5xx errors, model latency) used for blue/green auto-
        rollback.
        """
        return self.output("alarm_names")
