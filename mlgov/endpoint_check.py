"""Integration test of a deployed endpoint: invoke payloads, check responses and latency.

The payload file is JSON lines; each line is one case::

    {"name": "typical", "input": {"features": [1, 2]}, "content_type": "application/json",
     "expect": {"status": 200, "json_keys": {"predictions": "array"}}}

``input`` is sent verbatim when it is a string and JSON-encoded otherwise. ``expect`` may hold
``status`` (default 200; a ModelError's original status code counts), ``content_type`` (prefix
of the response content type), ``json_type`` (type of the whole JSON body), ``json_keys``
(dotted path -> JSON type, e.g. ``"result.scores.0": "number"``) and ``body_regex`` (must match
the whole body after trimming, for CSV or text responses). See ``payloads/README.md``.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import ClientError

from mlgov.aws import assume_target_role, describe_client_error, is_not_found
from mlgov.errors import InputError, MlgovError
from mlgov.progress import silent
from mlgov.target_config import TargetConfig

JSON_TYPES = ("object", "array", "string", "number", "integer", "boolean", "null")
_CASE_KEYS = {"name", "input", "content_type", "accept", "expect"}
_EXPECT_KEYS = {"status", "content_type", "json_type", "json_keys", "body_regex"}
DEFAULT_PAYLOADS_NAME = "mlgov/payloads/default.jsonl (packaged)"


@dataclass(frozen=True)
class Expectation:
    """What a response must look like for its case to pass."""

    status: int = 200
    content_type: str | None = None
    json_type: str | None = None
    json_keys: tuple[tuple[str, str], ...] = ()
    body_regex: str | None = None


@dataclass(frozen=True)
class PayloadCase:
    """One request from the payload file."""

    line: int
    name: str
    body: bytes
    content_type: str
    accept: str | None
    expect: Expectation


@dataclass
class CaseResult:
    """Outcome of one case over all its invocations."""

    name: str
    line: int
    passed: bool
    status: int | None
    latencies_ms: list[float]
    problems: list[str]


@dataclass
class EndpointTestReport:
    """Everything the test-endpoint command prints."""

    stage: str
    endpoint_name: str
    endpoint_config_name: str | None
    max_latency_ms: float | None
    cases: list[CaseResult]
    p50_ms: float | None
    p95_ms: float | None
    max_ms: float | None
    problems: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """True when every case passed and the latency threshold held."""
        return not self.problems and all(case.passed for case in self.cases)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form for ``--json``."""
        data = asdict(self)
        data["status"] = "passed" if self.passed else "failed"
        return data


