"""Nothing staged is promoted unless it is shown to be the source's bytes.

The staging prefix is writable by the dev account's promotion-source role, so whatever a staged
key holds may have been written by someone else than this promotion. The forged objects below
keep everything a weaker check would look at: the source's size, the source ETag/size/version
recorded in the metadata, and even the source's CRC32 (CRCs are linear, so four chosen bytes
give any CRC32 wanted). Only the version this attempt's own copy wrote, or a SHA-256, tells them
apart.
"""

from __future__ import annotations

import base64
import json
import zlib

import pytest
from model_promoter.errors import ArtifactVerificationError
from model_promoter.s3_copy import ArtifactRef, S3ArtifactCopier
from promoter_world import DEV, SOURCE_GROUP, load_event

SOURCE_BYTES = b"weights approved by the lead: " + bytes(range(200))
STAGED_KEY = f"staging/{DEV}/{SOURCE_GROUP}/1/model.tar.gz"
PROMOTED_KEY = f"promoted/{DEV}/{SOURCE_GROUP}/1/model.tar.gz"


def with_crc32(data: bytes, crc: int) -> bytes:
    """`data` with its last four bytes changed so that its CRC32 is `crc`.

    For messages of one length, crc(a ^ b) = crc(a) ^ crc(b) ^ crc(zeros): the CRC of a change
    confined to the last 32 bits is a linear map of those bits, solved by Gaussian elimination
    over GF(2).
    """
    length = len(data)
    zeros = zlib.crc32(bytes(length))

    def effect(bit: int) -> int:
        delta = bytearray(length)
        delta[length - 4 + bit // 8] = 1 << (bit % 8)
        return zlib.crc32(bytes(delta)) ^ zeros

    # rows: (effect on the CRC, which of the 32 bits are flipped)
    rows = [(effect(bit), 1 << bit) for bit in range(32)]
    wanted = zlib.crc32(data) ^ crc
    solved: list[tuple[int, int]] = []
    for position in range(32):
        mask = 1 << position
        pivot = next((row for row in rows if row[0] & mask), None)
        if pivot is None:
            continue
        rows.remove(pivot)
        rows = [(e ^ pivot[0], f ^ pivot[1]) if e & mask else (e, f) for e, f in rows]
        solved = [(e ^ pivot[0], f ^ pivot[1]) if e & mask else (e, f) for e, f in solved]
        solved.append(pivot)
    flips = 0
    for effect_bits, flip_bits in solved:
        if wanted & (effect_bits & -effect_bits):
            flips ^= flip_bits
    forged = bytearray(data)
    for bit in range(32):
        if flips >> bit & 1:
            forged[length - 4 + bit // 8] ^= 1 << (bit % 8)
    assert zlib.crc32(bytes(forged)) == crc
    return bytes(forged)


def forgery_of(source: bytes) -> bytes:
    """Other bytes with the source's size and CRC32."""
    other = b"a model nobody approved!" + bytes(len(source) - 24)
    return with_crc32(other, zlib.crc32(source))


def _crc32_header(data: bytes) -> str:
    return base64.b64encode(zlib.crc32(data).to_bytes(4, "big")).decode()


def _copier(world, runtime, source_s3=None):
    return S3ArtifactCopier(
        source_s3=source_s3 or world.dev.client("s3"),
        hub_s3=runtime.s3,
        bucket=world.settings.hub_artifact_bucket,
        kms_key_arn=world.settings.hub_kms_key_arn,
        staging_prefix=f"staging/{DEV}/{SOURCE_GROUP}/1",
        destination_prefix=f"promoted/{DEV}/{SOURCE_GROUP}/1",
        base_metadata={},
        tuning=runtime.tuning,
    )


def _write_forgery(world, metadata):
    """What a dev role can do to its staging prefix: other bytes, the source's size, CRC32 and
    recorded source metadata."""
    forged = forgery_of(SOURCE_BYTES)
    assert forged != SOURCE_BYTES and len(forged) == len(SOURCE_BYTES)
    put = world.hub.client("s3").put_object(
        Bucket=world.settings.hub_artifact_bucket,
        Key=STAGED_KEY,
        Body=forged,
        Metadata=metadata,
        ChecksumAlgorithm="CRC32",
        ServerSideEncryption="aws:kms",
        SSEKMSKeyId=world.settings.hub_kms_key_arn,
    )
    assert put["ChecksumCRC32"] == _crc32_header(SOURCE_BYTES)
    return forged


def _promoted_bytes(world):
    s3 = world.hub.client("s3")
    body = s3.get_object(Bucket=world.settings.hub_artifact_bucket, Key=PROMOTED_KEY)["Body"]
    return body.read()


def test_the_forgery_matches_size_and_crc32():
    forged = forgery_of(SOURCE_BYTES)
    assert forged != SOURCE_BYTES
    assert (len(forged), zlib.crc32(forged)) == (len(SOURCE_BYTES), zlib.crc32(SOURCE_BYTES))


def test_forged_staged_copy_left_by_an_earlier_attempt_is_not_promoted(world, runtime):
    """An earlier attempt staged the object, then failed; meanwhile the staged key was replaced
    by other bytes with the same size, recorded metadata and CRC32. The retry stages again."""
    copier = _copier(world, runtime)
    model_uri = world.put_dev_object(f"{SOURCE_GROUP}/1/model.tar.gz", SOURCE_BYTES)
    [first] = copier.copy_all([ArtifactRef(model_uri)])
    hub = world.hub.client("s3")
    bucket = world.settings.hub_artifact_bucket
    metadata = hub.head_object(Bucket=bucket, Key=STAGED_KEY)["Metadata"]
    _write_forgery(world, metadata)
    hub.delete_object(Bucket=bucket, Key=PROMOTED_KEY)  # as if the promote stage never ran

    [again] = copier.copy_all([ArtifactRef(model_uri)])

    assert (again.objects[0].stage_method, again.objects[0].method) == ("copy", "copy")
    assert _promoted_bytes(world) == SOURCE_BYTES
    assert first.objects[0].source_etag == again.objects[0].source_etag


def test_forgery_written_right_after_the_stage_copy_is_not_promoted(world, runtime):
    """The staged key is rewritten between the stage copy and its read-back: the read-back and
    the promote copy use the version the stage copy returned, not the key's latest."""
    source_s3 = world.dev.client("s3")
    copier = _copier(world, runtime, source_s3)
    model_uri = world.put_dev_object(f"{SOURCE_GROUP}/1/model.tar.gz", SOURCE_BYTES)
    forged: list[bytes] = []

    def rewrite(http_response, parsed, **_):
        if not forged:
            metadata = dict(
                world.hub.client("s3").head_object(
                    Bucket=world.settings.hub_artifact_bucket, Key=STAGED_KEY
                )["Metadata"]
            )
            forged.append(_write_forgery(world, metadata))

    source_s3.meta.events.register("after-call.s3.CopyObject", rewrite)

    [copied] = copier.copy_all([ArtifactRef(model_uri)])

    assert forged, "the staged key was rewritten"
    assert copied.objects[0].verification.startswith("staged copy-version+")
    assert _promoted_bytes(world) == SOURCE_BYTES
    latest = (
        world.hub.client("s3")
        .get_object(Bucket=world.settings.hub_artifact_bucket, Key=STAGED_KEY)["Body"]
        .read()
    )
    assert latest == forged[0]  # the forgery is there, it just was not what got promoted


def test_without_versioning_a_rewritten_staged_key_refuses_the_copy(world, runtime):
    """An unversioned bucket cannot be read back by version: the ETag the copy returned must
    still be the key's, else the object is refused."""
    bucket = world.settings.hub_artifact_bucket
    world.hub.client("s3").put_bucket_versioning(
        Bucket=bucket, VersioningConfiguration={"Status": "Suspended"}
    )
    source_s3 = world.dev.client("s3")
    copier = _copier(world, runtime, source_s3)
    model_uri = world.put_dev_object(f"{SOURCE_GROUP}/1/model.tar.gz", SOURCE_BYTES)

    def rewrite(http_response, parsed, **_):
        parsed.pop("VersionId", None)  # as an unversioned bucket answers
        metadata = dict(
            world.hub.client("s3").head_object(Bucket=bucket, Key=STAGED_KEY)["Metadata"]
        )
        _write_forgery(world, metadata)

    source_s3.meta.events.register("after-call.s3.CopyObject", rewrite)

    with pytest.raises(ArtifactVerificationError) as refused:
        copier.copy_all([ArtifactRef(model_uri)])

    assert refused.value.code == "artifact-verification-failed"
    assert "rewritten after the copy" in refused.value.reason
    assert world.promoted_objects() == {}


def test_staged_bytes_that_differ_from_the_source_refuse_the_promotion(
    world, handler, promoter, recorder, capsys
):
    """S3 answers that the stage copy wrote a version that holds other bytes: the promotion is
    refused (not retried), counted under its reason, and nothing is registered."""
    _, sources, _ = promoter
    world.standard_package(1, with_dev_image=False)
    bucket = world.settings.hub_artifact_bucket

    staged_report = f"staging/{DEV}/{SOURCE_GROUP}/1/evaluation.json"

    def swap_version(http_response, parsed, **_):
        if not http_response.url.split("?", 1)[0].endswith("/" + staged_report):
            return
        hub = world.hub.client("s3")
        # another version of the key, which the response then names as the copy's
        other = hub.put_object(
            Bucket=bucket,
            Key=staged_report,
            Body=b'{"auc": 0.99, "forged": true}',
            Metadata=dict(hub.head_object(Bucket=bucket, Key=staged_report)["Metadata"]),
            ServerSideEncryption="aws:kms",
            SSEKMSKeyId=world.settings.hub_kms_key_arn,
        )
        parsed["VersionId"] = other["VersionId"]

    sources.on_session = lambda session: session.events.register(
        "after-call.s3.CopyObject", swap_version
    )
    capsys.readouterr()

    result = handler.invoke(load_event("sagemaker_model_package_approved.json"))

    assert result["status"] == "rejected"
    assert result["code"] == "artifact-verification-failed"
    assert "evaluation.json" in result["reason"] and "size" in result["reason"]
    assert world.central_packages() == []
    assert not [k for k in world.promoted_objects() if k.endswith("evaluation.json")]
    # refused inside the idempotency layer: its record is released for a later redrive
    assert world.idempotency_items() == []
    documents = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.startswith("{")]
    metrics = [d for d in documents if "_aws" in d]
    assert [(d["reason"], d["PromotionsRefused"]) for d in metrics] == [
        ("artifact-verification-failed", [1.0])
    ]
