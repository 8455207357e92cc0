"""The audit trail of one model's walk, read back from the simulated AWS after the walk.

Every value here comes from what the accounts hold (SageMaker registries and model card, the
promoter's lineage record, S3 object metadata and bytes, ECR image details, CodePipeline, the
endpoints in test and prod), never from what the walk meant to do, so the report shows what an
auditor would find. The one exception is the production approval: moto does not implement
CodePipeline approvals, so that decision is the governance officer's CLI answer (its actor is
the simulator's GetCallerIdentity) and is marked as such.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import boto3

from platform_sandbox.simulator import Simulator

LINEAGE_URI_KEY = "promotion:lineage-uri"
LINEAGE_SHA256_KEY = "promotion:lineage-sha256"
SOURCE_ARN_KEY = "promotion:source-model-package-arn"
DEPLOYED_PACKAGE_TAG = "mlgov:model-package-arn"
PIPELINE_EXECUTION_TAG = "mlgov:pipeline-execution-id"

# account id -> a read-only view of that account (the auditor's session).
Reader = Callable[[str], boto3.Session]


@dataclass(frozen=True)
class Decision:
    """One registration or approval: who, when, on what, why, and the record it was read from."""

    step: str
    actor_arn: str | None
    at: datetime | None
    subject_arn: str
    note: str | None
    record: str


@dataclass(frozen=True)
class StoredObject:
    """An S3 object as S3 describes it, with the SHA-256 of the bytes read back."""

    uri: str
    size: int
    etag: str
    checksum: str | None
    sha256: str


@dataclass(frozen=True)
class ArtifactCopy:
    """A dev original and its hub copy."""

    source: StoredObject
    hub: StoredObject

    @property
    def identical(self) -> bool:
        return (
            self.source.sha256 == self.hub.sha256
            and self.source.size == self.hub.size
            and self.source.checksum == self.hub.checksum
        )


@dataclass(frozen=True)
class StoredImage:
    """An image as its ECR repository describes it."""

    uri: str
    registry_id: str
    repository: str
    digest: str
    tags: tuple[str, ...]
    pushed_at: datetime | None


@dataclass(frozen=True)
class ImageCopy:
    """A dev image and its hub copy."""

    source: StoredImage
    hub: StoredImage

    @property
    def identical(self) -> bool:
        return self.source.digest == self.hub.digest


@dataclass(frozen=True)
class PipelineRun:
    """The deployment pipeline execution the central approval started."""

    pipeline: str
    execution_id: str
    status: str
    variables: dict[str, str]


@dataclass(frozen=True)
class Deployment:
    """What an endpoint serves, read from the endpoint, its config and its model."""

    stage: str
    account_id: str
    endpoint_name: str
    endpoint_status: str
    endpoint_config_name: str
    model_name: str
    model_package_arn: str
    instance_type: str
    instance_count: int
    execution_role_arn: str
    created_at: datetime | None
    pipeline_execution_id: str | None


@dataclass(frozen=True)
class AuditTrail:
    """Who approved what, when, from which source, and what serves where."""

    source_model_package_arn: str
    central_model_package_arn: str
    model_card: str
    lineage_uri: str
    lineage_verified: bool
    decisions: tuple[Decision, ...]
    artifacts: tuple[ArtifactCopy, ...]
    images: tuple[ImageCopy, ...]
    pipeline_run: PipelineRun
    deployments: tuple[Deployment, ...]
    # Approvals the hub refused before the accepted one (approver not the team's lead).
    refusals: tuple[Decision, ...] = ()

    def decision(self, step: str) -> Decision:
        return next(d for d in self.decisions if d.step == step)

    def deployment(self, stage: str) -> Deployment:
        return next(d for d in self.deployments if d.stage == stage)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (timestamps in ISO 8601)."""
        return _jsonable(dataclasses.asdict(self))  # type: ignore[no-any-return]


