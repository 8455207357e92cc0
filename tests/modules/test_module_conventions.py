"""House-style conventions for every module in modules/, and proof the checks catch defects.

The fixture modules in tests/fixtures/modules/ are copies of `valid/` with one deliberate defect
each; every negative test asserts the exact list of problems, so a check that reports too much
(a false positive elsewhere in the fixture) fails as surely as one that reports nothing.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.modules import hcl_checks

FIXTURES = "tests/fixtures/modules"


def test_module_conventions(checked_module: Path) -> None:
    problems = hcl_checks.check_conventions(checked_module)
    assert problems == [], "\n".join(problems)


def test_valid_fixture_passes_every_check(
    fixture_modules: Path, schema: hcl_checks.ProviderSchema
) -> None:
    assert hcl_checks.check_module(fixture_modules / "valid", schema) == []


NEGATIVE_CASES: list[tuple[str, Callable[[Path], list[str]], list[str]]] = [
    (
        "untyped_variable",
        hcl_checks.check_variables,
        [f'{FIXTURES}/untyped_variable/variables.tf: variable "reader_account_ids": missing type'],
    ),
    (
        "undescribed_output",
        hcl_checks.check_outputs,
        [f'{FIXTURES}/undescribed_output/outputs.tf: output "bucket_name": missing description'],
    ),
    (
        "provider_in_module_root",
        hcl_checks.check_no_provider_or_backend,
        [
            f'{FIXTURES}/provider_in_module_root/providers.tf: provider "aws" block in a module '
            "root (configure providers in examples or the caller)",
            f"{FIXTURES}/provider_in_module_root/versions.tf: terraform backend block in a "
            "module root",
        ],
    ),
    (
        "reference_outside_module",
        hcl_checks.check_self_contained,
        [
            f'{FIXTURES}/reference_outside_module/main.tf: module "sibling": source "../valid" '
            "is outside the module folder",
            f"{FIXTURES}/reference_outside_module/main.tf: "
            "${path.module}/../valid/templates/notice.txt points outside the module folder",
        ],
    ),
    (
        "missing_readme_entry",
        hcl_checks.check_readme,
        [
            f'{FIXTURES}/missing_readme_entry/README.md: variable "tags" missing from the '
            "Inputs table",
            f'{FIXTURES}/missing_readme_entry/README.md: output "bucket_name" missing from the '
            "Outputs table",
        ],
    ),
]


@pytest.mark.parametrize(
    ("fixture", "check", "expected"), NEGATIVE_CASES, ids=[c[0] for c in NEGATIVE_CASES]
)
def test_convention_defect_is_caught(
    fixture: str,
    check: Callable[[Path], list[str]],
    expected: list[str],
    fixture_modules: Path,
    schema: hcl_checks.ProviderSchema,
) -> None:
    module = fixture_modules / fixture
    assert check(module) == expected
    # ...and nothing else in the fixture is reported by any check.
    assert hcl_checks.check_module(module, schema) == expected


def test_empty_module_folder_is_skipped_with_reason(tmp_path: Path) -> None:
    module = tmp_path / "being-written"
    module.mkdir()
    (module / "README.md").write_text("# later\n")
    assert hcl_checks.skip_reason(module) == f"{module}: no .tf files in the module root yet"
    (module / "main.tf").write_text("")
    assert hcl_checks.skip_reason(module) is None


def test_module_with_tf_files_but_no_versions_tf_fails(tmp_path: Path) -> None:
    module = tmp_path / "m"
    module.mkdir()
    (module / "main.tf").write_text('data "aws_partition" "current" {}\n')
    assert hcl_checks.check_versions(module) == [
        f"{module / 'versions.tf'}: missing (required_version and required_providers belong there)"
    ]


@pytest.mark.parametrize(
    ("versions_tf", "expected"),
    [
        (
            'terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n'
            '      version = ">= 5.100, < 7.0"\n    }\n  }\n}\n',
            ["terraform block has no required_version"],
        ),
        (
            'terraform {\n  required_version = ">= 1.10"\n  required_providers {\n'
            '    aws = {\n      source  = "hashicorp/aws"\n      version = "6.2.0"\n    }\n'
            "  }\n}\n",
            ["hashicorp/aws version '6.2.0' has no '>=' lower bound"],
        ),
        (
            'terraform {\n  required_version = "1.10.0"\n}\n',
            [
                "required_version '1.10.0' has no '>=' lower bound",
                "required_providers has no hashicorp/aws entry",
            ],
        ),
        ("locals {\n  a = 1\n}\n", ["no terraform block"]),
    ],
    ids=["no-required-version", "aws-pinned", "no-aws-entry", "no-terraform-block"],
)
def test_versions_tf_defects(tmp_path: Path, versions_tf: str, expected: list[str]) -> None:
    (tmp_path / "versions.tf").write_text(versions_tf)
    assert hcl_checks.check_versions(tmp_path) == [
        f"{tmp_path / 'versions.tf'}: {message}" for message in expected
    ]


def test_variable_typed_any_and_missing_description(tmp_path: Path) -> None:
    (tmp_path / "variables.tf").write_text(
        'variable "settings" {\n  type = map(any)\n}\n'
        'variable "ok" {\n  type        = string\n  description = "Fine."\n}\n'
        'variable "blank" {\n  type        = string\n  description = ""\n}\n'
    )
    where = tmp_path / "variables.tf"
    assert hcl_checks.check_variables(tmp_path) == [
        f'{where}: variable "blank": missing description',
        f'{where}: variable "settings": type uses `any`; declare the structure instead',
        f'{where}: variable "settings": missing description',
    ]


def test_cloud_block_in_module_root(tmp_path: Path) -> None:
    (tmp_path / "versions.tf").write_text(
        'terraform {\n  cloud {\n    organization = "acme"\n  }\n}\n'
    )
    assert hcl_checks.check_no_provider_or_backend(tmp_path) == [
        f"{tmp_path / 'versions.tf'}: terraform cloud block in a module root"
    ]


def test_self_contained_rules(tmp_path: Path) -> None:
    module = tmp_path / "m"
    example = module / "examples" / "basic"
    example.mkdir(parents=True)
    (module / "main.tf").write_text(
        "locals {\n"
        '  a = file("${path.module}/policies/a.json")\n'
        '  b = "${path.root}/x.json"\n'
        '  c = templatefile("../shared/t.tpl", {})\n'
        '  d = file("/etc/passwd")\n'
        "}\n"
        'module "inner" {\n  source = "./modules/inner"\n}\n'
        'module "registry" {\n  source  = "terraform-aws-modules/iam/aws"\n  version = "6.0.0"\n}\n'
    )
    (example / "main.tf").write_text(
        'module "m" {\n  source = "../.."\n}\n'
        'module "other" {\n  source = "../../../other"\n}\n'
        'locals {\n  p = "${path.root}/input.json"\n}\n'
    )
    assert hcl_checks.check_self_contained(module) == [
        f'{example / "main.tf"}: module "other": source "../../../other" is outside the module '
        "folder",
        f"{module / 'main.tf'}: ${{path.root}}/x.json refers to the caller's folder, not the "
        "module's",
        f'{module / "main.tf"}: templatefile("../shared/t.tpl") reads a file outside the module '
        "folder",
        f'{module / "main.tf"}: file("/etc/passwd") reads a file outside the module folder',
    ]


def test_examples_must_exist_and_call_the_module(tmp_path: Path, fixture_modules: Path) -> None:
    module = tmp_path / "valid"
    shutil.copytree(fixture_modules / "valid", module)
    assert hcl_checks.check_examples(module) == []
    other = module / "examples" / "unrelated"
    other.mkdir()
    (other / "main.tf").write_text('module "x" {\n  source = "../../../elsewhere"\n}\n')
    assert hcl_checks.check_examples(module) == [
        f"{other}: no module block whose source is the module folder (../..)"
    ]
    shutil.rmtree(module / "examples")
    assert hcl_checks.check_examples(module) == [
        f"{module / 'examples'}: no example folder with a .tf file"
    ]


def test_readme_without_tables(tmp_path: Path, fixture_modules: Path) -> None:
    module = tmp_path / "valid"
    shutil.copytree(fixture_modules / "valid", module)
    (module / "README.md").write_text("# valid\n\nUses `name`, `tags`, `bucket_arn`.\n")
    readme = module / "README.md"
    assert hcl_checks.check_readme(module) == [
        f"{readme}: no Inputs table (a '## Inputs' section with a markdown table)",
        f"{readme}: no Outputs table (a '## Outputs' section with a markdown table)",
    ]
    readme.unlink()
    assert hcl_checks.check_readme(module) == [f"{readme}: missing"]


def test_readme_terraform_docs_format_is_understood(tmp_path: Path, fixture_modules: Path) -> None:
    module = tmp_path / "valid"
    shutil.copytree(fixture_modules / "valid", module)
    (module / "README.md").write_text(
        "# valid\n\n## Inputs\n\n| Name | Description |\n|------|-------------|\n"
        '| <a name="input_name"></a> [name](#input\\_name) | x |\n'
        '| <a name="input_reader_account_ids"></a> [reader\\_account\\_ids]'
        "(#input\\_reader\\_account\\_ids) | x |\n"
        '| <a name="input_tags"></a> [tags](#input\\_tags) | x |\n\n'
        "## Outputs\n\n| Name | Description |\n|------|-------------|\n"
        '| <a name="output_bucket_arn"></a> [bucket\\_arn](#output\\_bucket\\_arn) | x |\n'
        "| bucket_name | mentions tags in a description |\n"
    )
    assert hcl_checks.check_readme(module) == []
