"""Integrity at deploy time: serve exactly what was promoted and, in prod, approved.

Between promotion and deployment the central package's artifacts, images and approvals could be
changed by anyone with write access in the hub; the registry's approval status alone would not
show it. Before a model is created, ``mlgov deploy`` therefore checks:

1. The lineage manifest the promoter wrote (``promotion:lineage-uri``) hashes to the sha256
   recorded on the package (``promotion:lineage-sha256``); without both the package is refused.
2. Every S3 URI the package references is an artifact of that manifest, and each of its objects
   is still the promoted version: version id, ETag, size and, when both carry one, the
   whole-object checksum. A prefix may hold no object the manifest does not list (SageMaker
   would load it).
3. Every container image is in the manifest with a digest; an image referenced by digest must
   carry the recorded one, an image referenced by tag must still resolve to it.
4. In prod: the pipeline execution being run deploys this package, and its production approval
   was answered ``Approved`` by a session of the governance officer's role.

Any mismatch raises ``IntegrityError`` naming what was recorded and what was found; nothing is
created. The returned report says what was verified (``--json`` shows it as ``integrity``).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError

from mlgov.aws import describe_client_error
from mlgov.errors import InputError, MlgovError

LINEAGE_URI_KEY = "promotion:lineage-uri"
LINEAGE_SHA256_KEY = "promotion:lineage-sha256"
# The promoter's records folder below a version's promoted/ prefix (model_promoter.s3_copy).
LINEAGE_SUFFIX = "/_promotion/lineage.json"
PROMOTED_ROOT = "promoted/"
PIPELINE_VARIABLE = "MODEL_PACKAGE_ARN"
# Free text the promoter or a reviewer writes; an s3:// string there is not an artifact.
_FREE_TEXT_FIELDS = frozenset(
    {"CustomerMetadataProperties", "ModelPackageDescription", "ApprovalDescription"}
)
_CHECKSUM_ALGORITHMS = ("CRC64NVME", "CRC32", "CRC32C", "SHA256", "SHA1")
_ECR_IMAGE = re.compile(
    r"^(?P<registry>\d{12})\.dkr\.ecr(?:-fips)?\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(?:\.cn)?/"
    r"(?P<repository>[a-z0-9][a-z0-9._/-]*?)"
    r"(?::(?P<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?"
    r"(?:@(?P<digest>sha256:[a-f0-9]{64}))?$"
)
_DIGEST_SUFFIX = re.compile(r"@(?P<digest>sha256:[a-f0-9]{64})$")
_ASSUMED_ROLE = re.compile(
    r"^arn:(?P<partition>aws[a-z-]*):sts::(?P<account>\d{12}):assumed-role/(?P<role>[^/]+)/.+$"
)
_ROLE = re.compile(
    r"^arn:(?P<partition>aws[a-z-]*):iam::(?P<account>\d{12}):role/(?:.*/)?(?P<name>[^/]+)$"
)
_PIPELINE_SUFFIX = "-model-deployment"
_OFFICER_SUFFIX = "-governance-officer"


class IntegrityError(MlgovError):
    """What would be served differs from what was promoted or approved (exit 1)."""


@dataclass(frozen=True)
class ProdApprovalGate:
    """Which approval a prod deploy must find: this execution's, answered by this role."""

    pipeline_name: str
    pipeline_execution_id: str
    approver_role_arn: str
    action_name: str


@dataclass
class IntegrityReport:
    """What was verified, for the deploy's JSON output and the build log."""

    lineage: dict[str, Any]
    artifacts: list[dict[str, Any]] = field(default_factory=list)
    images: list[dict[str, Any]] = field(default_factory=list)
    prod_approval: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Lineage:
    """The promoter's manifest, read and checked against the package's recorded sha256."""

    uri: str
    sha256: str
    version_id: str | None
    document: dict[str, Any]

    @property
    def version_prefix(self) -> str:
        """``s3://bucket/promoted/<account>/<group>/<version>/``: where every artifact lives."""
        return self.uri[: -len(LINEAGE_SUFFIX)] + "/"


# -- small helpers ------------------------------------------------------------------------------


def split_s3_uri(uri: str) -> tuple[str, str]:
    """``s3://bucket/key`` -> (bucket, key)."""
    bucket, _, key = uri.removeprefix("s3://").partition("/")
    return bucket, key


