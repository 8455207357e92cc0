"""End to end: a model approved in a dev account ends up serving in prod from hub-owned copies.

Four moto accounts (dev, hub, test, prod) run the lifecycle of `/work/shared/brief.md` steps 1-6
with the project's own configuration and code:

Real (taken from the project, run in-process against moto 5.2.5):
* Configuration: `environments/` synthesized by `platform_composition.app.synthesize` into a
  temporary `cdktf.out`; every name (bus, rules, functions, roles, buckets, repositories,
  parameters, pipeline, CodeBuild projects, endpoint) and every account id/region is read from
  `stacks/<env>/cdk.tf.json` or rendered from the module copies in the stack's `assets/` with that
  stack's arguments by `tests/modules/policy_eval.py` (the offline HCL evaluator; it fails loudly
  on anything it does not support). The test holds no platform name as a constant.
* Event patterns: the `event_pattern` outputs of model-approval-forwarder, model-promotion-hub
  and model-deployment-pipeline, installed as real moto EventBridge rules (dev default bus, hub
  promotion bus, hub default bus) from the rendered rule resources, each with an SQS target in
  its own account. Events are matched by moto and read back from the queues, so a pattern that
  does not match breaks the test.
* The promoter (`model_promoter.handler.lambda_handler`) and the pipeline trigger
  (`pipeline_trigger.handler.lambda_handler`), imported fresh with the environment rendered from
  the modules' `aws_lambda_function` blocks and the credentials of their hub roles (as Lambda
  provides them), including the production runtime wiring (STS assume-role into the dev
  account's promotion-source role, S3 server-side copy, ECR layer upload, SageMaker registry).
* The operator CLI (`mlgov.cli.main`): the ML engineer's `governance approve-model`, the
  CodeBuild commands (`deploy --stage test`, `test-endpoint --payloads ...`, `deploy --stage
  prod`) rendered from the pipeline module, with `MLGOV_TARGET_CONFIG` rendered from its
  CodeBuild project, the payload file from the synthesized tooling bundle, and the governance
  officer's `governance approve-prod`.
* What `terraform apply` would leave that the flow touches, created in moto from rendered
  resource arguments: hub bucket, ECR repositories, promotion bus, SSM parameters (source
  accounts, group policy template rendered from central-model-registry), idempotency table,
  pipeline with its service role (moto checks the rendered trust policy), and in test/prod the
  data capture bucket, endpoint security group, KMS key and the target config SecureString
  rendered from `aws_ssm_parameter.target_config`.

Simulated (moto gaps, see the brief):
* SageMaker emits no state-change events in moto: after each registration/approval the test puts
  the event SageMaker would emit (detail = DescribeModelPackage) on the account's default bus.
* Cross-account bus targets: moto re-puts the event as a new one stamped with the hub's account
  and without `resources`, which EventBridge does not do; so the dev rule targets a dev queue and
  the test forwards the matched event to the hub bus itself. moto stamps the putter's account on
  it, so the promoter receives the event as the dev rule delivered it (EventBridge forwards
  unchanged), after the hub rule matched the forwarded copy.
* Lambda and CodeBuild do not run in moto: handlers and CLI commands are called in-process.
* ECR GetDownloadUrlForLayer and SageMaker Put/GetModelPackageGroupPolicy: the promoter tests'
  local HTTPS layer server and group policy store (tests/lambda_src/model_promoter).
* CodePipeline: moto creates the pipeline from the rendered definition and records
  StartPipelineExecution with its variables (real); GetPipelineState and PutApprovalResult are
  not implemented, so the governance officer's CLI runs against botocore Stubber, which asserts
  the token, stage/action names and that the summary is the reason.
* The endpoint's answers to the integration test (moto runs no model) are queued through moto's
  documented endpoint-results API.
* IAM, bucket, key and bus policies are not evaluated by moto; ids AWS assigns at apply time
  (KMS key, security group) are those of the resources the test creates; the security group is
  created in moto's default VPC because the configured VPC does not exist in moto.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import io
import json
import os
import re
import shlex
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import boto3
import pytest
import requests
from botocore.stub import Stubber
from moto import mock_aws

from platform_composition.app import synthesize
from tests.e2e.synthesized import Stack, SynthesizedPlatform
from tests.lambda_src.model_promoter.promoter_world import (
    GroupPolicyStore,
    LayerServer,
    install_download_url_hook,
    upload_layer,
)

pytestmark = pytest.mark.slow

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DETAIL_TYPE = "SageMaker Model Package State Change"
SAGEMAKER_SOURCE = "aws.sagemaker"
# What a data science team registers: test data, not platform configuration.
SOURCE_GROUP = "customer-churn"
DEV_REPOSITORY = "customer-churn-inference"
ECR_IMAGE_URI = re.compile(
    r"^(?P<account>\d{12})\.dkr\.ecr\.(?P<region>[a-z0-9-]+)\.amazonaws\.com/"
    r"(?P<repository>[^:@]+)(?P<reference>[:@].+)$"
)

# moto's default SQS delivery leaves `account` out of the event (EventBridge delivers the whole
# envelope); this transformer restores the envelope, `account` included.
FULL_ENVELOPE = {
    "InputPathsMap": {
        key: f"$.{key}"
        for key in ("id", "detail-type", "source", "account", "time", "region", "resources")
    }
    | {"detail": "$.detail"},
    "InputTemplate": (
        '{"version": "0", "id": "<id>", "detail-type": "<detail-type>", "source": "<source>", '
        '"account": "<account>", "time": <time>, "region": "<region>", '
        '"resources": <resources>, "detail": <detail>}'
    ),
}

# Module calls (construct ids of the composition's stacks).
FORWARDER = "model-approval-forwarder"
REGISTRY = "central-model-registry"
PROMOTION_HUB = "model-promotion-hub"
PIPELINE = "model-deployment-pipeline"
TARGET = "model-deployment-target"


# -- synth ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> SynthesizedPlatform:
    """The default environments synthesized the way `python main.py --outdir` does."""
    outdir = tmp_path_factory.mktemp("synth") / "cdktf.out"
    # Module sources are resolved relative to the working directory (main.py chdirs too).
    with contextlib.chdir(PROJECT_ROOT):
        synthesize(PROJECT_ROOT / "environments", outdir)
    return SynthesizedPlatform(outdir)


@pytest.fixture(scope="module")
def layer_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LayerServer]:
    server = LayerServer(tmp_path_factory.mktemp("layer-server"))
    yield server
    server.close()


# -- accounts ------------------------------------------------------------------------------------


def assume(role_arn: str, region: str, session_name: str = "e2e") -> boto3.Session:
    """A session for `role_arn`; moto puts it in the role's account."""
    credentials = boto3.client("sts", region_name=region).assume_role(
        RoleArn=role_arn, RoleSessionName=session_name
    )["Credentials"]
    return boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        region_name=region,
    )


