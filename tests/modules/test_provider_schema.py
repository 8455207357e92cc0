"""Every aws_*/tfe_* resource/data block in modules/ (roots, examples) matches its provider schema.

Also checks the derived schemas themselves (metadata agrees with the file, known names and
renames are right), the versions.tf rules for the providers a module uses, and the derivation
script on small synthetic wheels (aws on cdktn, tfe on cdktf), so the mapping from jsii back to
Terraform names is tested without downloading the 70 MB aws wheel.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.modules import hcl_checks

SCRIPT = hcl_checks.REPO_ROOT / "scripts" / "derive_provider_schema.py"
FIXTURES = "tests/fixtures/modules"


# --------------------------------------------------------------------------------------------
# Real modules
# --------------------------------------------------------------------------------------------


def test_module_matches_provider_schema(
    checked_module: Path, schema: hcl_checks.ProviderSchema
) -> None:
    problems = hcl_checks.check_schema(checked_module, schema)
    assert problems == [], "\n".join(problems)


# --------------------------------------------------------------------------------------------
# Fixture modules
# --------------------------------------------------------------------------------------------

SCHEMA_DEFECTS = [
    (
        "misspelled_argument",
        [
            f"{FIXTURES}/misspelled_argument/main.tf: aws_s3_bucket.this: "
            'unknown argument "bukcet" (did you mean "bucket"?)',
            f"{FIXTURES}/misspelled_argument/main.tf: "
            "aws_s3_bucket_server_side_encryption_configuration.this: "
            'rule.apply_server_side_encryption_by_default: unknown argument "sse_algoritm" '
            '(did you mean "sse_algorithm"?)',
            f"{FIXTURES}/misspelled_argument/main.tf: "
            "aws_s3_bucket_server_side_encryption_configuration.this: "
            "rule.apply_server_side_encryption_by_default: "
            'missing required argument "sse_algorithm"',
        ],
    ),
    (
        "missing_required_argument",
        [
            f"{FIXTURES}/missing_required_argument/main.tf: "
            "aws_s3_bucket_server_side_encryption_configuration.this: "
            'missing required block "rule"',
            f"{FIXTURES}/missing_required_argument/main.tf: aws_s3_bucket_policy.this: "
            'missing required argument "policy"',
        ],
    ),
    (
        "unknown_resource_type",
        [
            f"{FIXTURES}/unknown_resource_type/main.tf: aws_s3_objects.notice: "
            'unknown resource type "aws_s3_objects" (did you mean "aws_s3_object"?)',
        ],
    ),
    # hashicorp/tfe blocks are checked against the tfe schema, with the aws schema passed in.
    (
        "misspelled_tfe_argument",
        [
            f"{FIXTURES}/misspelled_tfe_argument/main.tf: tfe_workspace.this: "
            'unknown argument "workng_directory" (did you mean "working_directory"?)',
        ],
    ),
    (
        "missing_required_tfe_argument",
        [
            f"{FIXTURES}/missing_required_tfe_argument/main.tf: tfe_workspace.this: vcs_repo: "
            'missing required argument "identifier"',
            f"{FIXTURES}/missing_required_tfe_argument/main.tf: tfe_variable.region: "
            'missing required argument "key"',
        ],
    ),
]


@pytest.mark.parametrize(
    ("fixture", "expected"), SCHEMA_DEFECTS, ids=[c[0] for c in SCHEMA_DEFECTS]
)
def test_schema_defect_is_caught(
    fixture: str, expected: list[str], fixture_modules: Path, schema: hcl_checks.ProviderSchema
) -> None:
    module = fixture_modules / fixture
    assert hcl_checks.check_schema(module, schema) == expected
    assert hcl_checks.check_module(module, schema) == expected


# --------------------------------------------------------------------------------------------
# Block-level behaviour on small inline snippets
# --------------------------------------------------------------------------------------------


def _check(tmp_path: Path, schema: hcl_checks.ProviderSchema, hcl: str) -> list[str]:
    path = tmp_path / "main.tf"
    path.write_text(hcl)
    prefix = f"{path}: "
    return [p.removeprefix(prefix) for p in hcl_checks.check_schema_file(path, schema)]


def test_meta_arguments_and_other_providers_are_not_flagged(
    tmp_path: Path, schema: hcl_checks.ProviderSchema
) -> None:
    hcl = """
