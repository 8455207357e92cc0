"""Bad configuration fails precisely: file, key, bad value, what was expected; nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from platform_composition.config import AccountRole, ConfigError, load_platform_config
from tests.composition.conftest import ENVIRONMENTS, run_main


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
]


@pytest.mark.parametrize(("relative", "old", "new", "fragments"), BAD_CONFIGS)
def test_bad_configuration_is_rejected_precisely(
    environments_copy: Path, relative: str, old: str, new: str, fragments: list[str]
) -> None:
    _replace(environments_copy / relative, old, new)
    with pytest.raises(ConfigError) as caught:
        load_platform_config(environments_copy)
    message = str(caught.value)
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
    )
    config = load_platform_config(environments_copy)
    assert [env.team for env in config.by_role(AccountRole.DEV)] == ["team-a", "team-b", "team-c"]


def test_main_exits_2_and_writes_nothing_on_bad_config(
    environments_copy: Path, tmp_path: Path
) -> None:
    _replace(environments_copy / "test/environment.hcl", '"444444444444"', '"4444"')
    outdir = tmp_path / "out"
    result = run_main("--environments", environments_copy, "--outdir", outdir)
    assert result.returncode == 2
    assert "test/environment.hcl: account_id" in result.stderr
    assert "'4444'" in result.stderr
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
    assert "organization.hcl: name_prefix" in result.stderr
    assert sorted(p.relative_to(outdir) for p in outdir.rglob("*")) == before
