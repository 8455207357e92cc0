"""A multi-account moto world for the model promoter (also used by benchmarks/promotion.py).

What is real and what is simulated:
* Real (moto 5.2.5, in-process): STS assume-role isolation between the hub (123456789012), dev
  (111122223333), test (222233334444) and prod (333344445555) accounts; S3 (CopyObject,
  UploadPartCopy multipart, metadata, SSE-KMS headers); ECR repositories, layer uploads,
  BatchCheckLayerAvailability, manifests, immutable tags; SageMaker model package groups,
  packages and model cards; SSM parameters; DynamoDB for the idempotency table.
* Simulated, because moto does not implement them:
  - ECR GetDownloadUrlForLayer: a `before-call` hook on the source session answers that one
    operation with the URL of a local HTTPS server (127.0.0.1, self-signed certificate trusted
    only by the test's urllib3 pool) that serves the layer bytes uploaded to the dev repository.
    Everything after the URL (streaming, chunking, sha256, UploadLayerPart) is the real code.
  - SageMaker Put/GetModelPackageGroupPolicy: replaced on the hub client by `GroupPolicyStore`,
    which records the rendered policy text. Tests assert on that text; nothing enforces it.
  - SageMaker's record of who last modified a model package (`LastModifiedBy.IamIdentity`):
    moto records a fixed fake Studio user profile, so `World.set_last_modified_by` writes the
    approving principal into moto's backend, as SageMaker records the caller of
    UpdateModelPackage. Approved packages default to a session of the team's lead data
    scientist role (`LEAD_APPROVER`).
  - ECR reads of another account's registry (`registryId`): moto keeps repositories per
    calling account, so the AWS-owned SageMaker XGBoost repository (`AWS_OWNED_IMAGE`) is created
    in the hub's backend under the registry id 141502667606, where the promoter's hub client
    resolves its tag to a digest.
  - Who may do what in the hub artifact bucket (`HubBucketPolicy`): `before-parameter-build`
    hooks answer `AccessDenied` as S3 would under the `central-model-registry` bucket policy and
    the two roles' identity policies. On every source session (a dev account's
    promotion-source role): only writes, only under `staging/<that account id>/`, no read of the
    hub bucket at all. On the promoter's hub session: reads (HeadObject, GetObject, the source of
    CopyObject/UploadPartCopy) only under `staging/` and `promoted/`, writes only under
    `promoted/`. For both, SSE-KMS under the registry key's ARN only when encryption headers are
    sent.
* Not evaluated by moto at all: IAM, key policies and the rest of the bucket policies
  (cross-account access otherwise always works).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import random
import ssl
import threading
import uuid
from collections import Counter
from collections.abc import Callable
from copy import deepcopy
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from ipaddress import IPv4Address
from pathlib import Path
from typing import Any

import boto3
import botocore.loaders
import moto  # noqa: F401  - must be imported before any client is created
import urllib3
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ClientError
from model_promoter.aws import (
    AssumeRoleSessionProvider,
    CopyTuning,
    PromoterRuntime,
    new_session,
)
from model_promoter.models import PromotionRequest
from model_promoter.settings import Settings, load_settings

HUB = "123456789012"
DEV = "111122223333"
TEST = "222233334444"
PROD = "333344445555"
UNKNOWN = "999988887777"
REGION = "eu-west-1"
PREFIX = "mlgov"
TEAM = "team-a"
SOURCE_GROUP = "customer-churn"
CENTRAL_GROUP = f"{TEAM}-{SOURCE_GROUP}"
HUB_REPOSITORY_PREFIX = f"{PREFIX}-promoted"
HUB_REPOSITORY = f"{HUB_REPOSITORY_PREFIX}/{TEAM}"
DEV_BUCKET = f"{PREFIX}-dev-artifacts-{DEV}"
DEV_REPOSITORY = "customer-churn-inference"
AWS_OWNED_REGISTRY = "141502667606"  # SageMaker's XGBoost/scikit-learn images, eu-west-1
AWS_OWNED_REPOSITORY = "sagemaker-xgboost"
AWS_OWNED_IMAGE = (
    f"{AWS_OWNED_REGISTRY}.dkr.ecr.eu-west-1.amazonaws.com/{AWS_OWNED_REPOSITORY}:1.7-1"
)
# The manifest the world stores under that tag, and the digest a central package must name.
AWS_OWNED_MANIFEST = json.dumps(
    {
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {
            "mediaType": "application/vnd.docker.container.image.v1+json",
            "size": 7023,
            "digest": "sha256:" + "c" * 64,
        },
        "layers": [
            {
                "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                "size": 32654,
                "digest": "sha256:" + "d" * 64,
            }
        ],
    }
)
AWS_OWNED_DIGEST = "sha256:" + hashlib.sha256(AWS_OWNED_MANIFEST.encode()).hexdigest()
AWS_OWNED_PINNED = AWS_OWNED_IMAGE.rsplit(":", 1)[0] + "@" + AWS_OWNED_DIGEST
# The only role whose sessions may approve team-a's packages (APPROVER_ROLE_NAME_TEMPLATE).
APPROVER_ROLE_NAME_TEMPLATE = f"{PREFIX}-{{team}}-lead-data-scientist"
LEAD_ROLE = f"{PREFIX}-{TEAM}-lead-data-scientist"
LEAD_APPROVER = f"arn:aws:sts::{DEV}:assumed-role/{LEAD_ROLE}/alice"
EVENTS_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "events"
MIB = 1024 * 1024
# The promoter validates its settings when `model_promoter.handler` is imported (first done by
# the `handler` fixture, inside a test); these are the names and shapes the `model-promotion-hub`
# module passes. Set per test so they never leak into other functions' tests.
PROMOTER_ENVIRONMENT = {
    "AWS_REGION": "eu-west-1",
    "AWS_DEFAULT_REGION": "eu-west-1",
    "HUB_ARTIFACT_BUCKET": "mlgov-model-artifacts-123456789012-eu-west-1",
    "HUB_KMS_KEY_ARN": (
        "arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
    ),
    "HUB_IMAGE_REPOSITORY_PREFIX": HUB_REPOSITORY_PREFIX,
    "SOURCE_ROLE_NAME": "mlgov-promotion-source",
    "SOURCE_ACCOUNTS_PARAMETER": "/mlgov/model-promotion/source-accounts",
    "GROUP_POLICY_TEMPLATE_PARAMETER": "/mlgov/model-promotion/group-policy-template",
    "IDEMPOTENCY_TABLE_NAME": "mlgov-model-promoter-idempotency",
    "APPROVER_ROLE_NAME_TEMPLATE": APPROVER_ROLE_NAME_TEMPLATE,
    # What the module passes by default: the hub's own registry and AWS's SageMaker images.
    "ALLOWED_IMAGE_REGISTRIES": f"{HUB},{AWS_OWNED_REGISTRY}",
    "POWERTOOLS_SERVICE_NAME": "model-promoter",
    "POWERTOOLS_LOG_LEVEL": "INFO",
}

# One botocore loader for every session in the process: service models are parsed once.
LOADER = botocore.loaders.create_loader()
READ_PREFIXES = ("Describe", "List", "Get", "Head", "BatchGet", "BatchCheck", "Search", "Scan")


def upload_layer(ecr: Any, repository: str, data: bytes) -> str:
    """Upload one blob through the ECR layer APIs moto implements; returns its digest."""
    upload_id = ecr.initiate_layer_upload(repositoryName=repository)["uploadId"]
    ecr.upload_layer_part(
        repositoryName=repository,
        uploadId=upload_id,
        partFirstByte=0,
        partLastByte=len(data) - 1,
        layerPartBlob=data,
    )
    digest: str = ecr.complete_layer_upload(
        repositoryName=repository, uploadId=upload_id, layerDigests=[sha256_digest(data)]
    )["layerDigest"]
    return digest


def load_event(name: str, **detail_overrides: Any) -> dict[str, Any]:
    """An event fixture from tests/fixtures/events, with optional `detail` overrides."""
    event: dict[str, Any] = json.loads((EVENTS_DIR / name).read_text())
    event["detail"].update(detail_overrides)
    return event


def event_for_version(version: int) -> dict[str, Any]:
    """The approved-event fixture moved to another source version (ARN, resources, detail)."""
    event = load_event("sagemaker_model_package_approved.json")
    arn = event["detail"]["ModelPackageArn"].rsplit("/", 1)[0] + f"/{version}"
    event["id"] = str(uuid.uuid4())
    event["resources"] = [arn]
    event["detail"].update(ModelPackageArn=arn, ModelPackageVersion=version)
    return event


# -- API call recording ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Call:
    label: str
    service: str
    operation: str
    params: dict[str, Any]

    @property
    def is_write(self) -> bool:
        return not self.operation.startswith(READ_PREFIXES) and self.operation != "AssumeRole"


class CallRecorder:
    """Records every API call made through the sessions/clients it is attached to.

    Hooks `provide-client-params`, i.e. the parameters as the caller passed them, before
    serialisation and before moto answers.
    """

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._lock = threading.Lock()
        self._attached: list[tuple[Any, str]] = []

    def attach(self, emitter: Any, label: str) -> None:
        unique_id = f"call-recorder-{id(self)}-{label}-{len(self._attached)}"
        emitter.register(
            "provide-client-params", functools.partial(self._record, label), unique_id=unique_id
        )
        self._attached.append((emitter, unique_id))

    def detach_all(self) -> None:
        for emitter, unique_id in self._attached:
            emitter.unregister("provide-client-params", unique_id=unique_id)
        self._attached.clear()

    def _record(self, label: str, params: dict[str, Any], model: Any, **_: Any) -> None:
        call = Call(label, model.service_model.service_name, model.name, dict(params))
        with self._lock:
            self.calls.append(call)

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()

    def of(self, service: str, operation: str, label: str | None = None) -> list[Call]:
        return [
            c
            for c in self.calls
            if c.service == service and c.operation == operation and label in (None, c.label)
        ]

    def writes(self, *, exclude_services: tuple[str, ...] = ()) -> list[Call]:
        return [c for c in self.calls if c.is_write and c.service not in exclude_services]


# -- local HTTPS server standing in for ECR's presigned layer URLs ------------------------------


def _self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(IPv4Address("127.0.0.1"))]), False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "layer-server.pem", directory / "layer-server.key"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


class LayerServer:
    """Serves registered blobs at https://127.0.0.1:<port>/layers/<digest>."""

    def __init__(self, directory: Path) -> None:
        self.cert_file, key_file = _self_signed_certificate(directory)
        self.blobs: dict[str, bytes] = {}
        self.downloads: Counter[str] = Counter()
        self.failing: set[str] = set()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                digest = self.path.rsplit("/", 1)[-1]
                if digest in server.failing or digest not in server.blobs:
                    self.send_error(404, "layer unavailable")
                    return
                server.downloads[digest] += 1
                blob = server.blobs[digest]
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(blob)))
                self.end_headers()
                for start in range(0, len(blob), 256 * 1024):
                    self.wfile.write(blob[start : start + 256 * 1024])

            def log_message(self, format: str, *args: Any) -> None:
                pass

        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert_file, key_file)
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.socket = context.wrap_socket(self._httpd.socket, server_side=True)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    def url_for(self, digest: str) -> str:
        return f"https://127.0.0.1:{self.port}/layers/{digest}"

    def http(self) -> urllib3.PoolManager:
        """A pool that trusts only this server's certificate (what the test hands the logic)."""
        return urllib3.PoolManager(ca_certs=str(self.cert_file), cert_reqs="CERT_REQUIRED")

    def reset(self) -> None:
        self.blobs.clear()
        self.downloads.clear()
        self.failing.clear()

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def install_download_url_hook(emitter: Any, server: LayerServer) -> None:
    """Answer ECR GetDownloadUrlForLayer (not implemented by moto) with the local server's URL.

    A `before-call` handler that returns a response short-circuits only that operation; every
    other ECR call on the same client still goes to moto.
    """

    def answer(params: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        digest = json.loads(params["body"])["layerDigest"]
        if digest not in server.blobs:
            raise ClientError(
                {"Error": {"Code": "LayersNotFoundException", "Message": digest}},
                "GetDownloadUrlForLayer",
            )
        return AWSResponse(server.url_for(digest), 200, {}, None), {
            "downloadUrl": server.url_for(digest),
            "layerDigest": digest,
        }

    emitter.register("before-call.ecr.GetDownloadUrlForLayer", answer)


# -- hub bucket access (moto evaluates no bucket or identity policy) ------------------------------

# S3 authorizes every request that creates or assembles an object as s3:PutObject on the
# destination key, and AbortMultipartUpload as its own action.
WRITE_ACTIONS = {
    "PutObject": "s3:PutObject",
    "CopyObject": "s3:PutObject",
    "CreateMultipartUpload": "s3:PutObject",
    "UploadPart": "s3:PutObject",
    "UploadPartCopy": "s3:PutObject",
    "CompleteMultipartUpload": "s3:PutObject",
    "AbortMultipartUpload": "s3:AbortMultipartUpload",
}
# Object reads by key; CopyObject/UploadPartCopy also read their CopySource.
READ_ACTIONS = {"HeadObject": "s3:GetObject", "GetObject": "s3:GetObject"}
COPY_ACTIONS = ("CopyObject", "UploadPartCopy")
# Resources relative to the bucket ARN, as the modules spell them:
# the hub bucket policy statement `AllowArtifactWritersOwnStagingPrefix` (central-model-registry,
# `artifact_writers`) and the promotion-source role's `WriteStagedCopiesToHub`
# (model-approval-forwarder) ...
SOURCE_WRITE_RESOURCE = "staging/${aws:PrincipalAccount}/*"
# ... and the promoter role's `ReadStagedArtifacts` / `WritePromotedArtifacts`
# (model-promotion-hub).
HUB_READ_RESOURCES = ("staging/*", "promoted/*")
HUB_WRITE_RESOURCE = "promoted/*"


def _copy_source(params: dict[str, Any]) -> tuple[str, str] | None:
    """(bucket, key) of a CopySource parameter in either of its accepted forms."""
    source = params.get("CopySource")
    if isinstance(source, dict):
        return str(source.get("Bucket", "")), str(source.get("Key", ""))
    if isinstance(source, str):
        bucket, _, key = source.lstrip("/").partition("/")
        return bucket, key.split("?versionId=")[0]
    return None


@dataclass
class HubBucketPolicy:
    """What each principal may do in the hub artifact bucket, enforced on its S3 client.

    * A dev account's promotion-source role (`install_source`): only `s3:PutObject` /
      `s3:AbortMultipartUpload`, only under `staging/<its own account id>/`; it has no read of
      the hub bucket (no statement allows one), so a CopySource in the hub bucket is denied too.
    * The promoter's own role (`install_hub`): object reads under `staging/` and `promoted/`,
      writes only under `promoted/`; listing the bucket is allowed (ListBucket).
    * Everyone (the bucket's Deny statements): SSE-KMS with the registry key's ARN only, when
      encryption headers are sent.
    Anything else is `AccessDenied`, as S3 would answer; `denied` records each refusal.
    """

    bucket: str
    kms_key_arn: str
    denied: list[tuple[str, str, str]] = field(default_factory=list)

    def install_source(self, session: boto3.Session, account: str) -> None:
        handler = functools.partial(self._check, f"source:{account}", self.source_allows, account)
        session.events.register("before-parameter-build.s3", handler)

    def install_hub(self, client: Any) -> None:
        handler = functools.partial(self._check, "hub", self.hub_allows, None)
        client.meta.events.register("before-parameter-build.s3", handler)

    def source_allows(
        self, account: str | None, operation: str, params: dict[str, Any]
    ) -> str | None:
        """None when the dev account's role may do this, else the reason for the denial."""
        copy_source = _copy_source(params)
        if copy_source is not None and copy_source[0] == self.bucket:
            return f"s3:GetObject on {copy_source[1]} is not granted to artifact writers"
        if params.get("Bucket") != self.bucket:
            return None  # not the hub bucket: the dev account's own policies apply
        if operation not in WRITE_ACTIONS:
            return f"{operation} is not granted to artifact writers"
        prefix = SOURCE_WRITE_RESOURCE.replace("${aws:PrincipalAccount}", str(account)).rstrip("*")
        key = str(params.get("Key", ""))
        if not key.startswith(prefix):
            return f"{WRITE_ACTIONS[operation]} on {key} is outside {prefix}"
        return self._encryption_denial(params)

    def hub_allows(self, _: str | None, operation: str, params: dict[str, Any]) -> str | None:
        """None when the promoter's role may do this, else the reason for the denial."""
        readable = tuple(r.rstrip("*") for r in HUB_READ_RESOURCES)
        copy_source = _copy_source(params)
        if (
            copy_source is not None
            and copy_source[0] == self.bucket
            and not copy_source[1].startswith(readable)
        ):
            return f"s3:GetObject on {copy_source[1]} is outside {HUB_READ_RESOURCES}"
        if params.get("Bucket") != self.bucket:
            return None
        key = str(params.get("Key", ""))
        if operation in WRITE_ACTIONS:
            if not key.startswith(HUB_WRITE_RESOURCE.rstrip("*")):
                return f"{WRITE_ACTIONS[operation]} on {key} is outside {HUB_WRITE_RESOURCE}"
            return self._encryption_denial(params)
        if operation in READ_ACTIONS:
            if not key.startswith(readable):
                return f"{READ_ACTIONS[operation]} on {key} is outside {HUB_READ_RESOURCES}"
            return None
        if operation in {"ListObjectsV2", "ListMultipartUploads"}:
            return None
        return f"{operation} is not granted to the promoter"

    def _encryption_denial(self, params: dict[str, Any]) -> str | None:
        encryption = params.get("ServerSideEncryption")
        if encryption is not None and encryption != "aws:kms":
            return f"encryption {encryption} is denied (DenyNonKmsEncryption)"
        key_id = params.get("SSEKMSKeyId")
        if key_id is not None and key_id != self.kms_key_arn:
            return f"KMS key {key_id} is denied (DenyOtherKmsKeys)"
        return None

    def _check(
        self,
        principal: str,
        allows: Callable[[str | None, str, dict[str, Any]], str | None],
        account: str | None,
        params: dict[str, Any],
        model: Any,
        **_: Any,
    ) -> None:
        reason = allows(account, model.name, params)
        if reason is not None:
            self.denied.append((principal, model.name, reason))
            raise ClientError(
                {"Error": {"Code": "AccessDenied", "Message": f"Access Denied ({reason})"}},
                model.name,
            )


# -- SageMaker group policy calls (not implemented by moto) ---------------------------------------


class GroupPolicyStore:
    """Stands in for Put/GetModelPackageGroupPolicy on the hub SageMaker client."""

    def __init__(self) -> None:
        self.policies: dict[str, str] = {}
        self.puts: list[tuple[str, str]] = []

    def install(self, sagemaker_client: Any) -> None:
        sagemaker_client.put_model_package_group_policy = self.put
        sagemaker_client.get_model_package_group_policy = self.get

    def put(self, *, ModelPackageGroupName: str, ResourcePolicy: str) -> dict[str, str]:
        json.loads(ResourcePolicy)  # the real API rejects malformed documents
        self.policies[ModelPackageGroupName] = ResourcePolicy
        self.puts.append((ModelPackageGroupName, ResourcePolicy))
        return {
            "ModelPackageGroupArn": f"arn:aws:sagemaker:{REGION}:{HUB}:model-package-group/"
            f"{ModelPackageGroupName}"
        }

    def get(self, *, ModelPackageGroupName: str) -> dict[str, str]:
        if ModelPackageGroupName not in self.policies:
            raise ClientError(
                {
                    "Error": {
                        "Code": "ResourceNotFound",
                        "Message": f"Model package group {ModelPackageGroupName} has no policy",
                    }
                },
                "GetModelPackageGroupPolicy",
            )
        return {"ResourcePolicy": self.policies[ModelPackageGroupName]}


# -- the world ------------------------------------------------------------------------------------


def assume(hub_session: boto3.Session, account: str, role: str) -> boto3.Session:
    credentials = hub_session.client("sts").assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/{role}", RoleSessionName="test-setup"
    )["Credentials"]
    return new_session(
        data_loader=LOADER,
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        region_name=REGION,
    )


