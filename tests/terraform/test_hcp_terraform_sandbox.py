"""HCP Terraform run roles applied into the simulated AWS by real Terraform.

`modules/hcp-terraform-run-roles/examples/complete` is applied, planned again (no changes), and
its trust policies, read back from IAM, are evaluated against identity tokens' claims: a plan of
a listed workspace gets only the plan role, an apply only the apply role, and no other
workspace, project, organization or audience gets either. A second root reuses the account's OIDC
provider with one role for both phases. Then the synthesized `hcp-terraform-run-roles` stack of a
configuration in HCP Terraform is applied account by account with the deployer role, and planned
again. The simulator does not evaluate trust policies, so `tests/modules/iam_eval.py` does.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from platform_composition.config import load_platform_config
from platform_sandbox import simulator
from platform_sandbox.simulator import Simulator
from platform_sandbox.terraform import TerraformFailed, setup_terraform
from tests.composition.conftest import run_main
from tests.composition.test_hcp_terraform import cloud_environments
from tests.modules import iam_eval
from tests.terraform_support import copy_module, require_terraform

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MODULE = PROJECT_ROOT / "modules" / "hcp-terraform-run-roles"
ACCOUNT_ID = "123456789012"  # the simulator's default account
REGION = "eu-west-1"
HOST = "app.terraform.io"
ASSUME = "sts:AssumeRoleWithWebIdentity"

pytestmark = pytest.mark.slow  # about a minute: two roots and a synthesized stack


@pytest.fixture(scope="module")
def sim(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Simulator]:
    require_terraform()
    running = simulator.start(tmp_path_factory.mktemp("hcp-simulator"), aws_managed_policies=True)
    try:
        yield running
    finally:
        simulator.stop(running)


@pytest.fixture(scope="module")
def module_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hcp-module")
    copy = copy_module(MODULE, root)
    return copy


@pytest.fixture(scope="module")
def example(sim: Simulator, module_copy: Path) -> dict[str, Any]:
    workspace = setup_terraform(module_copy.parent / "cli", sim.environment()).workspace(
        module_copy / "examples" / "complete"
    )
    workspace.init(backend=False)
    workspace.apply()
    changed, detail = workspace.plan_has_changes()
    assert not changed, detail
    return workspace.output()


def iam(sim: Simulator, account_id: str = ACCOUNT_ID) -> Any:
    session = (
        sim.base_session(REGION) if account_id == ACCOUNT_ID else sim.session(account_id, REGION)
    )
    return sim.client(session, "iam")


def may_assume(trust: dict[str, Any], provider_arn: str, claims: dict[str, str]) -> bool:
    """Whether a token with `claims`, issued by `provider_arn`'s issuer, may assume the role."""
    statements = []
    for raw in trust["Statement"]:
        assert raw["Principal"] == {"Federated": provider_arn}, raw
        identity = {k: v for k, v in raw.items() if k != "Principal"} | {"Resource": "*"}
        statements.append(identity)
    parsed = iam_eval.statements_from_json(json.dumps({"Statement": statements}), "trust")
    request = iam_eval.Request(ASSUME, "*", claims)
    return iam_eval.decide_one(parsed, request).verdict == iam_eval.ALLOWED


def token(workspace: str, phase: str, **overrides: str) -> dict[str, str]:
    parts = {"organization": "acme", "project": "ml-platform", "workspace": workspace} | overrides
    subject = (
        ":".join(f"{k}:{parts[k]}" for k in ("organization", "project", "workspace"))
        + f":run_phase:{phase}"
    )
    return {f"{HOST}:aud": overrides.get("aud", "aws.workload.identity"), f"{HOST}:sub": subject}