# Steps of the trail, in order.
REGISTERED = "registered in dev"
DEV_APPROVED = "approved in dev (lead data scientist)"
PROMOTED = "promoted to the central registry"
CENTRAL_APPROVED = "approved centrally (ML engineer)"
PROD_APPROVED = "approved for production (governance officer)"
REFUSED = "approval refused by the hub promoter"


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def _identity(user_context: dict[str, Any] | None) -> str | None:
    context = user_context or {}
    return (context.get("IamIdentity") or {}).get("Arn") or context.get("UserProfileArn")


def _account(arn: str) -> str:
    return arn.split(":")[4]


def _split_s3(uri: str) -> tuple[str, str]:
    bucket, _, key = uri.removeprefix("s3://").partition("/")
    return bucket, key


# -- reading back -------------------------------------------------------------------------------


def read_object(session: boto3.Session, simulator: Simulator, uri: str) -> StoredObject:
    s3 = simulator.client(session, "s3")
    bucket, key = _split_s3(uri)
    head = s3.head_object(Bucket=bucket, Key=key, ChecksumMode="ENABLED")
    body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    checksum = next(
        (
            f"{algorithm}:{head[f'Checksum{algorithm}']}"
            for algorithm in ("SHA256", "CRC64NVME", "CRC32C", "CRC32", "SHA1")
            if head.get(f"Checksum{algorithm}")
        ),
        None,
    )
    return StoredObject(
        uri=uri,
        size=int(head["ContentLength"]),
        etag=str(head["ETag"]).strip('"'),
        checksum=checksum,
        sha256=hashlib.sha256(body).hexdigest(),
    )


def read_image(session: boto3.Session, simulator: Simulator, uri: str, digest: str) -> StoredImage:
    """The image `digest` in the repository `uri` names (`<registry>.dkr.ecr.../<repo>[:@]...`)."""
    registry_host, _, reference = uri.partition("/")
    repository = reference.split("@", 1)[0].rsplit(":", 1)[0]
    registry_id = registry_host.split(".", 1)[0]
    details = simulator.client(session, "ecr").describe_images(
        registryId=registry_id, repositoryName=repository, imageIds=[{"imageDigest": digest}]
    )["imageDetails"]
    (detail,) = details
    return StoredImage(
        uri=uri,
        registry_id=str(detail["registryId"]),
        repository=str(detail["repositoryName"]),
        digest=str(detail["imageDigest"]),
        tags=tuple(detail.get("imageTags", [])),
        pushed_at=detail.get("imagePushedAt"),
    )


def read_deployment(
    session: boto3.Session, simulator: Simulator, stage: str, endpoint_name: str
) -> Deployment:
    sagemaker = simulator.client(session, "sagemaker")
    endpoint = sagemaker.describe_endpoint(EndpointName=endpoint_name)
    config = sagemaker.describe_endpoint_config(EndpointConfigName=endpoint["EndpointConfigName"])
    (variant,) = config["ProductionVariants"]
    model = sagemaker.describe_model(ModelName=variant["ModelName"])
    tags = {
        tag["Key"]: tag["Value"]
        for tag in sagemaker.list_tags(ResourceArn=endpoint["EndpointArn"]).get("Tags", [])
    }
    return Deployment(
        stage=stage,
        account_id=_account(endpoint["EndpointArn"]),
        endpoint_name=endpoint["EndpointName"],
        endpoint_status=endpoint["EndpointStatus"],
        endpoint_config_name=endpoint["EndpointConfigName"],
        model_name=model["ModelName"],
        model_package_arn=model["PrimaryContainer"].get("ModelPackageName", ""),
        instance_type=variant["InstanceType"],
        instance_count=int(variant["InitialInstanceCount"]),
        execution_role_arn=model["ExecutionRoleArn"],
        created_at=endpoint.get("CreationTime"),
        pipeline_execution_id=tags.get(PIPELINE_EXECUTION_TAG),
    )


