"""Target config completed from the target account's SSM parameter (the pipeline's form).

The pipeline puts only what the hub knows into MLGOV_TARGET_CONFIG (fixture
``<stage>-pipeline.json``); model-deployment-target publishes the rest as a SecureString in
the target account (fixture ``<stage>-parameter.json``). moto keeps SSM parameters per account
and hands out per-account credentials through STS AssumeRole, so the parameter is written with
the target account's session and can only be read through the assumed deploy role. moto does
not evaluate IAM or KMS key policies, so whether the deploy role may read and decrypt the
parameter is not tested here (that is the target module's policy); moto does return a
SecureString's value undecrypted unless WithDecryption is set, so a read without decryption
fails to parse here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import boto3
import hcl2
import pytest
from mlgov_testkit import (
    HUB_ACCOUNT,
    PAYLOADS,
    PIPELINE_NAME,
    PROD_ACCOUNT,
    REGION,
    REPO,
    TARGET_CONFIG_PARAMETER,
    TEST_ACCOUNT,
    CountingSessionFactory,
    account_session,
    approved_prod_execution,
    create_central_package,
    create_endpoint,
    publish_target_config,
    queue_endpoint_results,
    target_json,
)

from mlgov.cli import main
from mlgov.errors import InputError
from mlgov.target_config import (
    IDENTITY_KEYS,
    OPTIONAL_KEYS,
    PARAMETER_KEY,
    REQUIRED_KEYS,
    TargetDocument,
    load_target_document,
    merge_target_config,
)

ENDPOINT = "mlgov-team-a-churn"
PARAMETER_ORIGIN = f"SSM parameter '{TARGET_CONFIG_PARAMETER}' in test account {TEST_ACCOUNT}"


def _deploy(stage: str, arn: str, *extra: str) -> list[str]:
    return [
        "deploy",
        "--stage",
        stage,
        "--model-package-arn",
        arn,
        "--poll-seconds",
        "0.01",
        *extra,
    ]


def _no_aws(profile: str | None, region: str | None) -> boto3.Session:
    raise AssertionError("bad input must be reported before any AWS call")


def _write(tmp_path: Path, document: dict[str, Any]) -> str:
    path = tmp_path / "target.json"
    path.write_text(json.dumps(document))
    return str(path)


def _nothing_deployed(account_id: str) -> bool:
    sagemaker = account_session(account_id).client("sagemaker")
    return not sagemaker.list_models()["Models"] and not sagemaker.list_endpoints()["Endpoints"]


def test_pipeline_document_is_completed_from_the_parameter_and_deploys(
    hub_session: boto3.Session,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    published = target_json("test-parameter")
    publish_target_config(TEST_ACCOUNT, published)
    arn = create_central_package(hub_session)
    monkeypatch.setenv("MLGOV_TARGET_CONFIG", json.dumps(target_json("test-pipeline")))
    factory = CountingSessionFactory()

    code = main(_deploy("test", arn, "--json"), session_factory=factory)

    captured = capsys.readouterr()
    assert code == 0, captured.err
    result = json.loads(captured.out)
    assert result["status"] == "created"
    assert result["endpoint_name"] == ENDPOINT  # from the parameter, not derived
    assert result["target_config_parameter"] == TARGET_CONFIG_PARAMETER
    # One AssumeRole for the SSM read and the deployment together.
    assert factory.assumed_roles == [published["deploy_role_arn"]]
    assert f"target config: {PARAMETER_ORIGIN} ({REGION}) with no overrides" in captured.err

    target = account_session(TEST_ACCOUNT).client("sagemaker")
    model = target.describe_model(ModelName=result["model_name"])
    assert model["ExecutionRoleArn"] == published["execution_role_arn"]
    assert model["VpcConfig"] == {
        "SecurityGroupIds": published["security_group_ids"],
        "Subnets": published["subnet_ids"],
    }
    endpoint_config = target.describe_endpoint_config(
        EndpointConfigName=result["endpoint_config_name"]
    )
    assert endpoint_config["KmsKeyId"] == published["kms_key_arn"]
    capture = endpoint_config["DataCaptureConfig"]
    assert capture["DestinationS3Uri"] == published["data_capture_s3_uri"]
    assert target.describe_endpoint(EndpointName=ENDPOINT)["EndpointStatus"] == "InService"
    assert _nothing_deployed(HUB_ACCOUNT)


def test_document_overrides_win_and_autoscaling_is_replaced_whole(
    hub_session: boto3.Session, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    published = target_json("prod-parameter")
    publish_target_config(PROD_ACCOUNT, published)
    arn = create_central_package(hub_session)
    document = target_json("prod-pipeline")  # overrides instance_type and autoscaling

    execution = approved_prod_execution(hub_session, arn)
    code = main(
        _deploy(
            "prod",
            arn,
            "--json",
            "--target-config",
            _write(tmp_path, document),
            "--pipeline",
            PIPELINE_NAME,
            "--pipeline-execution-id",
            execution,
        ),
        session_factory=CountingSessionFactory(),
    )

    captured = capsys.readouterr()
    assert code == 0, captured.err
    result = json.loads(captured.out)
    assert "overrides from" in captured.err and "autoscaling, instance_type" in captured.err
    prod = account_session(PROD_ACCOUNT)
    variant = prod.client("sagemaker").describe_endpoint_config(
        EndpointConfigName=result["endpoint_config_name"]
    )["ProductionVariants"][0]
    assert variant["InstanceType"] == "ml.c5.2xlarge"  # the override
    assert variant["InitialInstanceCount"] == published["initial_instance_count"]
    scalable = prod.client("application-autoscaling").describe_scalable_targets(
        ServiceNamespace="sagemaker"
    )["ScalableTargets"]
    assert [(t["MinCapacity"], t["MaxCapacity"]) for t in scalable] == [(3, 5)]
    assert result["autoscaling"]["target_invocations_per_instance"] == 50.0


def _document(tmp_path: Path, stage: str, **changes: Any) -> TargetDocument:
    """The stage's pipeline document with keys changed (``_DROP`` removes one), loaded."""
    raw = target_json(f"{stage}-pipeline")
    for key, value in changes.items():
        if value is _DROP:
            raw.pop(key, None)
        else:
            raw[key] = value
    return load_target_document(_write(tmp_path, raw), expected_stage=stage)


