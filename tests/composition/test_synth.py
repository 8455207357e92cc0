"""Plan-level checks on the synthesized stacks: provider, backend, dependencies, module inputs."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest

from platform_composition import app as app_module
from platform_composition.app import build_app, load_cdktf_context, synthesize
from platform_composition.aws_provider import AWS_PROVIDER_VERSION, AWS_PROVIDER_VERSION_DATAZONE_V2
from platform_composition.config import AccountRole, load_platform_config
from platform_composition.hcl_module import ModuleArgumentError, install_module_sources
from platform_composition.naming import Naming
from tests.composition.conftest import ENVIRONMENTS, PROJECT_ROOT, run_main

CONFIG = load_platform_config(ENVIRONMENTS)
NAMING = Naming(CONFIG)
ENV_NAMES = [env.name for env in CONFIG.environments]
GOVERNANCE = CONFIG.by_role(AccountRole.DATA_GOVERNANCE)[0]
STUDIO = f"{GOVERNANCE.name}-unified-studio"
# Synth order: each environment's own stack, then its additional ones.
STACK_NAMES = [
    name
    for env in CONFIG.environments
    for name in [env.name, *([STUDIO] if env.unified_studio else [])]
]


def test_one_stack_per_environment_plus_unified_studio_when_configured(
    stacks: dict[str, dict[str, Any]],
) -> None:
    """One stack per environment, named after it; plus `<env>-unified-studio` for the
    data-governance environment when it has a `unified_studio` block (the default does)."""
    assert GOVERNANCE.unified_studio is not None
    assert sorted(stacks) == sorted([*ENV_NAMES, STUDIO])


@pytest.mark.parametrize("env_name", ENV_NAMES)
def test_provider_is_pinned_to_the_environment_account(
    stacks: dict[str, dict[str, Any]], env_name: str
) -> None:
    env = CONFIG.environment(env_name)
    (provider,) = stacks[env_name]["provider"]["aws"]
    assert provider["region"] == env.region
    assert provider["allowed_account_ids"] == [env.account_id]
    assert provider["assume_role"] == [
        {
            "role_arn": f"arn:aws:iam::{env.account_id}:role/mlgov-terraform-deployer",
            "session_name": f"terraform-{env_name}",
        }
    ]
    tags = provider["default_tags"][0]["tags"]
    assert tags["Environment"] == env_name
    assert tags["AccountRole"] == env.role.value
    assert tags["Platform"] == "ml-governance"
    required = stacks[env_name]["terraform"]["required_providers"]["aws"]
    assert required == {"source": "hashicorp/aws", "version": ">= 5.100, < 7.0"}


@pytest.mark.parametrize("stack_name", STACK_NAMES)
def test_default_backend_is_local_outside_the_output_directory(
    synthesized: Path, stacks: dict[str, dict[str, Any]], stack_name: str
) -> None:
    path = stacks[stack_name]["terraform"]["backend"]["local"]["path"]
    assert not Path(path).is_absolute(), "synthesized output must not depend on the machine"
    resolved = (synthesized / "stacks" / stack_name / path).resolve()
    assert resolved.name == f"{stack_name}.tfstate"  # one state per stack
    assert synthesized.resolve() not in resolved.parents, "re-synth would delete local state"


def test_spokes_depend_on_the_hub(synthesized: Path) -> None:
    manifest = json.loads((synthesized / "manifest.json").read_text())
    hub = CONFIG.shared_services.name
    assert manifest["stacks"][hub]["dependencies"] == []
    for name in ENV_NAMES:
        if name != hub:
            assert manifest["stacks"][name]["dependencies"] == [hub], name
    # Applied after the lake's stack of the same account (which depends on the hub).
    assert manifest["stacks"][STUDIO]["dependencies"] == [GOVERNANCE.name]


def test_registry_module_arguments(stacks: dict[str, dict[str, Any]]) -> None:
    module = stacks["shared-services"]["module"]["central-model-registry"]
    assert module["organization_id"] == "o-a1b2c3d4e5"
    assert module["consumer_account_ids"] == ["444444444444", "555555555555"]
    assert module["artifact_bucket_name"] == "mlgov-model-artifacts-111111111111-eu-west-1"
    assert module["kms_alias_name"] == "alias/mlgov-model-registry"
    assert module["image_repository_names"] == ["mlgov-promoted/team-a", "mlgov-promoted/team-b"]
    # The module is copied into the stack so the stack directory is self-contained.
    assert module["source"] == "./modules/central-model-registry"


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _terraform_working_file(path: str) -> bool:
    """Caches and what a `terraform init`/`apply` run inside a module folder leaves; never
    copied."""
    parts = path.split("/")
    caches = {"__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", ".terraform"}
    return (
        bool(caches.intersection(parts))
        or parts[-1] == ".terraform.lock.hcl"
        or (".tfstate" in parts[-1] or parts[-1].endswith(".pyc"))
    )


def test_each_stack_holds_exactly_the_modules_it_calls(
    synthesized: Path, stacks: dict[str, Any]
) -> None:
    """`modules/` of a stack: each module it calls and the shared building blocks those call,
    byte for byte as in the repository without their examples; nothing else."""
    modules_dir = PROJECT_ROOT / "modules"
    for name, stack in stacks.items():
        called = {
            body["source"].removeprefix("./modules/")
            for body in stack.get("module", {}).values()
            if not body["source"].startswith("hashicorp/")
        }
        assert all("/" not in module for module in called), called
        copied = synthesized / "stacks" / name / "modules"
        blocks = {
            match
            for module in called
            for tf in (modules_dir / module).glob("*.tf")
            for match in re.findall(r'"\.\./shared/([\w-]+)"', tf.read_text())
        }
        shared = ["shared"] if blocks else []
        assert sorted(p.name for p in copied.iterdir()) == sorted([*called, *shared]), name
        if blocks:
            assert sorted(p.name for p in (copied / "shared").iterdir()) == sorted(blocks), name
        for module in [*called, *(f"shared/{block}" for block in blocks)]:
            expected = {
                path: data
                for path, data in _files(modules_dir / module).items()
                if not _terraform_working_file(path) and "examples" not in path.split("/")
            }
            assert _files(copied / module) == expected, (name, module)
        assert not (synthesized / "stacks" / name / "assets" / "__cdktf_module_asset").exists()


def test_install_module_sources_refuses_a_source_outside_modules(tmp_path: Path) -> None:
    stack_dir = tmp_path / "stack"
    stack_dir.mkdir()
    for source in ("./modules/no-such-module", "./modules/shared", "./modules/shared/kms-key"):
        (stack_dir / "cdk.tf.json").write_text(json.dumps({"module": {"m": {"source": source}}}))
        with pytest.raises(ModuleArgumentError, match=f"stack: module 'm' calls '{source}'"):
            install_module_sources(stack_dir)
        assert not (stack_dir / "modules").exists()


def test_install_module_sources_leaves_terraform_working_files_behind(tmp_path: Path) -> None:
    modules_dir = tmp_path / "modules"
    shutil.copytree(PROJECT_ROOT / "modules" / "shared", modules_dir / "shared")
    module = modules_dir / "demo"
    (module / ".terraform" / "providers").mkdir(parents=True)
    (module / ".terraform" / "providers" / "terraform-provider-aws").write_bytes(b"\0" * 1024)
    for name in (".terraform.lock.hcl", "terraform.tfstate", "terraform.tfstate.backup"):
        (module / name).write_text("# demo\n")
    (module / "main.tf").write_text('module "key" {\n  source = "../shared/kms-key"\n}\n')
    (module / "versions.tf").write_text("terraform {}\n")
    (module / "__pycache__").mkdir()
    (module / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\0")
    (module / "examples" / "complete").mkdir(parents=True)
    (module / "examples" / "complete" / "main.tf").write_text("# example\n")
    stack_dir = tmp_path / "stack"
    stack_dir.mkdir()
    (stack_dir / "cdk.tf.json").write_text(
        json.dumps({"module": {"demo": {"source": "./modules/demo"}}})
    )
    assert install_module_sources(stack_dir, modules_dir) == ["demo"]
    assert sorted(p.name for p in (stack_dir / "modules").iterdir()) == ["demo", "shared"]
    assert sorted(p.name for p in (stack_dir / "modules" / "demo").iterdir()) == [
        "main.tf",
        "versions.tf",
    ]
    assert [p.name for p in (stack_dir / "modules" / "shared").iterdir()] == ["kms-key"]


def test_synth_is_deterministic_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    # The system temporary directory of both synths (cdktn's Node.js process included).
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = {**os.environ, "TMPDIR": str(temporary)}
    assert run_main("--outdir", first, env=env).returncode == 0
    assert run_main("--outdir", second, env=env).returncode == 0
    assert sorted(p.name for p in temporary.iterdir()) == []
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for relative in files:
        assert (first / relative).read_bytes() == (second / relative).read_bytes(), relative


def test_main_prints_a_summary_table() -> None:
    # Synthesizing into a throwaway directory keeps the developer's cdktf.out untouched.
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        result = run_main("--outdir", Path(tmp) / "out")
    assert result.returncode == 0, result.stderr
    header, *rows = result.stdout.strip().splitlines()[: len(STACK_NAMES) + 1]
    assert header.split() == ["stack", "role", "account", "region", "modules", "backend"]
    assert [row.split()[0] for row in rows] == STACK_NAMES
    assert rows[0].startswith("shared-services")
    assert "central-model-registry" in rows[0]
    assert "local:terraform-state/shared-services.tfstate" in rows[0]
    (studio,) = [row for row in rows if row.startswith(STUDIO)]
    assert studio.split()[1:4] == [
        "data-governance",
        GOVERNANCE.account_id,
        GOVERNANCE.region,
    ]
    assert "unified-studio-domain" in studio
    assert f"local:terraform-state/{STUDIO}.tfstate" in studio
    assert f"synthesized {len(STACK_NAMES)} stacks" in result.stdout


def _write_backend(environments: Path, env: str, block: str) -> None:
    path = environments / env / "environment.hcl"
    path.write_text(path.read_text() + "\n" + block + "\n")


def test_s3_backend_uses_native_locking(environments_copy: Path, tmp_path: Path) -> None:
    _write_backend(
        environments_copy,
        "prod",
        'backend "s3" {\n  bucket = "acme-tf-state"\n  kms_key_id = "alias/tf-state"\n}',
    )
    outdir = tmp_path / "out"
    result = run_main("--environments", environments_copy, "--outdir", outdir)
    assert result.returncode == 0, result.stderr
    stack = json.loads((outdir / "stacks/prod/cdk.tf.json").read_text())
    assert stack["terraform"]["backend"]["s3"] == {
        "bucket": "acme-tf-state",
        "key": "mlgov/prod/terraform.tfstate",
        "region": "eu-west-1",
        "encrypt": True,
        "use_lockfile": True,
        "kms_key_id": "alias/tf-state",
    }
    # Native S3 locking needs Terraform/OpenTofu >= 1.10, declared once in cdktf.json.
    assert load_cdktf_context()["targetVersions"]["terraform"] == ">=1.10.0"


def test_cloud_backend_has_one_workspace_per_stack(environments_copy: Path, tmp_path: Path) -> None:
    org = environments_copy / "organization.hcl"
    org.write_text(
        org.read_text().replace(
            'backend "local" {}',
            'backend "cloud" {\n  organization = "acme"\n  project = "ml-platform"\n}',
        )
    )
    outdir = tmp_path / "out"
    result = run_main("--environments", environments_copy, "--outdir", outdir)
    assert result.returncode == 0, result.stderr
    workspaces = set()
    for name in STACK_NAMES:
        cloud = json.loads((outdir / "stacks" / name / "cdk.tf.json").read_text())["terraform"][
            "cloud"
        ]
        assert cloud["organization"] == "acme"
        assert cloud["hostname"] == "app.terraform.io"
        assert cloud["workspaces"]["project"] == "ml-platform"
        workspaces.add(cloud["workspaces"]["name"])
    assert workspaces == {f"mlgov-{name}" for name in STACK_NAMES}
    assert f"mlgov-{STUDIO}" in workspaces  # its own workspace, same organization and project


def test_build_app_in_process(tmp_path: Path) -> None:
    _app, stacks = build_app(CONFIG, tmp_path / "out", build_dir=tmp_path / "build")
    assert [stack.stack_name for stack in stacks] == STACK_NAMES
    assert [stack.env.name for stack in stacks] == [
        GOVERNANCE.name if name == STUDIO else name for name in STACK_NAMES
    ]
    assert stacks[0].module_names == ["central-model-registry"] or "central-model-registry" in (
        stacks[0].module_names
    )
    assert NAMING.promoter_role_arn == "arn:aws:iam::111111111111:role/mlgov-model-promoter"
    assert NAMING.promoted_image_repository_prefix == "mlgov-promoted"
    assert NAMING.promoted_image_repository("team-a") == "mlgov-promoted/team-a"


def test_promotion_hub_module_arguments(synthesized: Path, stacks: dict[str, Any]) -> None:
    hub = stacks["shared-services"]["module"]["model-promotion-hub"]
    devs = CONFIG.by_role(AccountRole.DEV)
    assert hub["organization_id"] == "o-a1b2c3d4e5"
    assert hub["workloads_ou_path"] == CONFIG.organization.workloads_ou_path
    assert hub["allowed_account_ids"] == [env.account_id for env in devs]
    assert hub["source_accounts"] == {env.account_id: env.team for env in devs}
    assert hub["image_repository_prefix"] == "mlgov-promoted"
    assert hub["source_role_name"] == "mlgov-promotion-source"
    # Registry outputs are wired within the stack, not copied as literals.
    assert hub["hub_artifact_bucket_arn"] == "${module.central-model-registry.artifact_bucket_arn}"
    assert hub["registry_kms_key_arn"] == "${module.central-model-registry.kms_key_arn}"
    assert hub["group_policy_template"] == (
        "${module.central-model-registry.model_package_group_policy_template}"
    )
    # The promoter runs the signed copy of its package, under the hub's code signing config.
    signing = stacks["shared-services"]["module"]["lambda-code-signing"]
    assert hub["function_package"] == {
        "s3_bucket": "${module.lambda-code-signing.signed_packages.model_promoter.s3_bucket}",
        "s3_key": "${module.lambda-code-signing.signed_packages.model_promoter.s3_key}",
    }
    assert hub["code_signing_config_arn"] == "${module.lambda-code-signing.code_signing_config_arn}"
    pipeline = stacks["shared-services"]["module"]["model-deployment-pipeline"]
    assert pipeline["trigger_function_code_signing_config_arn"] == hub["code_signing_config_arn"]
    assert set(signing["packages"]) == {"model_promoter", "pipeline_trigger"}
    package = signing["packages"]["model_promoter"]
    zip_path = synthesized / "stacks" / "shared-services" / package["filename"]
    digest = base64.b64encode(hashlib.sha256(zip_path.read_bytes()).digest()).decode()
    assert package["source_code_hash"] == digest
    with zipfile.ZipFile(zip_path) as archive:
        names = archive.namelist()
    assert "model_promoter/handler.py" in names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


@pytest.mark.parametrize("env", CONFIG.by_role(AccountRole.DEV), ids=lambda env: env.name)
def test_dev_accounts_forward_to_the_hub(stacks: dict[str, Any], env: Any) -> None:
    hub_env = CONFIG.shared_services
    hub = stacks[hub_env.name]["module"]["model-promotion-hub"]
    forwarder = stacks[env.name]["module"]["model-approval-forwarder"]
    # Names computed by one naming module must agree across the two accounts.
    assert forwarder["hub_event_bus_arn"] == (
        f"arn:aws:events:{hub_env.region}:{hub_env.account_id}:event-bus/{hub['event_bus_name']}"
    )
    assert forwarder["hub_promoter_role_arn"] == (
        f"arn:aws:iam::{hub_env.account_id}:role/{hub['role_name']}"
    )
    assert forwarder["promotion_source_role_name"] == hub["source_role_name"]
    # The promoter reads the workspace's artifact bucket with the workspace's key.
    assert forwarder["artifact_bucket_arns"] == ["${module.ml-workspace.artifact_bucket_arn}"]
    assert forwarder["artifact_kms_key_arns"] == ["${module.ml-workspace.kms_key_arn}"]
    assert env.account_id in hub["allowed_account_ids"]


@pytest.mark.parametrize("env", CONFIG.by_role(AccountRole.DEV), ids=lambda env: env.name)
def test_dev_accounts_get_their_workspace(stacks: dict[str, Any], env: Any) -> None:
    workspace = stacks[env.name]["module"]["ml-workspace"]
    settings = env.workspace
    assert workspace["name"] == f"mlgov-{env.team}"
    assert workspace["auth_mode"] == settings.auth_mode
    assert workspace["lead_data_scientist_trusted_principal_arns"] == list(
        settings.lead_data_scientist_principals
    )
    assert workspace["data_scientist_trusted_principal_arns"] == list(
        settings.data_scientist_principals
    )
    assert sorted(workspace["users"]) == sorted(user.name for user in settings.users)
    assert workspace["hub_promoter_role_arn"] == (
        f"arn:aws:iam::{CONFIG.shared_services.account_id}:role/mlgov-model-promoter"
    )
    assert workspace["create_vpc"] is (settings.network.mode == "create")
    # The hub refuses approvals by anyone but the role ml-workspace names
    # "<name>-lead-data-scientist" (the applied name is checked by the e2e walk).
    hub = stacks[CONFIG.shared_services.name]["module"]["model-promotion-hub"]
    template = hub["approver_role_name_template"]
    assert template.replace("{team}", env.team) == f"{workspace['name']}-lead-data-scientist"
    assert stacks[env.name]["output"]["persona_role_arns"]["value"] == (
        "${module.ml-workspace.persona_role_arns}"
    )


def _add_working_files(stack_dir: Path) -> int:
    """What `terraform init` leaves in a stack; returns the provider file's inode."""
    (stack_dir / ".terraform.lock.hcl").write_text("# lock from terraform init\n")
    provider = stack_dir / ".terraform" / "providers" / "x"
    provider.parent.mkdir(parents=True)
    provider.write_bytes(b"provider binary")
    return provider.stat().st_ino


