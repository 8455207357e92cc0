"""Values of the typed parameters that the form must accept, and must reject (with why)."""

from __future__ import annotations

ACCEPTED = {
    "SageMakerProjectName": ["churn", "a" * 32, "churn-model-v2", "a--b", "x1"],
    "SageMakerProjectId": ["p-abcdef123456", "p-000000000000"],
    "RepositoryFullName": [
        "example-org/churn-model",
        "Example.Org/repo_name.git-mirror",
        "group/subgroup/project",
    ],
    "BranchName": ["main", "feature/new-split", "release-1.0", "dev_2"],
    "TargetColumn": ["churned", "label_1", "a" * 128],
    "MetricThreshold": ["0", "1", "0.75"],
    "DataSourceS3Uri": [
        "s3://mlgov-team-a-data-222222222222-eu-west-1/churn/train.csv",
        "s3://abc/",
        "s3://my.bucket-1/prefix/part=2024-01-01/",
    ],
    "AthenaDatabase": ["lake_sales", "a" * 128],
    "AthenaTable": ["customer_churn", "t2024"],
    "FeatureGroupName": [
        "customer-profile",
        "customer_profile_v2",
        "a" * 64,
        "arn:aws:sagemaker:eu-west-1:333333333333:feature-group/customer-profile",
        "arn:aws-us-gov:sagemaker:us-gov-west-1:333333333333:feature-group/" + "a" * 64,
    ],
    "FeatureStoreDatabase": ["lake_feature_store"],
}
REJECTED = {
    "SageMakerProjectName": [
        "a" * 33,  # too long: the names derived from it would pass AWS limits
        "",
        "Churn",  # upper case: SageMaker writes the name lower case in ARNs (group policy)
        "1churn",
        "churn-",
        "-churn",
        "churn_model",
        "churn model",
    ],
    "SageMakerProjectId": ["p-abc", "p-ABCDEF123456", "abcdef123456", "p-abcdef1234567"],
    "RepositoryFullName": [
        "norepo",
        "org/",
        "/repo",
        "org//repo",
        "org/repo name",
        "org/-repo",
        "https://github.com/org/repo",
        "o/" + "r" * 199,  # 201 characters
    ],
    "BranchName": ["", "feat*", "feat?", "a..b", "-x", "x/", "/x", "a b", "a" * 101, "[main]"],
    "TargetColumn": ["", "Churned", "churn-label", "a" * 129, "col name"],
    "MetricThreshold": ["-0.01", "1.01", "2", "high"],
    "DataSourceS3Uri": [
        "https://bucket.s3.amazonaws.com/key",
        "s3://bucket",
        "s3://ab/key",
        "s3://My_Bucket/key",
        "s3://bucket/key with space",
        "s3://" + "b" * 64 + "/key",
        "s3://bucket/" + "k" * 1020,
    ],
    "AthenaDatabase": ["", "Lake_Sales", "lake-sales", "a" * 129, "lake.sales"],
    "AthenaTable": ["", "Customer", "customer-churn", "a" * 129],
    "FeatureGroupName": [
        "",
        "customer-",
        "-customer",
        "a" * 65,
        "customer profile",
        "arn:aws:sagemaker:eu-west-1:3333:feature-group/customer",
        "arn:aws:s3:::bucket/customer",
    ],
    "FeatureStoreDatabase": ["", "Lake_Feature_Store", "lake-feature-store"],
}
