"""pipelines/pipeline.py: the pipeline definition, generated offline and read as JSON.

The SDK uploads the two job scripts to the project bucket while it builds the definition, so
each definition is generated under moto (one bucket, a fixed region, fake credentials).
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws
from pipelines import pipeline as pipeline_module
from pipelines import queries
from pipelines.pipeline import get_pipeline, pipeline_session
from pipelines.settings import BuildSettings
from seed_env import KINDS, REGION, environ_for

# A realistic feature group query: longer than a container argument may be (256 characters).
FEATURE_STORE_QUERY = queries.latest_records_query(
    "lake_feature_store",
    "customers_1700000000",
    record_identifier="customer_id",
    event_time="event_time",
    features=[f"feature_{i:02d}" for i in range(40)] + ["churned"],
)
QUERIES = {
    "athena": 'SELECT * FROM "lake_curated"."customer_churn"',
    "feature-store": FEATURE_STORE_QUERY,
}
JOB_STEPS = ("Preprocess", "Train", "Evaluate")
SCRIPTS_DIR = Path(pipeline_module.__file__).parent


def _build(kind: str) -> dict[str, Any]:
    settings = BuildSettings.from_environ(environ_for(kind))
    session = boto3.Session(region_name=REGION)
    s3 = session.client("s3")
    s3.create_bucket(
        Bucket=settings.artifact_bucket,
        CreateBucketConfiguration={"LocationConstraint": REGION},
    )
    query = FEATURE_STORE_QUERY if kind == "feature-store" else None
    definition = json.loads(
        get_pipeline(settings, pipeline_session(settings, session), athena_query=query).definition()
    )
    uploads = {}
    for item in s3.list_objects_v2(Bucket=settings.artifact_bucket).get("Contents", []):
        head = s3.head_object(Bucket=settings.artifact_bucket, Key=item["Key"])
        body = s3.get_object(Bucket=settings.artifact_bucket, Key=item["Key"])["Body"].read()
        uploads[f"s3://{settings.artifact_bucket}/{item['Key']}"] = (head, body)
    return {"settings": settings, "definition": definition, "uploads": uploads}


@pytest.fixture(scope="module")
def built() -> Iterator[dict[str, dict[str, Any]]]:
    result = {}
    for kind in KINDS:
        with mock_aws():
            result[kind] = _build(kind)
    yield result


def _steps(definition: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every step by name, those inside the condition's branches included."""
    steps = {}
    for step in definition["Steps"]:
        steps[step["Name"]] = step
        for branch in ("IfSteps", "ElseSteps"):
            for inner in step.get("Arguments", {}).get(branch, []):
                steps[inner["Name"]] = inner
    return steps


def _references(value: Any) -> set[str]:
    """Names of the steps whose properties value reads ({"Get": "Steps.<name>...."})."""
    found: set[str] = set()
    if isinstance(value, dict):
        get = value.get("Get")
        if isinstance(get, str) and get.startswith("Steps."):
            found.add(get.split(".")[1])
        for key, inner in value.items():
            if key not in ("IfSteps", "ElseSteps"):
                found |= _references(inner)
    elif isinstance(value, list):
        for inner in value:
            found |= _references(inner)
    return found


def _join_parts(uri: Any) -> list[Any]:
    return uri["Std:Join"]["Values"]


def _parameters(definition: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["Name"]: p for p in definition["Parameters"]}


def _argument_after(arguments: list[Any], flag: str) -> Any:
    return arguments[arguments.index(flag) + 1]


# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_steps_names_types_and_order(built: dict, kind: str) -> None:
    definition = built[kind]["definition"]
    assert [(s["Name"], s["Type"]) for s in definition["Steps"]] == [
        ("Preprocess", "Processing"),
        ("Train", "Training"),
        ("Evaluate", "Processing"),
        ("CheckAuc", "Condition"),
    ]
    condition = definition["Steps"][3]["Arguments"]
    assert [(s["Name"], s["Type"]) for s in condition["IfSteps"]] == [
        ("RegisterModel", "RegisterModel")
    ]
    assert [(s["Name"], s["Type"]) for s in condition["ElseSteps"]] == [
        ("AucBelowThreshold", "Fail")
    ]
    assert "PipelineExperimentConfig" not in definition or not definition.get(
        "PipelineExperimentConfig"
    )


