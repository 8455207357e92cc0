"""Deploy against moto: hub registry + target accounts reached through STS AssumeRole.

moto implements model packages, models, endpoint configs, endpoints (created InService at once)
and Application Auto Scaling, so the create path, idempotency, refusals and autoscaling run on
moto state. moto does not implement UpdateEndpoint: the update path is covered with Stubber in
test_mlgov_deploy_update.py, and the CLI-level rollback below simulates UpdateEndpoint by a
botocore before-call hook that answers instead of moto (said again where it is used).
"""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from mlgov_testkit import (
    HUB_ACCOUNT,
    PIPELINE_NAME,
    PROD_ACCOUNT,
    TARGETS,
    TEST_ACCOUNT,
    account_session,
    approved_prod_execution,
    create_central_package,
    session_factory,
    target_json,
)

from mlgov import deploy as deploy_module
from mlgov.aws import parse_model_package_arn
from mlgov.cli import main
from mlgov.deploy import plan_deployment, run_deploy
from mlgov.errors import MlgovError
from mlgov.target_config import parse_target_config


def _deploy_cli(stage: str, arn: str, *extra: str) -> list[str]:
    return [
        "deploy",
        "--stage",
        stage,
        "--target-config",
        str(TARGETS / f"{stage}.json"),
        "--model-package-arn",
        arn,
        "--poll-seconds",
        "0.01",
        *extra,
    ]


def _prod_deploy_cli(hub: boto3.Session, arn: str, *extra: str) -> list[str]:
    """A prod deploy of the pipeline execution whose ApproveProd the officer approved."""
    execution = approved_prod_execution(hub, arn)
    return _deploy_cli(
        "prod", arn, "--pipeline", PIPELINE_NAME, "--pipeline-execution-id", execution, *extra
    )


def test_deploy_creates_model_config_and_endpoint_in_the_test_account(
    hub_session: boto3.Session, capsys: pytest.CaptureFixture[str]
) -> None:
    arn = create_central_package(hub_session)

    code = main(_deploy_cli("test", arn, "--json"), session_factory=session_factory)

    captured = capsys.readouterr()
    assert code == 0, captured.err
    result = json.loads(captured.out)
    assert result["status"] == "created"
    assert result["endpoint_name"] == "mlgov-team-a-churn"
    assert result["endpoint_config_name"].startswith("mlgov-team-a-churn-v1-")
    assert "creating endpoint mlgov-team-a-churn" in captured.err  # progress on stderr

    target = account_session(TEST_ACCOUNT).client("sagemaker")
    endpoint = target.describe_endpoint(EndpointName="mlgov-team-a-churn")
    assert endpoint["EndpointStatus"] == "InService"
    assert endpoint["EndpointConfigName"] == result["endpoint_config_name"]
    model = target.describe_model(ModelName=result["model_name"])
    assert model["PrimaryContainer"]["ModelPackageName"] == arn
    assert model["ExecutionRoleArn"] == f"arn:aws:iam::{TEST_ACCOUNT}:role/mlgov-endpoint-execution"
    assert model["VpcConfig"]["Subnets"] == target_json("test")["subnet_ids"]
    endpoint_config = target.describe_endpoint_config(
        EndpointConfigName=result["endpoint_config_name"]
    )
    assert endpoint_config["KmsKeyId"] == target_json("test")["kms_key_arn"]
    capture = endpoint_config["DataCaptureConfig"]
    assert capture["DestinationS3Uri"] == target_json("test")["data_capture_s3_uri"]
    assert capture["EnableCapture"] is True
    variant = endpoint_config["ProductionVariants"][0]
    assert (variant["VariantName"], variant["InstanceType"]) == ("AllTraffic", "ml.m5.large")
    # Account isolation: nothing was created in the hub.
    assert hub_session.client("sagemaker").list_endpoints()["Endpoints"] == []


def test_model_request_is_network_isolated_in_the_target_vpc() -> None:
    # moto's DescribeModel always reports EnableNetworkIsolation=False, so the request body is
    # asserted here; the Stubber test checks the same body goes on the wire.
    config = parse_target_config(target_json("prod"))
    ref = parse_model_package_arn(
        f"arn:aws:sagemaker:eu-west-1:{HUB_ACCOUNT}:model-package/team-a-churn/7"
    )
    plan = plan_deployment(ref, config)

    assert plan.create_model_request["EnableNetworkIsolation"] is True
    assert plan.create_model_request["VpcConfig"] == {
        "SecurityGroupIds": ["sg-0b1b2c3d4e5f60001"],
        "Subnets": target_json("prod")["subnet_ids"],
    }
    assert plan.model_name.startswith("mlgov-team-a-churn-v7-") and len(plan.model_name) <= 63
    assert plan_deployment(ref, config) == plan  # names are deterministic
    bigger = parse_target_config({**target_json("prod"), "instance_type": "ml.m5.2xlarge"})
    assert plan_deployment(ref, bigger).endpoint_config_name != plan.endpoint_config_name


