"""Modules consumed the way the README tells users to: a Git source with a subdirectory and a tag.

The capability modules call the shared building blocks with relative sources
(`../shared/<block>`). That works for a consumer only because Terraform downloads the whole
repository as one module package for `git::<repo>//modules/<name>?ref=<tag>` and resolves
relative sources inside it. This test proves it with real Terraform: the working tree's
`modules/` is committed and tagged in a scratch Git repository, module examples are rewritten to
call `git::file://<scratch>//modules/<name>?ref=<tag>` instead of `../..`, and `terraform init`
(which downloads from Git) and `terraform validate` must succeed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from platform_sandbox.terraform import TerraformSetup
from tests.terraform_support import MODULES_DIR

TAG = "v0.0.0-git-source-test"
# A module per shared block it calls, and one block example that calls another block.
EXAMPLES = [
    MODULES_DIR / "central-model-registry" / "examples" / "complete",  # s3-bucket, kms-key
    MODULES_DIR / "model-promotion-hub" / "examples" / "complete",  # kms-key, dead-letter-queue
    MODULES_DIR / "shared" / "s3-bucket" / "examples" / "complete",  # kms-key
]
SOURCE = re.compile(r'(source\s*=\s*)"(\.\.?/[^"]*)"')


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    git = shutil.which("git")
    if git is None:
        pytest.fail("git is needed to install modules from a Git source and is not on PATH")
    root = tmp_path_factory.mktemp("git-source") / "ml-governance"
    shutil.copytree(
        MODULES_DIR, root / "modules", ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*")
    )
    identity = ["-c", "user.name=test", "-c", "user.email=test@example.com"]
    for args in (
        ["init", "-q", "-b", "main"],
        ["add", "-A"],
        [*identity, "commit", "-q", "-m", "modules"],
        ["tag", TAG],
    ):
        subprocess.run([git, *args], cwd=root, check=True, capture_output=True)
    return root


def _as_git_caller(example: Path, repository: Path, target: Path) -> None:
    """Copy the example (with its other files) to `target`, every local module source made a
    Git source."""
    shutil.copytree(example, target, ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*"))
    for tf_file in sorted(example.glob("*.tf")):
        text = tf_file.read_text(encoding="utf-8")

        def to_git(match: re.Match[str]) -> str:
            module = (example / match.group(2)).resolve().relative_to(MODULES_DIR.parent)
            return f'{match.group(1)}"git::file://{repository}//{module.as_posix()}?ref={TAG}"'

        (target / tf_file.name).write_text(SOURCE.sub(to_git, text), encoding="utf-8")


@pytest.mark.parametrize(
    "example", EXAMPLES, ids=[str(e.parents[1].relative_to(MODULES_DIR)) for e in EXAMPLES]
)
def test_a_module_installed_from_a_git_tag_finds_its_shared_blocks(
    terraform: TerraformSetup, repository: Path, tmp_path: Path, example: Path
) -> None:
    caller = tmp_path / "caller"
    _as_git_caller(example, repository, caller)
    assert "git::file://" in "".join(p.read_text(encoding="utf-8") for p in caller.glob("*.tf"))
    workspace = terraform.workspace(caller)
    workspace.init(backend=False)
    # The installed package is the whole repository: the shared blocks came with the module.
    installed = list((caller / ".terraform" / "modules").rglob("shared/kms-key/main.tf"))
    assert installed, "the Git package did not bring modules/shared along"
    result = workspace.validate()
    assert result["valid"], result
