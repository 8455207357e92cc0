"""Sessions, cross-account role assumption and model package ARN parsing."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

import boto3
from botocore.exceptions import ClientError, ProfileNotFound

from mlgov.errors import InputError, MlgovError
from mlgov.target_config import TargetIdentity

_MODEL_PACKAGE_ARN_RE = re.compile(
    r"^arn:(?P<partition>aws[a-z-]*):sagemaker:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):"
    r"model-package/(?P<group>[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62})/(?P<version>[1-9]\d*)$"
)


@dataclass(frozen=True)
class ModelPackageRef:
    """The parts of a versioned model package ARN that deployment names are built from."""

    arn: str
    partition: str
    region: str
    account_id: str
    group_name: str
    version: int


def parse_model_package_arn(arn: str) -> ModelPackageRef:
    """Parse a versioned model package ARN or raise an ``InputError`` naming the argument."""
    match = _MODEL_PACKAGE_ARN_RE.match(arn or "")
    if not match:
        raise InputError(
            f"--model-package-arn: '{arn}' is not a versioned model package ARN "
            "(arn:aws:sagemaker:<region>:<account>:model-package/<group>/<version>)"
        )
    return ModelPackageRef(
        arn=arn,
        partition=match["partition"],
        region=match["region"],
        account_id=match["account"],
        group_name=match["group"],
        version=int(match["version"]),
    )


def make_session(profile: str | None = None, region: str | None = None) -> boto3.Session:
    """Build the caller's session; an unknown profile is bad input, not a failure."""
    try:
        return boto3.Session(profile_name=profile, region_name=region)
    except ProfileNotFound as exc:
        raise InputError(f"--profile: {exc}") from exc


def caller_account(session: boto3.Session, region: str | None = None) -> str:
    """Return the account id of the session's credentials."""
    sts = session.client("sts", region_name=region or session.region_name or "us-east-1")
    return str(sts.get_caller_identity()["Account"])


def caller_arn(session: boto3.Session, region: str | None = None) -> str:
    """Return the ARN of the session's principal, for the audit lines the CLI prints."""
    sts = session.client("sts", region_name=region or session.region_name or "us-east-1")
    return str(sts.get_caller_identity()["Arn"])


def assume_target_role(
    session: boto3.Session,
    target: TargetIdentity,
    *,
    purpose: str,
    execution_id: str | None = None,
) -> boto3.Session:
    """Assume the target's deploy role and return a session in the target account and region.

    The session name carries the purpose, the stage and the pipeline execution id (or the
    time, outside a pipeline) so CloudTrail in the target account shows which pipeline run
    acted: ``mlgov-deploy-prod-<execution id>``. A command assumes the role once and uses the
    session for everything it does in the target account (the SSM read included).
    """
    suffix = re.sub(r"[^\w+=,.@-]", "", execution_id or "") or str(int(time.time()))
    session_name = f"mlgov-{purpose}-{target.stage}-{suffix}"[:64]
    sts = session.client("sts", region_name=target.region)
    try:
        response = sts.assume_role(RoleArn=target.deploy_role_arn, RoleSessionName=session_name)
    except ClientError as exc:
        raise MlgovError(
            f"cannot assume deploy role {target.deploy_role_arn}: {describe_client_error(exc)}"
        ) from exc
    credentials = response["Credentials"]
    assumed = boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        region_name=target.region,
    )
    account = caller_account(assumed, target.region)
    if account != target.account_id:
        raise MlgovError(
            f"deploy role {target.deploy_role_arn} resolved to account {account}, "
            f"but the target config says account {target.account_id}"
        )
    return assumed


def describe_client_error(exc: ClientError) -> str:
    """Return ``Code: message (Operation)`` for an AWS error, for one-line reports."""
    error = exc.response.get("Error", {})
    operation = getattr(exc, "operation_name", "") or "AWS call"
    return f"{error.get('Code', 'Error')}: {error.get('Message', str(exc))} ({operation})"


def is_access_denied(exc: ClientError) -> bool:
    """True for the access-denied codes SageMaker and STS use."""
    code = exc.response.get("Error", {}).get("Code", "")
    return code in {"AccessDenied", "AccessDeniedException"}


def is_not_found(exc: ClientError) -> bool:
    """SageMaker reports missing resources as ValidationException 'Could not find ...'."""
    error = exc.response.get("Error", {})
    code = error.get("Code", "")
    message = error.get("Message", "")
    return code in {"ResourceNotFound", "ValidationException"} and (
        "Could not find" in message or "not found" in message.lower()
    )