def _refuse(what: str, recorded: Any, found: Any, **details: Any) -> IntegrityError:
    """One error that names the thing, what the lineage recorded and what is there now."""
    return IntegrityError(
        f"integrity check failed for {what}: recorded {recorded}, found {found}; "
        "nothing was deployed",
        details={"integrity_subject": what, "recorded": recorded, "found": found, **details},
    )


def _strip_quotes(etag: str | None) -> str | None:
    return etag.strip('"') if etag else etag


def _whole_object_checksum(head: dict[str, Any]) -> str | None:
    """``ALGORITHM:value`` of a whole-object checksum; composite (multipart) ones don't compare."""
    for algorithm in _CHECKSUM_ALGORITHMS:
        value = head.get(f"Checksum{algorithm}")
        if value:
            if head.get("ChecksumType") == "COMPOSITE" or "-" in str(value):
                return None
            return f"{algorithm}:{value}"
    return None


# -- 1. the lineage manifest --------------------------------------------------------------------


def load_lineage(s3: Any, metadata: dict[str, str], group_name: str) -> Lineage:
    """Read the manifest the package names and check it hashes to the recorded sha256.

    The manifest is the only full record of what was promoted; a package that names none (not
    promoted by the promoter) or one whose bytes changed cannot be verified, so it is refused.
    It must sit in a version's ``promoted/`` records folder: only the promoter writes there.
    """
    uri, recorded = metadata.get(LINEAGE_URI_KEY), metadata.get(LINEAGE_SHA256_KEY)
    if not uri or not recorded:
        raise _refuse(
            "the lineage manifest",
            f"{LINEAGE_URI_KEY} and {LINEAGE_SHA256_KEY} on the package",
            "none (the package was not registered by the promoter)",
        )
    bucket, key = split_s3_uri(uri)
    if not uri.startswith("s3://") or not key.startswith(PROMOTED_ROOT):
        raise _refuse("the lineage manifest", f"a manifest under {PROMOTED_ROOT}", uri)
    if not key.endswith(LINEAGE_SUFFIX):
        raise _refuse("the lineage manifest", f"a key ending in {LINEAGE_SUFFIX}", uri)
    try:
        response = s3.get_object(Bucket=bucket, Key=key)
    except ClientError as exc:
        raise _refuse(
            f"the lineage manifest {uri}", "a readable object", describe_client_error(exc)
        ) from exc
    body = response["Body"].read()
    actual = hashlib.sha256(body).hexdigest()
    if actual != recorded:
        raise _refuse(f"the lineage manifest {uri}", f"sha256 {recorded}", f"sha256 {actual}")
    try:
        document = json.loads(body)
    except ValueError as exc:
        raise _refuse(
            f"the lineage manifest {uri}", "a JSON document", f"unreadable JSON ({exc})"
        ) from exc
    central_group = (document.get("central") or {}).get("model_package_group")
    if central_group != group_name:
        raise _refuse(
            f"the lineage manifest {uri}", f"group {group_name}", f"group {central_group}"
        )
    return Lineage(uri=uri, sha256=actual, version_id=response.get("VersionId"), document=document)


# -- 2. S3 artifacts ----------------------------------------------------------------------------


