"""Synthesize every environment in `environments/` into `cdktf.out/` (one stack per account).

The data-governance account gets a second stack, `<env>-unified-studio`, when it configures
`unified_studio` (hashicorp/aws 6.x, kept apart from the other stacks).

    python main.py [--outdir DIR] [--environments DIR]

Relative paths are taken from the directory the command runs in. Exit codes: 0 synthesized;
2 bad configuration or module arguments (nothing written; every mistake of the run in one
report); 1 anything else, e.g. Node.js missing, or the deployment builds' wheels missing or not
matching their lock (nothing written; the message names the `make` target that downloads them).
The cdktn/cdktf CLIs run this same file (see cdktf.json).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--outdir",
        type=Path,
        default=Path(os.environ.get("CDKTF_OUTDIR", PROJECT_ROOT / "cdktf.out")),
        help="output directory (default: $CDKTF_OUTDIR, else cdktf.out/ of this project)",
    )
    parser.add_argument(
        "--environments",
        type=Path,
        default=PROJECT_ROOT / "environments",
        help="configuration directory (default: environments/ of this project)",
    )
    args = parser.parse_args(argv)
    # Paths given on the command line mean what they mean where the command was run.
    outdir, environments = args.outdir.resolve(), args.environments.resolve()

    # cdktn's constructs run in Node.js (jsii starts `node`, or $JSII_NODE); without it jsii fails
    # deep inside its kernel with a traceback that does not say so.
    node = os.environ.get("JSII_NODE") or "node"
    if shutil.which(node) is None:
        print(
            f"error: Node.js is not on PATH ({node!r} not found): cdktn runs its constructs in "
            "Node.js >= 20; install it, or set JSII_NODE to the node executable",
            file=sys.stderr,
        )
        return 1

    # Module sources are resolved relative to the working directory, as cdktn expects.
    os.chdir(PROJECT_ROOT)
    from platform_composition.app import format_summary, synthesize
    from platform_composition.config import ConfigError
    from platform_composition.hcl_module import ModuleArgumentError
    from platform_composition.wheelhouse import WheelhouseError

    try:
        rows = synthesize(environments, outdir)
    except (ConfigError, ModuleArgumentError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except WheelhouseError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(format_summary(rows))
    print(f"\nsynthesized {len(rows)} stacks into {outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
