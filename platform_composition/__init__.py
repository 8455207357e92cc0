"""Composition of the platform's HCL modules into one Terraform stack per AWS account.

`config` parses `environments/`, `naming` derives every cross-account name from it, `stacks`
composes the modules of each account role, and `app` synthesizes all stacks atomically.
"""

import os

# The jsii kernel still runs on Node 20 but prints a multi-line end-of-life banner on every run,
# burying the synth summary; Node >= 22 is recommended in the README.
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
