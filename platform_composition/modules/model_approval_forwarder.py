"""Typed interface of `modules/model-approval-forwarder`.

Generated from the module's variables.tf and outputs.tf by
`scripts/generate_module_interfaces.py`; edit the HCL, then regenerate.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from cdktn import TerraformProvider
from constructs import Construct

from platform_composition.hcl_module import HclModule


class ModelApprovalForwarder(HclModule):
    """Python interface of modules/model-approval-forwarder (see its README.md).

    Arguments (HCL variable descriptions):
        tags: A map of tags to add to every taggable resource the module creates.
        organization_id: AWS Organizations id; the hub promoter role may assume the promotion-
        source role only while it belongs to it (aws:PrincipalOrgID).
        rule_name: Name of the rule on the default event bus that forwards approvals (naming
        contract: {prefix}-forward-approved-models).
        forwarder_role_name: Name of the IAM role EventBridge uses to put events on the hub bus
        (naming contract: {prefix}-forward-approved-models).
        hub_event_bus_arn: ARN of the promotion event bus in the ML Shared Services (hub)
        account (the model-promotion-hub module's event_bus_arn output).
        model_package_group_names: Model package groups whose approvals are forwarded and which
        the hub may read; empty for every group in this account.
        retry_maximum_event_age_in_seconds: How long EventBridge retries delivering an approval
        to the hub bus before sending it to the dead-letter queue.
        retry_maximum_retry_attempts: How many times EventBridge retries delivering an approval
        to the hub bus before sending it to the dead-letter queue.
        dead_letter_queue_name: Name of the SQS dead-letter queue of the forwarding target. Null
        for "<rule_name>-dlq".
        dead_letter_queue_message_retention_seconds: Seconds the dead-letter queue keeps a
        message.
        kms_key_arn: ARN of an existing KMS key for the dead-letter queue. Null to create a
        small key in this module; an existing key's policy must grant what the
        kms_key_policy_json output grants.
        kms_key_alias_name: Alias of the KMS key the module creates, including "alias/". Null
        for "alias/<rule_name>-dlq". Ignored when kms_key_arn is set.
        kms_key_deletion_window_in_days: Waiting period, in days, before the module's KMS key is
        deleted after it is scheduled for deletion.
        promotion_source_role_name: Name of the role the hub promoter assumes in this account to
        read approved packages and copy their artifacts into the hub (naming contract:
        {prefix}-promotion-source).
        hub_promoter_role_arn: Exact ARN of the hub promoter's execution role (the model-
        promotion-hub module's function_role_arn output), the only principal trusted by the
        promotion-source role.
        hub_artifact_bucket_arn: ARN of the hub artifact bucket (naming contract:
        {prefix}-model-artifacts-{hub_account_id}-{region}); the promotion-source role signs the
        first of the promoter's two server-side copies into it and may write only under
        staging/<this account id>/.
        hub_kms_key_alias_arn: ARN of the alias of the hub registry KMS key (naming contract:
        alias/{prefix}-model-registry), e.g. arn:aws:kms:eu-west-1:111111111111:alias/mlgov-
        model-registry; the promotion-source role may use the key behind it only through S3 in
        the hub region.
        artifact_bucket_arns: ARNs of the S3 buckets holding this team's model artifacts, which
        the hub promoter may read (may be empty).
        ecr_repository_arns: ARNs of the ECR repositories holding this team's inference images,
        which the hub promoter may pull. Null for every repository of this account and region.
        artifact_kms_key_arns: ARNs of the KMS keys encrypting the artifact buckets or
        repositories; the hub promoter may decrypt with them only through S3 and ECR.
        role_permissions_boundary_arn: ARN of an IAM managed policy to set as the permissions
        boundary of both roles, or null for none.
    """

    module_name = "model-approval-forwarder"

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        tags: Mapping[str, str] | None = None,
        organization_id: str,
        rule_name: str,
        forwarder_role_name: str,
        hub_event_bus_arn: str,
        model_package_group_names: Sequence[str] | None = None,
        retry_maximum_event_age_in_seconds: int | float | None = None,
        retry_maximum_retry_attempts: int | float | None = None,
        dead_letter_queue_name: str | None = None,
        dead_letter_queue_message_retention_seconds: int | float | None = None,
        kms_key_arn: str | None = None,
        kms_key_alias_name: str | None = None,
        kms_key_deletion_window_in_days: int | float | None = None,
        promotion_source_role_name: str,
        hub_promoter_role_arn: str,
        hub_artifact_bucket_arn: str,
        hub_kms_key_alias_arn: str,
        artifact_bucket_arns: Sequence[str],
        ecr_repository_arns: Sequence[str] | None = None,
        artifact_kms_key_arns: Sequence[str] | None = None,
        role_permissions_boundary_arn: str | None = None,
        providers: Sequence[TerraformProvider] | None = None,
    ) -> None:
        super().__init__(
            scope,
            construct_id,
            providers=providers,
            arguments={
                "tags": tags,
                "organization_id": organization_id,
                "rule_name": rule_name,
                "forwarder_role_name": forwarder_role_name,
                "hub_event_bus_arn": hub_event_bus_arn,
                "model_package_group_names": model_package_group_names,
                "retry_maximum_event_age_in_seconds": retry_maximum_event_age_in_seconds,
                "retry_maximum_retry_attempts": retry_maximum_retry_attempts,
                "dead_letter_queue_name": dead_letter_queue_name,
                "dead_letter_queue_message_retention_seconds": dead_letter_queue_message_retention_seconds,
                "kms_key_arn": kms_key_arn,
                "kms_key_alias_name": kms_key_alias_name,
                "kms_key_deletion_window_in_days": kms_key_deletion_window_in_days,
                "promotion_source_role_name": promotion_source_role_name,
                "hub_promoter_role_arn": hub_promoter_role_arn,
                "hub_artifact_bucket_arn": hub_artifact_bucket_arn,
                "hub_kms_key_alias_arn": hub_kms_key_alias_arn,
                "artifact_bucket_arns": artifact_bucket_arns,
                "ecr_repository_arns": ecr_repository_arns,
                "artifact_kms_key_arns": artifact_kms_key_arns,
                "role_permissions_boundary_arn": role_permissions_boundary_arn,
            },
        )

    @property
    def rule_name(self) -> str:
        """Name of the forwarding rule on the default event bus."""
        return self.output("rule_name")

    @property
    def rule_arn(self) -> str:
        """ARN of the forwarding rule on the default event bus."""
        return self.output("rule_arn")

    @property
    def event_pattern(self) -> str:
        """JSON event pattern of the forwarding rule."""
        return self.output("event_pattern")

    @property
    def forwarder_role_name(self) -> str:
        """Name of the role EventBridge uses to put events on the hub bus."""
        return self.output("forwarder_role_name")

    @property
    def forwarder_role_arn(self) -> str:
        """ARN of the role EventBridge uses to put events on the hub bus."""
        return self.output("forwarder_role_arn")

    @property
    def promotion_source_role_name(self) -> str:
        """
        Name of the promotion-source role the hub promoter assumes (reads here, writes only
        staging/<this account id>/ in the hub bucket).
        """
        return self.output("promotion_source_role_name")

    @property
    def promotion_source_role_arn(self) -> str:
        """
        ARN of the promotion-source role the hub promoter assumes (reads here, writes only
        staging/<this account id>/ in the hub bucket).
        """
        return self.output("promotion_source_role_arn")

    @property
    def promotion_source_role_policy_json(self) -> str:
        """Inline policy of the promotion-source role."""
        return self.output("promotion_source_role_policy_json")

    @property
    def dead_letter_queue_arn(self) -> str:
        """ARN of the forwarding target's dead-letter queue."""
        return self.output("dead_letter_queue_arn")

    @property
    def dead_letter_queue_url(self) -> str:
        """URL of the forwarding target's dead-letter queue."""
        return self.output("dead_letter_queue_url")

    @property
    def kms_key_arn(self) -> str:
        """ARN of the KMS key encrypting the dead-letter queue (created here or passed in)."""
        return self.output("kms_key_arn")

    @property
    def kms_key_policy_json(self) -> str:
        """
        Key policy the module attaches to the key it creates; an existing key passed as
        kms_key_arn needs equivalent statements.
        """
        return self.output("kms_key_policy_json")
