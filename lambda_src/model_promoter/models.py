"""Typed models: the incoming EventBridge event, the source accounts map, request and result.

The event models follow the "SageMaker Model Package State Change" event as EventBridge delivers
it (forwarded unchanged from the dev account's default bus, so `account` is the dev account).
`detail` carries the DescribeModelPackage fields; only the ones the promoter relies on are typed,
the rest are kept (`extra="allow"`) but never trusted: the promoter re-reads the package from the
source account before copying anything.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, Literal

from aws_lambda_powertools.utilities.parser.models import EventBridgeModel
from pydantic import BaseModel, ConfigDict, Field, model_validator

MODEL_PACKAGE_ARN = re.compile(
    r"^arn:(?P<partition>aws[a-z-]*):sagemaker:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):"
    r"model-package/(?P<group>[A-Za-z0-9](?:-*[A-Za-z0-9]){0,62})/(?P<version>[1-9]\d*)$"
)
GROUP_NAME_PATTERN = r"^[A-Za-z0-9](-*[A-Za-z0-9]){0,62}$"
ACCOUNT_ID_PATTERN = r"^\d{12}$"
ACCOUNT_ID = re.compile(r"[0-9]{12}")
# Team names as the model-promotion-hub module and the composition's config accept them.
TEAM = re.compile(r"[a-z][a-z0-9-]{0,30}[a-z0-9]")
MAX_GROUP_NAME_LENGTH = 63


class IamIdentity(BaseModel):
    """`IamIdentity` block of SageMaker's `UserContext`."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    arn: str | None = Field(default=None, alias="Arn")
    principal_id: str | None = Field(default=None, alias="PrincipalId")
    source_identity: str | None = Field(default=None, alias="SourceIdentity")


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
    # Who the event says approved: not used. The approver is checked on the package as the
    # source account's registry describes it (`approval.check_approver`).
    approved_by: UserContext | None = Field(default=None, alias="ApprovedBy")
    last_modified_by: UserContext | None = Field(default=None, alias="LastModifiedBy")
    created_by: UserContext | None = Field(default=None, alias="CreatedBy")


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


class SourceAccounts:
    """The source accounts map, `{"<dev account id>": "<team>", ...}` (model-promotion-hub's
    SSM parameter): the only accounts the promoter promotes from, and each one's team.

    Only the team is stored so that the parameter holds every dev account of a large
    organization; the team's hub repository is derived with `hub_image_repository`.
    """

    def __init__(self, teams: Mapping[str, str]) -> None:
        self._teams = dict(teams)

    @classmethod
    def from_json(cls, text: str) -> SourceAccounts:
        """Parse and validate the parameter value; `ValueError` lists every problem found.

        The value is operator-owned configuration, so the message names the offending account
        and what was expected rather than a generic schema error.
        """
        try:
            data = json.loads(text, object_pairs_hook=_reject_duplicate_keys)
        except json.JSONDecodeError as error:
            raise ValueError(f"not valid JSON ({error})") from error
        if not isinstance(data, dict):
            raise ValueError(
                f'expected a JSON object {{"<dev account id>": "<team>", ...}}, got '
                f"{_json_type(data)}"
            )
        if not data:
            raise ValueError("the map is empty, so no dev account may promote")
        problems: list[str] = []
        for account, team in data.items():
            if not ACCOUNT_ID.fullmatch(account):
                problems.append(f"key {account!r} is not a 12-digit account id")
            if isinstance(team, dict):
                problems.append(
                    f"account {account}: the value is an object; each value is the team name "
                    '(the map is {"<dev account id>": "<team>"})'
                )
            elif not isinstance(team, str):
                problems.append(f"account {account}: team must be a string, got {_json_type(team)}")
            elif not TEAM.fullmatch(team):
                problems.append(
                    f"account {account}: team {team!r} must be 2-32 lowercase letters, digits or "
                    "'-', starting with a letter and ending with a letter or digit"
                )
        if problems:
            raise ValueError("; ".join(problems))
        return cls(data)

    def team(self, account_id: str) -> str | None:
        """The team of a listed dev account, None for any other account."""
        return self._teams.get(account_id)

    def __len__(self) -> int:
        return len(self._teams)


def hub_image_repository(prefix: str, team: str) -> str:
    """The team's hub ECR repository (naming contract: `{prefix}-promoted/{team}`, where
    `HUB_IMAGE_REPOSITORY_PREFIX` is `{prefix}-promoted`)."""
    return f"{prefix}/{team}"


def _reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """`json.loads` keeps the last of duplicate keys silently; an account listed twice with
    two teams is ambiguous, so refuse it."""
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"key {key!r} appears more than once")
        result[key] = value
    return result


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    return names.get(type(value), "a number")


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


class PromotionResult(BaseModel):
    """What the handler returns (and the idempotency layer stores for replays).

    `status`: `promoted` (this invocation registered the package), `already-promoted` (an
    earlier one did; counters 0), `rejected` (`reason`, and `code`, the `PromotionsRefused`
    metric's reason dimension).
    """

    status: Literal["promoted", "already-promoted", "rejected"]
    source_model_package_arn: str | None = None
    central_model_package_arn: str | None = None
    central_model_package_group: str | None = None
    model_card_name: str | None = None
    model_card_version: int | None = None
    reason: str | None = None
    code: str | None = None
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