@pytest.mark.parametrize("kind", KINDS)
def test_dependencies_follow_the_data(built: dict, kind: str) -> None:
    steps = _steps(built[kind]["definition"])
    dependencies = {
        name: _references(step) | set(step.get("DependsOn", [])) for name, step in steps.items()
    }
    assert dependencies == {
        "Preprocess": set(),
        "Train": {"Preprocess"},
        "Evaluate": {"Preprocess", "Train"},
        "CheckAuc": {"Evaluate"},
        "RegisterModel": {"Train"},
        "AucBelowThreshold": set(),
    }
    train = steps["Train"]["Arguments"]
    channels = {c["ChannelName"]: c for c in train["InputDataConfig"]}
    assert set(channels) == {"train", "validation"}
    for name, channel in channels.items():
        assert channel["ContentType"] == "text/csv"
        assert channel["DataSource"]["S3DataSource"]["S3Uri"] == {
            "Get": f"Steps.Preprocess.ProcessingOutputConfig.Outputs['{name}'].S3Output.S3Uri"
        }
    evaluate_inputs = {
        i["InputName"]: i["S3Input"] for i in steps["Evaluate"]["Arguments"]["ProcessingInputs"]
    }
    assert evaluate_inputs["model"]["S3Uri"] == {
        "Get": "Steps.Train.ModelArtifacts.S3ModelArtifacts"
    }
    assert evaluate_inputs["test"]["S3Uri"] == {
        "Get": "Steps.Preprocess.ProcessingOutputConfig.Outputs['test'].S3Output.S3Uri"
    }


@pytest.mark.parametrize("kind", KINDS)
def test_parameters_and_their_defaults(built: dict, kind: str) -> None:
    parameters = _parameters(built[kind]["definition"])
    source = "InputDataUri" if kind == "s3" else "AthenaQueryUri"
    assert set(parameters) == {
        "ProcessingInstanceType",
        "ProcessingInstanceCount",
        "TrainingInstanceType",
        "TrainingInstanceCount",
        "ModelApprovalStatus",
        "MetricThreshold",
        source,
    }
    assert parameters["ProcessingInstanceType"] == {
        "Name": "ProcessingInstanceType",
        "Type": "String",
        "DefaultValue": "ml.m5.xlarge",
    }
    assert parameters["TrainingInstanceCount"]["Type"] == "Integer"
    assert parameters["TrainingInstanceCount"]["DefaultValue"] == 1
    assert parameters["ProcessingInstanceCount"]["DefaultValue"] == 1
    assert parameters["ModelApprovalStatus"]["DefaultValue"] == "PendingManualApproval"
    assert parameters["MetricThreshold"]["Type"] == "Float"
    assert parameters["MetricThreshold"]["DefaultValue"] == pytest.approx(0.75)
    assert parameters[source]["Type"] == "String"
    if kind == "s3":
        assert parameters[source]["DefaultValue"] == "s3://team-a-data/churn/train/"


@pytest.mark.parametrize("kind", ["athena", "feature-store"])
def test_the_query_is_staged_in_the_project_bucket_with_the_team_key(
    built: dict, kind: str
) -> None:
    settings = built[kind]["settings"]
    uri = _parameters(built[kind]["definition"])["AthenaQueryUri"]["DefaultValue"]
    digest = hashlib.sha256(QUERIES[kind].encode()).hexdigest()
    assert uri == f"s3://{settings.artifact_bucket}/{settings.pipeline_name}/queries/{digest}.sql"
    head, body = built[kind]["uploads"][uri]
    assert body.decode() == QUERIES[kind]
    assert head["ServerSideEncryption"] == "aws:kms"
    assert head["SSEKMSKeyId"] == settings.kms_key_arn