def _assert_working_files(stack_dir: Path, inode: int) -> None:
    assert (stack_dir / ".terraform.lock.hcl").read_text() == "# lock from terraform init\n"
    provider = stack_dir / ".terraform" / "providers" / "x"
    assert provider.read_bytes() == b"provider binary"
    assert provider.stat().st_ino == inode, ".terraform/ must be moved, not copied"


def _synth(environments: Path, outdir: Path) -> None:
    result = run_main("--environments", environments, "--outdir", outdir)
    assert result.returncode == 0, result.stderr


def test_resynth_keeps_terraform_working_files(environments_copy: Path, tmp_path: Path) -> None:
    outdir = tmp_path / "out"
    _synth(environments_copy, outdir)
    inode = _add_working_files(outdir / "stacks" / "prod")
    _synth(environments_copy, outdir)
    _assert_working_files(outdir / "stacks" / "prod", inode)
    assert not (outdir / "stacks" / "test" / ".terraform.lock.hcl").exists()
    assert not (outdir / "stacks" / "test" / ".terraform").exists()


def test_removed_stack_loses_its_working_files(environments_copy: Path, tmp_path: Path) -> None:
    outdir = tmp_path / "out"
    _synth(environments_copy, outdir)
    _add_working_files(outdir / "stacks" / "data-governance")
    shutil.rmtree(environments_copy / "data-governance")
    _synth(environments_copy, outdir)
    assert not (outdir / "stacks" / "data-governance").exists()
    assert not list(tmp_path.glob("**/providers/x")), "nothing left behind next to outdir"


