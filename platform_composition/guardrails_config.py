"""The `guardrails { ... }` block of the organization environment (management account).

    role       = "organization"
    account_id = "999999999999"          # the management account (or an SCP delegated admin)

    guardrails {
      attach_to                          = ["ou-ab12-11111111", "111111111111"]  # default below
      break_glass_role_name              = "mlgov-break-glass"
      platform_admin_role_names          = ["AWSControlTowerExecution"]  # besides the deployer
      register_service_catalog_admin     = true
      require_vpc_only_sagemaker_domains = true
      protect_cloudtrail                 = true
    }

Without `attach_to` the policies go to the workloads OU (every dev account) and to each other
platform account directly (hub, data governance, test, prod), wherever those sit. Only the
management account may enable Service Catalog's Organizations access and register the hub as its
delegated administrator; an organization environment in another account (a delegated
administrator for Organizations policies) must set `register_service_catalog_admin = false`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from platform_composition.hcl_reader import Reader

TARGET_RE = re.compile(r"^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32}|\d{12})$")
ROLE_NAME_RE = re.compile(r"^[\w+=,.@-]{1,64}$")


@dataclass(frozen=True)
class GuardrailSettings:
    """What the organization stack enforces and where."""

    break_glass_role_name: str
    attach_to: tuple[str, ...] | None = None  # None: the workloads OU and the platform accounts
    # Roles besides Terraform's deployment role and the ML admin launch role that build accounts
    # (e.g. the account vending role): they may change the platform's protected roles.
    platform_admin_role_names: tuple[str, ...] = ()
    register_service_catalog_admin: bool = True
    require_vpc_only_sagemaker_domains: bool = True
    protect_cloudtrail: bool = True


def parse_guardrails(
    reader: Reader,
    *,
    name_prefix: str,
    account_id: str | None,
    management_account_id: str,
    deployment_role_name: str | None,
) -> GuardrailSettings:
    """Parse the optional block; its absence means the defaults."""
    default_break_glass = f"{name_prefix}-break-glass"
    block = reader.block("guardrails")
    body = block[1] if block is not None else {}
    sub = reader.sub("guardrails", body)
    mark = sub.mark()
    attach_to: tuple[str, ...] | None = None
    if "attach_to" in sub.body:
        attach_to = sub.string_list(
            "attach_to",
            pattern=TARGET_RE,
            expected="OU ids (ou-xxxx-xxxxxxxx), the root id (r-xxxx) or 12-digit account ids",
        )
    break_glass = sub.string(
        "break_glass_role_name",
        pattern=ROLE_NAME_RE,
        expected="an IAM role name",
        default=default_break_glass,
    )
    admins: tuple[str, ...] = ()
    if "platform_admin_role_names" in sub.body:
        admins = sub.string_list(
            "platform_admin_role_names", pattern=ROLE_NAME_RE, expected="IAM role names"
        )
    if "platform_admin_role_names" not in sub.body and deployment_role_name is None:
        sub.report(
            "platform_admin_role_names",
            "missing; deployment_role_name is not set in organization.hcl, so expected the "
            "names of the roles that apply the platform's stacks (they alone may change the "
            "platform's roles, functions and pipeline)",
        )
    register = sub.boolean("register_service_catalog_admin", default=True)
    if register and account_id and account_id != management_account_id:
        sub.report(
            "register_service_catalog_admin",
            f"is true but account_id {account_id!r} is not the management account "
            f"{management_account_id!r}; only the management account can enable Service "
            "Catalog's Organizations access and register its delegated administrator "
            "(set it to false, or use the management account)",
        )
    vpc_only = sub.boolean("require_vpc_only_sagemaker_domains", default=True)
    cloudtrail = sub.boolean("protect_cloudtrail", default=True)
    sub.reject_unknown()
    sub.checkpoint(mark)
    assert break_glass
    return GuardrailSettings(break_glass, attach_to, admins, register, vpc_only, cloudtrail)
