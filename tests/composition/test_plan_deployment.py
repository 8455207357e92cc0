"""Plan-level checks of cross-account deployment (lifecycle steps 5-6) on the synthesized stacks.

Separation of duties is checked on the rendered policies: only the governance officer may answer
the production approval, only the ML engineer may change approval status in the central
registry, and the test/prod accounts can never change it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from platform_composition.config import AccountRole, load_platform_config
from platform_composition.naming import Naming
from tests.composition import plan
from tests.composition.conftest import ENVIRONMENTS

CONFIG = load_platform_config(ENVIRONMENTS)
NAMING = Naming(CONFIG)
HUB = CONFIG.shared_services
TARGETS = NAMING.consumer_accounts
PIPELINE = "model-deployment-pipeline"
TARGET = "model-deployment-target"


@pytest.fixture(scope="module")
def hub(synthesized: Path) -> plan.Stack:
    return plan.load_stack(synthesized, HUB.name)


@pytest.fixture(scope="module")
def pipeline(hub: plan.Stack) -> plan.Instance:
    ((_address, instance),) = plan.resources(hub, PIPELINE, "aws_codepipeline")
    return instance


def _all_role_documents(stack: plan.Stack, call: str) -> dict[str, list[dict[str, Any]]]:
    return plan.role_policies(stack, call)


def test_pipeline_stages_run_test_then_governance_approval_then_prod(
    pipeline: plan.Instance,
) -> None:
    assert pipeline.argument("name") == NAMING.deployment_pipeline_name
    assert pipeline.argument("pipeline_type") == "V2"
    # A newer approval supersedes an older execution still waiting.
    assert pipeline.argument("execution_mode") == "SUPERSEDED"
    assert [v["name"] for v in plan.nested_blocks(pipeline, "variable")] == ["MODEL_PACKAGE_ARN"]
    stages = plan.nested_blocks(pipeline, "stage")
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


def test_pipeline_artifact_store_is_kms_encrypted(hub: plan.Stack, pipeline: plan.Instance) -> None:
    (store,) = plan.nested_blocks(pipeline, "artifact_store")
    (encryption,) = store["encryption_key"]
    assert encryption["type"] == "KMS"
    key = plan.resource(hub, PIPELINE, "aws_kms_key", "this")
    assert key.argument("enable_key_rotation") is True
    assert encryption["id"] == key.attr("arn")
    (sse,) = [
        inst
        for _, inst in plan.resources(
            hub, PIPELINE, "aws_s3_bucket_server_side_encryption_configuration"
        )
    ]
    (rule,) = plan.nested_blocks(sse, "rule")
    assert rule["apply_server_side_encryption_by_default"][0]["sse_algorithm"] == "aws:kms"


def test_only_the_governance_officer_may_approve_production(hub: plan.Stack) -> None:
    approval_action_arn = hub.evaluator(PIPELINE).output("approval_action_arn")
    assert approval_action_arn.endswith(
        f":{NAMING.deployment_pipeline_name}/ApproveProd/ApproveProd"
    )
    documents = {
        **_all_role_documents(hub, PIPELINE),
        **_all_role_documents(hub, "model-promotion-hub"),
    }
    allowed = {
        role: [
            s for doc in docs for s in plan.actions_allowed(doc, "codepipeline:PutApprovalResult")
        ]
        for role, docs in documents.items()
    }
    assert {role for role, found in allowed.items() if found} == {
        NAMING.governance_officer_role_name
    }
    (statement,) = allowed[NAMING.governance_officer_role_name]
    assert statement["Resource"] == approval_action_arn
    ml_engineer = documents[NAMING.ml_engineer_role_name]
    assert [
        s for d in ml_engineer for s in plan.actions_denied(d, "codepipeline:PutApprovalResult")
    ]


def test_only_the_ml_engineer_changes_central_approval_status(hub: plan.Stack) -> None:
    documents = {
        **_all_role_documents(hub, PIPELINE),
        **_all_role_documents(hub, "model-promotion-hub"),
    }
    allowed = {
        role
        for role, docs in documents.items()
        if [s for doc in docs for s in plan.actions_allowed(doc, "sagemaker:UpdateModelPackage")]
    }
    assert allowed == {NAMING.ml_engineer_role_name}


def test_persona_roles_trust_exact_principals_inside_the_organization(hub: plan.Stack) -> None:
    personas = HUB.personas
    assert personas is not None
    expected = {
        NAMING.ml_engineer_role_name: personas.ml_engineers,
        NAMING.governance_officer_role_name: personas.governance_officers,
    }
    for _, role in plan.resources(hub, PIPELINE, "aws_iam_role"):
        if role.argument("name") not in expected:
            continue
        (trust,) = plan.statements(plan.policy(role.argument("assume_role_policy")))
        principals = trust["Principal"]["AWS"]
        principals = principals if isinstance(principals, list) else [principals]
        assert sorted(principals) == sorted(expected[role.argument("name")])
        assert trust["Condition"]["StringEquals"]["aws:PrincipalOrgID"] == (
            CONFIG.organization.organization_id
        )


@pytest.mark.parametrize("env", TARGETS, ids=lambda env: env.name)
def test_deploy_role_is_trusted_only_by_its_stage_codebuild_role(
    synthesized: Path, env: Any
) -> None:
    stack = plan.load_stack(synthesized, env.name)
    role = plan.resource(stack, TARGET, "aws_iam_role", "deploy")
    assert role.argument("name") == NAMING.model_deployer_role_name
    (trust,) = plan.statements(plan.policy(role.argument("assume_role_policy")))
    assert trust["Principal"] == {"AWS": f"arn:aws:iam::{HUB.account_id}:root"}
    conditions = trust["Condition"]
    assert conditions["ArnEquals"]["aws:PrincipalArn"] == NAMING.codebuild_role_arn(env.role.value)
    assert conditions["StringEquals"]["aws:PrincipalOrgID"] == CONFIG.organization.organization_id


@pytest.mark.parametrize("env", TARGETS, ids=lambda env: env.name)
def test_target_accounts_never_change_approval_status(synthesized: Path, env: Any) -> None:
    stack = plan.load_stack(synthesized, env.name)
    for role, documents in plan.role_policies(stack, TARGET).items():
        for action in ("sagemaker:UpdateModelPackage", "sagemaker:CreateModelPackage"):
            assert not [s for d in documents for s in plan.actions_allowed(d, action)], (
                role,
                action,
            )
    deploy_documents = plan.role_policies(stack, TARGET)[NAMING.model_deployer_role_name]
    assert [
        s for d in deploy_documents for s in plan.actions_denied(d, "sagemaker:UpdateModelPackage")
    ]


def test_central_group_policy_never_lets_consumers_change_packages(hub: plan.Stack) -> None:
    template = hub.evaluator("central-model-registry").output("model_package_group_policy_template")
    document = plan.policy(template.replace("{model_package_group_name}", "team-a-churn"))
    for action in ("sagemaker:UpdateModelPackage", "sagemaker:DeleteModelPackage"):
        assert not plan.actions_allowed(document, action)
        assert plan.actions_denied(document, action)
    readers = plan.actions_allowed(document, "sagemaker:DescribeModelPackage")
    principals = {p for s in readers for p in _list(s["Principal"]["AWS"])}
    assert principals == {f"arn:aws:iam::{env.account_id}:root" for env in TARGETS}


@pytest.mark.parametrize("env", TARGETS, ids=lambda env: env.name)
def test_target_publishes_its_settings_for_the_pipeline(synthesized: Path, env: Any) -> None:
    stack = plan.load_stack(synthesized, env.name)
    parameter = plan.resource(stack, TARGET, "aws_ssm_parameter", "target_config")
    assert parameter.argument("name") == NAMING.target_config_parameter
    assert parameter.argument("type") == "SecureString"
    published = json.loads(parameter.argument("value"))
    assert published["stage"] == env.role.value
    assert published["account_id"] == env.account_id
    assert published["deploy_role_arn"] == NAMING.model_deployer_role_arn(env)
    assert published["endpoint_name"] == env.endpoint.name
    assert published["subnet_ids"] == list(env.endpoint_network.subnet_ids)
    assert len(published["alarm_names"]) == 2
    assert (published["autoscaling"] is not None) == (env.role is AccountRole.PROD)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]
