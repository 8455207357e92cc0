"""Plan-level checks of model promotion (lifecycle steps 3-4) on the applied stacks.

Every value is read from `terraform show -json` of the stack applied by real Terraform with the
real AWS provider (the `applied_platform` sandbox): event patterns, policies and settings are
exactly what Terraform rendered and sent to AWS in each account.
"""

from __future__ import annotations

import fnmatch
from typing import Any

import pytest

from platform_composition.config import AccountRole, load_platform_config
from platform_composition.naming import Naming
from tests.composition.conftest import ENVIRONMENTS
from tests.terraform_state import (
    State,
    actions_allowed,
    actions_denied,
    as_list,
    condition_values,
    parse_policy,
    statements,
)
from tests.terraform_support import AppliedPlatform

pytestmark = pytest.mark.slow  # the session's applied sandbox (~4 min, shared with e2e)

CONFIG = load_platform_config(ENVIRONMENTS)
NAMING = Naming(CONFIG)
HUB = CONFIG.shared_services
DEVS = CONFIG.by_role(AccountRole.DEV)
HUB_CALL = "model-promotion-hub"
FORWARDER = "model-approval-forwarder"
APPROVED_PATTERN = {
    "source": ["aws.sagemaker"],
    "detail-type": ["SageMaker Model Package State Change"],
    "detail": {"ModelApprovalStatus": ["Approved"]},
}


@pytest.fixture(scope="module")
def hub(applied_platform: AppliedPlatform) -> State:
    return State(applied_platform.state(HUB.name))


@pytest.fixture(scope="module")
def dev_stacks(applied_platform: AppliedPlatform) -> dict[str, State]:
    return {env.name: State(applied_platform.state(env.name)) for env in DEVS}


def _promoter_documents(hub: State) -> list[dict[str, Any]]:
    return hub.role_policies(HUB_CALL)[NAMING.promoter_role_name]


def test_hub_and_forwarders_match_the_same_approved_events(
    hub: State, dev_stacks: dict[str, State]
) -> None:
    hub_rule = hub.one("aws_cloudwatch_event_rule", module=HUB_CALL)
    assert hub_rule.document("event_pattern") == APPROVED_PATTERN
    assert hub_rule["event_bus_name"] == NAMING.promotion_event_bus_name
    for stack in dev_stacks.values():
        forwarder_rule = stack.one("aws_cloudwatch_event_rule", module=FORWARDER)
        assert forwarder_rule.document("event_pattern") == APPROVED_PATTERN


