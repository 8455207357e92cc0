"""Bad configuration fails precisely: file, key, bad value, what was expected; nothing written."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from platform_composition.catalog_config import CatalogSettings
from platform_composition.config import AccountRole, ConfigError, load_platform_config
from platform_composition.guardrails_config import GuardrailSettings
from platform_composition.hcl_reader import ConfigErrors
from platform_composition.studio_config import StudioSettings
from platform_composition.workspace_config import CreatedNetwork, ExistingNetwork
from tests.composition.conftest import ENVIRONMENTS, run_main, unlined


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"fixture drift: {old!r} not in {path}"
    path.write_text(text.replace(old, new))


def test_default_configuration_loads() -> None:
    config = load_platform_config(ENVIRONMENTS)
    assert config.shared_services.name == "shared-services"
    assert len(config.by_role(AccountRole.DEV)) >= 2
    # Hub first, so stack dependencies can point at it.
    assert config.environments[0].role is AccountRole.SHARED_SERVICES
    with pytest.raises(KeyError, match="unknown environment 'nope'"):
        config.environment("nope")


# (file relative to environments/, old text, new text, expected message fragments)
BAD_CONFIGS = [
    pytest.param(
        "dev-team-a/environment.hcl",
        'team       = "team-a"',
        'team       = "team-a"\nteem = "x"',
        ["dev-team-a/environment.hcl: teem", "unknown key"],
        id="unknown-key",
    ),
    pytest.param(
        "dev-team-a/environment.hcl",
        '"222222222222"',
        '"22222222222"',
        ["dev-team-a/environment.hcl: account_id", "'22222222222'", "12-digit"],
        id="account-id-11-digits",
    ),
    pytest.param(
        "dev-team-a/environment.hcl",
        '"222222222222"',
        "222222222222",
        ["account_id", "222222222222", "quoted string"],
        id="account-id-unquoted",
    ),
    pytest.param(
        "test/environment.hcl",
        'role       = "test"',
        'role       = "qa"',
        ["test/environment.hcl: role", "'qa'", '"shared-services"'],
        id="unknown-role",
    ),
    pytest.param(
        "organization.hcl",
        '"o-a1b2c3d4e5"\n',
        '"org-123"\n',
        ["organization.hcl: organization_id", "'org-123'", "o-a1b2c3d4e5"],
        id="bad-organization-id",
    ),
    pytest.param(
        "organization.hcl",
        'home_region       = "eu-west-1"',
        'home_region       = "europe"',
        ["organization.hcl: home_region", "'europe'", "AWS region"],
        id="bad-region",
    ),
    pytest.param(
        "dev-team-b/environment.hcl",
        'team       = "team-b"',
        'team       = "team-b"\nou_path = "o-a1b2c3d4e5/r-ab12/ou-ab12-99999999/"',
        ["dev-team-b/environment.hcl: ou_path", "ou-ab12-99999999", "workloads OU"],
        id="dev-account-outside-workloads-ou",
    ),
    pytest.param(
        "dev-team-b/environment.hcl",
        'team       = "team-b"',
        'team       = "team-b"\nou_path = "o-zzzzzzzzzz/r-ab12/"',
        ["ou_path", "o-zzzzzzzzzz", "inside organization o-a1b2c3d4e5"],
        id="ou-path-other-organization",
    ),
    pytest.param(
        "dev-team-b/environment.hcl",
        '"333333333333"',
        '"222222222222"',
        ["account_id", "'222222222222'", "already used by environment 'dev-team-a'"],
        id="duplicate-account-id",
    ),
    pytest.param(
        "dev-team-b/environment.hcl",
        '"team-b"',
        '"team-a"',
        ["dev-team-b/environment.hcl: team", "'team-a'", "unique team"],
        id="duplicate-team",
    ),
    pytest.param(
        "test/environment.hcl",
        'role       = "test"',
        'role       = "prod"',
        ['exactly one environment with role = "test"', "found 0"],
        id="no-test-account",
    ),
    pytest.param(
        "shared-services/environment.hcl",
        "AWSReservedSSO_GovernanceOfficer_1b2c3d4e5f6a7b8c",
        "AWSReservedSSO_MLEngineer_0a1b2c3d4e5f6a7b",
        ["governance_officer_principal_arns", "AWSReservedSSO_MLEngineer", "separate principals"],
        id="persona-in-both-roles",
    ),
    pytest.param(
        "shared-services/environment.hcl",
        '"arn:aws:iam::111111111111:role/aws-reserved',
        '"arn:aws:iam::111111111111:role/*',
        ["ml_engineer_principal_arns[0]", "exact IAM role or user ARNs"],
        id="wildcard-persona",
    ),
    pytest.param(
        "prod/environment.hcl",
        "max_capacity                    = 6",
        "max_capacity                    = 1",
        ["prod/environment.hcl: autoscaling.max_capacity", "got 1", "at least min_capacity (2)"],
        id="autoscaling-max-below-min",
    ),
    pytest.param(
        "test/environment.hcl",
        "initial_instance_count = 1",
        'initial_instance_count = "one"',
        ["endpoint.initial_instance_count", "'one'", "whole number"],
        id="count-not-a-number",
    ),
    pytest.param(
        "test/environment.hcl",
        "initial_instance_count = 1",
        'initial_instance_count = 1\n  name = "shop-endpoint"',
        ["endpoint.name", "'shop-endpoint'", "starting with mlgov-"],
        id="endpoint-without-prefix",
    ),
    pytest.param(
        "test/environment.hcl",
        'role       = "test"',
        'role       = "test"\nautoscaling {}',
        ["autoscaling", "unknown key for a test environment"],
        id="autoscaling-outside-prod",
    ),
    pytest.param(
        "shared-services/environment.hcl",
        "governance_officer_principal_arns",
        "governance_officers",
        ["shared-services/environment.hcl: governance_officers", "unknown key"],
        id="persona-key-typo",
    ),
    pytest.param(
        "test/environment.hcl",
        'vpc_id     = "vpc-0a1b2c3d4e5f60001"',
        'vpc_id     = "my-vpc"',
        ["test/environment.hcl: endpoint_network.vpc_id", "'my-vpc'", "VPC id"],
        id="bad-vpc-id",
    ),
    pytest.param(
        "prod/environment.hcl",
        '"subnet-0a1b2c3d4e5f60022"',
        '"subnet-x"',
        ["endpoint_network.subnet_ids[1]", "'subnet-x'"],
        id="bad-subnet-id",
    ),
    pytest.param(
        "dev-team-a/environment.hcl",
        'team       = "team-a"',
        'team       = "team-a"\nendpoint_network {\n  vpc_id = "vpc-0a1b2c3d4e5f60001"\n}',
        ["endpoint_network", "unknown key for a dev environment"],
        id="key-not-allowed-for-role",
    ),
    pytest.param(
        "organization.hcl",
        'backend "local" {}',
        'backend "gcs" {}',
        ["organization.hcl: backend", '"gcs"', '"local", "s3", "cloud"'],
        id="unknown-backend",
    ),
    pytest.param(
        "test/environment.hcl",
        'role       = "test"',
        'role       = "test"\nbackend "s3" {\n  bucket = "state"\n  lock = true\n}',
        ['test/environment.hcl: backend "s3".lock', "unknown key"],
        id="unknown-backend-key",
    ),
    pytest.param(
        "dev-team-a/environment.hcl",
        'CostCenter = "ds-team-a"',
        "CostCenter = 42",
        ["tags.CostCenter", "42", "string value"],
        id="non-string-tag",
    ),
    pytest.param(
        "dev-team-a/environment.hcl",
        'team       = "team-a"',
        'team       = "team-a',
        ["dev-team-a/environment.hcl", "not valid HCL"],
        id="invalid-hcl",
    ),
    # -- the dev workspace block ----------------------------------------------------------
    pytest.param(
        "dev-team-a/environment.hcl",
        "workspace {",
        "unused {",
        ["dev-team-a/environment.hcl: unused", "unknown key for a dev environment"],
        id="workspace-block-typo",
    ),
    pytest.param(
        "dev-team-a/environment.hcl",
        'auth_mode = "SSO"',
        'auth_mode = "OIDC"',
        ["dev-team-a/environment.hcl: workspace.auth_mode", "'OIDC'", '"SSO" or "IAM"'],
        id="workspace-auth-mode",
    ),
    pytest.param(
        "dev-team-a/environment.hcl",
        'network "create"',
        'network "peered"',
        ["workspace.network", '"peered"', '"create" or "existing"'],
        id="workspace-network-mode",
    ),
    pytest.param(
        "dev-team-a/environment.hcl",
        '"10.40.0.0/16"',
        '"10.40.0.0/28"',
        ['workspace.network "create".cidr', "'10.40.0.0/28'", "/16 to /24"],
        id="workspace-cidr-too-small",
    ),
    pytest.param(
        "dev-team-a/environment.hcl",
        '"10.40.0.0/16"',
        '"10.400.0.0/16"',
        ['workspace.network "create".cidr', "'10.400.0.0/16'", "IPv4 CIDR block"],
        id="workspace-cidr-invalid",
    ),
    pytest.param(
        "dev-team-a/environment.hcl",
        '["eu-west-1a", "eu-west-1b"]',
        '["eu-west-1a", "us-east-1b"]',
        ["availability_zones[1]", "'us-east-1b'", "zones of eu-west-1"],
        id="workspace-zone-other-region",
    ),
    pytest.param(
        "dev-team-a/environment.hcl",
        '["eu-west-1a", "eu-west-1b"]',
        '["eu-west-1a", "eu-west-1a"]',
        ["availability_zones", "two or three distinct zones"],
        id="workspace-one-zone",
    ),
    pytest.param(
        "dev-team-b/environment.hcl",
        'route_table_ids = ["rtb-0b1c2d3e4f5a60021"]',
        "",
        ['dev-team-b/environment.hcl: workspace.network "existing".route_table_ids', "S3 gateway"],
        id="workspace-existing-without-route-tables",
    ),
    pytest.param(
        "dev-team-b/environment.hcl",
        '["subnet-0b1c2d3e4f5a60011", "subnet-0b1c2d3e4f5a60012"]',
        '["subnet-0b1c2d3e4f5a60011"]',
        ["subnet_ids", "at least two distinct subnets"],
        id="workspace-existing-one-subnet",
    ),
    pytest.param(
        "dev-team-a/environment.hcl",
        "AWSReservedSSO_MLDataScientist_3b4c5d6e7f8a9b0c",
        "AWSReservedSSO_MLLeadDataScientist_2a3b4c5d6e7f8a9b",
        [
            "workspace.data_scientist_principal_arns",
            "AWSReservedSSO_MLLeadDataScientist",
            "the lead approves what data scientists register",
        ],
        id="workspace-principal-in-both-personas",
    ),
    pytest.param(
        "dev-team-a/environment.hcl",
        '"arn:aws:iam::222222222222:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_MLDataScientist',
        '"arn:aws:iam::222222222222:role/*',
        ["workspace.data_scientist_principal_arns[0]", "exact IAM role or user ARNs"],
        id="workspace-wildcard-principal",
    ),
    pytest.param(
        "dev-team-a/environment.hcl",
        'bob   = { persona = "data_scientist"',
        'bob   = { persona = "approver"',
        ["workspace.users.bob.persona", "'approver'", '"lead_data_scientist" or "data_scientist"'],
        id="workspace-unknown-persona",
    ),
    pytest.param(
        "dev-team-a/environment.hcl",
        ', sso_user_name = "bob@example.com" }',
        " }",
        ["workspace.users.bob.sso_user_name", "missing", "IAM Identity Center user name"],
        id="workspace-sso-user-without-name",
    ),
    pytest.param(
        "dev-team-b/environment.hcl",
        'dave  = { persona = "data_scientist" }',
        'dave  = { persona = "data_scientist", sso_user_name = "dave" }',
        ["workspace.users.dave.sso_user_name", "'dave'", 'auth_mode = "IAM"'],
        id="workspace-iam-user-with-sso-name",
    ),
    pytest.param(
        "dev-team-a/environment.hcl",
        'size = "Small"',
        'size = "Tiny"',
        ["workspace.mlflow.size", "'Tiny'", '"Small" or "Medium" or "Large"'],
        id="workspace-mlflow-size",
    ),
    pytest.param(
        "dev-team-a/environment.hcl",
        'auth_mode = "SSO"',
        'auth_mode = "SSO"\n  egress = true',
        ["workspace.egress", "unknown key", "internet_egress"],
        id="workspace-unknown-key",
    ),
    pytest.param(
        "dev-team-a/environment.hcl",
        'auth_mode = "SSO"',
        'auth_mode = "SSO"\n  internet_egress = "yes"',
        ["workspace.internet_egress", "'yes'", "true or false"],
        id="workspace-egress-not-bool",
    ),
    # -- the data lake block ----------------------------------------------------------------
    pytest.param(
        "data-governance/environment.hcl",
        'grant "dev-team-b"',
        'grant "dev-team-z"',
        [
            'data-governance/environment.hcl: lake.grant "dev-team-z"',
            "'dev-team-z' is not a dev environment",
            "dev-team-a, dev-team-b",
        ],
        id="lake-grant-to-unknown-environment",
    ),
    pytest.param(
        "data-governance/environment.hcl",
        'expression = { domain = ["marketing"] }',
        'expression = { owner = ["marketing"] }',
        ['lake.grant "dev-team-b".expression.owner', "not an LF-tag", "classification, domain"],
        id="lake-grant-unknown-tag",
    ),
    pytest.param(
        "data-governance/environment.hcl",
        'expression = { domain = ["marketing"] }',
        'expression = { domain = ["finance"] }',
        ['lake.grant "dev-team-b".expression.domain', "'finance'", "sales, marketing"],
        id="lake-grant-unknown-tag-value",
    ),
    pytest.param(
        "data-governance/environment.hcl",
        'expression = { domain = ["marketing"] }',
        'expression = { domain = ["marketing"] }\n    permissions = ["ALL"]',
        ['lake.grant "dev-team-b".permissions[0]', "'ALL'", "never ALL, never a grant option"],
        id="lake-grant-all",
    ),
    pytest.param(
        "data-governance/environment.hcl",
        'lf_tags = { classification = "confidential" }',
        'lf_tags = { classification = "secret" }',
        [
            'lake.database "sales".table "customers".lf_tags.classification',
            "'secret'",
            "public, internal, confidential",
        ],
        id="lake-table-tag-value",
    ),
    pytest.param(
        "data-governance/environment.hcl",
        'format = "csv"',
        'format = "avro"',
        ['lake.database "marketing".table "campaigns".format', "'avro'", '"parquet"'],
        id="lake-table-format",
    ),
    pytest.param(
        "data-governance/environment.hcl",
        '{ name = "segment", type = "string" },',
        '{ name = "email", type = "string" },',
        ['table "customers".columns[2].name', "'email' twice"],
        id="lake-duplicate-column",
    ),
    pytest.param(
        "data-governance/environment.hcl",
        'database "marketing"',
        'database "Marketing"',
        ['lake.database "Marketing"', "Glue name"],
        id="lake-database-name",
    ),
    pytest.param(
        "data-governance/environment.hcl",
        'database "marketing"',
        'database "sales"',
        ['lake.database "sales"', "defined twice"],
        id="lake-database-twice",
    ),
    # -- the central feature store -----------------------------------------------------------
    pytest.param(
        "data-governance/environment.hcl",
        'shared_with = ["dev-team-a"]',
        'shared_with = ["dev-team-b"]',
        [
            'lake.feature_store.feature_group "customer-orders".shared_with',
            "'dev-team-b'",
            "does not match the group's LF-tags",
            "widen the grant or change the group's lf_tags",
        ],
        id="feature-group-shared-beyond-the-teams-grant",
    ),
    pytest.param(
        "data-governance/environment.hcl",
        'shared_with = ["dev-team-a"]',
        'shared_with = ["dev-team-z"]',
        [
            'feature_group "customer-orders".shared_with',
            "'dev-team-z', which has no lake.grant",
            "dev-team-a, dev-team-b",
        ],
        id="feature-group-shared-with-ungranted-team",
    ),
    pytest.param(
        "data-governance/environment.hcl",
        'event_time        = "event_time"',
        'event_time        = "orders_90d"',
        [
            'feature_group "customer-orders".event_time',
            "'orders_90d'",
            "String (ISO 8601) or Fractional",
            "customer_id, event_time, spend_90d_eur",
        ],
        id="feature-group-integral-event-time",
    ),
    pytest.param(
        "data-governance/environment.hcl",
        'record_identifier = "customer_id"',
        'record_identifier = "customer"',
        ['feature_group "customer-orders".record_identifier', "'customer'", "one of the group's"],
        id="feature-group-unknown-record-identifier",
    ),
    pytest.param(
        "data-governance/environment.hcl",
        '{ name = "orders_90d", type = "Integral" }',
        '{ name = "orders_90d", type = "Integer" }',
        ["features[2].type", "'Integer'", "Integral | Fractional | String"],
        id="feature-type",
    ),
    pytest.param(
        "data-governance/environment.hcl",
        '{ name = "orders_90d", type = "Integral" }',
        '{ name = "write_time", type = "String" }',
        ["features[2].name", "'write_time'", "does not add itself"],
        id="feature-name-reserved-by-the-offline-store",
    ),
    pytest.param(
        "data-governance/environment.hcl",
        'feature_group "customer-orders"',
        'feature_group "Customer_Orders"',
        ['feature_group "Customer_Orders"', "single hyphens"],
        id="feature-group-name",
    ),
    pytest.param(
        "data-governance/environment.hcl",
        "  feature_store {\n",
        '  feature_store {\n    database = "sales"\n',
        ["lake.feature_store.database", "'sales'", "a database of its own"],
        id="feature-store-database-clashes-with-a-lake-database",
    ),
    # -- the Unified Studio block ------------------------------------------------------------
    pytest.param(
        "data-governance/environment.hcl",
        'single_sign_on_type            = "IAM_IDC"',
        'single_sign_on_type            = "SSO"',
        [
            "data-governance/environment.hcl: unified_studio.single_sign_on_type",
            "'SSO'",
            '"IAM_IDC" or "DISABLED"',
        ],
        id="unified-studio-sign-on-type",
    ),
    pytest.param(
        "data-governance/environment.hcl",
        'single_sign_on_type            = "IAM_IDC"',
        'single_sign_on_type            = "IAM_IDC"\n  projects = ["team-a"]',
        ["unified_studio.projects", "unknown key", "single_sign_on_type"],
        id="unified-studio-projects-are-derived-not-configured",
    ),
    pytest.param(
        "data-governance/environment.hcl",
        'single_sign_on_type            = "IAM_IDC"',
        'single_sign_on_type            = "DISABLED"',
        [
            "unified_studio.single_sign_on_user_assignment",
            "'MANUAL' with single_sign_on_type 'DISABLED'",
            'only with "IAM_IDC"',
        ],
        id="unified-studio-user-assignment-without-identity-center",
    ),
    pytest.param(
        "data-governance/environment.hcl",
        'single_sign_on_type            = "IAM_IDC"',
        'single_sign_on_type            = "IAM_IDC"\n'
        '  kms_key_arn = "arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab"',
        [
            "unified_studio.kms_key_arn",
            "111111111111",
            "a key of this account and region (666666666666, eu-west-1)",
        ],
        id="unified-studio-key-of-another-account",
    ),
    pytest.param(
        "dev-team-a/environment.hcl",
        'team       = "team-a"',
        'team       = "team-a"\nunified_studio {}',
        ["dev-team-a/environment.hcl: unified_studio", "unknown key for a dev environment"],
        id="unified-studio-outside-data-governance",
    ),
    pytest.param(
        "dev-team-a/environment.hcl",
        'team       = "team-a"',
        'team       = "team-a-computer-vision"',
        ["dev-team-a/environment.hcl: team", "'team-a-computer-vision'", "at most 18 characters"],
        id="team-too-long-for-workspace-name",
    ),
    pytest.param(
        "dev-team-a/environment.hcl",
        'team       = "team-a"',
        'team       = "vision-lead"',
        ["dev-team-a/environment.hcl: team", "'vision-lead'", "not ending in '-lead'"],
        id="team-name-matching-the-lead-principal-pattern",
    ),
    pytest.param(
        "dev-team-a/environment.hcl",
        'auth_mode = "SSO"',
        'auth_mode = "SSO"\n  project_source_provider = "CodeCommit"',
        ["workspace.project_source_provider", "'CodeCommit'", '"GitHub"', "CodeCommit is not"],
        id="project-source-provider-codecommit",
    ),
    pytest.param(
        "dev-team-a/environment.hcl",
        'auth_mode = "SSO"',
        'auth_mode = "SSO"\n  project_source_connection_arn = '
        '"arn:aws:codecommit:eu-west-1:222222222222:repo"',
        ["workspace.project_source_connection_arn", "CodeConnections connection ARN"],
        id="project-source-connection-not-a-connection",
    ),
    pytest.param(
        "shared-services/environment.hcl",
        'workspace_product_type = "EXTERNAL"',
        'workspace_product_type = "TERRAFORM_OPEN_SOURCE"',
        [
            "shared-services/environment.hcl: service_catalog.workspace_product_type",
            "'TERRAFORM_OPEN_SOURCE'",
            "closed to new products",
        ],
        id="workspace-product-type-closed",
    ),
    pytest.param(
        "shared-services/environment.hcl",
        'support_email          = "ml-platform@example.com"',
        'support_email          = "ml-platform@example.com"\n  '
        'terraform_engine_role_arn_pattern = "arn:aws:iam::999999999999:role/TerraformEngine/*"',
        ["service_catalog.terraform_engine_role_arn_pattern", "hub account (111111111111)"],
        id="terraform-engine-outside-the-hub",
    ),
    pytest.param(
        "shared-services/environment.hcl",
        'support_email          = "ml-platform@example.com"',
        'support_email          = "ml-platform@example.com"\n  portfolio = "x"',
        ["shared-services/environment.hcl: service_catalog.portfolio", "unknown key"],
        id="service-catalog-unknown-key",
    ),
    pytest.param(
        "organization.hcl",
        'management_account_id = "999999999999"',
        'management_account_id = "management"',
        ["organization.hcl: management_account_id", "'management'", "12-digit"],
        id="management-account-id-not-an-account",
    ),
    pytest.param(
        "shared-services/environment.hcl",
        'publishing_branch     = "main"',
        'publishing_branch     = "main"\n  publishing_provider = "CodeCommit"',
        ["service_catalog.publishing_provider", "'CodeCommit'", "CodeCommit is not offered"],
        id="publishing-provider-codecommit",
    ),
    pytest.param(
        "shared-services/environment.hcl",
        'publishing_repository = "example-org/ml-governance-platform"',
        'publishing_repository = "https://github.com/example-org/ml-governance-platform"',
        ["service_catalog.publishing_repository", '"owner/name"'],
        id="publishing-repository-url-instead-of-id",
    ),
    pytest.param(
        "management/environment.hcl",
        'break_glass_role_name = "mlgov-break-glass"',
        'break_glass_role_name = "mlgov-break-glass"\n  attach_to = ["ou-x"]',
        ["management/environment.hcl: guardrails.attach_to[0]", "'ou-x'", "OU ids"],
        id="guardrails-bad-target",
    ),
    pytest.param(
        "management/environment.hcl",
        'break_glass_role_name = "mlgov-break-glass"',
        'break_glass_role_name = "mlgov-break-glass"\n  break_glas = true',
        ["management/environment.hcl: guardrails.break_glas", "unknown key"],
        id="guardrails-unknown-key",
    ),
    pytest.param(
        "management/environment.hcl",
        'account_id = "999999999999"',
        'account_id = "888888888888"',
        [
            "management/environment.hcl: guardrails.register_service_catalog_admin",
            "'888888888888' is not the management account '999999999999'",
        ],
        id="guardrails-register-outside-management-account",
    ),
    pytest.param(
        "dev-team-b/environment.hcl",
        'role       = "dev"',
        'role       = "dev"\nguardrails {}',
        ["dev-team-b/environment.hcl: guardrails", "unknown key for a dev environment"],
        id="guardrails-in-a-dev-environment",
    ),
]


@pytest.mark.parametrize(("relative", "old", "new", "fragments"), BAD_CONFIGS)
def test_bad_configuration_is_rejected_precisely(
    environments_copy: Path, relative: str, old: str, new: str, fragments: list[str]
) -> None:
    _replace(environments_copy / relative, old, new)
    with pytest.raises(ConfigError) as caught:
        load_platform_config(environments_copy)
    message = unlined(str(caught.value))
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} missing from: {message}"


def test_missing_hub_is_rejected(environments_copy: Path) -> None:
    import shutil

    shutil.rmtree(environments_copy / "shared-services")
    with pytest.raises(
        ConfigError, match='exactly one environment with role = "shared-services", found 0'
    ):
        load_platform_config(environments_copy)


def test_missing_environment_file_is_rejected(environments_copy: Path) -> None:
    (environments_copy / "dev-team-c").mkdir()
    with pytest.raises(ConfigError, match=r"dev-team-c: directory has no environment.hcl"):
        load_platform_config(environments_copy)


def test_invalid_environment_directory_name(environments_copy: Path) -> None:
    (environments_copy / "dev-team-a").rename(environments_copy / "Dev_Team_A")
    with pytest.raises(ConfigError, match=r"Dev_Team_A.*not valid"):
        load_platform_config(environments_copy)


def test_adding_a_dev_account_is_one_small_directory(environments_copy: Path) -> None:
    new = environments_copy / "dev-team-c"
    new.mkdir()
    (new / "environment.hcl").write_text(
        'role = "dev"\naccount_id = "777777777777"\nteam = "team-c"\n'
        "workspace {\n"
        '  network "create" {\n'
        '    cidr = "10.50.0.0/16"\n'
        '    availability_zones = ["eu-west-1a", "eu-west-1b"]\n'
        "  }\n"
        '  lead_data_scientist_principal_arns = ["arn:aws:iam::777777777777:role/lead"]\n'
        '  data_scientist_principal_arns = ["arn:aws:iam::777777777777:role/scientist"]\n'
        "}\n"
    )
    config = load_platform_config(environments_copy)
    assert [env.team for env in config.by_role(AccountRole.DEV)] == ["team-a", "team-b", "team-c"]


def test_dev_account_without_workspace_is_rejected(environments_copy: Path) -> None:
    file = environments_copy / "dev-team-b/environment.hcl"
    text = file.read_text()
    file.write_text(text[: text.index("workspace {")])
    with pytest.raises(ConfigError) as caught:
        load_platform_config(environments_copy)
    assert "dev-team-b/environment.hcl: workspace: missing" in unlined(str(caught.value))


def test_workspace_settings_are_typed(environments_copy: Path) -> None:
    config = load_platform_config(environments_copy)
    team_a = config.environment("dev-team-a").workspace
    team_b = config.environment("dev-team-b").workspace
    assert team_a is not None and team_b is not None
    assert team_a.network == CreatedNetwork("10.40.0.0/16", ("eu-west-1a", "eu-west-1b"))
    assert team_a.auth_mode == "SSO" and not team_a.internet_egress
    assert [(u.name, u.persona) for u in team_a.users] == [
        ("alice", "lead_data_scientist"),
        ("bob", "data_scientist"),
    ]
    assert team_a.mlflow is not None and team_a.mlflow.size == "Small"
    assert isinstance(team_b.network, ExistingNetwork) and team_b.network.create_vpc_endpoints
    assert team_b.auth_mode == "IAM" and team_b.mlflow is None
    assert all(u.sso_user_name is None for u in team_b.users)


def test_service_catalog_settings_are_typed(environments_copy: Path) -> None:
    hub = load_platform_config(environments_copy).shared_services
    assert hub.service_catalog == CatalogSettings(
        workspace_product_type="EXTERNAL",
        support_email="ml-platform@example.com",
        publishing_repository="example-org/ml-governance-platform",
    )
    _replace(
        environments_copy / "shared-services/environment.hcl",
        'workspace_product_type = "EXTERNAL"',
        'workspace_product_type = "TERRAFORM_CLOUD"\n  share_to_account_ids = ["777777777777"]',
    )
    hub = load_platform_config(environments_copy).shared_services
    assert hub.service_catalog is not None
    assert hub.service_catalog.workspace_product_type == "TERRAFORM_CLOUD"
    assert hub.service_catalog.share_to_account_ids == ("777777777777",)
    team_a = load_platform_config(environments_copy).environment("dev-team-a").workspace
    assert team_a is not None and team_a.project_source_provider == "GitHub"
    assert team_a.project_source_connection_arn is None


def test_guardrail_settings_are_typed(environments_copy: Path) -> None:
    (management,) = load_platform_config(environments_copy).by_role(AccountRole.ORGANIZATION)
    assert management.guardrails == GuardrailSettings(break_glass_role_name="mlgov-break-glass")
    _replace(
        environments_copy / "management/environment.hcl",
        'account_id = "999999999999"',
        'account_id = "888888888888"',
    )
    _replace(
        environments_copy / "management/environment.hcl",
        'break_glass_role_name = "mlgov-break-glass"',
        'break_glass_role_name = "ops-break-glass"\n  register_service_catalog_admin = false\n'
        '  attach_to = ["ou-ab12-11111111", "r-ab12"]\n'
        '  platform_admin_role_names = ["AWSControlTowerExecution"]',
    )
    (management,) = load_platform_config(environments_copy).by_role(AccountRole.ORGANIZATION)
    assert management.guardrails == GuardrailSettings(
        break_glass_role_name="ops-break-glass",
        attach_to=("ou-ab12-11111111", "r-ab12"),
        platform_admin_role_names=("AWSControlTowerExecution",),
        register_service_catalog_admin=False,
    )


def test_a_second_organization_environment_is_rejected(environments_copy: Path) -> None:
    import shutil

    shutil.copytree(environments_copy / "management", environments_copy / "management-b")
    _replace(
        environments_copy / "management-b/environment.hcl",
        'account_id = "999999999999"',
        'account_id = "888888888888"',
    )
    _replace(
        environments_copy / "management-b/environment.hcl",
        'break_glass_role_name = "mlgov-break-glass"',
        'break_glass_role_name = "mlgov-break-glass"\n  register_service_catalog_admin = false',
    )
    with pytest.raises(ConfigError, match=r'at most one environment with role = "organization"'):
        load_platform_config(environments_copy)


def test_lake_settings_are_typed(environments_copy: Path) -> None:
    lake = load_platform_config(environments_copy).environment("data-governance").lake
    assert lake is not None
    assert [db.name for db in lake.databases] == ["sales", "marketing"]
    orders, customers = lake.databases[0].tables
    assert orders.partition_keys[0].name == "order_date" and orders.zone == "curated"
    assert customers.lf_tags == {"classification": "confidential"}
    assert [g.permissions for g in lake.grants] == [("DESCRIBE", "SELECT")] * 2
    # Team A sees sales (internal) but, in Lake Formation, not its confidential customers table.
    assert lake.shared_databases("dev-team-a") == ("sales", "marketing", "feature_store")
    assert lake.shared_databases("dev-team-b") == ("marketing",)
    assert lake.shared_databases("dev-team-c") == ()


def test_feature_store_settings_are_typed(environments_copy: Path) -> None:
    lake = load_platform_config(environments_copy).environment("data-governance").lake
    assert lake is not None and lake.feature_store is not None
    store = lake.feature_store
    assert store.database == "feature_store"
    (group,) = store.groups
    assert (group.name, group.table_name) == ("customer-orders", "customer_orders")
    assert [f.type for f in group.features] == ["String", "String", "Integral", "Fractional"]
    assert group.online and group.shared_with == ("dev-team-a",)
    # The offline stores are a shared database of team A (sales/internal), not of team B.
    assert "feature_store" in lake.shared_databases("dev-team-a")
    assert "feature_store" not in lake.shared_databases("dev-team-b")
    assert lake.shared_feature_groups("dev-team-a") == ("customer-orders",)
    assert lake.shared_feature_groups("dev-team-b") == ()


def test_unified_studio_settings_are_typed(environments_copy: Path) -> None:
    governance = load_platform_config(environments_copy).environment("data-governance")
    assert governance.unified_studio == StudioSettings(
        description="ML data portal: publish, find and subscribe to lake data",
        single_sign_on_type="IAM_IDC",
        single_sign_on_user_assignment="MANUAL",
    )
    # Optional: without the block there is no Unified Studio (and no stack for it).
    file = environments_copy / "data-governance" / "environment.hcl"
    text = file.read_text()
    file.write_text(text[: text.index("unified_studio {")])
    assert (
        load_platform_config(environments_copy).environment("data-governance").unified_studio
        is None
    )
    # Sign-in defaults to IAM (DISABLED); a key of the account itself is accepted.
    key = "arn:aws:kms:eu-west-1:666666666666:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    file.write_text(
        text[: text.index("unified_studio {")] + f'unified_studio {{\n  kms_key_arn = "{key}"\n}}\n'
    )
    settings = load_platform_config(environments_copy).environment("data-governance").unified_studio
    assert settings == StudioSettings(
        description=None,
        single_sign_on_type="DISABLED",
        single_sign_on_user_assignment="MANUAL",
        kms_key_arn=key,
    )


def test_main_exits_2_and_writes_nothing_on_bad_config(
    environments_copy: Path, tmp_path: Path
) -> None:
    _replace(environments_copy / "test/environment.hcl", '"444444444444"', '"4444"')
    outdir = tmp_path / "out"
    result = run_main("--environments", environments_copy, "--outdir", outdir)
    assert result.returncode == 2
    assert "test/environment.hcl: account_id" in unlined(result.stderr)
    assert "'4444'" in unlined(result.stderr)
    assert not outdir.exists()
    assert not list(tmp_path.glob(".out.*")), "a staging directory was left behind"


def test_bad_config_leaves_previous_output_untouched(
    environments_copy: Path, tmp_path: Path
) -> None:
    outdir = tmp_path / "out"
    assert run_main("--environments", environments_copy, "--outdir", outdir).returncode == 0
    before = sorted(p.relative_to(outdir) for p in outdir.rglob("*"))
    _replace(
        environments_copy / "organization.hcl", 'name_prefix       = "mlgov"', 'name_prefix = "ML"'
    )
    result = run_main("--environments", environments_copy, "--outdir", outdir)
    assert result.returncode == 2
    assert "organization.hcl: name_prefix" in unlined(result.stderr)
    assert sorted(p.relative_to(outdir) for p in outdir.rglob("*")) == before


# -- every mistake of a run at once ------------------------------------------------------------


def test_every_mistake_of_a_run_is_reported_at_once(
    environments_copy: Path, tmp_path: Path
) -> None:
    """Three files, four mistakes: one run names them all, and still writes nothing."""
    _replace(environments_copy / "test/environment.hcl", '"444444444444"', '"4444"')
    _replace(
        environments_copy / "dev-team-a/environment.hcl",
        'team       = "team-a"',
        'team       = "team-a"\nteem = "x"\nregoin = "eu-west-1"',
    )
    (environments_copy / "dev-team-c").mkdir()
    outdir = tmp_path / "out"
    result = run_main("--environments", environments_copy, "--outdir", outdir)
    assert result.returncode == 2
    assert result.stderr.startswith("error: 4 configuration errors:"), unlined(result.stderr)
    for fragment in (
        "test/environment.hcl: account_id: got '4444'",
        "dev-team-a/environment.hcl: regoin: unknown key for a dev environment; "
        "did you mean 'region'?",
        "dev-team-a/environment.hcl: teem: unknown key for a dev environment; did you mean 'team'?",
        "dev-team-c: directory has no environment.hcl",
    ):
        assert fragment in unlined(result.stderr), (
            f"{fragment!r} missing from: {unlined(result.stderr)}"
        )
    # Role counts are not checked over environments that could not be read: no false mistake.
    assert "expected exactly one environment" not in unlined(result.stderr)
    assert not outdir.exists()


def test_errors_of_every_environment_are_kept_apart(environments_copy: Path) -> None:
    _replace(environments_copy / "test/environment.hcl", '"444444444444"', '"4444"')
    _replace(environments_copy / "prod/environment.hcl", '"555555555555"', '"5555"')
    with pytest.raises(ConfigErrors) as caught:
        load_platform_config(environments_copy)
    assert [(Path(e.file).parent.name, e.key) for e in caught.value.errors] == [
        ("prod", "account_id"),
        ("test", "account_id"),
    ]


def test_an_unknown_key_without_a_close_match_gets_no_guess(environments_copy: Path) -> None:
    _replace(
        environments_copy / "dev-team-a/environment.hcl",
        'team       = "team-a"',
        'team       = "team-a"\nzzzzzz = "x"',
    )
    with pytest.raises(ConfigError) as caught:
        load_platform_config(environments_copy)
    message = unlined(str(caught.value))
    assert "zzzzzz: unknown key for a dev environment; allowed keys here are:" in message
    assert "did you mean" not in message


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        pytest.param(
            'team       = "team-a"',
            'team       = "team-a"\nteam = "team-z"',
            "dev-team-a/environment.hcl: team: set twice (lines",
            id="top-level",
        ),
        pytest.param(
            '    cidr               = "10.40.0.0/16"',
            '    cidr               = "10.40.0.0/16"\n    cidr = "10.50.0.0/16"',
            'dev-team-a/environment.hcl: workspace.network "create".cidr: '
            "set twice (lines 16 and 17)",
            id="inside-a-labelled-block",
        ),
    ],
)
def test_a_key_set_twice_is_an_error(
    environments_copy: Path, old: str, new: str, fragment: str
) -> None:
    """python-hcl2 would keep the last value silently; Terraform refuses the file."""
    _replace(environments_copy / "dev-team-a/environment.hcl", old, new)
    with pytest.raises(ConfigError) as caught:
        load_platform_config(environments_copy)
    assert fragment in unlined(str(caught.value)), unlined(str(caught.value))


def test_a_syntax_error_names_its_line(environments_copy: Path) -> None:
    path = environments_copy / "dev-team-a/environment.hcl"
    lines = path.read_text().splitlines()
    lines.insert(1, "owner =")
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(ConfigError) as caught:
        load_platform_config(environments_copy)
    message = unlined(str(caught.value))
    assert "dev-team-a/environment.hcl: not valid HCL: line" in message, message
    assert "`owner =`" in message, message


def test_relative_paths_are_taken_from_the_working_directory(
    environments_copy: Path, tmp_path: Path
) -> None:
    """`--environments envs --outdir out` from any directory means that directory's envs/out."""
    _replace(environments_copy / "test/environment.hcl", '"444444444444"', '"4444"')
    workdir = environments_copy.parent
    result = run_main("--environments", environments_copy.name, "--outdir", "out", cwd=workdir)
    # The bad value proves the copy was read, not the project's own environments/.
    assert result.returncode == 2, unlined(result.stderr)
    assert f"{environments_copy}/test/environment.hcl: account_id" in unlined(result.stderr)


