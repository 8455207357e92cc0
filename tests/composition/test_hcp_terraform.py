"""HCP Terraform runs: the `cloud` backend with dynamic credentials, synthesized.

Environments whose state lives in HCP Terraform get no deployer role in their provider (the run's
workload identity supplies the credentials), and two bootstrap stacks: the run roles in every such
account, and one workspace per stack with the variables that hand each run those roles. The
run-roles stack is applied into the simulated AWS in tests/terraform/test_hcp_terraform_sandbox.py;
the workspaces stack needs the hashicorp/tfe provider, which only the schema check reaches here.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from platform_composition.config import AccountRole, CloudBackendConfig, load_platform_config
from platform_composition.hcl_reader import ConfigError
from platform_composition.hcp_terraform import bootstrap_stack_names
from platform_composition.stacks import stack_names
from tests.composition.conftest import ENVIRONMENTS, run_main, unlined

CLOUD_BACKEND = """backend "cloud" {
  organization = "acme"
  project      = "ml-platform"
%s}"""


def cloud_environments(directory: Path, extra: str = "") -> Path:
    """The default environments with the organization's backend in HCP Terraform."""
    shutil.copytree(ENVIRONMENTS, directory)
    organization = directory / "organization.hcl"
    text = organization.read_text(encoding="utf-8")
    assert 'backend "local" {}' in text
    organization.write_text(
        text.replace('backend "local" {}', CLOUD_BACKEND % extra), encoding="utf-8"
    )
    return directory


def synth(environments: Path, outdir: Path) -> dict[str, dict[str, Any]]:
    result = run_main("--environments", environments, "--outdir", outdir)
    assert result.returncode == 0, result.stderr
    return {
        path.parent.name: json.loads(path.read_text())
        for path in sorted((outdir / "stacks").glob("*/cdk.tf.json"))
    }


@pytest.fixture(scope="module")
def cloud(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict[str, Any]]]:
    root = tmp_path_factory.mktemp("hcp")
    environments = cloud_environments(root / "environments")
    return environments, synth(environments, root / "cdktf.out")


def test_the_bootstrap_stacks_exist_only_with_a_cloud_backend(
    cloud: tuple[Path, dict[str, dict[str, Any]]],
) -> None:
    environments, stacks = cloud
    config = load_platform_config(environments)
    bootstrap = ["hcp-terraform-run-roles", "hcp-terraform-workspaces"]
    assert bootstrap_stack_names(config) == bootstrap
    assert sorted(stacks) == sorted([*stack_names(config), *bootstrap])
    assert bootstrap_stack_names(load_platform_config(ENVIRONMENTS)) == []


def test_stacks_in_hcp_terraform_assume_no_role(
    cloud: tuple[Path, dict[str, dict[str, Any]]],
) -> None:
    environments, stacks = cloud
    config = load_platform_config(environments)
    for env in config.environments:
        (provider,) = stacks[env.name]["provider"]["aws"]
        assert "assume_role" not in provider, env.name
        # The account guard stays: a run role of another account cannot apply this stack.
        assert provider["allowed_account_ids"] == [env.account_id]
        assert stacks[env.name]["terraform"]["cloud"]["workspaces"] == {
            "name": f"mlgov-{env.name}",
            "project": "ml-platform",
        }


def test_each_account_trusts_only_its_own_workspaces(
    cloud: tuple[Path, dict[str, dict[str, Any]]],
) -> None:
    environments, stacks = cloud
    config = load_platform_config(environments)
    stack = stacks["hcp-terraform-run-roles"]
    providers = {p["alias"]: p for p in stack["provider"]["aws"]}
    assert sorted(providers) == sorted(env.name for env in config.environments)
    assert "cloud" not in stack["terraform"] and "local" in stack["terraform"]["backend"]
    for env in config.environments:
        provider = providers[env.name]
        # Made with the deployer role: the run roles cannot exist before this stack.
        assert provider["assume_role"][0]["role_arn"] == (
            f"arn:aws:iam::{env.account_id}:role/mlgov-terraform-deployer"
        )
        assert provider["allowed_account_ids"] == [env.account_id]
        module = stack["module"][f"run-roles-{env.name}"]
        assert module["providers"] == {"aws": f"aws.{env.name}"}
        expected = [
            f"mlgov-{name}"
            for name in stack_names(config)
            if name == env.name or name.startswith(f"{env.name}-unified")
        ]
        assert module["workspaces"] == expected
        assert (module["organization"], module["project"]) == ("acme", "ml-platform")
        assert module["name_prefix"] == "mlgov-hcp-terraform"
        assert module["separate_plan_role"] is True
        assert module["apply_policy_arns"] == ["arn:aws:iam::aws:policy/AdministratorAccess"]
    governance = config.by_role(AccountRole.DATA_GOVERNANCE)[0]
    assert stack["module"][f"run-roles-{governance.name}"]["workspaces"] == [
        f"mlgov-{governance.name}",
        f"mlgov-{governance.name}-unified-studio",
    ]


