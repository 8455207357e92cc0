"""Who writes where in the hub artifact bucket: dev roles stage, only the promoter promotes.

The hub bucket policy (central-model-registry, `artifact_writers`) lets each dev account's
promotion-source role write `staging/${aws:PrincipalAccount}/*` and nothing else, and denies any
write to `promoted/` from outside the hub account; the role's own policy
(model-approval-forwarder) names the same staging prefix; the promoter's role
(model-promotion-hub) reads `staging/*` and `promoted/*` and writes `promoted/*`. moto evaluates
none of these, so every source session and the promoter's hub client carry `HubBucketPolicy`,
which answers AccessDenied outside those scopes. These tests prove the promoter stays inside
them on every path (single copy, multipart, abort, both stages), that the emulation really
denies (a dev role writing `promoted/` above all), that the central package references only
`promoted/` keys, and that the Lambda and the three modules spell the same layout.
"""

from __future__ import annotations

import json
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
    DEV_BUCKET,
    HUB_READ_RESOURCES,
    HUB_WRITE_RESOURCE,
    SOURCE_GROUP,
    SOURCE_WRITE_RESOURCE,
    UNKNOWN,
    WRITE_ACTIONS,
    load_event,
    make_runtime,
)

REPO_ROOT = Path(__file__).resolve().parents[3]
MODULES = REPO_ROOT / "modules"
STAGING = f"staging/{DEV}/{SOURCE_GROUP}/1/"
PROMOTED = f"promoted/{DEV}/{SOURCE_GROUP}/1/"
SOURCE_ROLE_ARN = f"arn:aws:iam::{DEV}:role/mlgov-promotion-source"
# Tests that call the logic directly still take the `handler` fixture: it imports the handler
# (the Powertools parent logger) with the promoter's environment set, before
# `model_promoter.promotion` (a child logger) is imported inside the test.


def _hub_calls(recorder: Any, bucket: str, label: str) -> list[Any]:
    return [
        c
        for c in recorder.calls
        if c.service == "s3" and c.label == label and c.params.get("Bucket") == bucket
    ]


def _request(runtime: Any) -> Any:
    from model_promoter.promotion import resolve_request

    return resolve_request(
        parse(load_event("sagemaker_model_package_approved.json"), ModelPackageStateChangeEvent),
        runtime,
    )


