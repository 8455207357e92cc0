"""CodeConnections in the simulator (`platform_sandbox/gaps_codeconnections.py`).

moto has no CodeConnections; the simulator serves its own. First the API with boto3 against the
service's WSGI app served in-process (no moto patch in this process): what AWS answers, errors
included. Then, in a simulator of its own, the connections of `tests/fixtures/codeconnections`
applied by real Terraform with the `hashicorp/aws` provider (CreateConnection, the creation
waiter's GetConnection, reads with ListTagsForResource), read back with boto3, re-planned with
no change, re-tagged (TagResource/UntagResource), re-planned and destroyed (DeleteConnection and
the deletion waiter's GetConnection).
"""

from __future__ import annotations

import json
import re
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from werkzeug.serving import make_server

from platform_sandbox import gaps, simulator
from platform_sandbox import gaps_codeconnections as codeconnections
from platform_sandbox.simulator import Simulator
from platform_sandbox.terraform import Workspace, setup_terraform
from tests.terraform_support import require_terraform

PROJECT_ROOT = Path(__file__).resolve().parents[2]
FIXTURE = PROJECT_ROOT / "tests" / "fixtures" / "codeconnections"
REGION = "eu-central-1"  # the fixture's region
API_REGION = "eu-west-1"
DEFAULT_ACCOUNT = "123456789012"  # moto's account for credentials it did not issue
ARN = re.compile(
    r"arn:aws:codeconnections:(?P<region>[a-z0-9-]+):(?P<account>\d{12}):connection/"
    r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
)
TEAM_TAGS = {"mlgov:workspace": "mlgov-team-a", "mlgov:team": "team-a"}


def error_of(call: Any, **kwargs: Any) -> dict[str, Any]:
    """The error reply of a call that must fail: code, message and HTTP status."""
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    response = raised.value.response
    return {**response["Error"], "Status": response["ResponseMetadata"]["HTTPStatusCode"]}


def tags_of(client: Any, arn: str) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in client.list_tags_for_resource(ResourceArn=arn)["Tags"]}


