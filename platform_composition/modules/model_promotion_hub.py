"""Typed interface of `modules/model-promotion-hub`.

Generated from the module's variables.tf and outputs.tf by
`scripts/generate_module_interfaces.py`; edit the HCL, then regenerate.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NotRequired, TypedDict

from cdktn import TerraformProvider
from constructs import Construct

from platform_composition.hcl_module import HclModule


class ModelPromotionHubFunctionPackage(TypedDict):
    filename: NotRequired[str | None]
    source_code_hash: NotRequired[str | None]
    s3_bucket: NotRequired[str | None]
    s3_key: NotRequired[str | None]


class ModelPromotionHubVpcConfig(TypedDict):
    subnet_ids: Sequence[str]
    security_group_ids: Sequence[str]


class ModelPromotionHub(HclModule):
    """Python interface of modules/model-promotion-hub (see its README.md).

    Arguments (HCL variable descriptions):
        tags: A map of tags to add to every taggable resource the module creates.
        organization_id: AWS Organizations id; senders must belong to it (aws:PrincipalOrgID)
        and assumed source roles must be in it (aws:ResourceOrgID).
        workloads_ou_path: Organizations entity path of the workloads OU (aws:PrincipalOrgPaths,
        ending in "/"); only principals in accounts under it may put events on the bus. Null to
        rely on allowed_account_ids alone.
        allowed_account_ids: Account ids allowed to put events on the bus. Empty to admit every
        account under workloads_ou_path; when both are set an account must satisfy both.
        event_bus_name: Name of the promotion event bus (naming contract: {prefix}-model-
        promotion).
        rule_name: Name of the rule that sends approval events to the promoter. Null for
        "<event_bus_name>-approved-models".
        archive_name: Name of the event archive on the bus. Null for "<event_bus_name>-archive".
        archive_retention_days: Days the archive keeps events for replay; 0 keeps them
        indefinitely.
        event_retry_maximum_event_age_in_seconds: How long EventBridge retries delivering an
        event to the promoter before sending it to the dead-letter queue.
        event_retry_maximum_retry_attempts: How many times EventBridge retries delivering an
        event to the promoter before sending it to the dead-letter queue.
        dead_letter_queue_name: Name of the SQS dead-letter queue shared by the rule target, the
        bus and the promoter's on-failure destination. Null for "<function_name>-dlq".
        dead_letter_queue_message_retention_seconds: Seconds the dead-letter queue keeps a
        message.
        kms_key_arn: ARN of an existing KMS key for the bus, archive, DLQ, logs, environment,
        table, parameters and topic. Null to create a key in this module; an existing key's
        policy must grant what the kms_key_policy_json output grants.
        kms_key_alias_name: Alias of the KMS key the module creates, including "alias/". Null
        for "alias/<event_bus_name>". Ignored when kms_key_arn is set.
        kms_key_deletion_window_in_days: Waiting period, in days, before the module's KMS key is
        deleted after it is scheduled for deletion.
        function_name: Name of the promoter Lambda function (naming contract: {prefix}-model-
        promoter).
        function_package: The promoter's deployment zip (its root holds the model_promoter/
        package): either a local file (filename, and its base64 SHA-256 from filebase64sha256()
        as source_code_hash) or an object in S3 (s3_bucket, s3_key), such as the signed copy of
        modules/lambda-code-signing.
        role_name: Name of the promoter's IAM execution role (naming contract: {prefix}-model-
        promoter).
        role_permissions_boundary_arn: ARN of an IAM managed policy to set as the execution
        role's permissions boundary, or null for none.
        timeout: Function timeout in seconds; copying large artifacts needs the Lambda maximum.
        memory_size: Function memory in MB (also scales CPU and network throughput for copies).
        ephemeral_storage_size: Size of the function's /tmp in MB.
        reserved_concurrent_executions: Concurrent executions reserved for (and capping) the
        promoter.
        powertools_layer_version: Version of the AWS-published
        AWSLambdaPowertoolsPythonV3-python313-arm64 layer used when powertools_layer_arn is
        null.
        powertools_layer_arn: Full ARN of the Powertools for AWS Lambda (Python) v3 layer
        (python3.13, arm64). Null to use the AWS-published layer of this partition and region at
        powertools_layer_version.
        code_signing_config_arn: ARN of the Lambda code signing configuration the promoter's
        code must satisfy (with a signed S3 function_package, e.g. from modules/lambda-code-
        signing), or null for none.
        vpc_config: Subnets and security groups to run the promoter in a VPC (they need routes
        or endpoints to STS, S3, ECR, SageMaker, SSM, DynamoDB, SQS, CloudWatch Logs and X-Ray),
        or null to run outside a VPC.
        log_retention_in_days: Days the promoter's CloudWatch log group keeps events.
        async_maximum_retry_attempts: How many times Lambda retries a failed asynchronous
        invocation before sending it to the dead-letter queue.
        async_maximum_event_age_in_seconds: Maximum age of an asynchronous invocation event
        before Lambda sends it to the dead-letter queue.
        source_role_name: Name of the promotion-source role in every dev account (naming
        contract: {prefix}-promotion-source).
        approver_role_name_template: Name of the only IAM role in a dev account whose sessions
        (or the role itself, at any path) may approve that team's model packages, with {team}
        standing for the account's team in source_accounts, e.g. "mlgov-{team}-lead-data-
        scientist" (the ml-workspace module's lead data scientist persona role). The promoter
        refuses a package whose LastModifiedBy identity in the source registry is anything else.
        allowed_image_registry_accounts: AWS accounts whose ECR registries (in any region) a
        promoted model package may take images from besides its dev account's own and the hub's:
        by default the SageMaker built-in algorithm and framework image accounts of the
        commercial regions (sagemaker-xgboost, sagemaker-scikit-learn, ...) and the Deep
        Learning Containers account 763104351884. The promoter pins those images to their digest
        and needs ecr:BatchGetImage there, which this module grants; an image from any other
        registry is refused (PromotionsRefused, reason image-registry-not-allowed).
        metrics_namespace: CloudWatch namespace of the promoter's embedded metrics
        (ModelsPromoted, BytesCopied, AlreadyPromoted, PromotionsRefused by reason) and of the
        alarms on them.
        source_accounts: Dev accounts that may be promoted from: 12-digit account id -> team
        name (the promoter sends the account's images to <image_repository_prefix>/<team>).
        image_repository_prefix: Name prefix of the hub ECR repositories that receive promoted
        images (naming contract: {prefix}-promoted); a team's repository is
        <image_repository_prefix>/<team>.
        hub_artifact_bucket_arn: ARN of the hub artifact bucket (naming contract:
        {prefix}-model-artifacts-{hub_account_id}-{region}); the promoter reads the dev
        accounts' staged copies under staging/ and writes only under promoted/.
        registry_kms_key_arn: ARN of the registry KMS key (naming contract alias:
        alias/{prefix}-model-registry) used for SSE-KMS on copied objects.
        hub_repository_arns: ARNs of the hub ECR repositories that receive promoted images
        (naming contract: {prefix}-promoted/{team}, one per team), or one prefix pattern such as
        arn:aws:ecr:<region>:<hub account>:repository/<prefix>-promoted/* for many teams.
        idempotency_table_name: Name of the promoter's idempotency DynamoDB table (naming
        contract: {prefix}-model-promoter-idempotency).
        idempotency_table_deletion_protection: Whether the idempotency table is protected from
        deletion (its records stop replays from registering a package twice).
        source_accounts_parameter_name: Name of the SSM parameter holding the JSON source
        accounts map (naming contract: /{prefix}/model-promotion/source-accounts).
        source_accounts_parameter_tier: SSM tier of the source accounts parameter: Advanced (8
        KB) holds 163 dev accounts with 32-character team names, Standard (4 KB) 81 (see README,
        "Sizes").
        group_policy_template_parameter_name: Name of the SSM parameter holding the model
        package group policy template (naming contract: /{prefix}/model-promotion/group-policy-
        template).
        group_policy_template_parameter_tier: SSM tier of the group policy template parameter:
        Standard (4 KB) or Advanced (8 KB).
        group_policy_template: Model package group resource policy template (the central-model-
        registry module's model_package_group_policy_template output) in which
        {model_package_group_name} stands for the group name.
        alarm_topic_name: Name of the SNS topic that receives the promoter's alarms. Null for
        "<function_name>-alarms".
        alarm_email_addresses: Email addresses subscribed to the alarm topic (each must confirm
        the subscription).
        alarm_period_seconds: Period, in seconds, over which each alarm evaluates its metric.
    """

    module_name = "model-promotion-hub"

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        tags: Mapping[str, str] | None = None,
        organization_id: str,
        workloads_ou_path: str | None = None,
        allowed_account_ids: Sequence[str] | None = None,
        event_bus_name: str,
        rule_name: str | None = None,
        archive_name: str | None = None,
        archive_retention_days: int | float | None = None,
        event_retry_maximum_event_age_in_seconds: int | float | None = None,
        event_retry_maximum_retry_attempts: int | float | None = None,
        dead_letter_queue_name: str | None = None,
        dead_letter_queue_message_retention_seconds: int | float | None = None,
        kms_key_arn: str | None = None,
        kms_key_alias_name: str | None = None,
        kms_key_deletion_window_in_days: int | float | None = None,
        function_name: str,
        function_package: ModelPromotionHubFunctionPackage,
        role_name: str,
        role_permissions_boundary_arn: str | None = None,
        timeout: int | float | None = None,
        memory_size: int | float | None = None,
        ephemeral_storage_size: int | float | None = None,
        reserved_concurrent_executions: int | float | None = None,
        powertools_layer_version: int | float | None = None,
        powertools_layer_arn: str | None = None,
        code_signing_config_arn: str | None = None,
        vpc_config: ModelPromotionHubVpcConfig | None = None,
        log_retention_in_days: int | float | None = None,
        async_maximum_retry_attempts: int | float | None = None,
        async_maximum_event_age_in_seconds: int | float | None = None,
        source_role_name: str,
        approver_role_name_template: str,
        allowed_image_registry_accounts: Sequence[str] | None = None,
        metrics_namespace: str | None = None,
        source_accounts: Mapping[str, str],
        image_repository_prefix: str,
        hub_artifact_bucket_arn: str,
        registry_kms_key_arn: str,
        hub_repository_arns: Sequence[str],
        idempotency_table_name: str,
        idempotency_table_deletion_protection: bool | None = None,
        source_accounts_parameter_name: str,
        source_accounts_parameter_tier: str | None = None,
        group_policy_template_parameter_name: str,
        group_policy_template_parameter_tier: str | None = None,
        group_policy_template: str,
        alarm_topic_name: str | None = None,
        alarm_email_addresses: Sequence[str] | None = None,
        alarm_period_seconds: int | float | None = None,
        providers: Sequence[TerraformProvider] | None = None,
    ) -> None:
        super().__init__(
            scope,
            construct_id,
            providers=providers,
            arguments={
                "tags": tags,
                "organization_id": organization_id,
                "workloads_ou_path": workloads_ou_path,
                "allowed_account_ids": allowed_account_ids,
                "event_bus_name": event_bus_name,
                "rule_name": rule_name,
                "archive_name": archive_name,
                "archive_retention_days": archive_retention_days,
                "event_retry_maximum_event_age_in_seconds": event_retry_maximum_event_age_in_seconds,
                "event_retry_maximum_retry_attempts": event_retry_maximum_retry_attempts,
                "dead_letter_queue_name": dead_letter_queue_name,
                "dead_letter_queue_message_retention_seconds": dead_letter_queue_message_retention_seconds,
                "kms_key_arn": kms_key_arn,
                "kms_key_alias_name": kms_key_alias_name,
                "kms_key_deletion_window_in_days": kms_key_deletion_window_in_days,
                "function_name": function_name,
                "function_package": function_package,
                "role_name": role_name,
                "role_permissions_boundary_arn": role_permissions_boundary_arn,
                "timeout": timeout,
                "memory_size": memory_size,
                "ephemeral_storage_size": ephemeral_storage_size,
                "reserved_concurrent_executions": reserved_concurrent_executions,
                "powertools_layer_version": powertools_layer_version,
                "powertools_layer_arn": powertools_layer_arn,
                "code_signing_config_arn": code_signing_config_arn,
                "vpc_config": vpc_config,
                "log_retention_in_days": log_retention_in_days,
                "async_maximum_retry_attempts": async_maximum_retry_attempts,
                "async_maximum_event_age_in_seconds": async_maximum_event_age_in_seconds,
                "source_role_name": source_role_name,
                "approver_role_name_template": approver_role_name_template,
                "allowed_image_registry_accounts": allowed_image_registry_accounts,
                "metrics_namespace": metrics_namespace,
                "source_accounts": source_accounts,
                "image_repository_prefix": image_repository_prefix,
                "hub_artifact_bucket_arn": hub_artifact_bucket_arn,
                "registry_kms_key_arn": registry_kms_key_arn,
                "hub_repository_arns": hub_repository_arns,
                "idempotency_table_name": idempotency_table_name,
                "idempotency_table_deletion_protection": idempotency_table_deletion_protection,
                "source_accounts_parameter_name": source_accounts_parameter_name,
                "source_accounts_parameter_tier": source_accounts_parameter_tier,
                "group_policy_template_parameter_name": group_policy_template_parameter_name,
                "group_policy_template_parameter_tier": group_policy_template_parameter_tier,
                "group_policy_template": group_policy_template,
                "alarm_topic_name": alarm_topic_name,
                "alarm_email_addresses": alarm_email_addresses,
                "alarm_period_seconds": alarm_period_seconds,
            },
        )

    @property
    def event_bus_name(self) -> str:
        """Name of the promotion event bus."""
        return self.output("event_bus_name")

    @property
    def event_bus_arn(self) -> str:
        """
        ARN of the promotion event bus (the forwarder rules in the dev accounts target it).
        """
        return self.output("event_bus_arn")

    @property
    def event_bus_policy_json(self) -> str:
        """Resource policy attached to the event bus."""
        return self.output("event_bus_policy_json")

    @property
    def event_archive_arn(self) -> str:
        """ARN of the event archive used to replay approval events."""
        return self.output("event_archive_arn")

    @property
    def rule_name(self) -> str:
        """Name of the rule that invokes the promoter."""
        return self.output("rule_name")

    @property
    def rule_arn(self) -> str:
        """ARN of the rule that invokes the promoter."""
        return self.output("rule_arn")

    @property
    def event_pattern(self) -> str:
        """
        JSON event pattern of the rule (SageMaker model package state changes with
        ModelApprovalStatus Approved).
        """
        return self.output("event_pattern")

    @property
    def function_name(self) -> str:
        """Name of the promoter Lambda function."""
        return self.output("function_name")

    @property
    def function_arn(self) -> str:
        """ARN of the promoter Lambda function."""
        return self.output("function_arn")

    @property
    def function_role_name(self) -> str:
        """Name of the promoter's execution role."""
        return self.output("function_role_name")

    @property
    def function_role_arn(self) -> str:
        """
        ARN of the promoter's execution role (the exact principal trusted by every dev account's
        promotion-source role).
        """
        return self.output("function_role_arn")

    @property
    def function_role_policy_json(self) -> str:
        """
        Minified inline policy of the promoter's execution role (IAM limit: 10,240 characters).
        """
        return self.output("function_role_policy_json")

    @property
    def function_log_group_name(self) -> str:
        """Name of the promoter's CloudWatch log group."""
        return self.output("function_log_group_name")

    @property
    def powertools_layer_arn(self) -> str:
        """Powertools for AWS Lambda (Python) layer version ARN attached to the promoter."""
        return self.output("powertools_layer_arn")

    @property
    def dead_letter_queue_url(self) -> str:
        """URL of the dead-letter queue."""
        return self.output("dead_letter_queue_url")

    @property
    def dead_letter_queue_arn(self) -> str:
        """ARN of the dead-letter queue."""
        return self.output("dead_letter_queue_arn")

    @property
    def idempotency_table_name(self) -> str:
        """Name of the idempotency DynamoDB table."""
        return self.output("idempotency_table_name")

    @property
    def idempotency_table_arn(self) -> str:
        """ARN of the idempotency DynamoDB table."""
        return self.output("idempotency_table_arn")

    @property
    def source_accounts_parameter_name(self) -> str:
        """Name of the SSM parameter holding the source accounts map."""
        return self.output("source_accounts_parameter_name")

    @property
    def source_accounts_parameter_arn(self) -> str:
        """ARN of the SSM parameter holding the source accounts map."""
        return self.output("source_accounts_parameter_arn")

    @property
    def group_policy_template_parameter_name(self) -> str:
        """Name of the SSM parameter holding the model package group policy template."""
        return self.output("group_policy_template_parameter_name")

    @property
    def group_policy_template_parameter_arn(self) -> str:
        """ARN of the SSM parameter holding the model package group policy template."""
        return self.output("group_policy_template_parameter_arn")

    @property
    def alarm_topic_arn(self) -> str:
        """ARN of the SNS topic that receives the promoter's alarms."""
        return self.output("alarm_topic_arn")

    @property
    def alarm_arns(self) -> str:
        """
        ARNs of the CloudWatch alarms, keyed by function-errors, function-throttles, dead-
        letter-queue-not-empty, approval-refused and rule-failed-invocations.
        """
        return self.output("alarm_arns")

    @property
    def kms_key_arn(self) -> str:
        """
        ARN of the KMS key protecting the module's resources (created here or passed in).
        """
        return self.output("kms_key_arn")

    @property
    def kms_key_policy_json(self) -> str:
        """
        Key policy the module attaches to the key it creates; an existing key passed as
        kms_key_arn needs equivalent statements.
        """
        return self.output("kms_key_policy_json")
