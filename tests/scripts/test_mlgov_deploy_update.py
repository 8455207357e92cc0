"""Deploy's update and failure paths with botocore Stubber.

Simulated: the whole target-account SageMaker API (and Application Auto Scaling where it is
used). moto does not implement UpdateEndpoint, and a blue/green deployment's intermediate
states (Updating with a pending deployment, RollingBack, Failed) cannot be produced by moto, so
every call below is a Stubber response whose shape botocore validates against the service
model; Stubber also fails the test if the code sends different parameters or other calls.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from botocore.stub import ANY, Stubber
from mlgov_testkit import HUB_ACCOUNT, PROD_ACCOUNT, REGION, TEST_ACCOUNT, target_json

from mlgov.aws import parse_model_package_arn
from mlgov.deploy import (
    ApprovedPackage,
    DeploymentFailed,
    DeploymentPlan,
    EndpointWaiter,
    deploy_plan,
    plan_deployment,
    verify_approved,
)
from mlgov.errors import MlgovError
from mlgov.target_config import TargetConfig, parse_target_config

ARN = f"arn:aws:sagemaker:{REGION}:{HUB_ACCOUNT}:model-package/team-a-churn/2"
NOW = datetime(2025, 1, 1, tzinfo=UTC)
OLD_CONFIG = "mlgov-team-a-churn-v1-0badc0de"
ENDPOINT_ARN = f"arn:aws:sagemaker:{REGION}:{PROD_ACCOUNT}:endpoint/mlgov-team-a-churn"


class FakeClock:
    """Time that only moves when the waiter sleeps, so waits take no real time."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def _endpoint(
    config_name: str, status: str, *, account: str = PROD_ACCOUNT, **extra: Any
) -> dict[str, Any]:
    return {
        "EndpointName": "mlgov-team-a-churn",
        "EndpointArn": f"arn:aws:sagemaker:{REGION}:{account}:endpoint/mlgov-team-a-churn",
        "EndpointConfigName": config_name,
        "EndpointStatus": status,
        "CreationTime": NOW,
        "LastModifiedTime": NOW,
        **extra,
    }


def _not_found(stubber: Stubber, method: str, what: str) -> None:
    stubber.add_client_error(
        method,
        service_error_code="ValidationException",
        service_message=f'Could not find {what} "arn:aws:sagemaker:{REGION}:{PROD_ACCOUNT}:x".',
        http_status_code=400,
    )


def _setup(stage: str = "prod", **config_changes: Any) -> tuple[TargetConfig, DeploymentPlan]:
    config = parse_target_config({**target_json(stage), **config_changes})
    return config, plan_deployment(parse_model_package_arn(ARN), config)


def _package() -> ApprovedPackage:
    return ApprovedPackage(
        ref=parse_model_package_arn(ARN),
        approval_description="metrics reviewed",
        approved_by=None,
        customer_metadata={},
    )


def _expect_model_and_config_creation(stubber: Stubber, plan: DeploymentPlan) -> None:
    _not_found(stubber, "describe_model", "model")
    stubber.add_response(
        "create_model",
        {"ModelArn": f"arn:aws:sagemaker:{REGION}:{PROD_ACCOUNT}:model/{plan.model_name}"},
        plan.create_model_request,
    )
    _not_found(stubber, "describe_endpoint_config", "endpoint configuration")
    stubber.add_response(
        "create_endpoint_config",
        {
            "EndpointConfigArn": (
                f"arn:aws:sagemaker:{REGION}:{PROD_ACCOUNT}:endpoint-config/"
                f"{plan.endpoint_config_name}"
            )
        },
        plan.create_endpoint_config_request,
    )


def _previous_config(instance_type: str) -> dict[str, Any]:
    return {
        "EndpointConfigName": OLD_CONFIG,
        "EndpointConfigArn": f"arn:aws:sagemaker:{REGION}:{PROD_ACCOUNT}:endpoint-config/old",
        "ProductionVariants": [
            {
                "VariantName": "AllTraffic",
                "ModelName": OLD_CONFIG,
                "InstanceType": instance_type,
                "InitialInstanceCount": 2,
            }
        ],
        "CreationTime": NOW,
    }


def _clients() -> tuple[Any, Any]:
    return (
        boto3.client("sagemaker", region_name=REGION),
        boto3.client("application-autoscaling", region_name=REGION),
    )


def _run(
    config: TargetConfig,
    plan: DeploymentPlan,
    sagemaker: Any,
    autoscaling: Any,
    *,
    timeout: float = 3600.0,
    messages: list[str] | None = None,
) -> Any:
    clock = FakeClock()
    sink = messages.append if messages is not None else (lambda _m: None)
    waiter = EndpointWaiter(
        sagemaker,
        timeout_seconds=timeout,
        poll_seconds=30,
        progress=sink,
        sleep=clock.sleep,
        clock=clock,
    )
    return deploy_plan(
        plan,
        config,
        _package(),
        sagemaker=sagemaker,
        autoscaling=autoscaling,
        waiter=waiter,
        progress=sink,
    )