def role_arn(stack: Stack, role_name: str) -> str:
    return f"arn:aws:iam::{stack.account_id}:role/{role_name}"


def terraform_session(stack: Stack) -> boto3.Session:
    """What Terraform acts as in the stack's account: its provider's assume_role."""
    (provider,) = stack.document["provider"]["aws"]
    (assume_role,) = provider["assume_role"]
    return assume(assume_role["role_arn"], stack.region, assume_role["session_name"])


@contextlib.contextmanager
def lambda_credentials(
    monkeypatch: pytest.MonkeyPatch, session: boto3.Session, environment: dict[str, str]
) -> Iterator[None]:
    """Environment of a Lambda execution: its variables and its role's credentials."""
    credentials = session.get_credentials().get_frozen_credentials()
    with monkeypatch.context() as patch:
        patch.setenv("AWS_ACCESS_KEY_ID", credentials.access_key)
        patch.setenv("AWS_SECRET_ACCESS_KEY", credentials.secret_key)
        patch.setenv("AWS_SESSION_TOKEN", credentials.token)
        patch.setenv("AWS_REGION", session.region_name)
        patch.setenv("AWS_DEFAULT_REGION", session.region_name)
        for name, value in environment.items():
            patch.setenv(name, value)
        # boto3's default session caches the credentials it found first.
        patch.setattr(boto3, "DEFAULT_SESSION", None)
        yield


@contextlib.contextmanager
def fresh_import(name: str) -> Iterator[ModuleType]:
    """Import a handler module anew (it reads its environment at import), then restore."""
    package_name, _, attribute = name.rpartition(".")
    package = importlib.import_module(package_name)
    previous = sys.modules.pop(name, None)
    try:
        yield importlib.import_module(name)
    finally:
        sys.modules.pop(name, None)
        if previous is not None:
            sys.modules[name] = previous
            setattr(package, attribute, previous)
        elif hasattr(package, attribute):
            delattr(package, attribute)


@dataclass
class LambdaContext:
    """The LambdaContext attributes Powertools reads."""

    function_name: str
    invoked_function_arn: str
    memory_limit_in_mb: int = 1024
    aws_request_id: str = "6f1d2c3b-4a59-4e8d-9c7b-1a2b3c4d5e6f"

    def get_remaining_time_in_millis(self) -> int:
        return 300_000


# -- events --------------------------------------------------------------------------------------


