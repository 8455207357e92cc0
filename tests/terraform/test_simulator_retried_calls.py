"""The simulator answers an SDK retry of a call that already succeeded with that call's reply.

A create whose reply was lost on a broken connection must not run twice (it would fail with
"already exists"); failed calls, reads and calls without an SDK invocation id run as often as
they are sent, as in AWS. Exercised on `RetriedCallReplies` with a counting WSGI app, then
end to end on the simulator with a retry sent by hand.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from platform_sandbox import simulator
from platform_sandbox.simulator import RetriedCallReplies, Simulator


class CountingApp:
    """A WSGI app that counts its calls and answers with the status it is given."""

    def __init__(self, status: str = "200 OK", delay: float = 0.0) -> None:
        self.status = status
        self.delay = delay
        self.calls = 0

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        self.calls += 1
        time.sleep(self.delay)
        start_response(self.status, [("Content-Type", "application/json")])
        return [f'{{"call": {self.calls}}}'.encode()]


def call(
    replies: RetriedCallReplies,
    app: CountingApp,
    *,
    method: str = "POST",
    invocation: str | None = "inv-1",
    attempt: int = 1,
) -> tuple[str, bytes]:
    environ = {"REQUEST_METHOD": method}
    if invocation is not None:
        environ["HTTP_AMZ_SDK_INVOCATION_ID"] = invocation
        environ["HTTP_AMZ_SDK_REQUEST"] = f"attempt={attempt}; max=25"
    seen: dict[str, str] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        seen["status"] = status

    body = b"".join(replies.answer(environ, start_response, app))
    return seen["status"], body


def test_a_retry_of_a_successful_create_gets_the_first_reply() -> None:
    replies, app = RetriedCallReplies(), CountingApp()
    first = call(replies, app)
    retried = call(replies, app, attempt=2)
    assert app.calls == 1
    assert retried == first == ("200 OK", b'{"call": 1}')
    assert replies.replayed == 1


def test_a_retry_after_an_error_reply_runs_again() -> None:
    replies, app = RetriedCallReplies(), CountingApp(status="500 Internal Server Error")
    call(replies, app)
    call(replies, app, attempt=2)
    assert app.calls == 2
    assert replies.replayed == 0


@pytest.mark.parametrize(
    ("method", "invocation"), [("GET", "inv-1"), ("POST", None)], ids=["read", "no-invocation-id"]
)
def test_reads_and_calls_without_an_invocation_id_always_run(
    method: str, invocation: str | None
) -> None:
    replies, app = RetriedCallReplies(), CountingApp()
    call(replies, app, method=method, invocation=invocation)
    call(replies, app, method=method, invocation=invocation, attempt=2)
    assert app.calls == 2


def test_different_calls_are_not_confused() -> None:
    replies, app = RetriedCallReplies(), CountingApp()
    call(replies, app, invocation="inv-1")
    assert call(replies, app, invocation="inv-2") == ("200 OK", b'{"call": 2}')
    assert app.calls == 2


def test_a_retry_waits_for_a_first_attempt_still_running() -> None:
    replies, app = RetriedCallReplies(), CountingApp(delay=0.3)
    results: list[tuple[str, bytes]] = []
    first = threading.Thread(target=lambda: results.append(call(replies, app)))
    first.start()
    time.sleep(0.05)
    retried = call(replies, app, attempt=2)
    first.join()
    assert app.calls == 1
    assert retried == results[0]


def test_only_so_many_replies_are_kept() -> None:
    replies, app = RetriedCallReplies(), CountingApp()
    replies.LIMIT = 2
    for index in range(3):
        call(replies, app, invocation=f"inv-{index}")
    call(replies, app, invocation="inv-0", attempt=2)  # dropped: runs again
    assert app.calls == 4


@pytest.fixture(scope="module")
def sim(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Simulator]:
    running = simulator.start(Path(tmp_path_factory.mktemp("retried-calls")))
    try:
        yield running
    finally:
        simulator.stop(running)


def test_the_simulator_replays_a_retried_create(sim: Simulator) -> None:
    """The same CreateRepository sent twice with one invocation id creates one repository."""
    ecr = sim.client(sim.session("111111111111", "eu-west-1"), "ecr")
    headers = {"amz-sdk-invocation-id": "retried-create-1"}

    def pin_invocation(request: Any, **_: Any) -> None:
        request.headers.update(headers)

    ecr.meta.events.register("before-send.ecr.CreateRepository", pin_invocation)
    first = ecr.create_repository(repositoryName="retried/once")["repository"]
    again = ecr.create_repository(repositoryName="retried/once")["repository"]
    assert again["repositoryArn"] == first["repositoryArn"]
    headers["amz-sdk-invocation-id"] = "retried-create-2"  # a new call: AWS refuses it
    with pytest.raises(ClientError, match="RepositoryAlreadyExistsException"):
        ecr.create_repository(repositoryName="retried/once")
    names = [r["repositoryName"] for r in ecr.describe_repositories()["repositories"]]
    assert names.count("retried/once") == 1
