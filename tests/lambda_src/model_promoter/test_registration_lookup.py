"""'Already promoted?' is answered from the version's lineage manifest, not by reading the group:
its cost does not depend on how many versions the central group holds, and the conditional
manifest write keeps interrupted and racing attempts from registering twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from aws_lambda_powertools.utilities.parser import parse
from botocore.exceptions import ClientError
from model_promoter.errors import PromotionInProgressError
from model_promoter.s3_copy import artifact_names
from promoter_world import (
    AWS_OWNED_IMAGE,
    CENTRAL_GROUP,
    DEV,
    HUB,
    REGION,
    SOURCE_GROUP,
    event_for_version,
    load_event,
)

LINEAGE_KEY = f"promoted/{DEV}/{SOURCE_GROUP}/1/_promotion/lineage.json"


def _request(runtime, event=None):
    from model_promoter.models import ModelPackageStateChangeEvent
    from model_promoter.promotion import resolve_request

    event = event or load_event("sagemaker_model_package_approved.json")
    return resolve_request(parse(event, ModelPackageStateChangeEvent), runtime)


def _fill_central_group(world, runtime, count):
    """`count` packages registered in the central group over the past days (its history),
    none promoted from the test's source."""
    from moto.sagemaker.models import sagemaker_backends

    sagemaker = world.hub.client("sagemaker")
    sagemaker.create_model_package_group(ModelPackageGroupName=CENTRAL_GROUP)
    for version in range(count):
        sagemaker.create_model_package(
            ModelPackageGroupName=CENTRAL_GROUP,
            ModelApprovalStatus="PendingManualApproval",
            InferenceSpecification={
                "Containers": [{"Image": AWS_OWNED_IMAGE}],
                "SupportedContentTypes": ["text/csv"],
                "SupportedResponseMIMETypes": ["text/csv"],
            },
            CustomerMetadataProperties={
                "promotion:source-model-package-arn": f"arn:aws:sagemaker:eu-west-1:{DEV}:"
                f"model-package/other/{version + 1}"
            },
        )
    backend = sagemaker_backends[HUB][REGION]
    for package in backend.model_packages.values():
        package.creation_time -= timedelta(days=1, minutes=len(backend.model_packages))


@pytest.mark.parametrize("versions", [0, 40])
def test_lookup_cost_does_not_depend_on_the_group_size(world, handler, recorder, versions):
    runtime = handler.module._runtime
    _fill_central_group(world, runtime, versions)
    world.standard_package(1, with_dev_image=False)
    recorder.reset()

    first = handler.invoke(load_event("sagemaker_model_package_approved.json"))

    assert first["status"] == "promoted"
    hub_sagemaker = [
        c.operation for c in recorder.calls if c.label == "hub" and c.service == "sagemaker"
    ]
    # no package of the group was read: the manifest's absence answered the question
    assert "ListModelPackages" not in hub_sagemaker
    assert "DescribeModelPackage" not in hub_sagemaker
    assert next(c.params["Key"] for c in recorder.of("s3", "HeadObject", "hub")) == LINEAGE_KEY

    # the idempotency record expired: the replay reads the manifest, then the packages created
    # after it was written (this one), never the versions registered before
    dynamodb = world.hub.client("dynamodb")
    for item in world.idempotency_items():
        dynamodb.delete_item(
            TableName=world.settings.idempotency_table_name, Key={"id": item["id"]}
        )
    recorder.reset()
    again = handler.invoke(load_event("sagemaker_model_package_approved.json"))

    assert again["status"] == "already-promoted"
    assert again["central_model_package_arn"] == first["central_model_package_arn"]
    assert len(recorder.of("sagemaker", "ListModelPackages")) == 1
    assert len(recorder.of("sagemaker", "DescribeModelPackage", "hub")) == 1
    assert not recorder.writes(exclude_services=("dynamodb",))


def test_failure_between_manifest_and_registration_is_taken_over_by_the_retry(
    world, runtime, monkeypatch
):
    """The manifest was written but no package registered: the retry overwrites the manifest it
    read (If-Match) and registers once."""
    from model_promoter.promotion import promote

    world.standard_package(1, with_dev_image=False)
    real = runtime.sagemaker.create_model_package

    def unavailable(**kwargs):
        raise ClientError({"Error": {"Code": "ServiceUnavailable", "Message": "later"}}, "Create")

    monkeypatch.setattr(runtime.sagemaker, "create_model_package", unavailable)
    with pytest.raises(ClientError, match="ServiceUnavailable"):
        promote(_request(runtime), runtime)
    assert LINEAGE_KEY in world.promoted_objects() and world.central_packages() == []

    monkeypatch.setattr(runtime.sagemaker, "create_model_package", real)
    result = promote(_request(runtime), runtime)

    assert result.status == "promoted"
    assert len(world.central_packages()) == 1
    assert promote(_request(runtime), runtime).status == "already-promoted"


def test_registration_after_a_lost_create_response_is_found_not_repeated(
    world, runtime, recorder, monkeypatch
):
    """CreateModelPackage succeeded but the function saw an error: the retry finds the package
    among those created after its manifest, and registers nothing."""
    from model_promoter.promotion import promote

    world.standard_package(1, with_dev_image=False)
    real = runtime.sagemaker.create_model_package

    def created_then_failed(**kwargs):
        real(**kwargs)
        raise ClientError({"Error": {"Code": "RequestTimeout", "Message": "lost"}}, "Create")

    monkeypatch.setattr(runtime.sagemaker, "create_model_package", created_then_failed)
    with pytest.raises(ClientError, match="RequestTimeout"):
        promote(_request(runtime), runtime)
    [package] = world.central_packages()
    monkeypatch.setattr(runtime.sagemaker, "create_model_package", real)
    recorder.reset()

    result = promote(_request(runtime), runtime)

    assert result.status == "already-promoted"
    assert result.central_model_package_arn == package["ModelPackageArn"]
    assert not recorder.of("sagemaker", "CreateModelPackage")
    assert len(world.central_packages()) == 1


