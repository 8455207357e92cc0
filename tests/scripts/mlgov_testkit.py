"""Shared constants and helpers for the mlgov CLI tests (imported by the test modules).

Kept out of conftest.py so test modules can import it by a unique name.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import boto3
import requests
from botocore.exceptions import ClientError

REPO = Path(__file__).resolve().parents[2]
HUB_ACCOUNT = "123456789012"  # moto's default account stands in for the hub
TEST_ACCOUNT = "111111111111"
PROD_ACCOUNT = "222222222222"
REGION = "eu-west-1"
# Naming contract: /{prefix}/model-deployment/target-config, in each target account.
TARGET_CONFIG_PARAMETER = "/mlgov/model-deployment/target-config"
FIXTURES = REPO / "tests" / "fixtures"
TARGETS = FIXTURES / "targets"
PAYLOADS = FIXTURES / "payloads"


def session_factory(profile: str | None, region: str | None) -> boto3.Session:
    """Replacement for the CLI's profile-based session factory (moto has no profiles)."""
    return boto3.Session(region_name=region or REGION)


def account_session(account_id: str) -> boto3.Session:
    """A session in another moto account, obtained the same way the CLI gets one."""
    credentials = boto3.client("sts", region_name=REGION).assume_role(
        RoleArn=f"arn:aws:iam::{account_id}:role/inspector", RoleSessionName="inspector"
    )["Credentials"]
    return boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        region_name=REGION,
    )


def target_json(stage: str) -> dict[str, Any]:
    """The fixture target config for a stage, as a dict the test may modify.

    ``test``/``prod`` are complete documents (an operator's file), ``<stage>-pipeline`` is the
    reduced document the pipeline module puts in MLGOV_TARGET_CONFIG, ``<stage>-parameter`` is
    what model-deployment-target publishes in the target account's SSM parameter.
    """
    return json.loads((TARGETS / f"{stage}.json").read_text())


def publish_target_config(
    account_id: str,
    document: dict[str, Any] | str,
    *,
    name: str = TARGET_CONFIG_PARAMETER,
    parameter_type: str = "SecureString",
) -> None:
    """Write the target config parameter in the target account, as model-deployment-target does.

    SecureString under the target's endpoint key (the document's ``kms_key_arn``); a string is
    written verbatim so tests can publish malformed values.
    """
    value = document if isinstance(document, str) else json.dumps(document)
    request: dict[str, Any] = {
        "Name": name,
        "Type": parameter_type,
        "Tier": "Standard",
        "DataType": "text",
        "Value": value,
    }
    if parameter_type == "SecureString":
        key = document.get("kms_key_arn") if isinstance(document, dict) else None
        request["KeyId"] = key or f"arn:aws:kms:{REGION}:{account_id}:alias/aws/ssm"
    account_session(account_id).client("ssm", region_name=REGION).put_parameter(**request)


def create_endpoint(session: boto3.Session, endpoint_name: str, *, account_id: str) -> None:
    """An InService endpoint on config ``c`` (moto creates endpoints InService at once)."""
    sagemaker = session.client("sagemaker")
    sagemaker.create_model(
        ModelName="m",
        ExecutionRoleArn=f"arn:aws:iam::{account_id}:role/mlgov-endpoint-execution",
        PrimaryContainer={"Image": "image"},
    )
    sagemaker.create_endpoint_config(
        EndpointConfigName="c",
        ProductionVariants=[
            {
                "VariantName": "AllTraffic",
                "ModelName": "m",
                "InstanceType": "ml.m5.large",
                "InitialInstanceCount": 1,
            }
        ],
    )
    sagemaker.create_endpoint(EndpointName=endpoint_name, EndpointConfigName="c")


def queue_endpoint_results(
    account_id: str, *bodies: Any, content_type: str = "application/json"
) -> None:
    """Queue what moto's InvokeEndpoint answers next, one body per distinct request.

    Uses moto's documented ``/moto-api/static/sagemaker/endpoint-results`` API (moto runs no
    model).
    """
    response = requests.post(
        "http://motoapi.amazonaws.com/moto-api/static/sagemaker/endpoint-results",
        json={
            "account_id": account_id,
            "region": REGION,
            "results": [
                {
                    "Body": body if isinstance(body, str) else json.dumps(body),
                    "ContentType": content_type,
                    "InvokedProductionVariant": "AllTraffic",
                    "CustomAttributes": "",
                }
                for body in bodies
            ],
        },
        timeout=5,
    )
    response.raise_for_status()


class CountingSessionFactory:
    """Session factory that counts the STS AssumeRole calls the CLI makes with its sessions."""

    def __init__(self) -> None:
        self.assumed_roles: list[str] = []

    def __call__(self, profile: str | None, region: str | None) -> boto3.Session:
        session = session_factory(profile, region)
        session.events.register("provide-client-params.sts.AssumeRole", self._record)
        return session

    def _record(self, params: dict[str, Any], **_: Any) -> None:
        self.assumed_roles.append(params["RoleArn"])


def create_central_package(
    session: boto3.Session,
    *,
    group: str = "team-a-churn",
    status: str = "Approved",
    lineage: dict[str, str] | None = None,
) -> str:
    """Register a package in the hub registry the way the promotion Lambda would."""
    sagemaker = session.client("sagemaker", region_name=REGION)
    with contextlib.suppress(ClientError):  # the group exists from an earlier package
        sagemaker.create_model_package_group(ModelPackageGroupName=group)
    response = sagemaker.create_model_package(
        ModelPackageGroupName=group,
        ModelPackageDescription="churn classifier",
        InferenceSpecification={
            "Containers": [
                {
                    "Image": f"{HUB_ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/mlgov-promoted/"
                    "team-a@sha256:" + "a" * 64,
                    "ModelDataUrl": f"s3://mlgov-model-artifacts-{HUB_ACCOUNT}-{REGION}/"
                    f"promoted/team-a/churn/1/model.tar.gz",
                }
            ],
            "SupportedContentTypes": ["application/json"],
            "SupportedResponseMIMETypes": ["application/json"],
        },
        ModelApprovalStatus="PendingManualApproval",
        CustomerMetadataProperties=lineage
        or {
            "mlgov:source-account": "333333333333",
            "mlgov:source-model-package-arn": (
                f"arn:aws:sagemaker:{REGION}:333333333333:model-package/churn/1"
            ),
        },
    )
    arn = response["ModelPackageArn"]
    if status != "PendingManualApproval":
        sagemaker.update_model_package(ModelPackageArn=arn, ModelApprovalStatus=status)
    return arn