def test_no_node_on_path_is_one_clear_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "JSII_NODE"}
    env["PATH"] = str(tmp_path)  # no node here (main.py runs by sys.executable's full path)
    outdir = tmp_path / "out"
    result = run_main("--outdir", outdir, env=env)
    assert result.returncode == 1
    assert result.stderr.startswith("error: Node.js is not on PATH"), unlined(result.stderr)
    assert "Traceback" not in unlined(result.stderr)
    assert len(result.stderr.strip().splitlines()) == 1
    assert not outdir.exists()


@pytest.mark.parametrize(
    ("relative", "old", "new", "fragments"),
    [
        pytest.param(
            "organization.hcl",
            'home_region       = "eu-west-1"',
            'home_region       = "eu-west-9"',
            ["organization.hcl: home_region: got 'eu-west-9'", "partition 'aws'", "eu-west-3"],
            id="home-region-that-does-not-exist",
        ),
        pytest.param(
            "organization.hcl",
            'home_region       = "eu-west-1"',
            'home_region       = "eu-west-1"\npartition = "aws-us-gov"',
            [
                "home_region: got 'eu-west-1'",
                "partition 'aws-us-gov': us-gov-east-1, us-gov-west-1",
            ],
            id="home-region-of-another-partition",
        ),
        pytest.param(
            "test/environment.hcl",
            'role       = "test"',
            'role       = "test"\nregion = "us-esat-1"',
            ["test/environment.hcl: region: got 'us-esat-1'; did you mean 'us-east-1'?"],
            id="environment-region-misspelled",
        ),
    ],
)
def test_regions_are_checked_against_the_partition(
    environments_copy: Path, relative: str, old: str, new: str, fragments: list[str]
) -> None:
    """Regions come from botocore's partition data, not a pattern: a well-formed name of a
    region that does not exist, or of another partition, is refused."""
    _replace(environments_copy / relative, old, new)
    with pytest.raises(ConfigError) as caught:
        load_platform_config(environments_copy)
    for fragment in fragments:
        assert fragment in unlined(str(caught.value)), unlined(str(caught.value))