def test_every_stack_gets_a_workspace_with_its_accounts_roles(
    cloud: tuple[Path, dict[str, dict[str, Any]]],
) -> None:
    environments, stacks = cloud
    config = load_platform_config(environments)
    stack = stacks["hcp-terraform-workspaces"]
    assert stack["provider"]["tfe"] == [{"hostname": "app.terraform.io", "organization": "acme"}]
    assert stack["terraform"]["required_providers"]["tfe"]["source"] == "hashicorp/tfe"
    module = stack["module"]["workspaces"]
    assert (module["organization"], module["project_name"]) == ("acme", "ml-platform")
    assert module["create_project"] is True
    assert "vcs_repo" not in module  # CLI-driven unless a vcs block says otherwise
    workspaces = module["workspaces"]
    assert sorted(workspaces) == sorted(stack_names(config))
    for env in config.environments:
        variables = workspaces[env.name]["environment_variables"]
        role = f"arn:aws:iam::{env.account_id}:role/mlgov-hcp-terraform-"
        assert variables == {
            "TFC_AWS_PROVIDER_AUTH": "true",
            "TFC_AWS_PLAN_ROLE_ARN": f"{role}plan",
            "TFC_AWS_APPLY_ROLE_ARN": f"{role}apply",
        }
        assert workspaces[env.name]["name"] == f"mlgov-{env.name}"
        assert "working_directory" not in workspaces[env.name]


def test_hub_applies_queue_runs_in_the_spokes(
    cloud: tuple[Path, dict[str, dict[str, Any]]],
) -> None:
    environments, stacks = cloud
    config = load_platform_config(environments)
    workspaces = stacks["hcp-terraform-workspaces"]["module"]["workspaces"]["workspaces"]
    hub = config.shared_services.name
    spokes = {env.name for env in config.environments if env.role.value in ("dev", "test", "prod")}
    triggered = {name for name, ws in workspaces.items() if ws.get("triggered_by") == [hub]}
    assert triggered == spokes
    assert workspaces[hub].get("triggered_by", []) == []
    governance = config.by_role(AccountRole.DATA_GOVERNANCE)[0]
    assert workspaces[f"{governance.name}-unified-studio"]["triggered_by"] == [governance.name]


def test_the_guardrails_admit_the_apply_roles_and_protect_every_run_role(
    cloud: tuple[Path, dict[str, dict[str, Any]]],
) -> None:
    environments, stacks = cloud
    config = load_platform_config(environments)
    (management,) = config.by_role(AccountRole.ORGANIZATION)
    guardrails = stacks[management.name]["module"]["org-guardrails"]
    admins = guardrails["platform_admin_role_arns"]
    protected = guardrails["protected_resources"]["role_arns"]
    for name in ("mlgov-hcp-terraform-apply", "mlgov-hcp-terraform-run"):
        assert f"arn:aws:iam::*:role/{name}" in admins
    assert "arn:aws:iam::*:role/mlgov-hcp-terraform-plan" not in admins
    for name in ("plan", "apply", "run"):
        assert f"arn:aws:iam::*:role/mlgov-hcp-terraform-{name}" in protected
    # The hub's tooling bundle is written by whoever applies the hub: the apply role.
    hub = stacks[config.shared_services.name]["module"]["model-deployment-pipeline"]
    assert hub["tooling_writer_role_arns"] == [
        f"arn:aws:iam::{config.shared_services.account_id}:role/mlgov-hcp-terraform-apply"
    ]


def test_vcs_driven_workspaces_read_their_stack_folder(tmp_path: Path) -> None:
    environments = cloud_environments(
        tmp_path / "environments",
        "  separate_plan_role = false\n"
        "  vcs {\n"
        '    repository     = "acme/ml-platform"\n'
        '    branch         = "main"\n'
        '    oauth_token_id = "ot-AbCdEf123"\n'
        "  }\n",
    )
    stacks = synth(environments, tmp_path / "cdktf.out")
    module = stacks["hcp-terraform-workspaces"]["module"]["workspaces"]
    assert module["vcs_repo"] == {
        "identifier": "acme/ml-platform",
        "branch": "main",
        "oauth_token_id": "ot-AbCdEf123",
    }
    config = load_platform_config(environments)
    for env in config.environments:
        workspace = module["workspaces"][env.name]
        # Relative to the repository root: cdktf.out is committed, or built by CI and pushed.
        assert workspace["working_directory"] == f"cdktf.out/stacks/{env.name}"
        assert workspace["environment_variables"] == {
            "TFC_AWS_PROVIDER_AUTH": "true",
            "TFC_AWS_RUN_ROLE_ARN": f"arn:aws:iam::{env.account_id}:role/mlgov-hcp-terraform-run",
        }
    roles = stacks["hcp-terraform-run-roles"]["module"]
    assert {m["separate_plan_role"] for m in roles.values()} == {False}


