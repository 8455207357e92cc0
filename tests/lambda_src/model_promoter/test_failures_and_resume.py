"""Failures before registration leave no central package; retries resume without recopying."""

from __future__ import annotations

import re

import pytest
from model_promoter.errors import ArtifactNotFoundError, ConfigurationError, ImageCopyError
from model_promoter.s3_copy import ArtifactRef, S3ArtifactCopier
from promoter_world import DEV, DEV_BUCKET, SOURCE_GROUP, load_event


def test_missing_artifact_fails_clearly_and_writes_nothing(world, handler, promoter, recorder):
    _, _, policies = promoter
    source = world.standard_package(1)
    missing = f"{SOURCE_GROUP}/1/evaluation.json"
    world.dev.client("s3").delete_object(Bucket=DEV_BUCKET, Key=missing)
    recorder.reset()

    with pytest.raises(ArtifactNotFoundError, match=f"s3://{DEV_BUCKET}/{missing}"):
        handler.invoke(load_event("sagemaker_model_package_approved.json"))

    # Every reference is resolved before the first copy: nothing reached the hub.
    assert world.hub_objects() == {}
    assert world.central_packages() == []
    assert policies.puts == []
    assert not [c for c in recorder.writes() if c.label in {"hub", "dev"}]
    # The idempotency record is released so Lambda's retry (or a DLQ redrive) can run again.
    assert world.idempotency_items() == []
    assert source["arn"]


def test_missing_artifact_then_fixed_is_promoted_on_retry(world, handler, recorder):
    world.standard_package(1)
    key = f"{SOURCE_GROUP}/1/baselines/constraints.json"
    body = world.dev.client("s3").get_object(Bucket=DEV_BUCKET, Key=key)["Body"].read()
    world.dev.client("s3").delete_object(Bucket=DEV_BUCKET, Key=key)
    event = load_event("sagemaker_model_package_approved.json")
    with pytest.raises(ArtifactNotFoundError):
        handler.invoke(event)

    world.put_dev_object(key, body)  # the data scientist restores the report
    result = handler.invoke(event)

    assert result["status"] == "promoted"
    assert len(world.central_packages()) == 1


def test_ecr_failure_midway_then_retry_resumes_without_recopying(
    world, handler, promoter, recorder
):
    _, _, policies = promoter
    world.standard_package(1)
    image = world.images["v1"]
    config_digest, first_layer, last_layer = image.blob_digests
    world.layer_server.failing.add(last_layer)  # the presigned download of one layer fails
    event = load_event("sagemaker_model_package_approved.json")

    with pytest.raises(ImageCopyError, match=last_layer):
        handler.invoke(event)

    assert world.central_packages() == []  # registration comes last
    assert policies.puts == []
    copied_keys = {k for k in world.hub_objects() if not k.endswith("lineage.json")}
    assert len(copied_keys) == 6  # S3 artifacts were copied before the images
    assert world.layer_server.downloads == {config_digest: 1, first_layer: 1}
    assert world.idempotency_items() == []

    world.layer_server.failing.clear()
    recorder.reset()
    result = handler.invoke(event)

    assert result["status"] == "promoted"
    assert result["artifacts_copied"] == 0 and result["artifacts_skipped"] == 6
    assert result["layers_uploaded"] == 1 and result["layers_skipped"] == 2
    # No S3 object was copied again (no CopyObject / UploadPartCopy at all) ...
    assert not recorder.of("s3", "CopyObject") and not recorder.of("s3", "UploadPartCopy")
    # ... and only the missing layer was downloaded and uploaded.
    assert world.layer_server.downloads == {config_digest: 1, first_layer: 1, last_layer: 1}
    assert len(recorder.of("ecr", "InitiateLayerUpload")) == 1
    assert len(recorder.of("ecr", "PutImage")) == 1
    assert len(world.central_packages()) == 1


def test_changed_source_object_is_copied_again_on_retry(world, runtime):
    """The resume check compares the source ETag recorded on the hub copy, not just the key."""
    copier = S3ArtifactCopier(
        source_s3=world.dev.client("s3"),
        hub_s3=runtime.s3,
        bucket=world.settings.hub_artifact_bucket,
        kms_key_arn=world.settings.hub_kms_key_arn,
        destination_prefix=f"promoted/{DEV}/{SOURCE_GROUP}/1",
        base_metadata={},
        tuning=runtime.tuning,
    )
    model_uri = world.put_dev_object(f"{SOURCE_GROUP}/1/model.tar.gz", b"first training run")

    [first] = copier.copy_all([ArtifactRef(model_uri)])
    [unchanged] = copier.copy_all([ArtifactRef(model_uri)])
    world.put_dev_object(f"{SOURCE_GROUP}/1/model.tar.gz", b"retrained, different bytes")
    [changed] = copier.copy_all([ArtifactRef(model_uri)])

    assert [c.objects[0].method for c in (first, unchanged, changed)] == [
        "copy",
        "already-present",
        "copy",
    ]
    assert changed.objects[0].source_etag != first.objects[0].source_etag


@pytest.mark.parametrize(
    ("parameter", "value", "message"),
    [
        ("group_policy_template_parameter", '{"Statement": []}', "{model_package_group_name}"),
        (
            "group_policy_template_parameter",
            '{"Statement": [{model_package_group_name}',
            "not valid JSON",
        ),
        ("source_accounts_parameter", '{"1234": {"team": "a"}}', "not a valid map"),
    ],
)
def test_broken_configuration_parameter_raises_before_any_copy(
    world, handler, recorder, parameter, value, message
):
    """Operator errors are raised (retried, then dead-lettered for a redrive), not rejected."""
    world.standard_package(1)
    world.hub.client("ssm").put_parameter(
        Name=getattr(world.settings, parameter), Value=value, Type="String", Overwrite=True
    )
    recorder.reset()

    with pytest.raises(ConfigurationError, match=re.escape(message)):
        handler.invoke(load_event("sagemaker_model_package_approved.json"))

    assert world.hub_objects() == {}
    assert not [c for c in recorder.writes() if c.label in {"hub", "dev"}]
    assert world.idempotency_items() == []
    failure = [line for line in handler.log_lines() if line["level"] == "ERROR"]
    assert failure and failure[0]["message"] == "promotion failed; the invocation will be retried"
