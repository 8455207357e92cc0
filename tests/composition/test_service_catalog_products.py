"""What the hub publishes through Service Catalog, as synthesized.

The Team ML workspace product archive is extracted and checked by real Terraform (init and
validate with the real provider): it is the configuration the Service Catalog Terraform engine or
HCP Terraform applies. The hub stack's portfolio inputs and the dev stacks' workspace inputs are
read from the synthesized JSON.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import tarfile
import zipfile
from pathlib import Path
from typing import Any

import pytest

from platform_composition.config import AccountRole, load_platform_config
from platform_composition.naming import Naming
from platform_composition.products import (
    PORTFOLIOS_MODULE,
    PROJECT_TEMPLATE_PRODUCTS,
    SMALL_ADMIN_PRODUCTS,
    TERRAFORM_PRODUCTS,
    WORKSPACE_MODULE,
    build_directory_product,
    build_seed_code,
    build_workspace_product,
    platform_version,
)
from tests.composition.conftest import ENVIRONMENTS
from tests.terraform_support import require_terraform

CONFIG = load_platform_config(ENVIRONMENTS)
NAMING = Naming(CONFIG)
PORTFOLIOS = "service-catalog-portfolios"


def _module(stack: dict[str, Any], name: str) -> dict[str, Any]:
    return stack["module"][name]


def _archive_members(path: Path) -> dict[str, bytes]:
    with tarfile.open(path, "r:gz") as archive:
        return {
            member.name: archive.extractfile(member).read()  # type: ignore[union-attr]
            for member in archive.getmembers()
            if member.isfile()
        }


@pytest.fixture(scope="module")
def workspace_product(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_workspace_product(NAMING, tmp_path_factory.mktemp("product"))


def test_workspace_product_is_the_launch_form_plus_the_module(workspace_product: Path) -> None:
    members = _archive_members(workspace_product)
    root = sorted(name for name in members if "/" not in name)
    assert root == ["main.tf", "outputs.tf", "platform.tf", "variables.tf", "versions.tf"]
    assert 'source = "./ml-workspace"' in members["main.tf"].decode()
    assert 'source = "../.."' not in members["main.tf"].decode()
    module_files = {
        f"ml-workspace/{p.relative_to(WORKSPACE_MODULE).as_posix()}"
        for p in WORKSPACE_MODULE.rglob("*")
        if p.is_file()
        and p.relative_to(WORKSPACE_MODULE).parts[0] != "examples"
        and ".terraform" not in p.parts
        and p.name != ".terraform.lock.hcl"
    }
    assert {n for n in members if n.startswith("ml-workspace/")} == module_files
    assert not any(n.startswith("ml-workspace/examples/") for n in members)
    # The shared blocks the module calls (`../shared/<block>`), at shared/<block>/ next to it.
    blocks = {n.split("/")[1] for n in members if n.startswith("shared/")}
    assert blocks == {"kms-key", "s3-bucket"}
    for block in blocks:
        assert f"shared/{block}/main.tf" in members
    assert not any(n.startswith(f"shared/{b}/examples/") for b in blocks for n in members)


def test_workspace_product_carries_this_organizations_values(workspace_product: Path) -> None:
    platform = _archive_members(workspace_product)["platform.tf"].decode()
    organization = CONFIG.organization
    for value in (
        organization.organization_id,
        NAMING.promoter_role_arn,
        NAMING.studio_templates_s3_location,
        NAMING.sagemaker_projects_launch_role_name,
        NAMING.PROJECT_SETTINGS_PATH,
    ):
        assert f'"{value}"' in platform, f"{value} missing from platform.tf:\n{platform}"


def test_archives_are_deterministic(tmp_path: Path, workspace_product: Path) -> None:
    again = build_workspace_product(NAMING, tmp_path / "again")
    assert again.read_bytes() == workspace_product.read_bytes()
    first, second = build_seed_code(tmp_path / "a"), build_seed_code(tmp_path / "b")
    assert first.read_bytes() == second.read_bytes()


def test_seed_code_zip_is_a_repository_root(tmp_path: Path) -> None:
    with zipfile.ZipFile(build_seed_code(tmp_path)) as archive:
        names = set(archive.namelist())
    assert {"requirements.txt", "pipelines/run_pipeline.py", "pipelines/settings.py"} <= names
    assert not any("__pycache__" in n for n in names)


def test_real_terraform_validates_the_workspace_product(
    tmp_path: Path, workspace_product: Path
) -> None:
    setup = require_terraform()
    with tarfile.open(workspace_product, "r:gz") as archive:
        archive.extractall(tmp_path / "product", filter="data")
    workspace = setup.workspace(tmp_path / "product")
    workspace.init(backend=False)
    result = workspace.validate()
    assert result["valid"], json.dumps(result["diagnostics"], indent=2)


def test_hub_publishes_both_portfolios_to_the_workloads_ou(stacks: dict[str, Any]) -> None:
    call = _module(stacks[CONFIG.shared_services.name], PORTFOLIOS)
    assert call["workloads_ou_paths"] == [CONFIG.organization.workloads_ou_path]
    assert call["management_account_id"] == CONFIG.organization.management_account_id
    pattern = f"arn:aws:iam:::role/{NAMING.prefix}-*-lead-data-scientist"
    assert call["portfolios"] == {
        "ml_admin": {"principal_patterns": [pattern]},
        "sagemaker_projects": {"principal_patterns": [pattern]},
    }
    assert call["launch_role_names"] == {
        "ml_admin": f"{NAMING.prefix}-ml-admin-launch",
        "sagemaker_projects": f"{NAMING.prefix}-sagemaker-projects-launch",
    }
    teams = sorted(str(env.team) for env in CONFIG.by_role(AccountRole.DEV))
    assert call["tag_options"] == {"mlgov:team": teams}


def test_hub_products_are_the_templates_and_the_workspace_at_this_release(
    stacks: dict[str, Any], synthesized: Path
) -> None:
    hub = CONFIG.shared_services.name
    products = _module(stacks[hub], PORTFOLIOS)["products"]
    assert set(products) == {*PROJECT_TEMPLATE_PRODUCTS, *SMALL_ADMIN_PRODUCTS, "team-ml-workspace"}
    release = platform_version()
    for key, product in products.items():
        (version,) = product["versions"]
        assert version["name"] == release
        # The artifact is a file of the stack's assets, copied at synth time.
        assert (synthesized / "stacks" / hub / version["artifact_path"]).is_file(), key
    for key in PROJECT_TEMPLATE_PRODUCTS:
        assert products[key]["portfolio"] == "sagemaker_projects"
        assert products[key]["type"] == "CLOUD_FORMATION_TEMPLATE"
        assert products[key]["studio_template"] is True
    workspace = products["team-ml-workspace"]
    assert workspace["portfolio"] == "ml_admin"
    assert workspace["type"] == CONFIG.shared_services.service_catalog.workspace_product_type  # type: ignore[union-attr]


def test_dev_workspaces_get_the_studio_templates_and_the_launch_role(
    stacks: dict[str, Any],
) -> None:
    lake_env = NAMING.data_governance
    for env in CONFIG.by_role(AccountRole.DEV):
        call = _module(stacks[env.name], "ml-workspace")
        assert call["project_templates_s3_location"] == NAMING.studio_templates_s3_location
        projects = call["sagemaker_projects"]
        assert projects["launch_role_name"] == NAMING.sagemaker_projects_launch_role_name
        assert projects["settings_parameter_path"] == NAMING.PROJECT_SETTINGS_PATH
        granted = bool(lake_env and lake_env.lake and lake_env.lake.shared_databases(env.name))
        expected_athena = NAMING.lake_athena_role_arn(env) if granted else None
        assert projects.get("athena_role_arn") == expected_athena, env.name
        if granted:
            consumer = _module(stacks[env.name], "data-lake-consumer")
            assert consumer["project_settings_parameter_path"] == NAMING.PROJECT_SETTINGS_PATH


def test_product_archive_changes_with_the_organization(tmp_path: Path) -> None:
    """platform.tf is written per organization: another prefix, another archive."""
    other = Naming(
        type(CONFIG)(
            organization=type(CONFIG.organization)(
                **{**CONFIG.organization.__dict__, "name_prefix": "acme"}
            ),
            environments=CONFIG.environments,
        )
    )
    members = _archive_members(build_workspace_product(other, tmp_path))
    assert '"acme"' in members["platform.tf"].decode()
    default = _archive_members(build_workspace_product(NAMING, tmp_path / "default"))
    assert members["main.tf"] == default["main.tf"]
    assert members["platform.tf"] != default["platform.tf"]


def test_publishing_pipeline_publishes_this_repositorys_templates_and_seed_code(
    stacks: dict[str, Any],
) -> None:
    settings = CONFIG.shared_services.service_catalog
    assert settings is not None and settings.publishing_repository is not None
    pipeline = _module(stacks[CONFIG.shared_services.name], PORTFOLIOS)["publishing_pipeline"]
    assert pipeline["repository_id"] == settings.publishing_repository
    assert set(pipeline["product_sources"]) == {*PROJECT_TEMPLATE_PRODUCTS, *SMALL_ADMIN_PRODUCTS}
    root = ENVIRONMENTS.parent
    for key in PROJECT_TEMPLATE_PRODUCTS:
        source = pipeline["product_sources"][key]
        assert (root / source).is_file(), f"{key}: {source} is not a file of this repository"
    for key in SMALL_ADMIN_PRODUCTS:
        source = pipeline["product_sources"][key]
        assert any((root / source).glob("*.tf")), f"{key}: {source} holds no Terraform"
    for key, source in pipeline["seed_code_sources"].items():
        assert (root / source / "pipelines").is_dir(), f"{key}: {source} holds no seed code"


def _publisher() -> Any:
    spec = importlib.util.spec_from_file_location(
        "publish_portfolio", PORTFOLIOS_MODULE / "publisher" / "publish_portfolio.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("key", sorted(SMALL_ADMIN_PRODUCTS))
def test_small_admin_products_pack_as_the_publishing_pipeline_packs_them(
    tmp_path: Path, key: str
) -> None:
    """Same content, same bytes: the pipeline recognizes the version Terraform created."""
    built = build_directory_product(key, tmp_path).read_bytes()
    assert built == _publisher().pack_directory(TERRAFORM_PRODUCTS / key)


@pytest.mark.parametrize("key", sorted(SMALL_ADMIN_PRODUCTS))
def test_real_terraform_validates_the_small_admin_products(tmp_path: Path, key: str) -> None:
    setup = require_terraform()
    with tarfile.open(build_directory_product(key, tmp_path / "build"), "r:gz") as archive:
        archive.extractall(tmp_path / "product", filter="data")
    workspace = setup.workspace(tmp_path / "product")
    workspace.init(backend=False)
    result = workspace.validate()
    assert result["valid"], json.dumps(result["diagnostics"], indent=2)