def test_racing_attempt_that_loses_the_manifest_write_registers_nothing(world, runtime, recorder):
    """Two attempts passed the lookup; the other wrote the manifest first: this one's
    conditional write fails and it raises a retryable error before any registry write."""
    from model_promoter.promotion import promote

    world.standard_package(1, with_dev_image=False)
    bucket = world.settings.hub_artifact_bucket

    def other_attempt_writes_first(params, **_):
        if params.get("Key") == LINEAGE_KEY and params.get("IfNoneMatch"):
            world.hub.client("s3").put_object(
                Bucket=bucket,
                Key=LINEAGE_KEY,
                Body=b"{}",
                ServerSideEncryption="aws:kms",
                SSEKMSKeyId=world.settings.hub_kms_key_arn,
            )

    runtime.s3.meta.events.register(
        "provide-client-params.s3.PutObject", other_attempt_writes_first
    )
    with pytest.raises(PromotionInProgressError, match="another invocation"):
        promote(_request(runtime), runtime)

    assert not recorder.of("sagemaker", "CreateModelPackageGroup")
    assert not recorder.of("sagemaker", "CreateModelPackage")
    assert world.central_packages() == []


def test_in_progress_error_is_retried_not_rejected(world, handler, runtime, monkeypatch):
    import model_promoter.promotion as promotion

    world.standard_package(1, with_dev_image=False)

    def busy(*args, **kwargs):
        raise PromotionInProgressError("being registered by another invocation")

    monkeypatch.setattr(promotion, "write_manifest", busy)
    with pytest.raises(PromotionInProgressError):
        handler.invoke(load_event("sagemaker_model_package_approved.json"))
    assert world.idempotency_items() == []  # the retry is not served a stored failure


def test_other_versions_of_the_group_do_not_count_as_this_one(world, handler):
    world.standard_package(1, with_dev_image=False)
    world.standard_package(2, with_dev_image=False)
    first = handler.invoke(load_event("sagemaker_model_package_approved.json"))
    second = handler.invoke(event_for_version(2))
    assert (first["status"], second["status"]) == ("promoted", "promoted")
    assert first["central_model_package_arn"] != second["central_model_package_arn"]


def test_rejection_result_carries_its_code(world, handler):
    world.standard_package(1, approver=f"arn:aws:sts::{DEV}:assumed-role/someone-else/bob")
    result = handler.invoke(load_event("sagemaker_model_package_approved.json"))
    assert result["status"] == "rejected"
    assert result["code"] == "approver-not-allowed"
    assert world.hub_objects() == {}


@pytest.mark.parametrize(
    ("uris", "expected"),
    [
        # the usual layout: everything below one run folder
        (
            ["s3://b/g/1/model.tar.gz", "s3://b/g/1/evaluation.json", "s3://b/g/1/uncompressed/"],
            ["model.tar.gz", "evaluation.json", "uncompressed/"],
        ),
        # same file name in two folders: the folders stay in the names
        (
            ["s3://b/run/a/model.tar.gz", "s3://b/run/b/model.tar.gz"],
            ["a/model.tar.gz", "b/model.tar.gz"],
        ),
        # one object: its file name
        (["s3://b/deep/path/model.tar.gz"], ["model.tar.gz"]),
        # a prefix that is the shared folder itself: its own folder name is kept
        (["s3://b/g/1/", "s3://b/g/1/model.tar.gz"], ["1/", "1/model.tar.gz"]),
        # two buckets: the bucket names lead
        (["s3://b1/m.tar.gz", "s3://b2/m.tar.gz"], ["b1/m.tar.gz", "b2/m.tar.gz"]),
        # nothing may land in the promoter's own records folder
        (
            ["s3://b/x/_promotion/lineage.json", "s3://b/x/model.tar.gz"],
            ["x/_promotion/lineage.json", "x/model.tar.gz"],
        ),
    ],
)
def test_artifact_names_are_short_and_never_collide(uris, expected):
    names = artifact_names(uris)
    assert [names[u] for u in uris] == expected
    assert len(set(names.values())) == len(uris)


def test_manifest_written_before_the_lookup_existed_is_recognised(world, handler, recorder):
    """Earlier promotions wrote the manifest at the same key, without the source ARN metadata."""
    world.standard_package(1, with_dev_image=False)
    event = load_event("sagemaker_model_package_approved.json")
    first = handler.invoke(event)
    s3 = world.hub.client("s3")
    bucket = world.settings.hub_artifact_bucket
    body = s3.get_object(Bucket=bucket, Key=LINEAGE_KEY)["Body"].read()
    s3.put_object(Bucket=bucket, Key=LINEAGE_KEY, Body=body)  # no user metadata
    dynamodb = world.hub.client("dynamodb")
    for item in world.idempotency_items():
        dynamodb.delete_item(
            TableName=world.settings.idempotency_table_name, Key={"id": item["id"]}
        )
    recorder.reset()

    again = handler.invoke(event)

    assert again["status"] == "already-promoted"
    assert again["central_model_package_arn"] == first["central_model_package_arn"]
    assert not recorder.writes(exclude_services=("dynamodb",))
