"""Command line: ``mlgov <command>`` (``python -m mlgov <command>`` from the tooling bundle).

Human-readable output by default, ``--json`` for pipelines; progress on stderr; exit code 0 on
success, 1 when the operation failed or was refused, 2 when the input was invalid. This module
only parses arguments and formats results; the work happens in the modules it calls.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from typing import Any, TextIO

import boto3
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

from mlgov import DISTRIBUTION, __version__, platform_defaults
from mlgov.aws import caller_arn, describe_client_error, make_session, parse_model_package_arn
from mlgov.deploy import run_deploy
from mlgov.endpoint_check import EndpointTestReport, load_payloads, run_test_endpoint
from mlgov.errors import EXIT_FAILED, EXIT_OK, InputError, MlgovError
from mlgov.governance import (
    DEFAULT_PROD_APPROVAL_ACTION,
    answer_prod_approval,
    list_pending_packages,
    set_model_approval,
)
from mlgov.platform_defaults import ENVIRONMENTS_ENV
from mlgov.progress import Progress
from mlgov.resolve import resolve_target
from mlgov.sandbox import add_sandbox_parser, run_sandbox
from mlgov.target_config import STAGES, load_target_document

SessionFactory = Callable[[str | None, str | None], boto3.Session]
# Set by the deployment pipeline's CodeBuild actions.
PACKAGE_ENV = "MODEL_PACKAGE_ARN"
EXECUTION_ID_ENV = "MLGOV_PIPELINE_EXECUTION_ID"
PIPELINE_ENV = "MLGOV_PIPELINE_NAME"
# Set on the prod deploy project by the pipeline module: whose approval a prod deploy requires.
APPROVER_ROLE_ENV = "MLGOV_PROD_APPROVER_ROLE_ARN"


class CommandResult:
    """What a command hands back for printing: JSON payload, human text, exit code."""

    def __init__(self, payload: dict[str, Any], text: str, exit_code: int = EXIT_OK) -> None:
        self.payload = payload
        self.text = text
        self.exit_code = exit_code


def _positive_float(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {value!r}") from None
    if number <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {value!r}")
    return number


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer, got {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected an integer >= 1, got {value!r}")
    return number


def _version_text() -> str:
    if __version__ == "unknown":
        return f"mlgov version unknown ({DISTRIBUTION} is not installed)"
    return f"mlgov {__version__}"


def _output_options(parser: argparse.ArgumentParser, **default: Any) -> None:
    """The options every command takes, wherever they are written."""
    parser.add_argument(
        "--json", action="store_true", help="print a JSON document on stdout", **default
    )
    parser.add_argument("--profile", help="AWS profile for the caller's credentials", **default)
    parser.add_argument(
        "--quiet", action="store_true", help="no progress lines on stderr", **default
    )


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser (exposed so tests and docs can inspect it)."""
    # --json, --profile and --quiet go before or after the command: the top-level parser holds
    # their defaults, and the commands' copies set nothing unless given (SUPPRESS), so a value
    # given before the command is not overwritten by the command's default.
    output = argparse.ArgumentParser(add_help=False)
    _output_options(output, default=argparse.SUPPRESS)
    region = argparse.ArgumentParser(add_help=False)
    region.add_argument("--region", help="region for the caller's session (default: profile's)")
    hub_region = argparse.ArgumentParser(add_help=False)
    hub_region.add_argument(
        "--hub-region",
        "--region",
        dest="region",
        help="region of the central registry and pipeline in the hub (default: the region of "
        "--model-package-arn where the command takes one, else the platform configuration's "
        "hub, else the profile's)",
    )
    platform = argparse.ArgumentParser(add_help=False)
    platform.add_argument(
        "--environments",
        metavar="DIR",
        help="the platform configuration that supplies values not given (pipeline name, hub "
        f"region) (default: ${ENVIRONMENTS_ENV}, else ./environments when it exists)",
    )
    target = argparse.ArgumentParser(add_help=False)
    target.add_argument(
        "--target-config",
        metavar="FILE",
        help="target config JSON, complete or naming its SSM parameter in the target account "
        "with target_config_parameter (default: the MLGOV_TARGET_CONFIG environment variable)",
    )
    target.add_argument(
        "--pipeline-execution-id",
        metavar="ID",
        default=os.environ.get(EXECUTION_ID_ENV) or None,
        help=f"pipeline execution for session names and tags (default: ${EXECUTION_ID_ENV})",
    )

    parser = argparse.ArgumentParser(
        prog="mlgov",
        description="Deploy, test and govern models of the governed ML platform.",
    )
    parser.add_argument("--version", action="version", version=_version_text())
    _output_options(parser)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    deploy = commands.add_parser(
        "deploy",
        parents=[output, region, target],
        help="deploy an approved central model package to the test or prod account",
        description=(
            "Create or blue/green-update the stage's endpoint with an Approved central model "
            "package. Re-deploying what already serves is a no-op."
        ),
    )
    deploy.add_argument(
        "--stage", required=True, choices=STAGES, help="stage; must match the target config"
    )
    deploy.add_argument(
        "--model-package-arn",
        metavar="ARN",
        default=os.environ.get(PACKAGE_ENV) or None,
        help=f"versioned central model package ARN (default: ${PACKAGE_ENV}, the pipeline "
        "variable)",
    )
    deploy.add_argument(
        "--pipeline",
        metavar="NAME",
        default=os.environ.get(PIPELINE_ENV) or None,
        help="deployment pipeline whose execution (--pipeline-execution-id) this deploy runs; "
        f"prod requires its approval by the governance officer (default: ${PIPELINE_ENV})",
    )
    deploy.add_argument(
        "--timeout",
        type=_positive_float,
        default=3600.0,
        metavar="SECONDS",
        help="give up waiting after this long (default 3600)",
    )
    deploy.add_argument(
        "--poll-seconds",
        type=_positive_float,
        default=30.0,
        metavar="SECONDS",
        help="DescribeEndpoint polling interval (default 30)",
    )
    deploy.set_defaults(handler=_cmd_deploy)

    check = commands.add_parser(
        "test-endpoint",
        parents=[output, region, target],
        help="invoke the stage's endpoint with test payloads and check responses and latency",
        description=(
            "Invoke the endpoint with each payload of a JSON lines file, check status, content "
            "type and JSON shape, and the p95 latency. Exit 1 on any failure."
        ),
    )
    check.add_argument(
        "--stage", choices=STAGES, help="stage; must match the target config (default: its stage)"
    )
    check.add_argument(
        "--payloads",
        metavar="FILE",
        help="JSON lines payload file (default: the packaged payloads/default.jsonl)",
    )
    check.add_argument(
        "--max-latency-ms",
        type=_positive_float,
        metavar="N",
        help="fail when the p95 latency of all invocations exceeds N milliseconds",
    )
    check.add_argument(
        "--content-type",
        default="application/json",
        help="content type for payloads that do not set one (default application/json)",
    )
    check.add_argument("--endpoint-name", help="endpoint to test (default: from target config)")
    check.add_argument(
        "--model-package-arn",
        metavar="ARN",
        default=os.environ.get(PACKAGE_ENV) or None,
        help="derive the endpoint name from this package's group when the config has none "
        f"(default: ${PACKAGE_ENV})",
    )
    check.add_argument(
        "--repeat",
        type=_positive_int,
        default=1,
        metavar="N",
        help="invoke each payload N times for a steadier latency figure (default 1)",
    )
    check.set_defaults(handler=_cmd_test_endpoint)

    governance = commands.add_parser(
        "governance",
        parents=[output],
        help="review and approve models; answer the pipeline's prod approval",
        description="Governance actions for the ML engineer and the governance officer.",
    )
    actions = governance.add_subparsers(dest="action", required=True, metavar="ACTION")
    pending = actions.add_parser(
        "pending",
        parents=[output, hub_region, platform],
        help="list central model packages awaiting approval, with their lineage",
        description="List the central model packages pending manual approval in the hub, "
        "with the lineage the promoter recorded (ML engineer).",
    )
    pending.add_argument("--group", help="only this central model package group")
    pending.set_defaults(handler=_cmd_pending)
    for name, approve in (("approve-model", True), ("reject-model", False)):
        verb = "approve" if approve else "reject"
        sub = actions.add_parser(
            name,
            parents=[output, hub_region],
            help=f"{verb} a central model package (ML engineer)",
            description=f"{verb.capitalize()} a central model package in the hub's registry "
            "(ML engineer); the reason is stored as its ApprovalDescription.",
        )
        sub.add_argument(
            "--model-package-arn", required=True, metavar="ARN", help="central model package ARN"
        )
        sub.add_argument("--reason", required=True, help="stored as the ApprovalDescription")
        sub.set_defaults(handler=_cmd_model_approval, approve=approve)
    for name, approve in (("approve-prod", True), ("reject-prod", False)):
        verb = "approve" if approve else "reject"
        sub = actions.add_parser(
            name,
            parents=[output, hub_region, platform],
            help=f"{verb} the pipeline's prod deployment (governance officer)",
            description=f"{verb.capitalize()} the deployment pipeline's pending prod approval "
            "(governance officer); the reason is stored as the approval summary.",
        )
        sub.add_argument(
            "--pipeline",
            metavar="NAME",
            default=os.environ.get(PIPELINE_ENV) or None,
            help=f"deployment pipeline name (default: ${PIPELINE_ENV}, else the platform "
            "configuration's)",
        )
        sub.add_argument(
            "--execution-id", metavar="ID", help="only if the approval belongs to this execution"
        )
        sub.add_argument("--reason", required=True, help="stored as the approval summary")
        sub.add_argument(
            "--action-name",
            default=DEFAULT_PROD_APPROVAL_ACTION,
            help=f"manual approval action name (default {DEFAULT_PROD_APPROVAL_ACTION})",
        )
        sub.set_defaults(handler=_cmd_prod_approval, approve=approve)
    add_sandbox_parser(commands, [output])
    commands.choices["sandbox"].set_defaults(handler=_cmd_sandbox)
    return parser