def test_without_dynamic_credentials_the_deployer_role_stays(tmp_path: Path) -> None:
    environments = cloud_environments(tmp_path / "environments", "  dynamic_credentials = false\n")
    stacks = synth(environments, tmp_path / "cdktf.out")
    config = load_platform_config(environments)
    assert bootstrap_stack_names(config) == ["hcp-terraform-workspaces"]
    for env in config.environments:
        (provider,) = stacks[env.name]["provider"]["aws"]
        assert provider["assume_role"][0]["role_arn"].endswith(":role/mlgov-terraform-deployer")
        variables = stacks["hcp-terraform-workspaces"]["module"]["workspaces"]["workspaces"]
        assert (
            "environment_variables" not in variables[env.name]
            or not variables[env.name]["environment_variables"]
        )


def _errors(environments: Path) -> list[str]:
    with pytest.raises(ConfigError) as raised:
        load_platform_config(environments)
    return [unlined(str(e)) for e in getattr(raised.value, "errors", (raised.value,))]


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            '  vcs {\n    repository = "acme/ml-platform"\n  }\n',
            r'backend "cloud"\.vcs\.oauth_token_id: expected exactly one of oauth_token_id or '
            r"github_app_installation_id",
        ),
        (
            '  vcs {\n    repository = "ml-platform"\n    oauth_token_id = "ot-abc"\n  }\n',
            r"vcs\.repository: got 'ml-platform'; expected <owner>/<repository>",
        ),
        (
            '  apply_policy_arns = ["AdministratorAccess"]\n',
            r"apply_policy_arns\[0\]: got 'AdministratorAccess'; expected IAM policy ARNs",
        ),
        (
            "  dynamic_credential = true\n",
            r"dynamic_credential: unknown key; did you mean 'dynamic_credentials'\?",
        ),
    ],
)
def test_cloud_backend_mistakes_are_named(tmp_path: Path, extra: str, expected: str) -> None:
    environments = cloud_environments(tmp_path / "environments", extra)
    messages = _errors(environments)
    assert any(re.search(expected, m) for m in messages), messages
    assert all("organization.hcl" in m for m in messages), messages


def test_dynamic_credentials_need_the_project(tmp_path: Path) -> None:
    environments = cloud_environments(tmp_path / "environments")
    organization = environments / "organization.hcl"
    organization.write_text(
        organization.read_text().replace('  project      = "ml-platform"\n', ""),
        encoding="utf-8",
    )
    (message,) = _errors(environments)
    assert 'backend "cloud".project: missing' in message
    assert "dynamic_credentials" in message


def test_every_cloud_backend_names_one_organization_and_project(tmp_path: Path) -> None:
    environments = cloud_environments(tmp_path / "environments")
    prod = environments / "prod" / "environment.hcl"
    prod.write_text(
        prod.read_text(encoding="utf-8")
        + '\nbackend "cloud" {\n  organization = "acme"\n  project = "other"\n}\n',
        encoding="utf-8",
    )
    (message,) = _errors(environments)
    assert "prod/environment.hcl" in message
    assert "project 'other'" in message and "project 'ml-platform'" in message
    config_backend = CloudBackendConfig(organization="acme", workspace_prefix="mlgov-")
    assert config_backend.dynamic_credentials and config_backend.separate_plan_role


def test_the_bootstrap_state_can_live_in_s3(tmp_path: Path) -> None:
    environments = cloud_environments(tmp_path / "environments")
    organization = environments / "organization.hcl"
    organization.write_text(
        organization.read_text(encoding="utf-8")
        + '\nbootstrap_backend "s3" {\n  bucket = "acme-terraform-state"\n}\n',
        encoding="utf-8",
    )
    stacks = synth(environments, tmp_path / "cdktf.out")
    for name in ("hcp-terraform-run-roles", "hcp-terraform-workspaces"):
        assert stacks[name]["terraform"]["backend"] == {
            "s3": {
                "bucket": "acme-terraform-state",
                "key": f"mlgov/{name}/terraform.tfstate",
                "region": "eu-west-1",
                "encrypt": True,
                "use_lockfile": True,
            }
        }


def test_the_bootstrap_state_cannot_live_in_hcp_terraform(tmp_path: Path) -> None:
    environments = cloud_environments(tmp_path / "environments")
    organization = environments / "organization.hcl"
    organization.write_text(
        organization.read_text(encoding="utf-8")
        + '\nbootstrap_backend "cloud" {\n  organization = "acme"\n}\n',
        encoding="utf-8",
    )
    (message,) = _errors(environments)
    assert 'organization.hcl: bootstrap_backend: got "cloud"; expected one of "local", "s3"' in (
        message
    )
