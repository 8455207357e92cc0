"""The model card is created with a new central group and gains each later version."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError
from promoter_world import CENTRAL_GROUP, event_for_version, load_event


def _card(world):
    return world.hub.client("sagemaker").describe_model_card(ModelCardName=CENTRAL_GROUP)


def test_new_group_gets_a_card_and_later_versions_update_it(world, handler, promoter):
    _, _, policies = promoter
    world.standard_package(1)
    first = handler.invoke(load_event("sagemaker_model_package_approved.json"))
    assert first["model_card_version"] == 1
    # The ML engineer documents intended uses on the card between promotions.
    content = json.loads(_card(world)["Content"])
    content["intended_uses"] = {"purpose_of_model": "Weekly churn scoring for retention offers"}
    world.hub.client("sagemaker").update_model_card(
        ModelCardName=CENTRAL_GROUP, Content=json.dumps(content)
    )

    v2 = world.standard_package(2)
    second = handler.invoke(event_for_version(2))

    assert second["status"] == "promoted"
    card = _card(world)
    assert card["ModelCardVersion"] == second["model_card_version"] == 3
    content = json.loads(card["Content"])
    assert content["model_overview"]["model_id"] == second["central_model_package_arn"]
    assert content["model_overview"]["model_version"] == 2
    assert content["intended_uses"]["purpose_of_model"].startswith("Weekly churn")  # kept
    history = content["additional_information"]["custom_details"]
    assert set(history) == {"promotion-v1", "promotion-v2"}
    assert v2["arn"] in history["promotion-v2"]
    assert first["central_model_package_arn"] in history["promotion-v1"]
    # the existing group kept its policy; no second PutModelPackageGroupPolicy
    assert [group for group, _ in policies.puts] == [CENTRAL_GROUP]
    # the second image has its own immutable tag
    tags = {
        tag
        for image in world.hub.client("ecr").describe_images(
            repositoryName="mlgov-promoted/team-a"
        )["imageDetails"]
        for tag in image.get("imageTags", [])
    }
    assert tags == {"customer-churn-1", "customer-churn-2"}


def test_card_failure_after_registration_is_repaired_by_the_retry(
    world, handler, runtime, monkeypatch
):
    world.standard_package(1)
    real_create = runtime.sagemaker.create_model_card

    def unavailable(**kwargs):
        raise ClientError(
            {"Error": {"Code": "ServiceUnavailable", "Message": "try later"}}, "CreateModelCard"
        )

    monkeypatch.setattr(runtime.sagemaker, "create_model_card", unavailable)
    event = load_event("sagemaker_model_package_approved.json")
    with pytest.raises(ClientError, match="ServiceUnavailable"):
        handler.invoke(event)
    [package] = world.central_packages()

    monkeypatch.setattr(runtime.sagemaker, "create_model_card", real_create)
    retried = handler.invoke(event)

    assert retried["status"] == "already-promoted"
    assert retried["central_model_package_arn"] == package["ModelPackageArn"]
    assert retried["model_card_version"] == 1
    content = json.loads(_card(world)["Content"])
    assert content["model_overview"]["model_id"] == package["ModelPackageArn"]
    assert len(world.central_packages()) == 1
