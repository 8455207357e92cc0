"""Every .tf file under modules/ (module roots and examples) parses and is `terraform fmt`-clean."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.modules import hcl_checks

TERRAFORM = shutil.which("terraform")


def terraform_fmt_check(folder: Path) -> subprocess.CompletedProcess[str]:
    """`terraform fmt -check -recursive -diff` on a folder (offline: fmt needs no provider)."""
    assert TERRAFORM is not None
    env = {**os.environ, "TF_CLI_CONFIG_FILE": os.devnull, "TF_IN_AUTOMATION": "1"}
    return subprocess.run(
        [TERRAFORM, "fmt", "-check", "-recursive", "-diff", "-no-color"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_module_files_parse(module_dir: Path) -> None:
    files = hcl_checks.all_tf_files(module_dir)
    if not files:
        pytest.skip(f"{hcl_checks.rel(module_dir)}: no .tf files yet")
    problems = hcl_checks.check_parse(module_dir)
    assert problems == [], "\n".join(problems)


@pytest.mark.skipif(TERRAFORM is None, reason="terraform binary not on PATH: fmt check not run")
def test_module_terraform_fmt(module_dir: Path) -> None:
    if not hcl_checks.all_tf_files(module_dir):
        pytest.skip(f"{hcl_checks.rel(module_dir)}: no .tf files yet")
    result = terraform_fmt_check(module_dir)
    assert result.returncode == 0, (
        f"terraform fmt -check failed in {hcl_checks.rel(module_dir)} "
        f"(run `terraform fmt -recursive {hcl_checks.rel(module_dir)}`):\n"
        f"{result.stdout}{result.stderr}"
    )


def test_parse_error_is_reported(tmp_path: Path) -> None:
    module = tmp_path / "broken"
    module.mkdir()
    (module / "main.tf").write_text('resource "aws_s3_bucket" "this" {\n  bucket = \n')
    (module / "ok.tf").write_text('locals {\n  a = "b"\n}\n')
    problems = hcl_checks.check_parse(module)
    assert len(problems) == 1
    assert problems[0].startswith(f"{module / 'main.tf'}: does not parse: ")


def test_examples_are_parsed_too(tmp_path: Path) -> None:
    example = tmp_path / "m" / "examples" / "basic"
    example.mkdir(parents=True)
    (tmp_path / "m" / "main.tf").write_text("")
    (example / "main.tf").write_text('module "m" {\n  source = "../.."\n')
    problems = hcl_checks.check_parse(tmp_path / "m")
    assert [p.split(":")[0] for p in problems] == [str(example / "main.tf")]


@pytest.mark.skipif(TERRAFORM is None, reason="terraform binary not on PATH: fmt check not run")
def test_fmt_check_catches_unformatted_file(tmp_path: Path, fixture_modules: Path) -> None:
    module = tmp_path / "valid"
    shutil.copytree(fixture_modules / "valid", module)
    assert terraform_fmt_check(module).returncode == 0
    main = module / "main.tf"
    main.write_text(main.read_text().replace("  bucket = var.name", "  bucket=var.name", 1))
    result = terraform_fmt_check(module)
    assert result.returncode != 0
    assert "main.tf" in result.stdout
