"""AWS plumbing: client configurations, source-account sessions and the runtime bundle.

Nothing here runs at import time; the handler builds one `PromoterRuntime` per execution
environment on first use, and tests build theirs from moto-backed sessions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import boto3
import botocore.loaders
import botocore.session
import urllib3
from botocore.config import Config

from model_promoter.errors import ConfigurationError
from model_promoter.settings import Settings

if TYPE_CHECKING:
    from model_promoter.models import PromotionRequest

# Control-plane calls: standard retry mode (exponential backoff with jitter, 10 attempts).
CONTROL_PLANE_CONFIG = Config(
    retries={"mode": "standard", "max_attempts": 10},
    connect_timeout=10,
    read_timeout=60,
)
# Copy loops: adaptive mode also rate-limits the client when S3/ECR throttle, which matters
# when a thread pool hammers one prefix. CopyObject/UploadPartCopy of a multi-GiB part can
# take minutes before S3 answers, hence the long read timeout.
DATA_PLANE_CONFIG = Config(
    retries={"mode": "adaptive", "max_attempts": 10},
    connect_timeout=10,
    read_timeout=900,
    max_pool_connections=32,
)

MIB = 1024 * 1024


@dataclass(frozen=True)
class CopyTuning:
    """Copy sizes and parallelism. Defaults suit Lambda with 1-2 GiB of memory.

    `multipart_threshold`/`min_part_size`: S3 requires parts of at least 5 MiB (except the last)
    and at most 10,000 parts, so the part size grows with the object (see `s3_copy.part_size_for`).
    Below `multipart_threshold` (256 MiB) an object is one CopyObject per stage: one call instead
    of two plus one per part, and a whole-object checksum both stages can compare; parallel parts
    pay off only once a single request's copy time matters (CopyObject stops at 5 GB).
    `layer_chunk_size` is a fallback for ECR's own `partSize` hint from InitiateLayerUpload;
    one chunk is the only layer data held in memory at a time.
    """

    multipart_threshold: int = 256 * MIB
    min_part_size: int = 16 * MIB
    object_concurrency: int = 4
    part_concurrency: int = 8
    layer_chunk_size: int = 10 * MIB
    max_attempts: int = 5

    def __post_init__(self) -> None:
        if self.min_part_size < 5 * MIB:
            raise ValueError("min_part_size must be at least 5 MiB (S3 multipart minimum)")
        if self.layer_chunk_size < 5 * MIB:
            raise ValueError("layer_chunk_size must be at least 5 MiB (ECR layer part minimum)")
        if self.multipart_threshold < self.min_part_size:
            raise ValueError("multipart_threshold must be >= min_part_size")


class SourceSessionProvider(Protocol):
    """Returns a boto3 session acting as the source account's promotion-source role."""

    def __call__(self, request: PromotionRequest, role_arn: str) -> boto3.Session: ...


def new_session(
    *, data_loader: Any | None = None, region_name: str | None = None, **credentials: str
) -> boto3.Session:
    """A boto3 session, optionally reusing an already-populated botocore data loader.

    Every new session otherwise re-reads and re-parses the service model JSON files (tens of
    milliseconds per service); a warm Lambda environment that assumes a role per promotion
    can keep them loaded.
    """
    core = botocore.session.get_session()
    if data_loader is not None:
        core.register_component("data_loader", data_loader)
    return boto3.Session(botocore_session=core, region_name=region_name, **credentials)


class AssumeRoleSessionProvider:
    """Assume the dev account's promotion-source role with the hub's STS client.

    The session name carries the source group and version so CloudTrail in the dev account
    shows which promotion read which objects.
    """

    def __init__(
        self, sts_client: Any, duration_seconds: int = 3600, data_loader: Any | None = None
    ) -> None:
        self._sts = sts_client
        self._duration = duration_seconds
        self._data_loader = data_loader

    def __call__(self, request: PromotionRequest, role_arn: str) -> boto3.Session:
        credentials = self._sts.assume_role(
            RoleArn=role_arn,
            RoleSessionName=session_name(request),
            DurationSeconds=self._duration,
        )["Credentials"]
        return new_session(
            data_loader=self._data_loader,
            aws_access_key_id=credentials["AccessKeyId"],
            aws_secret_access_key=credentials["SecretAccessKey"],
            aws_session_token=credentials["SessionToken"],
            region_name=request.source_region,
        )


def session_name(request: PromotionRequest) -> str:
    """`promote-v{version}-{group}`, cut to STS's 64-character limit (version kept whole)."""
    return f"promote-v{request.source_version}-{request.source_group}"[:64]


def default_layer_http() -> urllib3.PoolManager:
    """HTTPS pool for ECR layer downloads (presigned URLs), with bounded timeouts."""
    return urllib3.PoolManager(
        timeout=urllib3.Timeout(connect=10.0, read=120.0),
        retries=urllib3.Retry(total=3, backoff_factor=0.5, status_forcelist=(500, 502, 503, 504)),
        maxsize=8,
    )


@dataclass
class PromoterRuntime:
    """Hub clients, the source session provider and tuning: everything the logic needs."""

    settings: Settings
    hub_session: boto3.Session
    source_sessions: SourceSessionProvider
    tuning: CopyTuning = field(default_factory=CopyTuning)
    layer_http: urllib3.PoolManager = field(default_factory=default_layer_http)

    def __post_init__(self) -> None:
        session = self.hub_session
        self.s3 = session.client("s3", config=DATA_PLANE_CONFIG)
        self.ecr = session.client("ecr", config=DATA_PLANE_CONFIG)
        self.sagemaker = session.client("sagemaker", config=CONTROL_PLANE_CONFIG)
        self.ssm = session.client("ssm", config=CONTROL_PLANE_CONFIG)
        if not session.region_name:
            raise ConfigurationError("no AWS region configured for the hub session (AWS_REGION)")
        self.region: str = session.region_name

    @classmethod
    def from_environment(cls, settings: Settings) -> PromoterRuntime:
        """Production wiring: the function's own credentials for the hub, STS assume-role into
        the dev account for each promotion, one botocore data loader shared by both."""
        loader = botocore.loaders.create_loader()
        hub_session = new_session(data_loader=loader)
        sts = hub_session.client("sts", config=CONTROL_PLANE_CONFIG)
        return cls(
            settings=settings,
            hub_session=hub_session,
            source_sessions=AssumeRoleSessionProvider(sts, data_loader=loader),
        )