def group_policy_template() -> str:
    """What the central-model-registry module renders into SSM (read-only for test/prod)."""
    resource = f"arn:aws:sagemaker:{REGION}:{HUB}:model-package/{{model_package_group_name}}/*"
    group = f"arn:aws:sagemaker:{REGION}:{HUB}:model-package-group/{{model_package_group_name}}"
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "DeployAccountsReadModelPackages",
                    "Effect": "Allow",
                    "Principal": {
                        "AWS": [f"arn:aws:iam::{TEST}:root", f"arn:aws:iam::{PROD}:root"]
                    },
                    "Action": [
                        "sagemaker:DescribeModelPackage",
                        "sagemaker:ListModelPackages",
                        "sagemaker:DescribeModelPackageGroup",
                        "sagemaker:CreateModel",
                    ],
                    "Resource": [resource, group],
                }
            ],
        }
    )


def blob(seed: int, size: int) -> bytes:
    """Deterministic pseudo-random bytes (generated in 16 MiB pieces: randbytes has a limit)."""
    generator = random.Random(seed)
    piece = 16 * MIB
    return b"".join(
        generator.randbytes(min(piece, size - start)) for start in range(0, size, piece)
    )


def sha256_digest(data: bytes) -> str:
    return f"sha256:{hashlib.sha256(data).hexdigest()}"