# -- the API, in-process ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    """The CodeConnections app over plain HTTP on loopback, in a thread of this process."""
    server = make_server("127.0.0.1", 0, codeconnections.application(), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()
        codeconnections.backends().clear()


@pytest.fixture
def api(endpoint: str) -> Any:
    """A codeconnections client with no retries (a LimitExceededException would be retried)."""
    codeconnections.backends().clear()
    return boto3.client(
        "codeconnections",
        region_name=API_REGION,
        endpoint_url=endpoint,
        aws_access_key_id="api-test",
        aws_secret_access_key="api-test",
        config=Config(retries={"max_attempts": 1}),
    )


def test_a_new_connection_is_pending_in_the_callers_account_and_region(api: Any) -> None:
    created = api.create_connection(
        ConnectionName="mlgov-team-a",
        ProviderType="GitHub",
        Tags=[{"Key": "team", "Value": "a"}],
    )
    arn = created["ConnectionArn"]
    match = ARN.fullmatch(arn)
    assert match, arn
    assert (match["region"], match["account"]) == (API_REGION, DEFAULT_ACCOUNT)
    assert created["Tags"] == [{"Key": "team", "Value": "a"}]
    assert api.get_connection(ConnectionArn=arn)["Connection"] == {
        "ConnectionName": "mlgov-team-a",
        "ConnectionArn": arn,
        "ProviderType": "GitHub",
        "OwnerAccountId": DEFAULT_ACCOUNT,
        "ConnectionStatus": "PENDING",
    }
    assert "HostArn" not in api.get_connection(ConnectionArn=arn)["Connection"]


def test_a_missing_connection_is_resource_not_found(api: Any) -> None:
    arn = api.create_connection(ConnectionName="gone", ProviderType="GitLab")["ConnectionArn"]
    api.delete_connection(ConnectionArn=arn)
    unknown = arn.rsplit("/", 1)[0] + "/00000000-0000-4000-8000-000000000000"
    elsewhere = arn.replace(f":{API_REGION}:", ":us-east-1:")
    for missing in (arn, unknown, elsewhere):
        for call in (api.get_connection, api.delete_connection):
            error = error_of(call, ConnectionArn=missing)
            assert (error["Code"], error["Status"]) == ("ResourceNotFoundException", 404)
            assert missing in error["Message"]
        error = error_of(api.list_tags_for_resource, ResourceArn=missing)
        assert error["Code"] == "ResourceNotFoundException"
        error = error_of(api.tag_resource, ResourceArn=missing, Tags=[{"Key": "k", "Value": "v"}])
        assert error["Code"] == "ResourceNotFoundException"
    assert api.list_connections()["Connections"] == []


def test_an_unknown_provider_type_is_a_validation_error(api: Any) -> None:
    error = error_of(api.create_connection, ConnectionName="c", ProviderType="CodeCommit")
    assert (error["Code"], error["Status"]) == ("ValidationException", 400)
    assert error["Message"] == (
        "1 validation error detected: Value 'CodeCommit' at 'providerType' failed to satisfy "
        "constraint: Member must satisfy enum value set: [Bitbucket, GitHub, "
        "GitHubEnterpriseServer, GitLab, GitLabSelfManaged, AzureDevOps, "
        "GitHubEnterpriseCloudDataResidency]"
    )
    for provider_type in ("Bitbucket", "GitHubEnterpriseServer", "GitLabSelfManaged"):
        api.create_connection(ConnectionName=provider_type, ProviderType=provider_type)


def test_a_name_longer_than_32_characters_is_a_validation_error(api: Any) -> None:
    error = error_of(api.create_connection, ConnectionName="n" * 33, ProviderType="GitHub")
    assert (error["Code"], error["Status"]) == ("ValidationException", 400)
    assert error["Message"] == (
        f"1 validation error detected: Value '{'n' * 33}' at 'connectionName' failed to satisfy "
        "constraint: Member must have length less than or equal to 32"
    )
    api.create_connection(ConnectionName="n" * 32, ProviderType="GitHub")
    both = error_of(api.create_connection, ConnectionName="n" * 40, ProviderType="Gitea")
    assert both["Message"].startswith("2 validation errors detected: ")
    assert [c["ConnectionName"] for c in api.list_connections()["Connections"]] == ["n" * 32]


def test_malformed_arns_and_tags_are_validation_errors(api: Any) -> None:
    error = error_of(api.get_connection, ConnectionArn="arn:aws:s3:::bucket")
    assert error["Code"] == "ValidationException"
    assert (
        "at 'connectionArn' failed to satisfy constraint: Member must satisfy regular "
        in (error["Message"])
    )
    arn = api.create_connection(ConnectionName="c", ProviderType="GitHub")["ConnectionArn"]
    error = error_of(api.tag_resource, ResourceArn=arn, Tags=[{"Key": "k" * 129, "Value": "v"}])
    assert error["Code"] == "ValidationException"
    assert "at 'tags.1.member.key'" in error["Message"]


def test_a_connection_needs_a_provider_type_and_hosts_are_not_simulated(api: Any) -> None:
    error = error_of(api.create_connection, ConnectionName="c")
    assert error["Code"] == "InvalidInputException"
    host = f"arn:aws:codeconnections:{API_REGION}:{DEFAULT_ACCOUNT}:host/ghe-1234"
    error = error_of(
        api.create_connection,
        ConnectionName="c",
        ProviderType="GitHubEnterpriseServer",
        HostArn=host,
    )
    assert error["Code"] == "ResourceUnavailableException"
    assert api.list_connections(HostArnFilter=host)["Connections"] == []
    error = error_of(api.list_hosts)
    assert error["Code"] == "UnknownOperationException"


def test_list_connections_filters_by_provider_type_and_pages(api: Any) -> None:
    arns = {
        name: api.create_connection(ConnectionName=name, ProviderType=kind)["ConnectionArn"]
        for name, kind in (("a", "GitHub"), ("b", "GitLab"), ("c", "GitHub"), ("d", "Bitbucket"))
    }
    github = api.list_connections(ProviderTypeFilter="GitHub")["Connections"]
    assert [c["ConnectionArn"] for c in github] == [arns["a"], arns["c"]]
    first = api.list_connections(MaxResults=3)
    second = api.list_connections(MaxResults=3, NextToken=first["NextToken"])
    assert [c["ConnectionName"] for c in first["Connections"]] == ["a", "b", "c"]
    assert [c["ConnectionName"] for c in second["Connections"]] == ["d"]
    assert "NextToken" not in second
    error = error_of(api.list_connections, ProviderTypeFilter="Gitea")
    assert error["Code"] == "ValidationException"


def test_tags_are_added_replaced_and_removed(api: Any) -> None:
    arn = api.create_connection(
        ConnectionName="c",
        ProviderType="GitHub",
        Tags=[{"Key": "team", "Value": "a"}, {"Key": "cost", "Value": "1"}],
    )["ConnectionArn"]
    api.tag_resource(
        ResourceArn=arn, Tags=[{"Key": "team", "Value": "b"}, {"Key": "env", "Value": "dev"}]
    )
    assert tags_of(api, arn) == {"team": "b", "cost": "1", "env": "dev"}
    api.untag_resource(ResourceArn=arn, TagKeys=["cost", "never-set"])
    assert tags_of(api, arn) == {"team": "b", "env": "dev"}
    # The same connection by its CodeStar Connections ARN, as AWS answers it.
    legacy = arn.replace(":codeconnections:", ":codestar-connections:")
    assert tags_of(api, legacy) == {"team": "b", "env": "dev"}
    assert api.get_connection(ConnectionArn=legacy)["Connection"]["ConnectionArn"] == arn
    too_many = [{"Key": f"k{i}", "Value": "v"} for i in range(codeconnections.TAG_LIMIT - 1)]
    assert error_of(api.tag_resource, ResourceArn=arn, Tags=too_many)["Code"] == (
        "LimitExceededException"
    )
    assert tags_of(api, arn) == {"team": "b", "env": "dev"}


def test_an_account_holds_at_most_250_connections_per_region(api: Any) -> None:
    for index in range(codeconnections.CONNECTION_LIMIT):
        api.create_connection(ConnectionName=f"c{index}", ProviderType="GitHub")
    error = error_of(api.create_connection, ConnectionName="one-more", ProviderType="GitHub")
    assert (error["Code"], error["Status"]) == ("LimitExceededException", 429)
    listed, page = [], api.list_connections()
    while True:
        listed += page["Connections"]
        if "NextToken" not in page:
            break
        page = api.list_connections(NextToken=page["NextToken"])
    assert len(listed) == codeconnections.CONNECTION_LIMIT
    assert len({c["ConnectionArn"] for c in listed}) == len(listed)
    api.delete_connection(ConnectionArn=listed[0]["ConnectionArn"])
    api.create_connection(ConnectionName="one-more", ProviderType="GitHub")


def test_only_codeconnections_targets_are_recognized() -> None:
    assert codeconnections.operation_of("CodeConnections_20231201.GetConnection") == (
        "GetConnection"
    )
    assert codeconnections.operation_of(
        "com.amazonaws.codeconnections.CodeConnections_20231201.ListConnections"
    ) == ("ListConnections")
    for other in ("CodeStar_connections_20191201.GetConnection", "DynamoDB_20120810.GetItem", None):
        assert codeconnections.operation_of(other) is None


def test_the_gap_is_listed() -> None:
    assert "codeconnections-service" in {gap.name for gap in gaps.GAPS}
    assert "aws_codeconnections_connection" in gaps.RECORD_ONLY_RESOURCE_TYPES


# -- the simulator, and real Terraform -------------------------------------------------------


@pytest.fixture(scope="module")
def sim(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Simulator]:
    running = simulator.start(tmp_path_factory.mktemp("codeconnections-simulator"))
    try:
        yield running
    finally:
        simulator.stop(running)


def test_the_simulator_keeps_connections_per_account(sim: Simulator) -> None:
    """Routed by the request's signature, stored in the account of its credentials."""
    region = "ap-southeast-2"  # a region the Terraform tests do not use
    clients = {
        account: sim.client(sim.session(account, region), "codeconnections")
        for account in ("111111111111", "222222222222")
    }
    arn = clients["111111111111"].create_connection(
        ConnectionName="team", ProviderType="Bitbucket"
    )["ConnectionArn"]
    assert ARN.fullmatch(arn)["account"] == "111111111111"  # type: ignore[index]
    connection = clients["111111111111"].get_connection(ConnectionArn=arn)["Connection"]
    assert connection["OwnerAccountId"] == "111111111111"
    assert clients["222222222222"].list_connections()["Connections"] == []
    error = error_of(clients["222222222222"].get_connection, ConnectionArn=arn)
    assert error["Code"] == "ResourceNotFoundException"
    clients["111111111111"].delete_connection(ConnectionArn=arn)
    # The other services are still moto's.
    assert sim.client(sim.base_session(region), "sts").get_caller_identity()["Account"]


@dataclass
class AppliedConnections:
    sim: Simulator
    workspace: Workspace
    arns: dict[str, str]
    seconds: dict[str, float] = field(default_factory=dict)

    def client(self) -> Any:
        return self.sim.client(self.sim.base_session(REGION), "codeconnections")

    def set_team_tags(self, tags: dict[str, str]) -> None:
        variables = self.workspace.directory / "sandbox.auto.tfvars.json"
        variables.write_text(json.dumps({"team_tags": tags}), encoding="utf-8")


@pytest.fixture(scope="module")
def applied(sim: Simulator, tmp_path_factory: pytest.TempPathFactory) -> AppliedConnections:
    require_terraform()
    root = tmp_path_factory.mktemp("codeconnections-terraform")
    directory = root / "codeconnections"
    shutil.copytree(FIXTURE, directory, ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*"))
    workspace = setup_terraform(root / "cli", sim.environment()).workspace(directory)
    workspace.init(backend=False)
    started = time.monotonic()
    workspace.apply()
    outputs = workspace.output()
    arns = {"team": outputs["team_connection_arn"], "gitlab": outputs["gitlab_connection_arn"]}
    return AppliedConnections(sim, workspace, arns, {"apply": time.monotonic() - started})


@pytest.mark.slow  # real Terraform: about 5 s per command
def test_terraform_creates_pending_connections(applied: AppliedConnections) -> None:
    print(f"\ncodeconnections fixture: applied in {applied.seconds['apply']:.1f} s")
    client = applied.client()
    team = client.get_connection(ConnectionArn=applied.arns["team"])["Connection"]
    assert ARN.fullmatch(team["ConnectionArn"])["region"] == REGION  # type: ignore[index]
    assert team["ConnectionName"] == "mlgov-team-a"
    assert team["ProviderType"] == "GitHub"
    assert team["ConnectionStatus"] == "PENDING"
    assert team["OwnerAccountId"] == DEFAULT_ACCOUNT
    assert tags_of(client, applied.arns["team"]) == {
        "mlgov:environment": "sandbox",  # the provider's default tags
        **TEAM_TAGS,
    }
    gitlab = client.get_connection(ConnectionArn=applied.arns["gitlab"])["Connection"]
    assert (gitlab["ProviderType"], gitlab["ConnectionStatus"]) == ("GitLab", "PENDING")
    assert tags_of(client, applied.arns["gitlab"]) == {"mlgov:environment": "sandbox"}
    state = {r["address"]: r["values"] for r in applied.workspace.state_resources()}
    assert state["aws_codeconnections_connection.team"]["connection_status"] == "PENDING"
    assert state["aws_codeconnections_connection.team"]["owner_account_id"] == DEFAULT_ACCOUNT


@pytest.mark.slow
def test_a_second_plan_shows_no_changes(applied: AppliedConnections) -> None:
    changes, text = applied.workspace.plan_has_changes()
    assert not changes, text


@pytest.mark.slow
def test_a_tag_change_is_applied_in_place(applied: AppliedConnections) -> None:
    new_tags = {"mlgov:workspace": "mlgov-team-a", "mlgov:cost-center": "ml-42"}
    applied.set_team_tags(new_tags)  # one tag removed, one added
    changes, text = applied.workspace.plan_has_changes()
    assert changes
    assert "aws_codeconnections_connection.team update" in text, text
    assert "gitlab" not in text, text
    applied.workspace.apply()
    client = applied.client()
    assert tags_of(client, applied.arns["team"]) == {"mlgov:environment": "sandbox", **new_tags}
    assert applied.workspace.output()["team_connection_arn"] == applied.arns["team"]
    changes, text = applied.workspace.plan_has_changes()
    assert not changes, text


@pytest.mark.slow
def test_destroy_deletes_the_connections(applied: AppliedConnections) -> None:
    applied.workspace.destroy()
    client = applied.client()
    assert client.list_connections()["Connections"] == []
    for arn in applied.arns.values():
        error = error_of(client.get_connection, ConnectionArn=arn)
        assert error["Code"] == "ResourceNotFoundException"