def collect_trail(
    simulator: Simulator,
    reader: Reader,
    *,
    source_model_package_arn: str,
    central_model_package_arn: str,
    pipeline: str,
    execution_id: str,
    endpoints: dict[str, tuple[str, str]],
    prod_approval: Decision,
    refusals: tuple[Decision, ...] = (),
) -> AuditTrail:
    """Read the trail back. `endpoints`: stage -> (account id, endpoint name)."""
    dev_account = _account(source_model_package_arn)
    hub_account = _account(central_model_package_arn)
    dev, hub = reader(dev_account), reader(hub_account)
    source = simulator.client(dev, "sagemaker").describe_model_package(
        ModelPackageName=source_model_package_arn
    )
    hub_sagemaker = simulator.client(hub, "sagemaker")
    central = hub_sagemaker.describe_model_package(ModelPackageName=central_model_package_arn)
    metadata = central.get("CustomerMetadataProperties") or {}

    # The promoter's lineage record; the package pins its SHA-256.
    lineage_uri = metadata.get(LINEAGE_URI_KEY, "")
    bucket, key = _split_s3(lineage_uri)
    lineage_bytes = simulator.client(hub, "s3").get_object(Bucket=bucket, Key=key)["Body"].read()
    lineage = json.loads(lineage_bytes)
    lineage_verified = (
        hashlib.sha256(lineage_bytes).hexdigest() == metadata.get(LINEAGE_SHA256_KEY)
        and metadata.get(SOURCE_ARN_KEY) == source_model_package_arn
    )

    artifacts = tuple(
        ArtifactCopy(
            source=read_object(dev, simulator, obj["source_uri"]),
            hub=read_object(hub, simulator, obj["destination_uri"]),
        )
        for artifact in lineage.get("artifacts", [])
        for obj in artifact.get("objects", [])
    )
    images = tuple(
        ImageCopy(
            source=read_image(dev, simulator, image["source_uri"], image["source_digest"]),
            hub=read_image(
                hub, simulator, image["destination_uri"], image["destination_uri"].split("@")[1]
            ),
        )
        for image in lineage.get("images", [])
        if image.get("status") != "referenced"
    )

    card_name = central["ModelPackageGroupName"]
    card = hub_sagemaker.describe_model_card(ModelCardName=card_name)
    card_content = json.loads(card.get("Content") or "{}")
    card_model = (card_content.get("model_overview") or {}).get("model_id")
    model_card = (
        f"{card_name} (version {card['ModelCardVersion']}, "
        f"{card.get('ModelCardStatus', 'no status')}, "
        f"current model {card_model})"
    )

    execution = simulator.client(hub, "codepipeline").get_pipeline_execution(
        pipelineName=pipeline, pipelineExecutionId=execution_id
    )["pipelineExecution"]
    pipeline_run = PipelineRun(
        pipeline=pipeline,
        execution_id=execution_id,
        status=str(execution.get("status")),
        variables={v["name"]: v["resolvedValue"] for v in execution.get("variables", [])},
    )

    in_dev = f"SageMaker DescribeModelPackage in {dev_account}"
    in_hub = f"SageMaker DescribeModelPackage in {hub_account}"
    decisions = (
        Decision(
            REGISTERED,
            _identity(source.get("CreatedBy")),
            source.get("CreationTime"),
            source_model_package_arn,
            source.get("ModelPackageDescription"),
            in_dev,
        ),
        Decision(
            DEV_APPROVED,
            _identity(source.get("LastModifiedBy")),
            source.get("LastModifiedTime"),
            source_model_package_arn,
            source.get("ApprovalDescription"),
            f"{in_dev} ({source.get('ModelApprovalStatus')})",
        ),
        Decision(
            PROMOTED,
            _identity(central.get("CreatedBy")),
            central.get("CreationTime"),
            central_model_package_arn,
            f"lineage names source approver {metadata.get('promotion:source-approver') or '-'}",
            in_hub,
        ),
        Decision(
            CENTRAL_APPROVED,
            _identity(central.get("LastModifiedBy")),
            central.get("LastModifiedTime"),
            central_model_package_arn,
            central.get("ApprovalDescription"),
            f"{in_hub} ({central.get('ModelApprovalStatus')})",
        ),
        prod_approval,
    )
    deployments = tuple(
        read_deployment(reader(account), simulator, stage, name)
        for stage, (account, name) in endpoints.items()
    )
    return AuditTrail(
        source_model_package_arn=source_model_package_arn,
        central_model_package_arn=central_model_package_arn,
        model_card=model_card,
        lineage_uri=lineage_uri,
        lineage_verified=lineage_verified,
        decisions=decisions,
        artifacts=artifacts,
        images=images,
        pipeline_run=pipeline_run,
        deployments=deployments,
        refusals=refusals,
    )


