"""Typed event models for the SageMaker model package state change events this function gets."""

from __future__ import annotations

from typing import Literal

from aws_lambda_powertools.utilities.parser import BaseModel, Field
from aws_lambda_powertools.utilities.parser.models import EventBridgeModel
from pydantic import ConfigDict

MODEL_PACKAGE_ARN_PATTERN = (
    r"^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\d{12}:model-package/"
    r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}/[1-9]\d*$"
)


class ModelPackageStateChangeDetail(BaseModel):
    """The ``detail`` of the event: the DescribeModelPackage fields SageMaker includes.

    Only the fields the trigger needs are declared; the rest are ignored so new fields that
    SageMaker adds do not break parsing.
    """

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    model_package_arn: str = Field(alias="ModelPackageArn", pattern=MODEL_PACKAGE_ARN_PATTERN)
    model_package_group_name: str = Field(alias="ModelPackageGroupName", min_length=1)
    model_package_version: int | None = Field(default=None, alias="ModelPackageVersion")
    model_approval_status: Literal["Approved", "Rejected", "PendingManualApproval"] = Field(
        alias="ModelApprovalStatus"
    )
    # Changes on every update of the package, so it separates a re-approval from a duplicate.
    last_modified_time: str | int | float | None = Field(default=None, alias="LastModifiedTime")


class ModelPackageStateChangeEvent(EventBridgeModel):
    """EventBridge envelope restricted to SageMaker model package state changes."""

    source: Literal["aws.sagemaker"]
    detail_type: Literal["SageMaker Model Package State Change"] = Field(alias="detail-type")
    detail: ModelPackageStateChangeDetail