_DROP = object()


def test_autoscaling_override_replaces_the_published_object(tmp_path: Path) -> None:
    published = target_json("prod-parameter")
    published["autoscaling"]["scale_in_cooldown_seconds"] = 900
    override = {"min_capacity": 1, "max_capacity": 2, "target_invocations_per_instance": 10}

    merged = merge_target_config(
        _document(tmp_path, "prod", autoscaling=override), published, parameter_origin="p"
    )
    disabled = merge_target_config(
        _document(tmp_path, "prod", autoscaling=None), published, parameter_origin="p"
    )
    untouched = merge_target_config(
        _document(tmp_path, "prod", autoscaling=_DROP, instance_type=_DROP),
        published,
        parameter_origin="p",
    )

    assert merged.autoscaling is not None
    assert (merged.autoscaling.min_capacity, merged.autoscaling.max_capacity) == (1, 2)
    # Replaced, not merged key by key: the published cooldown does not leak into the override.
    assert merged.autoscaling.scale_in_cooldown_seconds == 300
    assert disabled.autoscaling is None
    assert untouched.autoscaling is not None
    assert untouched.autoscaling.scale_in_cooldown_seconds == 900
    assert untouched.instance_type == published["instance_type"]
    assert untouched.target_config_parameter == TARGET_CONFIG_PARAMETER