def test_update_sends_blue_green_canary_with_alarm_rollback() -> None:
    config, plan = _setup("prod")
    sagemaker, autoscaling = _clients()
    messages: list[str] = []
    with Stubber(sagemaker) as sm, Stubber(autoscaling) as aas:
        sm.add_response("describe_endpoint", _endpoint(OLD_CONFIG, "InService"))
        _expect_model_and_config_creation(sm, plan)
        sm.add_response(
            "describe_endpoint_config",
            _previous_config("ml.m5.xlarge"),
            {"EndpointConfigName": OLD_CONFIG},
        )
        sm.add_response(
            "update_endpoint",
            {"EndpointArn": _endpoint(OLD_CONFIG, "Updating")["EndpointArn"]},
            {
                "EndpointName": "mlgov-team-a-churn",
                "EndpointConfigName": plan.endpoint_config_name,
                "DeploymentConfig": {
                    "BlueGreenUpdatePolicy": {
                        "TrafficRoutingConfiguration": {
                            "Type": "CANARY",
                            "CanarySize": {"Type": "CAPACITY_PERCENT", "Value": 10},
                            "WaitIntervalInSeconds": 600,
                        },
                        "TerminationWaitInSeconds": 600,
                        "MaximumExecutionTimeoutInSeconds": 3600,
                    },
                    "AutoRollbackConfiguration": {
                        "Alarms": [
                            {"AlarmName": "mlgov-prod-endpoint-5xx"},
                            {"AlarmName": "mlgov-prod-endpoint-latency-p99"},
                        ]
                    },
                },
                # Autoscaled endpoint: keep the live instance count for the green fleet.
                "RetainAllVariantProperties": True,
                "ExcludeRetainedVariantProperties": [{"VariantPropertyType": "DataCaptureConfig"}],
            },
        )
        sm.add_response(
            "describe_endpoint",
            _endpoint(
                OLD_CONFIG,
                "Updating",
                PendingDeploymentSummary={
                    "EndpointConfigName": plan.endpoint_config_name,
                    "ProductionVariants": [
                        {
                            "VariantName": "AllTraffic",
                            "VariantStatus": [
                                {
                                    "Status": "Baking",
                                    "StatusMessage": "Baking for 600 seconds on canary",
                                }
                            ],
                        }
                    ],
                },
            ),
        )
        sm.add_response("describe_endpoint", _endpoint(plan.endpoint_config_name, "InService"))
        resource_id = "endpoint/mlgov-team-a-churn/variant/AllTraffic"
        aas.add_response(
            "register_scalable_target",
            {},
            {
                "ServiceNamespace": "sagemaker",
                "ResourceId": resource_id,
                "ScalableDimension": "sagemaker:variant:DesiredInstanceCount",
                "MinCapacity": 2,
                "MaxCapacity": 4,
            },
        )
        aas.add_response(
            "put_scaling_policy",
            {"PolicyARN": "arn:aws:autoscaling:policy"},
            {
                "PolicyName": "mlgov-team-a-churn-invocations-per-instance",
                "ServiceNamespace": "sagemaker",
                "ResourceId": resource_id,
                "ScalableDimension": "sagemaker:variant:DesiredInstanceCount",
                "PolicyType": "TargetTrackingScaling",
                "TargetTrackingScalingPolicyConfiguration": ANY,
            },
        )

        result = _run(config, plan, sagemaker, autoscaling, messages=messages)

        sm.assert_no_pending_responses()
        aas.assert_no_pending_responses()
    assert result.outcome == "updated"
    assert result.previous_endpoint_config_name == OLD_CONFIG
    assert result.autoscaling["resource_id"] == resource_id
    assert any("AllTraffic: Baking" in line for line in messages)