@dataclass
class DevImage:
    uri: str
    digest: str
    blob_digests: list[str]


@dataclass
class World:
    """Hub, dev, test and prod accounts seeded the way the platform's stacks leave them."""

    settings: Settings
    hub: boto3.Session
    dev: boto3.Session
    test: boto3.Session
    prod: boto3.Session
    layer_server: LayerServer | None = None
    images: dict[str, DevImage] = field(default_factory=dict)

    @classmethod
    def create(cls, layer_server: LayerServer | None = None) -> World:
        hub = new_session(data_loader=LOADER, region_name=REGION)
        world = cls(
            settings=load_settings(),
            hub=hub,
            dev=assume(hub, DEV, "test-admin"),
            test=assume(hub, TEST, "test-admin"),
            prod=assume(hub, PROD, "test-admin"),
            layer_server=layer_server,
        )
        world.seed_hub()
        world.seed_dev()
        return world

    # hub ---------------------------------------------------------------------------------------

    def seed_hub(self) -> None:
        s = self.settings
        hub_s3 = self.hub.client("s3")
        hub_s3.create_bucket(
            Bucket=s.hub_artifact_bucket,
            CreateBucketConfiguration={"LocationConstraint": REGION},
        )
        hub_s3.put_bucket_versioning(
            Bucket=s.hub_artifact_bucket, VersioningConfiguration={"Status": "Enabled"}
        )
        self.hub.client("ecr").create_repository(
            repositoryName=HUB_REPOSITORY, imageTagMutability="IMMUTABLE"
        )
        self.put_aws_owned_image(AWS_OWNED_IMAGE.rsplit(":", 1)[1], AWS_OWNED_MANIFEST)
        ssm = self.hub.client("ssm")
        # SecureString, as the model-promotion-hub module writes them.
        ssm.put_parameter(
            Name=s.source_accounts_parameter,
            Type="SecureString",
            Value=json.dumps({DEV: TEAM}),
        )
        ssm.put_parameter(
            Name=s.group_policy_template_parameter,
            Type="SecureString",
            Value=group_policy_template(),
        )
        self.hub.client("dynamodb").create_table(
            TableName=s.idempotency_table_name,
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )

    def put_aws_owned_image(self, tag: str, manifest: str) -> str:
        """Tag `manifest` in the AWS-owned repository as the hub sees it; returns its digest."""
        ecr = self.hub.client("ecr")
        with contextlib.suppress(ecr.exceptions.RepositoryAlreadyExistsException):
            ecr.create_repository(
                repositoryName=AWS_OWNED_REPOSITORY, registryId=AWS_OWNED_REGISTRY
            )
        put = ecr.put_image(
            registryId=AWS_OWNED_REGISTRY,
            repositoryName=AWS_OWNED_REPOSITORY,
            imageManifest=manifest,
            imageManifestMediaType="application/vnd.docker.distribution.manifest.v2+json",
            imageTag=tag,
            imageDigest=sha256_digest(manifest.encode()),
        )
        return str(put["image"]["imageId"]["imageDigest"])

    def idempotency_items(self) -> list[dict[str, Any]]:
        table = self.settings.idempotency_table_name
        return list(self.hub.client("dynamodb").scan(TableName=table)["Items"])

    def hub_objects(self) -> dict[str, dict[str, Any]]:
        s3 = self.hub.client("s3")
        pages = s3.get_paginator("list_objects_v2").paginate(
            Bucket=self.settings.hub_artifact_bucket
        )
        return {o["Key"]: o for page in pages for o in page.get("Contents", [])}

    def promoted_objects(self) -> dict[str, dict[str, Any]]:
        return {k: v for k, v in self.hub_objects().items() if k.startswith("promoted/")}

    def staged_objects(self) -> dict[str, dict[str, Any]]:
        return {k: v for k, v in self.hub_objects().items() if k.startswith("staging/")}

    def central_packages(self) -> list[dict[str, Any]]:
        sagemaker = self.hub.client("sagemaker")
        try:
            sagemaker.describe_model_package_group(ModelPackageGroupName=CENTRAL_GROUP)
        except ClientError:
            return []
        summaries = sagemaker.list_model_packages(ModelPackageGroupName=CENTRAL_GROUP)
        return [
            sagemaker.describe_model_package(ModelPackageName=s["ModelPackageArn"])
            for s in summaries["ModelPackageSummaryList"]
        ]

    # dev ---------------------------------------------------------------------------------------

    def seed_dev(self) -> None:
        self.dev.client("s3").create_bucket(
            Bucket=DEV_BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        self.dev.client("ecr").create_repository(repositoryName=DEV_REPOSITORY)
        self.dev.client("sagemaker").create_model_package_group(
            ModelPackageGroupName=SOURCE_GROUP,
            ModelPackageGroupDescription="Churn model trained by team A",
        )

    def put_dev_object(self, key: str, data: bytes) -> str:
        self.dev.client("s3").put_object(Bucket=DEV_BUCKET, Key=key, Body=data)
        return f"s3://{DEV_BUCKET}/{key}"

    def put_version_artifacts(self, version: int, model_size: int = 64 * 1024) -> dict[str, str]:
        base = f"{SOURCE_GROUP}/{version}"
        return {
            "model": self.put_dev_object(f"{base}/model.tar.gz", blob(version, model_size)),
            "metrics": self.put_dev_object(
                f"{base}/evaluation.json", json.dumps({"auc": 0.91}).encode()
            ),
            "constraints": self.put_dev_object(
                f"{base}/baselines/constraints.json", json.dumps({"features": []}).encode()
            ),
            "uncompressed": self._put_prefix(f"{base}/uncompressed/"),
        }

    def _put_prefix(self, prefix: str) -> str:
        self.put_dev_object(f"{prefix}config.json", b'{"layers": 4}')
        self.put_dev_object(f"{prefix}weights/part-0.bin", blob(10, 20_000))
        self.put_dev_object(f"{prefix}weights/part-1.bin", blob(11, 30_000))
        return f"s3://{DEV_BUCKET}/{prefix}"

    def put_dev_image(
        self, tag: str, layer_sizes: tuple[int, ...] = (11 * MIB, 300_000)
    ) -> DevImage:
        """Push an image into the dev repository through the ECR layer APIs moto implements."""
        ecr = self.dev.client("ecr")
        layers = [blob(100 + i + len(self.images) * 10, size) for i, size in enumerate(layer_sizes)]
        config = json.dumps(
            {
                "architecture": "arm64",
                "os": "linux",
                "rootfs": {"type": "layers", "diff_ids": [sha256_digest(x) for x in layers]},
            }
        ).encode()
        digests = []
        for data in [config, *layers]:
            digest = upload_layer(ecr, DEV_REPOSITORY, data)
            digests.append(digest)
            if self.layer_server is not None:
                self.layer_server.blobs[digest] = data
        manifest = json.dumps(
            {
                "schemaVersion": 2,
                "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                "config": {
                    "mediaType": "application/vnd.docker.container.image.v1+json",
                    "size": len(config),
                    "digest": digests[0],
                },
                "layers": [
                    {
                        "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                        "size": len(data),
                        "digest": digest,
                    }
                    for data, digest in zip(layers, digests[1:], strict=True)
                ],
            },
            indent=3,
        )
        image = ecr.put_image(repositoryName=DEV_REPOSITORY, imageManifest=manifest, imageTag=tag)
        uri = f"{DEV}.dkr.ecr.{REGION}.amazonaws.com/{DEV_REPOSITORY}:{tag}"
        dev_image = DevImage(uri, image["image"]["imageId"]["imageDigest"], digests)
        self.images[tag] = dev_image
        return dev_image

    def register_source_package(
        self,
        containers: list[dict[str, Any]],
        artifacts: dict[str, str],
        *,
        approve: bool = True,
        approver: str | None = LEAD_APPROVER,
    ) -> str:
        """Register (and by default approve, as `approver`) a package in the dev group."""
        sagemaker = self.dev.client("sagemaker")
        arn = sagemaker.create_model_package(
            ModelPackageGroupName=SOURCE_GROUP,
            ModelPackageDescription="XGBoost churn classifier",
            InferenceSpecification={
                "Containers": containers,
                "SupportedContentTypes": ["text/csv"],
                "SupportedResponseMIMETypes": ["text/csv"],
            },
            ModelMetrics={
                "ModelQuality": {
                    "Statistics": {"ContentType": "application/json", "S3Uri": artifacts["metrics"]}
                }
            },
            DriftCheckBaselines={
                "ModelDataQuality": {
                    "Constraints": {
                        "ContentType": "application/json",
                        "S3Uri": artifacts["constraints"],
                    }
                }
            },
            Domain="MACHINE_LEARNING",
            Task="CLASSIFICATION",
            CustomerMetadataProperties={"training-job": "churn-train-2025-11-20"},
            ModelApprovalStatus="PendingManualApproval",
        )["ModelPackageArn"]
        if approve:
            sagemaker.update_model_package(
                ModelPackageArn=arn,
                ModelApprovalStatus="Approved",
                ApprovalDescription="AUC above threshold",
                # moto's UpdateModelPackage drops properties it is not given (AWS keeps them).
                CustomerMetadataProperties={"training-job": "churn-train-2025-11-20"},
            )
            self.set_last_modified_by(str(arn), approver)
        return str(arn)

    def set_last_modified_by(
        self,
        arn: str,
        identity_arn: str | None,
        *,
        source_identity: str | None = None,
        account: str = DEV,
    ) -> None:
        """Make DescribeModelPackage name `identity_arn` as the principal of the package's last
        modification (None: a `LastModifiedBy` without an IAM identity, as moto writes it)."""
        from moto.sagemaker.models import sagemaker_backends

        backend = sagemaker_backends[account][REGION]
        package = backend.model_packages[backend.model_package_name_mapping.get(arn, arn)]
        if identity_arn is None:
            package.last_modified_by = {"UserProfileName": "fake-user-profile-name"}
            return
        role_session = identity_arn.rsplit("/", 1)[-1]
        identity = {"Arn": identity_arn, "PrincipalId": f"AROAEXAMPLEROLEID:{role_session}"}
        if source_identity is not None:
            identity["SourceIdentity"] = source_identity
        package.last_modified_by = {"IamIdentity": identity}

    def standard_package(
        self,
        version: int = 1,
        *,
        with_dev_image: bool = True,
        layer_sizes: tuple[int, ...] = (300_000, 40_000),
        approver: str | None = LEAD_APPROVER,
    ) -> dict[str, Any]:
        """Version `version` with a dev-account image + tarball and an AWS-owned image + prefix."""
        artifacts = self.put_version_artifacts(version)
        containers: list[dict[str, Any]] = []
        if with_dev_image:
            image = self.put_dev_image(f"v{version}", layer_sizes)
            containers.append({"Image": image.uri, "ModelDataUrl": artifacts["model"]})
        containers.append(
            {
                "Image": AWS_OWNED_IMAGE,
                "ModelDataSource": {
                    "S3DataSource": {
                        "S3Uri": artifacts["uncompressed"],
                        "S3DataType": "S3Prefix",
                        "CompressionType": "None",
                    }
                },
            }
        )
        arn = self.register_source_package(containers, artifacts, approver=approver)
        return {"arn": arn, "artifacts": artifacts, "containers": containers}


