"""Complete the target config from the target account's SSM parameter.

The hub stack is applied before the test/prod stacks and never reads their state, so the
pipeline only knows the target's identity (stage, account, region, deploy role), the name of
the SSM parameter the ``model-deployment-target`` module writes, and optional overrides. The
rest (execution role, KMS key, subnets, security group, alarms, ...) exists only in the target
account: the deploy role reads it there (SecureString under the target's endpoint key; the role
may read and decrypt exactly that parameter) and the two documents are merged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.exceptions import ClientError

from mlgov.aws import assume_target_role, describe_client_error
from mlgov.errors import MlgovError
from mlgov.progress import silent
from mlgov.target_config import (
    IDENTITY_KEYS,
    TargetConfig,
    TargetDocument,
    TargetIdentity,
    decode_parameter_document,
    merge_target_config,
)


@dataclass(frozen=True)
class ResolvedTarget:
    """The complete target config and, when resolving needed one, the deploy-role session.

    ``session`` is reused for the deployment so the role is assumed once per command (one
    AssumeRole event in the target account's CloudTrail per pipeline action). It is None for a
    complete document, which needs nothing from the target account to be resolved.
    """

    config: TargetConfig
    session: boto3.Session | None


def parameter_origin(identity: TargetIdentity, parameter_name: str) -> str:
    """How messages name the parameter: name, account and region, the three things to check."""
    return (
        f"SSM parameter '{parameter_name}' in {identity.stage} account {identity.account_id} "
        f"({identity.region})"
    )


def read_target_config_parameter(
    target: boto3.Session, identity: TargetIdentity, parameter_name: str
) -> dict[str, Any]:
    """Read and decode the published target config with the deploy-role session.

    A missing or unreadable parameter is a failure (exit 1): the input was right, the target
    stack is not applied or not in the expected state. A parameter that is not a SecureString
    is refused: the module writes it as one so that changing it also needs kms:Encrypt on the
    endpoint key, and a plain String in its place bypasses that.
    """
    where = parameter_origin(identity, parameter_name)
    ssm = target.client("ssm", region_name=identity.region)
    try:
        parameter = ssm.get_parameter(Name=parameter_name, WithDecryption=True)["Parameter"]
    except ClientError as exc:
        details: dict[str, object] = {
            "target_config_parameter": parameter_name,
            "account_id": identity.account_id,
            "region": identity.region,
        }
        if exc.response.get("Error", {}).get("Code") == "ParameterNotFound":
            raise MlgovError(
                f"{where} does not exist; apply the {identity.stage} stack "
                "(model-deployment-target publishes the target config there) or correct "
                "target_config_parameter",
                details=details,
            ) from exc
        raise MlgovError(
            f"cannot read {where} as {identity.deploy_role_arn}: {describe_client_error(exc)} "
            "(the deploy role may read and decrypt only the parameter its target module "
            "publishes)",
            details=details,
        ) from exc
    if parameter.get("Type") != "SecureString":
        raise MlgovError(
            f"{where} is a {parameter.get('Type')} parameter; the target config must be a "
            "SecureString under the target's endpoint key, as model-deployment-target writes it",
            details={"target_config_parameter": parameter_name, "account_id": identity.account_id},
        )
    return decode_parameter_document(parameter.get("Value", ""), where)


def resolve_target(
    session: boto3.Session,
    document: TargetDocument,
    *,
    purpose: str,
    execution_id: str | None = None,
    progress: Callable[[str], None] = silent,
) -> ResolvedTarget:
    """Return the complete target config for ``document``.

    A complete document (an operator's local file) is returned as parsed, without touching AWS.
    A document naming ``target_config_parameter`` is completed in the target account: assume
    ``deploy_role_arn`` (session ``mlgov-<purpose>-<stage>-<execution id>``), read the
    parameter in ``region``, merge (the document's keys win) and validate the result.
    """
    if document.config is not None:
        return ResolvedTarget(config=document.config, session=None)
    if document.parameter_name is None:
        raise ValueError("a target document is either complete or names an SSM parameter")
    identity = document.identity
    target = assume_target_role(session, identity, purpose=purpose, execution_id=execution_id)
    progress(
        f"assumed {identity.deploy_role_arn} in {identity.stage} account {identity.account_id}"
    )
    origin = parameter_origin(identity, document.parameter_name)
    published = read_target_config_parameter(target, identity, document.parameter_name)
    config = merge_target_config(document, published, parameter_origin=origin)
    overrides = sorted(key for key in document.values if key not in IDENTITY_KEYS)
    progress(
        f"target config: {origin} with "
        + (
            f"overrides from {document.origin}: {', '.join(overrides)}"
            if overrides
            else "no overrides"
        )
    )
    return ResolvedTarget(config=config, session=target)
