"""Synth cost: wall time and peak RSS (Python + the jsii Node process) per organization size.

    python benchmarks/synth.py [--dev-accounts 0 10 50 100] [--repeat 3] [--json]

`0` means the default `environments/` as shipped; any other N generates an organization with N
dev accounts (plus hub, test, prod, data governance) in a temporary directory. Each size is run
once with an empty module-interface cache (the first synth after a module's variables.tf or
outputs.tf changed parses them) and `--repeat` times more in a fresh interpreter each; the table
reports that first run, the median of the others and the peak RSS of one more run. Memory is
sampled in that extra run only: polling the process tree costs CPU that a 2-core machine would
otherwise give the synth, so the timed runs are not sampled. Targets (on the median): default
<= 1.5 s and <= 250 MB; 50 dev accounts <= 4 s; growth linear.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_ENVIRONMENTS = PROJECT_ROOT / "environments"
TARGETS = {0: (1.5, 250.0), 50: (4.0, None)}


def generate_organization(target: Path, dev_accounts: int) -> Path:
    """The default organization with its dev accounts replaced by `dev_accounts` generated ones."""
    shutil.copytree(DEFAULT_ENVIRONMENTS, target)
    for env_dir in target.iterdir():
        if env_dir.is_dir() and 'role       = "dev"' in (env_dir / "environment.hcl").read_text():
            shutil.rmtree(env_dir)
    # The lake's grants name the default teams: every generated team gets marketing data instead.
    governance = target / "data-governance" / "environment.hcl"
    text = governance.read_text()
    lake_grants = "".join(
        f'  grant "dev-team-{index:03d}" {{\n    expression = {{ domain = ["marketing"] }}\n  }}\n'
        for index in range(dev_accounts)
    )
    cut = min(i for i in (text.find("  # Team A"), text.index('  grant "')) if i >= 0)
    governance.write_text(text[:cut].rstrip() + "\n" + lake_grants + "}\n")
    for index in range(dev_accounts):
        env_dir = target / f"dev-team-{index:03d}"
        env_dir.mkdir()
        account_id = f"{900000000000 + index:012d}"
        sso_roles = f"arn:aws:iam::{account_id}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO"
        (env_dir / "environment.hcl").write_text(
            f'role       = "dev"\naccount_id = "{account_id}"\nteam       = "team-{index:03d}"\n'
            "workspace {\n"
            '  network "create" {\n'
            '    cidr               = "10.40.0.0/16"\n'
            '    availability_zones = ["eu-west-1a", "eu-west-1b"]\n'
            "  }\n"
            f'  lead_data_scientist_principal_arns = ["{sso_roles}_MLLead_0123456789abcdef"]\n'
            f'  data_scientist_principal_arns      = ["{sso_roles}_MLScientist_0123456789abcdef"]\n'
            "  users = {\n"
            '    lead = { persona = "lead_data_scientist", sso_user_name = "lead@example.com" }\n'
            '    scientist = { persona = "data_scientist", sso_user_name = "ds@example.com" }\n'
            "  }\n"
            "}\n"
        )
    return target


def _command(environments: Path, outdir: Path) -> list[str]:
    return [
        sys.executable,
        str(PROJECT_ROOT / "main.py"),
        "--environments",
        str(environments),
        "--outdir",
        str(outdir),
    ]


def _fail(stderr: bytes | None) -> RuntimeError:
    return RuntimeError(f"synth failed: {stderr.decode() if stderr else ''}")


def measure_wall(environments: Path, outdir: Path, cache: Path) -> float:
    """Run main.py once with `cache` as XDG_CACHE_HOME; return its wall time in seconds."""
    start = time.perf_counter()
    result = subprocess.run(
        _command(environments, outdir),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "XDG_CACHE_HOME": str(cache)},
        check=False,
    )
    wall = time.perf_counter() - start
    if result.returncode != 0:
        raise _fail(result.stderr)
    return wall


def measure_peak_rss(environments: Path, outdir: Path, cache: Path) -> float:
    """Run main.py once, sampling the process tree's RSS (Python + the jsii Node process)
    every 10 ms; return the largest sum in MB."""
    process = psutil.Popen(
        _command(environments, outdir),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "XDG_CACHE_HOME": str(cache)},
    )
    peak = 0
    while process.poll() is None:
        try:
            tree = [process, *process.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.01)
    if process.returncode != 0:
        raise _fail(process.stderr.read() if process.stderr else None)
    return peak / 1024 / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--dev-accounts", type=int, nargs="+", default=[0, 10, 50, 100])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    args = parser.parse_args(argv)

    results: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for count in args.dev_accounts:
            if count == 0:
                environments = DEFAULT_ENVIRONMENTS
            else:
                environments = generate_organization(Path(tmp) / f"org-{count}", count)
            out, cache = Path(tmp) / f"out-{count}", Path(tmp) / f"cache-{count}"
            first = measure_wall(environments, out, cache)
            wall = statistics.median(
                measure_wall(environments, out, cache) for _ in range(args.repeat)
            )
            rss = measure_peak_rss(environments, out, cache)
            # Stacks synthesized (an environment may have more than one), not environments.
            stacks = sum(1 for p in (out / "stacks").iterdir() if p.is_dir())
            target_wall, target_rss = TARGETS.get(count, (None, None))
            ok = (target_wall is None or wall <= target_wall) and (
                target_rss is None or rss <= target_rss
            )
            results.append(
                {
                    "dev_accounts": count or "default",
                    "stacks": stacks,
                    "first_synth_seconds": round(first, 3),
                    "wall_seconds": round(wall, 3),
                    "peak_rss_mb": round(rss, 1),
                    "target": (
                        f"<= {target_wall} s" + (f", <= {target_rss:.0f} MB" if target_rss else "")
                        if target_wall
                        else "-"
                    ),
                    "meets_target": ok if target_wall else None,
                }
            )
            if not args.json:
                print(
                    f"  measured {count or 'default'}: first {first:.3f} s, then {wall:.3f} s, "
                    f"{rss:.1f} MB",
                    file=sys.stderr,
                )

    if args.json:
        print(json.dumps(results, indent=2))
    else:
        header = (
            f"{'dev accounts':>12}  {'stacks':>6}  {'first (s)':>9}  {'wall (s)':>8}  "
            f"{'peak RSS (MB)':>13}  target"
        )
        print(header)
        for row in results:
            met = row["meets_target"]
            verdict = "" if met is None else ("  ok" if met else "  MISSED")
            print(
                f"{row['dev_accounts']!s:>12}  {row['stacks']:>6}  "
                f"{row['first_synth_seconds']:>9.3f}  {row['wall_seconds']:>8.3f}  "
                f"{row['peak_rss_mb']:>13.1f}  {row['target']}{verdict}"
            )
    return 0 if all(row["meets_target"] is not False for row in results) else 1


if __name__ == "__main__":
    sys.exit(main())