def test_the_example_applies_and_replans_clean(sim: Simulator, example: dict[str, Any]) -> None:
    client = iam(sim)
    (provider,) = client.list_open_id_connect_providers()["OpenIDConnectProviderList"]
    described = client.get_open_id_connect_provider(OpenIDConnectProviderArn=provider["Arn"])
    assert described["Url"] == HOST
    assert described["ClientIDList"] == ["aws.workload.identity"]
    arn = f"arn:aws:iam::{ACCOUNT_ID}:role/mlgov-hcp-terraform-"
    assert example["plan_role_arn"] == f"{arn}plan"
    assert example["apply_role_arn"] == f"{arn}apply"
    assert example["workspace_environment_variables"] == {
        "TFC_AWS_PROVIDER_AUTH": "true",
        "TFC_AWS_PLAN_ROLE_ARN": f"{arn}plan",
        "TFC_AWS_APPLY_ROLE_ARN": f"{arn}apply",
    }
    attached = {
        phase: [
            p["PolicyArn"]
            for p in client.list_attached_role_policies(RoleName=f"mlgov-hcp-terraform-{phase}")[
                "AttachedPolicies"
            ]
        ]
        for phase in ("plan", "apply")
    }
    assert attached == {
        "plan": ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
        "apply": ["arn:aws:iam::aws:policy/AdministratorAccess"],
    }
    role = client.get_role(RoleName="mlgov-hcp-terraform-apply")["Role"]
    assert role["MaxSessionDuration"] == 7200


@pytest.mark.parametrize(
    ("claims", "plan", "apply"),
    [
        (token("mlgov-prod", "plan"), True, False),
        (token("mlgov-prod", "apply"), False, True),
        (token("mlgov-prod-monitoring", "apply"), False, True),
        (token("mlgov-dev-team-a", "apply"), False, False),  # a workspace not listed
        (token("mlgov-prod-x", "apply"), False, False),  # no prefix match
        (token("mlgov-prod", "apply", project="Default Project"), False, False),
        (token("mlgov-prod", "apply", organization="evil-corp"), False, False),
        (token("mlgov-prod", "apply", aud="sts.amazonaws.com"), False, False),
    ],
    ids=[
        "plan-phase",
        "apply-phase",
        "second-workspace",
        "other-workspace",
        "name-prefix",
        "other-project",
        "other-organization",
        "other-audience",
    ],
)
def test_the_trust_admits_each_phase_of_the_listed_workspaces_only(
    sim: Simulator, example: dict[str, Any], claims: dict[str, str], plan: bool, apply: bool
) -> None:
    client = iam(sim)
    (provider,) = client.list_open_id_connect_providers()["OpenIDConnectProviderList"]
    verdicts = {
        phase: may_assume(
            client.get_role(RoleName=f"mlgov-hcp-terraform-{phase}")["Role"][
                "AssumeRolePolicyDocument"
            ],
            provider["Arn"],
            claims,
        )
        for phase in ("plan", "apply")
    }
    assert verdicts == {"plan": plan, "apply": apply}


def test_one_role_for_both_phases_reusing_the_accounts_provider(
    sim: Simulator, example: dict[str, Any], module_copy: Path
) -> None:
    provider_arn = f"arn:aws:iam::{ACCOUNT_ID}:oidc-provider/{HOST}"
    root = module_copy.parent / "single-role"
    root.mkdir()
    (root / "main.tf.json").write_text(
        json.dumps(
            {
                "provider": {"aws": {"region": REGION}},
                "module": {
                    "roles": {
                        "source": f"../{MODULE.name}",
                        "name_prefix": "mlgov-hcp-single",
                        "organization": "acme",
                        "project": "ml-platform",
                        "workspaces": ["mlgov-test"],
                        "separate_plan_role": False,
                        "apply_policy_arns": ["arn:aws:iam::aws:policy/PowerUserAccess"],
                        "create_oidc_provider": False,
                        "oidc_provider_arn": provider_arn,
                    }
                },
                "output": {"vars": {"value": "${module.roles.workspace_environment_variables}"}},
            }
        ),
        encoding="utf-8",
    )
    workspace = setup_terraform(module_copy.parent / "cli", sim.environment()).workspace(root)
    workspace.init(backend=False)
    workspace.apply()
    changed, detail = workspace.plan_has_changes()
    assert not changed, detail
    role_arn = f"arn:aws:iam::{ACCOUNT_ID}:role/mlgov-hcp-single-run"
    assert workspace.output()["vars"] == {
        "TFC_AWS_PROVIDER_AUTH": "true",
        "TFC_AWS_RUN_ROLE_ARN": role_arn,
    }
    client = iam(sim)
    assert len(client.list_open_id_connect_providers()["OpenIDConnectProviderList"]) == 1
    trust = client.get_role(RoleName="mlgov-hcp-single-run")["Role"]["AssumeRolePolicyDocument"]
    assert may_assume(trust, provider_arn, token("mlgov-test", "plan"))
    assert may_assume(trust, provider_arn, token("mlgov-test", "apply"))
    assert not may_assume(trust, provider_arn, token("mlgov-prod", "apply"))


