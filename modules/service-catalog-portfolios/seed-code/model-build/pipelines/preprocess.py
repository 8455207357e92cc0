"""Preprocessing job: training data in, stratified train/validation/test CSVs out.

Runs in the SageMaker scikit-learn container (python3 preprocess.py ...), one file on its own:
it imports nothing from this repository.

Input, one of:
  --input-dir DIR        every *.csv under DIR (the s3 data source; each file has a header row)
  --athena-query-dir DIR the one *.sql file under DIR (athena and feature-store data sources: the
                         pipeline stages the query in the project bucket, as SageMaker caps a
                         container argument at 256 characters); --athena-query SQL gives the
                         text itself, for runs by hand.
  The query runs with Athena as the team's Athena role: the job's role (the pipeline execution
  role) assumes --athena-role-arn, which holds the team's Lake Formation permissions, and runs
  it in --athena-workgroup, which decides where results go and how they are encrypted.

Output, under --output-dir: train/train.csv, validation/validation.csv and test/test.csv
without a header, the target (0 or 1) in the first column, as SageMaker's built-in XGBoost
reads CSV. Text feature columns are one-hot encoded; missing values are written as "nan"
(missing to XGBoost).
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from sklearn.model_selection import train_test_split

LOG = logging.getLogger("preprocess")

PROCESSING = "/opt/ml/processing"
SPLITS = ("train", "validation", "test")

_NUMERIC_ATHENA_TYPES = {
    "tinyint",
    "smallint",
    "integer",
    "int",
    "bigint",
    "float",
    "real",
    "double",
    "decimal",
}
_TRUE = {"1", "true", "t", "yes", "y"}
_FALSE = {"0", "false", "f", "no", "n"}


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------


def read_csv_dir(input_dir: Path) -> pd.DataFrame:
    """Every *.csv file under input_dir (an S3 object or prefix downloaded by SageMaker)."""
    files = sorted(p for p in input_dir.rglob("*.csv") if p.is_file())
    if not files:
        raise ValueError(f"no .csv file under {input_dir} (DATA_SOURCE_S3_URI)")
    LOG.info("reading %d CSV file(s) under %s", len(files), input_dir)
    return pd.concat([pd.read_csv(f) for f in files], ignore_index=True)


def read_query(query_dir: Path) -> str:
    """The text of the one *.sql file under query_dir (the staged query)."""
    files = sorted(p for p in query_dir.rglob("*.sql") if p.is_file())
    if len(files) != 1:
        raise ValueError(f"expected one .sql file under {query_dir}, found {len(files)}")
    return files[0].read_text(encoding="utf-8")


def assume_role_session(
    role_arn: str, region: str, *, sts_client: Any = None, session_name: str = "preprocess"
) -> Any:
    """A boto3 session with the credentials of role_arn (the team's Athena role)."""
    import boto3

    sts = sts_client or boto3.client("sts", region_name=region)
    credentials = sts.assume_role(RoleArn=role_arn, RoleSessionName=session_name)["Credentials"]
    return boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        region_name=region,
    )


def run_athena_query(
    athena: Any,
    query: str,
    workgroup: str,
    *,
    poll_seconds: float = 2.0,
    max_polls: int = 1800,
    sleep: Callable[[float], None] = time.sleep,
) -> pd.DataFrame:
    """Run query in the workgroup, wait for it and return its result as a DataFrame.

    No output location is given: the team workgroup enforces its own results bucket and
    encryption. Numeric and boolean Athena columns come back as numbers.
    """
    execution_id = athena.start_query_execution(QueryString=query, WorkGroup=workgroup)[
        "QueryExecutionId"
    ]
    LOG.info("Athena query %s started in workgroup %s", execution_id, workgroup)
    for _ in range(max_polls):
        status = athena.get_query_execution(QueryExecutionId=execution_id)["QueryExecution"][
            "Status"
        ]
        state = status["State"]
        if state == "SUCCEEDED":
            break
        if state in ("FAILED", "CANCELLED"):
            reason = status.get("StateChangeReason", "no reason given")
            raise RuntimeError(f"Athena query {execution_id} {state}: {reason}")
        sleep(poll_seconds)
    else:
        raise TimeoutError(f"Athena query {execution_id} still running after {max_polls} polls")
    return read_query_results(athena, execution_id)


def read_query_results(athena: Any, execution_id: str) -> pd.DataFrame:
    """GetQueryResults, every page; the header row Athena puts first is skipped."""
    columns: list[str] = []
    types: list[str] = []
    rows: list[list[str | None]] = []
    token: str | None = None
    first_page = True
    while True:
        request: dict[str, Any] = {"QueryExecutionId": execution_id, "MaxResults": 1000}
        if token:
            request["NextToken"] = token
        page = athena.get_query_results(**request)
        result_set = page["ResultSet"]
        if first_page:
            info = result_set["ResultSetMetadata"]["ColumnInfo"]
            columns = [c["Name"] for c in info]
            types = [c.get("Type", "varchar").lower() for c in info]
        values = [[d.get("VarCharValue") for d in r["Data"]] for r in result_set.get("Rows", [])]
        if first_page and values and values[0] == columns:
            values = values[1:]
        rows.extend(values)
        first_page = False
        token = page.get("NextToken")
        if not token:
            break
    frame = pd.DataFrame(rows, columns=columns, dtype=object)
    for column, kind in zip(columns, types, strict=True):
        if kind.split("(")[0] in _NUMERIC_ATHENA_TYPES:
            frame[column] = pd.to_numeric(frame[column])
        elif kind == "boolean":
            frame[column] = frame[column].map({"true": 1, "false": 0})
    LOG.info("Athena query %s returned %d rows", execution_id, len(frame))
    return frame


