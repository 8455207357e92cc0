"""Shared constants and helpers for the mlgov CLI tests (imported by the test modules).

Kept out of conftest.py so test modules can import it by a unique name.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import uuid
from dataclasses import dataclass
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


# The hub store and team repository the promoter writes (naming contract).
HUB_BUCKET = f"mlgov-model-artifacts-{HUB_ACCOUNT}-{REGION}"
HUB_REPOSITORY = "mlgov-promoted/team-a"
DEV_ACCOUNT = "333333333333"
GOVERNANCE_OFFICER_ROLE = "mlgov-governance-officer"
PIPELINE_NAME = "mlgov-model-deployment"


@dataclass(frozen=True)
class PromotedPackage:
    """A central package as the promotion Lambda leaves it, and where its pieces are."""

    arn: str
    model_uri: str
    lineage_uri: str
    image_uri: str
    image_digest: str
    image_tag: str


def hub_image_uri(reference: str) -> str:
    """``<hub registry>/mlgov-promoted/team-a`` plus ``@digest`` or ``:tag``."""
    return f"{HUB_ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/{HUB_REPOSITORY}{reference}"


def push_hub_image(session: boto3.Session, tag: str, layer_seed: str) -> str:
    """Put an image into the hub repository under ``tag``; returns its digest.

    moto derives the digest from the layer digests, so another seed is another image.
    """
    ecr = session.client("ecr", region_name=REGION)
    with contextlib.suppress(ClientError):  # the repository exists from an earlier image
        ecr.create_repository(repositoryName=HUB_REPOSITORY)
    layer = "sha256:" + hashlib.sha256(layer_seed.encode()).hexdigest()
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {
            "mediaType": "application/vnd.docker.container.image.v1+json",
            "size": 2,
            "digest": "sha256:" + hashlib.sha256(b"{}").hexdigest(),
        },
        "layers": [
            {
                "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                "size": 1,
                "digest": layer,
            }
        ],
    }
    image = ecr.put_image(
        repositoryName=HUB_REPOSITORY, imageManifest=json.dumps(manifest), imageTag=tag
    )["image"]
    return str(image["imageId"]["imageDigest"])


def promote_package(
    session: boto3.Session,
    *,
    group: str = "team-a-churn",
    status: str = "Approved",
    image_by_tag: bool = False,
) -> PromotedPackage:
    """Register a package the way the promotion Lambda does: copies, lineage manifest, package.

    The model object is written to the versioned hub store under ``promoted/`` with a CRC32
    checksum, the image pushed to the team's hub repository, and the manifest records both as
    ``model_promoter`` does (``CopiedObject``, ``CopiedImage``); the package's metadata carries
    the manifest's URI and sha256. With ``image_by_tag`` the container references the image by
    its hub tag (a referenced image) instead of by digest.
    """
    s3 = session.client("s3", region_name=REGION)
    with contextlib.suppress(ClientError):  # the bucket exists from an earlier package
        s3.create_bucket(
            Bucket=HUB_BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        s3.put_bucket_versioning(Bucket=HUB_BUCKET, VersioningConfiguration={"Status": "Enabled"})
    run = uuid.uuid4().hex[:8]
    prefix = f"promoted/{DEV_ACCOUNT}/churn/{run}"
    body = f"model weights {run}".encode()
    written = s3.put_object(
        Bucket=HUB_BUCKET, Key=f"{prefix}/model.tar.gz", Body=body, ChecksumAlgorithm="CRC32"
    )
    head = s3.head_object(Bucket=HUB_BUCKET, Key=f"{prefix}/model.tar.gz", ChecksumMode="ENABLED")
    model_uri = f"s3://{HUB_BUCKET}/{prefix}/model.tar.gz"
    source_uri = f"s3://dev-bucket/churn/{run}/model.tar.gz"
    tag = f"churn-{run}"
    digest = push_hub_image(session, tag, run)
    image_uri = hub_image_uri(f":{tag}" if image_by_tag else f"@{digest}")
    lineage = {
        "schema_version": 1,
        "central": {"model_package_group": group, "team": "team-a"},
        "artifacts": [
            {
                "source_uri": source_uri,
                "destination_uri": model_uri,
                "kind": "object",
                "objects": [
                    {
                        "source_uri": source_uri,
                        "source_etag": "0" * 32,
                        "source_size": len(body),
                        "source_version_id": "dev-version-1",
                        "source_checksum": f"CRC32:{head['ChecksumCRC32']}",
                        "staged_uri": f"s3://{HUB_BUCKET}/staging/{DEV_ACCOUNT}/churn/{run}/m",
                        "staged_etag": None,
                        "staged_version_id": None,
                        "stage_method": "copy",
                        "destination_uri": model_uri,
                        "destination_etag": written["ETag"].strip('"'),
                        "destination_version_id": written["VersionId"],
                        "method": "copy",
                        "verification": "staged size+etag; promoted size+CRC32",
                    }
                ],
            }
        ],
        "images": [
            {
                "source_uri": f"{DEV_ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/churn@{digest}",
                "source_digest": digest,
                "destination_uri": image_uri,
                "status": "referenced" if image_by_tag else "copied",
                "destination_tag": None if image_by_tag else tag,
            }
        ],
    }
    manifest = json.dumps(lineage, sort_keys=True).encode()
    lineage_key = f"{prefix}/_promotion/lineage.json"
    s3.put_object(Bucket=HUB_BUCKET, Key=lineage_key, Body=manifest)
    metadata = {
        "promotion:source-account": DEV_ACCOUNT,
        "promotion:lineage-uri": f"s3://{HUB_BUCKET}/{lineage_key}",
        "promotion:lineage-sha256": hashlib.sha256(manifest).hexdigest(),
    }
    arn = _register(session, group, status, image_uri, model_uri, metadata)
    return PromotedPackage(
        arn=arn,
        model_uri=model_uri,
        lineage_uri=metadata["promotion:lineage-uri"],
        image_uri=image_uri,
        image_digest=digest,
        image_tag=tag,
    )


def create_central_package(
    session: boto3.Session,
    *,
    group: str = "team-a-churn",
    status: str = "Approved",
    lineage: dict[str, str] | None = None,
) -> str:
    """Register a package in the hub registry the way the promotion Lambda would.

    With ``lineage`` the package carries exactly that metadata and no promotion manifest
    (enough for the governance listing; deploy refuses such a package).
    """
    if lineage is None:
        return promote_package(session, group=group, status=status).arn
    return _register(
        session,
        group,
        status,
        hub_image_uri("@sha256:" + "a" * 64),
        f"s3://{HUB_BUCKET}/promoted/team-a/churn/1/model.tar.gz",
        lineage,
    )


def _register(
    session: boto3.Session,
    group: str,
    status: str,
    image_uri: str,
    model_uri: str,
    metadata: dict[str, str],
) -> str:
    sagemaker = session.client("sagemaker", region_name=REGION)
    with contextlib.suppress(ClientError):  # the group exists from an earlier package
        sagemaker.create_model_package_group(ModelPackageGroupName=group)
    response = sagemaker.create_model_package(
        ModelPackageGroupName=group,
        ModelPackageDescription="churn classifier",
        InferenceSpecification={
            "Containers": [{"Image": image_uri, "ModelDataUrl": model_uri}],
            "SupportedContentTypes": ["application/json"],
            "SupportedResponseMIMETypes": ["application/json"],
        },
        ModelApprovalStatus="PendingManualApproval",
        CustomerMetadataProperties=metadata,
    )
    arn = response["ModelPackageArn"]
    if status != "PendingManualApproval":
        # The metadata is sent again because moto's update clears what a request omits
        # (SageMaker keeps it).
        sagemaker.update_model_package(
            ModelPackageArn=arn, ModelApprovalStatus=status, CustomerMetadataProperties=metadata
        )
    return str(arn)


# -- the deployment pipeline and its production approval -----------------------------------------


def deployment_pipeline(session: boto3.Session) -> str:
    """The hub's deployment pipeline (its stages as the pipeline module names them).

    moto keeps pipelines and executions but not approvals; the simulator's CodePipeline gap
    (`platform_sandbox.gaps_codepipeline`) adds GetPipelineState, PutApprovalResult and
    ListActionExecutions. It is patched into this test process's moto here (it only adds
    actions moto lacks).
    """
    from platform_sandbox import gaps_codepipeline

    gaps_codepipeline.patch_codepipeline()
    codepipeline = session.client("codepipeline", region_name=REGION)
    if PIPELINE_NAME in {p["name"] for p in codepipeline.list_pipelines()["pipelines"]}:
        return PIPELINE_NAME
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "codepipeline.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    role = session.client("iam").create_role(
        RoleName=f"{PIPELINE_NAME}-pipeline", AssumeRolePolicyDocument=json.dumps(trust)
    )["Role"]["Arn"]

    def build(name: str, category: str = "Build") -> dict[str, Any]:
        return {
            "name": name,
            "actionTypeId": {
                "category": category,
                "owner": "AWS",
                "provider": "CodeBuild",
                "version": "1",
            },
            "configuration": {"ProjectName": f"{PIPELINE_NAME}-{name}"},
            "inputArtifacts": [{"name": "tooling"}],
        }

    stages = [
        {
            "name": "Source",
            "actions": [
                {
                    "name": "ToolingBundle",
                    "actionTypeId": {
                        "category": "Source",
                        "owner": "AWS",
                        "provider": "S3",
                        "version": "1",
                    },
                    "configuration": {"S3Bucket": "artifacts", "S3ObjectKey": "tooling.zip"},
                    "outputArtifacts": [{"name": "tooling"}],
                }
            ],
        },
        {"name": "DeployTest", "actions": [build("DeployTest")]},
        {
            "name": "ApproveProd",
            "actions": [
                {
                    "name": "ApproveProd",
                    "actionTypeId": {
                        "category": "Approval",
                        "owner": "AWS",
                        "provider": "Manual",
                        "version": "1",
                    },
                }
            ],
        },
        {"name": "DeployProd", "actions": [build("DeployProd")]},
    ]
    codepipeline.create_pipeline(
        pipeline={
            "name": PIPELINE_NAME,
            "roleArn": role,
            "artifactStore": {"type": "S3", "location": "artifacts"},
            "stages": stages,
            "pipelineType": "V2",
            "variables": [{"name": "MODEL_PACKAGE_ARN"}],
        }
    )
    return PIPELINE_NAME


def hub_role_session(session: boto3.Session, role_name: str) -> boto3.Session:
    """A session of a hub role (moto's STS issues assumed-role credentials of that name)."""
    credentials = session.client("sts", region_name=REGION).assume_role(
        RoleArn=f"arn:aws:iam::{HUB_ACCOUNT}:role/{role_name}", RoleSessionName="alice"
    )["Credentials"]
    return boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        region_name=REGION,
    )


