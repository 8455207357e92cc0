"""One typed Python interface per HCL module in `modules/`."""

from platform_composition.modules.base import HclModule, ModuleArgumentError
from platform_composition.modules.central_model_registry import CentralModelRegistry

__all__ = ["CentralModelRegistry", "HclModule", "ModuleArgumentError"]
