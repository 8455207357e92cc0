"""Malformed or unexpected events are rejected: one structured log line, nothing written."""

from __future__ import annotations

import json

import pytest
from promoter_world import load_event

# The `reason` dimension of the PromotionsRefused metric each rejection is counted under.
REASON_CODES = {
    "event is not an approved SageMaker model package state change": "invalid-event",
    "source account is not in the source accounts map": "unknown-source-account",
    "source model package is no longer Approved": "not-approved",
}


def _refusal_metrics(capsys):
    documents = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.startswith("{")]
    return [(d["reason"], d["PromotionsRefused"]) for d in documents if "_aws" in d]


def _assert_nothing_written(world, recorder, policies):
    assert recorder.writes() == []  # hub, dev and the idempotency table: no mutating call
    assert policies.puts == []
    assert world.idempotency_items() == []
    assert world.hub_objects() == {}
    assert world.central_packages() == []


def _event(name: str, **changes):
    event = load_event(name)
    event.update(changes)
    return event


@pytest.mark.parametrize(
    ("event", "reason", "detail_fragment"),
    [
        pytest.param(
            _event("sagemaker_model_package_group_state_change.json"),
            "event is not an approved SageMaker model package state change",
            "detail-type",
            id="wrong-detail-type",
        ),
        pytest.param(
            _event("sagemaker_model_package_approved.json", source="custom.forwarder"),
            "event is not an approved SageMaker model package state change",
            "source",
            id="wrong-source",
        ),
        pytest.param(
            _event("sagemaker_model_package_rejected.json"),
            "event is not an approved SageMaker model package state change",
            "detail.ModelApprovalStatus",
            id="not-approved",
        ),
        pytest.param(
            _event("sagemaker_model_package_approved_missing_fields.json"),
            "event is not an approved SageMaker model package state change",
            "detail.ModelPackageArn",
            id="missing-fields",
        ),
        pytest.param(
            _event("sagemaker_model_package_approved.json", account="444455556666"),
            "event is not an approved SageMaker model package state change",
            "differs from event account",
            id="arn-from-another-account",
        ),
        pytest.param(
            _event("sagemaker_model_package_approved_unknown_account.json"),
            "source account is not in the source accounts map",
            "999988887777",
            id="unknown-source-account",
        ),
    ],
)
def test_malformed_event_is_rejected_without_writes(
    world, handler, promoter, recorder, capsys, event, reason, detail_fragment
):
    _, sources, policies = promoter
    world.standard_package(1)  # a real approved package exists; the event is still refused
    recorder.reset()
    capsys.readouterr()

    result = handler.invoke(event)

    assert result["status"] == "rejected"
    assert result["reason"] == reason
    assert any(detail_fragment in d for d in result["details"]), result["details"]
    _assert_nothing_written(world, recorder, policies)
    assert sources.role_arns == []  # never assumed the dev role
    [line] = handler.log_lines()
    assert line["level"] == "WARNING"
    assert line["message"] == "event rejected"
    assert line["rejection_reason"] == reason
    assert line["event_id"] == event["id"]
    assert _refusal_metrics(capsys) == [(REASON_CODES[reason], [1.0])]


def test_package_no_longer_approved_in_source_is_rejected(
    world, handler, promoter, recorder, capsys
):
    """An old Approved event replayed after the package was rejected in the dev account."""
    _, _, policies = promoter
    source = world.standard_package(1)
    world.dev.client("sagemaker").update_model_package(
        ModelPackageArn=source["arn"],
        ModelApprovalStatus="Rejected",
        CustomerMetadataProperties={"training-job": "churn-train-2025-11-20"},
    )
    recorder.reset()

    result = handler.invoke(load_event("sagemaker_model_package_approved.json"))

    assert result["status"] == "rejected"
    assert result["reason"] == "source model package is no longer Approved"
    _assert_nothing_written_except_released_idempotency_record(world, recorder, policies)
    assert [line["message"] for line in handler.log_lines()] == ["event rejected"]
    assert _refusal_metrics(capsys) == [("not-approved", [1.0])]


def _assert_nothing_written_except_released_idempotency_record(world, recorder, policies):
    # The idempotency record was taken (this check needs the dev account) and released again,
    # so a later genuine approval of the same package is not answered from a stale record.
    assert [c.operation for c in recorder.writes()] == ["PutItem", "DeleteItem"]
    assert world.idempotency_items() == []
    assert policies.puts == []
    assert world.hub_objects() == {}
    assert world.central_packages() == []


def test_group_name_over_63_characters_is_rejected(world, handler, promoter, recorder):
    _, _, policies = promoter
    long_group = "g" * 60
    event = load_event("sagemaker_model_package_approved.json")
    arn = event["detail"]["ModelPackageArn"].replace("customer-churn", long_group)
    event["detail"].update(ModelPackageGroupName=long_group, ModelPackageArn=arn)
    event["resources"] = [arn]

    result = handler.invoke(event)

    assert result["status"] == "rejected"
    assert "63 characters" in result["reason"]
    _assert_nothing_written(world, recorder, policies)


def test_the_module_alarm_sums_every_reason_the_function_counts():
    """The alarm on any refusal adds up one series per reason: a reason the function emits but
    the module does not list would never alarm."""
    from pathlib import Path

    import hcl2
    import model_promoter.handler as module

    monitoring = Path(__file__).resolve().parents[3] / "modules/model-promotion-hub/monitoring.tf"
    parsed = hcl2.loads(monitoring.read_text())
    [reasons] = [
        block["rejection_reasons"] for block in parsed["locals"] if "rejection_reasons" in block
    ]
    # python-hcl2 keeps the quotes of string literals
    assert tuple(reason.strip('"') for reason in reasons) == module.REJECTION_CODES