def _edit(path: Path, edit: Callable[[str], str]) -> None:
    path.write_text(edit(path.read_text()))


def test_one_run_reports_every_mistake_of_every_file(environments_copy: Path) -> None:
    """Several mistakes in one file, two unreadable files: one run, one report, each with its
    line, in file and line order; nothing written."""
    shutil.copytree(environments_copy / "dev-team-b", environments_copy / "dev-team-c")

    def mistakes(text: str) -> str:
        for old, new in [
            ('account_id = "333333333333"', 'account_id = "33333333333x"\nregion = "us-east-7"'),
            ('team       = "team-b"', 'team       = "team-c"\nteam = "team-d"'),
            ("tags = {", "tgas = {"),
            ('auth_mode = "IAM"', 'auth_mod = "IAM"'),
            ('vpc_id          = "vpc-0b1c2d3e4f5a60001"', 'vpc_id          = "my-vpc"'),
        ]:
            assert old in text, old
            text = text.replace(old, new)
        return text

    _edit(environments_copy / "dev-team-c/environment.hcl", mistakes)
    _edit(
        environments_copy / "test/environment.hcl", lambda t: t.replace('"444444444444"', '"4444')
    )
    _edit(environments_copy / "prod/environment.hcl", lambda t: t.rstrip().rstrip("}") + "\n")
    outdir = environments_copy.parent / "out"
    result = run_main("--environments", environments_copy, "--outdir", outdir)
    assert result.returncode == 2
    assert not outdir.exists()
    reported = [line for line in result.stderr.splitlines() if line.startswith("  - ")]
    expected = [
        "dev-team-c/environment.hcl:3: account_id: got '33333333333x'",
        "dev-team-c/environment.hcl:4: region: got 'us-east-7'; did you mean 'us-east-2'?",
        "dev-team-c/environment.hcl:6: team: set twice (lines 5 and 6)",
        "dev-team-c/environment.hcl:8: tgas: unknown key for a dev environment; "
        "did you mean 'tags'?",
        "dev-team-c/environment.hcl:14: workspace.auth_mod: unknown key; did you mean 'auth_mode'?",
        "dev-team-c/environment.hcl:18: workspace.network \"existing\".vpc_id: got 'my-vpc'",
        "prod/environment.hcl: not valid HCL: the file ended inside a block or a list",
        "test/environment.hcl: not valid HCL: line 3: a quoted string is not closed on this line",
    ]
    assert result.stderr.startswith(f"error: {len(expected)} configuration errors:"), result.stderr
    assert len(reported) == len(expected), result.stderr
    for line, fragment in zip(reported, expected, strict=True):
        assert fragment in line, f"{fragment!r} not in {line!r}"
    # A misspelled auth_mode does not default to SSO and ask every user for an SSO user name.
    assert "sso_user_name" not in result.stderr