def test_key_missing_from_both_documents_exits_2(
    hub_session: boto3.Session,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    published = target_json("test-parameter")
    del published["kms_key_arn"]
    publish_target_config(TEST_ACCOUNT, published)
    arn = create_central_package(hub_session)
    monkeypatch.setenv("MLGOV_TARGET_CONFIG", json.dumps(target_json("test-pipeline")))

    code = main(_deploy("test", arn, "--json"), session_factory=CountingSessionFactory())

    captured = capsys.readouterr()
    assert code == 2
    assert json.loads(captured.out)["status"] == "invalid_input"
    assert "missing required key 'kms_key_arn'" in captured.err
    assert f"it is in neither $MLGOV_TARGET_CONFIG nor {PARAMETER_ORIGIN}" in captured.err
    assert _nothing_deployed(TEST_ACCOUNT)


@pytest.mark.parametrize(
    ("key", "published_value"),
    [
        ("account_id", PROD_ACCOUNT),
        ("stage", "prod"),
        ("region", "eu-central-1"),
        ("deploy_role_arn", f"arn:aws:iam::{TEST_ACCOUNT}:role/other-deployer"),
    ],
)
def test_identity_mismatch_exits_2_naming_the_key_and_both_values(
    hub_session: boto3.Session,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    key: str,
    published_value: str,
) -> None:
    # E.g. the prod parameter copied into the test account, or a pipeline pointing at the
    # wrong account: nothing may be deployed.
    publish_target_config(TEST_ACCOUNT, {**target_json("test-parameter"), key: published_value})
    arn = create_central_package(hub_session)
    document = target_json("test-pipeline")
    monkeypatch.setenv("MLGOV_TARGET_CONFIG", json.dumps(document))

    code = main(_deploy("test", arn, "--json"), session_factory=CountingSessionFactory())

    captured = capsys.readouterr()
    assert code == 2
    assert f"key '{key}' differs" in captured.err
    assert repr(document[key]) in captured.err and repr(published_value) in captured.err
    failure = json.loads(captured.out)
    assert (failure["key"], failure["target_config_value"], failure["parameter_value"]) == (
        key,
        document[key],
        published_value,
    )
    assert _nothing_deployed(TEST_ACCOUNT)


def test_missing_parameter_exits_1_naming_parameter_and_account(
    hub_session: boto3.Session,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Published in prod only: the test account has no parameter (its stack is not applied).
    publish_target_config(PROD_ACCOUNT, target_json("prod-parameter"))
    arn = create_central_package(hub_session)
    monkeypatch.setenv("MLGOV_TARGET_CONFIG", json.dumps(target_json("test-pipeline")))

    code = main(_deploy("test", arn, "--json"), session_factory=CountingSessionFactory())

    captured = capsys.readouterr()
    assert code == 1
    assert f"{PARAMETER_ORIGIN} ({REGION}) does not exist" in captured.err
    failure = json.loads(captured.out)
    assert failure["status"] == "failed"
    assert failure["target_config_parameter"] == TARGET_CONFIG_PARAMETER
    assert failure["account_id"] == TEST_ACCOUNT
    assert _nothing_deployed(TEST_ACCOUNT)


def test_plain_string_parameter_is_refused(
    hub_session: boto3.Session, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A String in place of the SecureString would bypass the endpoint key's write protection.
    publish_target_config(TEST_ACCOUNT, target_json("test-parameter"), parameter_type="String")
    arn = create_central_package(hub_session)
    path = _write(tmp_path, target_json("test-pipeline"))

    code = main(
        _deploy("test", arn, "--target-config", path), session_factory=CountingSessionFactory()
    )

    assert code == 1
    assert "is a String parameter; the target config must be a SecureString" in (
        capsys.readouterr().err
    )
    assert _nothing_deployed(TEST_ACCOUNT)


def test_malformed_parameter_value_exits_2_naming_the_parameter(
    hub_session: boto3.Session, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    publish_target_config(TEST_ACCOUNT, '{"stage": "test",')
    arn = create_central_package(hub_session)
    path = _write(tmp_path, target_json("test-pipeline"))

    code = main(
        _deploy("test", arn, "--target-config", path), session_factory=CountingSessionFactory()
    )

    assert code == 2
    assert f"{PARAMETER_ORIGIN} ({REGION}): not valid JSON" in capsys.readouterr().err


def test_bad_values_name_the_document_they_came_from(tmp_path: Path) -> None:
    published = target_json("test-parameter")

    with pytest.raises(InputError) as from_document:
        merge_target_config(
            _document(tmp_path, "test", instance_type="m5.large"),
            published,
            parameter_origin="PARAM",
        )
    with pytest.raises(InputError) as from_parameter:
        merge_target_config(
            _document(tmp_path, "test"),
            {**published, "subnet_ids": ["vpc-0123"]},
            parameter_origin="PARAM",
        )
    with pytest.raises(InputError) as unknown:
        merge_target_config(
            _document(tmp_path, "test"), {**published, "subnets": []}, parameter_origin="PARAM"
        )

    assert f"key 'instance_type' (from {tmp_path / 'target.json'})" in from_document.value.message
    assert "key 'subnet_ids' (from PARAM)" in from_parameter.value.message
    assert "unknown key 'subnets' (from PARAM)" in unknown.value.message


def test_endpoint_name_override_must_match_the_published_name(tmp_path: Path) -> None:
    # The target's rollback alarms watch the published name; another name would deploy an
    # endpoint that no alarm watches.
    published = target_json("test-parameter")
    same = merge_target_config(
        _document(tmp_path, "test", endpoint_name=ENDPOINT), published, parameter_origin="PARAM"
    )
    assert same.endpoint_name == ENDPOINT

    with pytest.raises(InputError, match="key 'endpoint_name' is 'mlgov-other'"):
        merge_target_config(
            _document(tmp_path, "test", endpoint_name="mlgov-other"),
            published,
            parameter_origin="PARAM",
        )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"deploy_role_arn": _DROP}, "missing required key 'deploy_role_arn'"),
        ({"region": _DROP}, "missing required key 'region'"),
        ({"target_config_parameter": "not a name"}, "key 'target_config_parameter'"),
        ({"target_config_paramter": "/x"}, "unknown key 'target_config_paramter'"),
        ({"instance_typ": "ml.m5.large"}, "unknown key 'instance_typ'"),
        ({"stage": "prod"}, "key 'stage' is 'prod' but --stage is 'test'"),
        (
            {"deploy_role_arn": f"arn:aws:iam::{PROD_ACCOUNT}:role/mlgov-model-deployer"},
            "key 'deploy_role_arn'",
        ),
    ],
)
def test_reduced_document_errors_exit_2_before_any_aws_call(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    changes: dict[str, Any],
    message: str,
) -> None:
    raw = target_json("test-pipeline")
    for key, value in changes.items():
        if value is _DROP:
            del raw[key]
        else:
            raw[key] = value
    arn = f"arn:aws:sagemaker:{REGION}:{HUB_ACCOUNT}:model-package/team-a-churn/1"

    code = main(
        _deploy("test", arn, "--target-config", _write(tmp_path, raw)), session_factory=_no_aws
    )

    assert code == 2
    assert message in capsys.readouterr().err