# -- the human report ---------------------------------------------------------------------------


def _when(moment: datetime | None) -> str:
    if moment is None:
        return "unknown time"
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%SZ")


def _same(equal: bool) -> str:
    return "identical" if equal else "DIFFERENT"


def format_audit_trail(trail: AuditTrail) -> str:
    """The report an auditor reads: approvals, copies with checksums, what serves where."""
    lines = [
        "Audit trail",
        f"  source package   {trail.source_model_package_arn}",
        f"  central package  {trail.central_model_package_arn}",
        f"  model card       {trail.model_card}",
        f"  lineage record   {trail.lineage_uri} "
        f"({'SHA-256 matches the package' if trail.lineage_verified else 'NOT VERIFIED'})",
        "",
        "Who did what, when",
    ]
    for decision in trail.decisions:
        lines += [
            f"  {_when(decision.at)}  {decision.step}",
            f"      by    {decision.actor_arn or 'unknown'}",
            f"      on    {decision.subject_arn}",
        ]
        if decision.note:
            lines.append(f"      note  {decision.note}")
        lines.append(f"      from  {decision.record}")
    if trail.refusals:
        lines += ["", "Refused"]
    for refusal in trail.refusals:
        lines += [
            f"  {_when(refusal.at)}  {refusal.step}",
            f"      by    {refusal.actor_arn or 'unknown'} (approver)",
            f"      on    {refusal.subject_arn}",
            f"      why   {refusal.note}",
            f"      from  {refusal.record}",
        ]
    lines += ["", "Artifacts: dev original -> hub copy"]
    for artifact in trail.artifacts:
        source, hub = artifact.source, artifact.hub
        lines += [
            f"  {source.uri}",
            f"    -> {hub.uri}",
            f"       {hub.size} bytes, {hub.checksum or 'no S3 checksum'}, "
            f"sha256 {hub.sha256[:16]}...: {_same(artifact.identical)} to the original",
        ]
    lines += ["", "Images: dev original -> hub copy"]
    for image in trail.images:
        lines += [
            f"  {image.source.uri} ({image.source.digest})",
            f"    -> {image.hub.uri}",
            f"       tags {', '.join(image.hub.tags) or '-'}, pushed {_when(image.hub.pushed_at)}: "
            f"digest {_same(image.identical)}",
        ]
    run = trail.pipeline_run
    lines += [
        "",
        f"Pipeline {run.pipeline}, execution {run.execution_id} ({run.status})",
        *(f"  {name} = {value}" for name, value in sorted(run.variables.items())),
        "",
        "Serving",
    ]
    for deployment in trail.deployments:
        lines += [
            f"  {deployment.stage:<5} endpoint {deployment.endpoint_name} in "
            f"{deployment.account_id}: {deployment.endpoint_status} since "
            f"{_when(deployment.created_at)}",
            f"        serves {deployment.model_package_arn}",
            f"        config {deployment.endpoint_config_name}, model {deployment.model_name}, "
            f"{deployment.instance_count} x {deployment.instance_type}",
            f"        deployed by pipeline execution {deployment.pipeline_execution_id or '-'}",
        ]
    return "\n".join(lines)