def test_several_mistakes_in_one_block_are_all_reported(environments_copy: Path) -> None:
    def mistakes(text: str) -> str:
        text = text.replace('"vpc-0b1c2d3e4f5a60001"', '"my-vpc"')
        text = text.replace('"subnet-0b1c2d3e4f5a60012"', '"subnet-x"')
        return text.replace(
            'auth_mode = "IAM"', 'auth_mode = "OIDC"\n  idle_timeout_in_minutes = 1'
        )

    _edit(environments_copy / "dev-team-b/environment.hcl", mistakes)
    with pytest.raises(ConfigErrors) as caught:
        load_platform_config(environments_copy)
    assert [error.key for error in caught.value.errors] == [
        "workspace.auth_mode",
        "workspace.idle_timeout_in_minutes",
        'workspace.network "existing".vpc_id',
        'workspace.network "existing".subnet_ids[1]',
    ]


def test_a_misspelled_required_key_is_named(environments_copy: Path) -> None:
    _edit(environments_copy / "prod/environment.hcl", lambda t: t.replace("role ", "rol ", 1))
    with pytest.raises(ConfigErrors) as caught:
        load_platform_config(environments_copy)
    messages = [unlined(str(error)) for error in caught.value.errors]
    assert any(
        "prod/environment.hcl: role: missing" in m and "(is 'rol' a misspelling of 'role'?)" in m
        for m in messages
    ), messages
    assert any(
        "prod/environment.hcl: rol: unknown key for any environment; did you mean 'role'?" in m
        for m in messages
    ), messages


