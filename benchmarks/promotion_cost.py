"""Calls, writes and wall time of one promotion as the central group grows (moto, no AWS).

For central groups that already hold 1, 100 and 1,000 versions (their history: registered over
the past days, with the group's policy and model card in place), promotes one approved
dev-account package (an AWS-owned image, a 64 MiB model, a metrics file and a baseline file)
through the real handler, in a fresh moto world each time, and counts every AWS call the
function makes: hub clients, the dev account's promotion-source session, the idempotency table,
and the group policy calls moto lacks (answered by the tests' stand-in, counted here). Also
counted: a replay of the same event (idempotency record present) and a replay after the
idempotency record expired.

Printed side by side with the minimal call sequence the design needs for the same promotion
(`MINIMAL`: every call there carries a guarantee: approval re-checked on the dev registry, two
server-side copies, each copy verified once, the lineage manifest, the registry and the model
card, idempotency), with the calls above it named.

Wall time (the median of `--wall-runs` promotions of successive source versions into the same
group; their calls are checked to be the same as the first one's) is compared with one
server-side copy of the same bytes (a CopyObject of each of the three objects, as the promoter
sends it: SSE-KMS, CRC32) in the same moto world, the median of `--copy-runs` runs, and with the
same bytes copied twice in a row, the floor of a two-stage copy.

Targets: calls and writes the same for 1, 100 and 1,000 versions; calls at most 2x the minimal
sequence; promotion wall time at most 1.5x the single copy. Exit code 0 when all are met, 1 when
one is missed.

Usage: .venv/bin/python benchmarks/promotion_cost.py [--versions 1,100,1000] [--wall-runs 3]
       [--copy-runs 3] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any, cast

sys.path.insert(0, str(Path(__file__).resolve().parent))

from promotion import MIB, _environment

CALLS_RATIO_TARGET = 2.0
WALL_RATIO_TARGET = 1.5
MODEL_MIB = 64

# The minimal sequence for this promotion (existing group with its policy, existing card, three
# objects below the multipart threshold, an AWS-owned image referenced as it is).
MINIMAL: list[tuple[str, str, bool, str]] = [
    ("dynamodb", "PutItem", True, "idempotency record, in progress"),
    ("ssm", "GetParameter", False, "source accounts map"),
    ("s3", "HeadObject", False, "already promoted? (one lookup)"),
    ("ssm", "GetParameter", False, "group policy template"),
    ("sts", "AssumeRole", False, "dev account's promotion-source role"),
    ("sagemaker", "DescribeModelPackage", False, "source package: still Approved, approver"),
    *[("s3", "HeadObject", False, "source object (ETag, size, version, checksum)")] * 3,
    *[("s3", "CopyObject", True, "stage copy (source role)")] * 3,
    *[("s3", "HeadObject", False, "staged copy verified")] * 3,
    *[("s3", "CopyObject", True, "promote copy (hub role)")] * 3,
    *[("s3", "HeadObject", False, "promoted copy verified")] * 3,
    ("s3", "PutObject", True, "lineage manifest"),
    ("sagemaker", "DescribeModelPackageGroup", False, "group exists?"),
    ("sagemaker", "GetModelPackageGroupPolicy", False, "group has its policy?"),
    ("sagemaker", "CreateModelPackage", True, "central package"),
    ("sagemaker", "DescribeModelCard", False, "model card"),
    ("sagemaker", "UpdateModelCard", True, "model card gains the version"),
    ("dynamodb", "UpdateItem", True, "idempotency record, completed"),
]


class Context:
    """The parts of the Lambda context the handler and Powertools read."""

    function_name = "mlgov-model-promoter"
    memory_limit_in_mb = 1024
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:mlgov-model-promoter"
    aws_request_id = "benchmark"

    def get_remaining_time_in_millis(self) -> int:
        return 900_000


def _backdate_history(account: str, region: str, group: str) -> None:
    """The group's existing versions were registered over the past days, not just now."""
    from moto.sagemaker.models import sagemaker_backends

    backend = sagemaker_backends[account][region]
    packages = [p for p in backend.model_packages.values() if p.model_package_group_name == group]
    for age, package in enumerate(reversed(packages), start=1):
        package.creation_time -= timedelta(days=1, minutes=age)