def package_s3_uris(description: dict[str, Any]) -> list[str]:
    """Every S3 URI the package references, in order, free-text fields aside."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        elif isinstance(node, str) and node.startswith("s3://") and node not in found:
            found.append(node)

    walk({k: v for k, v in description.items() if k not in _FREE_TEXT_FIELDS})
    return found


def verify_object(s3: Any, recorded: dict[str, Any]) -> dict[str, Any]:
    """The promoted object is still the version the promoter wrote and verified.

    Reads the current version (what SageMaker will load), so a new version put after promotion
    is caught by its version id and ETag even if its size is unchanged.
    """
    uri = recorded["destination_uri"]
    bucket, key = split_s3_uri(uri)
    try:
        head = s3.head_object(Bucket=bucket, Key=key, ChecksumMode="ENABLED")
    except ClientError as exc:
        raise _refuse(f"artifact {uri}", "the promoted object", describe_client_error(exc)) from exc
    found = {
        "version_id": head.get("VersionId"),
        "etag": _strip_quotes(head.get("ETag")),
        "size": int(head.get("ContentLength", -1)),
        "checksum": _whole_object_checksum(head),
    }
    expected = {
        "version_id": recorded.get("destination_version_id"),
        "etag": recorded.get("destination_etag"),
        "size": recorded.get("source_size"),
        "checksum": recorded.get("source_checksum"),
    }
    if not expected["version_id"] and not expected["etag"]:
        raise _refuse(f"artifact {uri}", "a version id or ETag", "neither in the lineage")
    for name in ("version_id", "etag", "size"):
        if expected[name] is not None and expected[name] != found[name]:
            raise _refuse(f"artifact {uri}", f"{name} {expected[name]}", f"{name} {found[name]}")
    # A composite (multipart) source checksum is not the promoted copy's whole-object one.
    recorded_checksum = str(expected["checksum"] or "")
    algorithm = recorded_checksum.partition(":")[0] if "-" not in recorded_checksum else ""
    if algorithm and found["checksum"] and found["checksum"].startswith(f"{algorithm}:"):
        if found["checksum"] != expected["checksum"]:
            raise _refuse(f"artifact {uri}", expected["checksum"], found["checksum"])
    else:
        found["checksum"] = None  # nothing comparable: version id, ETag and size decided
    return {"uri": uri, **found}


def _listed_keys(s3: Any, bucket: str, prefix: str) -> Iterator[str]:
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            yield str(item["Key"])


def verify_prefix_contents(s3: Any, artifact: dict[str, Any]) -> None:
    """A prefix artifact holds exactly the recorded objects: SageMaker loads all of them."""
    uri = artifact["destination_uri"]
    bucket, prefix = split_s3_uri(uri)
    recorded = {split_s3_uri(o["destination_uri"])[1] for o in artifact.get("objects", [])}
    try:
        present = set(_listed_keys(s3, bucket, prefix))
    except ClientError as exc:
        raise _refuse(
            f"artifact prefix {uri}", "a listable prefix", describe_client_error(exc)
        ) from exc
    extra = sorted(present - recorded)
    if extra:
        raise _refuse(
            f"artifact prefix {uri}",
            f"{len(recorded)} promoted object(s)",
            f"objects not in the lineage: {', '.join(f's3://{bucket}/{k}' for k in extra)}",
        )


def verify_artifacts(
    s3: Any, description: dict[str, Any], lineage: Lineage
) -> list[dict[str, Any]]:
    """Every S3 URI of the package is a lineage artifact whose objects are unchanged."""
    artifacts = {a["destination_uri"]: a for a in lineage.document.get("artifacts", [])}
    verified: list[dict[str, Any]] = []
    for uri in package_s3_uris(description):
        artifact = artifacts.get(uri)
        if artifact is None:
            raise _refuse(f"artifact {uri}", "an artifact of the lineage manifest", "none")
        if not uri.startswith(lineage.version_prefix):
            raise _refuse(f"artifact {uri}", f"a key under {lineage.version_prefix}", uri)
        if not artifact.get("objects"):
            raise _refuse(f"artifact {uri}", "at least one promoted object", "none")
        if artifact.get("kind") == "prefix":
            verify_prefix_contents(s3, artifact)
        verified.extend(verify_object(s3, obj) for obj in artifact["objects"])
    return verified


# -- 3. images ----------------------------------------------------------------------------------


def package_images(description: dict[str, Any]) -> list[str]:
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


def resolve_tag(ecr: Any, registry: str, repository: str, tag: str) -> str:
    """The digest a tag points at now (DescribeImages in the registry's own account)."""
    try:
        details = ecr.describe_images(
            registryId=registry, repositoryName=repository, imageIds=[{"imageTag": tag}]
        )["imageDetails"]
    except ClientError as exc:
        raise _refuse(
            f"image {registry}/{repository}:{tag}", "a resolvable tag", describe_client_error(exc)
        ) from exc
    if not details:
        raise _refuse(f"image {registry}/{repository}:{tag}", "a resolvable tag", "no such image")
    return str(details[0]["imageDigest"])


def verify_image(
    ecr_for: Callable[[str], Any], uri: str, recorded: dict[str, Any]
) -> dict[str, Any]:
    """The image carries, or its tag still resolves to, the digest the lineage recorded."""
    digest = recorded.get("source_digest")
    if not digest:
        raise _refuse(f"image {uri}", "a digest in the lineage", "none (referenced by tag)")
    pinned = _DIGEST_SUFFIX.search(uri)
    if pinned:
        if pinned["digest"] != digest:
            raise _refuse(f"image {uri}", f"digest {digest}", f"digest {pinned['digest']}")
        return {"uri": uri, "digest": digest, "resolved_tag": None}
    image = _ECR_IMAGE.fullmatch(uri)
    if image is None or not image["tag"]:
        raise _refuse(f"image {uri}", f"digest {digest}", "a tag that cannot be resolved")
    current = resolve_tag(
        ecr_for(image["region"]), image["registry"], image["repository"], image["tag"]
    )
    if current != digest:
        raise _refuse(
            f"image {uri}",
            f"digest {digest}",
            f"tag {image['tag']} pointing at {current}",
        )
    return {"uri": uri, "digest": digest, "resolved_tag": image["tag"]}


def verify_images(
    ecr_for: Callable[[str], Any], description: dict[str, Any], lineage: Lineage
) -> list[dict[str, Any]]:
    """Every container image of the package is a lineage image with its recorded digest."""
    recorded = {i["destination_uri"]: i for i in lineage.document.get("images", [])}
    verified = []
    for uri in package_images(description):
        if uri not in recorded:
            raise _refuse(f"image {uri}", "an image of the lineage manifest", "none")
        verified.append(verify_image(ecr_for, uri, recorded[uri]))
    return verified


# -- 4. the production approval -----------------------------------------------------------------


def prod_approval_gate(
    *,
    pipeline_name: str | None,
    pipeline_execution_id: str | None,
    approver_role_arn: str | None,
    action_name: str,
    partition: str,
    hub_account_id: str,
) -> ProdApprovalGate:
    """The approval a prod deploy needs; without a pipeline execution there is none to check.

    The approver role comes from the pipeline module (``MLGOV_PROD_APPROVER_ROLE_ARN``) or,
    outside it, from the naming contract: pipeline ``<prefix>-model-deployment``, officer
    ``<prefix>-governance-officer`` in the hub.
    """
    if not pipeline_name or not pipeline_execution_id:
        raise IntegrityError(
            "a prod deploy needs the pipeline execution whose production approval it carries out "
            "(--pipeline and --pipeline-execution-id, set by the pipeline's CodeBuild action); "
            "nothing was deployed",
            details={"integrity_subject": "production approval", "found": "no pipeline execution"},
        )
    if not approver_role_arn:
        if not pipeline_name.endswith(_PIPELINE_SUFFIX):
            raise InputError(
                f"--pipeline: '{pipeline_name}' does not follow the naming contract "
                f"'<prefix>{_PIPELINE_SUFFIX}'; set MLGOV_PROD_APPROVER_ROLE_ARN"
            )
        prefix = pipeline_name[: -len(_PIPELINE_SUFFIX)]
        approver_role_arn = f"arn:{partition}:iam::{hub_account_id}:role/{prefix}{_OFFICER_SUFFIX}"
    if not _ROLE.fullmatch(approver_role_arn):
        raise InputError(f"MLGOV_PROD_APPROVER_ROLE_ARN: '{approver_role_arn}' is not a role ARN")
    return ProdApprovalGate(pipeline_name, pipeline_execution_id, approver_role_arn, action_name)


def is_session_of(principal_arn: str, role_arn: str) -> bool:
    """True for an assumed-role session of exactly ``role_arn`` (same account, same name)."""
    session, role = _ASSUMED_ROLE.fullmatch(principal_arn or ""), _ROLE.fullmatch(role_arn)
    return bool(
        session
        and role
        and (session["account"], session["role"]) == (role["account"], role["name"])
    )


def _execution_package(codepipeline: Any, gate: ProdApprovalGate) -> str | None:
    try:
        execution = codepipeline.get_pipeline_execution(
            pipelineName=gate.pipeline_name, pipelineExecutionId=gate.pipeline_execution_id
        )["pipelineExecution"]
    except ClientError as exc:
        raise _refuse(
            f"pipeline execution {gate.pipeline_execution_id} of {gate.pipeline_name}",
            "a readable execution",
            describe_client_error(exc),
        ) from exc
    for variable in execution.get("variables") or []:
        if variable.get("name") == PIPELINE_VARIABLE:
            return str(variable.get("resolvedValue"))
    return None


def _approval_runs(codepipeline: Any, gate: ProdApprovalGate) -> list[dict[str, Any]]:
    """This execution's runs of the approval action (ListActionExecutions), newest first."""
    runs: list[dict[str, Any]] = []
    try:
        pages = codepipeline.get_paginator("list_action_executions").paginate(
            pipelineName=gate.pipeline_name,
            filter={"pipelineExecutionId": gate.pipeline_execution_id},
        )
        for page in pages:
            for detail in page.get("actionExecutionDetails", []):
                category = ((detail.get("input") or {}).get("actionTypeId") or {}).get("category")
                if detail.get("actionName") == gate.action_name and category == "Approval":
                    runs.append(detail)
    except ClientError as exc:
        raise _refuse(
            f"production approval {gate.action_name} of {gate.pipeline_name}",
            "readable action executions",
            describe_client_error(exc),
        ) from exc
    return sorted(runs, key=_when, reverse=True)


def _when(detail: dict[str, Any]) -> datetime:
    """When an action run last changed (its answer, for an approval)."""
    value = detail.get("lastUpdateTime") or detail.get("startTime")
    return value if isinstance(value, datetime) else datetime.min.replace(tzinfo=UTC)


def verify_prod_approval(
    codepipeline: Any, gate: ProdApprovalGate, model_package_arn: str
) -> dict[str, Any]:
    """This execution deploys this package and its approval was given by the officer's role.

    The IAM policy on the approval action already limits who may answer; this check holds even
    if that policy was widened, and ties the approval to the package being deployed.
    """
    subject = (
        f"production approval {gate.action_name} of {gate.pipeline_name} "
        f"execution {gate.pipeline_execution_id}"
    )
    package = _execution_package(codepipeline, gate)
    if package != model_package_arn:
        raise _refuse(subject, f"package {model_package_arn}", f"package {package}")
    runs = _approval_runs(codepipeline, gate)
    if not runs:
        raise _refuse(subject, f"Approved by {gate.approver_role_arn}", "no approval")
    latest = runs[0]
    status = latest.get("status")
    approver = latest.get("updatedBy")
    if status != "Succeeded":
        answer = {"Failed": "Rejected", "InProgress": "still pending"}.get(str(status), status)
        raise _refuse(subject, f"Approved by {gate.approver_role_arn}", f"{answer} by {approver}")
    if not is_session_of(str(approver or ""), gate.approver_role_arn):
        raise _refuse(
            subject,
            f"Approved by {gate.approver_role_arn}",
            f"Approved by {approver}",
            approved_by=approver,
        )
    result = (latest.get("output") or {}).get("executionResult") or {}
    approved_at = latest.get("lastUpdateTime")
    return {
        "pipeline": gate.pipeline_name,
        "pipeline_execution_id": gate.pipeline_execution_id,
        "action_name": gate.action_name,
        "approved_by": approver,
        "approver_role_arn": gate.approver_role_arn,
        "summary": result.get("externalExecutionSummary"),
        "approved_at": approved_at.isoformat() if isinstance(approved_at, datetime) else None,
    }


# -- all of it ----------------------------------------------------------------------------------


def verify_integrity(
    description: dict[str, Any],
    *,
    group_name: str,
    s3: Any,
    ecr_for: Callable[[str], Any],
    codepipeline: Any | None = None,
    gate: ProdApprovalGate | None = None,
    model_package_arn: str | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> IntegrityReport:
    """Run every check; the first mismatch raises ``IntegrityError``.

    ``s3`` reads the promoted objects (the deploy role: the hub bucket admits the target
    accounts under ``promoted/``); ``ecr_for(region)`` resolves tags in the hub registry (the
    caller's own account); ``codepipeline`` reads the approval (the caller: a pipeline has no
    cross-account access).
    """
    metadata = dict(description.get("CustomerMetadataProperties") or {})
    lineage = load_lineage(s3, metadata, group_name)
    artifacts = verify_artifacts(s3, description, lineage)
    images = verify_images(ecr_for, description, lineage)
    progress(
        f"integrity: lineage {lineage.uri} (sha256 matches), {len(artifacts)} object(s) and "
        f"{len(images)} image(s) as promoted"
    )
    report = IntegrityReport(
        lineage={"uri": lineage.uri, "sha256": lineage.sha256, "version_id": lineage.version_id},
        artifacts=artifacts,
        images=images,
    )
    if gate is not None:
        if codepipeline is None or model_package_arn is None:
            raise ValueError("the prod approval check needs a CodePipeline client and the ARN")
        report.prod_approval = verify_prod_approval(codepipeline, gate, model_package_arn)
        progress(
            f"integrity: {gate.action_name} of execution {gate.pipeline_execution_id} approved "
            f"by {report.prod_approval['approved_by']}"
        )
    return report
