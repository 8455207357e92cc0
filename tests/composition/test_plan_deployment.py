"""Plan-level checks of cross-account deployment (lifecycle steps 5-6) on the applied stacks.

Separation of duties is checked on the policies real Terraform rendered and applied (the
`applied_platform` sandbox, `terraform show -json`): only the governance officer may answer
the production approval, only the ML engineer may change approval status in the central
registry, and the test/prod accounts can never change it.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from platform_composition.config import AccountRole, load_platform_config
from platform_composition.naming import Naming
from tests.composition.conftest import ENVIRONMENTS
from tests.terraform_state import (
    Document,
    State,
    actions_allowed,
    actions_denied,
    as_list,
    statements,
)
from tests.terraform_support import AppliedPlatform

pytestmark = pytest.mark.slow  # the session's applied sandbox (~4 min, shared with e2e)

CONFIG = load_platform_config(ENVIRONMENTS)
NAMING = Naming(CONFIG)
HUB = CONFIG.shared_services
TARGETS = NAMING.consumer_accounts
PIPELINE = "model-deployment-pipeline"
TARGET = "model-deployment-target"
REGISTRY = "central-model-registry"
GROUP_TOKEN = "{model_package_group_name}"


@pytest.fixture(scope="module")
def hub(applied_platform: AppliedPlatform) -> State:
    return State(applied_platform.state(HUB.name))


@pytest.fixture(scope="module")
def targets(applied_platform: AppliedPlatform) -> dict[str, State]:
    return {env.name: State(applied_platform.state(env.name)) for env in TARGETS}


def _hub_role_documents(hub: State) -> dict[str, list[Document]]:
    return {**hub.role_policies(PIPELINE), **hub.role_policies("model-promotion-hub")}


def test_pipeline_stages_run_test_then_governance_approval_then_prod(hub: State) -> None:
    pipeline = hub.one("aws_codepipeline", module=PIPELINE)
    assert pipeline["name"] == NAMING.deployment_pipeline_name
    assert pipeline["pipeline_type"] == "V2"
    # A newer approval supersedes an older execution still waiting.
    assert pipeline["execution_mode"] == "SUPERSEDED"
    assert [v["name"] for v in pipeline["variable"]] == ["MODEL_PACKAGE_ARN"]
    stages = pipeline["stage"]
    assert [stage["name"] for stage in stages] == [
        "Source",
        "DeployTest",
        "IntegrationTest",
        "ApproveProd",
        "DeployProd",
    ]
    (approval,) = stages[3]["action"]
    assert (approval["category"], approval["provider"]) == ("Approval", "Manual")
    assert approval["configuration"]["NotificationArn"].startswith("arn:aws:sns:")
    categories = {
        stage["name"]: (stage["action"][0]["category"], stage["action"][0]["provider"])
        for stage in stages
    }
    assert categories["DeployTest"] == ("Build", "CodeBuild")
    assert categories["IntegrationTest"] == ("Test", "CodeBuild")
    assert categories["DeployProd"] == ("Build", "CodeBuild")


def test_pipeline_artifact_store_is_kms_encrypted(hub: State) -> None:
    pipeline = hub.one("aws_codepipeline", module=PIPELINE)
    (store,) = pipeline["artifact_store"]
    (encryption,) = store["encryption_key"]
    assert encryption["type"] == "KMS"
    # The key and the artifact bucket come from the shared blocks (modules/shared/kms-key and
    # s3-bucket), called as kms_key and artifact_bucket.
    key = hub.resource(f"module.{PIPELINE}.module.kms_key.aws_kms_key.this")
    assert key["enable_key_rotation"] is True
    assert encryption["id"] == key["arn"]
    sse = hub.resource(
        f"module.{PIPELINE}.module.artifact_bucket."
        "aws_s3_bucket_server_side_encryption_configuration.this"
    )
    rule = sse.block("rule")
    assert rule["apply_server_side_encryption_by_default"][0]["sse_algorithm"] == "aws:kms"


def test_only_the_governance_officer_may_approve_production(hub: State) -> None:
    approval_action_arn = hub.outputs["prod_approval_action_arn"]
    assert approval_action_arn.endswith(
        f":{NAMING.deployment_pipeline_name}/ApproveProd/ApproveProd"
    )
    documents = _hub_role_documents(hub)
    allowed = {
        role: [s for doc in docs for s in actions_allowed(doc, "codepipeline:PutApprovalResult")]
        for role, docs in documents.items()
    }
    assert {role for role, found in allowed.items() if found} == {
        NAMING.governance_officer_role_name
    }
    (statement,) = allowed[NAMING.governance_officer_role_name]
    assert statement["Resource"] == approval_action_arn
    ml_engineer = documents[NAMING.ml_engineer_role_name]
    assert [s for d in ml_engineer for s in actions_denied(d, "codepipeline:PutApprovalResult")]


def test_only_the_ml_engineer_changes_central_approval_status(hub: State) -> None:
    allowed = {
        role
        for role, docs in _hub_role_documents(hub).items()
        if [s for doc in docs for s in actions_allowed(doc, "sagemaker:UpdateModelPackage")]
    }
    assert allowed == {NAMING.ml_engineer_role_name}


def test_persona_roles_trust_exact_principals_inside_the_organization(hub: State) -> None:
    personas = HUB.personas
    assert personas is not None
    expected = {
        NAMING.ml_engineer_role_name: personas.ml_engineers,
        NAMING.governance_officer_role_name: personas.governance_officers,
    }
    checked = set()
    for role in hub.resources("aws_iam_role", module=PIPELINE):
        if role["name"] not in expected:
            continue
        (trust,) = statements(role.policy("assume_role_policy"))
        assert sorted(as_list(trust["Principal"]["AWS"])) == sorted(expected[role["name"]])
        assert trust["Condition"]["StringEquals"]["aws:PrincipalOrgID"] == (
            CONFIG.organization.organization_id
        )
        checked.add(role["name"])
    assert checked == set(expected)


@pytest.mark.parametrize("env", TARGETS, ids=lambda env: env.name)
def test_deploy_role_is_trusted_only_by_its_stage_codebuild_role(
    targets: dict[str, State], env: Any
) -> None:
    role = targets[env.name].resource(f"module.{TARGET}.aws_iam_role.deploy")
    assert role["name"] == NAMING.model_deployer_role_name
    (trust,) = statements(role.policy("assume_role_policy"))
    assert trust["Principal"] == {"AWS": f"arn:aws:iam::{HUB.account_id}:root"}
    conditions = trust["Condition"]
    assert conditions["ArnEquals"]["aws:PrincipalArn"] == NAMING.codebuild_role_arn(env.role.value)
    assert conditions["StringEquals"]["aws:PrincipalOrgID"] == CONFIG.organization.organization_id


@pytest.mark.parametrize("env", TARGETS, ids=lambda env: env.name)
def test_target_accounts_never_change_approval_status(targets: dict[str, State], env: Any) -> None:
    role_documents = targets[env.name].role_policies(TARGET)
    for role, documents in role_documents.items():
        for action in ("sagemaker:UpdateModelPackage", "sagemaker:CreateModelPackage"):
            assert not [s for d in documents for s in actions_allowed(d, action)], (role, action)
    deploy_documents = role_documents[NAMING.model_deployer_role_name]
    assert [s for d in deploy_documents for s in actions_denied(d, "sagemaker:UpdateModelPackage")]


def test_central_group_policy_never_lets_consumers_change_packages(hub: State) -> None:
    """The template the promoter reads from SSM (the registry's
    `model_package_group_policy_template`), with the token replaced as the promoter does."""
    parameter = hub.resource("module.model-promotion-hub.aws_ssm_parameter.group_policy_template")
    registry_template = hub.resource(
        f"module.{REGISTRY}.data.aws_iam_policy_document.model_package_group"
    )
    assert parameter["value"] == registry_template["json"]
    document = _group_policy(parameter["value"], "team-a-churn")
    for action in ("sagemaker:UpdateModelPackage", "sagemaker:DeleteModelPackage"):
        assert not actions_allowed(document, action)
        assert actions_denied(document, action)
    readers = actions_allowed(document, "sagemaker:DescribeModelPackage")
    principals = {p for s in readers for p in as_list(s["Principal"]["AWS"])}
    assert principals == {f"arn:aws:iam::{env.account_id}:root" for env in TARGETS}


def _group_policy(template: str, group_name: str) -> Document:
    assert GROUP_TOKEN in template
    document: Document = json.loads(template.replace(GROUP_TOKEN, group_name))
    return document


@pytest.mark.parametrize("env", TARGETS, ids=lambda env: env.name)
def test_target_publishes_its_settings_for_the_pipeline(
    applied_platform: AppliedPlatform, targets: dict[str, State], env: Any
) -> None:
    parameter = targets[env.name].resource(f"module.{TARGET}.aws_ssm_parameter.target_config")
    assert parameter["name"] == NAMING.target_config_parameter
    assert parameter["type"] == "SecureString"
    published = parameter.document("value")
    assert published["stage"] == env.role.value
    assert published["account_id"] == env.account_id
    assert published["deploy_role_arn"] == NAMING.model_deployer_role_arn(env)
    assert published["endpoint_name"] == env.endpoint.name
    # The sandbox points the endpoint network at subnets it created (the only change it makes
    # to environments/): the applied value is compared with the configuration it applied.
    applied_network = applied_platform.sandbox.config.environment(env.name).endpoint_network
    assert applied_network is not None
    assert published["subnet_ids"] == list(applied_network.subnet_ids)
    assert len(published["alarm_names"]) == 2
    assert (published["autoscaling"] is not None) == (env.role is AccountRole.PROD)
