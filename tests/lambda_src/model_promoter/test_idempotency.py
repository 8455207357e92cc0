"""Duplicate, replayed and concurrent deliveries register exactly one central package."""

from __future__ import annotations

import threading
import uuid

import pytest
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
)
from aws_lambda_powertools.utilities.parser import parse
from promoter_world import load_event


def _replay_of(first):
    """What a replay served from the idempotency record returns: the first run's package,
    as `already-promoted`, nothing copied by the replay."""
    keys = (
        "source_model_package_arn",
        "central_model_package_arn",
        "central_model_package_group",
        "model_card_name",
        "model_card_version",
    )
    counters = {k: 0 for k, v in first.items() if isinstance(v, int) and k not in keys}
    return {**first, **counters, "status": "already-promoted"}


def _registry_writes(recorder, policies):
    """Mutating calls on the hub registry, artifact store, ECR and the dev account."""
    writes = recorder.writes(exclude_services=("dynamodb",))
    return [f"{c.label}:{c.service}.{c.operation}" for c in writes] + [
        f"policy:{group}" for group, _ in policies.puts
    ]


def test_duplicate_event_returns_stored_result_and_writes_nothing(
    world, handler, promoter, recorder
):
    _, _, policies = promoter
    world.standard_package(1)
    event = load_event("sagemaker_model_package_approved.json")
    first = handler.invoke(event)
    assert first["status"] == "promoted"
    recorder.reset()
    policies.puts.clear()

    second = handler.invoke(event)

    assert second == _replay_of(first)  # served from the idempotency record
    assert _registry_writes(recorder, policies) == []
    # the only DynamoDB write attempt is the conditional put that finds the completed record
    dynamodb = [c.operation for c in recorder.calls if c.service == "dynamodb"]
    assert dynamodb == ["PutItem"]
    assert len(world.central_packages()) == 1


def test_replay_with_new_event_id_hits_same_idempotency_key(world, handler, promoter, recorder):
    _, _, policies = promoter
    world.standard_package(1)
    first = handler.invoke(load_event("sagemaker_model_package_approved.json"))
    recorder.reset()
    policies.puts.clear()
    replayed = load_event("sagemaker_model_package_approved.json")
    replayed["id"] = str(uuid.uuid4())
    replayed["replay-name"] = "model-promotion-archive-replay"

    assert handler.invoke(replayed) == _replay_of(first)
    assert _registry_writes(recorder, policies) == []
    assert len(world.idempotency_items()) == 1


def test_replay_after_idempotency_record_expired_is_caught_by_registry(
    world, handler, promoter, recorder
):
    _, _, policies = promoter
    world.standard_package(1)
    event = load_event("sagemaker_model_package_approved.json")
    first = handler.invoke(event)
    dynamodb = world.hub.client("dynamodb")
    for item in world.idempotency_items():  # the TTL ran out
        dynamodb.delete_item(
            TableName=world.settings.idempotency_table_name, Key={"id": item["id"]}
        )
    recorder.reset()
    policies.puts.clear()

    again = handler.invoke(event)

    assert again["status"] == "already-promoted"
    assert again["central_model_package_arn"] == first["central_model_package_arn"]
    assert _registry_writes(recorder, policies) == []
    assert not recorder.of("sts", "AssumeRole")  # did not even touch the dev account
    assert len(world.central_packages()) == 1


def test_two_concurrent_deliveries_register_exactly_once(world, handler, promoter, recorder):
    _, sources, _ = promoter
    world.standard_package(1)
    event = load_event("sagemaker_model_package_approved.json")
    duplicate = dict(event, id=str(uuid.uuid4()))
    first_inside = threading.Event()
    second_done = threading.Event()

    def hold_first_delivery() -> None:
        # Runs inside the first delivery, after its idempotency record is IN_PROGRESS.
        if not first_inside.is_set():
            first_inside.set()
            assert second_done.wait(timeout=30)

    sources.before_return = hold_first_delivery
    outcomes: dict[str, object] = {}

    def deliver(name: str, payload: dict) -> None:
        try:
            outcomes[name] = handler.invoke(payload)
        except Exception as error:
            outcomes[name] = error
        finally:
            if name == "second":
                second_done.set()

    first = threading.Thread(target=deliver, args=("first", event))
    first.start()
    assert first_inside.wait(timeout=30)
    second = threading.Thread(target=deliver, args=("second", duplicate))
    second.start()
    second.join(timeout=60)
    first.join(timeout=60)

    assert isinstance(outcomes["second"], IdempotencyAlreadyInProgressError)
    assert outcomes["first"]["status"] == "promoted"
    assert len(world.central_packages()) == 1
    assert len(recorder.of("sagemaker", "CreateModelPackage")) == 1
    # Lambda retries the losing delivery later; it then gets the stored result.
    assert handler.invoke(duplicate) == _replay_of(outcomes["first"])


def test_concurrent_deliveries_without_idempotency_layer_still_register_once(
    world, runtime, promoter
):
    """The registry-level check on its own (idempotency record gone, sequential retries)."""
    from model_promoter.models import ModelPackageStateChangeEvent
    from model_promoter.promotion import promote, resolve_request

    world.standard_package(1)
    request = resolve_request(
        parse(load_event("sagemaker_model_package_approved.json"), ModelPackageStateChangeEvent),
        runtime,
    )
    first = promote(request, runtime)
    second = promote(request, runtime)
    assert (first.status, second.status) == ("promoted", "already-promoted")
    assert second.central_model_package_arn == first.central_model_package_arn
    assert len(world.central_packages()) == 1


@pytest.mark.parametrize("version", [1])
def test_idempotency_key_is_the_source_arn(world, handler, version):
    world.standard_package(version)
    handler.invoke(load_event("sagemaker_model_package_approved.json"))
    [item] = world.idempotency_items()
    assert item["id"]["S"].startswith("model-promoter#")
    assert item["status"]["S"] == "COMPLETED"
