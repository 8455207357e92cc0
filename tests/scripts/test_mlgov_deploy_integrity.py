"""Deploy-time integrity against moto: what is served is what was promoted and approved.

Packages are registered as the promotion Lambda leaves them (`mlgov_testkit.promote_package`:
promoted object in the versioned hub store, image in the team's hub repository, lineage manifest
whose sha256 the package records). Each refusal below changes one thing after promotion the way
someone with write access in the hub could, and checks that the deploy exits 1 naming it, with
what was recorded and what was found, and that the target account got nothing.

The production approval runs on the simulator's CodePipeline gap (`gaps_codepipeline`, patched
into this process's moto by the testkit): the approval is answered with PutApprovalResult by a
real role session, and deploy reads it back with ListActionExecutions.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import boto3
import pytest
from mlgov_testkit import (
    HUB_ACCOUNT,
    HUB_BUCKET,
    PIPELINE_NAME,
    PROD_ACCOUNT,
    TARGETS,
    TEST_ACCOUNT,
    account_session,
    answer_prod_approval,
    approved_prod_execution,
    create_central_package,
    promote_package,
    push_hub_image,
    session_factory,
    start_execution,
)

from mlgov.cli import main
from mlgov.integrity import Lineage, is_session_of, verify_artifacts

POWER_USER_ROLE = "AWSReservedSSO_PowerUserAccess_0123456789abcdef"


def _deploy(stage: str, arn: str, *extra: str) -> list[str]:
    return [
        "deploy",
        "--stage",
        stage,
        "--target-config",
        str(TARGETS / f"{stage}.json"),
        "--model-package-arn",
        arn,
        "--poll-seconds",
        "0.01",
        "--json",
        *extra,
    ]


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    code = main(args, session_factory=session_factory)
    return code, json.loads(capsys.readouterr().out)


def _prod(arn: str, execution_id: str) -> list[str]:
    return _deploy(
        "prod", arn, "--pipeline", PIPELINE_NAME, "--pipeline-execution-id", execution_id
    )


def _nothing_created(account_id: str) -> bool:
    sagemaker = account_session(account_id).client("sagemaker")
    return not sagemaker.list_models()["Models"] and not sagemaker.list_endpoints()["Endpoints"]


def _put(uri: str, body: bytes) -> None:
    bucket, _, key = uri.removeprefix("s3://").partition("/")
    boto3.client("s3").put_object(Bucket=bucket, Key=key, Body=body, ChecksumAlgorithm="CRC32")


# -- S3 artifacts and the lineage manifest ------------------------------------------------------


def test_clean_deploy_passes_and_reports_what_it_verified(
    hub_session: boto3.Session, capsys: pytest.CaptureFixture[str]
) -> None:
    package = promote_package(hub_session)
    manifest = boto3.client("s3").get_object(
        Bucket=HUB_BUCKET, Key=package.lineage_uri.split("/", 3)[3]
    )
    model = boto3.client("s3").head_object(
        Bucket=HUB_BUCKET, Key=package.model_uri.split("/", 3)[3], ChecksumMode="ENABLED"
    )

    code, result = _run(_deploy("test", package.arn), capsys)

    assert code == 0
    assert result["status"] == "created"
    integrity = result["integrity"]
    assert integrity["lineage"] == {
        "uri": package.lineage_uri,
        "sha256": hashlib.sha256(manifest["Body"].read()).hexdigest(),
        "version_id": manifest["VersionId"],
    }
    assert integrity["artifacts"] == [
        {
            "uri": package.model_uri,
            "version_id": model["VersionId"],
            "etag": model["ETag"].strip('"'),
            "size": model["ContentLength"],
            "checksum": f"CRC32:{model['ChecksumCRC32']}",
        }
    ]
    assert integrity["images"] == [
        {"uri": package.image_uri, "digest": package.image_digest, "resolved_tag": None}
    ]
    assert integrity["prod_approval"] is None


def test_artifact_with_changed_bytes_after_promotion_is_refused(
    hub_session: boto3.Session, capsys: pytest.CaptureFixture[str]
) -> None:
    package = promote_package(hub_session)
    _put(package.model_uri, b"weights with a backdoor")

    code, result = _run(_deploy("test", package.arn), capsys)

    assert code == 1
    assert result["status"] == "failed"
    assert result["integrity_subject"] == f"artifact {package.model_uri}"
    assert result["recorded"].startswith("version_id ")
    assert result["found"].startswith("version_id ") and result["found"] != result["recorded"]
    assert "nothing was deployed" in result["error"]
    assert _nothing_created(TEST_ACCOUNT)


def test_artifact_rewritten_as_a_new_version_with_the_same_bytes_is_refused(
    hub_session: boto3.Session, capsys: pytest.CaptureFixture[str]
) -> None:
    # Same bytes, same ETag and size: only the version id tells that the object was replaced.
    package = promote_package(hub_session)
    key = package.model_uri.split("/", 3)[3]
    body = boto3.client("s3").get_object(Bucket=HUB_BUCKET, Key=key)["Body"].read()
    _put(package.model_uri, body)

    code, result = _run(_deploy("test", package.arn), capsys)

    assert code == 1
    assert result["integrity_subject"] == f"artifact {package.model_uri}"
    assert result["recorded"].startswith("version_id ")
    assert _nothing_created(TEST_ACCOUNT)


def test_tampered_lineage_manifest_is_refused(
    hub_session: boto3.Session, capsys: pytest.CaptureFixture[str]
) -> None:
    # Someone replaces the object and rewrites the manifest to match it; the package still
    # records the sha256 of the manifest the promoter wrote.
    package = promote_package(hub_session)
    key = package.lineage_uri.split("/", 3)[3]
    s3 = boto3.client("s3")
    lineage = json.loads(s3.get_object(Bucket=HUB_BUCKET, Key=key)["Body"].read())
    _put(package.model_uri, b"other weights")
    head = s3.head_object(Bucket=HUB_BUCKET, Key=package.model_uri.split("/", 3)[3])
    recorded = lineage["artifacts"][0]["objects"][0]
    recorded.update(
        destination_etag=head["ETag"].strip('"'),
        destination_version_id=head["VersionId"],
        source_size=head["ContentLength"],
        source_checksum=None,
    )
    s3.put_object(Bucket=HUB_BUCKET, Key=key, Body=json.dumps(lineage, sort_keys=True).encode())

    code, result = _run(_deploy("test", package.arn), capsys)

    assert code == 1
    assert result["integrity_subject"] == f"the lineage manifest {package.lineage_uri}"
    assert result["recorded"].startswith("sha256 ")
    assert result["found"].startswith("sha256 ") and result["found"] != result["recorded"]
    assert _nothing_created(TEST_ACCOUNT)


def test_package_without_a_lineage_manifest_is_refused(
    hub_session: boto3.Session, capsys: pytest.CaptureFixture[str]
) -> None:
    arn = create_central_package(hub_session, lineage={"promotion:source-account": "333333333333"})

    code, result = _run(_deploy("test", arn), capsys)

    assert code == 1
    assert result["integrity_subject"] == "the lineage manifest"
    assert "not registered by the promoter" in result["found"]
    assert _nothing_created(TEST_ACCOUNT)


def test_object_added_under_a_promoted_prefix_is_refused(hub_session: boto3.Session) -> None:
    # SageMaker loads every object under an S3Prefix source: one the lineage does not list is
    # not what was promoted.
    package = promote_package(hub_session)
    prefix_uri = package.model_uri.rsplit("/", 1)[0] + "/"
    s3 = boto3.client("s3")
    head = s3.head_object(Bucket=HUB_BUCKET, Key=package.model_uri.split("/", 3)[3])
    recorded = {
        "destination_uri": package.model_uri,
        "destination_etag": head["ETag"].strip('"'),
        "destination_version_id": head["VersionId"],
        "source_size": head["ContentLength"],
        "source_checksum": None,
    }
    lineage = Lineage(
        uri=prefix_uri + "_promotion/lineage.json",
        sha256="0" * 64,
        version_id=None,
        document={
            "artifacts": [{"destination_uri": prefix_uri, "kind": "prefix", "objects": [recorded]}]
        },
    )
    description = {"InferenceSpecification": {"Containers": [{"ModelDataUrl": prefix_uri}]}}
    # The manifest itself is the promoter's record below the prefix; list only artifacts.
    s3.delete_object(Bucket=HUB_BUCKET, Key=package.lineage_uri.split("/", 3)[3])
    assert [a["uri"] for a in verify_artifacts(s3, description, lineage)] == [package.model_uri]

    _put(prefix_uri + "extra.py", b"import os")

    with pytest.raises(Exception, match=r"objects not in the lineage: .*extra\.py"):
        verify_artifacts(s3, description, lineage)


# -- images -------------------------------------------------------------------------------------


def test_image_referenced_by_tag_passes_while_the_tag_is_unchanged(
    hub_session: boto3.Session, capsys: pytest.CaptureFixture[str]
) -> None:
    package = promote_package(hub_session, image_by_tag=True)

    code, result = _run(_deploy("test", package.arn), capsys)

    assert code == 0
    assert result["integrity"]["images"] == [
        {
            "uri": package.image_uri,
            "digest": package.image_digest,
            "resolved_tag": package.image_tag,
        }
    ]


def test_swapped_image_whose_tag_moved_to_another_digest_is_refused(
    hub_session: boto3.Session, capsys: pytest.CaptureFixture[str]
) -> None:
    package = promote_package(hub_session, image_by_tag=True)
    swapped = push_hub_image(hub_session, package.image_tag, "another image")
    assert swapped != package.image_digest

    code, result = _run(_deploy("test", package.arn), capsys)

    assert code == 1
    assert result["integrity_subject"] == f"image {package.image_uri}"
    assert result["recorded"] == f"digest {package.image_digest}"
    assert result["found"] == f"tag {package.image_tag} pointing at {swapped}"
    assert _nothing_created(TEST_ACCOUNT)


# -- the production approval --------------------------------------------------------------------


def test_prod_deploy_approved_by_the_governance_officer_passes(
    hub_session: boto3.Session, capsys: pytest.CaptureFixture[str]
) -> None:
    package = promote_package(hub_session)
    execution_id = approved_prod_execution(hub_session, package.arn)

    code, result = _run(_prod(package.arn, execution_id), capsys)

    assert code == 0
    approval = result["integrity"]["prod_approval"]
    assert approval["pipeline"] == PIPELINE_NAME
    assert approval["pipeline_execution_id"] == execution_id
    assert approval["approved_by"] == (
        f"arn:aws:sts::{HUB_ACCOUNT}:assumed-role/mlgov-governance-officer/alice"
    )
    assert (
        approval["approver_role_arn"] == f"arn:aws:iam::{HUB_ACCOUNT}:role/mlgov-governance-officer"
    )
    assert approval["summary"] == "risk review OK"


def test_prod_deploy_approved_by_another_role_is_refused(
    hub_session: boto3.Session, capsys: pytest.CaptureFixture[str]
) -> None:
    package = promote_package(hub_session)
    execution_id = start_execution(hub_session, package.arn)
    answer_prod_approval(hub_session, execution_id, role_name=POWER_USER_ROLE)

    code, result = _run(_prod(package.arn, execution_id), capsys)

    assert code == 1
    assert result["integrity_subject"].startswith("production approval ApproveProd")
    assert result["recorded"] == (
        f"Approved by arn:aws:iam::{HUB_ACCOUNT}:role/mlgov-governance-officer"
    )
    assert result["found"] == (
        f"Approved by arn:aws:sts::{HUB_ACCOUNT}:assumed-role/{POWER_USER_ROLE}/alice"
    )
    assert _nothing_created(PROD_ACCOUNT)


def test_prod_deploy_without_an_approval_is_refused(
    hub_session: boto3.Session, capsys: pytest.CaptureFixture[str]
) -> None:
    package = promote_package(hub_session)
    execution_id = start_execution(hub_session, package.arn)

    code, result = _run(_prod(package.arn, execution_id), capsys)

    assert code == 1
    assert result["found"] == "no approval"
    assert execution_id in result["integrity_subject"]
    assert _nothing_created(PROD_ACCOUNT)


def test_prod_deploy_whose_approval_is_pending_or_rejected_is_refused(
    hub_session: boto3.Session, capsys: pytest.CaptureFixture[str]
) -> None:
    from platform_sandbox import gaps_codepipeline

    package = promote_package(hub_session)
    pending = start_execution(hub_session, package.arn)
    gaps_codepipeline.record_action(
        HUB_ACCOUNT, "eu-west-1", PIPELINE_NAME, pending, "ApproveProd", "ApproveProd", "InProgress"
    )
    rejected = start_execution(hub_session, package.arn)
    answer_prod_approval(hub_session, rejected, status="Rejected")

    assert _run(_prod(package.arn, pending), capsys)[1]["found"] == "still pending by None"
    code, result = _run(_prod(package.arn, rejected), capsys)

    assert code == 1
    assert result["found"].startswith("Rejected by arn:aws:sts::")
    assert _nothing_created(PROD_ACCOUNT)


def test_prod_approval_of_an_execution_for_another_package_is_refused(
    hub_session: boto3.Session, capsys: pytest.CaptureFixture[str]
) -> None:
    approved = promote_package(hub_session)
    other = promote_package(hub_session)
    execution_id = approved_prod_execution(hub_session, approved.arn)

    code, result = _run(_prod(other.arn, execution_id), capsys)

    assert code == 1
    assert result["recorded"] == f"package {other.arn}"
    assert result["found"] == f"package {approved.arn}"
    assert _nothing_created(PROD_ACCOUNT)


def test_prod_deploy_outside_a_pipeline_execution_is_refused(
    hub_session: boto3.Session, capsys: pytest.CaptureFixture[str]
) -> None:
    package = promote_package(hub_session)

    code, result = _run(_deploy("prod", package.arn), capsys)

    assert code == 1
    assert "needs the pipeline execution" in result["error"]
    assert _nothing_created(PROD_ACCOUNT)


def test_only_sessions_of_the_exact_role_count_as_the_officer() -> None:
    role = "arn:aws:iam::123456789012:role/governance/mlgov-governance-officer"
    officer = "arn:aws:sts::123456789012:assumed-role/mlgov-governance-officer/alice"
    assert is_session_of(officer, role)
    assert not is_session_of(officer.replace("123456789012", "210987654321"), role)
    assert not is_session_of(
        "arn:aws:sts::123456789012:assumed-role/mlgov-governance-officer-x/alice", role
    )
    assert not is_session_of("arn:aws:iam::123456789012:user/mlgov-governance-officer", role)
    assert not is_session_of("", role)
