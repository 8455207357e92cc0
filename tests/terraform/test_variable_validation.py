"""Validation blocks evaluated by Terraform itself, on a copy of a module example.

The example's arguments are edited in one place and `terraform validate` must accept or refuse
them with the module's own error message, which names the bad value.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from platform_sandbox.terraform import TerraformFailed, TerraformSetup
from tests.terraform.conftest import MODULES_DIR

TARGET_EXAMPLE = MODULES_DIR / "model-deployment-target" / "examples" / "complete"
HUB_REPOSITORY = "arn:aws:ecr:eu-central-1:111111111111:repository/"


def _with_repository_arns(example: Path, arns: list[str]) -> None:
    main_tf = example / "main.tf"
    text = main_tf.read_text(encoding="utf-8")
    rendered = ", ".join(f'"{arn}"' for arn in arns)
    new_text, count = re.subn(
        r"hub_ecr_repository_arns = \[[^\]]*\]", f"hub_ecr_repository_arns = [{rendered}]", text
    )
    assert count == 1
    main_tf.write_text(new_text, encoding="utf-8")


@pytest.mark.parametrize("module_example", [TARGET_EXAMPLE], indirect=True, ids=["target"])
def test_a_repository_namespace_pattern_is_accepted(
    terraform: TerraformSetup, module_example: Path
) -> None:
    _with_repository_arns(module_example, [HUB_REPOSITORY + "mlgov-promoted/*"])
    workspace = terraform.workspace(module_example)
    workspace.init(backend=False)
    assert workspace.validate()["valid"]


@pytest.mark.parametrize("module_example", [TARGET_EXAMPLE], indirect=True, ids=["target"])
@pytest.mark.parametrize(
    "bad",
    [HUB_REPOSITORY + "*", HUB_REPOSITORY + "mlgov-promoted*", "arn:aws:s3:::not-a-repository"],
)
def test_a_malformed_repository_arn_is_refused_by_name(
    terraform: TerraformSetup, module_example: Path, bad: str
) -> None:
    _with_repository_arns(module_example, [HUB_REPOSITORY + "mlgov-promoted/team-a", bad])
    workspace = terraform.workspace(module_example)
    workspace.init(backend=False)
    with pytest.raises(TerraformFailed) as failure:
        workspace.validate()
    message = " ".join(str(failure.value).split())
    assert "Each hub_ecr_repository_arns entry must be an ECR repository ARN" in message
    assert f"not: {bad}." in message
