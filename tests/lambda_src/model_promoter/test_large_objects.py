"""Large artifacts are copied with parallel UploadPartCopy; part sizes respect S3's limits."""

from __future__ import annotations

import math

import pytest
from aws_lambda_powertools.utilities.parser import parse
from model_promoter.aws import MIB, CopyTuning
from model_promoter.s3_copy import MAX_PARTS, part_size_for
from promoter_world import (
    AWS_OWNED_IMAGE,
    DEV,
    DEV_BUCKET,
    SOURCE_GROUP,
    blob,
    load_event,
    make_runtime,
)

GIB = 1024 * MIB
TIB = 1024 * GIB


@pytest.mark.parametrize("size", [1, 5 * MIB, 64 * MIB, 5 * GIB + 1, 160 * GIB, 500 * GIB, 5 * TIB])
def test_part_size_never_needs_more_than_10000_parts(size):
    part = part_size_for(size, 16 * MIB)
    assert part >= 16 * MIB and part % MIB == 0
    assert part <= 5 * GIB
    assert math.ceil(size / part) <= MAX_PARTS


def test_part_size_grows_past_the_minimum_for_huge_objects():
    assert part_size_for(5 * TIB, 16 * MIB) == 525 * MIB  # ceil(5 TiB / 10,000) rounded up to MiB


def test_copy_tuning_refuses_parts_below_s3_minimum():
    with pytest.raises(ValueError, match="5 MiB"):
        CopyTuning(min_part_size=1 * MIB)


def test_large_model_is_copied_by_parallel_multipart_without_reading_it(world, recorder, handler):
    # `handler` imports the Powertools parent logger (with the promoter's environment) before
    # the logic below is imported, so the test also passes when run on its own.
    tuning = CopyTuning(multipart_threshold=5 * MIB, min_part_size=5 * MIB, part_concurrency=3)
    runtime, _, _ = make_runtime(world, recorder, tuning=tuning)
    size = 12 * MIB + 12_345
    artifacts = world.put_version_artifacts(1, model_size=size)
    world.register_source_package(
        [{"Image": AWS_OWNED_IMAGE, "ModelDataUrl": artifacts["model"]}], artifacts
    )
    key = f"{SOURCE_GROUP}/1/model.tar.gz"
    data = blob(1, size)  # what put_version_artifacts wrote for version 1
    from model_promoter.models import ModelPackageStateChangeEvent
    from model_promoter.promotion import promote, resolve_request

    request = resolve_request(
        parse(load_event("sagemaker_model_package_approved.json"), ModelPackageStateChangeEvent),
        runtime,
    )
    result = promote(request, runtime)

    assert result.status == "promoted"
    suffix = f"{DEV}/{SOURCE_GROUP}/1/model.tar.gz"  # promoted/<account>/<group>/<version>/<name>
    staged, destination = f"staging/{suffix}", f"promoted/{suffix}"
    expected_ranges = sorted(
        [
            f"bytes=0-{5 * MIB - 1}",
            f"bytes={5 * MIB}-{10 * MIB - 1}",
            f"bytes={10 * MIB}-{size - 1}",
        ]
    )
    bucket = world.settings.hub_artifact_bucket
    hub_s3 = world.hub.client("s3")
    staged_head = hub_s3.head_object(Bucket=bucket, Key=staged)
    # Both stages are multipart, with the same part layout; each is signed by its own role.
    for key_, label, source_bucket in ((staged, "dev", DEV_BUCKET), (destination, "hub", bucket)):
        parts = [c for c in recorder.of("s3", "UploadPartCopy") if c.params["Key"] == key_]
        assert sorted(c.params["CopySourceRange"] for c in parts) == expected_ranges
        assert {c.label for c in parts} == {label}
        assert {c.params["CopySource"]["Bucket"] for c in parts} == {source_bucket}
        assert all(c.params["CopySourceIfMatch"] for c in parts)
        assert not [c for c in recorder.of("s3", "CopyObject") if c.params["Key"] == key_]
        [create] = [
            c for c in recorder.of("s3", "CreateMultipartUpload") if c.params["Key"] == key_
        ]
        assert create.label == label
        assert create.params["ServerSideEncryption"] == "aws:kms"
        assert create.params["SSEKMSKeyId"] == world.settings.hub_kms_key_arn
    promote_parts = [c for c in recorder.of("s3", "UploadPartCopy") if c.label == "hub"]
    # the promote stage copies exactly the staged version that was verified
    assert {c.params["CopySource"]["Key"] for c in promote_parts} == {staged}
    assert {c.params["CopySource"]["VersionId"] for c in promote_parts} == {
        staged_head["VersionId"]
    }
    assert {c.params["CopySourceIfMatch"] for c in promote_parts} == {staged_head["ETag"]}
    assert len(recorder.of("s3", "CompleteMultipartUpload")) == 2
    assert not recorder.of("s3", "GetObject")  # no artifact byte went through the function

    head = hub_s3.head_object(Bucket=bucket, Key=destination)
    assert head["ContentLength"] == size
    source_etag = world.dev.client("s3").head_object(Bucket=DEV_BUCKET, Key=key)["ETag"]
    assert head["Metadata"]["promotion-source-etag"] == source_etag.strip('"')
    assert head["Metadata"]["promotion-source-size"] == str(size)
    assert head["Metadata"]["promotion-staged-version-id"] == staged_head["VersionId"]
    copied = hub_s3.get_object(Bucket=bucket, Key=destination)
    assert copied["Body"].read() == data
