"""Plan-level checks of model promotion (lifecycle steps 3-4) on the synthesized stacks.

Each module call is rendered with the arguments the composition gave it (see `plan.py`), so these
tests read the event patterns, policies and settings Terraform would create in each account.
"""

from __future__ import annotations

import fnmatch
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
DEVS = CONFIG.by_role(AccountRole.DEV)
APPROVED_PATTERN = {
    "source": ["aws.sagemaker"],
    "detail-type": ["SageMaker Model Package State Change"],
    "detail": {"ModelApprovalStatus": ["Approved"]},
}


@pytest.fixture(scope="module")
def hub(synthesized: Path) -> plan.Stack:
    return plan.load_stack(synthesized, HUB.name)


@pytest.fixture(scope="module")
def dev_stacks(synthesized: Path) -> dict[str, plan.Stack]:
    return {env.name: plan.load_stack(synthesized, env.name) for env in DEVS}


def test_hub_and_forwarders_match_the_same_approved_events(
    hub: plan.Stack, dev_stacks: dict[str, plan.Stack]
) -> None:
    hub_rule = plan.resource(hub, "model-promotion-hub", "aws_cloudwatch_event_rule", "this")
    assert json.loads(hub_rule.argument("event_pattern")) == APPROVED_PATTERN
    assert hub_rule.argument("event_bus_name") == NAMING.promotion_event_bus_name
    for stack in dev_stacks.values():
        pattern = json.loads(stack.evaluator("model-approval-forwarder").output("event_pattern"))
        assert pattern == APPROVED_PATTERN


def test_bus_policy_admits_only_listed_dev_accounts_inside_the_workloads_ou(
    hub: plan.Stack,
) -> None:
    bus_policy = plan.resource(
        hub, "model-promotion-hub", "aws_cloudwatch_event_bus_policy", "this"
    )
    (statement,) = plan.statements(plan.policy(bus_policy.argument("policy")))
    assert statement["Effect"] == "Allow"
    assert statement["Action"] == "events:PutEvents"
    assert sorted(statement["Principal"]["AWS"]) == sorted(
        f"arn:aws:iam::{env.account_id}:root" for env in DEVS
    )
    conditions = statement["Condition"]
    assert conditions["StringEquals"]["aws:PrincipalOrgID"] == CONFIG.organization.organization_id
    assert conditions["ForAnyValue:StringLike"]["aws:PrincipalOrgPaths"] == (
        f"{CONFIG.organization.workloads_ou_path}*"
    )
    assert conditions["ForAllValues:StringEquals"] == {
        "events:source": "aws.sagemaker",
        "events:detail-type": "SageMaker Model Package State Change",
    }


def test_promotion_rule_target_retries_then_dead_letters(hub: plan.Stack) -> None:
    target = plan.resource(hub, "model-promotion-hub", "aws_cloudwatch_event_target", "this")
    (retry,) = plan.nested_blocks(target, "retry_policy")
    assert retry["maximum_retry_attempts"] > 0
    assert retry["maximum_event_age_in_seconds"] > 0
    (dead_letter,) = plan.nested_blocks(target, "dead_letter_config")
    queue = plan.resource(hub, "model-promotion-hub", "aws_sqs_queue", "this")
    assert dead_letter["arn"].endswith(f":{queue.argument('name')}")
    assert queue.argument("kms_master_key_id"), "the dead-letter queue must use a KMS key"
    invoke = plan.resource(
        hub, "model-promotion-hub", "aws_lambda_function_event_invoke_config", "this"
    )
    (destination,) = plan.nested_blocks(invoke, "destination_config")
    assert destination["on_failure"][0]["destination"] == dead_letter["arn"]


def test_promoter_alarms_cover_errors_throttles_dlq_and_delivery(hub: plan.Stack) -> None:
    alarms = {
        (inst.argument("namespace"), inst.argument("metric_name")): inst
        for _, inst in plan.resources(hub, "model-promotion-hub", "aws_cloudwatch_metric_alarm")
    }
    assert set(alarms) >= {
        ("AWS/Lambda", "Errors"),
        ("AWS/Lambda", "Throttles"),
        ("AWS/SQS", "ApproximateNumberOfMessagesVisible"),
        ("AWS/Events", "FailedInvocations"),
    }
    topic = plan.resource(hub, "model-promotion-hub", "aws_sns_topic", "this")
    assert topic.argument("kms_master_key_id")
    for alarm in alarms.values():
        assert alarm.argument("alarm_actions"), alarm


