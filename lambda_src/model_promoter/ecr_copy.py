"""Copy container images from a dev account's ECR into the team's hub repository.

ECR has no server-side cross-account copy, so layers are streamed: for each blob the hub lacks
(BatchCheckLayerAvailability first), the presigned URL from GetDownloadUrlForLayer is read in
chunks of ECR's preferred part size and each chunk is sent with UploadLayerPart; one chunk is the
only layer data in memory. The sha256 of the streamed bytes must equal the layer digest before
CompleteLayerUpload. PutImage then stores the exact manifest bytes, so the image digest is
preserved and the central model package can reference the image by digest.

Source reads use the promotion-source role; writes use the hub's own credentials.

Images hosted elsewhere are not copied but must come from an allowed registry (the source
account's own, and `ALLOWED_IMAGE_REGISTRIES`: the hub and AWS's SageMaker image accounts by
default) and are pinned: an ECR image named by tag is resolved to its digest with the hub's
credentials (BatchGetImage, a manifest read), so the central package deploys exactly the image
that was reviewed even if the tag moves later. A non-ECR image must already name its digest.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

import boto3
import urllib3
from botocore.exceptions import ClientError

from model_promoter.aws import DATA_PLANE_CONFIG, CopyTuning
from model_promoter.errors import ImageCopyError, ImageNotAllowedError, ImageTagConflictError
from model_promoter.retry import TransientError, with_backoff

ECR_IMAGE_URI = re.compile(
    r"^(?P<registry>\d{12})\.dkr\.ecr(?:-fips)?\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(?:\.cn)?/"
    r"(?P<repository>[a-z0-9][a-z0-9._/-]*?)"
    r"(?::(?P<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?"
    r"(?:@(?P<digest>sha256:[a-f0-9]{64}))?$"
)
INDEX_MEDIA_TYPES = frozenset(
    {
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.index.v1+json",
    }
)
IMAGE_MEDIA_TYPES = frozenset(
    {
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
    }
)
# Windows base layers are not distributable and are pulled from their `urls`, not from ECR.
FOREIGN_LAYER_MEDIA_TYPES = frozenset(
    {
        "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
        "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
    }
)
_BATCH_CHECK_LIMIT = 100


@dataclass(frozen=True)
class ImageRef:
    """An ECR image URI split into its parts."""

    uri: str
    registry: str
    region: str
    repository: str
    tag: str | None
    digest: str | None

    @classmethod
    def parse(cls, uri: str) -> ImageRef | None:
        """None for anything that is not an ECR private registry URI."""
        match = ECR_IMAGE_URI.fullmatch(uri)
        if match is None:
            return None
        return cls(
            uri=uri,
            registry=match["registry"],
            region=match["region"],
            repository=match["repository"],
            tag=match["tag"],
            digest=match["digest"],
        )


@dataclass
class CopiedImage:
    """Lineage of one image reference."""

    source_uri: str
    source_digest: str | None
    destination_uri: str
    # copied/already-present: into the hub repository; referenced: already by digest;
    # pinned: a tag resolved to its digest, which the central package references
    status: Literal["copied", "already-present", "referenced", "pinned"]
    destination_tag: str | None = None
    layers_uploaded: int = 0
    layers_skipped: int = 0
    bytes_streamed: int = 0


def needs_copy(image: ImageRef | None, source_account: str) -> bool:
    """Only images hosted in the source account's own registry are copied.

    AWS-owned registries (SageMaker framework images), the hub's registry and any other
    registry are referenced as they are: the dev account does not own them, and test/prod can
    already pull them (or, for the hub, will be granted to).
    """
    return image is not None and image.registry == source_account


_DIGEST_SUFFIX = re.compile(r"@sha256:[a-f0-9]{64}$")
_DOCKER_HUB = "docker.io"


def registry_host(uri: str) -> str:
    """The registry host of an image URI (Docker's rule: a first path segment with a dot or a
    colon, or `localhost`, is a host; otherwise the image is on Docker Hub)."""
    first, _, rest = uri.partition("/")
    if rest and ("." in first or ":" in first or first == "localhost"):
        return first.lower()
    return _DOCKER_HUB


def check_image_allowed(
    uri: str, image: ImageRef | None, *, source_account: str, allowed: tuple[str, ...]
) -> None:
    """Refuse an image whose registry is neither the source account's nor in `allowed`
    (account ids match every region's ECR registry of that account, hosts match exactly),
    and a non-ECR image that does not name its digest (it cannot be resolved here)."""
    host = registry_host(uri)
    account = image.registry if image is not None else None
    if account != source_account and account not in allowed and host not in allowed:
        raise ImageNotAllowedError(
            f"image {uri} is hosted in registry {account or host}, which is not the source "
            f"account's and not in ALLOWED_IMAGE_REGISTRIES ({', '.join(allowed) or 'empty'})"
        )
    if image is None and not _DIGEST_SUFFIX.search(uri):
        raise ImageNotAllowedError(
            f"image {uri} is not in ECR and names no digest (expected <image>@sha256:<digest>, "
            "since only ECR tags can be resolved at promotion)",
            code="image-not-pinned",
        )


def pin_image(hub_session: boto3.Session, image: ImageRef) -> CopiedImage:
    """Reference an image not copied into the hub by its digest: `image` as it is when it
    names one, else its tag resolved with the hub's credentials in the image's region."""
    if image.digest:
        return CopiedImage(image.uri, image.digest, image.uri, "referenced")
    ecr = hub_session.client("ecr", region_name=image.region, config=DATA_PLANE_CONFIG)
    tag = image.tag or "latest"
    try:
        response = ecr.batch_get_image(
            registryId=image.registry,
            repositoryName=image.repository,
            imageIds=[{"imageTag": tag}],
            acceptedMediaTypes=sorted(INDEX_MEDIA_TYPES | IMAGE_MEDIA_TYPES),
        )
    except ClientError as error:
        raise ImageCopyError(
            f"cannot resolve {image.uri} to a digest (the promoter needs ecr:BatchGetImage on "
            f"registry {image.registry}): {error}"
        ) from error
    found = response.get("images") or []
    if not found:
        raise ImageCopyError(
            f"cannot resolve {image.uri} to a digest: {response.get('failures', [])}"
        )
    digest = str(found[0]["imageId"]["imageDigest"])
    base = image.uri.split("@", 1)[0]
    # Drop the tag: the digest alone names the image (ECR accepts repository@digest).
    repository_uri = base[: base.rindex(":")] if image.tag else base
    return CopiedImage(image.uri, digest, f"{repository_uri}@{digest}", "pinned")


class EcrImageCopier:
    """Copies images into one hub repository under one immutable tag."""

    def __init__(
        self,
        *,
        source_session: boto3.Session,
        hub_ecr: Any,
        hub_repository: str,
        tag: str,
        http: urllib3.PoolManager,
        tuning: CopyTuning,
    ) -> None:
        self._source_session = source_session
        self._source_clients: dict[str, Any] = {}
        self._hub = hub_ecr
        self._repository = hub_repository
        self._tag = tag
        self._http = http
        self._tuning = tuning
        self._repository_uri: str | None = None
        self._registry_id: str | None = None

    @property
    def hub_registry_id(self) -> str:
        self._describe_repository()
        assert self._registry_id is not None
        return self._registry_id

    def copy(self, image: ImageRef) -> CopiedImage:
        """Copy `image` (all platforms of an index) and tag it; returns the by-digest hub URI."""
        source = self._source_ecr(image.region)
        manifest, media_type, digest = self._get_manifest(source, image, image.digest, image.tag)
        destination = f"{self._describe_repository()}@{digest}"

        existing = self._tagged_digest()
        if existing is not None:
            if existing != digest:
                raise ImageTagConflictError(
                    f"hub tag {self._repository}:{self._tag} already points at {existing}, "
                    f"not at {digest} from {image.uri}; immutable tags cannot be moved"
                )
            return CopiedImage(image.uri, digest, destination, "already-present", self._tag)

        result = CopiedImage(image.uri, digest, destination, "copied", self._tag)
        if media_type in INDEX_MEDIA_TYPES:
            for child in json.loads(manifest).get("manifests", []):
                child_manifest, child_type, child_digest = self._get_manifest(
                    source, image, child["digest"], None
                )
                self._copy_blobs(source, image, child_manifest, result)
                self._put_manifest(child_manifest, child_type, child_digest, tag=None)
        elif media_type in IMAGE_MEDIA_TYPES:
            self._copy_blobs(source, image, manifest, result)
        else:
            raise ImageCopyError(f"unsupported manifest media type {media_type!r} for {image.uri}")
        self._put_manifest(manifest, media_type, digest, tag=self._tag)
        return result

    # -- manifests --------------------------------------------------------------------------

    def _source_ecr(self, region: str) -> Any:
        if region not in self._source_clients:
            self._source_clients[region] = self._source_session.client(
                "ecr", region_name=region, config=DATA_PLANE_CONFIG
            )
        return self._source_clients[region]

    def _describe_repository(self) -> str:
        if self._repository_uri is None:
            try:
                repo = self._hub.describe_repositories(repositoryNames=[self._repository])
            except ClientError as error:
                raise ImageCopyError(
                    f"hub ECR repository {self._repository} is not usable: {error}"
                ) from error
            self._repository_uri = repo["repositories"][0]["repositoryUri"]
            self._registry_id = repo["repositories"][0]["registryId"]
        return self._repository_uri

    def _get_manifest(
        self, source: Any, image: ImageRef, digest: str | None, tag: str | None
    ) -> tuple[str, str, str]:
        image_id = {"imageDigest": digest} if digest else {"imageTag": tag or "latest"}
        try:
            response = source.batch_get_image(
                registryId=image.registry,
                repositoryName=image.repository,
                imageIds=[image_id],
                acceptedMediaTypes=sorted(INDEX_MEDIA_TYPES | IMAGE_MEDIA_TYPES),
            )
        except ClientError as error:
            raise ImageCopyError(f"cannot read image {image.uri}: {error}") from error
        if not response.get("images"):
            failures = response.get("failures", [])
            raise ImageCopyError(f"image {image.uri} not found in the source registry: {failures}")
        found = response["images"][0]
        manifest: str = found["imageManifest"]
        media_type = found.get("imageManifestMediaType") or json.loads(manifest).get("mediaType")
        found_digest: str = found["imageId"]["imageDigest"]
        if digest and found_digest != digest:
            raise ImageCopyError(f"{image.uri} resolved to {found_digest}, expected {digest}")
        return manifest, str(media_type), found_digest

    def _tagged_digest(self) -> str | None:
        try:
            described = self._hub.describe_images(
                repositoryName=self._repository, imageIds=[{"imageTag": self._tag}]
            )
        except ClientError as error:
            if error.response["Error"]["Code"] == "ImageNotFoundException":
                return None
            raise
        details = described.get("imageDetails", [])
        return details[0]["imageDigest"] if details else None

    def _put_manifest(self, manifest: str, media_type: str, digest: str, tag: str | None) -> None:
        kwargs: dict[str, Any] = {
            "repositoryName": self._repository,
            "imageManifest": manifest,
            "imageManifestMediaType": media_type,
            "imageDigest": digest,
        }
        if tag:
            kwargs["imageTag"] = tag
        try:
            put = with_backoff(
                lambda: self._hub.put_image(**kwargs), attempts=self._tuning.max_attempts
            )
        except ClientError as error:
            code = error.response["Error"]["Code"]
            if code not in {"ImageAlreadyExistsException", "ImageTagAlreadyExistsException"}:
                raise ImageCopyError(
                    f"PutImage {self._repository}@{digest} failed: {error}"
                ) from error
            # A concurrent promotion (or an earlier attempt) got there first: fine if same digest.
            existing = self._tagged_digest() if tag else digest
            if existing != digest:
                raise ImageTagConflictError(
                    f"hub tag {self._repository}:{tag} points at {existing}, not {digest}"
                ) from error
            return
        stored = put["image"]["imageId"]["imageDigest"]
        if stored != digest:
            raise ImageCopyError(f"hub stored {stored} for manifest {digest}: digest not preserved")

    # -- layers -----------------------------------------------------------------------------

    def _copy_blobs(self, source: Any, image: ImageRef, manifest: str, result: CopiedImage) -> None:
        parsed = json.loads(manifest)
        blobs: dict[str, int] = {}
        config = parsed.get("config")
        if config:
            blobs[config["digest"]] = int(config.get("size", -1))
        for layer in parsed.get("layers", []):
            if layer.get("mediaType") in FOREIGN_LAYER_MEDIA_TYPES:
                continue
            blobs[layer["digest"]] = int(layer.get("size", -1))

        present = self._available(list(blobs))
        for digest, size in blobs.items():
            if digest in present:
                result.layers_skipped += 1
                continue
            result.bytes_streamed += with_backoff(
                functools.partial(self._copy_layer, source, image, digest, size),
                attempts=self._tuning.max_attempts,
            )
            result.layers_uploaded += 1

    def _available(self, digests: list[str]) -> set[str]:
        present: set[str] = set()
        for start in range(0, len(digests), _BATCH_CHECK_LIMIT):
            response = self._hub.batch_check_layer_availability(
                repositoryName=self._repository,
                layerDigests=digests[start : start + _BATCH_CHECK_LIMIT],
            )
            present.update(
                layer["layerDigest"]
                for layer in response.get("layers", [])
                if layer.get("layerAvailability") == "AVAILABLE"
            )
        return present

    def _copy_layer(self, source: Any, image: ImageRef, digest: str, size: int) -> int:
        """Stream one blob into the hub; returns the number of bytes streamed."""
        url = source.get_download_url_for_layer(
            registryId=image.registry, repositoryName=image.repository, layerDigest=digest
        )["downloadUrl"]
        if urlsplit(url).scheme != "https":
            raise ImageCopyError(f"refusing non-HTTPS layer download URL for {digest}")

        upload = self._hub.initiate_layer_upload(repositoryName=self._repository)
        upload_id = upload["uploadId"]
        chunk_size = int(upload.get("partSize") or self._tuning.layer_chunk_size)

        response = self._http.request("GET", url, preload_content=False, decode_content=False)
        try:
            if response.status >= 500:
                raise TransientError(f"layer {digest} download returned HTTP {response.status}")
            if response.status != 200:
                raise ImageCopyError(f"layer {digest} download returned HTTP {response.status}")
            hasher = hashlib.sha256()
            offset = 0
            while chunk := response.read(chunk_size):
                hasher.update(chunk)
                self._hub.upload_layer_part(
                    repositoryName=self._repository,
                    uploadId=upload_id,
                    partFirstByte=offset,
                    partLastByte=offset + len(chunk) - 1,
                    layerPartBlob=chunk,
                )
                offset += len(chunk)
        finally:
            response.release_conn()

        actual = f"sha256:{hasher.hexdigest()}"
        if (size >= 0 and offset != size) or actual != digest:
            # A truncated or corrupted download: retry the layer from scratch.
            raise TransientError(f"layer {digest} streamed {offset} bytes with digest {actual}")
        try:
            completed = self._hub.complete_layer_upload(
                repositoryName=self._repository, uploadId=upload_id, layerDigests=[digest]
            )
        except ClientError as error:
            if error.response["Error"]["Code"] == "LayerAlreadyExistsException":
                return offset
            raise
        if completed["layerDigest"] != digest:
            raise ImageCopyError(f"hub computed {completed['layerDigest']} for layer {digest}")
        return offset
