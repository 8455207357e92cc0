"""pipelines/run_pipeline.py: what the build runs, against moto's SageMaker."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from pipelines import run_pipeline
from seed_env import ACCOUNT, REGION, environ_for

MODEL_BUILD = Path(run_pipeline.__file__).resolve().parents[1]


def _prepare(aws: boto3.Session, environ: dict[str, str]) -> None:
    aws.client("s3").create_bucket(
        Bucket=environ["ARTIFACT_BUCKET"],
        CreateBucketConfiguration={"LocationConstraint": REGION},
    )


def _main(aws: boto3.Session, environ: dict[str, str]) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    code = run_pipeline.main([], environ=environ, boto_session=aws, stdout=stdout, stderr=stderr)
    return code, stdout.getvalue(), stderr.getvalue()


def test_upserts_and_starts_the_pipeline_with_the_feature_store_query(aws: boto3.Session) -> None:
    sagemaker = aws.client("sagemaker")
    sagemaker.create_feature_group(
        FeatureGroupName="customers",
        RecordIdentifierFeatureName="customer_id",
        EventTimeFeatureName="event_time",
        FeatureDefinitions=[
            {"FeatureName": "customer_id", "FeatureType": "String"},
            {"FeatureName": "event_time", "FeatureType": "String"},
            {"FeatureName": "tenure", "FeatureType": "Integral"},
            {"FeatureName": "churned", "FeatureType": "Integral"},
        ],
        OfflineStoreConfig={"S3StorageConfig": {"S3Uri": "s3://lake-feature-store/offline"}},
        RoleArn=f"arn:aws:iam::{ACCOUNT}:role/feature-store",
    )
    table = sagemaker.describe_feature_group(FeatureGroupName="customers")["OfflineStoreConfig"][
        "DataCatalogConfig"
    ]["TableName"]
    # moto looks groups up by name only; a shared group's ARN is covered in test_queries.py.
    environ = environ_for("feature-store", FEATURE_GROUP_NAME="customers")
    _prepare(aws, environ)

    code, out, err = _main(aws, environ)
    assert code == 0, err
    arn = out.strip()
    assert arn.startswith(
        f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:pipeline/{environ['SAGEMAKER_PIPELINE_NAME']}/execution/"
    )

    described = sagemaker.describe_pipeline(PipelineName=environ["SAGEMAKER_PIPELINE_NAME"])
    assert described["RoleArn"] == environ["PIPELINE_EXECUTION_ROLE_ARN"]
    definition = json.loads(described["PipelineDefinition"])
    parameters = {p["Name"]: p for p in definition["Parameters"]}
    bucket, key = parameters["AthenaQueryUri"]["DefaultValue"].removeprefix("s3://").split("/", 1)
    query = aws.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read().decode()
    assert f'FROM "lake_feature_store"."{table}"' in query
    assert query.startswith('SELECT "tenure", "churned" FROM (')
    tags = sagemaker.list_tags(ResourceArn=described["PipelineArn"])["Tags"]
    assert {"Key": "sagemaker:project-name", "Value": "churn"} in tags
    assert {"Key": "sagemaker:project-id", "Value": "p-abcdefghijkl"} in tags

    # A second push: the same pipeline is updated and started again.
    code, out, err = _main(aws, environ)
    assert code == 0, err
    executions = sagemaker.list_pipeline_executions(
        PipelineName=environ["SAGEMAKER_PIPELINE_NAME"]
    )["PipelineExecutionSummaries"]
    assert len(executions) == 2
    assert len(sagemaker.list_pipelines()["PipelineSummaries"]) == 1


@pytest.mark.parametrize("kind", ["s3", "athena"])
def test_the_other_kinds_start_too(aws: boto3.Session, kind: str) -> None:
    environ = environ_for(kind)
    _prepare(aws, environ)
    code, out, err = _main(aws, environ)
    assert code == 0, err
    assert ":pipeline/team-a-churn/execution/" in out
    described = aws.client("sagemaker").describe_pipeline(
        PipelineName=environ["SAGEMAKER_PIPELINE_NAME"]
    )
    parameters = {p["Name"] for p in json.loads(described["PipelineDefinition"])["Parameters"]}
    assert ("InputDataUri" if kind == "s3" else "AthenaQueryUri") in parameters


def test_a_wrong_environment_exits_2_naming_every_problem_and_creates_nothing(
    aws: boto3.Session,
) -> None:
    environ = environ_for("athena", ATHENA_TABLE=None, KMS_KEY_ARN="not-a-key")
    code, out, err = _main(aws, environ)
    assert code == 2
    assert out == ""
    assert "ATHENA_TABLE" in err and "KMS_KEY_ARN" in err
    assert aws.client("sagemaker").list_pipelines()["PipelineSummaries"] == []


def test_a_target_that_is_not_a_feature_exits_2(aws: boto3.Session) -> None:
    aws.client("sagemaker").create_feature_group(
        FeatureGroupName="customers",
        RecordIdentifierFeatureName="customer_id",
        EventTimeFeatureName="event_time",
        FeatureDefinitions=[
            {"FeatureName": "customer_id", "FeatureType": "String"},
            {"FeatureName": "event_time", "FeatureType": "String"},
            {"FeatureName": "tenure", "FeatureType": "Integral"},
        ],
        OfflineStoreConfig={"S3StorageConfig": {"S3Uri": "s3://lake-feature-store/offline"}},
        RoleArn=f"arn:aws:iam::{ACCOUNT}:role/feature-store",
    )
    environ = environ_for("feature-store", FEATURE_GROUP_NAME="customers")
    _prepare(aws, environ)
    code, _, err = _main(aws, environ)
    assert code == 2
    assert "'churned' is not a feature" in err


def test_the_build_command_reports_a_wrong_environment() -> None:
    """`python -m pipelines.run_pipeline` from the repository root, as the buildspec runs it."""
    result = subprocess.run(
        [sys.executable, "-m", "pipelines.run_pipeline"],
        cwd=MODEL_BUILD,
        # CodeBuild sets the region (the SDK creates clients at import); no other variable here.
        env={
            "PATH": "/usr/bin:/bin",
            "AWS_DEFAULT_REGION": REGION,
            "AWS_EC2_METADATA_DISABLED": "true",
            "PYTHONDONTWRITEBYTECODE": "1",
            "DATA_SOURCE_KIND": "s3",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert "missing: SAGEMAKER_PROJECT_NAME" in result.stderr
    assert "DATA_SOURCE_S3_URI" in result.stderr
