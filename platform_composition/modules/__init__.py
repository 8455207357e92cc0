"""Generated: one typed Python interface per HCL module in `modules/` (see platform_composition/hcl_module.py and scripts/generate_module_interfaces.py)."""

from platform_composition.hcl_module import HclModule, ModuleArgumentError
from platform_composition.modules.central_model_registry import CentralModelRegistry
from platform_composition.modules.data_lake import DataLake
from platform_composition.modules.data_lake_consumer import DataLakeConsumer
from platform_composition.modules.hcp_terraform_run_roles import HcpTerraformRunRoles
from platform_composition.modules.hcp_terraform_workspaces import HcpTerraformWorkspaces
from platform_composition.modules.lambda_code_signing import LambdaCodeSigning
from platform_composition.modules.ml_workspace import MlWorkspace
from platform_composition.modules.model_approval_forwarder import ModelApprovalForwarder
from platform_composition.modules.model_deployment_pipeline import ModelDeploymentPipeline
from platform_composition.modules.model_deployment_target import ModelDeploymentTarget
from platform_composition.modules.model_promotion_hub import ModelPromotionHub
from platform_composition.modules.org_guardrails import OrgGuardrails
from platform_composition.modules.service_catalog_portfolios import ServiceCatalogPortfolios
from platform_composition.modules.unified_studio_domain import UnifiedStudioDomain

__all__ = [
    "CentralModelRegistry",
    "DataLake",
    "DataLakeConsumer",
    "HclModule",
    "HcpTerraformRunRoles",
    "HcpTerraformWorkspaces",
    "LambdaCodeSigning",
    "MlWorkspace",
    "ModelApprovalForwarder",
    "ModelDeploymentPipeline",
    "ModelDeploymentTarget",
    "ModelPromotionHub",
    "ModuleArgumentError",
    "OrgGuardrails",
    "ServiceCatalogPortfolios",
    "UnifiedStudioDomain",
]