@pytest.mark.parametrize("kind", KINDS)
def test_no_container_argument_or_environment_value_exceeds_256_characters(
    built: dict, kind: str
) -> None:
    """SageMaker's limit for each; the feature-store query alone is longer."""
    assert len(FEATURE_STORE_QUERY) > 256
    for name, step in _steps(built[kind]["definition"]).items():
        arguments = step.get("Arguments", {})
        values = list(arguments.get("AppSpecification", {}).get("ContainerArguments", []))
        values += list(arguments.get("Environment", {}).values())
        for value in values:
            assert not isinstance(value, str) or len(value) <= 256, (name, value[:80])


@pytest.mark.parametrize("kind", KINDS)
def test_the_data_source_parameter_reaches_the_preprocess_step(built: dict, kind: str) -> None:
    settings = built[kind]["settings"]
    preprocess = _steps(built[kind]["definition"])["Preprocess"]["Arguments"]
    arguments = preprocess["AppSpecification"]["ContainerArguments"]
    inputs = {i["InputName"]: i["S3Input"] for i in preprocess["ProcessingInputs"]}
    assert _argument_after(arguments, "--target-column") == "churned"
    assert _argument_after(arguments, "--output-dir") == "/opt/ml/processing"
    if kind == "s3":
        assert set(inputs) == {"code", "input"}
        assert inputs["input"]["S3Uri"] == {"Get": "Parameters.InputDataUri"}
        assert inputs["input"]["LocalPath"] == "/opt/ml/processing/input"
        assert _argument_after(arguments, "--input-dir") == "/opt/ml/processing/input"
        assert "--athena-query-dir" not in arguments
    else:
        assert set(inputs) == {"code", "query"}
        assert inputs["query"]["S3Uri"] == {"Get": "Parameters.AthenaQueryUri"}
        assert inputs["query"]["LocalPath"] == "/opt/ml/processing/query"
        assert _argument_after(arguments, "--athena-query-dir") == "/opt/ml/processing/query"
        assert _argument_after(arguments, "--athena-workgroup") == settings.athena_workgroup
        assert _argument_after(arguments, "--athena-role-arn") == settings.athena_role_arn
        assert _argument_after(arguments, "--region") == REGION
        assert "--input-dir" not in arguments
    # The outputs are where the script writes them.
    outputs = {
        o["OutputName"]: o["S3Output"] for o in preprocess["ProcessingOutputConfig"]["Outputs"]
    }
    assert {n: o["LocalPath"] for n, o in outputs.items()} == {
        n: f"/opt/ml/processing/{n}" for n in ("train", "validation", "test")
    }
    assert preprocess["AppSpecification"]["ContainerEntrypoint"] == [
        "python3",
        "/opt/ml/processing/input/code/preprocess.py",
    ]
    assert "sagemaker-scikit-learn:1.9-0" in preprocess["AppSpecification"]["ImageUri"]


