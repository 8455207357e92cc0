"""The artifacts the hub publishes through Service Catalog, built at synth time.

- The "Team ML workspace" product: `modules/ml-workspace/examples/service-catalog-product/` (the
  launch form and the module call) at the archive's root, `platform.tf` written for this
  organization, the module itself under `ml-workspace/` and the shared building blocks it calls
  (`../shared/<block>`) under `shared/<block>/`. The Service Catalog Terraform engine and HCP
  Terraform apply the archive's root.
- The seed code of the model-build project templates, as the zip a new repository starts from.

Archives are deterministic (sorted entries, fixed timestamps, owners and modes), so their bytes,
and the object keys derived from them, change exactly when their content does.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import tarfile
import zipfile
from importlib.metadata import version
from pathlib import Path

from platform_composition.hcl_module import (
    PROJECT_ROOT,
    module_files,
    shared_blocks_called,
    source_files,
)
from platform_composition.naming import Naming
from platform_composition.packaging import Package

MODULES = PROJECT_ROOT / "modules"
WORKSPACE_MODULE = MODULES / "ml-workspace"
SHARED_BLOCKS = MODULES / "shared"
WORKSPACE_PRODUCT = WORKSPACE_MODULE / "examples" / "service-catalog-product"
PORTFOLIOS_MODULE = MODULES / "service-catalog-portfolios"
PROJECT_TEMPLATES = PORTFOLIOS_MODULE / "project-templates"
TERRAFORM_PRODUCTS = PORTFOLIOS_MODULE / "terraform-products"
SEED_CODE = PORTFOLIOS_MODULE / "seed-code" / "model-build"

# Product key -> (display name, description, template file) of the SageMaker projects portfolio.
PROJECT_TEMPLATE_PRODUCTS: dict[str, tuple[str, str, str]] = {
    "model-build-s3": (
        "Model build from S3 data",
        "SageMaker pipeline (preprocess, XGBoost, evaluate, register as PendingManualApproval) "
        "on CSV data in S3, built from a GitHub/GitLab/Bitbucket repository on every push.",
        "model-build-s3.yaml",
    ),
    "model-build-athena": (
        "Model build from the data lake (Athena)",
        "The model build pipeline on a data lake table the team is granted, queried through "
        "the team's Athena workgroup and role.",
        "model-build-athena.yaml",
    ),
    "model-build-feature-store": (
        "Model build from the central feature store",
        "The model build pipeline on a feature group shared to the team, read from its "
        "offline store (latest record per identifier).",
        "model-build-feature-store.yaml",
    ),
}

# Product key -> (display name, description) of the ML Admin Portfolio's small Terraform products,
# each a directory of terraform-products/ packed as it is.
SMALL_ADMIN_PRODUCTS: dict[str, tuple[str, str]] = {
    "studio-user-profile": (
        "Studio user profile",
        "Adds a person to the team's Studio domain, bound to their persona's execution role.",
    ),
}

_FIXED_MTIME = 315532800  # 1980-01-01, as in the Lambda packages
_MODULE_SOURCE_IN_EXAMPLE = 'source = "../.."'
_MODULE_SOURCE_IN_PRODUCT = 'source = "./ml-workspace"'


def platform_version() -> str:
    """The platform's release (package metadata): the version name of what it publishes."""
    return version("ml-governance-platform")


