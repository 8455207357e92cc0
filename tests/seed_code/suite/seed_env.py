"""The example project of the seed code suite: the variables a project template would set."""

from __future__ import annotations

REGION = "eu-west-1"
ACCOUNT = "123456789012"  # moto's default account: the team's ML dev account here
LAKE_ACCOUNT = "111111111111"  # where the Athena role lives in the Athena tests

KINDS = ("s3", "athena", "feature-store")

COMMON_ENV = {
    "SAGEMAKER_PROJECT_NAME": "churn",
    "SAGEMAKER_PROJECT_ID": "p-abcdefghijkl",
    "SAGEMAKER_PIPELINE_NAME": "team-a-churn",
    "MODEL_PACKAGE_GROUP_NAME": "team-a-churn",
    "PIPELINE_EXECUTION_ROLE_ARN": f"arn:aws:iam::{ACCOUNT}:role/team-a-pipeline-execution",
    "ARTIFACT_BUCKET": f"team-a-project-p-abcdefghijkl-{ACCOUNT}",
    "KMS_KEY_ARN": f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "SUBNET_IDS": "subnet-0a1b2c3d4e5f60718,subnet-0a1b2c3d4e5f60719",
    "SECURITY_GROUP_IDS": "sg-0a1b2c3d4e5f60718",
    "TARGET_COLUMN": "churned",
    "METRIC_THRESHOLD": "0.75",
}
KIND_ENV = {
    "s3": {"DATA_SOURCE_S3_URI": "s3://team-a-data/churn/train/"},
    "athena": {
        "ATHENA_DATABASE": "lake_curated",
        "ATHENA_TABLE": "customer_churn",
        "ATHENA_WORKGROUP": "team-a",
        "ATHENA_ROLE_ARN": f"arn:aws:iam::{ACCOUNT}:role/team-a-athena",
    },
    "feature-store": {
        "FEATURE_GROUP_NAME": f"arn:aws:sagemaker:{REGION}:{LAKE_ACCOUNT}:feature-group/customers",
        "FEATURE_STORE_DATABASE": "lake_feature_store",
        "ATHENA_WORKGROUP": "team-a",
        "ATHENA_ROLE_ARN": f"arn:aws:iam::{ACCOUNT}:role/team-a-athena",
    },
}


def environ_for(kind: str, **overrides: str | None) -> dict[str, str]:
    """The variables the project template sets for kind; None in overrides removes one."""
    env = {**COMMON_ENV, "DATA_SOURCE_KIND": kind, **KIND_ENV[kind]}
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env
