"""The optional `service_catalog { ... }` block of the shared-services environment.

    service_catalog {
      workspace_product_type            = "EXTERNAL"     # or "TERRAFORM_CLOUD" (HCP Terraform)
      terraform_engine_role_arn_pattern = "arn:aws:iam::111111111111:role/TerraformEngine/*"
      support_email                     = "ml-platform@example.com"
      share_to_account_ids              = ["444444444444"]   # accounts outside the workloads OU
      publishing_repository             = "acme/ml-platform"  # this repository on GitHub/GitLab/...
      publishing_branch                 = "main"
      publishing_provider               = "GitHub"
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
REPOSITORY_RE = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+$")
BRANCH_RE = re.compile(r"^[A-Za-z0-9._/-]{1,255}$")
SOURCE_PROVIDERS = ("GitHub", "GitHubEnterpriseServer", "GitLab", "GitLabSelfManaged", "Bitbucket")


@dataclass(frozen=True)
class CatalogSettings:
    """How the hub publishes the ML Admin and SageMaker Projects portfolios."""

    workspace_product_type: str = "EXTERNAL"
    terraform_engine_role_arn_pattern: str | None = None
    support_email: str | None = None
    share_to_account_ids: tuple[str, ...] = ()
    # The publishing pipeline: new versions from pushes to this repository (the platform's own).
    publishing_repository: str | None = None
    publishing_branch: str = "main"
    publishing_provider: str = "GitHub"


def parse_service_catalog(reader: Reader, *, hub_account_id: str | None) -> CatalogSettings:
    """Parse the optional block; its absence means the defaults (`hub_account_id` None: the
    account id is wrong, reported elsewhere, and roles are not checked against it)."""
    block = reader.block("service_catalog")
    if block is None:
        return CatalogSettings()
    sub = reader.sub("service_catalog", block[1])
    mark = sub.mark()
    expected_type = " or ".join(f'"{t}"' for t in WORKSPACE_PRODUCT_TYPES)
    product_type = sub.string("workspace_product_type", expected=expected_type, default="EXTERNAL")
    if product_type is not None and product_type not in WORKSPACE_PRODUCT_TYPES:
        sub.report(
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
    if engine is not None and hub_account_id and f":{hub_account_id}:" not in engine:
        sub.report(
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
    repository = sub.string(
        "publishing_repository",
        pattern=REPOSITORY_RE,
        expected='the full repository id "owner/name" of this platform repository',
        required=False,
    )
    branch = sub.string(
        "publishing_branch", pattern=BRANCH_RE, expected="a branch name", default="main"
    )
    expected_provider = " or ".join(f'"{p}"' for p in SOURCE_PROVIDERS)
    provider = sub.string("publishing_provider", expected=expected_provider, default="GitHub")
    if provider is not None and provider not in SOURCE_PROVIDERS:
        sub.report(
            "publishing_provider",
            f"got {provider!r}; expected {expected_provider} (CodeConnections providers; "
            "CodeCommit is not offered)",
        )
    sub.reject_unknown()
    sub.checkpoint(mark)
    assert product_type and branch and provider
    return CatalogSettings(product_type, engine, email, accounts, repository, branch, provider)