resource "aws_sqs_queue" "this" {
  for_each   = toset(["a"])
  provider   = aws.hub
  depends_on = [terraform_data.x]
  name       = each.key

  lifecycle {
    ignore_changes = [tags]
  }
}

resource "terraform_data" "x" {
  input = "anything"
}

data "archive_file" "zip" {
  type        = "zip"
  source_dir  = "${path.module}/src"
  output_path = "${path.module}/build/x.zip"
}
"""
    assert _check(tmp_path, schema, hcl) == []


def test_dynamic_blocks_are_checked_by_label_and_content(
    tmp_path: Path, schema: hcl_checks.ProviderSchema
) -> None:
    hcl = """
data "aws_iam_policy_document" "this" {
  dynamic "statement" {
    for_each = var.statements
    content {
      actions   = statement.value.actions
      resourcez = ["*"]
      dynamic "condition" {
        for_each = statement.value.conditions
        content {
          test     = condition.value.test
          variable = condition.value.variable
        }
      }
    }
  }
  dynamic "statment" {
    for_each = []
    content {}
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = "b"
  dynamic "rule" {
    for_each = [1]
    content {
      apply_server_side_encryption_by_default {
        sse_algorithm = "aws:kms"
      }
    }
  }
}
"""
    assert _check(tmp_path, schema, hcl) == [
        'data.aws_iam_policy_document.this: statement: unknown argument "resourcez" '
        '(did you mean "resources"?)',
        "data.aws_iam_policy_document.this: statement.condition: "
        'missing required argument "values"',
        'data.aws_iam_policy_document.this: unknown dynamic block "statment" '
        '(did you mean "statement"?)',
    ]


def test_block_versus_argument_syntax(tmp_path: Path, schema: hcl_checks.ProviderSchema) -> None:
    hcl = """
resource "aws_s3_bucket" "this" {
  versioning = {
    enabled = true
  }
  tags {
    Name = "x"
  }
}

resource "aws_s3tables_table_bucket" "this" {
  name = "t"
  encryption_configuration {
    sse_algorithm = "AES256"
  }
}
"""
    assert _check(tmp_path, schema, hcl) == [
        'aws_s3_bucket.this: "versioning" is a block, not an argument (write versioning { ... })',
        'aws_s3_bucket.this: "tags" is an argument, not a block (use tags = ...)',
        'aws_s3tables_table_bucket.this: "encryption_configuration" is an object argument: '
        "assign it (encryption_configuration = {...})",
    ]


def test_unknown_data_source_and_provider_argument(
    tmp_path: Path, schema: hcl_checks.ProviderSchema
) -> None:
    hcl = """
provider "aws" {
  alias  = "hub"
  region = "eu-west-1"
  regoin = "eu-west-1"
  default_tags {
    tags = {}
  }
}

data "aws_caller_identiy" "current" {}
"""
    assert _check(tmp_path, schema, hcl) == [
        'data.aws_caller_identiy.current: unknown data source type "aws_caller_identiy" '
        '(did you mean "aws_caller_identity"?)',
        'provider "aws": unknown argument "regoin" (did you mean "region"?)',
    ]


def test_valid_tfe_blocks_pass(tmp_path: Path, schema: hcl_checks.ProviderSchema) -> None:
    hcl = """
provider "tfe" {
  alias        = "hcp"
  hostname     = "app.terraform.io"
  organization = "example-org"
}

data "tfe_organization" "this" {
  name = "example-org"
}

data "tfe_project" "platform" {
  name         = "platform"
  organization = data.tfe_organization.this.name
}

resource "tfe_project" "ml" {
  name         = "ml"
  organization = data.tfe_organization.this.name
  description  = "ML workloads."
}

resource "tfe_workspace" "this" {
  for_each = toset(["dev", "prod"])
  provider = tfe.hcp

  name              = "ml-${each.key}"
  organization      = data.tfe_organization.this.name
  project_id        = tfe_project.ml.id
  working_directory = "stacks/${each.key}"
  trigger_patterns  = ["stacks/${each.key}/**/*"]
  terraform_version = "~> 1.10"
  tag_names         = ["ml", each.key]

  vcs_repo {
    identifier                 = "example-org/ml-platform"
    branch                     = "main"
    github_app_installation_id = "ghain-x"
  }

  lifecycle {
    prevent_destroy = true
  }
}

resource "tfe_workspace_settings" "this" {
  for_each = tfe_workspace.this

  workspace_id   = each.value.id
  execution_mode = "remote"
  auto_apply     = each.key == "dev"
}

resource "tfe_variable_set" "aws" {
  name              = "aws-dynamic-credentials"
  organization      = data.tfe_organization.this.name
  parent_project_id = tfe_project.ml.id
}

resource "tfe_variable" "auth" {
  key             = "TFC_AWS_PROVIDER_AUTH"
  value           = "true"
  category        = "env"
  variable_set_id = tfe_variable_set.aws.id
}

resource "tfe_project_variable_set" "aws" {
  project_id      = tfe_project.ml.id
  variable_set_id = tfe_variable_set.aws.id
}

resource "tfe_workspace_variable_set" "aws" {
  workspace_id    = tfe_workspace.this["dev"].id
  variable_set_id = tfe_variable_set.aws.id
}

resource "tfe_run_trigger" "prod_after_dev" {
  workspace_id  = tfe_workspace.this["prod"].id
  sourceable_id = tfe_workspace.this["dev"].id
}
"""
    assert _check(tmp_path, schema, hcl) == []


def test_tfe_defects_in_blocks_and_provider(
    tmp_path: Path, schema: hcl_checks.ProviderSchema
) -> None:
    hcl = """
provider "tfe" {
  hostnme = "app.terraform.io"
}

resource "tfe_workspce" "this" {
  name = "x"
}

resource "tfe_workspace" "that" {
  name     = "y"
  vcs_repo = {
    identifier = "org/repo"
  }
}

resource "tfe_run_trigger" "this" {
  workspace_id = "ws-1"
}

data "tfe_organisation" "this" {}
"""
    assert _check(tmp_path, schema, hcl) == [
        'tfe_workspce.this: unknown resource type "tfe_workspce" (did you mean "tfe_workspace"?)',
        'tfe_workspace.that: "vcs_repo" is a block, not an argument (write vcs_repo { ... })',
        'tfe_run_trigger.this: missing required argument "sourceable_id"',
        'data.tfe_organisation.this: unknown data source type "tfe_organisation" '
        '(did you mean "tfe_organization"?)',
        'provider "tfe": unknown argument "hostnme" (did you mean "hostname"?)',
    ]


def test_tfe_schema_is_loaded_only_for_tfe_blocks(tmp_path: Path) -> None:
    aws = hcl_checks.ProviderSchema(
        {"provider_source": "hashicorp/aws", "resources": {}, "provider": {}}
    )
    assert hcl_checks.schema_for("aws", aws) is aws
    assert hcl_checks.schema_for("random", aws) is None
    tfe = hcl_checks.schema_for("tfe", aws)
    assert tfe is not None and tfe.name == "tfe"
    assert tfe is hcl_checks.schema_for("tfe", aws)  # loaded once


def test_recursive_blocks_resolve(tmp_path: Path, schema: hcl_checks.ProviderSchema) -> None:
    # wafv2_web_acl_rule is a framework resource whose statement nests statements again.
    resource = schema.resources["aws_wafv2_web_acl_rule"]
    statement = resource["blocks"]["statement"]
    and_statement = schema.resolve(statement)["blocks"]["and_statement"]
    inner = schema.resolve(and_statement)["blocks"]["statement"]
    assert "ref" in inner
    assert "and_statement" in schema.resolve(inner)["blocks"]


# --------------------------------------------------------------------------------------------
# The derived schema file
# --------------------------------------------------------------------------------------------


def test_schema_metadata_matches_file(schema: hcl_checks.ProviderSchema) -> None:
    meta = json.loads(hcl_checks.SCHEMA_META_PATH.read_text())
    blob = hcl_checks.SCHEMA_PATH.read_bytes()
    assert meta["schema_sha256"] == hashlib.sha256(blob).hexdigest()
    assert meta["schema_bytes"] == len(blob)
    assert meta["provider_version"] == schema.provider_version
    assert meta["cdktn_provider_aws_version"] == schema.data["cdktn_provider_aws_version"]
    assert meta["counts"]["resources"] == len(schema.resources)
    assert meta["counts"]["data_sources"] == len(schema.data_sources)
    assert meta["counts"]["names_without_docs_anchor"] == 0
    # Sanity of the derivation: the full provider, not a truncated or empty file.
    assert len(schema.resources) > 1500
    assert len(schema.data_sources) > 600
    assert len(blob) < 1_000_000


def test_tfe_schema_metadata_matches_file(tfe_schema: hcl_checks.ProviderSchema) -> None:
    meta = json.loads(hcl_checks.TFE_SCHEMA_META_PATH.read_text())
    blob = hcl_checks.TFE_SCHEMA_PATH.read_bytes()
    assert meta["schema_sha256"] == hashlib.sha256(blob).hexdigest()
    assert meta["schema_bytes"] == len(blob)
    assert meta["schema_file"] == "tests/modules/data/tfe_provider_schema.json.gz"
    assert meta["provider_source"] == tfe_schema.data["provider_source"] == "hashicorp/tfe"
    assert meta["provider_version"] == tfe_schema.provider_version == "0.71.0"
    assert meta["bindings_package"] == tfe_schema.data["bindings_package"]
    assert meta["bindings_version"] == tfe_schema.data["bindings_version"] == "12.5.1"
    assert meta["counts"]["resources"] == len(tfe_schema.resources)
    assert meta["counts"]["data_sources"] == len(tfe_schema.data_sources)
    assert meta["counts"]["names_without_docs_anchor"] == 0
    assert len(tfe_schema.resources) >= 60
    assert len(tfe_schema.data_sources) >= 30


def test_tfe_schema_knows_the_hcp_terraform_resources(
    tfe_schema: hcl_checks.ProviderSchema,
) -> None:
    resources, data_sources = tfe_schema.resources, tfe_schema.data_sources
    for name in (
        "tfe_workspace",
        "tfe_project",
        "tfe_variable",
        "tfe_variable_set",
        "tfe_workspace_variable_set",
        "tfe_project_variable_set",
        "tfe_run_trigger",
        "tfe_workspace_settings",
    ):
        assert name in resources, name
    assert {"tfe_organization", "tfe_project"} <= set(data_sources)
    assert {"hostname", "organization", "token"} <= set(tfe_schema.provider["attributes"])
    workspace = resources["tfe_workspace"]
    assert workspace["attributes"]["name"] is True
    for optional in ("working_directory", "trigger_patterns", "project_id", "auto_apply"):
        assert workspace["attributes"][optional] is False, optional
    vcs_repo = workspace["blocks"]["vcs_repo"]
    assert (vcs_repo["syntax"], vcs_repo["max_one"], vcs_repo["required"]) == ("block", True, False)
    assert vcs_repo["attributes"]["identifier"] is True
    variable = resources["tfe_variable"]["attributes"]
    assert variable["key"] is True and variable["category"] is True
    assert variable["value"] is False
    assert resources["tfe_workspace_settings"]["attributes"]["workspace_id"] is True


def test_schema_knows_names_and_required_flags(schema: hcl_checks.ProviderSchema) -> None:
    bucket = schema.resources["aws_s3_bucket"]
    assert bucket["attributes"]["bucket"] is False
    assert bucket["blocks"]["versioning"]["syntax"] == "block"
    assert "tags" in bucket["attributes"]
    policy = schema.resources["aws_s3_bucket_policy"]["attributes"]
    assert policy["bucket"] is True and policy["policy"] is True
    assert "statement" in schema.data_sources["aws_iam_policy_document"]["blocks"]
    # Names cdktf renames in the bindings come back as Terraform spells them.
    assert "self" in schema.resources["aws_security_group_rule"]["attributes"]
    assert "get_password_data" in schema.resources["aws_instance"]["attributes"]
    # Meta-arguments never appear as arguments, but nested arguments with those names survive.
    for meta_name in ("count", "for_each", "depends_on", "provider", "lifecycle"):
        for table in (schema.resources, schema.data_sources):
            assert not any(
                meta_name in node["attributes"] or meta_name in node["blocks"]
                for node in table.values()
            ), meta_name
    action = schema.resources["aws_codepipeline"]["blocks"]["stage"]["blocks"]["action"]
    assert action["attributes"]["provider"] is True


# --------------------------------------------------------------------------------------------
# versions.tf: every provider the module uses is declared, aws and tfe with their ranges
# --------------------------------------------------------------------------------------------

_TFE_ENTRY = '    tfe = {\n      source  = "hashicorp/tfe"\n      version = "%s"\n    }\n'
_AWS_ENTRY = '    aws = {\n      source  = "hashicorp/aws"\n      version = "%s"\n    }\n'


def _versions_tf(*entries: str) -> str:
    return (
        'terraform {\n  required_version = ">= 1.10"\n  required_providers {\n'
        + "".join(entries)
        + "  }\n}\n"
    )


@pytest.mark.parametrize(
    ("main_tf", "versions_tf", "expected"),
    [
        (
            'resource "tfe_project" "this" {\n  name = "p"\n}\n',
            _versions_tf(_TFE_ENTRY % hcl_checks.TFE_PROVIDER_VERSION),
            [],
        ),
        (
            'resource "tfe_project" "this" {\n  name = "p"\n}\n'
            'resource "aws_sqs_queue" "q" {}\nresource "terraform_data" "x" {}\n',
            _versions_tf(_AWS_ENTRY % ">= 5.100, < 7.0", _TFE_ENTRY % ">= 0.60, < 1.0"),
            [],
        ),
        (
            'resource "tfe_project" "this" {\n  name = "p"\n}\n',
            _versions_tf(_AWS_ENTRY % ">= 5.100, < 7.0"),
            ["required_providers has no hashicorp/tfe entry"],
        ),
        (
            'resource "tfe_project" "this" {\n  name = "p"\n}\n',
            _versions_tf(_TFE_ENTRY % ">= 0.50"),
            ["hashicorp/tfe version '>= 0.50' is not the range '>= 0.60, < 1.0'"],
        ),
        (
            'data "aws_partition" "current" {}\n',
            _versions_tf(_AWS_ENTRY % ">= 6.0, < 7.0", _TFE_ENTRY % "0.71.0"),
            [
                "hashicorp/aws version '>= 6.0, < 7.0' is not the range '>= 5.100, < 7.0'",
                "hashicorp/tfe version '0.71.0' has no '>=' lower bound",
            ],
        ),
        (
            'resource "tfe_project" "this" {\n  name = "p"\n}\n'
            'resource "random_pet" "x" {}\n'
            'resource "aws_sqs_queue" "q" {\n  provider = awsalt.hub\n}\n',
            _versions_tf(_TFE_ENTRY % ">= 0.60, < 1.0"),
            [
                'required_providers has no "awsalt" entry (used by aws_sqs_queue.q)',
                'required_providers has no "random" entry (used by random_pet.x)',
            ],
        ),
    ],
    ids=[
        "tfe-only",
        "aws-and-tfe",
        "tfe-undeclared",
        "tfe-other-range",
        "declared-but-unused-still-ranged",
        "other-providers-undeclared",
    ],
)
def test_versions_tf_declares_the_providers_used(
    tmp_path: Path, main_tf: str, versions_tf: str, expected: list[str]
) -> None:
    (tmp_path / "main.tf").write_text(main_tf)
    (tmp_path / "versions.tf").write_text(versions_tf)
    assert hcl_checks.check_versions(tmp_path) == [
        f"{tmp_path / 'versions.tf'}: {message}" for message in expected
    ]


def test_aws_range_exception_applies_to_its_module_only() -> None:
    studio = hcl_checks.REPO_ROOT / "modules" / "unified-studio-domain"
    assert hcl_checks._aws_provider_range(studio) == ">= 6.0, < 7.0"
    assert hcl_checks.check_versions(studio) == []
    other = hcl_checks.REPO_ROOT / "modules" / "data-lake"
    assert hcl_checks._aws_provider_range(other) == ">= 5.100, < 7.0"


# --------------------------------------------------------------------------------------------
# The derivation script, on a synthetic wheel
# --------------------------------------------------------------------------------------------

_REG = "https://registry.terraform.io/providers/hashicorp/aws/6.1.0/docs"


def _prop(name: str, anchor: str, *, optional: bool = True, **kwargs: Any) -> dict[str, Any]:
    page = kwargs.pop("page", "resources/thing")
    summary = kwargs.pop("summary", None)
    link = f"{{@link {_REG}/{page}#{anchor} Thing#{anchor}}}"
    docs = {"summary": summary, "remarks": f"Docs at Terraform Registry: {link}"}
    if summary is None:
        docs = {"summary": f"Docs at Terraform Registry: {link}."}
    prop = {"name": name, "docs": docs, "type": kwargs.pop("type", {"primitive": "string"})}
    if optional:
        prop["optional"] = True
    return prop


def _cls(fqn: str, base: str, link: str, config: str) -> dict[str, Any]:
    return {
        "kind": "class",
        "fqn": fqn,
        "base": base,
        "docs": {"summary": f"Represents a {{@link {link}}}."},
        "initializer": {
            "parameters": [
                {"name": "scope", "type": {"fqn": "constructs.Construct"}},
                {"name": "id", "type": {"primitive": "string"}},
                {"name": "config", "type": {"fqn": config}},
            ]
        },
    }


def _struct(fqn: str, props: list[dict[str, Any]]) -> dict[str, Any]:
    return {"kind": "interface", "datatype": True, "fqn": fqn, "properties": props}


def _synthetic_assembly() -> dict[str, Any]:
    p = "@cdktn/provider-aws"
    rule_list = {
        "union": {
            "types": [
                {"fqn": "cdktn.IResolvable"},
                {"collection": {"kind": "array", "elementtype": {"fqn": f"{p}.thing.ThingRule"}}},
            ]
        }
    }
    types = {
        f"{p}.provider.AwsProvider": _cls(
            f"{p}.provider.AwsProvider",
            "cdktn.TerraformProvider",
            f"{_REG} aws",
            f"{p}.provider.AwsProviderConfig",
        ),
        f"{p}.provider.AwsProviderConfig": _struct(
            f"{p}.provider.AwsProviderConfig", [_prop("region", "region", page="")]
        ),
        f"{p}.thing.Thing": _cls(
            f"{p}.thing.Thing",
            "cdktn.TerraformResource",
            f"{_REG}/resources/thing aws_thing",
            f"{p}.thing.ThingConfig",
        ),
        f"{p}.thing.ThingConfig": {
            **_struct(
                f"{p}.thing.ThingConfig",
                [
                    _prop("name", "name", optional=False),
                    _prop("selfAttribute", "self"),
                    _prop("addressLine1", "address_line_1"),
                    _prop("rule", "rule", optional=False, summary="rule block.", type=rule_list),
                    _prop(
                        "settings",
                        "settings",
                        summary="Settings object.",
                        type={"fqn": f"{p}.thing.ThingSettings"},
                    ),
                ],
            ),
            "interfaces": ["cdktn.TerraformMetaArguments"],
        },
        f"{p}.thing.ThingRule": _struct(
            f"{p}.thing.ThingRule",
            [
                _prop("count", "count", optional=False, type={"primitive": "number"}),
                _prop("rule", "rule", summary="rule block.", type=rule_list),
                _prop(
                    "statement", "statement", summary="statement block.", type={"primitive": "any"}
                ),
            ],
        ),
        f"{p}.thing.ThingSettings": _struct(f"{p}.thing.ThingSettings", [_prop("mode", "mode")]),
        f"{p}.dataAwsThing.DataAwsThing": _cls(
            f"{p}.dataAwsThing.DataAwsThing",
            "cdktn.TerraformDataSource",
            f"{_REG}/data-sources/thing aws_thing",
            f"{p}.dataAwsThing.DataAwsThingConfig",
        ),
        f"{p}.dataAwsThing.DataAwsThingConfig": _struct(
            f"{p}.dataAwsThing.DataAwsThingConfig",
            [_prop("name", "name", page="data-sources/thing")],
        ),
    }
    return {
        "schema": "jsii/0.10.0",
        "name": p,
        "version": "99.0.0",
        "fingerprint": "synthetic",
        "jsiiVersion": "5.9.55",
        "readme": {
            "markdown": "# CDKTN prebuilt bindings for hashicorp/aws provider version 6.1.0"
        },
        "types": types,
    }


def _tar_add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def _as_tfe(assembly: dict[str, Any]) -> dict[str, Any]:
    """The synthetic aws assembly as cdktf bindings of hashicorp/tfe would spell it."""
    text = json.dumps(assembly).replace("cdktn", "cdktf").replace("CDKTN", "CDKTF")
    return json.loads(text.replace("aws", "tfe"))  # type: ignore[no-any-return]


def _write_wheel(
    path: Path, assembly: dict[str, Any], js_types: list[str], *, static_field: bool = True
) -> Path:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        _tar_add(tar, "package/.jsii", json.dumps(assembly).encode())
        for i, tf_type in enumerate(js_types):
            if static_field:  # cdktn: ES2022 class field
                js = f'class X{i} {{\n    static tfResourceType = "{tf_type}";\n}}\n'
            else:  # cdktf: assigned after the class
                js = (
                    f'class X{i} {{\n}}\nexports.X{i} = X{i};\nX{i}.tfResourceType = "{tf_type}";\n'
                )
            _tar_add(tar, f"package/lib/t{i}/index.js", js.encode())
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("cdktn_provider_aws/_jsii/provider-aws@99.0.0.jsii.tgz", buf.getvalue())
    return path


def _run_script(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_derivation_maps_jsii_back_to_terraform(tmp_path: Path) -> None:
    wheel = _write_wheel(tmp_path / "w.whl", _synthetic_assembly(), ["aws_thing", "aws_thing"])
    out, meta_out = tmp_path / "s.json.gz", tmp_path / "s.meta.json"
    result = _run_script("--wheel", wheel, "--output", out, "--meta-output", meta_out)
    assert result.returncode == 0, result.stderr
    schema = json.loads(gzip.decompress(out.read_bytes()))
    assert schema["provider_version"] == "6.1.0"
    assert schema["cdktn_provider_aws_version"] == "99.0.0"
    assert schema["provider"]["attributes"] == {"region": False}
    thing = schema["resources"]["aws_thing"]
    assert thing["attributes"] == {"address_line_1": False, "name": True, "self": False}
    rule = thing["blocks"]["rule"]
    assert (rule["required"], rule["syntax"], rule["max_one"]) == (True, "block", False)
    assert rule["attributes"] == {"count": True}
    assert rule["blocks"]["rule"] == {
        "max_one": False,
        "ref": "thing.ThingRule",
        "required": False,
        "syntax": "block",
    }
    assert rule["blocks"]["statement"]["opaque"] is True
    assert thing["blocks"]["settings"]["syntax"] == "attribute"
    assert "thing.ThingRule" in schema["definitions"]
    assert schema["data_sources"] == {"aws_thing": {"attributes": {"name": False}, "blocks": {}}}
    meta = json.loads(meta_out.read_text())
    assert meta["counts"]["resources"] == 1
    assert meta["schema_sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    # Byte-reproducible: a second run writes the identical file.
    first = out.read_bytes()
    assert _run_script("--wheel", wheel, "--output", out, "--meta-output", meta_out).returncode == 0
    assert out.read_bytes() == first


def test_derivation_of_tfe_bindings_on_cdktf(tmp_path: Path) -> None:
    wheel = _write_wheel(
        tmp_path / "w.whl",
        _as_tfe(_synthetic_assembly()),
        ["tfe", "tfe_thing", "tfe_thing"],
        static_field=False,
    )
    out, meta_out = tmp_path / "s.json.gz", tmp_path / "s.meta.json"
    args = ("--wheel", wheel, "--output", out, "--meta-output", meta_out)
    result = _run_script("--provider", "tfe", *args)
    assert result.returncode == 0, result.stderr
    assert "hashicorp/tfe 6.1.0 (cdktf-cdktf-provider-tfe 99.0.0)" in result.stdout
    schema = json.loads(gzip.decompress(out.read_bytes()))
    assert schema["provider_source"] == "hashicorp/tfe"
    assert (schema["bindings_package"], schema["bindings_version"]) == (
        "cdktf-cdktf-provider-tfe",
        "99.0.0",
    )
    assert "cdktn_provider_aws_version" not in schema
    assert schema["resources"]["tfe_thing"]["attributes"]["name"] is True
    assert schema["data_sources"] == {"tfe_thing": {"attributes": {"name": False}, "blocks": {}}}
    meta = json.loads(meta_out.read_text())
    assert (meta["provider_source"], meta["bindings_version"]) == ("hashicorp/tfe", "99.0.0")
    # The same wheel is no aws assembly (cdktf bases, tfe registry links).
    assert _run_script(*args).returncode == 1


def test_derivation_rejects_type_names_the_js_disagrees_with(tmp_path: Path) -> None:
    wheel = _write_wheel(tmp_path / "w.whl", _synthetic_assembly(), ["aws_other"])
    result = _run_script(
        "--wheel", wheel, "--output", tmp_path / "s.gz", "--meta-output", tmp_path / "m"
    )
    assert result.returncode == 1
    assert "type names disagree with JS" in result.stderr


def test_derivation_exit_codes(tmp_path: Path) -> None:
    assert _run_script("--help").returncode == 0
    assert _run_script("--wheel", tmp_path / "missing.whl").returncode == 2
    assert _run_script("--no-such-flag").returncode == 2
    assert _run_script("--provider", "google").returncode == 2
    not_a_wheel = tmp_path / "bad.whl"
    not_a_wheel.write_text("not a zip")
    result = _run_script("--wheel", not_a_wheel, "--output", tmp_path / "s.gz")
    assert result.returncode == 1
    assert "cannot read the wheel" in result.stderr