@pytest.mark.parametrize("kind", KINDS)
def test_every_job_runs_in_the_vpc_with_the_team_key_and_role(built: dict, kind: str) -> None:
    settings = built[kind]["settings"]
    steps = _steps(built[kind]["definition"])
    vpc = {
        "Subnets": list(settings.subnet_ids),
        "SecurityGroupIds": list(settings.security_group_ids),
    }
    for name in ("Preprocess", "Evaluate"):
        job = steps[name]["Arguments"]
        assert job["RoleArn"] == settings.pipeline_execution_role_arn, name
        assert job["NetworkConfig"]["VpcConfig"] == vpc, name
        assert job["ProcessingResources"]["ClusterConfig"]["VolumeKmsKeyId"] == settings.kms_key_arn
        assert job["ProcessingOutputConfig"]["KmsKeyId"] == settings.kms_key_arn, name
        for output in job["ProcessingOutputConfig"]["Outputs"]:
            uri = output["S3Output"]["S3Uri"]
            assert _join_parts(uri)[:2] == [
                f"s3://{settings.artifact_bucket}/{settings.pipeline_name}",
                {"Get": "Execution.PipelineExecutionId"},
            ], (name, output["OutputName"])
    assert steps["Preprocess"]["Arguments"]["NetworkConfig"]["EnableNetworkIsolation"] is False
    assert steps["Evaluate"]["Arguments"]["NetworkConfig"]["EnableNetworkIsolation"] is True

    train = steps["Train"]["Arguments"]
    assert train["RoleArn"] == settings.pipeline_execution_role_arn
    assert train["VpcConfig"] == vpc
    assert train["EnableNetworkIsolation"] is True
    assert train["ResourceConfig"]["VolumeKmsKeyId"] == settings.kms_key_arn
    assert train["OutputDataConfig"] == {
        "S3OutputPath": f"s3://{settings.artifact_bucket}/{settings.pipeline_name}/training",
        "KmsKeyId": settings.kms_key_arn,
        "CompressionType": "GZIP",
    }


@pytest.mark.parametrize("kind", KINDS)
def test_the_job_scripts_are_staged_in_the_project_bucket_encrypted(built: dict, kind: str) -> None:
    settings = built[kind]["settings"]
    steps = _steps(built[kind]["definition"])
    uploads = built[kind]["uploads"]
    for step, script in (("Preprocess", "preprocess.py"), ("Evaluate", "evaluate.py")):
        code = next(
            i["S3Input"]
            for i in steps[step]["Arguments"]["ProcessingInputs"]
            if i["InputName"] == "code"
        )
        uri = code["S3Uri"]
        assert uri.startswith(f"s3://{settings.artifact_bucket}/{settings.pipeline_name}/code/")
        head, body = uploads[uri]
        assert head["ServerSideEncryption"] == "aws:kms"
        assert head["SSEKMSKeyId"] == settings.kms_key_arn
        assert body == (SCRIPTS_DIR / script).read_bytes()


@pytest.mark.parametrize("kind", KINDS)
def test_training_uses_the_built_in_xgboost_for_binary_auc(built: dict, kind: str) -> None:
    train = _steps(built[kind]["definition"])["Train"]["Arguments"]
    assert train["AlgorithmSpecification"]["TrainingImage"].endswith("/sagemaker-xgboost:3.2-0")
    assert REGION in train["AlgorithmSpecification"]["TrainingImage"]
    assert train["HyperParameters"]["objective"] == "binary:logistic"
    assert train["HyperParameters"]["eval_metric"] == "auc"
    assert train["ResourceConfig"]["InstanceType"] == {"Get": "Parameters.TrainingInstanceType"}
    assert train["ResourceConfig"]["InstanceCount"] == {"Get": "Parameters.TrainingInstanceCount"}


@pytest.mark.parametrize("kind", KINDS)
def test_the_condition_compares_the_evaluation_auc_with_the_threshold(
    built: dict, kind: str
) -> None:
    steps = _steps(built[kind]["definition"])
    evaluate = steps["Evaluate"]
    assert evaluate["PropertyFiles"] == [
        {
            "PropertyFileName": "EvaluationReport",
            "OutputName": "evaluation",
            "FilePath": "evaluation.json",
        }
    ]
    arguments = evaluate["Arguments"]["AppSpecification"]["ContainerArguments"]
    outputs = {
        o["OutputName"]: o["S3Output"]
        for o in evaluate["Arguments"]["ProcessingOutputConfig"]["Outputs"]
    }
    assert _argument_after(arguments, "--output-dir") == outputs["evaluation"]["LocalPath"]
    assert _argument_after(arguments, "--model-dir") == "/opt/ml/processing/model"
    assert _argument_after(arguments, "--test-dir") == "/opt/ml/processing/test"
    assert steps["CheckAuc"]["Arguments"]["Conditions"] == [
        {
            "Type": "GreaterThanOrEqualTo",
            "LeftValue": {
                "Std:JsonGet": {
                    "PropertyFile": {"Get": "Steps.Evaluate.PropertyFiles.EvaluationReport"},
                    "Path": "binary_classification_metrics.auc.value",
                }
            },
            "RightValue": {"Get": "Parameters.MetricThreshold"},
        }
    ]


