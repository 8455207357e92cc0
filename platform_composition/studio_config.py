"""The `unified_studio { ... }` block of the data-governance environment: SageMaker Unified Studio.

    unified_studio {
      description                    = "ML data portal"   # optional
      single_sign_on_type            = "IAM_IDC"          # or "DISABLED" (default)
      single_sign_on_user_assignment = "MANUAL"           # IAM_IDC only: or "AUTOMATIC"
      # optional: kms_key_arn (this account and region; default: the module creates a key),
      # permissions_boundary_arn, data_lake_s3_location = "s3://<bucket>[/<prefix>]"
    }

Only what an operator chooses is configured here. The domain's name comes from `Naming`, and the
projects are derived: one DataZone project per dev environment, named after its `team`. The block
is optional; without it no Unified Studio stack is synthesized.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from platform_composition.hcl_reader import Reader

SINGLE_SIGN_ON_TYPES = ("IAM_IDC", "DISABLED")
USER_ASSIGNMENTS = ("MANUAL", "AUTOMATIC")
DESCRIPTION_MAX_LENGTH = 2048
KMS_KEY_ARN_RE = re.compile(r"^arn:aws[\w-]*:kms:([a-z0-9-]+):(\d{12}):key/[A-Za-z0-9-]+$")
POLICY_ARN_RE = re.compile(r"^arn:aws[\w-]*:iam::(\d{12}|aws):policy/[\w+=,.@/-]+$")
S3_URI_RE = re.compile(r"^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?$")


@dataclass(frozen=True)
class StudioSettings:
    """The Unified Studio domain of the data-governance account (modules/unified-studio-domain)."""

    description: str | None
    single_sign_on_type: str
    single_sign_on_user_assignment: str
    kms_key_arn: str | None = None
    permissions_boundary_arn: str | None = None
    data_lake_s3_location: str | None = None


def _choice(reader: Reader, key: str, choices: tuple[str, ...], default: str) -> str | None:
    """One of `choices`, or None when the value is wrong (the error is recorded)."""
    expected = " or ".join(f'"{choice}"' for choice in choices)
    value = reader.string(key, expected=expected, default=default)
    if value is not None and value not in choices:
        reader.report(key, f"got {value!r}; expected {expected}")
        return None
    return value


def parse_unified_studio(
    reader: Reader, *, account_id: str | None, region: str
) -> StudioSettings | None:
    """Parse the optional `unified_studio` block of the data-governance environment
    (`account_id` None: wrong, reported elsewhere; the key is then not checked against it)."""
    block = reader.block("unified_studio")
    if block is None:
        return None
    sub = reader.sub("unified_studio", block[1])
    mark = sub.mark()
    description = sub.string("description", required=False)
    if description is not None and not 0 < len(description) <= DESCRIPTION_MAX_LENGTH:
        sub.report(
            "description",
            f"got {len(description)} characters; expected 1 to {DESCRIPTION_MAX_LENGTH}",
        )
    sign_on = _choice(sub, "single_sign_on_type", SINGLE_SIGN_ON_TYPES, "DISABLED")
    if "single_sign_on_user_assignment" in sub.body and sign_on not in (None, "IAM_IDC"):
        sub.report(
            "single_sign_on_user_assignment",
            f"got {sub.body['single_sign_on_user_assignment']!r} with single_sign_on_type "
            f'{sign_on!r}; expected it only with "IAM_IDC" (who may sign in through IAM '
            "Identity Center)",
        )
    assignment = _choice(sub, "single_sign_on_user_assignment", USER_ASSIGNMENTS, "MANUAL")
    kms_key_arn = sub.string(
        "kms_key_arn",
        pattern=KMS_KEY_ARN_RE,
        expected="a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>, not an alias)",
        required=False,
    )
    if kms_key_arn is not None:
        match = KMS_KEY_ARN_RE.match(kms_key_arn)
        assert match
        if account_id and (match.group(1), match.group(2)) != (region, account_id):
            sub.report(
                "kms_key_arn",
                f"got {kms_key_arn!r}; expected a key of this account and region "
                f"({account_id}, {region}): the domain is encrypted where it lives",
            )
    boundary = sub.string(
        "permissions_boundary_arn",
        pattern=POLICY_ARN_RE,
        expected="an IAM policy ARN (arn:<partition>:iam::<account or aws>:policy/<name>)",
        required=False,
    )
    location = sub.string(
        "data_lake_s3_location",
        pattern=S3_URI_RE,
        expected="an S3 URI such as s3://<bucket>/<prefix>",
        required=False,
    )
    sub.reject_unknown()
    sub.checkpoint(mark)
    assert sign_on and assignment
    return StudioSettings(
        description=description,
        single_sign_on_type=sign_on,
        single_sign_on_user_assignment=assignment,
        kms_key_arn=kms_key_arn,
        permissions_boundary_arn=boundary,
        data_lake_s3_location=location,
    )
