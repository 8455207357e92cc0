"""Central registry writes: model package group (+ policy), model package, model card.

All functions take the hub SageMaker client as an argument. Whether a source package was
already promoted is answered from its lineage manifest (`registration`), never by reading the
whole group: `find_registered_between` reads only the packages created in the minutes after
that manifest was written.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from model_promoter.errors import ConfigurationError

LINEAGE_PREFIX = "promotion:"
SOURCE_ARN_KEY = f"{LINEAGE_PREFIX}source-model-package-arn"
POLICY_TOKEN = "{model_package_group_name}"
MAX_CUSTOMER_METADATA = 50
MAX_METADATA_VALUE = 256
MODEL_CARD_LIST_LIMIT = 15  # model_artifact and container_image hold at most 15 entries
MODEL_CARD_HISTORY_LIMIT = 20


def _error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def _is_missing(error: ClientError) -> bool:
    message = str(error.response.get("Error", {}).get("Message", "")).lower()
    code = _error_code(error)
    return code in {"ResourceNotFound", "ResourceNotFoundException"} or (
        code == "ValidationException" and ("does not exist" in message or "not found" in message)
    )


def _is_already_exists(error: ClientError) -> bool:
    message = str(error.response.get("Error", {}).get("Message", "")).lower()
    return (
        _error_code(error) in {"ConflictException", "ResourceInUse"} or "already exists" in message
    )


def render_group_policy(template: str, group_name: str) -> str:
    """Substitute the group name into the template and check the result is a JSON policy."""
    if POLICY_TOKEN not in template:
        raise ConfigurationError(f"group policy template does not contain {POLICY_TOKEN}")
    rendered = template.replace(POLICY_TOKEN, group_name)
    try:
        document = json.loads(rendered)
    except json.JSONDecodeError as error:
        raise ConfigurationError(f"group policy template is not valid JSON: {error}") from error
    if not isinstance(document, dict) or "Statement" not in document:
        raise ConfigurationError("group policy template is not an IAM policy document")
    return rendered


def group_exists(sagemaker: Any, group_name: str) -> bool:
    try:
        sagemaker.describe_model_package_group(ModelPackageGroupName=group_name)
    except ClientError as error:
        if _is_missing(error):
            return False
        raise
    return True


def find_registered_between(
    sagemaker: Any, group_name: str, source_arn: str, *, after: datetime, before: datetime
) -> tuple[str, dict[str, Any]] | None:
    """(ARN, description) of the first package created in the group between `after` and
    `before` whose lineage names `source_arn`; None if there is none (or no group).

    `registration.find_registration` passes the minutes around one lineage manifest's write:
    the packages the group gained then, never the whole group.
    """
    paginator = sagemaker.get_paginator("list_model_packages")
    pages = paginator.paginate(
        ModelPackageGroupName=group_name,
        CreationTimeAfter=after,
        CreationTimeBefore=before,
        SortBy="CreationTime",
        SortOrder="Ascending",
        PaginationConfig={"PageSize": 10},
    )
    try:
        for page in pages:
            for summary in page.get("ModelPackageSummaryList", []):
                arn = str(summary["ModelPackageArn"])
                described = sagemaker.describe_model_package(ModelPackageName=arn)
                metadata = described.get("CustomerMetadataProperties", {})
                if metadata.get(SOURCE_ARN_KEY) == source_arn:
                    return arn, dict(described)
    except ClientError as error:
        if _is_missing(error):
            return None
        raise
    return None


def ensure_group(
    sagemaker: Any,
    *,
    group_name: str,
    description: str,
    policy: str,
    tags: list[dict[str, str]],
) -> bool:
    """Create the group if missing and make sure it has a resource policy; True if created.

    The policy is put right after creation, and also when an existing group has none (an
    earlier attempt may have failed between the two calls). An existing policy is left alone.
    """
    created = False
    if not group_exists(sagemaker, group_name):
        try:
            sagemaker.create_model_package_group(
                ModelPackageGroupName=group_name,
                ModelPackageGroupDescription=description[:1024],
                Tags=tags,
            )
            created = True
        except ClientError as error:
            if not _is_already_exists(error):
                raise
    if created or not _has_policy(sagemaker, group_name):
        sagemaker.put_model_package_group_policy(
            ModelPackageGroupName=group_name, ResourcePolicy=policy
        )
    return created


def _has_policy(sagemaker: Any, group_name: str) -> bool:
    """False when the (existing) group has no resource policy.

    Any ValidationException counts as "no policy": the group was just seen to exist, and
    putting the template policy again is harmless, whereas skipping it would leave the group
    unreadable for test/prod.
    """
    try:
        response = sagemaker.get_model_package_group_policy(ModelPackageGroupName=group_name)
    except ClientError as error:
        if _is_missing(error) or _error_code(error) == "ValidationException":
            return False
        raise
    return bool(response.get("ResourcePolicy"))


def create_package(sagemaker: Any, request: dict[str, Any]) -> tuple[str, int]:
    """Register the central package; returns (ARN, version), the version read from the ARN
    (`.../model-package/<group>/<version>`) when it ends in one, else described."""
    arn = str(sagemaker.create_model_package(**request)["ModelPackageArn"])
    tail = arn.rsplit("/", 1)[-1]
    if tail.isdigit():
        return arn, int(tail)
    return arn, package_version(sagemaker, arn)


def package_version(sagemaker: Any, arn: str) -> int:
    return int(sagemaker.describe_model_package(ModelPackageName=arn)["ModelPackageVersion"])


def fit_customer_metadata(
    lineage: dict[str, str], source: dict[str, str], optional: dict[str, str]
) -> dict[str, str]:
    """Merge metadata within SageMaker's limits (50 entries, 256-character values).

    Lineage keys always win; then the source package's own properties; then optional per-artifact
    checksum entries while room is left. Everything is also in the lineage manifest object, so
    what does not fit is still recorded.
    """
    merged = {k: v for k, v in lineage.items() if v}
    for extra in (source, optional):
        for key, value in extra.items():
            if len(merged) >= MAX_CUSTOMER_METADATA:
                return merged
            if key not in merged and value and len(value) <= MAX_METADATA_VALUE:
                merged[key] = value
    return merged


@dataclass(frozen=True)
class CardEntry:
    """What the model card says about one promoted version."""

    central_package_arn: str
    central_group: str
    central_version: int
    team: str
    description: str | None
    creator: str | None
    domain: str | None
    task: str | None
    artifacts: list[str]
    images: list[str]
    containers: list[dict[str, str]]
    history_line: str


def card_content(previous: dict[str, Any] | None, entry: CardEntry) -> dict[str, Any]:
    """Model card content (SageMaker model card JSON schema) with `entry` as the current version.

    Sections written by people (intended_uses, business_details, evaluation_details, ...) are
    kept; the overview and package details describe the newest version; the per-version history
    lives in `additional_information.custom_details`.
    """
    content = copy.deepcopy(previous) if previous else {}
    overview: dict[str, Any] = {
        **content.get("model_overview", {}),
        "model_id": entry.central_package_arn,
        "model_name": entry.central_group,
        "model_version": entry.central_version,
        "model_owner": entry.team,
        "model_artifact": entry.artifacts[:MODEL_CARD_LIST_LIMIT],
        "inference_environment": {"container_image": entry.images[:MODEL_CARD_LIST_LIMIT]},
    }
    if entry.description:
        overview["model_description"] = entry.description[:1024]
    if entry.creator:
        overview["model_creator"] = entry.creator[:1024]
    content["model_overview"] = overview

    details: dict[str, Any] = {
        "model_package_arn": entry.central_package_arn,
        "model_package_group_name": entry.central_group,
        "model_package_version": entry.central_version,
        "model_approval_status": "PendingManualApproval",
        "inference_specification": {"containers": entry.containers},
    }
    if entry.description:
        details["model_package_description"] = entry.description[:1024]
    if entry.domain:
        details["domain"] = entry.domain
    if entry.task:
        details["task"] = entry.task
    content["model_package_details"] = details

    additional = content.setdefault("additional_information", {})
    history: dict[str, str] = dict(additional.get("custom_details", {}))
    history[history_key(entry.central_version)] = entry.history_line[:1024]
    # Keep the newest entries; the full history is in the central registry itself.
    promotion_keys = sorted(
        (k for k in history if k.startswith("promotion-v")), key=lambda k: int(k.rsplit("v", 1)[1])
    )
    for stale in promotion_keys[:-MODEL_CARD_HISTORY_LIMIT]:
        history.pop(stale)
    additional["custom_details"] = history
    return content


def history_key(version: int) -> str:
    return f"promotion-v{version}"


def upsert_model_card(
    sagemaker: Any,
    *,
    name: str,
    kms_key_arn: str,
    entry: CardEntry,
    tags: list[dict[str, str]],
) -> tuple[int, str]:
    """Create the card (new group) or add this version to it; returns (card version, action).

    Idempotent: a card that already records this central version is left untouched.
    """
    current = _describe_card(sagemaker, name)
    if current is None:
        try:
            sagemaker.create_model_card(
                ModelCardName=name,
                SecurityConfig={"KmsKeyId": kms_key_arn},
                Content=json.dumps(card_content(None, entry)),
                ModelCardStatus="Draft",
                Tags=tags,
            )
            return 1, "created"
        except ClientError as error:
            if not _is_already_exists(error):
                raise
            current = _describe_card(sagemaker, name)
            if current is None:  # pragma: no cover - deleted between the two calls
                raise
    previous = json.loads(current.get("Content") or "{}")
    history = previous.get("additional_information", {}).get("custom_details", {})
    if history_key(entry.central_version) in history:
        return int(current["ModelCardVersion"]), "unchanged"
    sagemaker.update_model_card(
        ModelCardName=name, Content=json.dumps(card_content(previous, entry))
    )
    return int(current["ModelCardVersion"]) + 1, "updated"


def _describe_card(sagemaker: Any, name: str) -> dict[str, Any] | None:
    try:
        return dict(sagemaker.describe_model_card(ModelCardName=name))
    except ClientError as error:
        if _is_missing(error):
            return None
        raise
