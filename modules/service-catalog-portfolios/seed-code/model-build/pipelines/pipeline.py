"""The project's SageMaker pipeline: preprocess -> train -> evaluate -> (AUC >= threshold) register.

    Preprocess (scikit-learn container, preprocess.py)
      -> Train (built-in XGBoost, binary:logistic, eval_metric auc)
      -> Evaluate (XGBoost container, evaluate.py, evaluation.json as a property file)
      -> CheckAuc: auc >= MetricThreshold ? RegisterModel : AucBelowThreshold (fail)

Every job runs as the pipeline execution role inside the team VPC (the domain is VPC-only and
IAM denies SageMaker jobs without the team's subnets and security groups), encrypts its volume
and its outputs with the team KMS key and writes under s3://<ARTIFACT_BUCKET>/<pipeline name>/.
Jobs that need no network of their own (training, evaluation) also run network-isolated: the
platform still moves their S3 inputs and outputs through the VPC.

Built with the SageMaker Python SDK v3 (sagemaker-core, sagemaker-train, sagemaker-serve,
sagemaker-mlops).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import boto3
from sagemaker.core import image_uris
from sagemaker.core.helper.pipeline_variable import PipelineVariable
from sagemaker.core.model_metrics import MetricsSource, ModelMetrics
from sagemaker.core.network import NetworkConfig
from sagemaker.core.processing import ScriptProcessor
from sagemaker.core.shapes import (
    ProcessingInput,
    ProcessingOutput,
    ProcessingS3Input,
    ProcessingS3Output,
    StoppingCondition,
)
from sagemaker.core.training.configs import Compute, InputData, Networking, OutputDataConfig
from sagemaker.core.workflow.conditions import ConditionGreaterThanOrEqualTo
from sagemaker.core.workflow.execution_variables import ExecutionVariables
from sagemaker.core.workflow.functions import Join, JsonGet
from sagemaker.core.workflow.parameters import (
    ParameterFloat,
    ParameterInteger,
    ParameterString,
)
from sagemaker.core.workflow.pipeline_context import PipelineSession
from sagemaker.core.workflow.properties import PropertyFile
from sagemaker.mlops.workflow.condition_step import ConditionStep
from sagemaker.mlops.workflow.fail_step import FailStep
from sagemaker.mlops.workflow.model_step import ModelStep
from sagemaker.mlops.workflow.pipeline import Pipeline
from sagemaker.mlops.workflow.steps import ProcessingStep, TrainingStep
from sagemaker.serve.model_builder import ModelBuilder
from sagemaker.train import ModelTrainer

from pipelines import queries
from pipelines.settings import BuildSettings

HERE = Path(__file__).resolve().parent

# Built-in containers. The tests train with the same XGBoost and scikit-learn releases
# (requirements/seed-code-tests.txt in the platform repository).
XGBOOST_VERSION = "3.2-0"
SKLEARN_VERSION = "1.9-0"
# Only used to pick the CPU image; the instance types themselves are pipeline parameters.
IMAGE_INSTANCE_TYPE = "ml.m5.xlarge"

# The hyperparameters of the built-in XGBoost algorithm (strings, as SageMaker passes them).
XGBOOST_HYPERPARAMETERS: dict[str, str] = {
    "objective": "binary:logistic",
    "eval_metric": "auc",
    "num_round": "100",
    "max_depth": "4",
    "eta": "0.2",
    "subsample": "0.8",
    "min_child_weight": "1",
    "early_stopping_rounds": "10",
}

# Step names (stable: SageMaker shows them in Studio and keys caching and lineage on them).
PREPROCESS_STEP = "Preprocess"
TRAIN_STEP = "Train"
EVALUATE_STEP = "Evaluate"
CONDITION_STEP = "CheckAuc"
REGISTER_STEP = "RegisterModel"
FAIL_STEP = "AucBelowThreshold"

# Pipeline parameter names.
PROCESSING_INSTANCE_TYPE = "ProcessingInstanceType"
PROCESSING_INSTANCE_COUNT = "ProcessingInstanceCount"
TRAINING_INSTANCE_TYPE = "TrainingInstanceType"
TRAINING_INSTANCE_COUNT = "TrainingInstanceCount"
MODEL_APPROVAL_STATUS = "ModelApprovalStatus"
METRIC_THRESHOLD = "MetricThreshold"
INPUT_DATA_URI = "InputDataUri"  # data source of the s3 kind
ATHENA_QUERY_URI = "AthenaQueryUri"  # data source of the athena and feature-store kinds

APPROVAL_STATUSES = ["PendingManualApproval", "Approved", "Rejected"]
AUC_JSON_PATH = "binary_classification_metrics.auc.value"

# Container paths (the standard /opt/ml/processing layout that the scripts default to).
PROCESSING = "/opt/ml/processing"


def pipeline_session(settings: BuildSettings, boto_session: boto3.Session) -> PipelineSession:
    """The SDK session of the build: code staged in the project bucket, no telemetry.

    The SDK's defaults config is given inline, so no config file on the machine changes what
    the build creates, and telemetry (which would leave the VPC) is off.

    The SDK's client-side role check (iam:SimulatePrincipalPolicy on the pipeline execution role,
    without any request context) is switched off for this process: the platform manages that
    role, a simulation without the jobs' VPC and KMS context can deny what the real jobs are
    allowed, and it would need IAM read access that the build role should not need.
    """
    os.environ["SAGEMAKER_VALIDATE_ROLE"] = "false"
    return PipelineSession(
        boto_session=boto_session,
        default_bucket=settings.artifact_bucket,
        sagemaker_config={
            "SchemaVersion": "1.0",
            "SageMaker": {"PythonSDK": {"Modules": {"TelemetryOptOut": True}}},
        },
    )


def default_athena_query(settings: BuildSettings) -> str:
    """The query of the athena kind: the whole table."""
    assert settings.athena_database and settings.athena_table
    return queries.table_query(settings.athena_database, settings.athena_table)


def stage_query(settings: BuildSettings, session: PipelineSession, query: str) -> str:
    """Put the query text in the project bucket (team key); return its S3 URI.

    The query reaches the job as a file, not as text: SageMaker caps each container argument
    and environment value at 256 characters (and a parameter override at 1024), and a feature
    group's query is longer. The key is the text's SHA-256, so an execution's input names the
    exact query it ran.
    """
    key = f"{settings.pipeline_name}/queries/{hashlib.sha256(query.encode()).hexdigest()}.sql"
    session.boto_session.client("s3").put_object(
        Bucket=settings.artifact_bucket,
        Key=key,
        Body=query.encode(),
        ContentType="application/sql",
        ServerSideEncryption="aws:kms",
        SSEKMSKeyId=settings.kms_key_arn,
    )
    return f"s3://{settings.artifact_bucket}/{key}"


def get_pipeline(
    settings: BuildSettings,
    session: PipelineSession,
    *,
    athena_query: str | None = None,
) -> Pipeline:
    """The pipeline definition for this project.

    `athena_query` is the query of the athena and feature-store kinds: required for
    feature-store (run_pipeline resolves it with DescribeFeatureGroup), the whole table for
    athena when omitted, unused for s3. It is staged in the project bucket (stage_query) and the
    AthenaQueryUri parameter defaults to it; the SDK stages the job scripts there too.
    """
    region = session.boto_region_name
    role = settings.pipeline_execution_role_arn
    kms = settings.kms_key_arn
    prefix = f"s3://{settings.artifact_bucket}/{settings.pipeline_name}"

    def run_uri(*parts: str) -> Join:
        """s3://<bucket>/<pipeline>/<execution id>/<parts>: each execution has its own."""
        return Join(on="/", values=[prefix, ExecutionVariables.PIPELINE_EXECUTION_ID, *parts])

    processing_instance_type = ParameterString(PROCESSING_INSTANCE_TYPE, "ml.m5.xlarge")
    processing_instance_count = ParameterInteger(PROCESSING_INSTANCE_COUNT, 1)
    training_instance_type = ParameterString(TRAINING_INSTANCE_TYPE, "ml.m5.xlarge")
    training_instance_count = ParameterInteger(TRAINING_INSTANCE_COUNT, 1)
    approval_status = ParameterString(
        MODEL_APPROVAL_STATUS, "PendingManualApproval", enum_values=APPROVAL_STATUSES
    )
    metric_threshold = ParameterFloat(METRIC_THRESHOLD, settings.metric_threshold)
    parameters = [
        processing_instance_type,
        processing_instance_count,
        training_instance_type,
        training_instance_count,
        approval_status,
        metric_threshold,
    ]

    # --- the data source: an S3 input, or a query the preprocessing job runs with Athena ---
    preprocess_inputs: list[ProcessingInput] = []
    preprocess_arguments: list[str | PipelineVariable] = ["--target-column", settings.target_column]
    if settings.data_source_kind == "s3":
        input_data_uri = ParameterString(INPUT_DATA_URI, settings.data_source_s3_uri)
        parameters.append(input_data_uri)
        preprocess_inputs.append(_s3_input("input", input_data_uri, f"{PROCESSING}/input"))
        preprocess_arguments += ["--input-dir", f"{PROCESSING}/input"]
    else:
        if athena_query is None:
            if settings.data_source_kind != "athena":
                raise ValueError(
                    "the feature-store data source needs its query (see run_pipeline.py)"
                )
            athena_query = default_athena_query(settings)
        query_uri = ParameterString(ATHENA_QUERY_URI, stage_query(settings, session, athena_query))
        parameters.append(query_uri)
        preprocess_inputs.append(_s3_input("query", query_uri, f"{PROCESSING}/query"))
        assert settings.athena_workgroup and settings.athena_role_arn
        preprocess_arguments += [
            "--athena-query-dir",
            f"{PROCESSING}/query",
            "--athena-workgroup",
            settings.athena_workgroup,
            "--athena-role-arn",
            settings.athena_role_arn,
            "--region",
            region,
        ]

    # --- preprocess ---
    sklearn_image = image_uris.retrieve(
        framework="sklearn",
        region=region,
        version=SKLEARN_VERSION,
        py_version="py3",
        instance_type=IMAGE_INSTANCE_TYPE,
        image_scope="training",
    )
    preprocessor = ScriptProcessor(
        role=role,
        image_uri=sklearn_image,
        command=["python3"],
        instance_type=processing_instance_type,
        instance_count=processing_instance_count,
        volume_kms_key=kms,
        output_kms_key=kms,
        base_job_name=f"{settings.pipeline_name}-preprocess",
        sagemaker_session=session,
        # Network: the athena kinds call STS and Athena (through the VPC's endpoints).
        network_config=_network(settings, isolated=False),
    )
    preprocess_step = ProcessingStep(
        name=PREPROCESS_STEP,
        step_args=preprocessor.run(
            code=str(HERE / "preprocess.py"),
            inputs=preprocess_inputs,
            outputs=[
                _s3_output(name, run_uri(name), f"{PROCESSING}/{name}")
                for name in ("train", "validation", "test")
            ],
            arguments=[*preprocess_arguments, "--output-dir", PROCESSING],
        ),
    )
    split_outputs = preprocess_step.properties.ProcessingOutputConfig.Outputs

    # --- train ---
    xgboost_image = image_uris.retrieve(
        framework="xgboost",
        region=region,
        version=XGBOOST_VERSION,
        py_version="py3",
        instance_type=IMAGE_INSTANCE_TYPE,
        image_scope="training",
    )
    trainer = ModelTrainer(
        training_image=xgboost_image,
        role=role,
        base_job_name=f"{settings.pipeline_name}-train",
        sagemaker_session=session,
        compute=Compute(
            instance_type=training_instance_type,
            instance_count=training_instance_count,
            volume_kms_key_id=kms,
        ),
        networking=Networking(
            subnets=list(settings.subnet_ids),
            security_group_ids=list(settings.security_group_ids),
            enable_network_isolation=True,
            enable_inter_container_traffic_encryption=True,
        ),
        output_data_config=OutputDataConfig(s3_output_path=f"{prefix}/training", kms_key_id=kms),
        stopping_condition=StoppingCondition(max_runtime_in_seconds=3600),
        hyperparameters=dict(XGBOOST_HYPERPARAMETERS),
        input_data_config=[
            InputData(
                channel_name=channel,
                data_source=split_outputs[channel].S3Output.S3Uri,
                content_type="text/csv",
            )
            for channel in ("train", "validation")
        ],
    )
    train_step = TrainingStep(name=TRAIN_STEP, step_args=trainer.train())
    model_data = train_step.properties.ModelArtifacts.S3ModelArtifacts

    # --- evaluate ---
    evaluator = ScriptProcessor(
        role=role,
        image_uri=xgboost_image,
        command=["python3"],
        instance_type=processing_instance_type,
        instance_count=1,
        volume_kms_key=kms,
        output_kms_key=kms,
        base_job_name=f"{settings.pipeline_name}-evaluate",
        sagemaker_session=session,
        network_config=_network(settings, isolated=True),
    )
    evaluation_report = PropertyFile(
        name="EvaluationReport", output_name="evaluation", path="evaluation.json"
    )
    evaluate_step = ProcessingStep(
        name=EVALUATE_STEP,
        step_args=evaluator.run(
            code=str(HERE / "evaluate.py"),
            inputs=[
                _s3_input("model", model_data, f"{PROCESSING}/model"),
                _s3_input("test", split_outputs["test"].S3Output.S3Uri, f"{PROCESSING}/test"),
            ],
            outputs=[_s3_output("evaluation", run_uri("evaluation"), f"{PROCESSING}/evaluation")],
            arguments=[
                "--model-dir",
                f"{PROCESSING}/model",
                "--test-dir",
                f"{PROCESSING}/test",
                "--output-dir",
                f"{PROCESSING}/evaluation",
            ],
        ),
        property_files=[evaluation_report],
    )

    # --- register when good enough ---
    model = ModelBuilder(
        s3_model_data_url=model_data,
        image_uri=xgboost_image,
        role_arn=role,
        sagemaker_session=session,
    )
    register_step = ModelStep(
        name=REGISTER_STEP,
        step_args=model.register(
            model_package_group_name=settings.model_package_group_name,
            content_types=["text/csv"],
            response_types=["text/csv"],
            inference_instances=["ml.m5.large", "ml.m5.xlarge"],
            transform_instances=["ml.m5.xlarge"],
            approval_status=approval_status,
            model_metrics=ModelMetrics(
                model_statistics=MetricsSource(
                    s3_uri=run_uri("evaluation", "evaluation.json"),
                    content_type="application/json",
                )
            ),
            customer_metadata_properties={
                "sagemaker-project-name": settings.project_name,
                "sagemaker-project-id": settings.project_id,
                "data-source-kind": settings.data_source_kind,
            },
        ),
    )
    auc = JsonGet(step_name=EVALUATE_STEP, property_file=evaluation_report, json_path=AUC_JSON_PATH)
    condition_step = ConditionStep(
        name=CONDITION_STEP,
        conditions=[ConditionGreaterThanOrEqualTo(left=auc, right=metric_threshold)],
        if_steps=[register_step],
        else_steps=[
            FailStep(
                name=FAIL_STEP,
                error_message=Join(
                    on=" ",
                    values=["Model not registered: AUC below the threshold", metric_threshold],
                ),
            )
        ],
    )

    return Pipeline(
        name=settings.pipeline_name,
        parameters=parameters,
        steps=[preprocess_step, train_step, evaluate_step, condition_step],
        sagemaker_session=session,
        # No automatic experiment per execution: lineage and the registry are the record.
        pipeline_experiment_config=None,
    )


def _network(settings: BuildSettings, *, isolated: bool) -> NetworkConfig:
    return NetworkConfig(
        enable_network_isolation=isolated,
        subnets=list(settings.subnet_ids),
        security_group_ids=list(settings.security_group_ids),
        encrypt_inter_container_traffic=True,
    )


def _s3_input(name: str, s3_uri: str | PipelineVariable, local_path: str) -> ProcessingInput:
    return ProcessingInput(
        input_name=name,
        s3_input=ProcessingS3Input(
            s3_uri=s3_uri,
            local_path=local_path,
            s3_data_type="S3Prefix",
            s3_input_mode="File",
            s3_data_distribution_type="FullyReplicated",
        ),
    )


def _s3_output(name: str, s3_uri: str | PipelineVariable, local_path: str) -> ProcessingOutput:
    return ProcessingOutput(
        output_name=name,
        s3_output=ProcessingS3Output(
            s3_uri=s3_uri, local_path=local_path, s3_upload_mode="EndOfJob"
        ),
    )