def _epoch_millis(value: Any) -> Any:
    if isinstance(value, datetime):
        return int(value.timestamp() * 1000)
    if isinstance(value, dict):
        return {k: _epoch_millis(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_epoch_millis(v) for v in value]
    return value


def emit_state_change(session: boto3.Session, model_package_arn: str) -> None:
    """Put the event SageMaker emits on a package state change (moto emits none)."""
    description = session.client("sagemaker").describe_model_package(
        ModelPackageName=model_package_arn
    )
    description.pop("ResponseMetadata", None)
    response = session.client("events").put_events(
        Entries=[
            {
                "Source": SAGEMAKER_SOURCE,
                "DetailType": DETAIL_TYPE,
                "Detail": json.dumps(_epoch_millis(description)),
                "Resources": [model_package_arn],
            }
        ]
    )
    assert response["FailedEntryCount"] == 0, response


@dataclass
class RuleQueue:
    """An SQS queue standing in for a rule's real target, to observe what the rule matched."""

    session: boto3.Session
    url: str

    def received(self) -> list[dict[str, Any]]:
        sqs = self.session.client("sqs")
        messages = sqs.receive_message(QueueUrl=self.url, MaxNumberOfMessages=10).get(
            "Messages", []
        )
        for message in messages:
            sqs.delete_message(QueueUrl=self.url, ReceiptHandle=message["ReceiptHandle"])
        return [json.loads(m["Body"]) for m in messages]

    def single(self) -> dict[str, Any]:
        events = self.received()
        assert len(events) == 1, f"expected exactly one matched event, got {events}"
        return events[0]


def install_rule(session: boto3.Session, rule: dict[str, Any]) -> RuleQueue:
    """Create the rendered rule in moto with an SQS queue in the same account as its target."""
    events = session.client("events")
    bus = rule.get("event_bus_name") or "default"
    events.put_rule(Name=rule["name"], EventBusName=bus, EventPattern=rule["event_pattern"])
    sqs = session.client("sqs")
    url = sqs.create_queue(QueueName=f"e2e-{rule['name']}"[:80])["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    events.put_targets(
        Rule=rule["name"],
        EventBusName=bus,
        Targets=[{"Id": "e2e-observer", "Arn": arn, "InputTransformer": FULL_ENVELOPE}],
    )
    return RuleQueue(session, url)


# -- apply: what the stacks leave in each account that the flow touches --------------------------


def create_bucket(session: boto3.Session, name: str) -> None:
    session.client("s3").create_bucket(
        Bucket=name, CreateBucketConfiguration={"LocationConstraint": session.region_name}
    )


def create_kms_key(platform: SynthesizedPlatform, stack: Stack, call: str) -> str:
    """The module call's KMS key; its id replaces policy_eval's placeholder in rendered values."""
    session = terraform_session(stack)
    key = session.client("kms").create_key(Description=f"{stack.name}/{call}")["KeyMetadata"]
    platform.ids(stack, call).kms_key_id = key["KeyId"]
    return str(key["Arn"])


def put_rendered_parameter(session: boto3.Session, parameter: dict[str, Any]) -> None:
    request = {
        "Name": parameter["name"],
        "Type": parameter["type"],
        "Value": parameter["value"],
        "Tier": parameter.get("tier") or "Standard",
    }
    if parameter.get("key_id"):
        request["KeyId"] = parameter["key_id"]
    if parameter.get("data_type"):
        request["DataType"] = parameter["data_type"]
    session.client("ssm").put_parameter(**request)


def pipeline_definition(rendered: dict[str, Any]) -> dict[str, Any]:
    """The rendered aws_codepipeline block as a CreatePipeline request."""
    (store,) = rendered["artifact_store"]
    (key,) = store.get("encryption_key", [None])
    return {
        "name": rendered["name"],
        "roleArn": rendered["role_arn"],
        "pipelineType": rendered["pipeline_type"],
        "executionMode": rendered["execution_mode"],
        "artifactStore": {
            "type": store["type"],
            "location": store["location"],
            **({"encryptionKey": {"id": key["id"], "type": key["type"]}} if key else {}),
        },
        "variables": [
            {k: v for k, v in {"name": v["name"], "description": v.get("description")}.items() if v}
            for v in rendered["variable"]
        ],
        "stages": [
            {
                "name": stage["name"],
                "actions": [
                    {
                        "name": action["name"],
                        "actionTypeId": {
                            "category": action["category"],
                            "owner": action["owner"],
                            "provider": action["provider"],
                            "version": action["version"],
                        },
                        "runOrder": 1,
                        "configuration": action.get("configuration") or {},
                        "inputArtifacts": [{"name": a} for a in action.get("input_artifacts", [])],
                        "outputArtifacts": [
                            {"name": a} for a in action.get("output_artifacts", [])
                        ],
                    }
                    for action in stage["action"]
                ],
            }
            for stage in rendered["stage"]
        ],
    }


@dataclass
class Accounts:
    """The four stacks of the flow and the observers on their rules."""

    dev: Stack
    hub: Stack
    test: Stack
    prod: Stack


def pick_accounts(platform: SynthesizedPlatform) -> Accounts:
    targets = {stack.arguments(TARGET)["stage"]: stack for stack in platform.stacks_with(TARGET)}
    # Any dev account works; the first in stack order is as good as another.
    dev = platform.stacks_with(FORWARDER)[0]
    return Accounts(
        dev=dev,
        hub=platform.only_stack_with(PROMOTION_HUB),
        test=targets["test"],
        prod=targets["prod"],
    )


def dev_artifact_bucket(platform: SynthesizedPlatform, dev: Stack) -> str:
    """The first artifact bucket the dev account's promotion-source role may read."""
    arns = platform.evaluator(dev, FORWARDER).variable("artifact_bucket_arns")
    return str(arns[0]).split(":::", 1)[1]


def push_dev_image(
    session: boto3.Session, repository: str, tag: str, layer_server: LayerServer
) -> tuple[str, str]:
    """Push a small image through the ECR layer APIs; register its blobs with the layer server."""
    ecr = session.client("ecr")
    layers = [os.urandom(200_000), os.urandom(30_000)]
    config = json.dumps(
        {
            "architecture": "amd64",
            "os": "linux",
            "rootfs": {"type": "layers", "diff_ids": [_sha256(layer) for layer in layers]},
        }
    ).encode()
    digests = []
    for blob in [config, *layers]:
        digest = upload_layer(ecr, repository, blob)
        layer_server.blobs[digest] = blob
        digests.append(digest)
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {
            "mediaType": "application/vnd.docker.container.image.v1+json",
            "size": len(config),
            "digest": digests[0],
        },
        "layers": [
            {
                "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                "size": len(blob),
                "digest": digest,
            }
            for blob, digest in zip(layers, digests[1:], strict=True)
        ],
    }
    image = ecr.put_image(
        repositoryName=repository, imageManifest=json.dumps(manifest), imageTag=tag
    )["image"]
    registry = ecr.describe_repositories(repositoryNames=[repository])["repositories"][0][
        "repositoryUri"
    ]
    return f"{registry}:{tag}", image["imageId"]["imageDigest"]


def _sha256(data: bytes) -> str:
    return f"sha256:{hashlib.sha256(data).hexdigest()}"


# -- ownership checks ----------------------------------------------------------------------------