def test_test_stage_update_shifts_all_at_once_without_retaining_variant_properties() -> None:
    config, plan = _setup("test")
    assert plan.deployment_config == {
        "BlueGreenUpdatePolicy": {
            "TrafficRoutingConfiguration": {"Type": "ALL_AT_ONCE", "WaitIntervalInSeconds": 0},
            "TerminationWaitInSeconds": 0,
            "MaximumExecutionTimeoutInSeconds": 3600,
        },
        "AutoRollbackConfiguration": {"Alarms": [{"AlarmName": "mlgov-test-endpoint-5xx"}]},
    }
    sagemaker, autoscaling = _clients()
    with Stubber(sagemaker) as sm, Stubber(autoscaling) as aas:
        sm.add_response(
            "describe_endpoint", _endpoint(OLD_CONFIG, "InService", account=TEST_ACCOUNT)
        )
        _expect_model_and_config_creation(sm, plan)
        sm.add_response(
            "describe_endpoint_config",
            _previous_config("ml.m5.large"),
            {"EndpointConfigName": OLD_CONFIG},
        )
        sm.add_response(
            "update_endpoint",
            {"EndpointArn": "arn:aws:sagemaker:eu-west-1:111111111111:endpoint/x"},
            {
                "EndpointName": "mlgov-team-a-churn",
                "EndpointConfigName": plan.endpoint_config_name,
                "DeploymentConfig": plan.deployment_config,
            },
        )
        sm.add_response(
            "describe_endpoint",
            _endpoint(plan.endpoint_config_name, "InService", account=TEST_ACCOUNT),
        )

        result = _run(config, plan, sagemaker, autoscaling)

        sm.assert_no_pending_responses()
        aas.assert_no_pending_responses()  # no autoscaling configured for test: no calls
    assert (result.outcome, result.autoscaling) == ("updated", None)


def test_rolled_back_update_raises_with_reason_and_restores_autoscaling() -> None:
    # The new config changes the instance type, so autoscaling must be released for the update
    # and given back to the old fleet when the deployment rolls back.
    config, plan = _setup("prod")
    sagemaker, autoscaling = _clients()
    resource_id = "endpoint/mlgov-team-a-churn/variant/AllTraffic"
    dimension = "sagemaker:variant:DesiredInstanceCount"
    old_policy = {
        "PolicyARN": "arn:aws:autoscaling:policy/old",
        "PolicyName": "mlgov-team-a-churn-invocations-per-instance",
        "ServiceNamespace": "sagemaker",
        "ResourceId": resource_id,
        "ScalableDimension": dimension,
        "PolicyType": "TargetTrackingScaling",
        "TargetTrackingScalingPolicyConfiguration": {"TargetValue": 70.0},
        "CreationTime": NOW,
    }
    reason = "CloudWatch alarm mlgov-prod-endpoint-5xx went into ALARM; rolled back"
    with Stubber(sagemaker) as sm, Stubber(autoscaling) as aas:
        sm.add_response("describe_endpoint", _endpoint(OLD_CONFIG, "InService"))
        _expect_model_and_config_creation(sm, plan)
        sm.add_response(
            "describe_endpoint_config",
            _previous_config("ml.m5.large"),
            {"EndpointConfigName": OLD_CONFIG},
        )
        aas.add_response(
            "describe_scalable_targets",
            {
                "ScalableTargets": [
                    {
                        "ServiceNamespace": "sagemaker",
                        "ResourceId": resource_id,
                        "ScalableDimension": dimension,
                        "MinCapacity": 3,
                        "MaxCapacity": 6,
                        "RoleARN": "arn:aws:iam::222222222222:role/aas",
                        "CreationTime": NOW,
                    }
                ]
            },
            {
                "ServiceNamespace": "sagemaker",
                "ResourceIds": [resource_id],
                "ScalableDimension": dimension,
            },
        )
        aas.add_response("describe_scaling_policies", {"ScalingPolicies": [old_policy]})
        aas.add_response(
            "deregister_scalable_target",
            {},
            {
                "ServiceNamespace": "sagemaker",
                "ResourceId": resource_id,
                "ScalableDimension": dimension,
            },
        )
        sm.add_response("update_endpoint", {"EndpointArn": ENDPOINT_ARN})
        sm.add_response("describe_endpoint", _endpoint(OLD_CONFIG, "RollingBack"))
        sm.add_response(
            "describe_endpoint", _endpoint(OLD_CONFIG, "InService", FailureReason=reason)
        )
        aas.add_response(
            "register_scalable_target",
            {},
            {
                "ServiceNamespace": "sagemaker",
                "ResourceId": resource_id,
                "ScalableDimension": dimension,
                "MinCapacity": 3,
                "MaxCapacity": 6,
            },
        )
        aas.add_response(
            "put_scaling_policy",
            {"PolicyARN": "arn:aws:autoscaling:policy/old"},
            {
                "PolicyName": old_policy["PolicyName"],
                "ServiceNamespace": "sagemaker",
                "ResourceId": resource_id,
                "ScalableDimension": dimension,
                "PolicyType": "TargetTrackingScaling",
                "TargetTrackingScalingPolicyConfiguration": {"TargetValue": 70.0},
            },
        )

        with pytest.raises(DeploymentFailed) as failure:
            _run(config, plan, sagemaker, autoscaling)

        sm.assert_no_pending_responses()
        aas.assert_no_pending_responses()
    assert reason in failure.value.message
    assert failure.value.exit_code == 1
    assert failure.value.details["serving_endpoint_config_name"] == OLD_CONFIG


