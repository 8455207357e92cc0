"""Benchmark the model promoter end to end against moto (no AWS account needed).

Promotes one approved dev-account model package whose model.tar.gz is `--size-mib` MiB (64 by
default) through the real handler (`model_promoter.handler.lambda_handler`, called in-process
with a moto-backed runtime, the same multi-account world the tests use), then measures:

* wall time of the promotion;
* artifact bytes that passed through the function's memory: counted by botocore hooks on every
  client the function uses: response bodies of S3 GetObject, request bodies of S3
  PutObject/UploadPart and of ECR UploadLayerPart (target 0 for S3: both copy stages are
  server-side; the small lineage manifest the function writes is reported on its own line);
* copy calls per stage: CopyObject / CreateMultipartUpload / UploadPartCopy signed by the dev
  account's promotion-source role (stage 1, source -> `staging/`) and by the hub's promoter
  role (stage 2, `staging/` -> `promoted/`);
* hub-bucket writes signed by the promotion-source role that fall outside
  `staging/<dev account id>/` (target 0; the hub bucket policy would deny them), and any
  promotion-source-role write (attempted or denied) to `promoted/` (target 0: only the hub's
  own role writes there);
* mutating API calls made when the same event is delivered again (target 0), and again after
  the idempotency record expired (the registry-level check must still write nothing);
* cold import time of the handler module in a fresh interpreter (target <= 0.5 s), as
  `python -X importtime` reports it (cumulative microseconds of `model_promoter.handler`).

Usage (from the repository root):

    .venv/bin/python benchmarks/promotion.py            # human-readable table
    .venv/bin/python benchmarks/promotion.py --json     # one JSON object
    .venv/bin/python benchmarks/promotion.py --size-mib 256 --import-runs 5

Exit code 0 when every target is met, 1 when one is missed, 2 for bad arguments. Moto keeps
objects in memory, so the wall time measures the promoter's own overhead and moto's copying,
not S3's throughput.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

ROOT = Path(__file__).resolve().parents[1]
LAMBDA_SRC = ROOT / "lambda_src"
TEST_WORLD = ROOT / "tests" / "lambda_src" / "model_promoter"
MIB = 1024 * 1024
IMPORT_TARGET_SECONDS = 0.5
LINEAGE_SUFFIX = "_promotion/lineage.json"


class ByteMeter:
    """Counts artifact bytes the function itself holds: what it passes to or gets from botocore.

    Hooks `provide-client-params` (the Body/blob handed to S3 PutObject/UploadPart and ECR
    UploadLayerPart) and `after-call` of S3 GetObject (the body it would read).
    """

    _SENT: ClassVar[dict[str, str]] = {
        "s3.PutObject": "Body",
        "s3.UploadPart": "Body",
        "ecr.UploadLayerPart": "layerPartBlob",
    }

    def __init__(self) -> None:
        self.bytes: Counter[str] = Counter()

    def attach(self, emitter: Any) -> None:
        for operation, field in self._SENT.items():
            emitter.register(
                f"provide-client-params.{operation}",
                functools.partial(self._sent, operation, field),
            )
        emitter.register("after-call.s3.GetObject", self._received)

    def _sent(self, operation: str, field: str, params: dict[str, Any], **_: Any) -> None:
        body = params.get(field, b"")
        size = len(body) if isinstance(body, bytes | bytearray | str) else 0
        if hasattr(body, "seek") and hasattr(body, "tell"):
            position = body.tell()
            size = body.seek(0, os.SEEK_END) - position
            body.seek(position)
        if operation == "s3.PutObject" and str(params.get("Key", "")).endswith(LINEAGE_SUFFIX):
            operation = "s3.PutObject(lineage manifest)"
        self.bytes[operation] += size

    def _received(self, parsed: dict[str, Any], **_: Any) -> None:
        self.bytes["s3.GetObject"] += int(parsed.get("ContentLength", 0))

    @property
    def artifact_bytes(self) -> int:
        return sum(v for k, v in self.bytes.items() if not k.endswith("(lineage manifest)"))


def _environment() -> None:
    sys.path[:0] = [str(LAMBDA_SRC), str(TEST_WORLD)]
    from promoter_world import PROMOTER_ENVIRONMENT

    os.environ.update(
        {
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_SESSION_TOKEN": "testing",
            **PROMOTER_ENVIRONMENT,
            "POWERTOOLS_LOG_LEVEL": "WARNING",
        }
    )


def measure_promotion(size_mib: int) -> dict[str, Any]:
    """Run promotion + replays in one moto world and return the measurements."""
    _environment()
    import model_promoter.handler as handler
    from moto import mock_aws
    from promoter_world import (
        AWS_OWNED_IMAGE,
        CallRecorder,
        World,
        load_event,
        make_runtime,
    )

    class Context:
        function_name = "mlgov-model-promoter"
        memory_limit_in_mb = 1024
        invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:mlgov-model-promoter"
        aws_request_id = "benchmark"

        def get_remaining_time_in_millis(self) -> int:
            return 900_000

    with mock_aws():
        world = World.create()
        artifacts = world.put_version_artifacts(1, model_size=size_mib * MIB)
        world.register_source_package(
            [{"Image": AWS_OWNED_IMAGE, "ModelDataUrl": artifacts["model"]}], artifacts
        )
        recorder = CallRecorder()
        runtime, sources, policies = make_runtime(world, recorder)
        meter = ByteMeter()
        for client in (runtime.s3, runtime.ecr, runtime.sagemaker, runtime.ssm):
            meter.attach(client.meta.events)
        sources.on_session = lambda session: meter.attach(session.events)
        handler._runtime = runtime
        recorder.attach(handler._persistence.client.meta.events, "idempotency")
        event = load_event("sagemaker_model_package_approved.json")

        context = cast("LambdaContext", Context())
        started = time.perf_counter()
        result = handler.lambda_handler(event, context)
        wall = time.perf_counter() - started
        if result.get("status") != "promoted":
            raise RuntimeError(f"promotion did not succeed: {result}")
        first_writes = len(recorder.writes()) + len(policies.puts)
        bucket = world.settings.hub_artifact_bucket
        copy_operations = ("CopyObject", "CreateMultipartUpload", "UploadPartCopy")
        copy_calls = {
            stage: {
                op: len([c for c in recorder.of("s3", op, label) if c.params["Bucket"] == bucket])
                for op in copy_operations
            }
            for stage, label in (("stage", "dev"), ("promote", "hub"))
        }
        get_object_calls = len(recorder.of("s3", "GetObject"))
        # Stage 1 is signed by the dev account's promotion-source role; the hub bucket policy
        # admits it only under staging/<that account id>/ (emulated by HubBucketPolicy), and no
        # dev-account principal may write promoted/.
        source_writes = [
            c
            for c in recorder.calls
            if c.label == "dev" and c.service == "s3" and c.params.get("Bucket") == bucket
        ]
        own_prefix = f"staging/{event['account']}/"
        outside_prefix = [c for c in source_writes if not c.params["Key"].startswith(own_prefix)]
        denied = list(sources.bucket_policy.denied) if sources.bucket_policy else []
        source_promoted_writes = [
            c for c in source_writes if c.params["Key"].startswith("promoted/")
        ] + [d for d in denied if d[0].startswith("source:") and "on promoted/" in d[2]]
        promoted_writes_by_hub = [
            c
            for c in recorder.calls
            if c.label == "hub"
            and c.is_write
            and c.service == "s3"
            and str(c.params.get("Key", "")).startswith("promoted/")
        ]

        recorder.reset()
        policies.puts.clear()
        replay = handler.lambda_handler(dict(event, id="replayed-event"), context)
        replay_calls = list(recorder.writes())

        table = world.settings.idempotency_table_name
        dynamodb = world.hub.client("dynamodb")
        for item in world.idempotency_items():
            dynamodb.delete_item(TableName=table, Key={"id": item["id"]})
        recorder.reset()
        expired = handler.lambda_handler(event, context)
        expired_calls = list(recorder.writes())
        recorder.detach_all()

        def registry_writes(calls: list[Any]) -> list[str]:
            return [f"{c.service}:{c.operation}" for c in calls if c.label != "idempotency"]

        return {
            "artifact_size_bytes": size_mib * MIB,
            "promotion_wall_seconds": round(wall, 3),
            "promotion_status": result["status"],
            "copy_calls_by_stage": copy_calls,
            "s3_get_object_calls": get_object_calls,
            "artifact_bytes_through_function": meter.artifact_bytes,
            "bytes_by_operation": dict(meter.bytes),
            "mutating_calls_first_delivery": first_writes,
            "source_role_hub_writes": len(source_writes),
            "source_role_hub_writes_outside_own_staging_prefix": len(outside_prefix) + len(denied),
            "source_role_writes_to_promoted": len(source_promoted_writes),
            "hub_role_writes_to_promoted": len(promoted_writes_by_hub),
            "replay_status": replay["status"],
            "replay_writes": registry_writes(replay_calls) + [p[0] for p in policies.puts],
            "replay_idempotency_calls": [
                c.operation for c in replay_calls if c.label == "idempotency"
            ],
            "expired_replay_status": expired["status"],
            "expired_replay_writes": registry_writes(expired_calls),
            "expired_replay_idempotency_calls": [
                c.operation for c in expired_calls if c.label == "idempotency"
            ],
        }


def measure_cold_import(runs: int) -> dict[str, Any]:
    """Import the handler in fresh interpreters; report `-X importtime` cumulative time."""
    _environment()
    samples = []
    env = dict(os.environ, PYTHONPATH=str(LAMBDA_SRC))
    for _ in range(runs):
        completed = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", "import model_promoter.handler"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            cwd=tempfile.gettempdir(),
        )
        line = next(
            row
            for row in reversed(completed.stderr.splitlines())
            if row.rstrip().endswith("| model_promoter.handler")
        )
        samples.append(int(line.split("|")[1]) / 1_000_000)
    return {
        "cold_import_seconds_median": round(statistics.median(samples), 3),
        "cold_import_seconds_samples": [round(s, 3) for s in samples],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mib", type=int, default=64, help="model artifact size (MiB)")
    parser.add_argument("--import-runs", type=int, default=3, help="fresh-process imports")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if args.size_mib < 1 or args.import_runs < 1:
        parser.error("--size-mib and --import-runs must be positive")

    if not args.json:
        print(f"promoting a {args.size_mib} MiB artifact through moto ...", flush=True)
    results = measure_promotion(args.size_mib)
    results.update(measure_cold_import(args.import_runs))
    targets = {
        "artifact_bytes_through_function": results["artifact_bytes_through_function"] == 0,
        "source_role_hub_writes_outside_own_staging_prefix": results[
            "source_role_hub_writes_outside_own_staging_prefix"
        ]
        == 0,
        "source_role_writes_to_promoted": results["source_role_writes_to_promoted"] == 0,
        "replay_writes": results["replay_writes"] == [],
        "expired_replay_writes": results["expired_replay_writes"] == [],
        "cold_import_seconds_median": results["cold_import_seconds_median"]
        <= IMPORT_TARGET_SECONDS,
    }
    results["targets_met"] = targets
    ok = all(targets.values())

    if args.json:
        print(json.dumps(results, indent=2))
        return 0 if ok else 1

    lineage = results["bytes_by_operation"].get("s3.PutObject(lineage manifest)", 0)
    calls = results["copy_calls_by_stage"]

    def per_stage(stage: str) -> str:
        c = calls[stage]
        return f"{c['CopyObject']} / {c['CreateMultipartUpload']} / {c['UploadPartCopy']}"

    rows = [
        ("promotion wall time", f"{results['promotion_wall_seconds']:.3f} s", "-"),
        (
            "artifact bytes through function memory",
            f"{results['artifact_bytes_through_function']} B",
            "0 B",
        ),
        ("  (lineage manifest written by the function)", f"{lineage} B", "-"),
        ("  S3 GetObject calls", str(results["s3_get_object_calls"]), "-"),
        (
            "stage 1 (source role -> staging/): CopyObject / CreateMPU / UploadPartCopy",
            per_stage("stage"),
            "-",
        ),
        (
            "stage 2 (hub role -> promoted/): CopyObject / CreateMPU / UploadPartCopy",
            per_stage("promote"),
            "-",
        ),
        (
            "  hub writes signed by the source role / outside staging/<dev account>/",
            f"{results['source_role_hub_writes']} / "
            f"{results['source_role_hub_writes_outside_own_staging_prefix']}",
            "- / 0",
        ),
        (
            "  source-role writes to promoted/ (attempted or denied)",
            str(results["source_role_writes_to_promoted"]),
            "0",
        ),
        (
            "  hub-role writes to promoted/ (copies, multipart calls, lineage)",
            str(results["hub_role_writes_to_promoted"]),
            "-",
        ),
        ("write calls, replayed event", str(len(results["replay_writes"])), "0"),
        (
            "  idempotency-table calls on that replay",
            ", ".join(results["replay_idempotency_calls"]) or "none",
            "-",
        ),
        (
            "write calls, replay after idempotency expiry",
            str(len(results["expired_replay_writes"])),
            "0",
        ),
        (
            "  idempotency-table calls on that replay",
            ", ".join(results["expired_replay_idempotency_calls"]) or "none",
            "-",
        ),
        (
            "handler cold import (median)",
            f"{results['cold_import_seconds_median']:.3f} s",
            f"<= {IMPORT_TARGET_SECONDS} s",
        ),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'metric'.ljust(width)}  {'value':>22}  target")
    for name, value, target in rows:
        print(f"{name.ljust(width)}  {value:>22}  {target}")
    missed = [name for name, met in targets.items() if not met]
    print("targets met" if ok else "TARGET MISSED: " + ", ".join(missed))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
