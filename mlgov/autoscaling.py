"""Target-tracking autoscaling of an endpoint variant, around deployments.

SageMaker refuses to change the instance type of an autoscaled variant, so a deployment that
changes it deregisters the scalable target first, applies the target config's autoscaling after a
successful update, and puts the old settings back on the fleet that keeps serving after a failed
one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError

from mlgov.aws import describe_client_error, is_access_denied, is_not_found
from mlgov.target_config import AutoscalingConfig, TargetConfig

SCALABLE_DIMENSION = "sagemaker:variant:DesiredInstanceCount"


def variant_resource_id(endpoint_name: str, variant_name: str) -> str:
    """Application Auto Scaling's id of an endpoint variant."""
    return f"endpoint/{endpoint_name}/variant/{variant_name}"


def apply_autoscaling(
    autoscaling: Any,
    endpoint_name: str,
    variant_name: str,
    settings: AutoscalingConfig | None,
    progress: Callable[[str], None],
) -> dict[str, Any] | None:
    """Register the variant and its target-tracking policy; both calls are upserts."""
    if settings is None:
        return None
    resource_id = variant_resource_id(endpoint_name, variant_name)
    policy_name = f"{endpoint_name}-invocations-per-instance"
    autoscaling.register_scalable_target(
        ServiceNamespace="sagemaker",
        ResourceId=resource_id,
        ScalableDimension=SCALABLE_DIMENSION,
        MinCapacity=settings.min_capacity,
        MaxCapacity=settings.max_capacity,
    )
    autoscaling.put_scaling_policy(
        PolicyName=policy_name,
        ServiceNamespace="sagemaker",
        ResourceId=resource_id,
        ScalableDimension=SCALABLE_DIMENSION,
        PolicyType="TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration={
            "TargetValue": settings.target_invocations_per_instance,
            "PredefinedMetricSpecification": {
                "PredefinedMetricType": "SageMakerVariantInvocationsPerInstance"
            },
            "ScaleInCooldown": settings.scale_in_cooldown_seconds,
            "ScaleOutCooldown": settings.scale_out_cooldown_seconds,
        },
    )
    progress(
        f"autoscaling {resource_id}: {settings.min_capacity}-{settings.max_capacity} instances, "
        f"target {settings.target_invocations_per_instance:g} invocations/instance"
    )
    return {
        "resource_id": resource_id,
        "min_capacity": settings.min_capacity,
        "max_capacity": settings.max_capacity,
        "policy_name": policy_name,
        "target_invocations_per_instance": settings.target_invocations_per_instance,
    }


def release_autoscaling_if_instance_type_changes(
    sagemaker: Any,
    autoscaling: Any,
    endpoint_name: str,
    variant_name: str,
    previous_config_name: str | None,
    config: TargetConfig,
    progress: Callable[[str], None],
) -> dict[str, Any] | None:
    """SageMaker refuses to change the instance type of an autoscaled variant.

    Deregistering the scalable target (which also deletes its policies) is the documented
    workaround. Returns a snapshot of what was deregistered so a failed update can put it back
    on the old fleet; a successful one applies the target config's autoscaling instead.
    """
    if previous_config_name is None:
        return None
    try:
        previous = sagemaker.describe_endpoint_config(EndpointConfigName=previous_config_name)
    except ClientError as exc:
        if is_not_found(exc):
            return None
        raise
    previous_types = {
        v.get("VariantName"): v.get("InstanceType") for v in previous.get("ProductionVariants", [])
    }
    if previous_types.get(variant_name) in (None, config.instance_type):
        return None
    resource_id = variant_resource_id(endpoint_name, variant_name)
    try:
        targets = autoscaling.describe_scalable_targets(
            ServiceNamespace="sagemaker",
            ResourceIds=[resource_id],
            ScalableDimension=SCALABLE_DIMENSION,
        ).get("ScalableTargets", [])
    except ClientError as exc:
        if not is_access_denied(exc):
            raise
        # A target whose role may not use autoscaling (test, usually) has none to release.
        progress(f"cannot read autoscaling of {resource_id} ({describe_client_error(exc)})")
        return None
    if not targets:
        return None
    policies = autoscaling.describe_scaling_policies(
        ServiceNamespace="sagemaker",
        ResourceId=resource_id,
        ScalableDimension=SCALABLE_DIMENSION,
    ).get("ScalingPolicies", [])
    progress(
        f"instance type changes ({previous_types[variant_name]} -> {config.instance_type}); "
        f"deregistering autoscaling on {resource_id} for the update"
    )
    autoscaling.deregister_scalable_target(
        ServiceNamespace="sagemaker",
        ResourceId=resource_id,
        ScalableDimension=SCALABLE_DIMENSION,
    )
    return {"target": targets[0], "policies": policies}


def restore_autoscaling(
    autoscaling: Any,
    endpoint_name: str,
    variant_name: str,
    snapshot: dict[str, Any] | None,
    progress: Callable[[str], None],
) -> None:
    """After a failed update the old fleet keeps serving; give it back its autoscaling."""
    if snapshot is None:
        return
    resource_id = variant_resource_id(endpoint_name, variant_name)
    try:
        autoscaling.register_scalable_target(
            ServiceNamespace="sagemaker",
            ResourceId=resource_id,
            ScalableDimension=SCALABLE_DIMENSION,
            MinCapacity=snapshot["target"]["MinCapacity"],
            MaxCapacity=snapshot["target"]["MaxCapacity"],
        )
        for policy in snapshot["policies"]:
            request = {
                "PolicyName": policy["PolicyName"],
                "ServiceNamespace": "sagemaker",
                "ResourceId": resource_id,
                "ScalableDimension": SCALABLE_DIMENSION,
                "PolicyType": policy["PolicyType"],
            }
            for key in (
                "TargetTrackingScalingPolicyConfiguration",
                "StepScalingPolicyConfiguration",
            ):
                if key in policy:
                    request[key] = policy[key]
            autoscaling.put_scaling_policy(**request)
        progress(f"restored autoscaling on {resource_id} for the fleet that keeps serving")
    except ClientError as exc:
        progress(
            f"WARNING: could not restore autoscaling on {resource_id}: {describe_client_error(exc)}"
        )
