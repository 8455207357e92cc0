"""Fixtures for the model promoter: a fresh moto world per test, a recorder, the handler."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from model_promoter.aws import PromoterRuntime
from moto import mock_aws
from promoter_world import (
    PROMOTER_ENVIRONMENT,
    CallRecorder,
    LayerServer,
    World,
    make_runtime,
)


@pytest.fixture(autouse=True)
def promoter_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in PROMOTER_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)


@dataclass
class FakeLambdaContext:
    function_name: str = "mlgov-model-promoter"
    memory_limit_in_mb: int = 1024
    invoked_function_arn: str = (
        "arn:aws:lambda:eu-west-1:123456789012:function:mlgov-model-promoter"
    )
    aws_request_id: str = "3f1c0e4e-8a57-4c2b-9d1f-6b1f2a7e9c10"

    def get_remaining_time_in_millis(self) -> int:
        return 300_000


@pytest.fixture(scope="session")
def layer_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LayerServer]:
    server = LayerServer(Path(tmp_path_factory.mktemp("layer-server")))
    yield server
    server.close()


@pytest.fixture
def world(layer_server: LayerServer) -> Iterator[World]:
    layer_server.reset()
    with mock_aws():
        yield World.create(layer_server)


@pytest.fixture
def recorder() -> Iterator[CallRecorder]:
    calls = CallRecorder()
    yield calls
    calls.detach_all()


@pytest.fixture
def promoter(world: World, recorder: CallRecorder) -> Any:
    """(runtime, source session provider, group policy store) wired to the world."""
    return make_runtime(world, recorder)


@pytest.fixture
def runtime(promoter: Any) -> PromoterRuntime:
    return promoter[0]


@dataclass
class HandlerHarness:
    module: Any
    log: io.StringIO

    def invoke(self, event: dict[str, Any]) -> dict[str, Any]:
        return dict(self.module.lambda_handler(event, FakeLambdaContext()))

    def log_lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.log.getvalue().splitlines() if line.strip()]


@pytest.fixture
def handler(
    runtime: PromoterRuntime, recorder: CallRecorder, monkeypatch: pytest.MonkeyPatch
) -> Iterator[HandlerHarness]:
    """The real handler module, its runtime swapped for the moto-backed one, logs captured."""
    import model_promoter.handler as module

    monkeypatch.setattr(module, "_runtime", runtime)
    recorder.attach(module._persistence.client.meta.events, "idempotency")
    log = io.StringIO()
    stream_handler = module.logger.registered_handler
    previous = stream_handler.setStream(log)
    try:
        yield HandlerHarness(module, log)
    finally:
        stream_handler.setStream(previous)
