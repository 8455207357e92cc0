"""pipelines/queries.py: the Athena queries of the athena and feature-store data sources.

The feature-store query is built from a feature group created in moto, then run on SQLite
(window functions, double-quoted identifiers, an attached database standing in for the Glue
database) over offline-store rows with several versions and deletions per record.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from pipelines import queries
from seed_env import REGION

FEATURES = [
    ("customer_id", "String"),
    ("event_time", "Fractional"),
    ("age", "Integral"),
    ("balance", "Fractional"),
    ("Plan-Type", "String"),
    ("churned", "Integral"),
]


def _create_group(session: boto3.Session, name: str = "customers") -> dict[str, Any]:
    sagemaker = session.client("sagemaker")
    sagemaker.create_feature_group(
        FeatureGroupName=name,
        RecordIdentifierFeatureName="customer_id",
        EventTimeFeatureName="event_time",
        FeatureDefinitions=[{"FeatureName": n, "FeatureType": t} for n, t in FEATURES],
        OfflineStoreConfig={"S3StorageConfig": {"S3Uri": "s3://lake-feature-store/offline"}},
        RoleArn="arn:aws:iam::123456789012:role/feature-store",
    )
    return sagemaker.describe_feature_group(FeatureGroupName=name)


def test_table_query_quotes_both_names() -> None:
    assert queries.table_query("lake_curated", "customer_churn") == (
        'SELECT * FROM "lake_curated"."customer_churn"'
    )


@pytest.mark.parametrize(
    "name", ['churn"; DROP TABLE x; --', "Lake", "lake.curated", "", "a" * 129, "lake curated"]
)
def test_names_outside_the_pattern_never_reach_sql(name: str) -> None:
    with pytest.raises(ValueError):
        queries.table_query("lake_curated", name)
    with pytest.raises(ValueError):
        queries.table_query(name, "customer_churn")


def test_feature_store_query_from_a_described_group(aws: boto3.Session) -> None:
    description = _create_group(aws)
    table = description["OfflineStoreConfig"]["DataCatalogConfig"]["TableName"]
    query = queries.resolve_feature_store_query(
        aws.client("sagemaker"),
        feature_group_name="customers",
        database="lake_feature_store",
        target_column="churned",
    )
    assert query == (
        'SELECT "age", "balance", "plan-type", "churned" FROM ('
        'SELECT *, row_number() OVER (PARTITION BY "customer_id" ORDER BY "event_time" DESC, '
        '"api_invocation_time" DESC, "write_time" DESC) AS mlgov_record_rank '
        f'FROM "lake_feature_store"."{table}"'
        ') WHERE mlgov_record_rank = 1 AND NOT "is_deleted"'
    )


def test_a_shared_group_is_described_by_its_arn() -> None:
    """The ARN goes to DescribeFeatureGroup as is (moto only looks groups up by name)."""
    arn = f"arn:aws:sagemaker:{REGION}:111111111111:feature-group/customers"
    client = boto3.client("sagemaker", region_name=REGION)
    response = {
        "FeatureGroupArn": arn,
        "FeatureGroupName": "customers",
        "RecordIdentifierFeatureName": "customer_id",
        "EventTimeFeatureName": "event_time",
        "FeatureDefinitions": [{"FeatureName": n, "FeatureType": t} for n, t in FEATURES],
        "CreationTime": "2026-01-01T00:00:00Z",
        "OfflineStoreConfig": {
            "S3StorageConfig": {"S3Uri": "s3://lake-feature-store/offline"},
            "DataCatalogConfig": {
                "TableName": "customers_1700000000",
                "Catalog": "AwsDataCatalog",
                "Database": "sagemaker_featurestore",
            },
        },
        "NextToken": "",
    }
    with Stubber(client) as stub:
        stub.add_response("describe_feature_group", response, {"FeatureGroupName": arn})
        query = queries.resolve_feature_store_query(
            client, feature_group_name=arn, database="lake_feature_store", target_column="churned"
        )
        stub.assert_no_pending_responses()
    # The team's resource link, not the lake account's database.
    assert 'FROM "lake_feature_store"."customers_1700000000"' in query
    assert "sagemaker_featurestore" not in query


def _offline_store(database: str, table: str) -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:")
    connection.execute(f"ATTACH DATABASE ':memory:' AS {database}")
    connection.execute(
        f'CREATE TABLE {database}."{table}" (customer_id TEXT, event_time REAL, age INTEGER, '
        'balance REAL, "plan-type" TEXT, churned INTEGER, write_time TEXT, '
        "api_invocation_time TEXT, is_deleted BOOLEAN)"
    )
    rows = [
        # c1: three versions; the latest event time wins.
        ("c1", 100.0, 30, 10.0, "basic", 0, "w1", "a1", False),
        ("c1", 300.0, 32, 30.0, "premium", 1, "w3", "a3", False),
        ("c1", 200.0, 31, 20.0, "basic", 0, "w2", "a2", False),
        # c2: deleted after its last update: left out.
        ("c2", 100.0, 40, 5.0, "basic", 1, "w1", "a1", False),
        ("c2", 150.0, 40, 5.0, "basic", 1, "w2", "a2", True),
        # c3: deleted, then written again: the new record counts.
        ("c3", 100.0, 50, 1.0, "basic", 0, "w1", "a1", False),
        ("c3", 200.0, 50, 1.0, "basic", 0, "w2", "a2", True),
        ("c3", 300.0, 51, 2.0, "pro", 1, "w3", "a3", False),
        # c4: two writes with the same event time: the later ingestion wins.
        ("c4", 100.0, 60, 7.0, "basic", 0, "w1", "a1", False),
        ("c4", 100.0, 61, 8.0, "pro", 1, "w2", "a2", False),
    ]
    connection.executemany(f'INSERT INTO {database}."{table}" VALUES (?,?,?,?,?,?,?,?,?)', rows)
    return connection


def test_feature_store_query_keeps_the_latest_live_record_per_id(aws: boto3.Session) -> None:
    description = _create_group(aws)
    table = description["OfflineStoreConfig"]["DataCatalogConfig"]["TableName"]
    query = queries.feature_store_query(
        description, database="lake_feature_store", target_column="churned"
    )
    cursor = _offline_store("lake_feature_store", table).execute(query)
    columns = [c[0] for c in cursor.description]
    assert columns == ["age", "balance", "plan-type", "churned"]
    assert sorted(cursor.fetchall()) == [
        (32, 30.0, "premium", 1),  # c1 at 300
        (51, 2.0, "pro", 1),  # c3 re-created
        (61, 8.0, "pro", 1),  # c4, later ingestion
    ]


def test_the_target_must_be_a_feature(aws: boto3.Session) -> None:
    description = _create_group(aws)
    with pytest.raises(ValueError, match="'exited' is not a feature"):
        queries.feature_store_query(
            description, database="lake_feature_store", target_column="exited"
        )
    # Nor may it be the record identifier or the event time, which are not selected.
    with pytest.raises(ValueError, match="not a feature"):
        queries.feature_store_query(
            description, database="lake_feature_store", target_column="customer_id"
        )


def test_a_group_without_offline_store_is_refused() -> None:
    description = {
        "FeatureGroupName": "online_only",
        "RecordIdentifierFeatureName": "customer_id",
        "EventTimeFeatureName": "event_time",
        "FeatureDefinitions": [{"FeatureName": n, "FeatureType": t} for n, t in FEATURES],
    }
    with pytest.raises(ValueError, match="no offline store table"):
        queries.feature_store_query(
            description, database="lake_feature_store", target_column="churned"
        )


@pytest.mark.parametrize("bad", ['age" FROM x; --', "age,balance", "äge", "a b"])
def test_feature_names_are_checked_before_they_reach_sql(bad: str) -> None:
    description = {
        "FeatureGroupName": "customers",
        "RecordIdentifierFeatureName": "customer_id",
        "EventTimeFeatureName": "event_time",
        "FeatureDefinitions": [
            {"FeatureName": "customer_id", "FeatureType": "String"},
            {"FeatureName": "event_time", "FeatureType": "String"},
            {"FeatureName": bad, "FeatureType": "Integral"},
            {"FeatureName": "churned", "FeatureType": "Integral"},
        ],
        "OfflineStoreConfig": {"DataCatalogConfig": {"TableName": "customers_1700000000"}},
    }
    with pytest.raises(ValueError, match="not a column name"):
        queries.feature_store_query(
            description, database="lake_feature_store", target_column="churned"
        )