@pytest.mark.parametrize("kind", KINDS)
def test_register_step(built: dict, kind: str) -> None:
    settings = built[kind]["settings"]
    steps = _steps(built[kind]["definition"])
    register = steps["RegisterModel"]["Arguments"]
    assert register["ModelPackageGroupName"] == settings.model_package_group_name
    assert register["ModelApprovalStatus"] == {"Get": "Parameters.ModelApprovalStatus"}
    parameters = _parameters(built[kind]["definition"])
    assert parameters["ModelApprovalStatus"]["DefaultValue"] == "PendingManualApproval"
    spec = register["InferenceSpecification"]
    assert spec["SupportedContentTypes"] == ["text/csv"]
    assert spec["SupportedResponseMIMETypes"] == ["text/csv"]
    (container,) = spec["Containers"]
    assert container["Image"].endswith("/sagemaker-xgboost:3.2-0")
    assert container["ModelDataUrl"] == {"Get": "Steps.Train.ModelArtifacts.S3ModelArtifacts"}
    statistics = register["ModelMetrics"]["ModelQuality"]["Statistics"]
    assert statistics["ContentType"] == "application/json"
    # The very file the evaluation job writes: <its evaluation output>/evaluation.json.
    evaluation_output = next(
        o["S3Output"]["S3Uri"]
        for o in steps["Evaluate"]["Arguments"]["ProcessingOutputConfig"]["Outputs"]
        if o["OutputName"] == "evaluation"
    )
    assert _join_parts(statistics["S3Uri"]) == [*_join_parts(evaluation_output), "evaluation.json"]
    assert register["CustomerMetadataProperties"]["sagemaker-project-id"] == settings.project_id


def test_feature_store_needs_its_query(aws: boto3.Session) -> None:
    settings = BuildSettings.from_environ(environ_for("feature-store"))
    with pytest.raises(ValueError, match="feature-store data source needs its query"):
        get_pipeline(settings, pipeline_session(settings, aws))


def _sdk_modules_imported_by_the_seed_code() -> set[str]:
    modules = set()
    for path in SCRIPTS_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                modules.add(node.module)
            elif isinstance(node, ast.Import):
                modules.update(alias.name for alias in node.names)
    return {m for m in modules if m == "sagemaker" or m.startswith("sagemaker.")}


def _warns_deprecation_when_imported(module: str) -> bool:
    """True for a compatibility shim: a module-level warnings.warn(..., DeprecationWarning)."""
    spec = importlib.util.find_spec(module)
    assert spec is not None and spec.origin, module
    for node in ast.parse(Path(spec.origin).read_text()).body:
        call = node.value if isinstance(node, ast.Expr) else None
        if isinstance(call, ast.Call) and getattr(call.func, "attr", "") == "warn":
            names = [a for a in call.args if isinstance(a, ast.Name)]
            names += [k.value for k in call.keywords if isinstance(k.value, ast.Name)]
            if any(n.id == "DeprecationWarning" for n in names):
                return True
    return False


def test_the_seed_code_imports_the_v3_sdk_and_no_deprecated_shim() -> None:
    modules = _sdk_modules_imported_by_the_seed_code()
    # Pipelines, training and registration come from their v3 distributions.
    assert {
        "sagemaker.mlops.workflow.pipeline",
        "sagemaker.train",
        "sagemaker.serve.model_builder",
    } <= modules
    assert _warns_deprecation_when_imported("sagemaker.train.configs")  # the check works
    shims = sorted(m for m in modules if _warns_deprecation_when_imported(m))
    assert not shims, shims