def start_execution(session: boto3.Session, model_package_arn: str) -> str:
    """An execution of the deployment pipeline for the package (what the trigger starts)."""
    return str(
        session.client("codepipeline", region_name=REGION).start_pipeline_execution(
            name=deployment_pipeline(session),
            variables=[{"name": "MODEL_PACKAGE_ARN", "value": model_package_arn}],
        )["pipelineExecutionId"]
    )


def answer_prod_approval(
    session: boto3.Session,
    execution_id: str,
    *,
    role_name: str = GOVERNANCE_OFFICER_ROLE,
    status: str = "Approved",
) -> None:
    """The execution reaches ApproveProd, and a session of ``role_name`` answers it."""
    from platform_sandbox import gaps_codepipeline

    opened = gaps_codepipeline.record_action(
        HUB_ACCOUNT, REGION, PIPELINE_NAME, execution_id, "ApproveProd", "ApproveProd", "InProgress"
    )
    hub_role_session(session, role_name).client("codepipeline").put_approval_result(
        pipelineName=PIPELINE_NAME,
        stageName="ApproveProd",
        actionName="ApproveProd",
        result={"summary": "risk review OK", "status": status},
        token=opened["token"],
    )


def approved_prod_execution(session: boto3.Session, model_package_arn: str) -> str:
    """An execution for the package whose ApproveProd the governance officer approved."""
    execution_id = start_execution(session, model_package_arn)
    answer_prod_approval(session, execution_id)
    return execution_id