def artifact_references(value: Any, path: str = "") -> list[tuple[str, str]]:
    """(path, reference) for every S3 URI and ECR image URI in a description.

    Lineage (CustomerMetadataProperties) is skipped: it names the dev source on purpose.
    """
    found: list[tuple[str, str]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key != "CustomerMetadataProperties":
                found += artifact_references(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += artifact_references(item, f"{path}[{index}]")
    elif isinstance(value, str) and (value.startswith("s3://") or ECR_IMAGE_URI.match(value)):
        found.append((path, value))
    return found


def strings(value: Any, skip: str = "CustomerMetadataProperties") -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key != skip:
                yield from strings(item, skip)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item, skip)
    elif isinstance(value, str):
        yield value


def assert_hub_owned(
    description: dict[str, Any],
    *,
    hub: boto3.Session,
    hub_account: str,
    hub_bucket: str,
    hub_repositories: list[str],
    dev_account: str,
) -> None:
    """Every artifact the package points at is a hub copy that exists; nothing names dev."""
    references = artifact_references(description)
    assert any(ref.startswith("s3://") for _, ref in references), references
    assert any(ECR_IMAGE_URI.match(ref) for _, ref in references), references
    for path, reference in references:
        if reference.startswith("s3://"):
            bucket, _, key = reference[len("s3://") :].partition("/")
            assert bucket == hub_bucket, f"{path} points outside the hub bucket: {reference}"
            listed = hub.client("s3").list_objects_v2(Bucket=bucket, Prefix=key)
            assert listed.get("KeyCount", 0) >= 1, f"{path}: no hub object at {reference}"
        else:
            image = ECR_IMAGE_URI.match(reference)
            assert image is not None
            assert image["account"] == hub_account, f"{path} is not a hub image: {reference}"
            assert image["repository"] in hub_repositories, reference
            assert image["reference"].startswith("@sha256:"), f"{path} not by digest: {reference}"
            found = hub.client("ecr").batch_get_image(
                repositoryName=image["repository"],
                imageIds=[{"imageDigest": image["reference"][1:]}],
            )
            assert found["images"], f"{path}: image not in the hub repository: {reference}"
    # Object keys may name the source (the key layout is the promoter's choice); what must not
    # appear outside the lineage is a resource in the dev account.
    dev_arn = re.compile(rf"arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:{dev_account}:")
    leaks = [s for s in strings(description) if dev_arn.search(s)]
    assert not leaks, f"central package still refers to dev account resources: {leaks}"


# -- CodeBuild, as the pipeline runs it ----------------------------------------------------------


class SessionWithStubbedPipeline(boto3.Session):
    """The caller's session, except that its CodePipeline client is the stubbed one."""

    def __init__(self, base: boto3.Session, codepipeline: Any) -> None:
        credentials = base.get_credentials().get_frozen_credentials()
        super().__init__(
            aws_access_key_id=credentials.access_key,
            aws_secret_access_key=credentials.secret_key,
            aws_session_token=credentials.token,
            region_name=base.region_name,
        )
        self._codepipeline = codepipeline

    def client(self, service_name: str, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        if service_name == "codepipeline":
            return self._codepipeline
        return super().client(service_name, *args, **kwargs)


def run_cli(argv: list[str], session: boto3.Session) -> tuple[int, str, str]:
    """`python -m mlgov ...` in-process with `session` as the caller's credentials."""
    from mlgov.cli import main

    out, err = io.StringIO(), io.StringIO()
    code = main(argv, session_factory=lambda _profile, _region: session, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@dataclass
class CodeBuildRunner:
    """Runs a pipeline CodeBuild action: its project's environment, role and build command."""

    platform: SynthesizedPlatform
    hub: Stack
    source_dir: Path

    def run(
        self, action: str, *, model_package_arn: str, execution_id: str, monkeypatch: Any
    ) -> tuple[int, str, str]:
        projects = self.platform.local(self.hub, PIPELINE, "codebuild_projects")
        project = projects[action]
        rendered = self.platform.resource(
            self.hub, PIPELINE, "aws_codebuild_project.this", frozenset({"environment"})
        )[action]
        (environment,) = rendered["environment"]
        variables = {v["name"]: v["value"] for v in environment["environment_variable"]}
        role_names = self.platform.evaluator(self.hub, PIPELINE).local("codebuild_role_names")
        session = assume(
            role_arn(self.hub, role_names[project["stage"]]),
            self.hub.region,
            f"AWSCodeBuild-{execution_id}"[:64],
        )
        command = shlex.split(
            project["command"].replace("$CODEBUILD_SRC_DIR", str(self.source_dir))
        )
        assert command[:3] == ["python", "-m", "mlgov"], command
        with monkeypatch.context() as patch:
            for name, value in variables.items():
                patch.setenv(name, value)
            # The pipeline action's environment (pipeline.tf codebuild_action_environment).
            patch.setenv("MODEL_PACKAGE_ARN", model_package_arn)
            patch.setenv("MLGOV_PIPELINE_EXECUTION_ID", execution_id)
            patch.setenv("CODEBUILD_SRC_DIR", str(self.source_dir))
            return run_cli(command[3:], session)


def queue_endpoint_answers(stack: Stack, *bodies: str, content_type: str) -> None:
    """What moto's InvokeEndpoint answers next in the stack's account (moto runs no model)."""
    response = requests.post(
        "http://motoapi.amazonaws.com/moto-api/static/sagemaker/endpoint-results",
        json={
            "account_id": stack.account_id,
            "region": stack.region,
            "results": [
                {
                    "Body": body,
                    "ContentType": content_type,
                    "InvokedProductionVariant": "AllTraffic",
                    "CustomAttributes": "",
                }
                for body in bodies
            ],
        },
        timeout=5,
    )
    response.raise_for_status()


@dataclass
class Applied:
    """What the apply step created that the flow refers to."""

    hub_bucket: str
    hub_repositories: list[str]
    bus_name: str
    pipeline: dict[str, Any]
    dev_bucket: str
    queues: dict[str, RuleQueue]


def apply_stacks(platform: SynthesizedPlatform, accounts: Accounts) -> Applied:
    """Create in moto, from rendered resource arguments, what the flow touches in each account."""
    dev, hub, test, prod = accounts.dev, accounts.hub, accounts.test, accounts.prod
    for stack, call in ((hub, REGISTRY), (hub, PROMOTION_HUB), (hub, PIPELINE)):
        create_kms_key(platform, stack, call)
    hub_tf = terraform_session(hub)
    hub_bucket = platform.resource(hub, REGISTRY, "aws_s3_bucket.this")["bucket"]
    create_bucket(hub_tf, hub_bucket)
    repositories = platform.resource(
        hub, REGISTRY, "aws_ecr_repository.this", frozenset({"name", "image_tag_mutability"})
    )
    for repository in repositories.values():
        hub_tf.client("ecr").create_repository(
            repositoryName=repository["name"],
            imageTagMutability=repository["image_tag_mutability"],
        )
    hub_repositories = [r["name"] for r in repositories.values()]
    bus = platform.resource(hub, PROMOTION_HUB, "aws_cloudwatch_event_bus.this")
    hub_tf.client("events").create_event_bus(Name=bus["name"])
    for address in platform.resource_instances(hub, PROMOTION_HUB, "aws_ssm_parameter"):
        put_rendered_parameter(hub_tf, platform.resource(hub, PROMOTION_HUB, address))
    table = platform.resource(hub, PROMOTION_HUB, "aws_dynamodb_table.this")
    hub_tf.client("dynamodb").create_table(
        TableName=table["name"],
        KeySchema=[{"AttributeName": table["hash_key"], "KeyType": "HASH"}],
        AttributeDefinitions=[
            {"AttributeName": a["name"], "AttributeType": a["type"]} for a in table["attribute"]
        ],
        BillingMode=table["billing_mode"],
    )
    pipeline_role = platform.resource(
        hub, PIPELINE, "aws_iam_role.pipeline", frozenset({"name", "assume_role_policy"})
    )
    hub_tf.client("iam").create_role(
        RoleName=pipeline_role["name"],
        AssumeRolePolicyDocument=pipeline_role["assume_role_policy"],
    )
    pipeline = pipeline_definition(
        platform.resource(
            hub,
            PIPELINE,
            "aws_codepipeline.this",
            frozenset(
                {"name", "role_arn", "pipeline_type", "execution_mode", "variable"}
                | {"artifact_store", "stage"}
            ),
        )
    )
    hub_tf.client("codepipeline").create_pipeline(pipeline=pipeline)

    dev_tf = terraform_session(dev)
    dev_bucket = dev_artifact_bucket(platform, dev)
    create_bucket(dev_tf, dev_bucket)

    for target in (test, prod):
        create_kms_key(platform, target, TARGET)
        target_tf = terraform_session(target)
        sg = platform.resource(
            target, TARGET, "aws_security_group.endpoint", frozenset({"name", "description"})
        )
        vpc = target_tf.client("ec2").describe_vpcs()["Vpcs"][0]["VpcId"]
        group = target_tf.client("ec2").create_security_group(
            GroupName=sg["name"], Description=sg["description"], VpcId=vpc
        )
        platform.ids(target, TARGET).security_group_id = group["GroupId"]
        capture = platform.resource(
            target, TARGET, "aws_s3_bucket.data_capture", frozenset({"bucket"})
        )
        create_bucket(target_tf, capture["bucket"])
        put_rendered_parameter(
            target_tf, platform.resource(target, TARGET, "aws_ssm_parameter.target_config")
        )

    # Rules from the rendered module resources; their event_pattern is the module output.
    rules = {
        "dev": (dev_tf, platform.resource(dev, FORWARDER, "aws_cloudwatch_event_rule.this")),
        "hub bus": (
            hub_tf,
            platform.resource(hub, PROMOTION_HUB, "aws_cloudwatch_event_rule.this"),
        ),
        "hub default": (
            hub_tf,
            platform.resource(hub, PIPELINE, "aws_cloudwatch_event_rule.trigger"),
        ),
    }
    outputs = {
        "dev": platform.output(dev, FORWARDER, "event_pattern"),
        "hub bus": platform.output(hub, PROMOTION_HUB, "event_pattern"),
        "hub default": platform.output(hub, PIPELINE, "event_pattern"),
    }
    queues = {}
    for name, (session, rule) in rules.items():
        assert rule["event_pattern"] == outputs[name], name
        queues[name] = install_rule(session, rule)
    assert rules["hub bus"][1]["event_bus_name"] == bus["name"]
    assert rules["dev"][1]["event_bus_name"] == rules["hub default"][1]["event_bus_name"]
    return Applied(
        hub_bucket=hub_bucket,
        hub_repositories=hub_repositories,
        bus_name=bus["name"],
        pipeline=pipeline,
        dev_bucket=dev_bucket,
        queues=queues,
    )


# -- the code the stacks deploy is the code this test runs --------------------------------------


@pytest.mark.parametrize(
    ("call", "argument", "package"),
    [
        (PROMOTION_HUB, "function_package", "model_promoter"),
        (PIPELINE, "trigger_function_package", "pipeline_trigger"),
        (PIPELINE, "tooling_package", "mlgov"),
    ],
)
def test_synthesized_packages_hold_the_code_the_lifecycle_test_imports(
    platform: SynthesizedPlatform, call: str, argument: str, package: str
) -> None:
    """The lifecycle test calls handlers and the CLI in-process; that proves something about the
    deployed Lambda functions and CodeBuild bundle only if their zips hold the same files."""
    stack = platform.only_stack_with(call)
    zip_path = stack.asset(stack.arguments(call)[argument]["filename"])
    with zipfile.ZipFile(zip_path) as archive:
        deployed = {name: archive.read(name) for name in archive.namelist() if name.endswith(".py")}
    imported = Path(importlib.import_module(package).__file__ or "").parent
    local = {
        f"{package}/{path.relative_to(imported).as_posix()}": path.read_bytes()
        for path in imported.rglob("*.py")
    }
    assert deployed.keys() == local.keys()
    assert [name for name in deployed if deployed[name] != local[name]] == []


# -- the test ------------------------------------------------------------------------------------


def test_model_approved_in_dev_serves_in_prod_from_hub_owned_copies(
    platform: SynthesizedPlatform,
    layer_server: LayerServer,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    layer_server.reset()
    accounts = pick_accounts(platform)
    dev, hub, test, prod = accounts.dev, accounts.hub, accounts.test, accounts.prod
    assert len({s.account_id for s in (dev, hub, test, prod)}) == 4

    with mock_aws():
        applied = apply_stacks(platform, accounts)
        hub_tf, dev_bucket, queues = terraform_session(hub), applied.dev_bucket, applied.queues
        pipeline, hub_bucket = applied.pipeline, applied.hub_bucket
        hub_repositories = applied.hub_repositories

        # ---- 1. a data scientist's pipeline registers a model package in dev -------------------
        # (dev personas are not part of these stacks; the deployer session stands in for them)
        dev_admin = terraform_session(dev)
        dev_admin.client("ecr").create_repository(repositoryName=DEV_REPOSITORY)
        image_uri, image_digest = push_dev_image(dev_admin, DEV_REPOSITORY, "v1", layer_server)
        s3 = dev_admin.client("s3")
        artifacts = {
            "model": f"{SOURCE_GROUP}/1/model.tar.gz",
            "metrics": f"{SOURCE_GROUP}/1/evaluation.json",
            "constraints": f"{SOURCE_GROUP}/1/baselines/constraints.json",
        }
        s3.put_object(Bucket=dev_bucket, Key=artifacts["model"], Body=os.urandom(64 * 1024))
        s3.put_object(Bucket=dev_bucket, Key=artifacts["metrics"], Body=b'{"mse": 2.1}')
        s3.put_object(Bucket=dev_bucket, Key=artifacts["constraints"], Body=b'{"features": []}')
        sagemaker = dev_admin.client("sagemaker")
        sagemaker.create_model_package_group(ModelPackageGroupName=SOURCE_GROUP)
        source_arn = sagemaker.create_model_package(
            ModelPackageGroupName=SOURCE_GROUP,
            ModelPackageDescription="XGBoost abalone regressor",
            InferenceSpecification={
                "Containers": [
                    {"Image": image_uri, "ModelDataUrl": f"s3://{dev_bucket}/{artifacts['model']}"}
                ],
                "SupportedContentTypes": ["text/csv"],
                "SupportedResponseMIMETypes": ["text/csv"],
            },
            ModelMetrics={
                "ModelQuality": {
                    "Statistics": {
                        "ContentType": "application/json",
                        "S3Uri": f"s3://{dev_bucket}/{artifacts['metrics']}",
                    }
                }
            },
            DriftCheckBaselines={
                "ModelDataQuality": {
                    "Constraints": {
                        "ContentType": "application/json",
                        "S3Uri": f"s3://{dev_bucket}/{artifacts['constraints']}",
                    }
                }
            },
            ModelApprovalStatus="PendingManualApproval",
        )["ModelPackageArn"]
        emit_state_change(dev_admin, source_arn)
        assert queues["dev"].received() == [], "a pending package must not be forwarded"

        # ---- 2./3. the lead data scientist approves; the dev rule matches --------------------
        sagemaker.update_model_package(
            ModelPackageArn=source_arn,
            ModelApprovalStatus="Approved",
            ApprovalDescription="MSE below the team's threshold",
        )
        emit_state_change(dev_admin, source_arn)
        dev_event = queues["dev"].single()
        assert dev_event["account"] == dev.account_id
        assert dev_event["detail"]["ModelPackageArn"] == source_arn

        # Forwarded by the test (see the module docstring): the hub bus rule must match it.
        response = hub_tf.client("events").put_events(
            Entries=[
                {
                    "EventBusName": applied.bus_name,
                    "Source": dev_event["source"],
                    "DetailType": dev_event["detail-type"],
                    "Detail": json.dumps(dev_event["detail"]),
                    "Resources": dev_event["resources"],
                }
            ]
        )
        assert response["FailedEntryCount"] == 0
        forwarded = queues["hub bus"].single()
        assert forwarded["detail"] == dev_event["detail"]
        assert queues["hub default"].received() == [], "promotion bus events stay on that bus"

        # ---- 4. the promoter copies everything into the hub ---------------------------------
        promoter_function = platform.resource(
            hub,
            PROMOTION_HUB,
            "aws_lambda_function.this",
            frozenset({"function_name", "role", "environment"}),
        )
        (promoter_env,) = promoter_function["environment"]
        assert promoter_env["variables"]["HUB_ARTIFACT_BUCKET"] == platform.output(
            hub, REGISTRY, "artifact_bucket_name"
        )
        promoter_role = assume(promoter_function["role"], hub.region, "model-promoter")
        with (
            lambda_credentials(monkeypatch, promoter_role, promoter_env["variables"]),
            fresh_import("model_promoter.handler") as promoter,
        ):
            runtime = promoter.runtime()  # the production wiring, from the environment
            sources = runtime.source_sessions

            def source_session(request: Any, arn: str) -> boto3.Session:
                session = sources(request, arn)
                install_download_url_hook(session.events, layer_server)
                return session

            runtime.source_sessions = source_session
            runtime.layer_http = layer_server.http()
            policies = GroupPolicyStore()
            policies.install(runtime.sagemaker)
            context = LambdaContext(
                promoter_function["function_name"],
                f"arn:aws:lambda:{hub.region}:{hub.account_id}:function:"
                f"{promoter_function['function_name']}",
            )
            result = promoter.lambda_handler(dev_event, context)
            assert result["status"] == "promoted", result
            # A duplicated delivery registers nothing twice.
            replay = promoter.lambda_handler(dev_event, context)
            assert replay["central_model_package_arn"] == result["central_model_package_arn"]

        central_arn = result["central_model_package_arn"]
        hub_admin = terraform_session(hub)
        hub_sagemaker = hub_admin.client("sagemaker")
        central = hub_sagemaker.describe_model_package(ModelPackageName=central_arn)
        assert central_arn.split(":")[4] == hub.account_id
        assert central["ModelApprovalStatus"] == "PendingManualApproval"
        group_packages = hub_sagemaker.list_model_packages(
            ModelPackageGroupName=central["ModelPackageGroupName"]
        )["ModelPackageSummaryList"]
        assert [p["ModelPackageArn"] for p in group_packages] == [central_arn]
        ownership = {
            "hub": hub_admin,
            "hub_account": hub.account_id,
            "hub_bucket": hub_bucket,
            "hub_repositories": hub_repositories,
            "dev_account": dev.account_id,
        }
        assert_hub_owned(central, **ownership)
        lineage = central.get("CustomerMetadataProperties", {})
        assert source_arn in lineage.values(), f"lineage does not name the source: {lineage}"
        # Copied layer by layer with the same manifest: the hub image has the dev image's digest.
        (container,) = central["InferenceSpecification"]["Containers"]
        assert container["Image"].endswith(f"@{image_digest}"), container["Image"]
        # ... in the dev team's repository, derived from the rendered prefix and source map.
        team = hub.arguments(PROMOTION_HUB)["source_accounts"][dev.account_id]
        hub_image = ECR_IMAGE_URI.match(container["Image"])
        assert hub_image is not None, container["Image"]
        assert hub_image["repository"] == (
            f"{promoter_env['variables']['HUB_IMAGE_REPOSITORY_PREFIX']}/{team}"
        )
        assert central["ModelPackageGroupName"] in policies.policies

        # The central registration also emits a state change; the trigger must ignore it.
        emit_state_change(hub_admin, central_arn)
        assert queues["hub default"].received() == []

        # ---- 5. the ML engineer approves; the approval starts the pipeline ----------------------
        pipeline_args = hub.arguments(PIPELINE)
        ml_engineer = assume(role_arn(hub, pipeline_args["ml_engineer_role_name"]), hub.region)
        code, out, err = run_cli(
            [
                "governance",
                "approve-model",
                "--model-package-arn",
                central_arn,
                "--reason",
                "Reviewed lineage and metrics",
                "--json",
                "--quiet",
            ],
            ml_engineer,
        )
        assert code == 0, err
        approval = json.loads(out)
        assert approval["status"] == "approved"
        assert f":assumed-role/{pipeline_args['ml_engineer_role_name']}/" in approval["actor"]
        emit_state_change(hub_admin, central_arn)
        approved_event = queues["hub default"].single()
        assert approved_event["detail"]["ModelApprovalStatus"] == "Approved"

        trigger_function = platform.resource(
            hub,
            PIPELINE,
            "aws_lambda_function.trigger",
            frozenset({"function_name", "role", "environment"}),
        )
        (trigger_env,) = trigger_function["environment"]
        assert trigger_env["variables"]["PIPELINE_NAME"] == pipeline["name"]
        trigger_role = assume(trigger_function["role"], hub.region, "pipeline-trigger")
        with (
            lambda_credentials(monkeypatch, trigger_role, trigger_env["variables"]),
            fresh_import("pipeline_trigger.handler") as trigger,
        ):
            outcome = trigger.lambda_handler(
                approved_event,
                LambdaContext(
                    trigger_function["function_name"],
                    f"arn:aws:lambda:{hub.region}:{hub.account_id}:function:"
                    f"{trigger_function['function_name']}",
                ),
            )
        assert outcome["action"] == "started", outcome
        codepipeline = hub_admin.client("codepipeline")
        execution = codepipeline.get_pipeline_execution(
            pipelineName=pipeline["name"], pipelineExecutionId=outcome["pipeline_execution_id"]
        )["pipelineExecution"]
        assert {"name": "MODEL_PACKAGE_ARN", "resolvedValue": central_arn} in execution["variables"]
        model_package_arn = next(
            v["resolvedValue"] for v in execution["variables"] if v["name"] == "MODEL_PACKAGE_ARN"
        )
        execution_id = execution["pipelineExecutionId"]

        # ---- 6. DeployTest, IntegrationTest (CodeBuild), ApproveProd, DeployProd -------------
        bundle = hub.asset(pipeline_args["tooling_package"]["filename"])
        source_dir = tmp_path / "codebuild-src"
        with zipfile.ZipFile(bundle) as archive:
            archive.extractall(source_dir)
        assert (source_dir / "mlgov" / "__main__.py").is_file()
        codebuild = CodeBuildRunner(platform, hub, source_dir)

        code, out, err = codebuild.run(
            "deploy_test",
            model_package_arn=model_package_arn,
            execution_id=execution_id,
            monkeypatch=monkeypatch,
        )
        assert code == 0, f"{out}\n{err}"
        test_config = json.loads(
            platform.resource(test, TARGET, "aws_ssm_parameter.target_config")["value"]
        )
        test_admin = terraform_session(test)
        endpoint = test_admin.client("sagemaker").describe_endpoint(
            EndpointName=test_config["endpoint_name"]
        )
        assert endpoint["EndpointStatus"] == "InService"

        payloads = (source_dir / "mlgov" / "payloads" / "default.jsonl").read_text().splitlines()
        cases = [json.loads(line) for line in payloads if line.strip()]
        queue_endpoint_answers(
            test, *(f"{9.5 + i}" for i in range(len(cases))), content_type="text/csv"
        )
        code, out, err = codebuild.run(
            "integration_test",
            model_package_arn=model_package_arn,
            execution_id=execution_id,
            monkeypatch=monkeypatch,
        )
        assert code == 0, f"{out}\n{err}"
        assert "PASSED" in out

        approval_stage = next(
            stage
            for stage in pipeline["stages"]
            if stage["actions"][0]["actionTypeId"]["category"] == "Approval"
        )
        (approval_action,) = approval_stage["actions"]
        officer_role = pipeline_args["governance_officer_role_name"]
        officer = assume(role_arn(hub, officer_role), hub.region)
        reason = "Integration tests passed; CAB ticket 4711"
        stubbed = officer.client("codepipeline")
        token = "3d8c5d4a-7f0b-4a4e-9d55-1c2a3b4c5d6e"
        with Stubber(stubbed) as stub:
            stub.add_response(
                "get_pipeline_state",
                {
                    "pipelineName": pipeline["name"],
                    "stageStates": [
                        {
                            "stageName": approval_stage["name"],
                            "latestExecution": {
                                "pipelineExecutionId": execution_id,
                                "status": "InProgress",
                            },
                            "actionStates": [
                                {
                                    "actionName": approval_action["name"],
                                    "latestExecution": {"status": "InProgress", "token": token},
                                }
                            ],
                        }
                    ],
                },
                {"name": pipeline["name"]},
            )
            # What moto returned for this execution, variables included.
            stub.add_response(
                "get_pipeline_execution",
                {"pipelineExecution": execution},
                {"pipelineName": pipeline["name"], "pipelineExecutionId": execution_id},
            )
            stub.add_response(
                "put_approval_result",
                {"approvedAt": datetime(2026, 1, 1)},
                {
                    "pipelineName": pipeline["name"],
                    "stageName": approval_stage["name"],
                    "actionName": approval_action["name"],
                    "result": {"summary": reason, "status": "Approved"},
                    "token": token,
                },
            )
            code, out, err = run_cli(
                [
                    "governance",
                    "approve-prod",
                    "--pipeline",
                    pipeline["name"],
                    "--action-name",
                    approval_action["name"],
                    "--execution-id",
                    execution_id,
                    "--reason",
                    reason,
                    "--json",
                    "--quiet",
                ],
                SessionWithStubbedPipeline(officer, stubbed),
            )
            stub.assert_no_pending_responses()
        assert code == 0, err
        decision = json.loads(out)
        assert decision["status"] == "approved"
        assert decision["model_package_arn"] == central_arn
        assert f":assumed-role/{officer_role}/" in decision["actor"]

        code, out, err = codebuild.run(
            "deploy_prod",
            model_package_arn=model_package_arn,
            execution_id=execution_id,
            monkeypatch=monkeypatch,
        )
        assert code == 0, f"{out}\n{err}"

        # ---- prod serves the central package, and only hub-owned artifacts --------------------
        prod_config = json.loads(
            platform.resource(prod, TARGET, "aws_ssm_parameter.target_config")["value"]
        )
        prod_sagemaker = terraform_session(prod).client("sagemaker")
        endpoint = prod_sagemaker.describe_endpoint(EndpointName=prod_config["endpoint_name"])
        assert endpoint["EndpointStatus"] == "InService"
        endpoint_config = prod_sagemaker.describe_endpoint_config(
            EndpointConfigName=endpoint["EndpointConfigName"]
        )
        (variant,) = endpoint_config["ProductionVariants"]
        assert variant["InstanceType"] == prod_config["instance_type"]
        assert variant["InitialInstanceCount"] == prod_config["initial_instance_count"]
        assert endpoint_config["KmsKeyId"] == prod_config["kms_key_arn"]
        model = prod_sagemaker.describe_model(ModelName=variant["ModelName"])
        served_arn = model["PrimaryContainer"]["ModelPackageName"]
        assert served_arn == central_arn
        assert served_arn.split(":")[4] == hub.account_id
        assert model["ExecutionRoleArn"] == prod_config["execution_role_arn"]
        assert model["VpcConfig"]["Subnets"] == prod_config["subnet_ids"]
        served_package = hub_sagemaker.describe_model_package(ModelPackageName=served_arn)
        assert served_package["ModelApprovalStatus"] == "Approved"
        assert_hub_owned(served_package, **ownership)
        assert dev.account_id not in json.dumps(model, default=str)

        scaling = terraform_session(prod).client("application-autoscaling")
        (target,) = scaling.describe_scalable_targets(
            ServiceNamespace="sagemaker",
            ResourceIds=[
                f"endpoint/{prod_config['endpoint_name']}/variant/{variant['VariantName']}"
            ],
        )["ScalableTargets"]
        assert target["MinCapacity"] == prod_config["autoscaling"]["min_capacity"]
        assert target["MaxCapacity"] == prod_config["autoscaling"]["max_capacity"]
