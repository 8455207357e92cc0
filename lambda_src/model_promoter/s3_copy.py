"""Server-side copy of model artifacts from a dev account's S3 into the hub artifact store.

No artifact byte passes through the function: small objects use CopyObject, large ones a
multipart upload whose parts are UploadPartCopy calls run in parallel (no 5 GB CopyObject limit;
the part size grows so an upload never needs more than 10,000 parts).

Credentials: the copy requests are signed by the dev account's promotion-source role, because a
server-side copy is one request and only that role can read the source objects (and decrypt them
with the dev account's KMS key). The hub bucket policy and the registry key policy therefore let
that role write `promoted/{its own account id}/...` with SSE-KMS, and nothing else. Reads of the
hub bucket (the resume check and the post-copy verification) use the hub's own credentials.

Every copied object records its source in user metadata (`promotion-source-etag`, `-version-id`,
`-size`), so a retried promotion skips objects already present with the same source ETag and size.
"""

from __future__ import annotations

import contextlib
import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from botocore.exceptions import ClientError

from model_promoter.aws import MIB, CopyTuning
from model_promoter.errors import (
    ArtifactNotFoundError,
    ArtifactVerificationError,
    PromotionError,
)
from model_promoter.retry import with_backoff

MAX_PARTS = 10_000
MAX_PART_SIZE = 5 * 1024 * MIB
MAX_KEY_BYTES = 1024
META_ETAG = "promotion-source-etag"
META_VERSION = "promotion-source-version-id"
META_SIZE = "promotion-source-size"
_CHECKSUM_ALGORITHMS = ("CRC64NVME", "CRC32", "CRC32C", "SHA256", "SHA1")
_CONTENT_HEADERS = ("ContentType", "ContentEncoding", "ContentDisposition", "ContentLanguage")

ArtifactKind = Literal["object", "prefix", "auto"]


@dataclass(frozen=True)
class S3Uri:
    """`s3://bucket/key` split into parts."""

    bucket: str
    key: str

    @classmethod
    def parse(cls, uri: str) -> S3Uri:
        if not uri.startswith("s3://"):
            raise ValueError(f"not an S3 URI: {uri}")
        bucket, _, key = uri[len("s3://") :].partition("/")
        if not bucket:
            raise ValueError(f"S3 URI without a bucket: {uri}")
        return cls(bucket, key)

    def __str__(self) -> str:
        return f"s3://{self.bucket}/{self.key}"


@dataclass(frozen=True)
class ArtifactRef:
    """An S3 URI referenced by the model package and how to interpret it."""

    uri: str
    kind: ArtifactKind = "auto"


@dataclass
class CopiedObject:
    """Lineage of one object: what was read, what was written, how it was checked."""

    source_uri: str
    source_etag: str
    source_size: int
    source_version_id: str | None
    source_checksum: str | None
    destination_uri: str
    destination_etag: str | None
    destination_version_id: str | None
    method: Literal["copy", "multipart", "already-present"]
    verification: str


@dataclass
class ArtifactCopy:
    """One referenced URI (object or prefix) and the objects copied for it."""

    source_uri: str
    destination_uri: str
    kind: Literal["object", "prefix"]
    objects: list[CopiedObject] = field(default_factory=list)

    def to_lineage(self) -> dict[str, Any]:
        return {
            "source_uri": self.source_uri,
            "destination_uri": self.destination_uri,
            "kind": self.kind,
            "objects": [asdict(obj) for obj in self.objects],
        }


@dataclass
class _SourceObject:
    bucket: str
    key: str
    head: dict[str, Any] | None = None


@dataclass
class _Resolved:
    ref: ArtifactRef
    kind: Literal["object", "prefix"]
    source_prefix: str
    objects: list[_SourceObject]


def part_size_for(size: int, min_part_size: int = 16 * MIB) -> int:
    """Smallest part size >= `min_part_size`, in whole MiB, that needs at most 10,000 parts."""
    needed = math.ceil(size / MAX_PARTS)
    part = max(min_part_size, math.ceil(needed / MIB) * MIB)
    if part > MAX_PART_SIZE:
        raise PromotionError(f"object of {size} bytes exceeds S3's 5 TiB object size limit")
    return part


