"""Operator tooling for the governed ML platform: deploy, smoke-test and govern models.

Run as ``python -m mlgov <subcommand>`` with ``scripts/`` on ``PYTHONPATH`` (CodeBuild runs it
from the tooling bundle, a zip of this package). Every subcommand's logic lives in a module that
takes boto3 sessions or clients as arguments, so tests drive it without argparse.
"""

__version__ = "0.1.0"
