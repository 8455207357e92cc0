"""The source accounts map `{"<dev account id>": "<team>"}` and the hub repository derived from it.

The map is operator configuration written by the `model-promotion-hub` module: a malformed map
is a `ConfigurationError` whose message names the account and what was expected (the invocation
is retried, then dead-lettered for a redrive once fixed). The hub image repository is not stored
per account; it is `HUB_IMAGE_REPOSITORY_PREFIX/<team>`.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any

import hcl2
import pytest
from aws_lambda_powertools.utilities.parser import parse
from model_promoter.errors import ConfigurationError, EventRejected
from model_promoter.models import (
    TEAM,
    ModelPackageStateChangeEvent,
    SourceAccounts,
    hub_image_repository,
)
from model_promoter.settings import load_settings
from promoter_world import (
    DEV,
    HUB_REPOSITORY,
    PROMOTER_ENVIRONMENT,
    UNKNOWN,
    load_event,
)
from promoter_world import (
    TEAM as WORLD_TEAM,
)

HUB_MODULE = Path(__file__).resolve().parents[3] / "modules" / "model-promotion-hub"
ACCOUNT_A = "111122223333"
ACCOUNT_B = "444455556666"


def _accounts(count: int) -> list[str]:
    return [f"{100000000000 + n:012d}" for n in range(count)]


def _terraform_jsonencode(value: dict[str, str]) -> str:
    """What the module's jsonencode() writes for a map of plain strings: minified, sorted."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


# -- parsing ------------------------------------------------------------------------------------


def test_valid_map_gives_each_account_its_team():
    accounts = SourceAccounts.from_json(json.dumps({ACCOUNT_A: "team-a", ACCOUNT_B: "fraud2"}))
    assert len(accounts) == 2
    assert accounts.team(ACCOUNT_A) == "team-a"
    assert accounts.team(ACCOUNT_B) == "fraud2"
    assert accounts.team(UNKNOWN) is None


