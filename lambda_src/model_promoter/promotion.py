"""Promotion logic: from a resolved request to a registered central model package.

Order matters for failure handling: the version's lineage manifest is looked up (`registration`:
"already promoted?" at a cost independent of the group's size), everything is copied and
verified, the lineage manifest is written (conditionally: the registration claim), and only
then are the group, the package and the model card written. A failure anywhere before
registration leaves no central package, and the retry resumes: S3 objects already promoted
(same source ETag, size and version in their metadata), staged copies that carry the source's
SHA-256/SHA-1, and ECR layers already in the hub are skipped.

Hub keys: `promoted/<dev account>/<group>/<version>/<artifact name>` (names: `s3_copy.
artifact_names`), the same below `staging/`, and the promoter's own records in
`.../_promotion/lineage.json`.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools import Logger
from botocore.exceptions import ClientError

from model_promoter import registry
from model_promoter.approval import Approver, check_approver
from model_promoter.aws import CONTROL_PLANE_CONFIG, DATA_PLANE_CONFIG, PromoterRuntime
from model_promoter.ecr_copy import (
    CopiedImage,
    EcrImageCopier,
    ImageRef,
    check_image_allowed,
    needs_copy,
    pin_image,
)
from model_promoter.errors import (
    ConfigurationError,
    EventRejected,
    PromotionError,
)
from model_promoter.models import (
    MAX_GROUP_NAME_LENGTH,
    ModelPackageStateChangeEvent,
    PromotionRequest,
    PromotionResult,
    SourceAccounts,
    hub_image_repository,
    parse_model_package_arn,
)
from model_promoter.registration import LINEAGE_OBJECT, find_registration, write_manifest
from model_promoter.s3_copy import (
    PROMOTED_ROOT,
    STAGING_ROOT,
    ArtifactCopy,
    ArtifactRef,
    S3ArtifactCopier,
)

logger = Logger(child=True)

# Fields of DescribeModelPackage carried into the central package. Everything else is either
# output-only or names resources that exist only in the dev account (ValidationSpecification's
# role and transform output, SourceAlgorithmSpecification's algorithm, SecurityConfig's key).
CARRIED_FIELDS = (
    "ModelPackageDescription",
    "InferenceSpecification",
    "AdditionalInferenceSpecifications",
    "ModelMetrics",
    "DriftCheckBaselines",
    "MetadataProperties",
    "Domain",
    "Task",
    "SamplePayloadUrl",
    "SkipModelValidation",
)
# Carried fields whose S3 URIs are artifacts. CustomerMetadataProperties are free text (they
# often name training data) and are copied verbatim, never followed.
ARTIFACT_FIELDS = (
    "InferenceSpecification",
    "AdditionalInferenceSpecifications",
    "ModelMetrics",
    "DriftCheckBaselines",
    "SamplePayloadUrl",
)
NOT_CARRIED_FIELDS = (
    "ValidationSpecification",
    "SourceAlgorithmSpecification",
    "ModelCard",
    "SecurityConfig",
    "SourceUri",
    "ModelLifeCycle",
)
OUTPUT_ONLY_CONTAINER_FIELDS = ("ImageDigest", "ModelDataETag")
_METADATA_TEXT = re.compile(r"^[\w\s.:/=+\-@]*$")


def load_source_accounts(ssm: Any, parameter: str) -> SourceAccounts:
    """Read the source accounts map; a malformed map is a configuration error (retried)."""
    # Both parameters are SecureString (model-promotion-hub): without decryption SSM returns
    # the ciphertext.
    value = ssm.get_parameter(Name=parameter, WithDecryption=True)["Parameter"]["Value"]
    try:
        return SourceAccounts.from_json(value)
    except ValueError as error:
        raise ConfigurationError(
            f"SSM parameter {parameter} is not a valid source accounts map: {error}"
        ) from error


def resolve_request(
    event: ModelPackageStateChangeEvent, runtime: PromoterRuntime
) -> PromotionRequest:
    """Turn a valid event into a request; raise `EventRejected` for accounts not in the map."""
    accounts = load_source_accounts(runtime.ssm, runtime.settings.source_accounts_parameter)
    team = accounts.team(event.account)
    if team is None:
        raise EventRejected(
            "source account is not in the source accounts map",
            code="unknown-source-account",
            details=[f"account {event.account}"],
        )
    detail = event.detail
    central_group = f"{team}-{detail.model_package_group_name}"
    if len(central_group) > MAX_GROUP_NAME_LENGTH:
        raise EventRejected(
            "central model package group name would exceed 63 characters",
            code="group-name-too-long",
            details=[central_group],
        )
    match = parse_model_package_arn(detail.model_package_arn)
    return PromotionRequest(
        source_model_package_arn=detail.model_package_arn,
        source_account=event.account,
        source_region=event.region,
        partition=match["partition"],
        source_group=detail.model_package_group_name,
        source_version=detail.model_package_version,
        team=team,
        hub_image_repository=hub_image_repository(
            runtime.settings.hub_image_repository_prefix, team
        ),
        central_group=central_group,
        event_id=event.id,
    )


def promote(request: PromotionRequest, runtime: PromoterRuntime) -> PromotionResult:
    """Copy, verify, register. Returns the existing package when this source was promoted before.

    "Promoted before?" costs one HeadObject of the version's lineage manifest (plus, when it
    exists, a ListModelPackages of the minutes after it was written), whatever the size of the
    central group; the manifest write is conditional on what that lookup saw, which makes
    concurrent or interrupted attempts register at most once (`registration`).
    """
    sagemaker = runtime.sagemaker
    prefix = promoted_prefix(request)
    lineage_key = f"{prefix}/{LINEAGE_OBJECT}"
    registration = find_registration(
        s3=runtime.s3,
        sagemaker=sagemaker,
        bucket=runtime.settings.hub_artifact_bucket,
        key=lineage_key,
        group_name=request.central_group,
        source_arn=request.source_model_package_arn,
    )
    if registration.central_package_arn is not None and registration.package is not None:
        return _already_promoted(
            request, runtime, registration.central_package_arn, registration.package
        )

    # Read the group policy template up front: a broken template fails before anything is copied.
    template = runtime.ssm.get_parameter(
        Name=runtime.settings.group_policy_template_parameter, WithDecryption=True
    )
    policy = registry.render_group_policy(template["Parameter"]["Value"], request.central_group)

    role_name = runtime.settings.source_role_name
    role_arn = f"arn:{request.partition}:iam::{request.source_account}:role/{role_name}"
    source_session = runtime.source_sessions(request, role_arn)
    source_sagemaker = source_session.client(
        "sagemaker", region_name=request.source_region, config=CONTROL_PLANE_CONFIG
    )
    description = source_sagemaker.describe_model_package(
        ModelPackageName=request.source_model_package_arn
    )
    status = description.get("ModelApprovalStatus")
    if status != "Approved":
        raise EventRejected(
            "source model package is no longer Approved",
            code="not-approved",
            details=[f"current status {status}"],
        )
    # Before anything is copied or written: only the team's approver role may have approved.
    approver = check_approver(
        description, request, runtime.settings.approver_role_name(request.team)
    )
    logger.info(
        "approval checked",
        approver_arn=approver.arn,
        approver_session_name=approver.session_name,
        approver_source_identity=approver.source_identity,
    )

    check_images(description, request, runtime.settings.allowed_image_registries)
    s3_copier = S3ArtifactCopier(
        # Stage copies go to the hub bucket's region; reads of other regions are redirected.
        source_s3=source_session.client("s3", region_name=runtime.region, config=DATA_PLANE_CONFIG),
        hub_s3=runtime.s3,
        bucket=runtime.settings.hub_artifact_bucket,
        kms_key_arn=runtime.settings.hub_kms_key_arn,
        staging_prefix=staging_prefix(request),
        destination_prefix=prefix,
        base_metadata={
            "promotion-source-account": request.source_account,
            "promotion-source-model-package-arn": request.source_model_package_arn,
        },
        tuning=runtime.tuning,
    )
    refs = collect_artifact_refs(description)
    artifacts = s3_copier.copy_all(refs)
    images = _copy_images(description, request, runtime, source_session)

    # The package may reference promoted/ only: staged copies were written by the dev account's
    # role and stay writable by it until they expire.
    promoted_root = f"s3://{runtime.settings.hub_artifact_bucket}/{prefix}/"
    stray = [
        a.destination_uri for a in artifacts if not a.destination_uri.startswith(promoted_root)
    ]
    if stray:
        raise PromotionError(f"artifact destinations outside {promoted_root}: {stray}")
    uri_map = {a.source_uri: a.destination_uri for a in artifacts}
    uri_map.update({i.source_uri: i.destination_uri for i in images})
    # The claim: the group and the package are written only if this conditional write of the
    # manifest succeeds (no manifest, or the one the lookup saw, is still there).
    lineage_uri, lineage_sha256 = _write_lineage(
        runtime,
        lineage_key,
        registration.write_condition(),
        request,
        description,
        approver,
        artifacts,
        images,
    )

    package_request = build_package_request(
        description,
        request=request,
        uri_map=uri_map,
        approver=approver.arn,
        lineage_uri=lineage_uri,
        lineage_sha256=lineage_sha256,
        artifacts=artifacts,
        images=images,
    )
    registry.ensure_group(
        sagemaker,
        group_name=request.central_group,
        description=(
            f"Models promoted from {request.source_account}/{request.source_group} "
            f"(team {request.team})"
        ),
        policy=policy,
        tags=_tags(request),
    )
    central_arn, central_version = registry.create_package(sagemaker, package_request)
    logger.append_keys(central_model_package_arn=central_arn)
    logger.info("central model package registered", central_model_package_version=central_version)

    card_version, card_action = registry.upsert_model_card(
        sagemaker,
        name=request.central_group,
        kms_key_arn=runtime.settings.hub_kms_key_arn,
        entry=_card_entry(
            package_request,
            request,
            central_arn,
            central_version,
            lineage_uri,
            approver.card_text(),
            approver.arn,
        ),
        tags=_tags(request),
    )
    logger.info(
        "model card written", model_card_version=card_version, model_card_action=card_action
    )

    objects = [obj for artifact in artifacts for obj in artifact.objects]
    copied = [obj for obj in objects if obj.method != "already-present"]
    staged = [obj for obj in objects if obj.stage_method in ("copy", "multipart")]
    return PromotionResult(
        status="promoted",
        source_model_package_arn=request.source_model_package_arn,
        central_model_package_arn=central_arn,
        central_model_package_group=request.central_group,
        model_card_name=request.central_group,
        model_card_version=card_version,
        artifacts_copied=len(copied),
        artifacts_skipped=len(objects) - len(copied),
        artifacts_staged=len(staged),
        bytes_copied=sum(obj.source_size for obj in copied),
        images_copied=sum(1 for i in images if i.status in ("copied", "already-present")),
        images_referenced=sum(1 for i in images if i.status in ("referenced", "pinned")),
        layers_uploaded=sum(i.layers_uploaded for i in images),
        layers_skipped=sum(i.layers_skipped for i in images),
    )


def promoted_prefix(request: PromotionRequest) -> str:
    """Hub key prefix of one promoted version: `promoted/{source account}/{group}/{version}`;
    each artifact is `{prefix}/{artifact name}`.

    Only the promoter's own role writes here (stage 2 of the copy); the central model package
    references these keys only. The source account id comes first so that the layout is the
    same as the staging prefix's, whose account part the bucket policy matches.
    """
    return f"{PROMOTED_ROOT}/{_version_path(request)}"


def staging_prefix(request: PromotionRequest) -> str:
    """Hub key prefix stage 1 writes to: `staging/{source account}/{group}/{version}`.

    The account id (not the team) comes first because the hub bucket policy lets each account's
    promotion-source role write only under `staging/${aws:PrincipalAccount}/`; a team name could
    not be matched that way. Nothing consumes staged objects except stage 2 of the copy.
    """
    return f"{STAGING_ROOT}/{_version_path(request)}"


def _version_path(request: PromotionRequest) -> str:
    return f"{request.source_account}/{request.source_group}/{request.source_version}"


# -- artifact discovery -------------------------------------------------------------------------


def collect_artifact_refs(description: dict[str, Any]) -> list[ArtifactRef]:
    """Every S3 URI in the carried artifact fields, with its kind when the package says it.

    `S3DataSource`/`AdditionalS3DataSource` blocks declare S3Object or S3Prefix; other URIs
    (ModelDataUrl, metrics and baseline reports, sample payload) are resolved as an object
    first and as a prefix if no such object exists.
    """
    found: dict[str, ArtifactRef] = {}

    def add(uri: str, kind: str) -> None:
        if uri not in found or found[uri].kind == "auto":
            found[uri] = ArtifactRef(uri, kind)  # type: ignore[arg-type]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            uri, data_type = node.get("S3Uri"), node.get("S3DataType")
            if isinstance(uri, str) and uri.startswith("s3://") and data_type:
                add(uri, "prefix" if data_type == "S3Prefix" else "object")
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        elif isinstance(node, str) and node.startswith("s3://"):
            add(node, "auto")

    for name in ARTIFACT_FIELDS:
        walk(description.get(name))
    return list(found.values())


def collect_images(description: dict[str, Any]) -> list[str]:
    """Image URIs of every inference container, in order, without duplicates."""
    specs = [description.get("InferenceSpecification") or {}]
    specs += description.get("AdditionalInferenceSpecifications") or []
    images: list[str] = []
    for spec in specs:
        for container in spec.get("Containers", []):
            image = container.get("Image")
            if image and image not in images:
                images.append(image)
    return images


def check_images(
    description: dict[str, Any], request: PromotionRequest, allowed: tuple[str, ...]
) -> None:
    """Refuse (before anything is copied) a package with an image outside the allowed registries
    or a non-ECR image without a digest."""
    for uri in collect_images(description):
        check_image_allowed(
            uri, ImageRef.parse(uri), source_account=request.source_account, allowed=allowed
        )


def _copy_images(
    description: dict[str, Any],
    request: PromotionRequest,
    runtime: PromoterRuntime,
    source_session: Any,
) -> list[CopiedImage]:
    """Copy source-account images; pin images of the other allowed registries by digest.

    `check_images` has refused images of other registries before anything was copied. Hub
    tags are immutable, so a package with several distinct dev-account images tags the first
    `{group}-{version}` and the next ones `{group}-{version}-2`, `-3`, ...
    """
    parsed = [(uri, ImageRef.parse(uri)) for uri in collect_images(description)]
    results: list[CopiedImage] = []
    base_tag = f"{request.source_group}-{request.source_version}"
    to_copy = 0
    for uri, image in parsed:
        if image is None:  # an allowed non-ECR registry, already by digest
            results.append(CopiedImage(uri, uri.rsplit("@", 1)[1], uri, "referenced"))
            continue
        if not needs_copy(image, request.source_account):
            pinned = pin_image(runtime.hub_session, image)
            if pinned.status == "pinned":
                logger.info("image pinned", source_image=uri, central_image=pinned.destination_uri)
            results.append(pinned)
            continue
        to_copy += 1
        copier = EcrImageCopier(
            source_session=source_session,
            hub_ecr=runtime.ecr,
            hub_repository=request.hub_image_repository,
            tag=base_tag if to_copy == 1 else f"{base_tag}-{to_copy}",
            http=runtime.layer_http,
            tuning=runtime.tuning,
        )
        copied = copier.copy(image)
        logger.info(
            "image promoted",
            source_image=uri,
            central_image=copied.destination_uri,
            image_status=copied.status,
            layers_uploaded=copied.layers_uploaded,
            layers_skipped=copied.layers_skipped,
        )
        results.append(copied)
    return results


# -- registration request -----------------------------------------------------------------------


def _rewrite(node: Any, uri_map: dict[str, str]) -> Any:
    if isinstance(node, dict):
        return {
            key: _rewrite(value, uri_map)
            for key, value in node.items()
            if key not in OUTPUT_ONLY_CONTAINER_FIELDS
        }
    if isinstance(node, list):
        return [_rewrite(value, uri_map) for value in node]
    if isinstance(node, str):
        return uri_map.get(node, node)
    return node


def build_package_request(
    description: dict[str, Any],
    *,
    request: PromotionRequest,
    uri_map: dict[str, str],
    approver: str | None,
    lineage_uri: str,
    lineage_sha256: str,
    artifacts: list[ArtifactCopy],
    images: list[CopiedImage],
) -> dict[str, Any]:
    """CreateModelPackage input: source fields rewritten to hub copies, plus lineage and tags."""
    body: dict[str, Any] = {
        name: _rewrite(copy.deepcopy(description[name]), uri_map)
        for name in CARRIED_FIELDS
        if description.get(name) not in (None, "", [], {})
    }
    leftovers = _unmapped_references(body, uri_map, request.source_account)
    if leftovers:
        raise PromotionError(f"central package would still reference the dev account: {leftovers}")

    body.setdefault("ModelPackageDescription", f"Promoted from {request.source_model_package_arn}")
    objects = [obj for artifact in artifacts for obj in artifact.objects]
    lineage = {
        registry.SOURCE_ARN_KEY: request.source_model_package_arn,
        "promotion:source-account": request.source_account,
        "promotion:source-model-package-group": request.source_group,
        "promotion:source-model-package-version": str(request.source_version),
        "promotion:source-approver": approver if approver and _metadata_safe(approver) else "",
        "promotion:team": request.team,
        "promotion:event-id": request.event_id,
        "promotion:lineage-uri": lineage_uri,
        "promotion:lineage-sha256": lineage_sha256,
        "promotion:artifact-count": str(len(objects)),
        "promotion:image-count": str(len(images)),
    }
    optional: dict[str, str] = {}
    for index, image in enumerate(images):
        optional[f"promotion:image-{index}"] = f"{image.source_uri} {image.source_digest or ''}"
    for index, obj in enumerate(objects):
        value = f"{obj.source_uri} etag={obj.source_etag} size={obj.source_size}"
        if obj.source_version_id:
            value += f" version={obj.source_version_id}"
        optional[f"promotion:artifact-{index}"] = value
    safe_optional = {k: v for k, v in optional.items() if _metadata_safe(v)}
    body["CustomerMetadataProperties"] = registry.fit_customer_metadata(
        lineage, description.get("CustomerMetadataProperties") or {}, safe_optional
    )
    body["ModelPackageGroupName"] = request.central_group
    body["ModelApprovalStatus"] = "PendingManualApproval"
    # SageMaker-side idempotency for the create call itself (a retried request after a timeout).
    body["ClientToken"] = hashlib.sha256(request.source_model_package_arn.encode()).hexdigest()[:36]
    body["Tags"] = _tags(request)
    return body


def _unmapped_references(body: dict[str, Any], uri_map: dict[str, str], account: str) -> list[str]:
    """S3 URIs not rewritten and dev-account images left in the request (should be none)."""
    hub_targets = set(uri_map.values())
    leftovers: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        elif isinstance(node, str) and node not in hub_targets:
            image = ImageRef.parse(node)
            if node.startswith("s3://") or (image is not None and image.registry == account):
                leftovers.append(node)

    walk({k: v for k, v in body.items() if k != "CustomerMetadataProperties"})
    return leftovers


def _metadata_safe(value: str) -> bool:
    return len(value) <= registry.MAX_METADATA_VALUE and bool(_METADATA_TEXT.fullmatch(value))


def _tags(request: PromotionRequest) -> list[dict[str, str]]:
    return [
        {"Key": "team", "Value": request.team},
        {"Key": "promotion:source-account", "Value": request.source_account},
        {"Key": "promotion:source-model-package-group", "Value": request.source_group},
    ]


def _write_lineage(
    runtime: PromoterRuntime,
    key: str,
    condition: dict[str, str],
    request: PromotionRequest,
    description: dict[str, Any],
    approver: Approver,
    artifacts: list[ArtifactCopy],
    images: list[CopiedImage],
) -> tuple[str, str]:
    """Full lineage (every object's source ETag, version id, size, checksum) as a JSON object.

    CustomerMetadataProperties hold at most 50 short values; this object holds everything and
    the package records its URI and sha256, so the record cannot be swapped unnoticed. The
    write is the registration claim (`registration`): conditional on `condition`.
    """
    document = {
        "schema_version": 1,
        "promoted_at": datetime.now(UTC).isoformat(),
        "event_id": request.event_id,
        "source": {
            "account": request.source_account,
            "region": request.source_region,
            "model_package_arn": request.source_model_package_arn,
            "model_package_group": request.source_group,
            "model_package_version": request.source_version,
            # The identity checked against the team's approver role (approval.check_approver).
            "approver": approver.arn,
            "approval": approver.as_lineage(),
            "approval_description": description.get("ApprovalDescription"),
            "created_by": description.get("CreatedBy"),
            "creation_time": str(description.get("CreationTime", "")),
        },
        "central": {"model_package_group": request.central_group, "team": request.team},
        "not_carried_fields": [f for f in NOT_CARRIED_FIELDS if description.get(f)],
        "artifacts": [artifact.to_lineage() for artifact in artifacts],
        "images": [image.__dict__ for image in images],
    }
    body = json.dumps(document, sort_keys=True, default=str).encode()
    bucket = runtime.settings.hub_artifact_bucket
    write_manifest(
        runtime.s3,
        condition=condition,
        source_arn=request.source_model_package_arn,
        Bucket=bucket,
        Key=key,
        Body=body,
        ContentType="application/json",
        ServerSideEncryption="aws:kms",
        SSEKMSKeyId=runtime.settings.hub_kms_key_arn,
        BucketKeyEnabled=True,
    )
    return f"s3://{bucket}/{key}", hashlib.sha256(body).hexdigest()


# -- model card and replays ---------------------------------------------------------------------


def _card_entry(
    package: dict[str, Any],
    request: PromotionRequest,
    central_arn: str,
    central_version: int,
    lineage_uri: str | None,
    approver: str | None,
    approver_arn: str | None,
) -> registry.CardEntry:
    """`approver` goes into the version's history line (the checked ARN, with the session name
    and source identity when known); `approver_arn` is the card's model creator."""
    specs = [package.get("InferenceSpecification") or {}]
    specs += package.get("AdditionalInferenceSpecifications") or []
    containers = [c for spec in specs for c in spec.get("Containers", [])]
    artifacts: list[str] = []
    for container in containers:
        source = (container.get("ModelDataSource") or {}).get("S3DataSource") or {}
        uri = container.get("ModelDataUrl") or source.get("S3Uri")
        if uri and uri not in artifacts:
            artifacts.append(uri)
    images = list(dict.fromkeys(c["Image"] for c in containers if c.get("Image")))
    history = f"source={request.source_model_package_arn} central={central_arn}"
    if approver:
        history += f" source-approver={approver}"
    if lineage_uri:
        history += f" lineage={lineage_uri}"
    return registry.CardEntry(
        central_package_arn=central_arn,
        central_group=request.central_group,
        central_version=central_version,
        team=request.team,
        description=package.get("ModelPackageDescription"),
        creator=approver_arn,
        domain=package.get("Domain"),
        task=package.get("Task"),
        artifacts=artifacts,
        images=images,
        containers=[
            {
                k: v
                for k, v in (("image", c.get("Image")), ("model_data_url", c.get("ModelDataUrl")))
                if v
            }
            for c in containers
        ],
        history_line=history,
    )


