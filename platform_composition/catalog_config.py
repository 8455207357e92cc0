"""The optional `service_catalog { ... }` block of the shared-services environment.

    service_catalog {
      workspace_product_type            = "EXTERNAL"     # or "TERRAFORM_CLOUD" (HCP Terraform)
      terraform_engine_role_arn_pattern = "arn:aws:iam::111111111111:role/TerraformEngine/*"
      support_email                     = "ml-platform@example.com"
      share_to_account_ids              = ["444444444444"]   # accounts outside the workloads OU
    }

Without the block the hub still publishes both portfolios to the workloads OU, with the team ML
workspace as an EXTERNAL (Service Catalog Terraform engine) product.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from platform_composition.hcl_reader import Reader

WORKSPACE_PRODUCT_TYPES = ("EXTERNAL", "TERRAFORM_CLOUD")
ROLE_ARN_PATTERN_RE = re.compile(r"^arn:aws[\w-]*:iam::\d{12}:role/[\w+=,.@/*?-]{1,512}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
ACCOUNT_ID_RE = re.compile(r"^\d{12}$")


@dataclass(frozen=True)
class CatalogSettings:
    """How the hub publishes the ML Admin and SageMaker Projects portfolios."""

    workspace_product_type: str = "EXTERNAL"
    terraform_engine_role_arn_pattern: str | None = None
    support_email: str | None = None
    share_to_account_ids: tuple[str, ...] = ()


def parse_service_catalog(reader: Reader, *, hub_account_id: str) -> CatalogSettings:
    """Parse the optional block; its absence means the defaults."""
    block = reader.block("service_catalog")
    if block is None:
        return CatalogSettings()
    sub = reader.sub("service_catalog", block[1])
    expected_type = " or ".join(f'"{t}"' for t in WORKSPACE_PRODUCT_TYPES)
    product_type = sub.string("workspace_product_type", expected=expected_type, default="EXTERNAL")
    if product_type not in WORKSPACE_PRODUCT_TYPES:
        raise sub.error(
            "workspace_product_type",
            f"got {product_type!r}; expected {expected_type} (TERRAFORM_OPEN_SOURCE is closed to "
            "new products)",
        )
    engine = sub.string(
        "terraform_engine_role_arn_pattern",
        pattern=ROLE_ARN_PATTERN_RE,
        expected="an IAM role ARN pattern of the hub's Terraform engine execution role",
        required=False,
    )
    if engine is not None and f":{hub_account_id}:" not in engine:
        raise sub.error(
            "terraform_engine_role_arn_pattern",
            f"got {engine!r}; expected a role of the hub account ({hub_account_id}), where the "
            "Service Catalog Terraform engine runs",
        )
    email = sub.string(
        "support_email", pattern=EMAIL_RE, expected="an email address", required=False
    )
    accounts: tuple[str, ...] = ()
    if "share_to_account_ids" in sub.body:
        accounts = sub.string_list(
            "share_to_account_ids", pattern=ACCOUNT_ID_RE, expected="12-digit account ids"
        )
    sub.reject_unknown()
    assert product_type
    return CatalogSettings(product_type, engine, email, accounts)
