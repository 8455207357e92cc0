"""Typed models: the incoming EventBridge event, the source accounts map, request and result.

The event models follow the "SageMaker Model Package State Change" event as EventBridge delivers
it (forwarded unchanged from the dev account's default bus, so `account` is the dev account).
`detail` carries the DescribeModelPackage fields; only the ones the promoter relies on are typed,
the rest are kept (`extra="allow"`) but never trusted: the promoter re-reads the package from the
source account before copying anything.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from aws_lambda_powertools.utilities.parser.models import EventBridgeModel
from pydantic import BaseModel, ConfigDict, Field, RootModel, model_validator

MODEL_PACKAGE_ARN = re.compile(
    r"^arn:(?P<partition>aws[a-z-]*):sagemaker:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):"
    r"model-package/(?P<group>[A-Za-z0-9](?:-*[A-Za-z0-9]){0,62})/(?P<version>[1-9]\d*)$"
)
GROUP_NAME_PATTERN = r"^[A-Za-z0-9](-*[A-Za-z0-9]){0,62}$"
ACCOUNT_ID_PATTERN = r"^\d{12}$"
MAX_GROUP_NAME_LENGTH = 63


class IamIdentity(BaseModel):
    """`IamIdentity` block of SageMaker's `UserContext`."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    arn: str | None = Field(default=None, alias="Arn")
    principal_id: str | None = Field(default=None, alias="PrincipalId")


class UserContext(BaseModel):
    """SageMaker `UserContext` (`CreatedBy` / `LastModifiedBy`)."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    user_profile_arn: str | None = Field(default=None, alias="UserProfileArn")
    user_profile_name: str | None = Field(default=None, alias="UserProfileName")
    domain_id: str | None = Field(default=None, alias="DomainId")
    iam_identity: IamIdentity | None = Field(default=None, alias="IamIdentity")

    def principal(self) -> str | None:
        """Best human-meaningful identity: IAM principal ARN, else Studio user profile."""
        if self.iam_identity and self.iam_identity.arn:
            return self.iam_identity.arn
        return self.user_profile_arn or self.user_profile_name


class ModelPackageStateChangeDetail(BaseModel):
    """`detail` of an approved model package event (fields the promoter depends on)."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    model_package_arn: str = Field(alias="ModelPackageArn", pattern=MODEL_PACKAGE_ARN.pattern)
    model_package_group_name: str = Field(alias="ModelPackageGroupName", pattern=GROUP_NAME_PATTERN)
    model_package_version: int = Field(alias="ModelPackageVersion", ge=1)
    model_approval_status: Literal["Approved"] = Field(alias="ModelApprovalStatus")
    approval_description: str | None = Field(default=None, alias="ApprovalDescription")
    approved_by: UserContext | None = Field(default=None, alias="ApprovedBy")
    last_modified_by: UserContext | None = Field(default=None, alias="LastModifiedBy")
    created_by: UserContext | None = Field(default=None, alias="CreatedBy")

    def approver(self) -> str | None:
        """Who approved the package, when the event says so (approval is the last modification)."""
        for context in (self.approved_by, self.last_modified_by):
            if context is not None and context.principal():
                return context.principal()
        return None


class ModelPackageStateChangeEvent(EventBridgeModel):
    """The forwarded EventBridge event; anything else fails validation and is rejected."""

    source: Literal["aws.sagemaker"]
    account: str = Field(pattern=ACCOUNT_ID_PATTERN)
    detail_type: Literal["SageMaker Model Package State Change"] = Field(alias="detail-type")
    detail: ModelPackageStateChangeDetail  # type: ignore[assignment]

    @model_validator(mode="after")
    def _arn_matches_envelope(self) -> ModelPackageStateChangeEvent:
        """The ARN must belong to the account/region that emitted the event and to its group."""
        match = MODEL_PACKAGE_ARN.fullmatch(self.detail.model_package_arn)
        if match is None:  # pragma: no cover - already enforced by the field pattern
            raise ValueError("ModelPackageArn is not a versioned model package ARN")
        if match["account"] != self.account:
            raise ValueError(
                f"ModelPackageArn account {match['account']} differs from event account "
                f"{self.account}"
            )
        if match["region"] != self.region:
            raise ValueError(
                f"ModelPackageArn region {match['region']} differs from event region {self.region}"
            )
        if match["group"].lower() != self.detail.model_package_group_name.lower():
            raise ValueError("ModelPackageArn group differs from ModelPackageGroupName")
        if int(match["version"]) != self.detail.model_package_version:
            raise ValueError("ModelPackageArn version differs from ModelPackageVersion")
        return self


class SourceAccount(BaseModel):
    """One entry of the source accounts map (SSM parameter written by the hub stack)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    team: str = Field(pattern=r"^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$")
    image_repository: str = Field(
        pattern=r"^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$",
        max_length=256,
    )


class SourceAccounts(RootModel[dict[str, SourceAccount]]):
    """`{"<dev account id>": {"team": ..., "image_repository": ...}}`."""

    @model_validator(mode="after")
    def _account_ids(self) -> SourceAccounts:
        bad = [key for key in self.root if not re.fullmatch(ACCOUNT_ID_PATTERN, key)]
        if bad:
            raise ValueError(f"keys must be 12-digit account ids, got {bad}")
        return self


class PromotionRequest(BaseModel):
    """Everything the promotion needs, resolved from a valid event and the source accounts map.

    Serialised by the idempotency layer; its key is `source_model_package_arn` only, so a
    replay with a different event id still maps to the same record.
    """

    model_config = ConfigDict(frozen=True)

    source_model_package_arn: str
    source_account: str
    source_region: str
    partition: str
    source_group: str
    source_version: int
    team: str
    hub_image_repository: str
    central_group: str
    event_id: str
    event_approver: str | None = None


class PromotionResult(BaseModel):
    """What the handler returns (and the idempotency layer stores for replays)."""

    status: Literal["promoted", "already-promoted", "rejected"]
    source_model_package_arn: str | None = None
    central_model_package_arn: str | None = None
    central_model_package_group: str | None = None
    model_card_name: str | None = None
    model_card_version: int | None = None
    reason: str | None = None
    details: list[str] = Field(default_factory=list)
    artifacts_copied: int = 0
    artifacts_skipped: int = 0
    artifacts_staged: int = 0
    bytes_copied: int = 0
    images_copied: int = 0
    images_referenced: int = 0
    layers_uploaded: int = 0
    layers_skipped: int = 0

    def as_response(self) -> dict[str, Any]:
        """JSON-safe dict with a stable shape (stored by the idempotency layer for replays)."""
        return self.model_dump(mode="json")


def parse_model_package_arn(arn: str) -> re.Match[str]:
    """Split a versioned model package ARN; raise ValueError for anything else."""
    match = MODEL_PACKAGE_ARN.fullmatch(arn)
    if match is None:
        raise ValueError(f"not a versioned model package ARN: {arn}")
    return match
