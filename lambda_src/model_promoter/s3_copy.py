"""Two-stage server-side copy of model artifacts from a dev account's S3 into the hub store.

Keys: every object keeps its artifact name, its path below the deepest folder that holds all
the package's references (`artifact_names`): `model.tar.gz`, `evaluation.json`,
`baselines/constraints.json`, `uncompressed/config.json` for a package whose artifacts share
`s3://<dev bucket>/<group>/<version>/`. Distinct sources keep distinct names (they share that
folder), and no name is empty or starts with `_promotion/`, the promoter's own records.

Stage 1 (stage): the dev account's promotion-source role signs a server-side copy of each source
object into `staging/{source account}/{group}/{version}/{name}` of the hub artifact bucket. It must
be that role, because a server-side copy is one request and only that role can read the source
objects (and decrypt them with the dev account's KMS key). The hub bucket policy lets that role
write `staging/<its own account id>/` and nothing else; nothing ever reads staged objects except
the promoter.

Stage 2 (promote): the hub's own promoter role copies each staged object, server-side and within
the hub bucket, to `promoted/{source account}/{group}/{version}/{name}`, the only keys the
central model package references. No dev-account principal can write `promoted/`, so an object
there was written by the promoter after verification and cannot be replaced by a dev account
afterwards.

No artifact byte passes through the function in either stage: objects below the multipart
threshold (256 MiB by default) use one CopyObject each, larger ones a multipart upload whose
parts are UploadPartCopy calls run in parallel (no 5 GB CopyObject limit; the part size grows so
an upload never needs more than 10,000 parts).

Calls per object: one HeadObject of the source, the stage copy and one HeadObject of the staged
copy (its verification), the promote copy and one HeadObject of the promoted copy (its
verification). What earlier attempts left behind is found with one ListObjectsV2 of the
version's `promoted/` prefix and one of its `staging/` prefix (per 1,000 objects), and only a
listed object is read again (HeadObject) to decide whether it can be kept.

Verification: the staging prefix is writable by the dev account's role, so a staged object is
only promoted if it is the object this attempt's stage copy wrote (read back by the version id
the copy returned; without versioning, the key must still have the ETag the copy returned) and
has the source's size, recorded source ETag/version and, when the source carries one, the same
whole-object checksum. A staged copy left by an earlier attempt is re-used only when it carries
the source's SHA-256 or SHA-1; size, metadata and a CRC can be matched with other bytes, so it is
staged again otherwise. A mismatch refuses the promotion (`ArtifactVerificationError`). The
promote copy pins the staged object's version id and ETag (a dev role that rewrites its staging
key mid-promotion changes neither) and must reproduce the staged size and checksum. Every copy
records its source in user metadata (`promotion-source-etag`, `-version-id`, `-size`; promoted
copies also `promotion-staged-etag`): a retry skips objects the promote stage already wrote for
the same source (trustworthy, only the promoter writes `promoted/`).
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
# The promoter's own records below a version's promoted/ prefix (the lineage manifest); no
# artifact name may start with it.
RECORDS_FOLDER = "_promotion/"
META_ETAG = "promotion-source-etag"
META_VERSION = "promotion-source-version-id"
META_SIZE = "promotion-source-size"
META_STAGED_VERSION = "promotion-staged-version-id"
# Written only by the promote stage: marks a promoted object as the promoter's own copy of a
# verified staged object (the single-stage design let dev roles write promoted/ directly).
META_STAGED_ETAG = "promotion-staged-etag"
STAGING_ROOT = "staging"
PROMOTED_ROOT = "promoted"
# Strongest first: when an object carries several, the cryptographic one is compared.
_CHECKSUM_ALGORITHMS = ("SHA256", "SHA1", "CRC64NVME", "CRC32", "CRC32C")
# A writer can choose bytes that keep a CRC (and the size) unchanged, but not a SHA-1/SHA-256:
# only these let a staged copy that this attempt did not write itself be trusted.
_STRONG_CHECKSUM_ALGORITHMS = frozenset({"SHA256", "SHA1"})
# Asked of S3 on a single-request copy whose source has no whole-object checksum, so the next
# stage has one to compare. CRC32 needs no optional botocore dependency (CRC64NVME and CRC32C
# need awscrt, which the Lambda runtime's boto3 does not bundle).
_DEFAULT_CHECKSUM_ALGORITHM = "CRC32"
_CONTENT_HEADERS = ("ContentType", "ContentEncoding", "ContentDisposition", "ContentLanguage")

ArtifactKind = Literal["object", "prefix", "auto"]
CopyMethod = Literal["copy", "multipart"]


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
    """Lineage of one object: what was read, where it was staged, what was promoted, and how
    each step was checked.

    `stage_method`: `copy`/`multipart` (staged by this attempt), `already-staged` (a previous
    attempt's staged copy matched the source) or `not-needed` (already promoted).
    `method`: `copy`/`multipart` (promoted by this attempt) or `already-present`.
    """

    source_uri: str
    source_etag: str
    source_size: int
    source_version_id: str | None
    source_checksum: str | None
    staged_uri: str
    staged_etag: str | None
    staged_version_id: str | None
    stage_method: Literal["copy", "multipart", "already-staged", "not-needed"]
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


@dataclass(frozen=True)
class _Source:
    """What was read from one source object: the reference every later check compares with."""

    bucket: str
    key: str
    head: dict[str, Any]

    @property
    def etag(self) -> str:
        return _strip_quotes(self.head["ETag"])

    @property
    def quoted_etag(self) -> str:
        return str(self.head["ETag"])

    @property
    def size(self) -> int:
        return int(self.head["ContentLength"])

    @property
    def version_id(self) -> str | None:
        value = self.head.get("VersionId")
        return str(value) if value else None

    @property
    def uri(self) -> str:
        return str(S3Uri(self.bucket, self.key))


@dataclass(frozen=True)
class _Written:
    """What S3 answered for the object one copy request wrote."""

    version_id: str | None
    etag: str | None

    @classmethod
    def of(cls, version_id: Any, etag: Any) -> _Written:
        return cls(str(version_id) if version_id else None, str(etag) if etag else None)

    def pin(self, head: dict[str, Any]) -> str | None:
        """How `head` (read back by version id when there is one) is known to be this write:
        `copy-version`, `copy-etag`, or None when it is another object."""
        if self.version_id:
            return "copy-version" if head.get("VersionId") == self.version_id else None
        if self.etag and _strip_quotes(str(head.get("ETag", ""))) == _strip_quotes(self.etag):
            return "copy-etag"
        return None


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
    """(algorithm, value) when the object carries a whole-object checksum we can compare.

    Multipart objects carry composite checksums (`<value>-<parts>`) unless their ChecksumType
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


def _compare_checksums(expected: dict[str, Any], actual: dict[str, Any], what: str) -> str | None:
    """Name of the algorithm both heads carry a whole-object checksum for, once the values are
    equal; None when they share none (nothing to compare). A difference is an error."""
    wanted = _full_object_checksum(expected)
    if wanted is None:
        return None
    algorithm, value = wanted
    got = actual.get(f"Checksum{algorithm}")
    if not got or "-" in str(got) or actual.get("ChecksumType") == "COMPOSITE":
        return None
    if got != value:
        raise ArtifactVerificationError(f"{what} has {algorithm} {got}, expected {value}")
    return algorithm


def artifact_names(uris: list[str]) -> dict[str, str]:
    """Hub name of each referenced URI: its `bucket/key` path below the deepest folder shared by
    all of them (prefix references keep their trailing `/`).

    The mapping is injective (every path starts with the same folder, which is cut off), and the
    folder is moved up while a name would be empty (a prefix reference that is the shared folder
    itself) or start with `_promotion/`; at the top the names start with the source bucket's
    name, which cannot begin with `_`. The result depends only on the package's references, so
    every attempt of the same promotion computes the same keys.
    """
    paths = {uri: uri[len("s3://") :] for uri in uris}
    if not paths:
        return {}
    values = list(paths.values())
    shared = min(values)
    for other in (max(values),):  # the common prefix of the extremes is everyone's
        cut = 0
        while cut < min(len(shared), len(other)) and shared[cut] == other[cut]:
            cut += 1
        shared = shared[:cut]
    folder = shared[: shared.rfind("/") + 1]

    def bad(cut: str) -> bool:
        return any(
            not path[len(cut) :] or path[len(cut) :].startswith(RECORDS_FOLDER) for path in values
        )

    while folder and bad(folder):
        folder = folder[: folder.rstrip("/").rfind("/") + 1]
    return {uri: path[len(folder) :] for uri, path in paths.items()}


class S3ArtifactCopier:
    """Stages and promotes a set of artifact references in the hub artifact bucket.

    `source_s3` is a client of the dev account's promotion-source role: it reads the source and
    signs the stage copies into `{staging_prefix}/...`. `hub_s3` is the hub's own client: it
    reads staged and promoted objects (resume checks, verification) and signs the promote copies
    into `{destination_prefix}/...`. Both prefixes end in the same `{account}/{group}/{version}`
    and each object keeps its artifact name (`artifact_names`) below them.
    """

    def __init__(
        self,
        *,
        source_s3: Any,
        hub_s3: Any,
        bucket: str,
        kms_key_arn: str,
        staging_prefix: str,
        destination_prefix: str,
        base_metadata: dict[str, str],
        tuning: CopyTuning,
    ) -> None:
        self._src = source_s3
        self._hub = hub_s3
        self._bucket = bucket
        self._kms_key_arn = kms_key_arn
        self._staging_prefix = staging_prefix.strip("/")
        self._prefix = destination_prefix.strip("/")
        if self._staging_prefix == self._prefix:
            raise ValueError("staging_prefix and destination_prefix must differ")
        self._base_metadata = base_metadata
        self._tuning = tuning

    # -- public -----------------------------------------------------------------------------

    def destination_for(self, source_uri: str, refs: list[ArtifactRef] | None = None) -> str:
        """Promoted hub URI of a source URI (what the central package references), named within
        `refs` (the package's references; by default the URI alone)."""
        return str(S3Uri(self._bucket, self._key(self._prefix, self._name(source_uri, refs))))

    def staging_for(self, source_uri: str, refs: list[ArtifactRef] | None = None) -> str:
        """Staging hub URI of a source URI (written by the source role, read only here)."""
        return str(
            S3Uri(self._bucket, self._key(self._staging_prefix, self._name(source_uri, refs)))
        )

    @staticmethod
    def _name(source_uri: str, refs: list[ArtifactRef] | None) -> str:
        uris = [ref.uri for ref in refs] if refs else [source_uri]
        if source_uri not in uris:
            raise ValueError(f"{source_uri} is not one of the references")
        return artifact_names(uris)[source_uri]

    def copy_all(self, refs: list[ArtifactRef]) -> list[ArtifactCopy]:
        """Resolve every reference first (fail before copying anything if one is missing), then
        stage and promote all objects in parallel, skipping what a previous attempt finished."""
        resolved = [self._resolve(ref) for ref in refs]
        names = artifact_names([ref.uri for ref in refs])
        jobs: list[tuple[ArtifactCopy, _SourceObject, str]] = []
        copies: list[ArtifactCopy] = []
        for item in resolved:
            name = names[item.ref.uri]
            copy = ArtifactCopy(
                source_uri=item.ref.uri,
                destination_uri=str(S3Uri(self._bucket, self._key(self._prefix, name))),
                kind=item.kind,
            )
            copies.append(copy)
            for obj in item.objects:
                # An object under a prefix keeps its path below the prefix.
                relative = obj.key[len(item.source_prefix) :]
                object_name = f"{name.rstrip('/')}/{relative}" if item.kind == "prefix" else name
                jobs.append((copy, obj, object_name))
        # What earlier attempts left: one listing per prefix instead of a HeadObject per object.
        promoted = self._list_hub(self._prefix) if jobs else {}
        staged = self._list_hub(self._staging_prefix) if jobs else {}

        def run(job: tuple[ArtifactCopy, _SourceObject, str]) -> CopiedObject:
            return self._copy_object(
                job[1], job[2], promoted_listing=promoted, staged_listing=staged
            )

        with ThreadPoolExecutor(max_workers=self._tuning.object_concurrency) as pool:
            results = list(pool.map(run, jobs))
        for (copy, _, _), result in zip(jobs, results, strict=True):
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

    # -- one object: stage, then promote ----------------------------------------------------

    def _key(self, prefix: str, name: str) -> str:
        key = f"{prefix}/{name}"
        if len(key.encode()) > MAX_KEY_BYTES:
            raise PromotionError(f"hub key {key} is too long")
        return key

    def _copy_object(
        self,
        item: _SourceObject,
        name: str,
        *,
        promoted_listing: dict[str, dict[str, Any]],
        staged_listing: dict[str, dict[str, Any]],
    ) -> CopiedObject:
        head = item.head
        if head is None:
            head = self._head_source(item.bucket, item.key)
            if head is None:
                raise ArtifactNotFoundError(
                    f"artifact s3://{item.bucket}/{item.key} disappeared during promotion"
                )
        source = _Source(item.bucket, item.key, head)
        staged_key = self._key(self._staging_prefix, name)
        promoted_key = self._key(self._prefix, name)
        lineage: dict[str, Any] = {
            "source_uri": source.uri,
            "source_etag": source.etag,
            "source_size": source.size,
            "source_version_id": source.version_id,
            "source_checksum": _any_checksum(head),
            "staged_uri": str(S3Uri(self._bucket, staged_key)),
            "destination_uri": str(S3Uri(self._bucket, promoted_key)),
        }

        # Only the promoter writes promoted/, so recorded source metadata there can be trusted.
        listed = promoted_listing.get(promoted_key)
        existing = (
            self._head_hub(promoted_key)
            if listed is not None and int(listed.get("Size", -1)) == source.size
            else None
        )
        if (
            existing is not None
            and self._records_source(existing, source)
            and META_STAGED_ETAG in existing.get("Metadata", {})
        ):
            return CopiedObject(
                **lineage,
                staged_etag=None,
                staged_version_id=None,
                stage_method="not-needed",
                destination_etag=_strip_quotes(existing["ETag"]),
                destination_version_id=existing.get("VersionId"),
                method="already-present",
                verification="size+source-metadata",
            )

        staged, stage_method, stage_check = self._stage(
            source, staged_key, staged_key in staged_listing
        )
        written, method, promote_check = self._promote(source, staged, staged_key, promoted_key)
        return CopiedObject(
            **lineage,
            staged_etag=_strip_quotes(staged["ETag"]),
            staged_version_id=staged.get("VersionId"),
            stage_method=stage_method,
            destination_etag=_strip_quotes(written["ETag"]),
            destination_version_id=written.get("VersionId"),
            method=method,
            verification=f"staged {stage_check}; promoted {promote_check}",
        )

    def _stage(
        self, source: _Source, staged_key: str, listed: bool
    ) -> tuple[dict[str, Any], Literal["copy", "multipart", "already-staged"], str]:
        """Staged head, how it got there, and what was verified against the source (`listed`:
        the staging listing holds the key, so an earlier attempt's copy may be reusable).

        The staging prefix is writable by the dev account's role, so a staged object is trusted
        only if this attempt wrote it (the version, or without versioning the ETag, its own copy
        request returned) or if it carries the source's SHA-256/SHA-1: an earlier attempt's copy
        matching on size, recorded metadata or a CRC alone is copied again.
        """
        staged = self._head_hub(staged_key) if listed else None
        if staged is not None:
            problems, algorithm = self._compare_staged(staged, source)
            if not problems and algorithm in _STRONG_CHECKSUM_ALGORITHMS:
                return staged, "already-staged", f"size+source-metadata+{algorithm}"

        method, written = self._server_side_copy(
            client=self._src,
            copy_source=self._copy_source(source.bucket, source.key, source.version_id),
            if_match=source.quoted_etag,
            destination_key=staged_key,
            size=source.size,
            head=source.head,
            metadata=self._metadata(source),
        )
        # Read back exactly what our copy wrote, not whatever holds the key by now.
        staged = self._head_hub(staged_key, written.version_id)
        if staged is None:
            raise ArtifactVerificationError(f"staged copy of {source.uri} is missing")
        problems, algorithm = self._compare_staged(staged, source)
        pinned = written.pin(staged)
        if pinned is None:
            problems.append(
                f"staged object has ETag {staged.get('ETag')}, not {written.etag} of the copy "
                "just made (rewritten after the copy)"
            )
        if problems:
            raise ArtifactVerificationError(f"staged copy of {source.uri}: " + "; ".join(problems))
        check = f"{pinned}+size+source-metadata" + (f"+{algorithm}" if algorithm else "")
        return staged, method, check

    @staticmethod
    def _compare_staged(staged: dict[str, Any], source: _Source) -> tuple[list[str], str | None]:
        """(differences, checksum algorithm compared) between a staged object and the source:
        size, recorded source ETag/size/version, and the whole-object checksum when the source
        carries one (a staged copy without it cannot be shown to hold the same bytes)."""
        problems: list[str] = []
        if int(staged.get("ContentLength", -1)) != source.size:
            problems.append(f"size {staged.get('ContentLength')}, expected {source.size}")
        if not S3ArtifactCopier._records_source(staged, source):
            problems.append("recorded source ETag/size/version differ from the source")
        algorithm: str | None = None
        try:
            algorithm = _compare_checksums(source.head, staged, "staged copy")
        except ArtifactVerificationError as error:
            problems.append(str(error))
        return problems, algorithm

    def _promote(
        self, source: _Source, staged: dict[str, Any], staged_key: str, promoted_key: str
    ) -> tuple[dict[str, Any], CopyMethod, str]:
        """Hub-signed copy staging -> promoted of exactly the staged version just verified."""
        metadata = self._metadata(source)
        metadata[META_STAGED_ETAG] = _strip_quotes(staged["ETag"])
        staged_version = staged.get("VersionId")
        if staged_version:
            metadata[META_STAGED_VERSION] = str(staged_version)
        method, copied = self._server_side_copy(
            client=self._hub,
            copy_source=self._copy_source(self._bucket, staged_key, staged_version),
            if_match=str(staged["ETag"]),
            destination_key=promoted_key,
            size=source.size,
            head=staged,
            metadata=metadata,
        )
        written = self._head_hub(promoted_key, copied.version_id)
        what = f"promoted copy of {source.uri}"
        if written is None or int(written["ContentLength"]) != source.size:
            got = None if written is None else written["ContentLength"]
            raise ArtifactVerificationError(f"{what} has size {got}, expected {source.size}")
        algorithms = {
            algorithm
            for algorithm in (
                _compare_checksums(staged, written, what),
                _compare_checksums(source.head, written, what),
            )
            if algorithm
        }
        check = "size" + "".join(f"+{a}" for a in sorted(algorithms))
        return written, method, check

    # -- copy primitives (one client per stage) ---------------------------------------------

    @staticmethod
    def _copy_source(bucket: str, key: str, version_id: str | None) -> dict[str, str]:
        copy_source = {"Bucket": bucket, "Key": key}
        if version_id:
            copy_source["VersionId"] = str(version_id)
        return copy_source

    def _metadata(self, source: _Source) -> dict[str, str]:
        metadata = {
            **source.head.get("Metadata", {}),
            **self._base_metadata,
            META_ETAG: source.etag,
            META_SIZE: str(source.size),
        }
        if source.version_id:
            metadata[META_VERSION] = source.version_id
        return metadata

    def _server_side_copy(
        self,
        *,
        client: Any,
        copy_source: dict[str, str],
        if_match: str,
        destination_key: str,
        size: int,
        head: dict[str, Any],
        metadata: dict[str, str],
    ) -> tuple[CopyMethod, _Written]:
        """CopyObject or multipart UploadPartCopy, signed by `client`, SSE-KMS with the registry
        key; `head` is the copied object's head (content headers, checksum algorithm). Returns
        the version id and ETag S3 answered for the object this request wrote."""
        common = {
            "Bucket": self._bucket,
            "Key": destination_key,
            "Metadata": metadata,
            "ServerSideEncryption": "aws:kms",
            "SSEKMSKeyId": self._kms_key_arn,
            "BucketKeyEnabled": True,
            **{name: head[name] for name in _CONTENT_HEADERS if head.get(name)},
        }
        if size >= self._tuning.multipart_threshold:
            completed = self._multipart_copy(client, copy_source, if_match, size, common)
            return "multipart", _Written.of(completed.get("VersionId"), completed.get("ETag"))
        checksum = _full_object_checksum(head)
        # Ask S3 for the same algorithm as the copied object so the two can be compared.
        algorithm = checksum[0] if checksum is not None else _DEFAULT_CHECKSUM_ALGORITHM
        response = with_backoff(
            lambda: client.copy_object(
                CopySource=copy_source,
                CopySourceIfMatch=if_match,
                MetadataDirective="REPLACE",
                TaggingDirective="REPLACE",
                ChecksumAlgorithm=algorithm,
                **common,
            ),
            attempts=self._tuning.max_attempts,
        )
        result = response.get("CopyObjectResult") or {}
        return "copy", _Written.of(response.get("VersionId"), result.get("ETag"))

    def _multipart_copy(
        self,
        client: Any,
        copy_source: dict[str, str],
        if_match: str,
        size: int,
        common: dict[str, Any],
    ) -> dict[str, Any]:
        part_size = part_size_for(size, self._tuning.min_part_size)
        ranges = [
            (number, start, min(start + part_size, size) - 1)
            for number, start in enumerate(range(0, size, part_size), start=1)
        ]
        upload_id = client.create_multipart_upload(**common)["UploadId"]
        bucket, key = common["Bucket"], common["Key"]

        def copy_part(part: tuple[int, int, int]) -> dict[str, Any]:
            number, first, last = part
            response = with_backoff(
                lambda: client.upload_part_copy(
                    Bucket=bucket,
                    Key=key,
                    UploadId=upload_id,
                    PartNumber=number,
                    CopySource=copy_source,
                    CopySourceIfMatch=if_match,
                    CopySourceRange=f"bytes={first}-{last}",
                ),
                attempts=self._tuning.max_attempts,
            )
            return {"PartNumber": number, "ETag": response["CopyPartResult"]["ETag"]}

        try:
            with ThreadPoolExecutor(max_workers=self._tuning.part_concurrency) as pool:
                parts = list(pool.map(copy_part, ranges))
            completed: dict[str, Any] = with_backoff(
                lambda: client.complete_multipart_upload(
                    Bucket=bucket, Key=key, UploadId=upload_id, MultipartUpload={"Parts": parts}
                ),
                attempts=self._tuning.max_attempts,
            )
        except BaseException:
            # Leave no billable orphan parts behind; the retry starts a fresh upload.
            with contextlib.suppress(ClientError):
                client.abort_multipart_upload(Bucket=bucket, Key=key, UploadId=upload_id)
            raise
        return completed

    # -- hub reads (the promoter's own role) ------------------------------------------------

    def _list_hub(self, prefix: str) -> dict[str, dict[str, Any]]:
        """Current objects under `{prefix}/` by key (ListObjectsV2: key, size, ETag)."""
        found: dict[str, dict[str, Any]] = {}
        paginator = self._hub.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self._bucket, Prefix=f"{prefix}/"):
            for obj in page.get("Contents", []):
                found[str(obj["Key"])] = obj
        return found

    def _head_hub(self, key: str, version_id: str | None = None) -> dict[str, Any] | None:
        version = {"VersionId": version_id} if version_id else {}
        try:
            return with_backoff(
                lambda: self._hub.head_object(
                    Bucket=self._bucket, Key=key, ChecksumMode="ENABLED", **version
                ),
                attempts=self._tuning.max_attempts,
            )
        except ClientError as error:
            if _is_not_found(error):
                return None
            raise

    @staticmethod
    def _records_source(existing: dict[str, Any], source: _Source) -> bool:
        """The hub object's recorded source (user metadata) and size are this source's."""
        metadata = existing.get("Metadata", {})
        return (
            metadata.get(META_ETAG) == source.etag
            and metadata.get(META_SIZE) == str(source.size)
            and int(existing.get("ContentLength", -1)) == source.size
            and (source.version_id is None or metadata.get(META_VERSION) == source.version_id)
        )