class TestSourceSessions:
    """The production assume-role provider, plus recording and the layer-URL hook."""

    __test__ = False  # not a pytest test class

    def __init__(
        self,
        hub: boto3.Session,
        recorder: CallRecorder,
        layer_server: LayerServer | None,
        before_return: Callable[[], None] | None = None,
        bucket_policy: HubBucketPolicy | None = None,
    ) -> None:
        self._inner = AssumeRoleSessionProvider(hub.client("sts"), data_loader=LOADER)
        self._recorder = recorder
        self._layer_server = layer_server
        self.bucket_policy = bucket_policy
        self.before_return = before_return
        self.on_session: Callable[[boto3.Session], None] | None = None
        self.role_arns: list[str] = []

    def __call__(self, request: PromotionRequest, role_arn: str) -> boto3.Session:
        self.role_arns.append(role_arn)
        session = self._inner(request, role_arn)
        self._recorder.attach(session.events, "dev")
        if self.bucket_policy is not None:
            self.bucket_policy.install_source(session, account=role_arn.split(":")[4])
        if self._layer_server is not None:
            install_download_url_hook(session.events, self._layer_server)
        if self.on_session is not None:
            self.on_session(session)
        if self.before_return is not None:
            self.before_return()
        return session


def make_runtime(
    world: World,
    recorder: CallRecorder,
    *,
    tuning: CopyTuning | None = None,
    policies: GroupPolicyStore | None = None,
) -> tuple[PromoterRuntime, TestSourceSessions, GroupPolicyStore]:
    """A runtime whose hub clients and source sessions are moto-backed and recorded."""
    hub = new_session(data_loader=LOADER, region_name=REGION)
    recorder.attach(hub.events, "hub")
    bucket_policy = HubBucketPolicy(
        bucket=world.settings.hub_artifact_bucket, kms_key_arn=world.settings.hub_kms_key_arn
    )
    sources = TestSourceSessions(hub, recorder, world.layer_server, bucket_policy=bucket_policy)
    runtime = PromoterRuntime(
        settings=world.settings,
        hub_session=hub,
        source_sessions=sources,
        tuning=tuning or CopyTuning(),
        layer_http=world.layer_server.http() if world.layer_server else urllib3.PoolManager(),
    )
    bucket_policy.install_hub(runtime.s3)
    store = policies or GroupPolicyStore()
    store.install(runtime.sagemaker)
    return runtime, sources, store


def clone_event(event: dict[str, Any], **changes: Any) -> dict[str, Any]:
    copied = deepcopy(event)
    copied.update(changes)
    return copied