def _strip_quotes(etag: str) -> str:
    return etag.strip('"')


def _is_not_found(error: ClientError) -> bool:
    code = error.response.get("Error", {}).get("Code", "")
    return code in {"404", "NoSuchKey", "NotFound"}


def _full_object_checksum(head: dict[str, Any]) -> tuple[str, str] | None:
    """(algorithm, value) when the source carries a whole-object checksum we can compare.

    Multipart sources carry composite checksums (`<value>-<parts>`) unless their ChecksumType
    is FULL_OBJECT; a single CopyObject produces a whole-object checksum, so composite ones
    cannot be compared and are only recorded.
    """
    for algorithm in _CHECKSUM_ALGORITHMS:
        value = head.get(f"Checksum{algorithm}")
        if not value:
            continue
        composite = head.get("ChecksumType") == "COMPOSITE" or "-" in value
        return None if composite else (algorithm, value)
    return None


def _any_checksum(head: dict[str, Any]) -> str | None:
    for algorithm in _CHECKSUM_ALGORITHMS:
        if head.get(f"Checksum{algorithm}"):
            return f"{algorithm}:{head[f'Checksum{algorithm}']}"
    return None


class S3ArtifactCopier:
    """Copies a set of artifact references into `s3://{bucket}/{destination_prefix}/...`.

    `source_s3` is a client of the dev account's promotion-source role (it signs reads of the
    source and the copy requests); `hub_s3` is the hub's own client (resume check, verification).
    """

    def __init__(
        self,
        *,
        source_s3: Any,
        hub_s3: Any,
        bucket: str,
        kms_key_arn: str,
        destination_prefix: str,
        base_metadata: dict[str, str],
        tuning: CopyTuning,
    ) -> None:
        self._src = source_s3
        self._hub = hub_s3
        self._bucket = bucket
        self._kms_key_arn = kms_key_arn
        self._prefix = destination_prefix.strip("/")
        self._base_metadata = base_metadata
        self._tuning = tuning

    # -- public -----------------------------------------------------------------------------

    def destination_for(self, source_uri: str) -> str:
        """Hub URI of a source URI: the source bucket and key appended to the version prefix."""
        source = S3Uri.parse(source_uri)
        return str(S3Uri(self._bucket, self._destination_key(source.bucket, source.key)))

    def copy_all(self, refs: list[ArtifactRef]) -> list[ArtifactCopy]:
        """Resolve every reference first (fail before copying anything if one is missing), then
        copy all objects in parallel, skipping those a previous attempt already copied."""
        resolved = [self._resolve(ref) for ref in refs]
        jobs: list[tuple[ArtifactCopy, _SourceObject]] = []
        copies: list[ArtifactCopy] = []
        for item in resolved:
            copy = ArtifactCopy(
                source_uri=item.ref.uri,
                destination_uri=self.destination_for(item.ref.uri),
                kind=item.kind,
            )
            copies.append(copy)
            jobs.extend((copy, obj) for obj in item.objects)

        with ThreadPoolExecutor(max_workers=self._tuning.object_concurrency) as pool:
            results = list(pool.map(lambda job: self._copy_object(job[1]), jobs))
        for (copy, _), result in zip(jobs, results, strict=True):
            copy.objects.append(result)
        return copies

    # -- resolution -------------------------------------------------------------------------

    def _resolve(self, ref: ArtifactRef) -> _Resolved:
        uri = S3Uri.parse(ref.uri)
        if ref.kind == "prefix" or (
            ref.kind == "auto" and (uri.key == "" or uri.key.endswith("/"))
        ):
            return self._resolve_prefix(ref, uri, uri.key)
        head = self._head_source(uri.bucket, uri.key)
        if head is not None:
            return _Resolved(ref, "object", uri.key, [_SourceObject(uri.bucket, uri.key, head)])
        if ref.kind == "auto":
            # ModelDataUrl (or any other reference) may name a "folder" without a trailing slash.
            return self._resolve_prefix(ref, uri, uri.key + "/")
        raise ArtifactNotFoundError(f"artifact {ref.uri} does not exist in the source account")

    def _resolve_prefix(self, ref: ArtifactRef, uri: S3Uri, prefix: str) -> _Resolved:
        objects: list[_SourceObject] = []
        try:
            paginator = self._src.get_paginator("list_objects_v2")
            for page in paginator.paginate(Bucket=uri.bucket, Prefix=prefix):
                objects.extend(
                    _SourceObject(uri.bucket, o["Key"]) for o in page.get("Contents", [])
                )
        except ClientError as error:
            raise ArtifactNotFoundError(
                f"cannot list artifact prefix {ref.uri}: {error}"
            ) from error
        if not objects:
            raise ArtifactNotFoundError(
                f"artifact {ref.uri} does not exist in the source account (no object, no prefix)"
            )
        return _Resolved(ref, "prefix", prefix, objects)

    def _head_source(self, bucket: str, key: str) -> dict[str, Any] | None:
        try:
            return with_backoff(
                lambda: self._src.head_object(Bucket=bucket, Key=key, ChecksumMode="ENABLED"),
                attempts=self._tuning.max_attempts,
            )
        except ClientError as error:
            if _is_not_found(error):
                return None
            raise ArtifactNotFoundError(f"cannot read s3://{bucket}/{key}: {error}") from error

    # -- copying ----------------------------------------------------------------------------

    def _destination_key(self, source_bucket: str, source_key: str) -> str:
        key = f"{self._prefix}/{source_bucket}/{source_key}"
        if len(key.encode()) > MAX_KEY_BYTES:
            raise PromotionError(
                f"destination key for s3://{source_bucket}/{source_key} is too long"
            )
        return key

    def _copy_object(self, source: _SourceObject) -> CopiedObject:
        head = source.head
        if head is None:
            head = self._head_source(source.bucket, source.key)
            if head is None:
                raise ArtifactNotFoundError(
                    f"artifact s3://{source.bucket}/{source.key} disappeared during promotion"
                )
        etag = _strip_quotes(head["ETag"])
        size = int(head["ContentLength"])
        version_id = head.get("VersionId")
        dest_key = self._destination_key(source.bucket, source.key)
        lineage: dict[str, Any] = {
            "source_uri": str(S3Uri(source.bucket, source.key)),
            "source_etag": etag,
            "source_size": size,
            "source_version_id": version_id,
            "source_checksum": _any_checksum(head),
            "destination_uri": str(S3Uri(self._bucket, dest_key)),
        }

        existing = self._head_destination(dest_key)
        if existing is not None and self._matches_source(existing, etag, size, version_id):
            return CopiedObject(
                **lineage,
                destination_etag=_strip_quotes(existing["ETag"]),
                destination_version_id=existing.get("VersionId"),
                method="already-present",
                verification="size+source-etag-metadata",
            )

        metadata = {
            **head.get("Metadata", {}),
            **self._base_metadata,
            META_ETAG: etag,
            META_SIZE: str(size),
        }
        if version_id:
            metadata[META_VERSION] = version_id
        copy_source: dict[str, str] = {"Bucket": source.bucket, "Key": source.key}
        if version_id:
            copy_source["VersionId"] = version_id
        common = {
            "Bucket": self._bucket,
            "Key": dest_key,
            "Metadata": metadata,
            "ServerSideEncryption": "aws:kms",
            "SSEKMSKeyId": self._kms_key_arn,
            "BucketKeyEnabled": True,
            **{name: head[name] for name in _CONTENT_HEADERS if head.get(name)},
        }

        checksum = _full_object_checksum(head)
        if size >= self._tuning.multipart_threshold:
            method: Literal["copy", "multipart"] = "multipart"
            self._multipart_copy(copy_source, head["ETag"], size, common)
            copied_checksum = None
        else:
            method = "copy"
            copied_checksum = self._single_copy(copy_source, head["ETag"], common, checksum)

        written = self._head_destination(dest_key)
        if written is None or int(written["ContentLength"]) != size:
            got = None if written is None else written["ContentLength"]
            raise ArtifactVerificationError(
                f"copy of {lineage['source_uri']} has size {got}, expected {size}"
            )
        verification = "size"
        if checksum is not None and copied_checksum is not None:
            if copied_checksum != checksum[1]:
                raise ArtifactVerificationError(
                    f"copy of {lineage['source_uri']} has {checksum[0]} {copied_checksum}, "
                    f"expected {checksum[1]}"
                )
            verification = f"size+{checksum[0]}"
        return CopiedObject(
            **lineage,
            destination_etag=_strip_quotes(written["ETag"]),
            destination_version_id=written.get("VersionId"),
            method=method,
            verification=verification,
        )

    def _single_copy(
        self,
        copy_source: dict[str, str],
        source_etag: str,
        common: dict[str, Any],
        checksum: tuple[str, str] | None,
    ) -> str | None:
        extra: dict[str, Any] = {}
        if checksum is not None:
            # Ask S3 to compute the same algorithm on the copy so the two can be compared.
            extra["ChecksumAlgorithm"] = checksum[0]
        response = with_backoff(
            lambda: self._src.copy_object(
                CopySource=copy_source,
                CopySourceIfMatch=source_etag,
                MetadataDirective="REPLACE",
                TaggingDirective="REPLACE",
                **common,
                **extra,
            ),
            attempts=self._tuning.max_attempts,
        )
        if checksum is None:
            return None
        result: dict[str, Any] = response.get("CopyObjectResult", {})
        value = result.get(f"Checksum{checksum[0]}")
        return str(value) if value else None

    def _multipart_copy(
        self, copy_source: dict[str, str], source_etag: str, size: int, common: dict[str, Any]
    ) -> None:
        part_size = part_size_for(size, self._tuning.min_part_size)
        ranges = [
            (number, start, min(start + part_size, size) - 1)
            for number, start in enumerate(range(0, size, part_size), start=1)
        ]
        upload_id = self._src.create_multipart_upload(**common)["UploadId"]
        bucket, key = common["Bucket"], common["Key"]

        def copy_part(part: tuple[int, int, int]) -> dict[str, Any]:
            number, first, last = part
            response = with_backoff(
                lambda: self._src.upload_part_copy(
                    Bucket=bucket,
                    Key=key,
                    UploadId=upload_id,
                    PartNumber=number,
                    CopySource=copy_source,
                    CopySourceIfMatch=source_etag,
                    CopySourceRange=f"bytes={first}-{last}",
                ),
                attempts=self._tuning.max_attempts,
            )
            return {"PartNumber": number, "ETag": response["CopyPartResult"]["ETag"]}

        try:
            with ThreadPoolExecutor(max_workers=self._tuning.part_concurrency) as pool:
                parts = list(pool.map(copy_part, ranges))
            with_backoff(
                lambda: self._src.complete_multipart_upload(
                    Bucket=bucket, Key=key, UploadId=upload_id, MultipartUpload={"Parts": parts}
                ),
                attempts=self._tuning.max_attempts,
            )
        except BaseException:
            # Leave no billable orphan parts behind; the retry starts a fresh upload.
            with contextlib.suppress(ClientError):
                self._src.abort_multipart_upload(Bucket=bucket, Key=key, UploadId=upload_id)
            raise

    def _head_destination(self, key: str) -> dict[str, Any] | None:
        try:
            return with_backoff(
                lambda: self._hub.head_object(Bucket=self._bucket, Key=key),
                attempts=self._tuning.max_attempts,
            )
        except ClientError as error:
            if _is_not_found(error):
                return None
            raise

    @staticmethod
    def _matches_source(
        existing: dict[str, Any], etag: str, size: int, version_id: str | None
    ) -> bool:
        metadata = existing.get("Metadata", {})
        return (
            metadata.get(META_ETAG) == etag
            and int(existing.get("ContentLength", -1)) == size
            and (version_id is None or metadata.get(META_VERSION) == version_id)
        )
