"""Shared constants and helpers for the mlgov CLI tests (imported by the test modules).

Kept out of conftest.py so test modules can import it by a unique name.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import ClientError

REPO = Path(__file__).resolve().parents[2]
HUB_ACCOUNT = "123456789012"  # moto's default account stands in for the hub
TEST_ACCOUNT = "111111111111"
PROD_ACCOUNT = "222222222222"
REGION = "eu-west-1"
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
    """The fixture target config for a stage, as a dict the test may modify."""
    return json.loads((TARGETS / f"{stage}.json").read_text())


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