def _s3_uris(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [uri for value in node.values() for uri in _s3_uris(value)]
    if isinstance(node, list):
        return [uri for value in node for uri in _s3_uris(value)]
    return [node] if isinstance(node, str) and node.startswith("s3://") else []


def test_source_role_writes_only_its_staging_prefix_and_the_hub_role_only_promoted(
    world, handler, promoter, recorder
):
    _, sources, _ = promoter
    world.standard_package(1)

    result = handler.invoke(load_event("sagemaker_model_package_approved.json"))

    assert result["status"] == "promoted"
    bucket = world.settings.hub_artifact_bucket
    dev_calls = _hub_calls(recorder, bucket, "dev")
    assert dev_calls, "stage 1 must be signed by the promotion-source role"
    assert {c.operation for c in dev_calls} <= set(WRITE_ACTIONS)  # no read of the hub bucket
    assert all(c.params["Key"].startswith(STAGING) for c in dev_calls)
    hub_writes = [c for c in _hub_calls(recorder, bucket, "hub") if c.is_write]
    # The hub's own role writes every promoted copy and the lineage manifest, nothing else ...
    assert {c.params["Key"] for c in hub_writes} == {
        key.replace("staging/", "promoted/", 1) for key in world.staged_objects()
    } | {f"{PROMOTED}_promotion/lineage.json"}
    # ... and copies only from staging/.
    assert all(
        c.params["CopySource"]["Key"].startswith(STAGING)
        for c in hub_writes
        if c.operation == "CopyObject"
    )
    assert sources.bucket_policy is not None and sources.bucket_policy.denied == []
    assert {k.split("/", 1)[0] for k in world.hub_objects()} == {"staging", "promoted"}


def test_central_package_references_only_promoted_keys(world, handler, promoter):
    world.standard_package(1)

    result = handler.invoke(load_event("sagemaker_model_package_approved.json"))

    [package] = world.central_packages()
    assert package["ModelPackageArn"] == result["central_model_package_arn"]
    bucket = world.settings.hub_artifact_bucket
    body = {k: v for k, v in package.items() if k != "CustomerMetadataProperties"}
    uris = _s3_uris(json.loads(json.dumps(body, default=str)))
    # model.tar.gz, the uncompressed prefix, metrics and baseline reports
    assert len(uris) == 4
    assert all(uri.startswith(f"s3://{bucket}/{PROMOTED}") for uri in uris), uris
    lineage_uri = package["CustomerMetadataProperties"]["promotion:lineage-uri"]
    assert lineage_uri.startswith(f"s3://{bucket}/{PROMOTED}")
    card = world.hub.client("sagemaker").describe_model_card(ModelCardName=package_group(package))
    card_uris = _s3_uris(json.loads(card["Content"]))
    assert card_uris and all(uri.startswith(f"s3://{bucket}/{PROMOTED}") for uri in card_uris)
    assert "staging/" not in json.dumps(body, default=str) + card["Content"]


def package_group(package: dict[str, Any]) -> str:
    return str(package["ModelPackageGroupName"])


@pytest.mark.parametrize("stage", ["dev", "hub"])
def test_multipart_copy_and_its_abort_stay_within_the_policy(world, recorder, handler, stage):
    """A part copy fails in one stage: the upload is aborted, every call is within the policy."""
    from model_promoter.promotion import promote

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

    if stage == "dev":
        sources.on_session = lambda session: session.events.register(
            "before-call.s3.UploadPartCopy", fail_second_part
        )
    else:
        runtime.s3.meta.events.register("before-call.s3.UploadPartCopy", fail_second_part)
    request = _request(runtime)

    with pytest.raises(ClientError, match="part copy failed"):
        promote(request, runtime)

    bucket = world.settings.hub_artifact_bucket
    calls = _hub_calls(recorder, bucket, stage)
    operations = [c.operation for c in calls if c.params.get("Key", "").endswith("model.tar.gz")]
    assert "CreateMultipartUpload" in operations and "UploadPartCopy" in operations
    assert operations[-1] == "AbortMultipartUpload"
    prefix = STAGING if stage == "dev" else PROMOTED
    assert all(c.params["Key"].startswith(prefix) for c in calls if c.is_write)
    assert sources.bucket_policy is not None and sources.bucket_policy.denied == []
    # The abort was allowed, so no billable parts are left behind.
    uploads = world.hub.client("s3").list_multipart_uploads(Bucket=bucket)
    assert uploads.get("Uploads", []) == []
    assert world.central_packages() == []
    assert (
        world.promoted_objects()
        .keys()
        .isdisjoint({f"{PROMOTED}{DEV_BUCKET}/{SOURCE_GROUP}/1/model.tar.gz"})
    )


@pytest.mark.parametrize(
    ("staging_prefix", "kms_key_arn", "reason"),
    [
        # the layout before the two-stage copy: dev roles wrote promoted/ directly
        (f"promoted/{DEV}/{SOURCE_GROUP}/1", None, f"outside staging/{DEV}/"),
        (f"promoted/team-a/{SOURCE_GROUP}/1", None, f"outside staging/{DEV}/"),
        # a team name cannot be matched by aws:PrincipalAccount
        (f"staging/team-a/{SOURCE_GROUP}/1", None, f"outside staging/{DEV}/"),
        (f"staging/{UNKNOWN}/{SOURCE_GROUP}/1", None, f"outside staging/{DEV}/"),
        (
            f"staging/{DEV}/{SOURCE_GROUP}/1",
            "arn:aws:kms:eu-west-1:123456789012:alias/mlgov-model-registry",
            "DenyOtherKmsKeys",
        ),
    ],
)
def test_source_role_is_denied_outside_its_staging_prefix(
    world, runtime, promoter, handler, staging_prefix, kms_key_arn, reason
):
    """The emulated policy is not a no-op: a stage copy outside its scope is AccessDenied."""
    _, sources, _ = promoter
    model_uri = world.put_dev_object(f"{SOURCE_GROUP}/1/model.tar.gz", b"weights")
    session = sources(_request(runtime), SOURCE_ROLE_ARN)
    copier = S3ArtifactCopier(
        source_s3=session.client("s3"),
        hub_s3=runtime.s3,
        bucket=world.settings.hub_artifact_bucket,
        kms_key_arn=kms_key_arn or world.settings.hub_kms_key_arn,
        staging_prefix=staging_prefix,
        destination_prefix=f"promoted/{DEV}/{SOURCE_GROUP}/2",
        base_metadata={},
        tuning=runtime.tuning,
    )

    with pytest.raises(ClientError, match="AccessDenied") as raised:
        copier.copy_all([ArtifactRef(model_uri)])

    assert reason in str(raised.value)
    assert world.hub_objects() == {}


def test_dev_role_can_neither_write_nor_read_promoted(world, runtime, promoter, handler):
    """After a promotion, the source role (e.g. re-trusted by a dev account admin) cannot
    overwrite, re-copy over or even read the promoted artifacts."""
    _, sources, _ = promoter
    world.standard_package(1, with_dev_image=False)
    handler.invoke(load_event("sagemaker_model_package_approved.json"))
    bucket = world.settings.hub_artifact_bucket
    promoted_key = next(k for k in world.promoted_objects() if k.endswith("evaluation.json"))
    before = world.hub.client("s3").get_object(Bucket=bucket, Key=promoted_key)["Body"].read()
    s3 = sources(_request(runtime), SOURCE_ROLE_ARN).client("s3")
    sse = {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": world.settings.hub_kms_key_arn}
    attempts = {
        "PutObject": lambda: s3.put_object(Bucket=bucket, Key=promoted_key, Body=b"x", **sse),
        "CopyObject": lambda: s3.copy_object(
            Bucket=bucket,
            Key=promoted_key,
            CopySource={"Bucket": DEV_BUCKET, "Key": f"{SOURCE_GROUP}/1/evaluation.json"},
            **sse,
        ),
        "CreateMultipartUpload": lambda: s3.create_multipart_upload(
            Bucket=bucket, Key=promoted_key, **sse
        ),
        "HeadObject": lambda: s3.head_object(Bucket=bucket, Key=promoted_key),
        "GetObject": lambda: s3.get_object(Bucket=bucket, Key=promoted_key),
        # a staged key may be written, but not from a hub-bucket source (no read of promoted/)
        "CopyObject from promoted/": lambda: s3.copy_object(
            Bucket=bucket,
            Key=f"{STAGING}copy.json",
            CopySource={"Bucket": bucket, "Key": promoted_key},
            **sse,
        ),
    }

    for name, attempt in attempts.items():
        with pytest.raises(ClientError, match="AccessDenied"):
            attempt()
        assert sources.bucket_policy is not None
        assert sources.bucket_policy.denied[-1][0] == f"source:{DEV}", name

    assert len(sources.bucket_policy.denied) == len(attempts)
    after = world.hub.client("s3").get_object(Bucket=bucket, Key=promoted_key)["Body"].read()
    assert after == before


@pytest.mark.parametrize(
    ("operation", "key", "reason"),
    [
        ("PutObject", f"{STAGING}model.tar.gz", "outside promoted/*"),
        ("PutObject", "artifacts/model.tar.gz", "outside promoted/*"),
        ("HeadObject", "artifacts/model.tar.gz", "outside ('staging/*', 'promoted/*')"),
    ],
)
def test_hub_role_is_denied_outside_its_scopes(world, runtime, operation, key, reason):
    bucket = world.settings.hub_artifact_bucket
    call = {
        "PutObject": lambda: runtime.s3.put_object(Bucket=bucket, Key=key, Body=b"x"),
        "HeadObject": lambda: runtime.s3.head_object(Bucket=bucket, Key=key),
    }[operation]

    with pytest.raises(ClientError, match="AccessDenied") as raised:
        call()

    assert reason in str(raised.value)


def test_lambda_layout_matches_the_bucket_policy_and_both_role_policies(world, runtime, handler):
    """The places that spell the layout agree: the Lambda, the hub bucket policy, the
    promotion-source role policy and the promoter role policy."""
    from model_promoter.promotion import promoted_prefix, staging_prefix

    request = _request(runtime)
    account_scope = SOURCE_WRITE_RESOURCE.replace("${aws:PrincipalAccount}", request.source_account)
    assert f"{staging_prefix(request)}/model.tar.gz".startswith(account_scope.rstrip("*"))
    assert f"{promoted_prefix(request)}/model.tar.gz".startswith(HUB_WRITE_RESOURCE.rstrip("*"))
    assert not f"{promoted_prefix(request)}/".startswith(account_scope.rstrip("*"))

    registry = _locals(MODULES / "central-model-registry" / "main.tf")
    bucket_resource = (
        registry["artifact_writer_object_arn"]
        .replace("${local.artifact_bucket_arn}/", "")
        .replace("${local.staging_prefix}", registry["staging_prefix"])
        .replace("$${", "${")  # HCL escape of a literal IAM policy variable
    )
    assert bucket_resource == SOURCE_WRITE_RESOURCE
    writer = _statements(MODULES / "central-model-registry" / "s3.tf", "bucket")[
        "AllowArtifactWritersOwnStagingPrefix"
    ]
    assert writer["resources"] == ["${local.artifact_writer_object_arn}"]
    deny = _statements(MODULES / "central-model-registry" / "s3.tf", "bucket")[
        "DenyPromotedWritesFromOtherAccounts"
    ]
    assert deny["resources"] == ["${local.artifact_bucket_arn}/${local.promoted_prefix}*"]
    # ...of the artifact bucket itself: the ARN is built from the name the bucket block creates
    # the bucket with, and this document is the bucket's policy.
    assert (
        registry["artifact_bucket_arn"] == "arn:${local.partition}:s3:::${var.artifact_bucket_name}"
    )
    bucket = _module_call(MODULES / "central-model-registry" / "s3.tf", "artifact_bucket")
    assert bucket["source"] == "../shared/s3-bucket"
    assert bucket["bucket_name"] == "${var.artifact_bucket_name}"
    assert bucket["policy_documents"] == ["${data.aws_iam_policy_document.bucket.json}"]
    assert registry["promoted_prefix"] + "*" == HUB_WRITE_RESOURCE

    forwarder = _locals(MODULES / "model-approval-forwarder" / "main.tf")
    role_resource = (
        forwarder["hub_staging_prefix_arn"]
        .replace("${var.hub_artifact_bucket_arn}/", "")
        .replace("${local.account_id}", "${aws:PrincipalAccount}")
    )
    assert role_resource == SOURCE_WRITE_RESOURCE
    source_role = _statements(MODULES / "model-approval-forwarder" / "iam.tf", "promotion_source")
    writes = [s for s in source_role.values() if "s3:PutObject" in s["actions"]]
    assert [s["resources"] for s in writes] == [["${local.hub_staging_prefix_arn}"]]

    promoter_role = _statements(MODULES / "model-promotion-hub" / "iam.tf", "this")
    bucket_arn = "${var.hub_artifact_bucket_arn}/"
    object_scopes = {
        sid: [r.replace(bucket_arn, "") for r in s["resources"]]
        for sid, s in promoter_role.items()
        if any(r.startswith(bucket_arn) for r in s.get("resources", []))
    }
    assert object_scopes == {
        "ReadStagedArtifacts": ["staging/*"],
        "WritePromotedArtifacts": [HUB_WRITE_RESOURCE],
    }
    assert set(HUB_READ_RESOURCES) == {"staging/*", HUB_WRITE_RESOURCE}
    assert not any(a.startswith("s3:Put") for a in promoter_role["ReadStagedArtifacts"]["actions"])


def _unquote(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip('"')
    if isinstance(value, list):
        return [_unquote(v) for v in value]
    if isinstance(value, dict):
        return {_unquote(k): _unquote(v) for k, v in value.items()}
    return value


def _locals(path: Path) -> dict[str, str]:
    with path.open() as handle:
        document = hcl2.load(handle)
    merged: dict[str, Any] = {}
    for block in document["locals"]:
        merged.update(block)
    return {k: v.strip('"') for k, v in merged.items() if isinstance(v, str)}


def _module_call(path: Path, name: str) -> dict[str, Any]:
    """The arguments of one module call, unquoted."""
    with path.open() as handle:
        document = _unquote(hcl2.load(handle))
    [body] = [block[name] for block in document["module"] if name in block]
    return body  # type: ignore[no-any-return]


def _statements(path: Path, document_name: str) -> dict[str, dict[str, Any]]:
    """Statements (plain and dynamic `content`) of one aws_iam_policy_document, by sid."""
    with path.open() as handle:
        document = _unquote(hcl2.load(handle))
    [body] = [
        block["aws_iam_policy_document"][document_name]
        for block in document["data"]
        if document_name in block.get("aws_iam_policy_document", {})
    ]
    statements = list(body.get("statement", []))
    for dynamic in body.get("dynamic", []):
        for content in dynamic.get("statement", {}).get("content", []):
            statements.append(content)
    return {s["sid"]: s for s in statements if "sid" in s}