# --------------------------------------------------------------------------------------------
# Shaping and splitting
# --------------------------------------------------------------------------------------------


def binary_target(values: pd.Series, name: str) -> pd.Series:
    """The target as 0/1 integers: numbers 0 and 1, or true/false, yes/no."""
    if pd.api.types.is_bool_dtype(values):
        return values.astype(int)
    if pd.api.types.is_numeric_dtype(values):
        if set(values.unique()) <= {0, 1}:
            return values.astype(int)
    else:
        text = values.astype(str).str.strip().str.lower()
        if set(text.unique()) <= _TRUE | _FALSE:
            return text.isin(_TRUE).astype(int)
    shown = ", ".join(repr(v) for v in list(values.unique())[:5])
    raise ValueError(f"target column {name!r} must be binary (0/1 or true/false), found {shown}")


def prepare(frame: pd.DataFrame, target_column: str) -> pd.DataFrame:
    """The target first (0/1), then numeric features (text columns one-hot encoded)."""
    by_lower = {str(c).lower(): c for c in frame.columns}
    if target_column.lower() not in by_lower:
        raise ValueError(
            f"target column {target_column!r} not in the data (columns: "
            f"{', '.join(map(str, frame.columns))})"
        )
    target_name = by_lower[target_column.lower()]
    frame = frame[frame[target_name].notna()]
    target = binary_target(frame[target_name], target_name)
    features = frame.drop(columns=[target_name])
    for column in features.columns:
        if not pd.api.types.is_numeric_dtype(features[column]):
            converted = pd.to_numeric(features[column], errors="coerce")
            # A text column that is numbers (with blanks) stays one column.
            if converted.notna().sum() == features[column].notna().sum():
                features[column] = converted
    text_columns = [c for c in features.columns if not pd.api.types.is_numeric_dtype(features[c])]
    if text_columns:
        LOG.info("one-hot encoding %s", ", ".join(map(str, text_columns)))
        features = pd.get_dummies(features, columns=text_columns, dtype=float)
    if features.shape[1] == 0:
        raise ValueError("no feature column besides the target")
    return pd.concat([target.rename(target_name), features.astype(float)], axis=1)


def split(
    frame: pd.DataFrame,
    *,
    validation_fraction: float,
    test_fraction: float,
    seed: int,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Train, validation and test sets, stratified on the target (the first column)."""
    target = frame.iloc[:, 0]
    if target.nunique() < 2:
        raise ValueError("the target has a single class: nothing to learn")
    holdout = validation_fraction + test_fraction
    train, rest = train_test_split(
        frame, test_size=holdout, stratify=target, random_state=seed, shuffle=True
    )
    validation, test = train_test_split(
        rest,
        test_size=test_fraction / holdout,
        stratify=rest.iloc[:, 0],
        random_state=seed,
        shuffle=True,
    )
    return train, validation, test


def write_splits(
    output_dir: Path, train: pd.DataFrame, validation: pd.DataFrame, test: pd.DataFrame
) -> dict[str, Path]:
    """Header-less CSVs, one folder per split (the processing job's outputs)."""
    paths = {}
    for name, data in zip(SPLITS, (train, validation, test), strict=True):
        folder = output_dir / name
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.csv"
        data.to_csv(path, header=False, index=False, na_rep="nan")
        paths[name] = path
        LOG.info("%s: %d rows -> %s", name, len(data), path)
    return paths


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target-column", required=True)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--input-dir", type=Path)
    source.add_argument("--athena-query-dir", type=Path)
    source.add_argument("--athena-query")
    parser.add_argument("--athena-workgroup")
    parser.add_argument("--athena-role-arn")
    parser.add_argument("--region")
    parser.add_argument("--output-dir", type=Path, default=Path(PROCESSING))
    parser.add_argument("--validation-fraction", type=float, default=0.15)
    parser.add_argument("--test-fraction", type=float, default=0.15)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    uses_athena = args.athena_query or args.athena_query_dir
    if uses_athena and not (args.athena_workgroup and args.athena_role_arn and args.region):
        parser.error("an Athena query needs --athena-workgroup, --athena-role-arn and --region")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    args = parse_args(argv)
    if args.athena_query or args.athena_query_dir:
        query = args.athena_query or read_query(args.athena_query_dir)
        session = assume_role_session(args.athena_role_arn, args.region)
        frame = run_athena_query(session.client("athena"), query, args.athena_workgroup)
    else:
        frame = read_csv_dir(args.input_dir)
    prepared = prepare(frame, args.target_column)
    train, validation, test = split(
        prepared,
        validation_fraction=args.validation_fraction,
        test_fraction=args.test_fraction,
        seed=args.seed,
    )
    write_splits(args.output_dir, train, validation, test)
    return 0


if __name__ == "__main__":
    sys.exit(main())
