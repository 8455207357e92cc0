"""Sandbox cost: apply of every stack, no-change re-plan, destroy; resources applied vs planned.

    python benchmarks/sandbox.py [--json] [--keep]

Brings the default organization up in a temporary sandbox with real Terraform and the real AWS
provider (`TF_PROVIDER_MIRROR` or the registry) against the simulated AWS, re-plans every stack,
then destroys it (`--keep` leaves it up and prints its directory). Targets on the 2-core
reference machine: apply of the default organization <= 300 s, re-plan of all stacks <= 90 s,
no pending change after apply. Exit 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_ROOT))

from platform_sandbox.organization import Sandbox, coverage_table  # noqa: E402

APPLY_TARGET_SECONDS = 300.0
REPLAN_TARGET_SECONDS = 90.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--json", action="store_true", help="print a JSON document")
    parser.add_argument("--keep", action="store_true", help="leave the sandbox up")
    args = parser.parse_args(argv)

    root = Path(tempfile.mkdtemp(prefix="mlgov-sandbox-bench-"))
    sandbox = Sandbox(root, progress=lambda line: print(line, file=sys.stderr))
    try:
        started = time.monotonic()
        runs = sandbox.up()
        up_seconds = time.monotonic() - started
        not_applied = sandbox.stacks_not_applied()
        started = time.monotonic()
        sandbox.replan_all(runs)
        replan_seconds = time.monotonic() - started
        destroy_seconds = None
        if not args.keep:
            started = time.monotonic()
            sandbox.destroy_all()
            destroy_seconds = time.monotonic() - started
    finally:
        if not args.keep:
            sandbox.down()

    drifting = [run.name for run in runs if run.replan_changes]
    misses = []
    if up_seconds > APPLY_TARGET_SECONDS:
        misses.append(f"apply {up_seconds:.0f} s > {APPLY_TARGET_SECONDS:.0f} s")
    if replan_seconds > REPLAN_TARGET_SECONDS:
        misses.append(f"re-plan {replan_seconds:.0f} s > {REPLAN_TARGET_SECONDS:.0f} s")
    if drifting:
        misses.append(f"changes pending after apply: {', '.join(drifting)}")
    result = {
        "up_seconds": round(up_seconds, 1),
        "replan_seconds": round(replan_seconds, 1),
        "destroy_seconds": None if destroy_seconds is None else round(destroy_seconds, 1),
        "stacks": [
            {
                "stack": run.name,
                "applied": run.applied,
                "planned": run.planned,
                "apply_seconds": round(run.apply_seconds, 1),
                "replan_seconds": round(run.replan_seconds, 1),
                "changes_after_apply": run.replan_changes,
            }
            for run in runs
        ],
        "stacks_not_applied": [
            {"stack": run.name, "reason": run.not_applied} for run in not_applied
        ],
        "misses": misses,
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(coverage_table(runs, not_applied=not_applied))
        print(
            f"\nup (simulator, synth, apply of {len(runs)} stacks): {up_seconds:.0f} s "
            f"(target <= {APPLY_TARGET_SECONDS:.0f} s)"
        )
        print(
            f"re-plan of all stacks: {replan_seconds:.0f} s "
            f"(target <= {REPLAN_TARGET_SECONDS:.0f} s)"
        )
        if destroy_seconds is not None:
            print(f"destroy of all stacks: {destroy_seconds:.0f} s")
        if args.keep:
            print(f"sandbox left up in {root}")
        for miss in misses:
            print(f"MISS: {miss}")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
