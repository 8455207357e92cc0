"""What matters in modules/unified-studio-domain, asserted on its parsed HCL.

The module needs hashicorp/aws 6.x, which this machine does not have, so `terraform validate`
cannot read it here (tests/terraform/test_validate.py skips it by name). These checks hold the
properties a reviewer would look for: a V2 domain, DataZone trusted only for this account, key
rotation on, and the 6.x floor the V2 arguments need.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.modules import hcl_checks

MODULE = hcl_checks.REPO_ROOT / "modules" / "unified-studio-domain"


def _blocks(block_type: str, type_name: str) -> dict[str, dict[str, Any]]:
    """name -> body of every `<block_type> "<type_name>" "<name>"` in the module root."""
    found = {}
    for path in hcl_checks.root_tf_files(MODULE):
        for labels, body in hcl_checks.iter_blocks(hcl_checks.parse_tf(path), block_type):
            if len(labels) == 2 and labels[0] == type_name:
                found[labels[1]] = body
    return found


def _trust_documents() -> dict[str, dict[str, Any]]:
    """Role name -> the aws_iam_policy_document its assume_role_policy renders."""
    documents = _blocks("data", "aws_iam_policy_document")
    trusts = {}
    for role, body in _blocks("resource", "aws_iam_role").items():
        reference = re.fullmatch(
            r"\$\{data\.aws_iam_policy_document\.(\w+)\.json\}", str(body["assume_role_policy"])
        )
        assert reference, f"aws_iam_role.{role}: trust policy is not an aws_iam_policy_document"
        trusts[role] = documents[reference.group(1)]
    return trusts


def _conditions(statement: dict[str, Any]) -> dict[str, tuple[str, list[str]]]:
    """Condition variable -> (test, values) of one policy statement."""
    return {
        hcl_checks.unquote(c["variable"]): (hcl_checks.unquote(c["test"]), c["values"])
        for c in statement.get("condition", [])
    }


def test_the_domain_is_v2_with_a_service_role() -> None:
    domains = _blocks("resource", "aws_datazone_domain")
    assert list(domains) == ["this"]
    domain = domains["this"]
    assert hcl_checks.literal_string(domain["domain_version"]) == "V2"
    assert domain["service_role"] == "${aws_iam_role.domain_service.arn}"
    assert domain["domain_execution_role"] == "${aws_iam_role.domain_execution.arn}"
    assert domain["kms_key_identifier"] == "${local.kms_key_arn}"


def test_the_module_has_the_four_datazone_roles() -> None:
    assert set(_trust_documents()) == {
        "domain_execution",
        "domain_service",
        "manage_access",
        "provisioning",
    }


@pytest.mark.parametrize(
    "role", ["domain_execution", "domain_service", "manage_access", "provisioning"]
)
def test_every_trust_statement_admits_datazone_for_this_account_only(role: str) -> None:
    statements = _trust_documents()[role]["statement"]
    assert statements
    for statement in statements:
        assert [
            (hcl_checks.unquote(p["type"]), p["identifiers"]) for p in statement["principals"]
        ] == [("Service", ["${local.datazone_principal}"])]
        assert _conditions(statement)["aws:SourceAccount"] == (
            "StringEquals",
            ["${local.account_id}"],
        )


def test_the_datazone_principal_is_the_service_principal_of_datazone() -> None:
    principal = _blocks("data", "aws_service_principal")["datazone"]
    assert hcl_checks.literal_string(principal["service_name"]) == "datazone"


def test_the_manage_access_role_is_pinned_to_this_domain() -> None:
    (statement,) = _trust_documents()["manage_access"]["statement"]
    assert _conditions(statement)["aws:SourceArn"] == (
        "ArnEquals",
        ["${aws_datazone_domain.this.arn}"],
    )


def test_the_execution_role_accepts_only_datazone_session_tags() -> None:
    (statement,) = _trust_documents()["domain_execution"]["statement"]
    assert _conditions(statement)["aws:TagKeys"] == ("ForAllValues:StringLike", ['"datazone*"'])


def test_the_domain_key_rotates() -> None:
    """The key is the shared block's (`module.kms_key`), whose one key has rotation on."""
    assert _blocks("resource", "aws_kms_key") == {}
    calls = {
        labels[0]: body
        for path in hcl_checks.root_tf_files(MODULE)
        for labels, body in hcl_checks.iter_blocks(hcl_checks.parse_tf(path), "module")
    }
    assert hcl_checks.literal_string(calls["kms_key"]["source"]) == "../shared/kms-key"
    block = (MODULE / hcl_checks.literal_string(calls["kms_key"]["source"])).resolve()
    keys = {
        labels[1]: body
        for path in hcl_checks.root_tf_files(block)
        for labels, body in hcl_checks.iter_blocks(hcl_checks.parse_tf(path), "resource")
        if labels[0] == "aws_kms_key"
    }
    assert list(keys) == ["this"]
    assert keys["this"]["enable_key_rotation"] is True


def test_the_data_lake_blueprint_is_enabled_in_this_region_with_the_module_roles() -> None:
    blueprint = _blocks("data", "aws_datazone_environment_blueprint")["data_lake"]
    assert hcl_checks.literal_string(blueprint["name"]) == "DataLake"
    assert blueprint["managed"] is True
    configuration = _blocks("resource", "aws_datazone_environment_blueprint_configuration")
    enabled = configuration["data_lake"]
    assert enabled["enabled_regions"] == ["${local.region}"]
    assert enabled["manage_access_role_arn"] == "${aws_iam_role.manage_access.arn}"
    assert enabled["provisioning_role_arn"] == "${aws_iam_role.provisioning.arn}"


def _aws_version(versions_tf: Path) -> str:
    (terraform,) = [
        body for _, body in hcl_checks.iter_blocks(hcl_checks.parse_tf(versions_tf), "terraform")
    ]
    (providers,) = terraform["required_providers"]
    aws = providers["aws"]
    assert hcl_checks.literal_string(aws["source"]) == "hashicorp/aws"
    version = hcl_checks.literal_string(aws["version"])
    assert version is not None
    return version


@pytest.mark.parametrize(
    "versions_tf",
    [MODULE / "versions.tf", MODULE / "examples" / "complete" / "versions.tf"],
    ids=["module", "examples/complete"],
)
def test_the_required_aws_provider_floor_is_6x(versions_tf: Path) -> None:
    floors = re.findall(r">=\s*(\d+)\.", _aws_version(versions_tf))
    assert floors == ["6"]
