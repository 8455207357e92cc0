"""Failures before registration leave no central package; retries resume without recopying."""

from __future__ import annotations

import re
import threading

import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ClientError
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
    copied_keys = {k for k in world.promoted_objects() if not k.endswith("lineage.json")}
    assert len(copied_keys) == 6  # S3 artifacts were staged and promoted before the images
    assert len(world.staged_objects()) == 6
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


def _methods(copy):
    return (copy.objects[0].stage_method, copy.objects[0].method)


def test_changed_source_object_is_copied_again_on_retry(world, runtime):
    """The resume check compares the source ETag recorded on the hub copy, not just the key."""
    copier = _copier(world, runtime)
    model_uri = world.put_dev_object(f"{SOURCE_GROUP}/1/model.tar.gz", b"first training run")

    [first] = copier.copy_all([ArtifactRef(model_uri)])
    [unchanged] = copier.copy_all([ArtifactRef(model_uri)])
    world.put_dev_object(f"{SOURCE_GROUP}/1/model.tar.gz", b"retrained, different bytes")
    [changed] = copier.copy_all([ArtifactRef(model_uri)])

    assert [_methods(c) for c in (first, unchanged, changed)] == [
        ("copy", "copy"),
        ("not-needed", "already-present"),
        ("copy", "copy"),
    ]
    assert changed.objects[0].source_etag != first.objects[0].source_etag
    promoted = changed.objects[0].destination_uri.split("/", 3)[3]
    body = world.hub.client("s3").get_object(
        Bucket=world.settings.hub_artifact_bucket, Key=promoted
    )
    assert body["Body"].read() == b"retrained, different bytes"


def test_promoted_object_not_written_by_the_promote_stage_is_replaced(world, runtime):
    """An object under promoted/ that records the right source but was not written by the
    promote stage (as dev roles wrote them before the two-stage copy) is not trusted."""
    copier = _copier(world, runtime)
    model_uri = world.put_dev_object(f"{SOURCE_GROUP}/1/model.tar.gz", b"weights v1")
    source = world.dev.client("s3").head_object(
        Bucket=DEV_BUCKET, Key=f"{SOURCE_GROUP}/1/model.tar.gz"
    )
    promoted_key = copier.destination_for(model_uri).split("/", 3)[3]
    world.hub.client("s3").put_object(
        Bucket=world.settings.hub_artifact_bucket,
        Key=promoted_key,
        Body=b"weights v0",  # same size, other bytes, the source's recorded identity
        Metadata={
            "promotion-source-etag": source["ETag"].strip('"'),
            "promotion-source-size": str(source["ContentLength"]),
        },
    )

    [copied] = copier.copy_all([ArtifactRef(model_uri)])

    assert _methods(copied) == ("copy", "copy")
    body = world.hub.client("s3").get_object(
        Bucket=world.settings.hub_artifact_bucket, Key=promoted_key
    )
    assert body["Body"].read() == b"weights v1"
    assert body["Metadata"]["promotion-staged-etag"] == copied.objects[0].staged_etag


def _fail_once(operation_label: str):
    state = {"failed": False}

    def fail(params, **_):
        if state["failed"]:
            return None  # let moto answer
        state["failed"] = True
        error = {"Error": {"Code": "InvalidRequest", "Message": f"{operation_label} failed"}}
        return AWSResponse(params["url"], 400, {}, None), {
            **error,
            "ResponseMetadata": {"HTTPStatusCode": 400},
        }

    return fail


def test_failure_between_stages_resumes_from_a_staged_copy_with_the_source_sha256(
    world, runtime, recorder
):
    """The promote copy fails once: the retry promotes the staged copy, which carries the
    source's SHA-256 (a checksum nobody can match with other bytes), without re-staging."""
    copier = _copier(world, runtime)
    key = f"{SOURCE_GROUP}/1/model.tar.gz"
    world.dev.client("s3").put_object(
        Bucket=DEV_BUCKET, Key=key, Body=b"weights v1", ChecksumAlgorithm="SHA256"
    )
    model_uri = f"s3://{DEV_BUCKET}/{key}"
    runtime.s3.meta.events.register("before-call.s3.CopyObject", _fail_once("promote copy"))

    with pytest.raises(ClientError, match="promote copy failed"):
        copier.copy_all([ArtifactRef(model_uri)])
    assert len(world.staged_objects()) == 1 and world.promoted_objects() == {}

    recorder.reset()
    [retried] = copier.copy_all([ArtifactRef(model_uri)])

    assert _methods(retried) == ("already-staged", "copy")
    assert retried.objects[0].verification == (
        "staged size+source-metadata+SHA256; promoted size+SHA256"
    )
    assert len(recorder.of("s3", "CopyObject", "hub")) == 1
    assert len(world.promoted_objects()) == 1


def test_failure_between_stages_restages_when_the_source_has_only_a_crc(world, runtime, recorder):
    """Without a SHA-256/SHA-1 to compare, an earlier attempt's staged copy is not trusted: the
    retry stages again (one more server-side copy) before promoting."""
    copier = _copier(world, runtime)
    model_uri = world.put_dev_object(f"{SOURCE_GROUP}/1/model.tar.gz", b"weights v1")
    runtime.s3.meta.events.register("before-call.s3.CopyObject", _fail_once("promote copy"))

    with pytest.raises(ClientError, match="promote copy failed"):
        copier.copy_all([ArtifactRef(model_uri)])
    assert len(world.staged_objects()) == 1

    [retried] = copier.copy_all([ArtifactRef(model_uri)])

    assert _methods(retried) == ("copy", "copy")
    assert retried.objects[0].verification == (
        "staged copy-version+size+source-metadata+CRC32; promoted size+CRC32"
    )