def test_the_value_read_is_reported_on_its_own_line(environments_copy: Path) -> None:
    """A key written twice: python-hcl2 keeps the last value, and the error about it names the
    last line."""
    path = environments_copy / "dev-team-a/environment.hcl"
    _edit(path, lambda t: t + 'team = "Team-A"\n')
    last = len(path.read_text().splitlines())
    with pytest.raises(ConfigErrors) as caught:
        load_platform_config(environments_copy)
    assert [(error.key, error.line) for error in caught.value.errors] == [
        ("team", last),
        ("team", last),
    ]
    assert "set twice" in str(caught.value.errors[0])
    assert "got 'Team-A'" in str(caught.value.errors[1])


def test_environment_syntax_is_checked_while_the_organization_is_wrong(
    environments_copy: Path,
) -> None:
    _edit(
        environments_copy / "organization.hcl",
        lambda t: t.replace("home_region", "home_regoin", 1),
    )
    _edit(environments_copy / "test/environment.hcl", lambda t: t + "owner =\n")
    with pytest.raises(ConfigErrors) as caught:
        load_platform_config(environments_copy)
    message = unlined(str(caught.value))
    assert "organization.hcl: home_region: missing" in message, message
    assert "organization.hcl: home_regoin: unknown key; did you mean 'home_region'?" in message
    assert "test/environment.hcl: not valid HCL" in message, message
    assert message.endswith(
        "(the environments' values are checked once organization.hcl is right: they take "
        "defaults from it)"
    ), message


