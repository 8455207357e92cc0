"""Copies are written by the dev account's promotion-source role, only under its own prefix.

The hub bucket policy (central-model-registry, `artifact_writers`) lets each dev account's
promotion-source role write `promoted/${aws:PrincipalAccount}/*` and nothing else; the role's
own policy (model-approval-forwarder) names the same prefix. moto evaluates neither, so every
source session here carries `HubWriterPolicy`, which answers AccessDenied outside that scope;
these tests prove the promoter stays inside it on every path (single copy, multipart, abort),
that the emulation really denies, and that the Lambda and both modules agree on the layout.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import hcl2
import pytest
from aws_lambda_powertools.utilities.parser import parse
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ClientError
from model_promoter.aws import MIB, CopyTuning
from model_promoter.models import ModelPackageStateChangeEvent
from model_promoter.s3_copy import ArtifactRef, S3ArtifactCopier
from promoter_world import (
    AWS_OWNED_IMAGE,
    DEV,
    SOURCE_GROUP,
    UNKNOWN,
    WRITE_ACTIONS,
    WRITER_RESOURCE,
    load_event,
    make_runtime,
)

REPO_ROOT = Path(__file__).resolve().parents[3]
OWN_PREFIX = f"promoted/{DEV}/{SOURCE_GROUP}/1/"
# Tests that call the logic directly still take the `handler` fixture: it imports the handler
# (the Powertools parent logger) with the promoter's environment set, before
# `model_promoter.promotion` (a child logger) is imported inside the test.


def _hub_calls(recorder: Any, bucket: str, label: str) -> list[Any]:
    return [
        c
        for c in recorder.calls
        if c.service == "s3" and c.label == label and c.params.get("Bucket") == bucket
    ]


def test_every_hub_write_is_signed_by_the_source_role_under_its_own_prefix(
    world, handler, promoter, recorder
):
    _, sources, _ = promoter
    world.standard_package(1)

    result = handler.invoke(load_event("sagemaker_model_package_approved.json"))

    assert result["status"] == "promoted"
    bucket = world.settings.hub_artifact_bucket
    dev_calls = _hub_calls(recorder, bucket, "dev")
    assert dev_calls, "the copies must be signed by the promotion-source role"
    assert {c.operation for c in dev_calls} <= set(WRITE_ACTIONS)  # no read of the hub bucket
    assert all(c.params["Key"].startswith(OWN_PREFIX) for c in dev_calls)
    assert sources.writer_policy is not None and sources.writer_policy.denied == []
    # The hub's own role writes only the lineage manifest, under the same version prefix.
    hub_writes = [c for c in _hub_calls(recorder, bucket, "hub") if c.is_write]
    assert [c.params["Key"] for c in hub_writes] == [f"{OWN_PREFIX}_promotion/lineage.json"]
    assert all(key.startswith(OWN_PREFIX) for key in world.hub_objects())


def test_multipart_copy_and_its_abort_stay_within_the_writer_policy(world, recorder, handler):
    """A part that fails aborts the upload; every multipart call is allowed by the policy."""
    from model_promoter.promotion import promote, resolve_request

    tuning = CopyTuning(
        multipart_threshold=5 * MIB, min_part_size=5 * MIB, part_concurrency=1, max_attempts=1
    )
    runtime, sources, _ = make_runtime(world, recorder, tuning=tuning)
    artifacts = world.put_version_artifacts(1, model_size=12 * MIB + 1)
    world.register_source_package(
        [{"Image": AWS_OWNED_IMAGE, "ModelDataUrl": artifacts["model"]}], artifacts
    )

    def fail_second_part(params: dict[str, Any], **_: Any) -> Any:
        if str(params["query_string"].get("partNumber")) != "2":
            return None  # let moto answer
        error = {"Error": {"Code": "InvalidRequest", "Message": "part copy failed"}}
        return AWSResponse(params["url"], 400, {}, None), {
            **error,
            "ResponseMetadata": {"HTTPStatusCode": 400},
        }

    sources.on_session = lambda session: session.events.register(
        "before-call.s3.UploadPartCopy", fail_second_part
    )
    request = resolve_request(
        parse(load_event("sagemaker_model_package_approved.json"), ModelPackageStateChangeEvent),
        runtime,
    )

    with pytest.raises(ClientError, match="part copy failed"):
        promote(request, runtime)

    bucket = world.settings.hub_artifact_bucket
    operations = [c.operation for c in _hub_calls(recorder, bucket, "dev")]
    assert "CreateMultipartUpload" in operations and "UploadPartCopy" in operations
    assert operations[-1] == "AbortMultipartUpload"
    assert all(c.params["Key"].startswith(OWN_PREFIX) for c in _hub_calls(recorder, bucket, "dev"))
    assert sources.writer_policy is not None and sources.writer_policy.denied == []
    # The abort was allowed, so no billable parts are left behind.
    uploads = world.hub.client("s3").list_multipart_uploads(Bucket=bucket)
    assert uploads.get("Uploads", []) == []
    assert world.central_packages() == []


@pytest.mark.parametrize(
    ("destination_prefix", "kms_key_arn", "reason"),
    [
        # the layout before this change: a team name cannot be matched by aws:PrincipalAccount
        (f"promoted/team-a/{SOURCE_GROUP}/1", None, "outside promoted/111122223333/"),
        (f"promoted/{UNKNOWN}/{SOURCE_GROUP}/1", None, "outside promoted/111122223333/"),
        (f"artifacts/{DEV}/{SOURCE_GROUP}/1", None, "outside promoted/111122223333/"),
        (
            f"promoted/{DEV}/{SOURCE_GROUP}/1",
            "arn:aws:kms:eu-west-1:123456789012:alias/mlgov-model-registry",
            "DenyOtherKmsKeys",
        ),
    ],
)
def test_writer_policy_denies_other_prefixes_and_keys(
    world, runtime, promoter, handler, destination_prefix, kms_key_arn, reason
):
    """The emulated bucket policy is not a no-op: anything outside its scope is AccessDenied."""
    from model_promoter.promotion import resolve_request

    _, sources, _ = promoter
    model_uri = world.put_dev_object(f"{SOURCE_GROUP}/1/model.tar.gz", b"weights")
    request = resolve_request(
        parse(load_event("sagemaker_model_package_approved.json"), ModelPackageStateChangeEvent),
        runtime,
    )
    session = sources(request, f"arn:aws:iam::{DEV}:role/mlgov-promotion-source")
    copier = S3ArtifactCopier(
        source_s3=session.client("s3"),
        hub_s3=runtime.s3,
        bucket=world.settings.hub_artifact_bucket,
        kms_key_arn=kms_key_arn or world.settings.hub_kms_key_arn,
        destination_prefix=destination_prefix,
        base_metadata={},
        tuning=runtime.tuning,
    )

    with pytest.raises(ClientError, match="AccessDenied") as raised:
        copier.copy_all([ArtifactRef(model_uri)])

    assert reason in str(raised.value)
    assert world.hub_objects() == {}


def test_lambda_prefix_matches_the_hub_bucket_policy_and_the_source_role_policy(
    world, runtime, handler
):
    """The three places that spell the layout agree: Lambda, bucket policy, role policy."""
    from model_promoter.promotion import promoted_prefix, resolve_request

    request = resolve_request(
        parse(load_event("sagemaker_model_package_approved.json"), ModelPackageStateChangeEvent),
        runtime,
    )
    account_scope = WRITER_RESOURCE.replace("${aws:PrincipalAccount}", request.source_account)
    assert f"{promoted_prefix(request)}/model.tar.gz".startswith(account_scope.rstrip("*"))

    registry = _locals(REPO_ROOT / "modules" / "central-model-registry" / "main.tf")
    bucket_resource = (
        registry["artifact_writer_object_arn"]
        .replace("${local.artifact_bucket_arn}/", "")
        .replace("${local.promoted_prefix}", registry["promoted_prefix"])
        .replace("$${", "${")  # HCL escape of a literal IAM policy variable
    )
    assert bucket_resource == WRITER_RESOURCE

    forwarder = _locals(REPO_ROOT / "modules" / "model-approval-forwarder" / "main.tf")
    role_resource = (
        forwarder["hub_promoted_prefix_arn"]
        .replace("${var.hub_artifact_bucket_arn}/", "")
        .replace("${local.account_id}", "${aws:PrincipalAccount}")
    )
    assert role_resource == WRITER_RESOURCE


def _locals(path: Path) -> dict[str, str]:
    with path.open() as handle:
        document = hcl2.load(handle)
    merged: dict[str, Any] = {}
    for block in document["locals"]:
        merged.update(block)
    return {k: v.strip('"') for k, v in merged.items() if isinstance(v, str)}