def _add(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = _FIXED_MTIME
    info.mode = 0o644
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    archive.addfile(info, io.BytesIO(data))


def platform_locals(naming: Naming) -> str:
    """platform.tf of the workspace product: the organization's values, as Terraform locals."""
    organization = naming.config.organization
    values = {
        "name_prefix": naming.prefix,
        "organization_id": organization.organization_id,
        "hub_promoter_role_arn": naming.promoter_role_arn,
        "project_templates_s3_location": naming.studio_templates_s3_location,
        "sagemaker_projects_launch_role_name": naming.sagemaker_projects_launch_role_name,
        "project_settings_path": naming.PROJECT_SETTINGS_PATH,
    }
    width = max(len(key) for key in values)
    lines = [f"    {key.ljust(width)} = {json.dumps(value)}" for key, value in values.items()]
    return (
        "# Written by the platform's packaging for this organization.\n"
        "locals {\n  platform = {\n" + "\n".join(lines) + "\n  }\n}\n"
    )


def build_workspace_product(naming: Naming, build_dir: Path) -> Path:
    """The Team ML workspace product archive (tar.gz) for this organization."""
    build_dir.mkdir(parents=True, exist_ok=True)
    target = build_dir / "team-ml-workspace.tar.gz"
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for path in source_files(WORKSPACE_PRODUCT):
            name = path.relative_to(WORKSPACE_PRODUCT).as_posix()
            data = path.read_bytes()
            if name == "platform.tf":
                data = platform_locals(naming).encode()
            elif name == "main.tf":
                text = data.decode()
                if text.count(_MODULE_SOURCE_IN_EXAMPLE) != 1:
                    raise ValueError(
                        f"{path}: expected exactly one `{_MODULE_SOURCE_IN_EXAMPLE}` (the module "
                        "call the packaging points at ./ml-workspace)"
                    )
                data = text.replace(_MODULE_SOURCE_IN_EXAMPLE, _MODULE_SOURCE_IN_PRODUCT).encode()
            _add(archive, name, data)
        for path in module_files(WORKSPACE_MODULE):
            relative = path.relative_to(WORKSPACE_MODULE)
            _add(archive, f"ml-workspace/{relative.as_posix()}", path.read_bytes())
        # `../shared/<block>` from ml-workspace/ is shared/<block>/ at the archive's root.
        for block in shared_blocks_called(WORKSPACE_MODULE):
            block_dir = SHARED_BLOCKS / block
            if not (block_dir / "versions.tf").is_file():
                raise ValueError(f"{WORKSPACE_MODULE}: calls ../shared/{block}, which is no block")
            for path in module_files(block_dir):
                relative = path.relative_to(block_dir)
                _add(archive, f"shared/{block}/{relative.as_posix()}", path.read_bytes())
    # gzip without a file name or time stamp in its header: same content, same bytes.
    compressed = io.BytesIO()
    with gzip.GzipFile(fileobj=compressed, mode="wb", mtime=0, filename="") as stream:
        stream.write(raw.getvalue())
    target.write_bytes(compressed.getvalue())
    return target


def build_directory_product(key: str, build_dir: Path) -> Path:
    """A Terraform product of terraform-products/ as a tar.gz with its files at the root."""
    source = TERRAFORM_PRODUCTS / key
    if not any(source.glob("*.tf")):
        raise FileNotFoundError(f"Terraform product {key!r} has no .tf files in {source}")
    build_dir.mkdir(parents=True, exist_ok=True)
    target = build_dir / f"{key}.tar.gz"
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for path in source_files(source):
            _add(archive, path.relative_to(source).as_posix(), path.read_bytes())
    compressed = io.BytesIO()
    with gzip.GzipFile(fileobj=compressed, mode="wb", mtime=0, filename="") as stream:
        stream.write(raw.getvalue())
    target.write_bytes(compressed.getvalue())
    return target


def build_seed_code(build_dir: Path) -> Path:
    """The model-build seed code as a zip with the repository's files at its root."""
    build_dir.mkdir(parents=True, exist_ok=True)
    target = build_dir / "model-build-seed-code.zip"
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in source_files(SEED_CODE):
            info = zipfile.ZipInfo(
                path.relative_to(SEED_CODE).as_posix(), date_time=(1980, 1, 1, 0, 0, 0)
            )
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    return target


def build_catalog_packages(naming: Naming, build_dir: Path) -> dict[str, Package]:
    """The workspace product archive and the seed code, as the stacks take packages."""
    return {
        "team_ml_workspace_product": _package(build_workspace_product(naming, build_dir)),
        "model_build_seed_code": _package(build_seed_code(build_dir)),
    } | {
        f"{key.replace('-', '_')}_product": _package(build_directory_product(key, build_dir))
        for key in SMALL_ADMIN_PRODUCTS
    }


def project_template(key: str) -> Path:
    """The CloudFormation template of a SageMaker projects product."""
    path = PROJECT_TEMPLATES / PROJECT_TEMPLATE_PRODUCTS[key][2]
    if not path.is_file():
        raise FileNotFoundError(f"project template of product {key!r} not found: {path}")
    return path


def _package(path: Path) -> Package:
    digest = hashlib.sha256(path.read_bytes()).digest()
    return Package(path=path, sha256_base64=base64.b64encode(digest).decode("ascii"))