def test_complete_document_still_deploys_without_reading_ssm(
    hub_session: boto3.Session,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # An operator's complete file: the parameter in the account (here with another instance
    # type) is not read, and the role is assumed once.
    publish_target_config(
        TEST_ACCOUNT, {**target_json("test-parameter"), "instance_type": "ml.c5.large"}
    )
    arn = create_central_package(hub_session)
    monkeypatch.setenv("MLGOV_TARGET_CONFIG", json.dumps(target_json("test")))
    factory = CountingSessionFactory()

    code = main(_deploy("test", arn, "--json"), session_factory=factory)

    captured = capsys.readouterr()
    assert code == 0, captured.err
    result = json.loads(captured.out)
    assert result["target_config_parameter"] is None
    assert "SSM parameter" not in captured.err
    assert len(factory.assumed_roles) == 1
    variant = (
        account_session(TEST_ACCOUNT)
        .client("sagemaker")
        .describe_endpoint_config(EndpointConfigName=result["endpoint_config_name"])[
            "ProductionVariants"
        ][0]
    )
    assert variant["InstanceType"] == "ml.m5.large"


def test_test_endpoint_reads_the_endpoint_name_from_the_parameter(
    aws: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # As the pipeline runs it: no --stage, no --endpoint-name, no MODEL_PACKAGE_ARN.
    publish_target_config(TEST_ACCOUNT, target_json("test-parameter"))
    create_endpoint(account_session(TEST_ACCOUNT), ENDPOINT, account_id=TEST_ACCOUNT)
    queue_endpoint_results(
        TEST_ACCOUNT, {"predictions": [0.5], "model_version": "3"}, {"predictions": [0.7]}
    )
    monkeypatch.setenv("MLGOV_TARGET_CONFIG", json.dumps(target_json("test-pipeline")))
    factory = CountingSessionFactory()

    code = main(
        ["test-endpoint", "--payloads", str(PAYLOADS / "json_model_pass.jsonl")],
        session_factory=factory,
    )

    out = capsys.readouterr().out
    assert code == 0, out
    assert out.startswith(f"endpoint {ENDPOINT} (test, config c): PASSED")
    assert len(factory.assumed_roles) == 1


def test_test_endpoint_with_a_missing_parameter_exits_1(
    aws: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MLGOV_TARGET_CONFIG", json.dumps(target_json("test-pipeline")))

    code = main(
        ["test-endpoint", "--payloads", str(PAYLOADS / "json_model_pass.jsonl")],
        session_factory=CountingSessionFactory(),
    )

    assert code == 1
    assert f"{PARAMETER_ORIGIN} ({REGION}) does not exist" in capsys.readouterr().err


def test_fixtures_match_what_the_modules_publish_and_pass() -> None:
    # The CLI rejects unknown keys, so every key model-deployment-target publishes and every
    # key model-deployment-pipeline may put into MLGOV_TARGET_CONFIG must be known to it.
    ssm_tf = hcl2.loads((REPO / "modules/model-deployment-target/ssm.tf").read_text())
    published_keys = set(ssm_tf["locals"][0]["target_config"])
    codebuild_tf = hcl2.loads((REPO / "modules/model-deployment-pipeline/codebuild.tf").read_text())
    reduced = codebuild_tf["locals"][0]["target_configs"]  # an expression string
    reduced_keys = set(re.findall(r"\b([a-z_]+) = ", reduced))

    assert (
        published_keys == set(target_json("test-parameter")) == set(target_json("prod-parameter"))
    )
    assert published_keys <= set(REQUIRED_KEYS + OPTIONAL_KEYS)
    assert reduced_keys == {*IDENTITY_KEYS, PARAMETER_KEY, *OVERRIDES}
    assert set(OVERRIDES) <= set(REQUIRED_KEYS + OPTIONAL_KEYS)
    assert set(target_json("prod-pipeline")) <= reduced_keys


OVERRIDES = ("endpoint_name", "instance_type", "initial_instance_count", "autoscaling")