def _already_promoted(
    request: PromotionRequest,
    runtime: PromoterRuntime,
    central_arn: str,
    package: dict[str, Any],
) -> PromotionResult:
    """A replay: nothing is copied or registered; the model card is only repaired if an earlier
    attempt registered the package but failed before writing the card. `package` is the
    central package's description."""
    logger.append_keys(central_model_package_arn=central_arn)
    sagemaker = runtime.sagemaker
    metadata = package.get("CustomerMetadataProperties", {})
    try:
        card_version, action = registry.upsert_model_card(
            sagemaker,
            name=request.central_group,
            kms_key_arn=runtime.settings.hub_kms_key_arn,
            entry=_card_entry(
                package,
                request,
                central_arn,
                int(package["ModelPackageVersion"]),
                metadata.get("promotion:lineage-uri"),
                metadata.get("promotion:source-approver") or None,
                metadata.get("promotion:source-approver") or None,
            ),
            tags=_tags(request),
        )
    except ClientError as error:
        raise PromotionError(
            f"model card {request.central_group} could not be checked: {error}"
        ) from error
    logger.info("source model package already promoted", model_card_action=action)
    return PromotionResult(
        status="already-promoted",
        source_model_package_arn=request.source_model_package_arn,
        central_model_package_arn=central_arn,
        central_model_package_group=request.central_group,
        model_card_name=request.central_group,
        model_card_version=card_version,
    )