@pytest.mark.parametrize(
    ("tamper", "why"),
    [
        # another object written over the staged key, without the recorded source metadata
        ({}, "metadata"),
        # same recorded source ETag/size, other bytes: the whole-object checksum differs
        ("forged-metadata", "checksum"),
    ],
)
def test_mismatched_staged_copy_is_staged_again(world, runtime, recorder, tamper, why):
    copier = _copier(world, runtime)
    data = b"weights v1"
    model_uri = world.put_dev_object(f"{SOURCE_GROUP}/1/model.tar.gz", data)
    [first] = copier.copy_all([ArtifactRef(model_uri)])
    staged_key = first.objects[0].staged_uri.split("/", 3)[3]
    promoted_key = first.objects[0].destination_uri.split("/", 3)[3]
    hub = world.hub.client("s3")
    bucket = world.settings.hub_artifact_bucket
    metadata = hub.head_object(Bucket=bucket, Key=staged_key)["Metadata"] if tamper else {}
    hub.put_object(Bucket=bucket, Key=staged_key, Body=b"weights v2", Metadata=metadata)
    hub.delete_object(Bucket=bucket, Key=promoted_key)  # force the promote stage to run again
    recorder.reset()

    [again] = copier.copy_all([ArtifactRef(model_uri)])

    assert _methods(again) == ("copy", "copy"), why
    assert hub.get_object(Bucket=bucket, Key=promoted_key)["Body"].read() == data


def test_staged_copy_rewritten_mid_promotion_is_not_what_gets_promoted(
    world, handler, promoter, recorder
):
    """A dev role that rewrites its staging key between verification and the promote copy
    changes nothing: the promote copy names the verified version id and ETag."""
    runtime, sources, _ = promoter
    world.standard_package(1, with_dev_image=False)
    sessions = []
    sources.on_session = sessions.append
    hub_bucket = world.settings.hub_artifact_bucket
    overwritten = []

    lock = threading.Lock()

    def rewrite_staged(params, **_):
        with lock:  # objects are promoted in parallel: only the first promote copy rewrites
            if overwritten:
                return
            staged_key = params["CopySource"]["Key"]
            sessions[0].client("s3").put_object(
                Bucket=hub_bucket,
                Key=staged_key,
                Body=b"not what was approved",
                ServerSideEncryption="aws:kms",
                SSEKMSKeyId=world.settings.hub_kms_key_arn,
            )
            overwritten.append(staged_key)

    runtime.s3.meta.events.register("provide-client-params.s3.CopyObject", rewrite_staged)

    result = handler.invoke(load_event("sagemaker_model_package_approved.json"))

    assert result["status"] == "promoted" and overwritten
    [staged_key] = overwritten
    hub = world.hub.client("s3")
    promoted_key = staged_key.replace("staging/", "promoted/", 1)
    # staging/<account>/<group>/<version>/<artifact name>; the names are the source keys below
    # the version's folder s3://<dev bucket>/<group>/<version>/
    source_key = f"{SOURCE_GROUP}/1/" + staged_key.split(f"staging/{DEV}/{SOURCE_GROUP}/1/", 1)[1]
    source = world.dev.client("s3").get_object(Bucket=DEV_BUCKET, Key=source_key)
    assert hub.get_object(Bucket=hub_bucket, Key=promoted_key)["Body"].read() == (
        source["Body"].read()
    )
    # the rewrite itself was allowed (the role may write its own staging prefix) ...
    assert hub.get_object(Bucket=hub_bucket, Key=staged_key)["Body"].read() == (
        b"not what was approved"
    )
    # ... and it is the only thing the source role could do: nothing was denied
    assert sources.bucket_policy is not None and sources.bucket_policy.denied == []


@pytest.mark.parametrize(
    ("parameter", "value", "message"),
    [
        ("group_policy_template_parameter", '{"Statement": []}', "{model_package_group_name}"),
        (
            "group_policy_template_parameter",
            '{"Statement": [{model_package_group_name}',
            "not valid JSON",
        ),
        ("source_accounts_parameter", '{"1234": "team-a"}', "not a valid source accounts map"),
        # The earlier shape (team and repository per account) is refused, naming the account.
        (
            "source_accounts_parameter",
            '{"111122223333": {"team": "team-a", "image_repository": "mlgov-promoted/team-a"}}',
            "account 111122223333: the value is an object",
        ),
    ],
)
def test_broken_configuration_parameter_raises_before_any_copy(
    world, handler, recorder, parameter, value, message
):
    """Operator errors are raised (retried, then dead-lettered for a redrive), not rejected."""
    world.standard_package(1)
    world.hub.client("ssm").put_parameter(
        Name=getattr(world.settings, parameter), Value=value, Type="SecureString", Overwrite=True
    )
    recorder.reset()

    with pytest.raises(ConfigurationError, match=re.escape(message)):
        handler.invoke(load_event("sagemaker_model_package_approved.json"))

    assert world.hub_objects() == {}
    assert not [c for c in recorder.writes() if c.label in {"hub", "dev"}]
    assert world.idempotency_items() == []
    failure = [line for line in handler.log_lines() if line["level"] == "ERROR"]
    assert failure and failure[0]["message"] == "promotion failed; the invocation will be retried"