def test_mistakes_in_several_lake_blocks_are_all_reported(environments_copy: Path) -> None:
    """A value lake.lf_tags does not allow, in a database, a table and the feature store: each
    reported once, and nothing derived from them (the feature group's grant check) is."""

    def mistakes(text: str) -> str:
        assert text.count('classification = "internal" }') == 2, "fixture drift"
        text = text.replace('classification = "internal" }', 'classification = "secret" }')
        return text.replace('{ classification = "confidential" }', '{ classification = "top" }')

    _edit(environments_copy / "data-governance/environment.hcl", mistakes)
    with pytest.raises(ConfigErrors) as caught:
        load_platform_config(environments_copy)
    assert [error.key for error in caught.value.errors] == [
        'lake.database "sales".lf_tags.classification',
        'lake.database "sales".table "customers".lf_tags.classification',
        "lake.feature_store.lf_tags.classification",
    ]


def test_configuration_files_nothing_reads_are_errors(environments_copy: Path) -> None:
    """A terraform.tfvars next to environment.hcl would be ignored silently; notes and lock files
    are fine."""
    (environments_copy / "dev-team-a/terraform.tfvars").write_text('team = "x"\n')
    (environments_copy / "common.hcl").write_text('region = "eu-west-1"\n')
    (environments_copy / "dev-team-a/README.md").write_text("Team A's account.\n")
    (environments_copy / "dev-team-a/.terraform.lock.hcl").write_text("")
    (environments_copy / "data-governance/unified-studio.terraform.lock.hcl").write_text("")
    with pytest.raises(ConfigErrors) as caught:
        load_platform_config(environments_copy)
    assert [Path(error.file).relative_to(environments_copy) for error in caught.value.errors] == [
        Path("common.hcl"),
        Path("dev-team-a/terraform.tfvars"),
    ]
    assert "is not read; the configuration is organization.hcl and one environment.hcl" in str(
        caught.value
    )