def test_promoter_function_settings(hub: plan.Stack) -> None:
    function = plan.resource(hub, "model-promotion-hub", "aws_lambda_function", "this")
    assert function.argument("function_name") == NAMING.promoter_function_name
    assert function.argument("handler") == "model_promoter.handler.lambda_handler"
    assert function.argument("architectures") == ["arm64"]
    assert function.argument("runtime") == "python3.13"
    assert plan.nested_blocks(function, "tracing_config") == [{"mode": "Active"}]
    assert function.argument("reserved_concurrent_executions") >= 1
    assert function.argument("layers") == [NAMING.powertools_layer_arn]
    (environment,) = plan.nested_blocks(function, "environment")
    variables = environment["variables"]
    assert variables["HUB_ARTIFACT_BUCKET"] == NAMING.artifact_bucket_name
    assert variables["SOURCE_ROLE_NAME"] == NAMING.promotion_source_role_name
    assert variables["SOURCE_ACCOUNTS_PARAMETER"] == NAMING.source_accounts_parameter
    assert variables["GROUP_POLICY_TEMPLATE_PARAMETER"] == NAMING.group_policy_template_parameter
    assert variables["IDEMPOTENCY_TABLE_NAME"] == NAMING.idempotency_table_name
    assert variables["HUB_IMAGE_REPOSITORY_PREFIX"] == "mlgov-promoted"
    parameter = plan.resource(hub, "model-promotion-hub", "aws_ssm_parameter", "source_accounts")
    # Compact form: account id -> team only; the repository is derived from the prefix.
    assert json.loads(parameter.argument("value")) == {env.account_id: env.team for env in DEVS}
    assert json.loads(parameter.argument("value")) == NAMING.source_accounts


def test_promoter_pushes_each_team_to_a_hub_repository_it_may_write(hub: plan.Stack) -> None:
    """`HUB_IMAGE_REPOSITORY_PREFIX/<team>` names a repository the registry creates, inside
    the promoter role's ECR push resources."""
    function = plan.resource(hub, "model-promotion-hub", "aws_lambda_function", "this")
    (environment,) = plan.nested_blocks(function, "environment")
    prefix = environment["variables"]["HUB_IMAGE_REPOSITORY_PREFIX"]
    repositories = {
        instance.argument("name")
        for _, instance in plan.resources(hub, "central-model-registry", "aws_ecr_repository")
    }
    documents = plan.role_policies(hub, "model-promotion-hub")[NAMING.promoter_role_name]
    push = [s for d in documents for s in plan.actions_allowed(d, "ecr:PutImage")]
    push_resources = [
        r
        for s in push
        for r in ([s["Resource"]] if isinstance(s["Resource"], str) else s["Resource"])
    ]
    assert push_resources
    for env in DEVS:
        repository = f"{prefix}/{env.team}"
        assert repository == NAMING.promoted_image_repository(env.team or "")
        assert repository in repositories, (repository, repositories)
        arn = f"arn:aws:ecr:{HUB.region}:{HUB.account_id}:repository/{repository}"
        assert any(fnmatch.fnmatchcase(arn, pattern) for pattern in push_resources), (
            arn,
            push_resources,
        )


def test_promoter_role_may_assume_only_dev_promotion_source_roles(hub: plan.Stack) -> None:
    role = plan.resource(hub, "model-promotion-hub", "aws_iam_role", "this")
    (trust,) = plan.statements(plan.policy(role.argument("assume_role_policy")))
    assert trust["Principal"] == {"Service": "lambda.amazonaws.com"}
    assert trust["Condition"]["StringEquals"]["aws:SourceAccount"] == HUB.account_id
    documents = plan.role_policies(hub, "model-promotion-hub")[NAMING.promoter_role_name]
    assume = [s for d in documents for s in plan.actions_allowed(d, "sts:AssumeRole")]
    assert assume, "the promoter must be able to assume the promotion-source roles"
    for statement in assume:
        resources = (
            statement["Resource"]
            if isinstance(statement["Resource"], list)
            else [statement["Resource"]]
        )
        assert all(r.endswith(f":role/{NAMING.promotion_source_role_name}") for r in resources)
        accounts = _condition_values(statement, "aws:ResourceAccount")
        assert sorted(accounts) == sorted(env.account_id for env in DEVS)


def test_promoter_never_approves(hub: plan.Stack) -> None:
    documents = plan.role_policies(hub, "model-promotion-hub")[NAMING.promoter_role_name]
    assert not [
        s for d in documents for s in plan.actions_allowed(d, "sagemaker:UpdateModelPackage")
    ]
    assert [s for d in documents for s in plan.actions_denied(d, "sagemaker:UpdateModelPackage")]


@pytest.mark.parametrize("env", DEVS, ids=lambda env: env.name)
def test_promotion_source_role_trusts_only_the_hub_promoter(
    dev_stacks: dict[str, plan.Stack], env: Any
) -> None:
    stack = dev_stacks[env.name]
    role = plan.resource(stack, "model-approval-forwarder", "aws_iam_role", "promotion_source")
    assert role.argument("name") == NAMING.promotion_source_role_name
    (trust,) = plan.statements(plan.policy(role.argument("assume_role_policy")))
    assert trust["Principal"] == {"AWS": NAMING.promoter_role_arn}
    assert trust["Condition"]["StringEquals"]["aws:PrincipalOrgID"] == (
        CONFIG.organization.organization_id
    )
    forwarder = plan.resource(
        stack, "model-approval-forwarder", "aws_cloudwatch_event_target", "this"
    )
    assert forwarder.argument("arn") == NAMING.promotion_event_bus_arn
    assert plan.nested_blocks(forwarder, "dead_letter_config")


def _condition_values(statement: dict[str, Any], key: str) -> list[str]:
    for operator_values in statement.get("Condition", {}).values():
        if key in operator_values:
            value = operator_values[key]
            return value if isinstance(value, list) else [value]
    raise AssertionError(f"no {key} condition in {statement}")