def measure(versions: int, copy_runs: int, wall_runs: int) -> dict[str, Any]:
    """One fresh moto world with a central group of `versions` versions; `wall_runs`
    promotions of successive source versions (the first one counted, all timed)."""
    _environment()
    import model_promoter.handler as handler
    from moto import mock_aws
    from promoter_world import (
        AWS_OWNED_IMAGE,
        CENTRAL_GROUP,
        DEV,
        DEV_BUCKET,
        HUB,
        REGION,
        SOURCE_GROUP,
        CallRecorder,
        World,
        event_for_version,
        group_policy_template,
        load_event,
        make_runtime,
    )

    with mock_aws():
        world = World.create()
        # Source versions 1..wall_runs, each with its own 64 MiB model: version 1's promotion
        # is counted, every version's promotion is timed.
        for source_version in range(1, wall_runs + 1):
            version_artifacts = world.put_version_artifacts(
                source_version, model_size=MODEL_MIB * MIB
            )
            world.register_source_package(
                [{"Image": AWS_OWNED_IMAGE, "ModelDataUrl": version_artifacts["model"]}],
                version_artifacts,
            )
            if source_version == 1:
                artifacts = version_artifacts
        recorder = CallRecorder()
        runtime, _, policies = make_runtime(world, recorder)
        # The central group's history: `versions` packages promoted from earlier source
        # versions, the group's policy and its model card.
        sagemaker = world.hub.client("sagemaker")
        sagemaker.create_model_package_group(ModelPackageGroupName=CENTRAL_GROUP)
        policies.policies[CENTRAL_GROUP] = group_policy_template().replace(
            "{model_package_group_name}", CENTRAL_GROUP
        )
        for version in range(1, versions + 1):
            sagemaker.create_model_package(
                ModelPackageGroupName=CENTRAL_GROUP,
                ModelApprovalStatus="PendingManualApproval",
                InferenceSpecification={
                    "Containers": [{"Image": AWS_OWNED_IMAGE}],
                    "SupportedContentTypes": ["text/csv"],
                    "SupportedResponseMIMETypes": ["text/csv"],
                },
                CustomerMetadataProperties={
                    "promotion:source-model-package-arn": (
                        f"arn:aws:sagemaker:{REGION}:{DEV}:model-package/{SOURCE_GROUP}/"
                        f"{1000 + version}"
                    )
                },
            )
        _backdate_history(HUB, REGION, CENTRAL_GROUP)
        sagemaker.create_model_card(
            ModelCardName=CENTRAL_GROUP,
            SecurityConfig={"KmsKeyId": world.settings.hub_kms_key_arn},
            Content=json.dumps({"model_overview": {"model_name": CENTRAL_GROUP}}),
            ModelCardStatus="Draft",
        )
        # The group policy calls are answered by the stand-in, outside botocore: count them.
        store_calls: list[tuple[str, str, dict[str, Any]]] = []
        put, get = policies.put, policies.get

        def counted_put(**kwargs: Any) -> Any:
            store_calls.append(("sagemaker", "PutModelPackageGroupPolicy", kwargs))
            return put(**kwargs)

        def counted_get(**kwargs: Any) -> Any:
            store_calls.append(("sagemaker", "GetModelPackageGroupPolicy", kwargs))
            return get(**kwargs)

        runtime.sagemaker.put_model_package_group_policy = counted_put
        runtime.sagemaker.get_model_package_group_policy = counted_get
        handler._runtime = runtime
        recorder.attach(handler._persistence.client.meta.events, "idempotency")
        event = load_event("sagemaker_model_package_approved.json")
        context = cast("Any", Context())

        def run(payload: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str, bool]]]:
            recorder.reset()
            store_calls.clear()
            result = handler.lambda_handler(payload, context)
            calls = [(c.service, c.operation, c.is_write) for c in recorder.calls]
            calls += [(s, o, o.startswith("Put")) for s, o, _ in store_calls]
            return result, calls

        started = time.perf_counter()
        first, first_calls = run(event)
        wall = time.perf_counter() - started
        if first.get("status") != "promoted":
            raise RuntimeError(f"promotion did not succeed: {first}")
        replay, replay_calls = run(dict(event, id="replayed-event"))
        dynamodb = world.hub.client("dynamodb")
        for item in world.idempotency_items():
            dynamodb.delete_item(
                TableName=world.settings.idempotency_table_name, Key={"id": item["id"]}
            )
        expired, expired_calls = run(event)
        walls = [wall]
        later_calls = []
        for source_version in range(2, wall_runs + 1):
            started = time.perf_counter()
            later, calls = run(event_for_version(source_version))
            walls.append(time.perf_counter() - started)
            if later.get("status") != "promoted":
                raise RuntimeError(f"promotion of version {source_version} failed: {later}")
            later_calls.append(len(calls))
        recorder.detach_all()

        # One server-side copy of the same bytes, as the promoter sends it.
        dev_s3 = world.dev.client("s3")
        keys = [uri.split(f"s3://{DEV_BUCKET}/", 1)[1] for uri in artifacts.values()][:3]
        samples: list[float] = []
        double: list[float] = []
        for run_number in range(copy_runs):
            for hops, into in ((1, samples), (2, double)):
                started = time.perf_counter()
                for key in keys:
                    source = key
                    for hop in range(hops):
                        target = f"copy-baseline/{run_number}/{hops}/{hop}/{key}"
                        dev_s3.copy_object(
                            Bucket=DEV_BUCKET,
                            Key=target,
                            CopySource={"Bucket": DEV_BUCKET, "Key": source},
                            MetadataDirective="REPLACE",
                            ServerSideEncryption="aws:kms",
                            SSEKMSKeyId=world.settings.hub_kms_key_arn,
                            ChecksumAlgorithm="CRC32",
                        )
                        source = target
                into.append(time.perf_counter() - started)
        pages = sagemaker.get_paginator("list_model_packages").paginate(
            ModelPackageGroupName=CENTRAL_GROUP
        )
        packages = sum(len(page["ModelPackageSummaryList"]) for page in pages)

    def summary(calls: list[tuple[str, str, bool]]) -> dict[str, Any]:
        return {
            "calls": len(calls),
            "writes": sum(1 for *_, w in calls if w),
            "writes_outside_idempotency_table": sum(
                1 for s, _, w in calls if w and s != "dynamodb"
            ),
            "by_operation": dict(Counter(f"{s}:{o}" for s, o, _ in calls)),
        }

    return {
        "versions_in_group": versions,
        "packages_after": packages,
        "promotion": summary(first_calls),
        "promotion_status": first["status"],
        "promotion_wall_seconds": round(statistics.median(walls), 3),
        "promotion_wall_samples": [round(w, 3) for w in walls],
        "later_promotions_calls": later_calls,
        "packages_promoted": wall_runs,
        "single_copy_seconds": round(statistics.median(samples), 3),
        "single_copy_samples": [round(s, 3) for s in samples],
        "two_copies_seconds": round(statistics.median(double), 3),
        "replay": summary(replay_calls),
        "replay_status": replay["status"],
        "expired_replay": summary(expired_calls),
        "expired_replay_status": expired["status"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--versions", default="1,100,1000", help="central group sizes")
    parser.add_argument("--copy-runs", type=int, default=3, help="single-copy baseline runs")
    parser.add_argument(
        "--wall-runs", type=int, default=3, help="promotions timed per group size (median)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    sizes = [int(v) for v in args.versions.split(",")]
    if any(v < 0 for v in sizes) or args.copy_runs < 1 or args.wall_runs < 1:
        parser.error("--versions must be >= 0, --copy-runs and --wall-runs >= 1")

    rows = []
    for versions in sizes:
        if not args.json:
            print(f"central group with {versions} versions ...", flush=True)
        rows.append(measure(versions, args.copy_runs, args.wall_runs))
    minimal_calls = len(MINIMAL)
    minimal_writes = sum(1 for *_, w, _ in MINIMAL if w)
    minimal_ops = Counter(f"{s}:{o}" for s, o, _, _ in MINIMAL)
    calls = [r["promotion"]["calls"] for r in rows]
    calls += [c for r in rows for c in r["later_promotions_calls"]]
    writes = [r["promotion"]["writes"] for r in rows]
    wall_ratio = max(r["promotion_wall_seconds"] / r["single_copy_seconds"] for r in rows)
    floor_ratio = max(r["promotion_wall_seconds"] / r["two_copies_seconds"] for r in rows)
    calls_ratio = max(calls) / minimal_calls
    extra = Counter(rows[-1]["promotion"]["by_operation"]) - minimal_ops
    missing = minimal_ops - Counter(rows[-1]["promotion"]["by_operation"])
    targets = {
        "calls_constant": len(set(calls)) == 1 and len(set(writes)) == 1,
        "calls_at_most_2x_minimal": calls_ratio <= CALLS_RATIO_TARGET,
        "wall_at_most_1.5x_single_copy": wall_ratio <= WALL_RATIO_TARGET,
        "one_central_package_each": all(
            r["packages_after"] == r["versions_in_group"] + r["packages_promoted"] for r in rows
        ),
        "replays_write_nothing": all(
            r["replay"]["writes_outside_idempotency_table"] == 0
            and r["expired_replay"]["writes_outside_idempotency_table"] == 0
            for r in rows
        ),
    }
    result = {
        "rows": rows,
        "minimal": {"calls": minimal_calls, "writes": minimal_writes, "sequence": MINIMAL},
        "calls_over_minimal": dict(extra),
        "minimal_calls_not_made": dict(missing),
        "calls_ratio": round(calls_ratio, 2),
        "wall_ratio": round(wall_ratio, 2),
        "wall_ratio_to_two_copies": round(floor_ratio, 2),
        "targets_met": targets,
    }
    ok = all(targets.values())
    if args.json:
        print(json.dumps(result, indent=2))
        return 0 if ok else 1

    header = f"{'':44}" + "".join(f"{r['versions_in_group']:>12,}" for r in rows)
    print(f"\n{'versions already in the central group':44}" + header[44:] + f"{'minimal':>12}")
    lines = [
        ("promotion: AWS calls", [r["promotion"]["calls"] for r in rows], minimal_calls),
        ("promotion: of which writes", [r["promotion"]["writes"] for r in rows], minimal_writes),
        ("replay (idempotency record): calls", [r["replay"]["calls"] for r in rows], None),
        (
            "replay (idempotency record): writes",
            [r["replay"]["writes"] for r in rows],
            None,
        ),
        ("replay after record expiry: calls", [r["expired_replay"]["calls"] for r in rows], None),
        ("replay after record expiry: writes", [r["expired_replay"]["writes"] for r in rows], None),
    ]
    for name, values, minimum in lines:
        tail = f"{minimum:>12}" if minimum is not None else f"{'-':>12}"
        print(f"{name:44}" + "".join(f"{v:>12}" for v in values) + tail)
    print(
        f"{'promotion wall time, median (s)':44}"
        + "".join(f"{r['promotion_wall_seconds']:>12.3f}" for r in rows)
    )
    print(
        f"{'one server-side copy of the same bytes (s)':44}"
        + "".join(f"{r['single_copy_seconds']:>12.3f}" for r in rows)
    )
    print(
        f"{'the same bytes copied twice in a row (s)':44}"
        + "".join(f"{r['two_copies_seconds']:>12.3f}" for r in rows)
    )
    print(
        f"{'statuses: first / replay / after expiry':44}"
        + "".join(
            f" {r['promotion_status'][:4]}/{r['replay_status'][:4]}/"
            f"{r['expired_replay_status'][:4]}".rjust(12)
            for r in rows
        )
    )
    print(f"\ncalls / minimal: {calls_ratio:.2f} (target <= {CALLS_RATIO_TARGET})")
    print(f"wall time / single copy: {wall_ratio:.2f} (target <= {WALL_RATIO_TARGET})")
    print(
        f"wall time / the same bytes copied twice (the two-stage copy's floor): {floor_ratio:.2f}"
    )
    print(
        "writes on replays are the idempotency table's conditional PutItem (and, after expiry, "
        "the new record's UpdateItem); outside it: "
        + ", ".join(
            f"{r['replay']['writes_outside_idempotency_table']}"
            f"/{r['expired_replay']['writes_outside_idempotency_table']}"
            for r in rows
        )
    )
    print(
        "calls over the minimal sequence: "
        + (", ".join(f"{k} x{v}" for k, v in extra.items()) or "none")
    )
    if missing:
        print("minimal calls not made: " + ", ".join(f"{k} x{v}" for k, v in missing.items()))
    missed = [name for name, met in targets.items() if not met]
    print("targets met" if ok else "TARGET MISSED: " + ", ".join(missed))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
