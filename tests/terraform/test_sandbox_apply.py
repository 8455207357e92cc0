"""Every synthesized stack applied by real Terraform into the simulated organization.

The `applied_platform` fixture applies the default environments hub first, each stack through its
own `assume_role` and `allowed_account_ids`; at the end of the session it destroys every stack
(a failing destroy fails the session). Simulator gaps live in `platform_sandbox/gaps.py`.
"""

from __future__ import annotations

import re

from platform_composition.config import AccountRole
from platform_sandbox import gaps
from platform_sandbox.organization import coverage_table
from platform_sandbox.terraform import planned_resources
from tests.terraform_support import AppliedPlatform

ARN_ACCOUNT = re.compile(r"^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):")
# Types whose `arn` attribute names another resource (the target), not the resource itself.
ARN_OF_ANOTHER_RESOURCE = frozenset({"aws_cloudwatch_event_target"})


def test_every_stack_applies_everything_the_simulator_supports(
    applied_platform: AppliedPlatform,
) -> None:
    runs = applied_platform.runs.values()
    not_applied = applied_platform.sandbox.stacks_not_applied()
    print("\n" + coverage_table(list(runs), not_applied=not_applied))
    # Stacks left out of the sandbox are named, with the reason, and never half-applied.
    for run in not_applied:
        assert run.not_applied and run.name not in applied_platform.runs, run.name
    for run in runs:
        assert run.applied == run.planned - len(run.unsupported), run.name
    assert sum(run.applied for run in runs) > 0
    # Every dev workspace's domain and user profiles are applied, and reported as records only.
    for name, run in applied_platform.runs.items():
        if run.role == AccountRole.DEV.value:
            env = applied_platform.sandbox.config.environment(name)
            assert env.workspace is not None
            assert run.record_only.get("aws_sagemaker_domain") == 1, run.record_only
            assert run.record_only.get("aws_sagemaker_user_profile", 0) == len(
                env.workspace.users
            ), run.record_only


def test_unsupported_resource_types_each_give_a_reason() -> None:
    for resource_type, reason in gaps.UNSUPPORTED_RESOURCE_TYPES.items():
        assert resource_type.startswith("aws_") and len(reason) > 20, resource_type
    for resource_type, reason in gaps.RECORD_ONLY_RESOURCE_TYPES.items():
        assert resource_type.startswith("aws_") and len(reason) > 20, resource_type


def test_every_simulator_gap_says_what_real_aws_does() -> None:
    names = [gap.name for gap in gaps.GAPS]
    assert len(names) == len(set(names))
    for gap in gaps.GAPS:
        assert gap.real_aws.strip() and gap.sandbox.strip(), gap.name


def test_a_second_plan_shows_no_changes(applied_platform: AppliedPlatform) -> None:
    runs = applied_platform.sandbox.replan_all(list(applied_platform.runs.values()))
    drifting = {run.name: run.replan_text for run in runs if run.replan_changes}
    assert not drifting, "\n\n".join(f"{name}:\n{text}" for name, text in drifting.items())


def test_every_resource_lives_in_its_stacks_account(applied_platform: AppliedPlatform) -> None:
    """The provider's assume_role and allowed_account_ids put each stack in its own account."""
    for name, run in applied_platform.runs.items():
        state = applied_platform.state(name)
        resources = planned_resources({"planned_values": state.get("values") or {}})
        for resource in resources:
            if resource["type"] in ARN_OF_ANOTHER_RESOURCE:
                continue
            arn = (resource.get("values") or {}).get("arn")
            match = ARN_ACCOUNT.match(arn or "")
            if match:
                assert match.group(1) == run.account_id, (name, resource["address"], arn)


def test_stacks_export_what_operators_and_the_sandbox_read(
    applied_platform: AppliedPlatform,
) -> None:
    hub = applied_platform.outputs("shared-services")
    for name in (
        "promotion_event_bus_arn",
        "model_promoter_function_name",
        "deployment_pipeline_name",
        "prod_approval_action_arn",
        "ml_engineer_role_arn",
        "governance_officer_role_arn",
        "registry_artifact_bucket_name",
    ):
        assert hub[name], name
    assert set(hub["codebuild_project_names"]) == {"deploy_test", "integration_test", "deploy_prod"}
    for dev in ("dev-team-a", "dev-team-b"):
        outputs = applied_platform.outputs(dev)
        assert outputs["promotion_source_role_arn"].endswith(":role/mlgov-promotion-source")
        assert outputs["approval_forwarder_rule_name"]
    for stage in ("test", "prod"):
        outputs = applied_platform.outputs(stage)
        assert outputs["target_config"]["endpoint_name"]
        assert outputs["deploy_role_arn"].split(":")[4] == applied_platform.runs[stage].account_id
