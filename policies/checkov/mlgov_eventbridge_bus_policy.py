"""CKV_MLGOV_1: EventBridge bus policies admit only the organization or exact accounts.

Why: the hub's promotion bus receives "model approved" events from every dev account. A bus
policy that lets `*` call events:PutEvents without an aws:PrincipalOrgID/aws:PrincipalOrgPaths
condition lets any AWS account inject promotion requests. checkov has no check for
`aws_cloudwatch_event_bus_policy` or `aws_cloudwatch_event_permission`.

Where the rule is evaluated:
- `aws_cloudwatch_event_bus_policy.policy` written inline (`jsonencode`, JSON string);
- `aws_cloudwatch_event_permission` (`principal` + optional `condition` block);
- `data "aws_iam_policy_document"` statements that grant `events:` actions, because a bus
  policy usually arrives as `data.aws_iam_policy_document.x.json`, which checkov does not
  render into the resource; the document is checked where it is declared.

Passes: exact account ids/roots or role ARNs; any principal with a positive
aws:PrincipalOrgID/aws:PrincipalOrgPaths condition. Fails: `*` (or a principal checkov
cannot render, which cannot be proven exact) without that condition.
"""

from __future__ import annotations

from typing import Any

from mlgov_policy_utils import (
    PrincipalKind,
    classify,
    event_bus_problems,
    first_string,
    load_json_policy,
    statements_from_json,
    statements_from_policy_document,
    strings,
)

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.data.base_check import BaseDataCheck
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

CHECK_ID = "CKV_MLGOV_1"
CHECK_NAME = (
    "Ensure EventBridge bus policies restrict cross-account access to the organization "
    "(aws:PrincipalOrgID/aws:PrincipalOrgPaths) or exact accounts"
)


class EventBusPolicyOrgRestricted(BaseResourceCheck):
    """Inline bus policies and event permissions."""

    def __init__(self) -> None:
        super().__init__(
            name=CHECK_NAME,
            id=CHECK_ID,
            categories=[CheckCategories.IAM],
            supported_resources=[
                "aws_cloudwatch_event_bus_policy",
                "aws_cloudwatch_event_permission",
            ],
        )

    def scan_resource_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        if self.entity_type == "aws_cloudwatch_event_permission":
            return self._scan_permission(conf)
        policy = load_json_policy(conf.get("policy"))
        if policy is None:
            # A reference (usually data.aws_iam_policy_document.x.json): the data half of this
            # check evaluates that document.
            return CheckResult.UNKNOWN
        problems = event_bus_problems(statements_from_json(policy), all_actions=True)
        self.details.extend(problems)
        return CheckResult.FAILED if problems else CheckResult.PASSED

    def _scan_permission(self, conf: dict[str, list[Any]]) -> CheckResult:
        principal = first_string(conf.get("principal"))
        kind = classify("AWS", principal) if principal else PrincipalKind.UNRESOLVED
        if kind not in {PrincipalKind.WILDCARD, PrincipalKind.UNRESOLVED}:
            return CheckResult.PASSED
        for cond in conf.get("condition") or []:
            if not isinstance(cond, dict):
                continue
            key = first_string(cond.get("key")).lower()
            operator = first_string(cond.get("type"))
            values = [v for v in strings(cond.get("value")) if v.strip() not in {"", "*"}]
            if key == "aws:principalorgid" and operator == "StringEquals" and values:
                return CheckResult.PASSED
        self.details.append(
            f"principal {principal or '<unrendered>'} ({kind.value}) without an "
            "aws:PrincipalOrgID condition"
        )
        return CheckResult.FAILED


class EventBusPolicyDocumentOrgRestricted(BaseDataCheck):
    """Policy documents whose statements grant events: actions."""

    def __init__(self) -> None:
        super().__init__(
            name=CHECK_NAME,
            id=CHECK_ID,
            categories=[CheckCategories.IAM],
            supported_data=["aws_iam_policy_document"],
        )

    def scan_data_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        relevant = [
            s
            for s in statements_from_policy_document(conf)
            if s.grants_service("events") and (s.principals or s.not_principals)
        ]
        if not relevant:
            # No events: statement with principals: an identity policy or another service's
            # resource policy, out of scope.
            return CheckResult.UNKNOWN
        problems = event_bus_problems(relevant, all_actions=False)
        self.details.extend(problems)
        return CheckResult.FAILED if problems else CheckResult.PASSED


check = EventBusPolicyOrgRestricted()
data_check = EventBusPolicyDocumentOrgRestricted()
