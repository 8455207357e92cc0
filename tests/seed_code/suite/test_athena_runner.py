"""preprocess.py's Athena path: assume the team's Athena role, query in its workgroup, page results.

The end-to-end test runs the script's main under moto with the Athena role in another account:
moto answers the query with the canned result registered for that account only, so the rows
come back only if the job really assumed the role. The paging and parsing of GetQueryResults,
and the exact requests (no output location: the workgroup enforces its own), are checked with
botocore's Stubber.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boto3
import pandas as pd
import pytest
import requests
from botocore.stub import Stubber
from pipelines import preprocess
from seed_env import ACCOUNT, LAKE_ACCOUNT, REGION

ATHENA_ROLE = f"arn:aws:iam::{LAKE_ACCOUNT}:role/team-a-athena"
QUERY = 'SELECT * FROM "lake_curated"."customer_churn"'
COLUMNS = [("age", "integer"), ("balance", "double"), ("plan", "varchar"), ("churned", "boolean")]


def _row(values: list[str | None]) -> dict[str, Any]:
    return {"Data": [{} if v is None else {"VarCharValue": v} for v in values]}


def _column_info() -> list[dict[str, Any]]:
    return [
        {"CatalogName": "hive", "SchemaName": "", "TableName": "", "Name": n, "Label": n, "Type": t}
        for n, t in COLUMNS
    ]


def _data_rows(count: int) -> list[list[str | None]]:
    rows: list[list[str | None]] = []
    for i in range(count):
        balance = None if i == 3 else f"{i * 1.5:.1f}"
        rows.append([str(20 + i), balance, ["basic", "pro"][i % 2], "true" if i % 4 else "false"])
    return rows


def _register_canned_result(rows: list[list[str | None]], account: str) -> None:
    """moto's documented way to give an Athena query a result (per account and region)."""
    header = [n for n, _ in COLUMNS]
    response = requests.post(
        "http://motoapi.amazonaws.com/moto-api/static/athena/query-results",
        json={
            "account_id": account,
            "region": REGION,
            "results": [
                {"rows": [_row(header)] + [_row(r) for r in rows], "column_info": _column_info()}
            ],
        },
        timeout=10,
    )
    assert response.status_code == 201


def test_the_job_queries_as_the_athena_role_in_its_workgroup(
    aws: boto3.Session, tmp_path: Path
) -> None:
    lake = preprocess.assume_role_session(
        ATHENA_ROLE, REGION, sts_client=aws.client("sts"), session_name="test-setup"
    )
    lake.client("athena").create_work_group(
        Name="team-a",
        Configuration={
            "ResultConfiguration": {"OutputLocation": "s3://team-a-athena-results/"},
            "EnforceWorkGroupConfiguration": True,
        },
    )
    _register_canned_result(_data_rows(40), LAKE_ACCOUNT)
    # The query as the pipeline stages it: one .sql file in the job's query input.
    (tmp_path / "query").mkdir()
    (tmp_path / "query" / "0123abcd.sql").write_text(QUERY)

    code = preprocess.main(
        [
            "--athena-query-dir",
            str(tmp_path / "query"),
            "--athena-workgroup",
            "team-a",
            "--athena-role-arn",
            ATHENA_ROLE,
            "--region",
            REGION,
            "--target-column",
            "churned",
            "--output-dir",
            str(tmp_path / "out"),
        ]
    )
    assert code == 0
    splits = [
        pd.read_csv(tmp_path / "out" / n / f"{n}.csv", header=None) for n in preprocess.SPLITS
    ]
    assert sum(len(s) for s in splits) == 40
    target = pd.concat(s[0] for s in splits)
    assert int(target.sum()) == 30  # "true" for 3 rows in 4
    assert splits[0].shape[1] == 1 + 2 + 2  # target, age, balance, plan one-hot (2)

    # The query ran in the Athena role's account, in the team workgroup, with no output
    # location of the job's own; nothing ran as the job's own role.
    athena = lake.client("athena")
    (execution_id,) = athena.list_query_executions()["QueryExecutionIds"]
    execution = athena.get_query_execution(QueryExecutionId=execution_id)["QueryExecution"]
    assert execution["Query"] == QUERY
    assert execution["WorkGroup"] == "team-a"
    assert "OutputLocation" not in (execution.get("ResultConfiguration") or {})
    assert aws.client("athena").list_query_executions()["QueryExecutionIds"] == []
    assert aws.client("sts").get_caller_identity()["Account"] == ACCOUNT


def _results_page(rows: list[list[str | None]], token: str | None = None) -> dict[str, Any]:
    page: dict[str, Any] = {
        "ResultSet": {
            "Rows": [_row(r) for r in rows],
            "ResultSetMetadata": {"ColumnInfo": _column_info()},
        },
        "UpdateCount": 0,
    }
    if token:
        page["NextToken"] = token
    return page