def test_bus_policy_admits_only_listed_dev_accounts_inside_the_workloads_ou(hub: State) -> None:
    bus_policy = hub.one("aws_cloudwatch_event_bus_policy", module=HUB_CALL)
    (statement,) = statements(bus_policy.policy())
    assert statement["Effect"] == "Allow"
    assert statement["Action"] == "events:PutEvents"
    assert sorted(as_list(statement["Principal"]["AWS"])) == sorted(
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


def test_promotion_rule_target_retries_then_dead_letters(hub: State) -> None:
    target = hub.one("aws_cloudwatch_event_target", module=HUB_CALL)
    retry = target.block("retry_policy")
    assert retry["maximum_retry_attempts"] > 0
    assert retry["maximum_event_age_in_seconds"] > 0
    dead_letter = target.block("dead_letter_config")
    queue = hub.resource(f"module.{HUB_CALL}.module.dead_letter_queue.aws_sqs_queue.this")
    assert dead_letter["arn"].endswith(f":{queue['name']}")
    assert queue["kms_master_key_id"], "the dead-letter queue must use a KMS key"
    invoke = hub.one("aws_lambda_function_event_invoke_config", module=HUB_CALL)
    destination = invoke.block("destination_config")
    assert destination["on_failure"][0]["destination"] == dead_letter["arn"]


def test_promoter_alarms_cover_errors_throttles_dlq_and_delivery(hub: State) -> None:
    alarms = {
        (alarm["namespace"], alarm["metric_name"]): alarm
        for alarm in hub.resources("aws_cloudwatch_metric_alarm", module=HUB_CALL)
    }
    assert set(alarms) >= {
        ("AWS/Lambda", "Errors"),
        ("AWS/Lambda", "Throttles"),
        ("AWS/SQS", "ApproximateNumberOfMessagesVisible"),
        ("AWS/Events", "FailedInvocations"),
        ("ModelPromotion", "PromotionsRefused"),
    }
    # The refusal alarm watches exactly what the function emits: its Powertools service name
    # and the approver reason of `PromotionsRefused`.
    function = hub.one("aws_lambda_function", module=HUB_CALL)
    service = function.block("environment")["variables"]["POWERTOOLS_SERVICE_NAME"]
    refused = alarms[("ModelPromotion", "PromotionsRefused")]
    assert refused["dimensions"] == {"service": service, "reason": "approver-not-allowed"}
    assert refused["threshold"] == 0 and refused["comparison_operator"] == "GreaterThanThreshold"
    topic = hub.one("aws_sns_topic", module=HUB_CALL)
    assert topic["kms_master_key_id"]
    for alarm in alarms.values():
        assert alarm["alarm_actions"], alarm.address


def test_promoter_function_settings(hub: State) -> None:
    function = hub.one("aws_lambda_function", module=HUB_CALL)
    assert function["function_name"] == NAMING.promoter_function_name
    assert function["handler"] == "model_promoter.handler.lambda_handler"
    assert function["architectures"] == ["arm64"]
    assert function["runtime"] == "python3.13"
    assert function["tracing_config"] == [{"mode": "Active"}]
    assert function["reserved_concurrent_executions"] >= 1
    assert function["layers"] == [NAMING.powertools_layer_arn]
    variables = function.block("environment")["variables"]
    assert variables["HUB_ARTIFACT_BUCKET"] == NAMING.artifact_bucket_name
    assert variables["SOURCE_ROLE_NAME"] == NAMING.promotion_source_role_name
    assert variables["SOURCE_ACCOUNTS_PARAMETER"] == NAMING.source_accounts_parameter
    assert variables["GROUP_POLICY_TEMPLATE_PARAMETER"] == NAMING.group_policy_template_parameter
    assert variables["IDEMPOTENCY_TABLE_NAME"] == NAMING.idempotency_table_name
    assert variables["HUB_IMAGE_REPOSITORY_PREFIX"] == "mlgov-promoted"
    parameter = hub.resource(f"module.{HUB_CALL}.aws_ssm_parameter.source_accounts")
    # Compact form: account id -> team only; the repository is derived from the prefix.
    assert parameter.document("value") == {env.account_id: env.team for env in DEVS}
    assert parameter.document("value") == NAMING.source_accounts


def test_promoter_pushes_each_team_to_a_hub_repository_it_may_write(hub: State) -> None:
    """`HUB_IMAGE_REPOSITORY_PREFIX/<team>` names a repository the registry creates, inside
    the promoter role's ECR push resources."""
    function = hub.one("aws_lambda_function", module=HUB_CALL)
    prefix = function.block("environment")["variables"]["HUB_IMAGE_REPOSITORY_PREFIX"]
    repositories = {
        repository["name"]
        for repository in hub.resources("aws_ecr_repository", module="central-model-registry")
    }
    push = [s for d in _promoter_documents(hub) for s in actions_allowed(d, "ecr:PutImage")]
    push_resources = [r for s in push for r in as_list(s["Resource"])]
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


def test_promoter_role_may_assume_only_dev_promotion_source_roles(hub: State) -> None:
    role = hub.resource(f"module.{HUB_CALL}.aws_iam_role.this")
    (trust,) = statements(role.policy("assume_role_policy"))
    assert trust["Principal"] == {"Service": "lambda.amazonaws.com"}
    assert trust["Condition"]["StringEquals"]["aws:SourceAccount"] == HUB.account_id
    assume = [s for d in _promoter_documents(hub) for s in actions_allowed(d, "sts:AssumeRole")]
    assert assume, "the promoter must be able to assume the promotion-source roles"
    for statement in assume:
        resources = as_list(statement["Resource"])
        assert all(r.endswith(f":role/{NAMING.promotion_source_role_name}") for r in resources)
        accounts = condition_values(statement, "aws:ResourceAccount")
        assert sorted(accounts) == sorted(env.account_id for env in DEVS)


def test_promoter_never_approves(hub: State) -> None:
    documents = _promoter_documents(hub)
    assert not [s for d in documents for s in actions_allowed(d, "sagemaker:UpdateModelPackage")]
    assert [s for d in documents for s in actions_denied(d, "sagemaker:UpdateModelPackage")]


@pytest.mark.parametrize("env", DEVS, ids=lambda env: env.name)
def test_promotion_source_role_trusts_only_the_hub_promoter(
    dev_stacks: dict[str, State], env: Any
) -> None:
    stack = dev_stacks[env.name]
    role = stack.resource(f"module.{FORWARDER}.aws_iam_role.promotion_source")
    assert role["name"] == NAMING.promotion_source_role_name
    (trust,) = statements(parse_policy(role["assume_role_policy"]))
    assert trust["Principal"] == {"AWS": NAMING.promoter_role_arn}
    assert trust["Condition"]["StringEquals"]["aws:PrincipalOrgID"] == (
        CONFIG.organization.organization_id
    )
    forwarder = stack.one("aws_cloudwatch_event_target", module=FORWARDER)
    assert forwarder["arn"] == NAMING.promotion_event_bus_arn
    assert forwarder["dead_letter_config"]