def test_timeout_raises_and_names_the_config_that_keeps_serving() -> None:
    config, plan = _setup("test")
    sagemaker, autoscaling = _clients()
    with Stubber(sagemaker) as sm:
        sm.add_response("describe_endpoint", _endpoint(OLD_CONFIG, "InService"))
        _expect_model_and_config_creation(sm, plan)
        sm.add_response("describe_endpoint_config", _previous_config("ml.m5.large"))
        sm.add_response("update_endpoint", {"EndpointArn": ENDPOINT_ARN})
        for _ in range(3):  # t=0, t=30, t=60 (deadline)
            sm.add_response("describe_endpoint", _endpoint(OLD_CONFIG, "Updating"))

        with pytest.raises(DeploymentFailed, match="timed out after 60 s") as failure:
            _run(config, plan, sagemaker, autoscaling, timeout=60)

        sm.assert_no_pending_responses()
    assert failure.value.details["serving_endpoint_config_name"] == OLD_CONFIG


def test_failed_creation_reports_the_failure_reason() -> None:
    config, plan = _setup("test")
    sagemaker, autoscaling = _clients()
    with Stubber(sagemaker) as sm:
        _not_found(sm, "describe_endpoint", "endpoint")
        _expect_model_and_config_creation(sm, plan)
        sm.add_response(
            "create_endpoint",
            {"EndpointArn": ENDPOINT_ARN},
            {
                "EndpointName": "mlgov-team-a-churn",
                "EndpointConfigName": plan.endpoint_config_name,
                "Tags": plan.tags,
            },
        )
        sm.add_response("describe_endpoint", _endpoint(plan.endpoint_config_name, "Creating"))
        sm.add_response(
            "describe_endpoint",
            _endpoint(
                plan.endpoint_config_name,
                "Failed",
                FailureReason="The primary container for production variant AllTraffic did "
                "not pass the ping health check.",
            ),
        )

        with pytest.raises(DeploymentFailed, match="did not pass the ping health check"):
            _run(config, plan, sagemaker, autoscaling)

        sm.assert_no_pending_responses()


def test_failed_endpoint_is_replaced_by_a_new_one() -> None:
    config, plan = _setup("test")
    sagemaker, autoscaling = _clients()
    with Stubber(sagemaker) as sm:
        sm.add_response("describe_endpoint", _endpoint(OLD_CONFIG, "Failed", FailureReason="x"))
        sm.add_response("delete_endpoint", {}, {"EndpointName": "mlgov-team-a-churn"})
        _not_found(sm, "describe_endpoint", "endpoint")
        _expect_model_and_config_creation(sm, plan)
        sm.add_response("create_endpoint", {"EndpointArn": ENDPOINT_ARN})
        sm.add_response("describe_endpoint", _endpoint(plan.endpoint_config_name, "InService"))

        result = _run(config, plan, sagemaker, autoscaling)

        sm.assert_no_pending_responses()
    assert result.outcome == "recreated"


def test_registry_read_falls_back_to_the_deploy_role_when_the_caller_is_denied() -> None:
    # The pipeline's CodeBuild role may not read the registry; the target's deploy role reads
    # it across accounts through the group policy. Both clients are stubbed.
    caller = boto3.client("sagemaker", region_name=REGION)
    deploy_role = boto3.client("sagemaker", region_name=REGION)
    description = {
        "ModelPackageName": "team-a-churn",
        "ModelPackageArn": ARN,
        "CreationTime": NOW,
        "ModelPackageStatus": "Completed",
        "ModelPackageStatusDetails": {"ValidationStatuses": []},
        "ModelApprovalStatus": "Approved",
        "ApprovalDescription": "metrics reviewed",
    }
    with Stubber(caller) as hub, Stubber(deploy_role) as target:
        hub.add_client_error("describe_model_package", service_error_code="AccessDeniedException")
        target.add_response("describe_model_package", description, {"ModelPackageName": ARN})

        package = verify_approved(
            [caller, deploy_role], parse_model_package_arn(ARN), central_account_id=HUB_ACCOUNT
        )

        hub.assert_no_pending_responses()
        target.assert_no_pending_responses()
    assert package.approval_description == "metrics reviewed"

    with Stubber(caller) as hub, Stubber(deploy_role) as target:
        hub.add_client_error("describe_model_package", service_error_code="AccessDeniedException")
        target.add_client_error(
            "describe_model_package", service_error_code="AccessDeniedException"
        )
        with pytest.raises(MlgovError, match=r"cannot read model package .*AccessDeniedException"):
            verify_approved(
                [caller, deploy_role], parse_model_package_arn(ARN), central_account_id=HUB_ACCOUNT
            )