def load_payloads(path: str | Path | None, *, default_content_type: str) -> list[PayloadCase]:
    """Parse the payload file; errors name the file and line so the author can fix them.

    ``None`` selects the packaged ``payloads/default.jsonl``, read through importlib.resources
    so it works wherever the package is imported from: an installation (package data), the
    unpacked tooling bundle, or a zip.
    """
    if path is None:
        source = DEFAULT_PAYLOADS_NAME
        text = resources.files("mlgov").joinpath("payloads", "default.jsonl").read_text("utf-8")
    else:
        source = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError(f"--payloads: cannot read {source}: {exc.strerror}") from exc
    cases: list[PayloadCase] = []
    for number, raw_line in enumerate(text.splitlines(), start=1):
        if not raw_line.strip():
            continue
        where = f"{source}:{number}"
        try:
            item = json.loads(raw_line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{where}: not valid JSON ({exc.msg})") from exc
        cases.append(_parse_case(item, where, number, default_content_type))
    if not cases:
        raise InputError(f"--payloads: {source} holds no payloads")
    return cases


def _parse_case(item: Any, where: str, number: int, default_content_type: str) -> PayloadCase:
    if not isinstance(item, Mapping):
        raise InputError(f"{where}: expected a JSON object per line")
    unknown = sorted(set(item) - _CASE_KEYS)
    if unknown:
        raise InputError(
            f"{where}: unknown key {unknown[0]!r}; allowed: {', '.join(sorted(_CASE_KEYS))}"
        )
    if "input" not in item:
        raise InputError(f"{where}: missing key 'input'")
    payload = item["input"]
    body = payload.encode("utf-8") if isinstance(payload, str) else json.dumps(payload).encode()
    for key in ("name", "content_type", "accept"):
        if key in item and (not isinstance(item[key], str) or not item[key]):
            raise InputError(f"{where}: key '{key}' must be a non-empty string")
    expect_raw = item.get("expect", {})
    if not isinstance(expect_raw, Mapping):
        raise InputError(f"{where}: key 'expect' must be an object")
    unknown = sorted(set(expect_raw) - _EXPECT_KEYS)
    if unknown:
        raise InputError(
            f"{where}: unknown key 'expect.{unknown[0]}'; "
            f"allowed: {', '.join(sorted(_EXPECT_KEYS))}"
        )
    status = expect_raw.get("status", 200)
    if isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599:
        raise InputError(f"{where}: key 'expect.status' must be an HTTP status code")
    json_type = expect_raw.get("json_type")
    if json_type is not None and json_type not in JSON_TYPES:
        raise InputError(f"{where}: key 'expect.json_type' must be one of {', '.join(JSON_TYPES)}")
    json_keys = expect_raw.get("json_keys", {})
    if not isinstance(json_keys, Mapping) or not all(
        isinstance(k, str) and k and v in JSON_TYPES for k, v in json_keys.items()
    ):
        raise InputError(
            f"{where}: key 'expect.json_keys' must map dotted paths to one of "
            f"{', '.join(JSON_TYPES)}"
        )
    body_regex = expect_raw.get("body_regex")
    if body_regex is not None:
        try:
            re.compile(body_regex)
        except (re.error, TypeError) as exc:
            raise InputError(f"{where}: key 'expect.body_regex' is not a valid regex") from exc
    content_type = expect_raw.get("content_type")
    if content_type is not None and not isinstance(content_type, str):
        raise InputError(f"{where}: key 'expect.content_type' must be a string")
    return PayloadCase(
        line=number,
        name=item.get("name", f"line {number}"),
        body=body,
        content_type=item.get("content_type", default_content_type),
        accept=item.get("accept"),
        expect=Expectation(
            status=status,
            content_type=content_type,
            json_type=json_type,
            json_keys=tuple(json_keys.items()),
            body_regex=body_regex,
        ),
    )


def json_type_of(value: Any) -> str:
    """Name a decoded JSON value's type with the vocabulary of the payload file."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _type_matches(actual: str, expected: str) -> bool:
    return actual == expected or (expected == "number" and actual == "integer")


def _lookup(document: Any, path: str) -> tuple[bool, Any]:
    current = document
    for part in path.split("."):
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            return False, None
    return True, current


def check_response(
    expect: Expectation, status: int, content_type: str | None, body: bytes
) -> list[str]:
    """Return the ways a response misses its expectation (empty when it passes)."""
    problems: list[str] = []
    if status != expect.status:
        problems.append(f"status {status}, expected {expect.status}")
        return problems
    if expect.content_type and not (content_type or "").startswith(expect.content_type):
        problems.append(f"content type {content_type!r}, expected {expect.content_type!r}")
    text = body.decode("utf-8", errors="replace")
    if expect.body_regex is not None and not re.fullmatch(expect.body_regex, text.strip()):
        snippet = text.strip()[:80]
        problems.append(f"body {snippet!r} does not match /{expect.body_regex}/")
    if expect.json_type is None and not expect.json_keys:
        return problems
    try:
        document = json.loads(text)
    except json.JSONDecodeError:
        problems.append(f"body is not JSON: {text.strip()[:80]!r}")
        return problems
    if expect.json_type and not _type_matches(json_type_of(document), expect.json_type):
        problems.append(f"body is a JSON {json_type_of(document)}, expected {expect.json_type}")
    for path, expected_type in expect.json_keys:
        found, value = _lookup(document, path)
        if not found:
            problems.append(f"missing key '{path}'")
        elif not _type_matches(json_type_of(value), expected_type):
            problems.append(f"key '{path}' is {json_type_of(value)}, expected {expected_type}")
    return problems


def percentile(values: list[float], fraction: float) -> float | None:
    """Nearest-rank percentile: the smallest value with at least ``fraction`` at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def _invoke(runtime: Any, endpoint_name: str, case: PayloadCase) -> tuple[int, str | None, bytes]:
    request: dict[str, Any] = {
        "EndpointName": endpoint_name,
        "Body": case.body,
        "ContentType": case.content_type,
    }
    if case.accept:
        request["Accept"] = case.accept
    try:
        response = runtime.invoke_endpoint(**request)
    except ClientError as exc:
        error = exc.response.get("Error", {})
        if error.get("Code") == "ModelError":
            # The container answered with a non-2xx status; that status is what a case expects.
            original = exc.response.get("OriginalStatusCode") or 500
            message = exc.response.get("OriginalMessage") or error.get("Message", "")
            return int(original), None, str(message).encode("utf-8")
        raise
    return 200, response.get("ContentType"), response["Body"].read()


def run_cases(
    runtime: Any,
    endpoint_name: str,
    cases: list[PayloadCase],
    *,
    repeat: int = 1,
    progress: Callable[[str], None] = silent,
    clock: Callable[[], float] = time.perf_counter,
) -> list[CaseResult]:
    """Invoke every case ``repeat`` times; a case passes when every invocation passes."""
    results: list[CaseResult] = []
    for case in cases:
        result = CaseResult(
            name=case.name, line=case.line, passed=True, status=None, latencies_ms=[], problems=[]
        )
        for _ in range(repeat):
            started = clock()
            try:
                status, content_type, body = _invoke(runtime, endpoint_name, case)
            except ClientError as exc:
                result.problems.append(f"invocation failed: {describe_client_error(exc)}")
                break
            result.latencies_ms.append((clock() - started) * 1000.0)
            result.status = status
            for problem in check_response(case.expect, status, content_type, body):
                if problem not in result.problems:
                    result.problems.append(problem)
        result.passed = not result.problems
        progress(f"{'PASS' if result.passed else 'FAIL'} {case.name}")
        results.append(result)
    return results


def check_endpoint(
    *,
    sagemaker: Any,
    runtime: Any,
    stage: str,
    endpoint_name: str,
    cases: list[PayloadCase],
    max_latency_ms: float | None,
    repeat: int = 1,
    progress: Callable[[str], None] = silent,
    clock: Callable[[], float] = time.perf_counter,
) -> EndpointTestReport:
    """Check the endpoint is InService, run the cases and apply the p95 latency threshold."""
    try:
        description = sagemaker.describe_endpoint(EndpointName=endpoint_name)
    except ClientError as exc:
        if is_not_found(exc):
            raise MlgovError(
                f"endpoint {endpoint_name} does not exist in the {stage} account"
            ) from exc
        raise
    status = description["EndpointStatus"]
    report = EndpointTestReport(
        stage=stage,
        endpoint_name=endpoint_name,
        endpoint_config_name=description.get("EndpointConfigName"),
        max_latency_ms=max_latency_ms,
        cases=[],
        p50_ms=None,
        p95_ms=None,
        max_ms=None,
    )
    if status != "InService":
        report.problems.append(f"endpoint is {status}, not InService")
        return report
    report.cases = run_cases(
        runtime, endpoint_name, cases, repeat=repeat, progress=progress, clock=clock
    )
    latencies = [ms for case in report.cases for ms in case.latencies_ms]
    report.p50_ms = percentile(latencies, 0.50)
    report.p95_ms = percentile(latencies, 0.95)
    report.max_ms = max(latencies) if latencies else None
    if max_latency_ms is not None and report.p95_ms is not None and report.p95_ms > max_latency_ms:
        report.problems.append(
            f"p95 latency {report.p95_ms:.1f} ms exceeds the {max_latency_ms:g} ms threshold"
        )
    return report


def run_test_endpoint(
    session: boto3.Session,
    config: TargetConfig,
    payloads: str | Path | list[PayloadCase] | None,
    *,
    endpoint_name: str | None = None,
    model_package_group: str | None = None,
    max_latency_ms: float | None = None,
    content_type: str = "application/json",
    repeat: int = 1,
    pipeline_execution_id: str | None = None,
    target_session: boto3.Session | None = None,
    progress: Callable[[str], None] = silent,
) -> EndpointTestReport:
    """Assume the target's deploy role and test its endpoint with the payload file.

    ``payloads`` is a payload file, None for the packaged default, or cases already loaded
    (the CLI loads them before it touches AWS). ``target_session`` is the deploy role's session
    when the caller already holds one, so the role is not assumed twice.
    """
    if isinstance(payloads, list):
        cases = payloads
    else:
        cases = load_payloads(payloads, default_content_type=content_type)
    name = endpoint_name or config.resolve_endpoint_name(model_package_group)
    target = target_session
    if target is None:
        target = assume_target_role(
            session, config.identity, purpose="test", execution_id=pipeline_execution_id
        )
    progress(f"testing endpoint {name} in {config.stage} account {config.account_id}")
    return check_endpoint(
        sagemaker=target.client("sagemaker", region_name=config.region),
        runtime=target.client("sagemaker-runtime", region_name=config.region),
        stage=config.stage,
        endpoint_name=name,
        cases=cases,
        max_latency_ms=max_latency_ms,
        repeat=repeat,
        progress=progress,
    )
