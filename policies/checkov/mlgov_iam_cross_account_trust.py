"""CKV_MLGOV_3: cross-account role trust is pinned to the organization or to exact roles.

Why: the platform's roles (promotion-source in dev accounts, deployer in test/prod) are
assumed from another account. Trusting an account root (`arn:...:iam::<id>:root`), a bare
account id or `*` lets every principal that account (or anyone) chooses assume the role. Such
a trust must carry an aws:PrincipalOrgID/aws:PrincipalOrgPaths condition, or name exact role
ARNs (in the principal, or in an aws:PrincipalArn condition). Service and federated
principals, and the role's own account (data.aws_caller_identity), are fine. checkov's built-in
CKV_AWS_61 only looks at `*`, and only for inline JSON.

Where the rule is evaluated:
- `aws_iam_role.assume_role_policy` written inline (`jsonencode`, JSON string);
- `data "aws_iam_policy_document"` statements that grant sts:AssumeRole, because trust
  policies usually arrive as `data.aws_iam_policy_document.x.json`, which checkov does not
  render into the role; the document is checked where it is declared.
A principal checkov cannot render (a `for` expression, `formatlist`, a dynamic block) cannot be
proven exact, so it needs the organization condition too.
"""

from __future__ import annotations

from typing import Any

from mlgov_policy_utils import (
    load_json_policy,
    statements_from_json,
    statements_from_policy_document,
    trust_problems,
)

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.data.base_check import BaseDataCheck
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

CHECK_ID = "CKV_MLGOV_3"
CHECK_NAME = (
    "Ensure cross-account IAM role trust requires the organization "
    "(aws:PrincipalOrgID/aws:PrincipalOrgPaths) or names exact principal ARNs"
)


class RoleTrustOrgRestricted(BaseResourceCheck):
    """Inline trust policies of aws_iam_role."""

    def __init__(self) -> None:
        super().__init__(
            name=CHECK_NAME,
            id=CHECK_ID,
            categories=[CheckCategories.IAM],
            supported_resources=["aws_iam_role"],
        )

    def scan_resource_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        policy = load_json_policy(conf.get("assume_role_policy"))
        if policy is None:
            # A reference (usually data.aws_iam_policy_document.x.json): the data half of this
            # check evaluates that document.
            return CheckResult.UNKNOWN
        problems = trust_problems(statements_from_json(policy))
        self.details.extend(problems)
        return CheckResult.FAILED if problems else CheckResult.PASSED


class TrustPolicyDocumentOrgRestricted(BaseDataCheck):
    """Policy documents whose statements grant sts:AssumeRole to principals."""

    def __init__(self) -> None:
        super().__init__(
            name=CHECK_NAME,
            id=CHECK_ID,
            categories=[CheckCategories.IAM],
            supported_data=["aws_iam_policy_document"],
        )

    def scan_data_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        statements = statements_from_policy_document(conf)
        trust = [
            s
            for s in statements
            if s.grants("sts:AssumeRole") and (s.principals or s.not_principals)
        ]
        if not trust:
            # Identity policies (no principals) and other resource policies are out of scope.
            return CheckResult.UNKNOWN
        problems = trust_problems(trust)
        self.details.extend(problems)
        return CheckResult.FAILED if problems else CheckResult.PASSED


check = RoleTrustOrgRestricted()
data_check = TrustPolicyDocumentOrgRestricted()
