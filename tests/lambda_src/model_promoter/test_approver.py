"""Only a session of the team's approver role (or the role itself), in the source account, may
have approved a package the hub promotes; the check reads the source registry, not the event."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError
from model_promoter.approval import check_approver
from model_promoter.errors import ConfigurationError, EventRejected
from model_promoter.models import PromotionRequest
from promoter_world import (
    CENTRAL_GROUP,
    DEV,
    HUB_REPOSITORY,
    LEAD_APPROVER,
    LEAD_ROLE,
    PREFIX,
    TEAM,
    TEST,
    load_event,
)

REASON = "model package was not approved by the team's approver role"
EXPECTED_ARNS = [
    f"arn:aws:sts::{DEV}:assumed-role/{LEAD_ROLE}/<session>",
    f"arn:aws:iam::{DEV}:role/<path>{LEAD_ROLE}",
]

REFUSED = [
    pytest.param(
        f"arn:aws:sts::{DEV}:assumed-role/{PREFIX}-{TEAM}-data-scientist/bob",
        f"is role {PREFIX}-{TEAM}-data-scientist, not {LEAD_ROLE}",
        id="data-scientist-session",
    ),
    pytest.param(
        f"arn:aws:sts::{DEV}:assumed-role/{PREFIX}-{TEAM}-pipeline-execution/"
        "SageMaker-ModelRegistration",
        f"is role {PREFIX}-{TEAM}-pipeline-execution, not {LEAD_ROLE}",
        id="pipeline-execution-role-session",
    ),
    pytest.param(
        f"arn:aws:sts::{DEV}:assumed-role/{PREFIX}-{TEAM}-studio-lead-data-scientist/SageMaker",
        f"is role {PREFIX}-{TEAM}-studio-lead-data-scientist, not {LEAD_ROLE}",
        id="studio-lead-execution-role-session",
    ),
    pytest.param(
        f"arn:aws:sts::{TEST}:assumed-role/{LEAD_ROLE}/alice",
        f"is not in the source account {DEV}",
        id="lead-role-of-another-account",
    ),
    pytest.param(
        f"arn:aws:iam::{TEST}:role/{LEAD_ROLE}",
        f"is not in the source account {DEV}",
        id="lead-role-arn-of-another-account",
    ),
    pytest.param(
        None,
        "LastModifiedBy has no IAM identity (only fake-user-profile-name)",
        id="no-iam-identity",
    ),
    pytest.param(
        f"arn:aws:sts::{DEV}:assumed-role/{PREFIX}-team-b-lead-data-scientist/carol",
        f"not {LEAD_ROLE}",
        id="another-teams-lead",
    ),
    pytest.param(
        f"arn:aws:sts::{DEV}:assumed-role/{LEAD_ROLE}-breakglass/alice",
        f"not {LEAD_ROLE}",
        id="role-name-with-suffix",
    ),
    pytest.param(
        f"arn:aws:iam::{DEV}:user/alice",
        "is not an IAM role or a session of one",
        id="iam-user",
    ),
    pytest.param(
        f"arn:aws:iam::{DEV}:root", "is not an IAM role or a session of one", id="account-root"
    ),
    pytest.param(
        f"arn:aws:sts::{DEV}:federated-user/{LEAD_ROLE}",
        "is not an IAM role or a session of one",
        id="federated-user",
    ),
    pytest.param(
        f"arn:aws-cn:sts::{DEV}:assumed-role/{LEAD_ROLE}/alice",
        f"is not in the source account {DEV}",
        id="other-partition",
    ),
]


def _emitted_metrics(capsys: pytest.CaptureFixture[str]) -> list[dict]:
    """Embedded-metric-format documents the function printed to stdout."""
    out = capsys.readouterr().out
    documents = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    return [d for d in documents if "_aws" in d]


def _assert_nothing_promoted(world, recorder, policies):
    # The idempotency record was taken (the check needs the dev account) and released again;
    # nothing else anywhere was written, and nothing was copied.
    assert [c.operation for c in recorder.writes()] == ["PutItem", "DeleteItem"]
    assert world.idempotency_items() == []
    assert world.hub_objects() == {}
    assert world.central_packages() == []
    assert policies.puts == []
    assert not recorder.of("s3", "CopyObject") and not recorder.of("s3", "PutObject")
    assert not [c for c in recorder.calls if c.service == "ecr"]
    hub = world.hub.client("sagemaker")
    assert hub.list_model_package_groups()["ModelPackageGroupSummaryList"] == []
    with pytest.raises(ClientError):
        hub.describe_model_card(ModelCardName=CENTRAL_GROUP)
    images = world.hub.client("ecr").describe_images(repositoryName=HUB_REPOSITORY)
    assert images["imageDetails"] == []


@pytest.mark.parametrize(("identity", "problem"), REFUSED)
def test_package_not_approved_by_the_lead_role_is_refused(
    world, handler, promoter, recorder, capsys, identity, problem
):
    _, sources, policies = promoter
    source = world.standard_package(1, approver=identity)
    # The event names the lead as approver: it is not what the decision is based on.
    event = load_event(
        "sagemaker_model_package_approved.json",
        LastModifiedBy={"IamIdentity": {"Arn": LEAD_APPROVER}},
        ApprovedBy={"IamIdentity": {"Arn": LEAD_APPROVER}},
    )
    recorder.reset()
    capsys.readouterr()

    result = handler.invoke(event)

    assert result["status"] == "rejected"
    assert result["reason"] == REASON
    assert any(problem in d for d in result["details"]), result["details"]
    assert f"expected {EXPECTED_ARNS[0]} or {EXPECTED_ARNS[1]}" in result["details"]
    _assert_nothing_promoted(world, recorder, policies)
    # read the package through the dev account's promotion-source role, then stopped
    assert sources.role_arns == [f"arn:aws:iam::{DEV}:role/mlgov-promotion-source"]
    assert len(recorder.of("sagemaker", "DescribeModelPackage", "dev")) == 1

    [line] = handler.log_lines()
    assert line["level"] == "WARNING"
    assert line["message"] == "event rejected"
    assert line["rejection_reason"] == REASON
    assert line["rejection_code"] == "approver-not-allowed"
    assert line["source_model_package_arn"] == source["arn"]
    assert line["approver_arn"] == (identity or "none")
    assert line["expected_approver_role"] == LEAD_ROLE
    assert line["expected_approver_arns"] == EXPECTED_ARNS
    assert line["event_id"] == event["id"]

    [metric] = _emitted_metrics(capsys)
    [directive] = metric["_aws"]["CloudWatchMetrics"]
    assert directive["Namespace"] == "ModelPromotion"
    assert directive["Metrics"] == [{"Name": "PromotionsRefused", "Unit": "Count"}]
    assert sorted(directive["Dimensions"][0]) == ["reason", "service"]
    assert metric["PromotionsRefused"] == [1.0]
    assert metric["reason"] == "approver-not-allowed"
    assert metric["service"] == "model-promoter"


def test_refusal_does_not_block_a_later_approval_by_the_lead(world, handler, promoter, recorder):
    """A data scientist's approval is refused; the lead then approves the same package (same
    ARN, so the same idempotency key): it is promoted, not answered from a stored refusal."""
    source = world.standard_package(
        1, approver=f"arn:aws:sts::{DEV}:assumed-role/{PREFIX}-{TEAM}-data-scientist/bob"
    )
    event = load_event("sagemaker_model_package_approved.json")
    assert handler.invoke(event)["status"] == "rejected"
    assert world.idempotency_items() == []

    world.dev.client("sagemaker").update_model_package(
        ModelPackageArn=source["arn"],
        ModelApprovalStatus="Approved",
        ApprovalDescription="Reviewed by the lead",
        CustomerMetadataProperties={"training-job": "churn-train-2025-11-20"},
    )
    world.set_last_modified_by(source["arn"], LEAD_APPROVER)
    result = handler.invoke(dict(event, id="b9d5c7e2-0000-4000-8000-000000000002"))

    assert result["status"] == "promoted", result
    [package] = world.central_packages()
    assert package["CustomerMetadataProperties"]["promotion:source-approver"] == LEAD_APPROVER


def test_lead_session_is_promoted_and_lineage_and_card_name_the_approver(world, handler, capsys):
    source = world.standard_package(1)
    world.set_last_modified_by(source["arn"], LEAD_APPROVER, source_identity="alice@example.com")
    capsys.readouterr()

    result = handler.invoke(load_event("sagemaker_model_package_approved.json"))

    assert result["status"] == "promoted", result
    [package] = world.central_packages()
    metadata = package["CustomerMetadataProperties"]
    assert metadata["promotion:source-approver"] == LEAD_APPROVER
    bucket = world.settings.hub_artifact_bucket
    lineage_key = metadata["promotion:lineage-uri"].split(f"s3://{bucket}/", 1)[1]
    lineage = json.loads(
        world.hub.client("s3").get_object(Bucket=bucket, Key=lineage_key)["Body"].read()
    )
    assert lineage["source"]["approver"] == LEAD_APPROVER
    assert lineage["source"]["approval"] == {
        "identity_arn": LEAD_APPROVER,
        "role_name": LEAD_ROLE,
        "session_name": "alice",
        "source_identity": "alice@example.com",
        "principal_id": "AROAEXAMPLEROLEID:alice",
    }
    card = world.hub.client("sagemaker").describe_model_card(ModelCardName=CENTRAL_GROUP)
    content = json.loads(card["Content"])
    assert content["model_overview"]["model_creator"] == LEAD_APPROVER
    history = content["additional_information"]["custom_details"]["promotion-v1"]
    assert (
        f"source-approver={LEAD_APPROVER} session=alice source-identity=alice@example.com"
        in history
    )
    checked = [line for line in handler.log_lines() if line["message"] == "approval checked"]
    assert [line["approver_arn"] for line in checked] == [LEAD_APPROVER]
    # nothing refused: one document counting the promotion and the bytes it copied
    [document] = _emitted_metrics(capsys)
    [directive] = document["_aws"]["CloudWatchMetrics"]
    assert [m["Name"] for m in directive["Metrics"]] == ["ModelsPromoted", "BytesCopied"]
    assert "PromotionsRefused" not in document and document["ModelsPromoted"] == [1.0]


def test_the_role_itself_with_a_path_is_accepted(world, handler):
    identity = f"arn:aws:iam::{DEV}:role/ml/{TEAM}/{LEAD_ROLE}"
    world.standard_package(1, approver=identity)

    result = handler.invoke(load_event("sagemaker_model_package_approved.json"))

    assert result["status"] == "promoted", result
    [package] = world.central_packages()
    assert package["CustomerMetadataProperties"]["promotion:source-approver"] == identity


# -- the check on its own -------------------------------------------------------------------------


def _request(**changes) -> PromotionRequest:
    fields = {
        "source_model_package_arn": f"arn:aws:sagemaker:eu-west-1:{DEV}:model-package/g/1",
        "source_account": DEV,
        "source_region": "eu-west-1",
        "partition": "aws",
        "source_group": "g",
        "source_version": 1,
        "team": TEAM,
        "hub_image_repository": HUB_REPOSITORY,
        "central_group": f"{TEAM}-g",
        "event_id": "e",
    }
    fields.update(changes)
    return PromotionRequest(**fields)


@pytest.mark.parametrize(
    "identity",
    [
        f"arn:aws:sts::{DEV}:assumed-role/{LEAD_ROLE}/alice",
        f"arn:aws:sts::{DEV}:assumed-role/{LEAD_ROLE}/alice@example.com",
        f"arn:aws:iam::{DEV}:role/{LEAD_ROLE}",
        f"arn:aws:iam::{DEV}:role/a/b/c/{LEAD_ROLE}",
    ],
)
def test_accepted_identities(identity):
    description = {"LastModifiedBy": {"IamIdentity": {"Arn": identity}}}
    assert check_approver(description, _request(), LEAD_ROLE).arn == identity


def test_accepted_in_another_partition_only_for_that_partitions_packages():
    identity = f"arn:aws-us-gov:sts::{DEV}:assumed-role/{LEAD_ROLE}/alice"
    description = {"LastModifiedBy": {"IamIdentity": {"Arn": identity}}}
    approver = check_approver(description, _request(partition="aws-us-gov"), LEAD_ROLE)
    assert approver.session_name == "alice"
    with pytest.raises(EventRejected):
        check_approver(description, _request(), LEAD_ROLE)


@pytest.mark.parametrize(
    "description",
    [{}, {"LastModifiedBy": None}, {"LastModifiedBy": {"IamIdentity": {}}}],
    ids=["no-last-modified-by", "null", "empty-identity"],
)
def test_missing_identity_is_refused(description):
    with pytest.raises(EventRejected) as refused:
        check_approver(description, _request(), LEAD_ROLE)
    assert refused.value.code == "approver-not-allowed"
    assert refused.value.log_fields["approver_arn"] == "none"


def test_approved_by_is_not_consulted():
    """Only LastModifiedBy (the principal of the approval) counts."""
    description = {
        "ApprovedBy": {"IamIdentity": {"Arn": LEAD_APPROVER}},
        "LastModifiedBy": {
            "IamIdentity": {"Arn": f"arn:aws:sts::{DEV}:assumed-role/{PREFIX}-{TEAM}-ds/bob"}
        },
    }
    with pytest.raises(EventRejected):
        check_approver(description, _request(), LEAD_ROLE)


def test_role_name_longer_than_iam_allows_is_a_configuration_error():
    with pytest.raises(ConfigurationError, match="longer than IAM's 64 characters"):
        check_approver({}, _request(), "r" * 65)