def test_redeploying_the_same_version_is_a_no_op(
    hub_session: boto3.Session, capsys: pytest.CaptureFixture[str]
) -> None:
    arn = create_central_package(hub_session)
    assert main(_deploy_cli("test", arn), session_factory=session_factory) == 0
    capsys.readouterr()

    code = main(_deploy_cli("test", arn), session_factory=session_factory)

    captured = capsys.readouterr()
    assert code == 0
    assert captured.out.startswith("already deployed: endpoint mlgov-team-a-churn")
    target = account_session(TEST_ACCOUNT).client("sagemaker")
    assert len(target.list_models()["Models"]) == 1
    assert len(target.list_endpoint_configs()["EndpointConfigs"]) == 1


def test_unapproved_package_is_refused(
    hub_session: boto3.Session, capsys: pytest.CaptureFixture[str]
) -> None:
    arn = create_central_package(hub_session, status="PendingManualApproval")

    code = main(_deploy_cli("test", arn, "--json"), session_factory=session_factory)

    captured = capsys.readouterr()
    assert code == 1
    assert json.loads(captured.out)["model_approval_status"] == "PendingManualApproval"
    assert "only Approved packages are deployed" in captured.err
    target = account_session(TEST_ACCOUNT).client("sagemaker")
    assert target.list_models()["Models"] == []
    assert target.list_endpoints()["Endpoints"] == []


def test_rejected_package_is_refused(hub_session: boto3.Session) -> None:
    arn = create_central_package(hub_session, status="Rejected")
    with pytest.raises(MlgovError, match="is Rejected in the central registry"):
        run_deploy(hub_session, parse_target_config(target_json("test")), arn)


def test_package_outside_the_central_registry_is_refused(hub_session: boto3.Session) -> None:
    # Approved in a dev account's own registry is not enough: only central packages deploy.
    dev = account_session("333333333333")
    dev_arn = create_central_package(dev, group="churn")

    with pytest.raises(MlgovError, match="not the central registry account"):
        run_deploy(hub_session, parse_target_config(target_json("test")), dev_arn)
    assert account_session(TEST_ACCOUNT).client("sagemaker").list_models()["Models"] == []


def test_prod_deploy_registers_autoscaling_after_in_service(hub_session: boto3.Session) -> None:
    arn = create_central_package(hub_session)

    result = run_deploy(
        hub_session,
        parse_target_config(target_json("prod")),
        arn,
        poll_seconds=0.01,
        pipeline_name=PIPELINE_NAME,
        pipeline_execution_id=approved_prod_execution(hub_session, arn),
    )

    assert result.outcome == "created"
    prod = account_session(PROD_ACCOUNT)
    autoscaling = prod.client("application-autoscaling")
    resource_id = "endpoint/mlgov-team-a-churn/variant/AllTraffic"
    targets = autoscaling.describe_scalable_targets(
        ServiceNamespace="sagemaker", ResourceIds=[resource_id]
    )["ScalableTargets"]
    assert [(t["MinCapacity"], t["MaxCapacity"]) for t in targets] == [(2, 4)]
    policy = autoscaling.describe_scaling_policies(
        ServiceNamespace="sagemaker", ResourceId=resource_id
    )["ScalingPolicies"][0]
    tracking = policy["TargetTrackingScalingPolicyConfiguration"]
    assert policy["PolicyType"] == "TargetTrackingScaling"
    assert tracking["TargetValue"] == 100.0
    assert (
        tracking["PredefinedMetricSpecification"]["PredefinedMetricType"]
        == "SageMakerVariantInvocationsPerInstance"
    )
    # The test account got nothing from a prod deployment.
    test_sagemaker = account_session(TEST_ACCOUNT).client("sagemaker")
    assert test_sagemaker.list_endpoints()["Endpoints"] == []