def test_failed_synth_keeps_terraform_working_files(
    environments_copy: Path, tmp_path: Path
) -> None:
    outdir = tmp_path / "out"
    _synth(environments_copy, outdir)
    inode = _add_working_files(outdir / "stacks" / "prod")
    org = environments_copy / "organization.hcl"
    org.write_text(org.read_text() + "\nunknown_setting = true\n")
    result = run_main("--environments", environments_copy, "--outdir", outdir)
    assert result.returncode == 2, result.stderr
    _assert_working_files(outdir / "stacks" / "prod", inode)


def test_failed_swap_puts_terraform_working_files_back(
    environments_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outdir = tmp_path / "out"
    _synth(environments_copy, outdir)
    inode = _add_working_files(outdir / "stacks" / "prod")

    def fail(new: Path, target: Path) -> None:
        raise OSError("swap failed")

    monkeypatch.chdir(PROJECT_ROOT)
    monkeypatch.setattr(app_module, "_replace_directory", fail)
    with pytest.raises(OSError, match="swap failed"):
        synthesize(environments_copy, outdir)
    _assert_working_files(outdir / "stacks" / "prod", inode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["environments", "out"]


def test_environment_lock_file_wins(environments_copy: Path, tmp_path: Path) -> None:
    outdir = tmp_path / "out"
    _synth(environments_copy, outdir)
    inode = _add_working_files(outdir / "stacks" / "prod")
    pinned = "# pinned by the team\n"
    (environments_copy / "prod" / ".terraform.lock.hcl").write_text(pinned)
    (environments_copy / "test" / ".terraform.lock.hcl").write_text(pinned)
    _synth(environments_copy, outdir)
    assert (outdir / "stacks" / "prod" / ".terraform.lock.hcl").read_text() == pinned
    assert (outdir / "stacks" / "prod" / ".terraform" / "providers" / "x").stat().st_ino == inode
    assert (outdir / "stacks" / "test" / ".terraform.lock.hcl").read_text() == pinned


def test_data_governance_stack_builds_the_lake_and_names_each_teams_athena_role(
    stacks: dict[str, Any],
) -> None:
    governance = next(e for e in CONFIG.environments if e.role is AccountRole.DATA_GOVERNANCE)
    lake = stacks[governance.name]["module"]["data-lake"]
    settings = governance.lake
    assert lake["name"] == "mlgov-lake"
    assert sorted(lake["databases"]) == sorted(db.name for db in settings.databases)
    grants = lake["consumer_grants"]
    for grant in settings.grants:
        dev = CONFIG.environment(grant.environment)
        entry = grants[dev.account_id]
        # DESCRIBE/SELECT only, to the team's Athena role itself: nothing to re-grant in dev.
        assert set(entry["permissions"]) <= {"DESCRIBE", "SELECT"}
        assert (
            entry["principal_arn"] == f"arn:aws:iam::{dev.account_id}:role/mlgov-{dev.team}-athena"
        )
        consumer = stacks[dev.name]["module"]["data-lake-consumer"]
        assert consumer["name"] == f"mlgov-{dev.team}"  # hence the role name above
        assert consumer["lake_account_id"] == governance.account_id
        assert consumer["shared_databases"] == list(settings.shared_databases(dev.name))
        assert consumer["grant_shared_database_permissions"] is False
        assert "module.ml-workspace.persona_role_arns" in consumer["athena_user_principal_arns"]


def test_a_team_without_a_grant_gets_no_lake_access(
    environments_copy: Path, tmp_path: Path
) -> None:
    file = environments_copy / "data-governance" / "environment.hcl"
    text = file.read_text()
    start = text.index('  grant "dev-team-b"')
    file.write_text(text[:start] + text[text.index("}", text.index("}", start) + 1) + 1 :])
    outdir = tmp_path / "out"
    result = run_main("--environments", environments_copy, "--outdir", outdir)
    assert result.returncode == 0, result.stderr
    team_b = json.loads((outdir / "stacks" / "dev-team-b" / "cdk.tf.json").read_text())
    assert "data-lake-consumer" not in team_b["module"]
    lake = json.loads((outdir / "stacks" / "data-governance" / "cdk.tf.json").read_text())
    assert list(lake["module"]["data-lake"]["consumer_grants"]) == ["222222222222"]


# -- SageMaker Unified Studio: a stack of its own, on hashicorp/aws 6.x ---------------------------


def test_unified_studio_stack_has_the_6x_provider_and_the_governance_accounts_settings(
    stacks: dict[str, Any],
) -> None:
    studio, lake = stacks[STUDIO], stacks[GOVERNANCE.name]
    assert studio["terraform"]["required_providers"]["aws"] == {
        "source": "hashicorp/aws",
        "version": ">= 6.0, < 7.0",
    }
    assert studio["terraform"]["required_providers"]["aws"]["version"] == (
        AWS_PROVIDER_VERSION_DATAZONE_V2
    )
    # The lake's stack (like every other stack) stays on the platform's range, so 5.100 plans it.
    assert lake["terraform"]["required_providers"]["aws"]["version"] == AWS_PROVIDER_VERSION
    assert AWS_PROVIDER_VERSION == ">= 5.100, < 7.0"
    # Same account, region, deployment role and tags as the data-governance stack.
    assert studio["provider"] == lake["provider"]
    # Its own state, next to the lake's.
    studio_state = studio["terraform"]["backend"]["local"]["path"]
    lake_state = lake["terraform"]["backend"]["local"]["path"]
    assert Path(studio_state).name == f"{STUDIO}.tfstate" != Path(lake_state).name
    assert Path(studio_state).parent == Path(lake_state).parent
    assert list(studio["module"]) == ["unified-studio-domain"]
    assert "unified-studio-domain" not in lake["module"]


def test_unified_studio_has_one_project_per_dev_environment(stacks: dict[str, Any]) -> None:
    module = stacks[STUDIO]["module"]["unified-studio-domain"]
    devs = CONFIG.by_role(AccountRole.DEV)
    assert sorted(module["teams"]) == sorted(dev.team for dev in devs)
    for dev in devs:
        assert dev.account_id in module["teams"][dev.team]["description"]
    settings = GOVERNANCE.unified_studio
    assert settings is not None
    assert module["name"] == NAMING.unified_studio_domain_name == "mlgov-studio"
    assert module["single_sign_on_type"] == settings.single_sign_on_type
    assert module["single_sign_on_user_assignment"] == settings.single_sign_on_user_assignment
    assert module["description"] == settings.description
    assert module["create_kms_key"] is True and "kms_key_arn" not in module
    outputs = stacks[STUDIO]["output"]
    for name, module_output in (
        ("unified_studio_domain_id", "domain_id"),
        ("unified_studio_portal_url", "domain_portal_url"),
        ("unified_studio_project_ids", "project_ids"),
    ):
        assert outputs[name]["value"] == f"${{module.unified-studio-domain.{module_output}}}"


def test_unified_studio_is_optional_and_keeps_its_own_state_key(
    environments_copy: Path, tmp_path: Path
) -> None:
    governance = environments_copy / GOVERNANCE.name / "environment.hcl"
    with_s3 = governance.read_text() + '\nbackend "s3" {\n  bucket = "acme-tf-state"\n}\n'
    governance.write_text(with_s3)
    outdir = tmp_path / "out"
    _synth(environments_copy, outdir)
    keys = {
        name: json.loads((outdir / "stacks" / name / "cdk.tf.json").read_text())["terraform"][
            "backend"
        ]["s3"]["key"]
        for name in (GOVERNANCE.name, STUDIO)
    }
    assert keys == {
        GOVERNANCE.name: f"mlgov/{GOVERNANCE.name}/terraform.tfstate",
        STUDIO: f"mlgov/{STUDIO}/terraform.tfstate",
    }
    lake_stack = (outdir / "stacks" / GOVERNANCE.name / "cdk.tf.json").read_text()
    # Without the block: no Unified Studio stack, and the lake's stack is unchanged.
    governance.write_text(re.sub(r"unified_studio \{[^}]*\}", "", with_s3))
    _synth(environments_copy, outdir)
    assert sorted(p.name for p in (outdir / "stacks").iterdir()) == sorted(ENV_NAMES)
    assert (outdir / "stacks" / GOVERNANCE.name / "cdk.tf.json").read_text() == lake_stack


def test_unified_studio_lock_file_is_pinned_beside_the_environments(
    environments_copy: Path, tmp_path: Path
) -> None:
    pinned = "# aws 6.x pinned by the team\n"
    (environments_copy / GOVERNANCE.name / "unified-studio.terraform.lock.hcl").write_text(pinned)
    outdir = tmp_path / "out"
    _synth(environments_copy, outdir)
    assert (outdir / "stacks" / STUDIO / ".terraform.lock.hcl").read_text() == pinned
    assert not (outdir / "stacks" / GOVERNANCE.name / ".terraform.lock.hcl").exists()
