"""The Athena queries that read the training data (athena and feature-store data sources).

Names reach SQL only after a check against a strict pattern and always double-quoted, so a
database, table or feature name can neither close the quotes nor add SQL.

For a feature group the query reads the offline store's Glue table through the team's resource
link (FEATURE_STORE_DATABASE) and keeps, per record identifier, the latest record (by event time,
then by ingestion time); a record whose latest version is a deletion is left out. The offline
store's bookkeeping columns, the event time and the record identifier (an id, not a feature) are
not selected.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pipelines.settings import GLUE_NAME

# Column names of offline store tables: feature names in lower case. Hyphens are allowed in
# feature names and harmless inside double quotes.
COLUMN_NAME = re.compile(r"^[a-z0-9_][a-z0-9_-]{0,127}$")

# Columns the offline store adds to every feature group's table.
OFFLINE_STORE_COLUMNS = ("write_time", "api_invocation_time", "is_deleted")

_RANK = "mlgov_record_rank"


def quote_name(name: str) -> str:
    """A database or table name, checked and double-quoted."""
    if not GLUE_NAME.match(name):
        raise ValueError(f"not a Glue database or table name: {name!r}")
    return f'"{name}"'


def quote_column(name: str) -> str:
    """A column name (lower-cased, as Glue stores it), checked and double-quoted."""
    lowered = name.lower()
    if not COLUMN_NAME.match(lowered):
        raise ValueError(f"not a column name: {name!r}")
    return f'"{lowered}"'


def table_query(database: str, table: str) -> str:
    """Every row and column of a table."""
    return f"SELECT * FROM {quote_name(database)}.{quote_name(table)}"


def latest_records_query(
    database: str,
    table: str,
    *,
    record_identifier: str,
    event_time: str,
    features: list[str],
) -> str:
    """The latest non-deleted record per record identifier, the selected features only."""
    if not features:
        raise ValueError("no feature to select")
    selected = ", ".join(quote_column(f) for f in features)
    record_id = quote_column(record_identifier)
    order = ", ".join(
        f"{quote_column(c)} DESC" for c in (event_time, "api_invocation_time", "write_time")
    )
    source = f"{quote_name(database)}.{quote_name(table)}"
    return (
        f"SELECT {selected} FROM ("
        f"SELECT *, row_number() OVER (PARTITION BY {record_id} ORDER BY {order}) AS {_RANK} "
        f"FROM {source}"
        f") WHERE {_RANK} = 1 AND NOT {quote_column('is_deleted')}"
    )


def feature_store_query(
    description: Mapping[str, Any], *, database: str, target_column: str
) -> str:
    """The training query for a feature group, from its DescribeFeatureGroup response."""
    name = description.get("FeatureGroupName", "?")
    try:
        table = description["OfflineStoreConfig"]["DataCatalogConfig"]["TableName"]
    except KeyError:
        raise ValueError(
            f"feature group {name} has no offline store table (OfflineStoreConfig."
            "DataCatalogConfig.TableName): the training data is read from the offline store"
        ) from None
    record_identifier = description["RecordIdentifierFeatureName"]
    event_time = description["EventTimeFeatureName"]
    dropped = {c.lower() for c in (record_identifier, event_time, *OFFLINE_STORE_COLUMNS)}
    features = [
        d["FeatureName"]
        for d in description["FeatureDefinitions"]
        if d["FeatureName"].lower() not in dropped
    ]
    if target_column not in {f.lower() for f in features}:
        raise ValueError(
            f"TARGET_COLUMN {target_column!r} is not a feature of the feature group {name} "
            f"(features: {', '.join(features) or 'none'})"
        )
    return latest_records_query(
        database,
        table,
        record_identifier=record_identifier,
        event_time=event_time,
        features=features,
    )


def resolve_feature_store_query(
    sagemaker_client: Any, *, feature_group_name: str, database: str, target_column: str
) -> str:
    """Describe the (possibly shared, by ARN) feature group and build its training query."""
    description = sagemaker_client.describe_feature_group(FeatureGroupName=feature_group_name)
    return feature_store_query(description, database=database, target_column=target_column)
