"""What the project's build runs: `python -m pipelines.run_pipeline` from the repository root.

Reads the settings from the environment (the CodeBuild project's variables), resolves the
feature group's offline store table for the feature-store data source, builds the pipeline,
creates or updates it (run by the pipeline execution role, tagged with the project) and starts
an execution. Prints the execution ARN.

Exit codes: 0 started, 1 an AWS call failed, 2 the environment is wrong (the message names every
missing or invalid variable).
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping, Sequence
from typing import TextIO

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from pipelines import queries
from pipelines.pipeline import get_pipeline, pipeline_session
from pipelines.settings import BuildSettings

LOG = logging.getLogger("run_pipeline")


def project_tags(settings: BuildSettings) -> list[dict[str, str]]:
    """The tags SageMaker uses to list a resource under its project."""
    return [
        {"Key": "sagemaker:project-name", "Value": settings.project_name},
        {"Key": "sagemaker:project-id", "Value": settings.project_id},
    ]


def athena_query_for(settings: BuildSettings, boto_session: boto3.Session) -> str | None:
    """The query of the feature-store data source (None for the others: see get_pipeline)."""
    if settings.data_source_kind != "feature-store":
        return None
    assert settings.feature_group_name and settings.feature_store_database
    return queries.resolve_feature_store_query(
        boto_session.client("sagemaker"),
        feature_group_name=settings.feature_group_name,
        database=settings.feature_store_database,
        target_column=settings.target_column,
    )


def upsert_and_start(settings: BuildSettings, boto_session: boto3.Session) -> str:
    """Create or update the pipeline, start it, return the execution ARN."""
    session = pipeline_session(settings, boto_session)
    pipeline = get_pipeline(
        settings, session, athena_query=athena_query_for(settings, boto_session)
    )
    pipeline.upsert(
        role_arn=settings.pipeline_execution_role_arn,
        description=f"Model build of the SageMaker project {settings.project_name}",
        tags=project_tags(settings),
    )
    execution = pipeline.start()
    return execution.arn


def main(
    argv: Sequence[str] | None = None,
    *,
    environ: Mapping[str, str] = os.environ,
    boto_session: boto3.Session | None = None,
    stdout: TextIO = sys.stdout,
    stderr: TextIO = sys.stderr,
) -> int:
    """Entry point; arguments are for tests (the build passes none)."""
    del argv  # no options: everything comes from the environment
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = BuildSettings.from_environ(environ)
    except ValueError as error:
        print(error, file=stderr)
        return 2
    try:
        arn = upsert_and_start(settings, boto_session or boto3.Session())
    except ValueError as error:
        print(f"cannot build the pipeline: {error}", file=stderr)
        return 2
    except (ClientError, BotoCoreError) as error:
        print(f"AWS call failed: {error}", file=stderr)
        return 1
    print(arn, file=stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