def _cmd_sandbox(
    args: argparse.Namespace, factory: SessionFactory, progress: Progress
) -> CommandResult:
    # The sandbox makes its own sessions against the simulator; the caller's AWS is never used.
    del factory
    payload, text = run_sandbox(args, progress)
    return CommandResult(payload, text)


def main(
    argv: Sequence[str] | None = None,
    *,
    session_factory: SessionFactory = make_session,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run the CLI and return its exit code (argparse exits 2 itself on bad arguments)."""
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    args = build_parser().parse_args(argv)
    progress = Progress(err, quiet=args.quiet)
    try:
        result: CommandResult = args.handler(args, session_factory, progress)
    except MlgovError as exc:
        return _report_error(args, out, err, exc.message, exc.exit_code, exc.details)
    except NoCredentialsError:
        return _report_error(
            args, out, err, "no AWS credentials found (use --profile or the environment)", 1, {}
        )
    except ClientError as exc:
        return _report_error(args, out, err, describe_client_error(exc), EXIT_FAILED, {})
    except BotoCoreError as exc:
        return _report_error(args, out, err, str(exc), EXIT_FAILED, {})
    if args.json:
        out.write(json.dumps(result.payload, indent=2, default=str) + "\n")
    else:
        out.write(result.text.rstrip("\n") + "\n")
    return result.exit_code


def _report_error(
    args: argparse.Namespace,
    out: TextIO,
    err: TextIO,
    message: str,
    code: int,
    details: dict[str, Any],
) -> int:
    err.write(f"mlgov {args.command}: error: {message}\n")
    if args.json:
        status = "invalid_input" if code == 2 else "failed"
        out.write(json.dumps({"status": status, "error": message, **details}, default=str) + "\n")
    return code


def _session(args: argparse.Namespace, factory: SessionFactory) -> boto3.Session:
    return factory(args.profile, args.region)


def _hub_session(args: argparse.Namespace, factory: SessionFactory) -> tuple[boto3.Session, str]:
    """The caller's session in the hub's region: --hub-region, else the region of the model
    package ARN the command names, else the profile's."""
    arn = getattr(args, "model_package_arn", None)
    if args.region is None and arn:
        args.region = parse_model_package_arn(arn).region
    session = _session(args, factory)
    region = args.region or session.region_name
    if not region:
        raise InputError("--hub-region: no region given and the profile sets none")
    return session, region


def _cmd_deploy(
    args: argparse.Namespace, factory: SessionFactory, progress: Progress
) -> CommandResult:
    # Everything that needs no AWS call is checked first, so bad input exits 2 without one.
    document = load_target_document(args.target_config, expected_stage=args.stage)
    if not args.model_package_arn:
        raise InputError(f"--model-package-arn: not given and ${PACKAGE_ENV} is not set")
    parse_model_package_arn(args.model_package_arn)
    session = _session(args, factory)
    target = resolve_target(
        session,
        document,
        purpose="deploy",
        execution_id=args.pipeline_execution_id,
        progress=progress,
    )
    result = run_deploy(
        session,
        target.config,
        args.model_package_arn,
        timeout_seconds=args.timeout,
        poll_seconds=args.poll_seconds,
        pipeline_execution_id=args.pipeline_execution_id,
        target_session=target.session,
        pipeline_name=args.pipeline,
        approver_role_arn=os.environ.get(APPROVER_ROLE_ENV) or None,
        progress=progress,
    )
    headline = {
        "created": "created endpoint",
        "recreated": "recreated endpoint",
        "updated": "updated endpoint",
        "already_deployed": "already deployed: endpoint",
    }[result.outcome]
    lines = [
        f"{headline} {result.endpoint_name} in {result.stage} account {result.account_id} "
        f"({result.region})",
        f"  model package:   {result.model_package_arn}",
        f"  endpoint config: {result.endpoint_config_name}",
    ]
    if result.previous_endpoint_config_name and result.outcome != "already_deployed":
        lines.append(f"  replaced config: {result.previous_endpoint_config_name}")
    if result.approval.get("description"):
        lines.append(f"  approval:        {result.approval['description']}")
    if result.target_config_parameter:
        lines.append(f"  target config:   SSM parameter {result.target_config_parameter}")
    if result.integrity:
        checked = result.integrity
        lines.append(
            f"  integrity:       {len(checked['artifacts'])} object(s), "
            f"{len(checked['images'])} image(s) as in {checked['lineage']['uri']}"
        )
        if checked.get("prod_approval"):
            lines.append(f"  prod approval:   {checked['prod_approval']['approved_by']}")
    if result.autoscaling:
        scaling = result.autoscaling
        lines.append(
            f"  autoscaling:     {scaling['min_capacity']}-{scaling['max_capacity']} instances, "
            f"target {scaling['target_invocations_per_instance']:g} invocations/instance"
        )
    return CommandResult(result.to_dict(), "\n".join(lines))


def _format_report(report: EndpointTestReport) -> str:
    lines = [
        f"endpoint {report.endpoint_name} ({report.stage}, config "
        f"{report.endpoint_config_name}): {'PASSED' if report.passed else 'FAILED'}"
    ]
    for case in report.cases:
        latency = f"{max(case.latencies_ms):.1f} ms" if case.latencies_ms else "-"
        lines.append(
            f"  {'PASS' if case.passed else 'FAIL'}  {case.name} (line {case.line}, "
            f"status {case.status if case.status is not None else '-'}, {latency})"
        )
        lines.extend(f"        {problem}" for problem in case.problems)
    if report.p95_ms is not None:
        threshold = f" (threshold {report.max_latency_ms:g} ms)" if report.max_latency_ms else ""
        lines.append(
            f"  latency: p50 {report.p50_ms:.1f} ms, p95 {report.p95_ms:.1f} ms, "
            f"max {report.max_ms:.1f} ms{threshold}"
        )
    lines.extend(f"  FAIL  {problem}" for problem in report.problems)
    return "\n".join(lines)


def _cmd_test_endpoint(
    args: argparse.Namespace, factory: SessionFactory, progress: Progress
) -> CommandResult:
    document = load_target_document(args.target_config, expected_stage=args.stage)
    group = None
    if args.model_package_arn:
        group = parse_model_package_arn(args.model_package_arn).group_name
    cases = load_payloads(args.payloads, default_content_type=args.content_type)
    session = _session(args, factory)
    target = resolve_target(
        session,
        document,
        purpose="test",
        execution_id=args.pipeline_execution_id,
        progress=progress,
    )
    report = run_test_endpoint(
        session,
        target.config,
        cases,
        endpoint_name=args.endpoint_name,
        model_package_group=group,
        max_latency_ms=args.max_latency_ms,
        content_type=args.content_type,
        repeat=args.repeat,
        pipeline_execution_id=args.pipeline_execution_id,
        target_session=target.session,
        progress=progress,
    )
    return CommandResult(
        report.to_dict(), _format_report(report), EXIT_OK if report.passed else EXIT_FAILED
    )


def _cmd_pending(
    args: argparse.Namespace, factory: SessionFactory, progress: Progress
) -> CommandResult:
    if args.region is None and (defaults := platform_defaults.load(args.environments)):
        args.region = defaults.hub_region
    session, region = _hub_session(args, factory)
    packages = list_pending_packages(
        session.client("sagemaker", region_name=region), group_name=args.group
    )
    if not packages:
        text = f"no model packages pending manual approval in {region}"
    else:
        lines = [f"{len(packages)} model package(s) pending manual approval in {region}:"]
        for package in packages:
            lines.append("")
            lines.append(package.model_package_arn)
            lines.append(
                f"  group {package.group_name}, version {package.version}, "
                f"created {package.created}"
            )
            if package.description:
                lines.append(f"  description: {package.description}")
            for container in package.containers:
                for key, value in container.items():
                    lines.append(f"  {key}: {value}")
            if package.lineage:
                lines.append("  lineage:")
                width = max(len(key) for key in package.lineage)
                lines.extend(
                    f"    {key.ljust(width)}  {value}" for key, value in package.lineage.items()
                )
            else:
                lines.append("  lineage: none recorded")
        text = "\n".join(lines)
    payload = {"status": "ok", "region": region, "pending": [asdict(p) for p in packages]}
    return CommandResult(payload, text)


def _cmd_model_approval(
    args: argparse.Namespace, factory: SessionFactory, progress: Progress
) -> CommandResult:
    session, region = _hub_session(args, factory)
    parse_model_package_arn(args.model_package_arn)
    result = set_model_approval(
        session.client("sagemaker", region_name=region),
        args.model_package_arn,
        approve=args.approve,
        reason=args.reason,
    )
    result["actor"] = caller_arn(session, region)
    if result["status"] == "unchanged":
        text = (
            f"{result['model_package_arn']} is already {result['model_approval_status']}; "
            "nothing changed"
        )
    else:
        text = (
            f"{result['model_approval_status']} {result['model_package_arn']} "
            f"(was {result['previous_status']}) by {result['actor']}\n"
            f"  reason: {result['approval_description']}"
        )
    return CommandResult(result, text)


def _cmd_prod_approval(
    args: argparse.Namespace, factory: SessionFactory, progress: Progress
) -> CommandResult:
    if args.pipeline is None or args.region is None:
        defaults = platform_defaults.load(args.environments)
        if args.pipeline is None:
            if defaults is None:
                raise InputError(
                    f"--pipeline: not given, ${PIPELINE_ENV} is not set, and there is no platform "
                    f"configuration to take it from (--environments, ${ENVIRONMENTS_ENV} or "
                    "./environments)"
                )
            args.pipeline = defaults.pipeline_name
            progress(f"pipeline {args.pipeline} (from {defaults.environments})")
        if args.region is None and defaults is not None:
            args.region = defaults.hub_region
    session, region = _hub_session(args, factory)
    result = answer_prod_approval(
        session.client("codepipeline", region_name=region),
        args.pipeline,
        approve=args.approve,
        reason=args.reason,
        action_name=args.action_name,
        execution_id=args.execution_id,
    )
    result["actor"] = caller_arn(session, region)
    text = (
        f"{result['status']} {result['action_name']} in pipeline {result['pipeline']} "
        f"(stage {result['stage_name']}, execution {result['pipeline_execution_id']}) "
        f"by {result['actor']}\n"
        f"  model package: {result['model_package_arn'] or 'unknown'}\n"
        f"  reason: {result['summary']}"
    )
    return CommandResult(result, text)