@pytest.mark.parametrize("team", ["ab", "team-a", "a" + "b" * 30 + "c", "t0-1"])
def test_team_names_the_module_accepts_are_accepted(team):
    assert SourceAccounts.from_json(json.dumps({ACCOUNT_A: team})).team(ACCOUNT_A) == team


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("not json", "not valid JSON"),
        (
            '["111122223333"]',
            'expected a JSON object {"<dev account id>": "<team>", ...}, got an array',
        ),
        ('"team-a"', "got a string"),
        ("{}", "the map is empty"),
        ('{"1234": "team-a"}', "key '1234' is not a 12-digit account id"),
        ('{"11112222333a": "team-a"}', "key '11112222333a' is not a 12-digit account id"),
        (
            '{"111122223333": {"team": "team-a", "image_repository": "mlgov-promoted/team-a"}}',
            "account 111122223333: the value is an object; each value is the team name",
        ),
        ('{"111122223333": 7}', "account 111122223333: team must be a string, got a number"),
        ('{"111122223333": null}', "team must be a string, got null"),
        ('{"111122223333": "a"}', "account 111122223333: team 'a' must be 2-32 lowercase"),
        ('{"111122223333": "Team-A"}', "team 'Team-A' must be 2-32"),
        ('{"111122223333": "1team"}', "team '1team' must be 2-32"),
        ('{"111122223333": "team-"}', "team 'team-' must be 2-32"),
        ('{"111122223333": "team/a"}', "team 'team/a' must be 2-32"),
        ('{"111122223333": "' + "t" * 33 + '"}', "must be 2-32"),
        ('{"111122223333": "team-a", "111122223333": "team-b"}', "'111122223333' appears more"),
    ],
)
def test_malformed_map_is_refused_with_a_message_naming_the_problem(value, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        SourceAccounts.from_json(value)


def test_every_problem_is_reported_at_once():
    value = json.dumps({"12": "team-a", ACCOUNT_A: "Bad", ACCOUNT_B: "fine"})
    with pytest.raises(ValueError) as caught:
        SourceAccounts.from_json(value)
    problems = str(caught.value).split("; ")
    assert problems == [
        "key '12' is not a 12-digit account id",
        f"account {ACCOUNT_A}: team 'Bad' must be 2-32 lowercase letters, digits or '-', "
        "starting with a letter and ending with a letter or digit",
    ]


# -- size ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("team_length", "expected"), [(8, 2_601), (32, 5_001)])
def test_hundred_accounts_fit_the_advanced_tier_and_parse(team_length, expected):
    """The module's formula N * (18 + len(team)) + 1, on the value the Lambda actually reads."""
    teams = {
        account: f"t{n:03d}".ljust(team_length, "x") for n, account in enumerate(_accounts(100))
    }
    value = _terraform_jsonencode(teams)
    assert len(value) == expected == 100 * (18 + team_length) + 1
    assert len(value) <= 8_192
    accounts = SourceAccounts.from_json(value)
    assert len(accounts) == 100
    assert all(accounts.team(account) == team for account, team in teams.items())


# -- repository derivation ----------------------------------------------------------------------


def test_hub_image_repository_is_prefix_slash_team():
    assert hub_image_repository("mlgov-promoted", "team-a") == "mlgov-promoted/team-a"
    assert hub_image_repository("org/ml-promoted", "fraud") == "org/ml-promoted/fraud"


def _event() -> ModelPackageStateChangeEvent:
    return parse(load_event("sagemaker_model_package_approved.json"), ModelPackageStateChangeEvent)


def test_request_takes_the_team_from_the_map_and_the_repository_from_the_prefix(
    world, handler, runtime
):
    from model_promoter.promotion import resolve_request

    request = resolve_request(_event(), runtime)
    assert request.source_account == DEV
    assert request.team == WORLD_TEAM
    assert request.hub_image_repository == HUB_REPOSITORY == f"mlgov-promoted/{WORLD_TEAM}"

    other = dataclasses.replace(
        runtime,
        settings=dataclasses.replace(
            runtime.settings, hub_image_repository_prefix="platform/ml-promoted"
        ),
    )
    assert resolve_request(_event(), other).hub_image_repository == (
        f"platform/ml-promoted/{WORLD_TEAM}"
    )


def test_account_missing_from_the_map_is_rejected(world, handler, runtime):
    from model_promoter.promotion import resolve_request

    world.hub.client("ssm").put_parameter(
        Name=world.settings.source_accounts_parameter,
        Value=json.dumps({UNKNOWN: WORLD_TEAM}),
        Type="SecureString",
        Overwrite=True,
    )
    with pytest.raises(EventRejected, match="not in the source accounts map"):
        resolve_request(_event(), runtime)


def test_malformed_parameter_is_a_configuration_error_naming_the_parameter(world, handler, runtime):
    from model_promoter.promotion import resolve_request

    parameter = world.settings.source_accounts_parameter
    world.hub.client("ssm").put_parameter(
        Name=parameter, Value=json.dumps({DEV: "Team_A"}), Type="SecureString", Overwrite=True
    )
    with pytest.raises(ConfigurationError) as caught:
        resolve_request(_event(), runtime)
    assert str(caught.value) == (
        f"SSM parameter {parameter} is not a valid source accounts map: account {DEV}: team "
        "'Team_A' must be 2-32 lowercase letters, digits or '-', starting with a letter and "
        "ending with a letter or digit"
    )


# -- the module and the Lambda agree ------------------------------------------------------------


def _validation_regexes(variable: str, argument: str) -> list[str]:
    """Patterns of `regex("<pattern>", <argument>)` in the variable's validation conditions."""
    with (HUB_MODULE / "variables.tf").open() as handle:
        document = hcl2.load(handle)
    name = f'"{variable}"'  # python-hcl2 8 keeps the label's quotes
    [body] = [block[name] for block in document["variable"] if name in block]
    conditions = " ".join(str(v["condition"]) for v in body["validation"])
    return re.findall(r'regex\("([^"]+)", ' + re.escape(argument) + r"\)", conditions)


def test_module_and_lambda_accept_the_same_team_names():
    [module_pattern] = _validation_regexes("source_accounts", "team")
    assert module_pattern == f"^{TEAM.pattern}$"


@pytest.mark.parametrize(
    "prefix",
    [
        "mlgov-promoted",
        "org/ml.platform_promoted",
        "p" * 223,
        "p" * 224,
        "mlgov-promoted/",
        "/mlgov-promoted",
        "MLGov-promoted",
        "mlgov--promoted",
        "mlgov//promoted",
        "123456789012.dkr.ecr.eu-west-1.amazonaws.com/mlgov-promoted",
    ],
)
def test_module_and_lambda_accept_the_same_repository_prefixes(prefix: str) -> None:
    [module_pattern] = _validation_regexes("image_repository_prefix", "var.image_repository_prefix")
    module_accepts = re.fullmatch(module_pattern, prefix) is not None and len(prefix) <= 223
    environment: dict[str, Any] = dict(PROMOTER_ENVIRONMENT, HUB_IMAGE_REPOSITORY_PREFIX=prefix)
    try:
        load_settings(environment)
        lambda_accepts = True
    except ConfigurationError:
        lambda_accepts = False
    assert module_accepts == lambda_accepts
