"""Each check fails on a template that is wrong in the way the check is about.

Every mutation breaks a deep copy of a real template in one place; the named check must then
raise AssertionError. A check that passes here would pass on a broken template too.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from tests.project_templates.checks import CHECKS
from tests.project_templates.support import KINDS, load_template

Template = dict[str, Any]


def _resource(template: Template, resource_type: str) -> dict[str, Any]:
    (resource,) = [r for r in template["Resources"].values() if r["Type"] == resource_type]
    return resource["Properties"]


def _bucket(t: Template) -> dict[str, Any]:
    return _resource(t, "AWS::S3::Bucket")


def _bucket_statement(t: Template) -> dict[str, Any]:
    return _resource(t, "AWS::S3::BucketPolicy")["PolicyDocument"]["Statement"][0]


def _group_statements(t: Template) -> list[dict[str, Any]]:
    return _resource(t, "AWS::SageMaker::ModelPackageGroup")["ModelPackageGroupPolicy"]["Statement"]


def _pipeline(t: Template) -> dict[str, Any]:
    return _resource(t, "AWS::CodePipeline::Pipeline")


def _source_action(t: Template) -> dict[str, Any]:
    return _pipeline(t)["Stages"][0]["Actions"][0]


def _build(t: Template) -> dict[str, Any]:
    return _resource(t, "AWS::CodeBuild::Project")


def _env(t: Template) -> list[dict[str, Any]]:
    return _build(t)["Environment"]["EnvironmentVariables"]


def _variable(t: Template, name: str) -> dict[str, Any]:
    (variable,) = [v for v in _env(t) if v["Name"] == name]
    return variable


def _data_source_variable(t: Template) -> dict[str, Any]:
    """The first variable fed by a parameter the lead types for the data source."""
    kind = _variable(t, "DATA_SOURCE_KIND")["Value"]
    name = {"s3": "DATA_SOURCE_S3_URI", "athena": "ATHENA_TABLE"}.get(kind, "FEATURE_GROUP_NAME")
    return _variable(t, name)


def _add_iam_role(t: Template) -> None:
    t["Resources"]["ExtraRole"] = {
        "Type": "AWS::IAM::Role",
        "Properties": {"AssumeRolePolicyDocument": {}},
    }


def _add_unwired_parameter(t: Template) -> None:
    t["Parameters"]["PartitionColumn"] = {
        "Type": "String",
        "MinLength": 1,
        "MaxLength": 10,
        "AllowedPattern": "^[a-z]+$",
        "ConstraintDescription": "x",
    }


def _lengthen_project_name(t: Template) -> None:
    parameter = t["Parameters"]["SageMakerProjectName"]
    parameter["MaxLength"] = 40


def _set(path: Callable[[Template], dict[str, Any]], key: str, value: Any) -> Callable:
    def mutate(t: Template) -> None:
        path(t)[key] = value

    return mutate


def _delete(path: Callable[[Template], dict[str, Any]], key: str) -> Callable:
    def mutate(t: Template) -> None:
        del path(t)[key]

    return mutate


MUTATIONS: list[tuple[str, Callable[[Template], None], str]] = [
    (
        "bucket key disabled",
        _delete(
            lambda t: _bucket(t)["BucketEncryption"]["ServerSideEncryptionConfiguration"][0],
            "BucketKeyEnabled",
        ),
        "bucket_hardening",
    ),
    (
        "SSE-S3 instead of the team key",
        _set(
            lambda t: _bucket(t)["BucketEncryption"]["ServerSideEncryptionConfiguration"][0],
            "ServerSideEncryptionByDefault",
            {"SSEAlgorithm": "AES256"},
        ),
        "bucket_hardening",
    ),
    (
        "public policies not blocked",
        _set(lambda t: _bucket(t)["PublicAccessBlockConfiguration"], "BlockPublicPolicy", False),
        "bucket_hardening",
    ),
    (
        "ACLs enabled",
        _set(
            lambda t: _bucket(t)["OwnershipControls"]["Rules"][0],
            "ObjectOwnership",
            "BucketOwnerPreferred",
        ),
        "bucket_hardening",
    ),
    (
        "versioning suspended",
        _set(lambda t: _bucket(t)["VersioningConfiguration"], "Status", "Suspended"),
        "bucket_hardening",
    ),
    (
        "no lifecycle rule",
        _set(lambda t: _bucket(t)["LifecycleConfiguration"], "Rules", []),
        "bucket_hardening",
    ),
    (
        "TLS condition inverted",
        _set(_bucket_statement, "Condition", {"Bool": {"aws:SecureTransport": "true"}}),
        "bucket_tls_policy",
    ),
    (
        "TLS deny on the objects only",
        _set(_bucket_statement, "Resource", {"Fn::Sub": "${ProjectBucket.Arn}/*"}),
        "bucket_tls_policy",
    ),
    (
        "promoter may approve",
        _set(
            lambda t: _group_statements(t)[1],
            "Action",
            [
                "sagemaker:DescribeModelPackage",
                "sagemaker:ListModelPackages",
                "sagemaker:UpdateModelPackage",
            ],
        ),
        "model_package_group_policy",
    ),
    (
        "organization condition dropped",
        _delete(lambda t: _group_statements(t)[0], "Condition"),
        "model_package_group_policy",
    ),
    (
        "group readable by anyone",
        _set(lambda t: _group_statements(t)[0], "Principal", {"AWS": "*"}),
        "model_package_group_policy",
    ),
    (
        "packages of every group",
        _set(
            lambda t: _group_statements(t)[1],
            "Resource",
            {"Fn::Sub": "arn:${AWS::Partition}:sagemaker:${AWS::Region}:${AWS::AccountId}:*"},
        ),
        "model_package_group_policy",
    ),
    (
        "bucket readable cross-account",
        lambda t: _resource(t, "AWS::S3::BucketPolicy")["PolicyDocument"]["Statement"].append(
            {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::999999999999:root"},
                "Action": "s3:GetObject",
                "Resource": "*",
            }
        ),
        "only_promoter_is_granted",
    ),
    ("V1 pipeline", _set(_pipeline, "PipelineType", "V1"), "code_pipeline"),
    (
        "CodeCommit source",
        _set(
            _source_action,
            "ActionTypeId",
            {"Category": "Source", "Owner": "AWS", "Provider": "CodeCommit", "Version": "1"},
        ),
        "no_codecommit",
    ),
    (
        "trigger on a fixed branch",
        _set(
            _pipeline,
            "Triggers",
            [
                {
                    "ProviderType": "CodeStarSourceConnection",
                    "GitConfiguration": {
                        "SourceActionName": "Checkout",
                        "Push": [{"Branches": {"Includes": ["main"]}}],
                    },
                }
            ],
        ),
        "code_pipeline",
    ),
    ("no trigger", _delete(_pipeline, "Triggers"), "code_pipeline"),
    (
        "artifacts without the team key",
        _delete(lambda t: _pipeline(t)["ArtifactStore"], "EncryptionKey"),
        "code_pipeline",
    ),
    (
        "repository chooses the branch",
        _set(lambda t: _source_action(t)["Configuration"], "BranchName", "main"),
        "code_pipeline",
    ),
    (
        "buildspec from the repository",
        _set(lambda t: _build(t)["Source"], "BuildSpec", "buildspec.yml"),
        "build_project",
    ),
    (
        "buildspec runs a repository script",
        _set(
            lambda t: _build(t)["Source"],
            "BuildSpec",
            "version: 0.2\nphases:\n  install:\n    commands:\n"
            "      - python -m pip install -r requirements.txt\n"
            "  build:\n    commands:\n      - bash ./build.sh\n"
            "      - python -m pipelines.run_pipeline\n",
        ),
        "build_project",
    ),
    (
        "build runs as the pipeline role",
        _set(_build, "ServiceRole", {"Ref": "ProjectPipelineRoleArn"}),
        "build_project",
    ),
    (
        "a contract variable missing",
        lambda t: _env(t).remove(_variable(t, "TARGET_COLUMN")),
        "build_variables_match_contract",
    ),
    (
        "a variable outside the contract",
        lambda t: _env(t).append({"Name": "EXTRA", "Value": "x"}),
        "build_variables_match_contract",
    ),
    (
        "wrong data source kind",
        lambda t: _variable(t, "DATA_SOURCE_KIND").update(Value="s4"),
        "build_variable_values",
    ),
    (
        "data source variable fed by another parameter",
        lambda t: _data_source_variable(t).update(Value={"Ref": "TargetColumn"}),
        "typed_parameters_reach_variables",
    ),
    (
        "data source variable hard-coded",
        lambda t: _data_source_variable(t).update(Value="fixed"),
        "typed_parameters_reach_variables",
    ),
    (
        "typed parameter reaching nothing",
        _add_unwired_parameter,
        "typed_parameters_reach_variables",
    ),
    (
        "SSM default renamed",
        lambda t: t["Parameters"]["KmsKeyArn"].update(Default="/mlgov/team/kms-key-arn"),
        "ssm_parameters",
    ),
    (
        "subnets read as one string",
        lambda t: t["Parameters"]["SubnetIds"].update(Type="AWS::SSM::Parameter::Value<String>"),
        "ssm_parameters",
    ),
    ("an IAM role created", _add_iam_role, "resource_types"),
    (
        "project tag missing",
        lambda t: _pipeline(t)["Tags"].pop(),
        "project_tags",
    ),
    (
        "bucket name without the team prefix",
        _set(_bucket, "BucketName", {"Fn::Sub": "project-${SageMakerProjectId}-${AWS::AccountId}"}),
        "names_start_with_team",
    ),
    (
        "bucket name with the project name",
        _set(
            _bucket,
            "BucketName",
            {"Fn::Sub": "${TeamName}-${SageMakerProjectName}-${SageMakerProjectId}"},
        ),
        "longest_names_fit_aws_limits",
    ),
    ("project name up to 40", _lengthen_project_name, "name_arithmetic"),
    ("project name up to 40 (resolved)", _lengthen_project_name, "longest_names_fit_aws_limits"),
    (
        "output names another group",
        lambda t: t["Outputs"]["ModelPackageGroupName"].update(Value="x"),
        "outputs",
    ),
]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("mutate", "check"),
    [pytest.param(mutate, check, id=what) for what, mutate, check in MUTATIONS],
)
def test_check_fails_on_broken_template(
    kind: str, mutate: Callable[[Template], None], check: str
) -> None:
    template = copy.deepcopy(load_template(kind))
    CHECKS[check](template, kind)  # the real template passes ...
    mutate(template)
    with pytest.raises(AssertionError):
        CHECKS[check](template, kind)  # ... the broken one does not


def test_every_check_is_exercised() -> None:
    missing = set(CHECKS) - {check for _, _, check in MUTATIONS}
    assert not missing, f"checks without a mutation: {sorted(missing)}"