class _SimulatedUpdateEndpoint:
    """Stands in for UpdateEndpoint, which moto does not implement.

    Registered as a botocore ``before-call`` handler, it records the request and answers it
    without reaching moto; ``on_call`` then changes moto's endpoint the way SageMaker would
    leave it after a rolled-back blue/green deployment.
    """

    def __init__(self, on_call: Any) -> None:
        self.requests: list[dict[str, Any]] = []
        self._on_call = on_call

    def __call__(self, params: dict[str, Any], **_: Any) -> tuple[Any, dict[str, Any]]:
        from botocore.awsrequest import AWSResponse

        request = json.loads(params["body"])  # the serialized UpdateEndpoint request
        self.requests.append(request)
        self._on_call(request)
        return AWSResponse(None, 200, {}, None), {"EndpointArn": "simulated"}


def test_failed_update_exits_1_with_the_reason_and_keeps_the_old_config(
    hub_session: boto3.Session,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = create_central_package(hub_session)
    assert main(_prod_deploy_cli(hub_session, first), session_factory=session_factory) == 0
    prod_sagemaker = account_session(PROD_ACCOUNT).client("sagemaker")
    old_config = prod_sagemaker.describe_endpoint(EndpointName="mlgov-team-a-churn")[
        "EndpointConfigName"
    ]
    second = create_central_package(hub_session)
    capsys.readouterr()

    def roll_back(params: dict[str, Any]) -> None:
        # What SageMaker leaves after an alarm-triggered rollback: InService on the old
        # config, with FailureReason set. Written into moto's backend directly.
        from moto.sagemaker.models import sagemaker_backends

        endpoint = sagemaker_backends[PROD_ACCOUNT]["eu-west-1"].endpoints[params["EndpointName"]]
        endpoint.failure_reason = (
            "Alarm mlgov-prod-endpoint-5xx went into ALARM during deployment; rolled back"
        )

    simulated = _SimulatedUpdateEndpoint(roll_back)
    real_assume = deploy_module.assume_target_role

    def assume_with_simulation(*args: Any, **kwargs: Any) -> boto3.Session:
        session = real_assume(*args, **kwargs)
        session.events.register("before-call.sagemaker.UpdateEndpoint", simulated)
        return session

    monkeypatch.setattr(deploy_module, "assume_target_role", assume_with_simulation)

    code = main(_prod_deploy_cli(hub_session, second, "--json"), session_factory=session_factory)

    captured = capsys.readouterr()
    assert code == 1
    failure = json.loads(captured.out)
    assert failure["status"] == "failed"
    assert failure["serving_endpoint_config_name"] == old_config
    assert "went into ALARM" in failure["failure_reason"]
    assert "went into ALARM" in captured.err
    assert simulated.requests[0]["EndpointConfigName"] != old_config
    alarms = simulated.requests[0]["DeploymentConfig"]["AutoRollbackConfiguration"]["Alarms"]
    assert alarms == [
        {"AlarmName": "mlgov-prod-endpoint-5xx"},
        {"AlarmName": "mlgov-prod-endpoint-latency-p99"},
    ]
    endpoint = prod_sagemaker.describe_endpoint(EndpointName="mlgov-team-a-churn")
    assert endpoint["EndpointConfigName"] == old_config


def test_deploy_as_the_pipeline_runs_it(
    hub_session: boto3.Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    # CodeBuild passes the target config, the package and the execution id as environment
    # variables and runs `python -m mlgov deploy --stage test`.
    arn = create_central_package(hub_session)
    execution_id = "4f6a7b1c-2d3e-4f50-8a9b-0c1d2e3f4a5b"
    monkeypatch.setenv("MLGOV_TARGET_CONFIG", json.dumps(target_json("test")))
    monkeypatch.setenv("MODEL_PACKAGE_ARN", arn)
    monkeypatch.setenv("MLGOV_PIPELINE_EXECUTION_ID", execution_id)

    assert main(["deploy", "--stage", "test", "--quiet"], session_factory=session_factory) == 0

    target = account_session(TEST_ACCOUNT).client("sagemaker")
    endpoint_arn = target.describe_endpoint(EndpointName="mlgov-team-a-churn")["EndpointArn"]
    tags = {t["Key"]: t["Value"] for t in target.list_tags(ResourceArn=endpoint_arn)["Tags"]}
    assert tags["mlgov:pipeline-execution-id"] == execution_id
    assert tags["mlgov:model-package-arn"] == arn


def test_deploy_without_a_package_arn_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["deploy", "--stage", "test", "--target-config", str(TARGETS / "test.json")],
        session_factory=session_factory,
    )
    assert code == 2
    assert "--model-package-arn: not given and $MODEL_PACKAGE_ARN is not set" in (
        capsys.readouterr().err
    )