def _execution(state: str, reason: str | None = None) -> dict[str, Any]:
    status: dict[str, Any] = {"State": state}
    if reason:
        status["StateChangeReason"] = reason
    return {"QueryExecution": {"QueryExecutionId": "q-1", "Status": status}}


def test_every_result_page_is_read_and_typed() -> None:
    athena = boto3.client("athena", region_name=REGION)
    header = [n for n, _ in COLUMNS]
    with Stubber(athena) as stub:
        stub.add_response(
            "start_query_execution",
            {"QueryExecutionId": "q-1"},
            {"QueryString": QUERY, "WorkGroup": "team-a"},  # exactly: no ResultConfiguration
        )
        stub.add_response("get_query_execution", _execution("QUEUED"), {"QueryExecutionId": "q-1"})
        stub.add_response("get_query_execution", _execution("RUNNING"), {"QueryExecutionId": "q-1"})
        stub.add_response(
            "get_query_execution", _execution("SUCCEEDED"), {"QueryExecutionId": "q-1"}
        )
        stub.add_response(
            "get_query_results",
            _results_page(
                [header, ["31", "2.5", "basic", "true"], ["32", None, None, "false"]], "t2"
            ),
            {"QueryExecutionId": "q-1", "MaxResults": 1000},
        )
        stub.add_response(
            "get_query_results",
            # A later page starting with a row equal to the header is data, not a header.
            _results_page([["33", "4.0", "pro", "true"]], "t3"),
            {"QueryExecutionId": "q-1", "MaxResults": 1000, "NextToken": "t2"},
        )
        stub.add_response(
            "get_query_results",
            _results_page([["34", "-1.5", "basic", "false"]]),
            {"QueryExecutionId": "q-1", "MaxResults": 1000, "NextToken": "t3"},
        )
        sleeps: list[float] = []
        frame = preprocess.run_athena_query(
            athena, QUERY, "team-a", poll_seconds=0.5, sleep=sleeps.append
        )
        stub.assert_no_pending_responses()
    assert sleeps == [0.5, 0.5]
    assert list(frame.columns) == header
    assert frame["age"].tolist() == [31, 32, 33, 34]
    assert pd.api.types.is_integer_dtype(frame["age"])
    assert frame["balance"].tolist()[0] == 2.5 and pd.isna(frame["balance"].tolist()[1])
    assert frame["churned"].tolist() == [1, 0, 1, 0]
    assert frame["plan"].tolist() == ["basic", None, "pro", "basic"]


@pytest.mark.parametrize("state", ["FAILED", "CANCELLED"])
def test_a_failed_query_raises_with_its_reason(state: str) -> None:
    athena = boto3.client("athena", region_name=REGION)
    with Stubber(athena) as stub:
        stub.add_response("start_query_execution", {"QueryExecutionId": "q-1"})
        stub.add_response(
            "get_query_execution", _execution(state, "TABLE_NOT_FOUND: customer_churn")
        )
        with pytest.raises(RuntimeError, match=f"{state}: TABLE_NOT_FOUND: customer_churn"):
            preprocess.run_athena_query(athena, QUERY, "team-a", sleep=lambda _: None)


def test_a_query_that_never_finishes_gives_up_after_max_polls() -> None:
    athena = boto3.client("athena", region_name=REGION)
    with Stubber(athena) as stub:
        stub.add_response("start_query_execution", {"QueryExecutionId": "q-1"})
        for _ in range(3):
            stub.add_response("get_query_execution", _execution("RUNNING"))
        with pytest.raises(TimeoutError):
            preprocess.run_athena_query(athena, QUERY, "team-a", max_polls=3, sleep=lambda _: None)
        stub.assert_no_pending_responses()


def test_the_staged_query_must_be_one_sql_file(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="found 0"):
        preprocess.read_query(tmp_path)
    (tmp_path / "a.sql").write_text("SELECT 1")
    assert preprocess.read_query(tmp_path) == "SELECT 1"
    (tmp_path / "b.sql").write_text("SELECT 2")
    with pytest.raises(ValueError, match="found 2"):
        preprocess.read_query(tmp_path)


def test_the_athena_arguments_come_together() -> None:
    with pytest.raises(SystemExit):
        preprocess.parse_args(["--athena-query", QUERY, "--target-column", "churned"])
    with pytest.raises(SystemExit):
        preprocess.parse_args(["--athena-query-dir", "/q", "--target-column", "churned"])
    with pytest.raises(SystemExit):
        preprocess.parse_args(["--target-column", "churned"])  # no data source at all
