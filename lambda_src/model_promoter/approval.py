"""Who approved the source package, and whether that principal may approve for the team.

IAM in a dev account belongs to the team: the ml-workspace module denies UpdateModelPackage to
the data scientists and to the execution and pipeline roles, but an account administrator can
change that. The hub therefore checks on its own that the approval came from the team's approver
role (`APPROVER_ROLE_NAME_TEMPLATE` with `{team}` replaced, e.g.
`mlgov-team-a-lead-data-scientist`) before anything is copied or registered.

The identity checked is `LastModifiedBy.IamIdentity.Arn` of DescribeModelPackage, read through
the source account's promotion-source role: SageMaker records there the principal of the last
modification, which for a package whose state change says Approved is the approval. The event
carries the same fields, but the event is whatever the dev account's bus forwarded; it is not
used for this decision.

Accepted, in the source account of the event and the partition of the package ARN only:

* a session of the role: `arn:<partition>:sts::<account>:assumed-role/<role name>/<session>`;
* the role itself: `arn:<partition>:iam::<account>:role/<any path><role name>`.

Everything else is refused: another role (data scientist, Studio or pipeline execution role),
an IAM user, the account root, a federated user, a missing identity, another account.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from model_promoter.errors import ConfigurationError, EventRejected
from model_promoter.models import PromotionRequest, UserContext

REFUSAL_REASON = "model package was not approved by the team's approver role"
REFUSAL_CODE = "approver-not-allowed"

_ROLE_NAME = r"[A-Za-z0-9+=,.@_-]{1,64}"
_ASSUMED_ROLE_ARN = re.compile(
    rf"^arn:(?P<partition>aws[a-z-]*):sts::(?P<account>\d{{12}}):"
    rf"assumed-role/(?P<role>{_ROLE_NAME})/(?P<session>[A-Za-z0-9+=,.@_-]{{2,64}})$"
)
# IAM paths are "/" or "/<printable ASCII>/"; the ARN drops the leading "/" of the path.
_ROLE_ARN = re.compile(
    rf"^arn:(?P<partition>aws[a-z-]*):iam::(?P<account>\d{{12}}):"
    rf"role/(?P<path>(?:[\x21-\x7e]*/)?)(?P<role>{_ROLE_NAME})$"
)
_MAX_ROLE_NAME = 64


@dataclass(frozen=True)
class Approver:
    """The checked approving identity, as recorded in the lineage manifest and model card."""

    arn: str
    role_name: str
    session_name: str | None
    source_identity: str | None
    principal_id: str | None

    def as_lineage(self) -> dict[str, str | None]:
        return {
            "identity_arn": self.arn,
            "role_name": self.role_name,
            "session_name": self.session_name,
            "source_identity": self.source_identity,
            "principal_id": self.principal_id,
        }

    def card_text(self) -> str:
        """`<arn>`, plus `session=...` / `source-identity=...` when they add something."""
        text = self.arn
        if self.session_name:
            text += f" session={self.session_name}"
        if self.source_identity:
            text += f" source-identity={self.source_identity}"
        return text


def expected_identities(request: PromotionRequest, role_name: str) -> list[str]:
    """The two ARN shapes accepted for `role_name` in the request's account (for messages)."""
    partition, account = request.partition, request.source_account
    return [
        f"arn:{partition}:sts::{account}:assumed-role/{role_name}/<session>",
        f"arn:{partition}:iam::{account}:role/<path>{role_name}",
    ]


def check_approver(
    description: dict[str, Any], request: PromotionRequest, role_name: str
) -> Approver:
    """The approver of `description` if it is `role_name` in the source account, else refuse.

    Raises `EventRejected` (code `approver-not-allowed`) naming the package, the identity found
    and the expected role; `ConfigurationError` if `role_name` cannot be an IAM role name (the
    template rendered for this team is too long), which no identity could ever match.
    """
    if len(role_name) > _MAX_ROLE_NAME:
        raise ConfigurationError(
            f"APPROVER_ROLE_NAME_TEMPLATE gives team {request.team} the role name {role_name!r}, "
            f"longer than IAM's {_MAX_ROLE_NAME} characters"
        )
    raw = description.get("LastModifiedBy")
    context = UserContext.model_validate(raw) if isinstance(raw, dict) else None
    identity = context.iam_identity if context is not None else None
    arn = identity.arn if identity is not None else None
    match = (_ASSUMED_ROLE_ARN.fullmatch(arn) or _ROLE_ARN.fullmatch(arn)) if arn else None
    problem = _problem(arn, match, context, request, role_name)
    if problem is None and arn and match is not None:
        return Approver(
            arn=arn,
            role_name=role_name,
            session_name=match.groupdict().get("session"),
            source_identity=identity.source_identity if identity is not None else None,
            principal_id=identity.principal_id if identity is not None else None,
        )

    expected = expected_identities(request, role_name)
    raise EventRejected(
        REFUSAL_REASON,
        code=REFUSAL_CODE,
        details=[problem or "not accepted", f"expected {expected[0]} or {expected[1]}"],
        log_fields={
            # "none" rather than null: the log formatter drops keys whose value is None.
            "approver_arn": arn or "none",
            "expected_approver_role": role_name,
            "expected_approver_arns": expected,
        },
    )


def _problem(
    arn: str | None,
    match: re.Match[str] | None,
    context: UserContext | None,
    request: PromotionRequest,
    role_name: str,
) -> str | None:
    """Why the identity is refused, or None when it is the expected role in the right account."""
    if not arn:
        shown = context.principal() if context is not None else None
        return "the package's LastModifiedBy has no IAM identity" + (
            f" (only {shown})" if shown else ""
        )
    if match is None:
        return f"{arn} is not an IAM role or a session of one"
    if match["partition"] != request.partition or match["account"] != request.source_account:
        return f"{arn} is not in the source account {request.source_account}"
    if match["role"] != role_name:
        return f"{arn} is role {match['role']}, not {role_name}"
    return None
