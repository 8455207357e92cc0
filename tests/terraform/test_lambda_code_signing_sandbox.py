"""`modules/lambda-code-signing/examples/complete` applied into the simulated AWS by real Terraform.

A copy of the module is applied with the real provider into a simulator of its own: the package
is uploaded, signed by a signing job and the code signing config admits only that profile's
version; a second plan must show no changes. Then Lambda is asked to deploy code under the
config, as the promoter and the trigger are deployed: the signed copy is accepted, and unsigned
code, a signed copy changed afterwards, another profile's signature and a canceled profile are
refused with Lambda's error codes. The Signer and Lambda behaviour comes from
`platform_sandbox/gaps_code_signing.py` (listed in `gaps.GAPS`).
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from platform_sandbox import gaps, simulator
from platform_sandbox.simulator import Simulator
from platform_sandbox.terraform import Workspace, setup_terraform
from tests.terraform_support import copy_module, require_terraform

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MODULE = PROJECT_ROOT / "modules" / "lambda-code-signing"
EXAMPLE = Path("examples") / "complete"
ACCOUNT_ID = "123456789012"  # the simulator's default account
REGION = "eu-west-1"  # the example's provider region
ACCESS_LOG_BUCKET = "mlgov-access-logs-111111111111-eu-west-1"
PREFIX = "module.lambda_code_signing."

pytestmark = pytest.mark.slow  # about half a minute: apply, second plan and destroy


@dataclass
class Applied:
    sim: Simulator
    workspace: Workspace
    state: dict[str, dict[str, Any]]
    outputs: dict[str, Any]

    def client(self, service: str) -> Any:
        return self.sim.client(self.sim.base_session(REGION), service)


def error_of(call: Any, **kwargs: Any) -> dict[str, str]:
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    return dict(raised.value.response["Error"])


def zipped(source: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello/handler.py", source)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def sim(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Simulator]:
    require_terraform()
    running = simulator.start(tmp_path_factory.mktemp("code-signing-simulator"))
    try:
        yield running
    finally:
        simulator.stop(running)


@pytest.fixture(scope="module")
def applied(sim: Simulator, tmp_path_factory: pytest.TempPathFactory) -> Applied:
    root = tmp_path_factory.mktemp("code-signing-sandbox")
    copy = copy_module(MODULE, root)
    example = copy / EXAMPLE
    # The simulator is addressed by IP: virtual-hosted bucket names cannot resolve.
    override = {"provider": {"aws": {"s3_use_path_style": True}}}
    (example / "sandbox_override.tf.json").write_text(json.dumps(override), encoding="utf-8")
    # The access-log bucket the example names exists before the module and admits the S3
    # logging service, as S3 requires.
    s3 = sim.client(sim.base_session(REGION), "s3")
    s3.create_bucket(
        Bucket=ACCESS_LOG_BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    logging_policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "logging.s3.amazonaws.com"},
                "Action": ["s3:PutObject"],
                "Resource": f"arn:aws:s3:::{ACCESS_LOG_BUCKET}/*",
            }
        ],
    }
    s3.put_bucket_policy(Bucket=ACCESS_LOG_BUCKET, Policy=json.dumps(logging_policy))
    workspace = setup_terraform(root / "cli", sim.environment()).workspace(example)
    workspace.init(backend=False)
    workspace.apply()
    state = {r["address"]: r["values"] for r in workspace.state_resources()}
    return Applied(sim, workspace, state, workspace.output())


@pytest.fixture(scope="module")
def role_arn(applied: Applied) -> str:
    iam = applied.client("iam")
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    role = iam.create_role(RoleName="hello", AssumeRolePolicyDocument=json.dumps(trust))
    return str(role["Role"]["Arn"])


def create_function(applied: Applied, role_arn: str, name: str, code: dict[str, Any]) -> Any:
    return applied.client("lambda").create_function(
        FunctionName=name,
        Runtime="python3.13",
        Role=role_arn,
        Handler="hello.handler.lambda_handler",
        Code=code,
        CodeSigningConfigArn=applied.outputs["code_signing_config_arn"],
    )


def signed(applied: Applied) -> dict[str, str]:
    package = applied.outputs["signed_packages"]["hello"]
    return {"S3Bucket": package["s3_bucket"], "S3Key": package["s3_key"]}


def test_the_package_is_signed_by_the_module_profile(applied: Applied) -> None:
    job = applied.state[PREFIX + 'aws_signer_signing_job.this["hello"]']
    profile = applied.state[PREFIX + "aws_signer_signing_profile.this"]
    config = applied.state[PREFIX + "aws_lambda_code_signing_config.this"]
    assert job["status"] == "Succeeded"
    assert job["profile_name"] == profile["name"] and profile["name"].startswith("mlgov_platform")
    assert job["signed_object"][0]["s3"][0]["key"] == f"signed/hello/{job['job_id']}.zip"
    assert config["allowed_publishers"][0]["signing_profile_version_arns"] == [
        profile["version_arn"]
    ]
    assert config["policies"][0]["untrusted_artifact_on_deployment"] == "Enforce"
    s3 = applied.client("s3")
    signed_copy = s3.get_object(
        Bucket=job["signed_object"][0]["s3"][0]["bucket"], Key=signed(applied)["S3Key"]
    )
    example_zip = (MODULE / EXAMPLE / "hello.zip").read_bytes()
    assert signed_copy["Body"].read() == example_zip
    assert not {r.split(".")[-2] for r in applied.state} & gaps.UNSUPPORTED_RESOURCE_TYPES.keys()


def test_a_second_plan_shows_no_changes(applied: Applied) -> None:
    changes, text = applied.workspace.plan_has_changes()
    assert not changes, text


def test_lambda_deploys_the_signed_copy_under_the_config(applied: Applied, role_arn: str) -> None:
    created = create_function(applied, role_arn, "hello-signed", signed(applied))
    config = applied.client("lambda").get_function_code_signing_config(FunctionName="hello-signed")
    assert config["CodeSigningConfigArn"] == applied.outputs["code_signing_config_arn"]
    assert created["CodeSha256"]


def test_unsigned_code_is_refused(applied: Applied, role_arn: str) -> None:
    error = error_of(
        create_function,
        applied=applied,
        role_arn=role_arn,
        name="hello-unsigned",
        code={"ZipFile": zipped("def lambda_handler(e, c):\n    return 'not reviewed'\n")},
    )
    assert error["Code"] == "CodeVerificationFailedException"
    unsigned = {"S3Bucket": signed(applied)["S3Bucket"], "S3Key": "unsigned/hello.zip"}
    assert (
        error_of(
            create_function, applied=applied, role_arn=role_arn, name="hello-raw", code=unsigned
        )["Code"]
        == "CodeVerificationFailedException"
    )


def test_a_function_under_the_config_refuses_an_unsigned_code_update(
    applied: Applied, role_arn: str
) -> None:
    create_function(applied, role_arn, "hello-update", signed(applied))
    error = error_of(
        applied.client("lambda").update_function_code,
        FunctionName="hello-update",
        ZipFile=zipped("def lambda_handler(e, c):\n    return 'swapped'\n"),
    )
    assert error["Code"] == "CodeVerificationFailedException"


def test_a_signed_copy_changed_after_signing_fails_the_integrity_check(
    applied: Applied, role_arn: str
) -> None:
    s3 = applied.client("s3")
    tampered = dict(signed(applied))
    original = s3.get_object(Bucket=tampered["S3Bucket"], Key=tampered["S3Key"])["Body"].read()
    s3.put_object(
        Bucket=tampered["S3Bucket"], Key=tampered["S3Key"], Body=zipped("tampered = True\n")
    )
    try:
        error = error_of(
            create_function,
            applied=applied,
            role_arn=role_arn,
            name="hello-tampered",
            code=tampered,
        )
    finally:
        s3.put_object(Bucket=tampered["S3Bucket"], Key=tampered["S3Key"], Body=original)
    assert error["Code"] == "InvalidCodeSignatureException"


def test_another_profile_signature_is_refused(applied: Applied, role_arn: str) -> None:
    signer = applied.client("signer")
    signer.put_signing_profile(profileName="someone_else", platformId="AWSLambda-SHA384-ECDSA")
    source = signed(applied)
    unsigned_version = applied.state[PREFIX + 'aws_s3_object.unsigned["hello"]']["version_id"]
    job = signer.start_signing_job(
        profileName="someone_else",
        source={
            "s3": {
                "bucketName": source["S3Bucket"],
                "key": "unsigned/hello.zip",
                "version": unsigned_version,
            }
        },
        destination={"s3": {"bucketName": source["S3Bucket"], "prefix": "elsewhere/"}},
    )
    other = signer.describe_signing_job(jobId=job["jobId"])["signedObject"]["s3"]
    error = error_of(
        create_function,
        applied=applied,
        role_arn=role_arn,
        name="hello-other",
        code={"S3Bucket": other["bucketName"], "S3Key": other["key"]},
    )
    assert error["Code"] == "CodeVerificationFailedException"
    assert "not an allowed publisher" in error["Message"]


def test_signing_jobs_refuse_a_missing_profile_or_version(applied: Applied) -> None:
    signer = applied.client("signer")
    bucket = signed(applied)["S3Bucket"]
    job = {
        "source": {"s3": {"bucketName": bucket, "key": "unsigned/hello.zip", "version": "nope"}},
        "destination": {"s3": {"bucketName": bucket, "prefix": "x/"}},
    }
    profile = applied.state[PREFIX + "aws_signer_signing_profile.this"]["name"]
    assert error_of(signer.start_signing_job, profileName="missing", **job)["Code"] == (
        "ResourceNotFoundException"
    )
    assert error_of(signer.start_signing_job, profileName=profile, **job)["Code"] == (
        "ValidationException"
    )


def test_a_config_in_use_cannot_be_deleted(applied: Applied, role_arn: str) -> None:
    arn = applied.outputs["code_signing_config_arn"]
    error = error_of(applied.client("lambda").delete_code_signing_config, CodeSigningConfigArn=arn)
    assert error["Code"] == "ResourceConflictException"


def test_a_canceled_profile_signature_is_refused(applied: Applied, role_arn: str) -> None:
    """Last of the deploy checks: it cancels the module's profile."""
    profile = applied.state[PREFIX + "aws_signer_signing_profile.this"]["name"]
    applied.client("signer").cancel_signing_profile(profileName=profile)
    error = error_of(
        create_function,
        applied=applied,
        role_arn=role_arn,
        name="hello-canceled",
        code=signed(applied),
    )
    assert error["Code"] == "CodeVerificationFailedException"
    assert "revoked or canceled" in error["Message"]


def test_destroy_removes_the_signing_setup(applied: Applied) -> None:
    lam = applied.client("lambda")
    for name in ("hello-signed", "hello-update"):
        lam.delete_function(FunctionName=name)
    applied.workspace.destroy()
    assert lam.list_code_signing_configs()["CodeSigningConfigs"] == []