def test_a_provider_both_created_and_passed_is_refused(sim: Simulator, module_copy: Path) -> None:
    root = module_copy.parent / "ambiguous"
    root.mkdir()
    (root / "main.tf.json").write_text(
        json.dumps(
            {
                "provider": {"aws": {"region": REGION}},
                "module": {
                    "roles": {
                        "source": f"../{MODULE.name}",
                        "name_prefix": "mlgov-hcp-ambiguous",
                        "organization": "acme",
                        "project": "ml-platform",
                        "workspaces": ["mlgov-test"],
                        "apply_policy_arns": ["arn:aws:iam::aws:policy/PowerUserAccess"],
                        "oidc_provider_arn": f"arn:aws:iam::{ACCOUNT_ID}:oidc-provider/{HOST}",
                    }
                },
            }
        ),
        encoding="utf-8",
    )
    workspace = setup_terraform(module_copy.parent / "cli", sim.environment()).workspace(root)
    workspace.init(backend=False)
    with pytest.raises(TerraformFailed) as failed:
        workspace.plan()
    assert "Set exactly one of create_oidc_provider = true or oidc_provider_arn" in str(
        failed.value
    )


def test_the_synthesized_run_roles_stack_applies_account_by_account(
    sim: Simulator, tmp_path: Path
) -> None:
    environments = cloud_environments(tmp_path / "environments")
    outdir = tmp_path / "cdktf.out"
    result = run_main("--environments", environments, "--outdir", outdir)
    assert result.returncode == 0, result.stderr
    config = load_platform_config(environments)
    deployer = config.organization.deployment_role_name
    assert deployer
    # The deployer role that account vending creates (as the organization sandbox seeds it).
    for env in config.environments:
        trust = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{env.account_id}:root"},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
        iam(sim, env.account_id).create_role(
            RoleName=deployer, AssumeRolePolicyDocument=json.dumps(trust)
        )
    stack_dir = outdir / "stacks" / "hcp-terraform-run-roles"
    override = {"terraform": {"backend": {"local": {"path": str(tmp_path / "roles.tfstate")}}}}
    (stack_dir / "sandbox_override.tf.json").write_text(json.dumps(override), encoding="utf-8")
    workspace = setup_terraform(tmp_path / "cli", sim.environment()).workspace(stack_dir)
    workspace.init()
    workspace.apply()
    changed, detail = workspace.plan_has_changes()
    assert not changed, detail
    outputs = workspace.output()["workspace_environment_variables"]
    for env in config.environments:
        client = iam(sim, env.account_id)
        roles = {
            name: client.get_role(RoleName=f"mlgov-hcp-terraform-{name}")["Role"]
            for name in ("plan", "apply")
        }
        provider_arn = f"arn:aws:iam::{env.account_id}:oidc-provider/{HOST}"
        own = f"mlgov-{env.name}"
        assert may_assume(
            roles["apply"]["AssumeRolePolicyDocument"], provider_arn, token(own, "apply")
        )
        assert may_assume(
            roles["plan"]["AssumeRolePolicyDocument"], provider_arn, token(own, "plan")
        )
        for other in config.environments:
            if other.account_id != env.account_id:
                claims = token(f"mlgov-{other.name}", "apply")
                trust = roles["apply"]["AssumeRolePolicyDocument"]
                assert not may_assume(trust, provider_arn, claims), (env.name, other.name)
        assert outputs[env.name]["TFC_AWS_APPLY_ROLE_ARN"] == roles["apply"]["Arn"]
        assert outputs[env.name]["TFC_AWS_PLAN_ROLE_ARN"] == roles["plan"]["Arn"]
