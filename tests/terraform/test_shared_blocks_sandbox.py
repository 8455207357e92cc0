"""The shared building blocks (`modules/shared/*`) applied into the simulated AWS by real Terraform.

Each block's `examples/complete` is applied into one simulator; a second plan must show no
changes. What AWS then holds is read back through the APIs (not from Terraform's state): the
bucket's encryption, public access block, ownership, versioning, lifecycle and logging, the key's
rotation and alias, the queue's encryption and retention. The policies read back are evaluated
with tests/modules/iam_eval.py: the guards deny what they promise to deny (plain HTTP, old TLS,
SSE-S3, another key, principals outside the organization) and nothing the caller allowed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from platform_sandbox import simulator
from platform_sandbox.simulator import Simulator
from platform_sandbox.terraform import TerraformFailed, Workspace, setup_terraform
from tests.modules import iam_eval
from tests.terraform_support import MODULES_DIR, copy_module, require_terraform

SHARED = MODULES_DIR / "shared"
REGION = "eu-central-1"  # the examples' provider region
ACCOUNT_ID = "123456789012"  # the simulator's default account
ACCESS_LOG_BUCKET = "example-access-logs-111111111111"  # named by the s3-bucket example
BUCKET = "example-hardened-bucket-111111111111"
ORGANIZATION_ID = "o-exampleorg1"

pytestmark = pytest.mark.slow  # about a minute: three applies and their second plans


@dataclass
class Applied:
    workspace: Workspace
    outputs: dict[str, Any]


@pytest.fixture(scope="module")
def sim(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Simulator]:
    require_terraform()
    running = simulator.start(tmp_path_factory.mktemp("shared-blocks-simulator"))
    try:
        # The access-log bucket the s3-bucket example names exists before it, as in AWS.
        s3 = running.client(running.base_session(REGION), "s3")
        s3.create_bucket(
            Bucket=ACCESS_LOG_BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        # S3 refuses a logging target that does not admit the logging service.
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
        yield running
    finally:
        simulator.stop(running)


@pytest.fixture(scope="module")
def blocks_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("shared-blocks")
    copy_module(SHARED / "s3-bucket", root)
    return root / "modules" / "shared"


def _apply(sim: Simulator, blocks_root: Path, block: str) -> Applied:
    example = blocks_root / block / "examples" / "complete"
    # The simulator is addressed by IP: virtual-hosted bucket names cannot resolve.
    override = {"provider": {"aws": {"s3_use_path_style": True}}}
    (example / "sandbox_override.tf.json").write_text(json.dumps(override), encoding="utf-8")
    workspace = setup_terraform(blocks_root.parent / f"cli-{block}", sim.environment()).workspace(
        example
    )
    workspace.init(backend=False)
    workspace.apply()
    return Applied(workspace, workspace.output())


@pytest.fixture(scope="module")
def bucket(sim: Simulator, blocks_root: Path) -> Applied:
    return _apply(sim, blocks_root, "s3-bucket")


@pytest.fixture(scope="module")
def key(sim: Simulator, blocks_root: Path) -> Applied:
    return _apply(sim, blocks_root, "kms-key")


@pytest.fixture(scope="module")
def queue(sim: Simulator, blocks_root: Path) -> Applied:
    return _apply(sim, blocks_root, "dead-letter-queue")


def client(sim: Simulator, service: str) -> Any:
    return sim.client(sim.base_session(REGION), service)


@pytest.mark.parametrize("block", ["bucket", "key", "queue"])
def test_a_second_plan_shows_no_changes(request: pytest.FixtureRequest, block: str) -> None:
    applied: Applied = request.getfixturevalue(block)
    changes, text = applied.workspace.plan_has_changes()
    assert not changes, text


# --- s3-bucket ------------------------------------------------------------------------------


def test_the_bucket_is_private_owner_enforced_versioned_and_encrypted_under_the_key(
    sim: Simulator, bucket: Applied
) -> None:
    s3 = client(sim, "s3")
    block = s3.get_public_access_block(Bucket=BUCKET)["PublicAccessBlockConfiguration"]
    assert block == {
        "BlockPublicAcls": True,
        "IgnorePublicAcls": True,
        "BlockPublicPolicy": True,
        "RestrictPublicBuckets": True,
    }
    ownership = s3.get_bucket_ownership_controls(Bucket=BUCKET)["OwnershipControls"]
    assert ownership["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    assert s3.get_bucket_versioning(Bucket=BUCKET)["Status"] == "Enabled"
    (rule,) = s3.get_bucket_encryption(Bucket=BUCKET)["ServerSideEncryptionConfiguration"]["Rules"]
    assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    assert rule["BucketKeyEnabled"] is True
    described = client(sim, "kms").describe_key(KeyId="alias/example-hardened-bucket")
    key_arn = described["KeyMetadata"]["Arn"]
    assert rule["ApplyServerSideEncryptionByDefault"]["KMSMasterKeyID"] == key_arn


def test_the_lifecycle_aborts_uploads_bucket_wide_before_the_callers_rules(
    sim: Simulator, bucket: Applied
) -> None:
    rules = client(sim, "s3").get_bucket_lifecycle_configuration(Bucket=BUCKET)["Rules"]
    by_id = {rule["ID"]: rule for rule in rules}
    assert [rule["ID"] for rule in rules] == [
        "expire-noncurrent-versions-and-abort-uploads",
        "expire-staging",
        "remove-expired-staging-delete-markers",
        "tier-published",
    ]
    own = by_id["expire-noncurrent-versions-and-abort-uploads"]
    assert own["Status"] == "Enabled"
    assert own["Filter"].get("Prefix", "") == ""  # the whole bucket
    assert own["AbortIncompleteMultipartUpload"] == {"DaysAfterInitiation": 7}
    assert own["NoncurrentVersionExpiration"]["NoncurrentDays"] == 30
    staging = by_id["expire-staging"]
    assert staging["Filter"]["Prefix"] == "staging/"
    assert staging["Expiration"]["Days"] == 2
    assert staging["NoncurrentVersionExpiration"]["NoncurrentDays"] == 2
    markers = by_id["remove-expired-staging-delete-markers"]
    assert markers["Expiration"] == {"ExpiredObjectDeleteMarker": True}
    assert by_id["tier-published"]["Transitions"] == [{"Days": 30, "StorageClass": "STANDARD_IA"}]


def test_access_logs_go_to_the_named_bucket_under_the_default_prefix(
    sim: Simulator, bucket: Applied
) -> None:
    logging = client(sim, "s3").get_bucket_logging(Bucket=BUCKET)["LoggingEnabled"]
    assert logging["TargetBucket"] == ACCESS_LOG_BUCKET
    assert logging["TargetPrefix"] == f"s3/{BUCKET}/"


def _bucket_policy(sim: Simulator) -> dict[str, Any]:
    policy: dict[str, Any] = json.loads(
        client(sim, "s3").get_bucket_policy(Bucket=BUCKET)["Policy"]
    )
    return policy


def test_the_bucket_policy_is_the_callers_statements_then_the_guards(
    sim: Simulator, bucket: Applied
) -> None:
    policy = _bucket_policy(sim)
    assert [s["Sid"] for s in policy["Statement"]] == [
        "ReaderAccountReadsPublished",
        "DenyInsecureTransport",
        "DenyTlsOlderThan12",
        "DenyNonKmsEncryption",
        "DenyOtherKmsKeys",
        "DenyPrincipalsOutsideOrganization",
    ]
    assert policy == json.loads(bucket.outputs["bucket_policy_json"])


def _guards(policy: dict[str, Any]) -> list[iam_eval.Statement]:
    """The statements that apply to every principal ("*"), without their Principal element, so
    iam_eval (written for identity policies) can evaluate them for any caller."""
    statements = []
    for statement in policy["Statement"]:
        if statement.get("Principal") in ("*", {"AWS": "*"}):
            stripped = {k: v for k, v in statement.items() if k != "Principal"}
            document = json.dumps({"Version": "2012-10-17", "Statement": [stripped]})
            statements += iam_eval.statements_from_json(document, "bucket policy")
    return statements


IN_ORGANIZATION = {
    "aws:SecureTransport": "true",
    "s3:TlsVersion": "1.3",
    "aws:PrincipalOrgID": ORGANIZATION_ID,
    "aws:PrincipalIsAWSService": "false",
}


@pytest.mark.parametrize(
    ("case", "action", "context", "verdict"),
    [
        ("plain HTTP", "s3:GetObject", {"aws:SecureTransport": "false"}, iam_eval.DENIED),
        ("TLS 1.1", "s3:GetObject", {"s3:TlsVersion": "1.1"}, iam_eval.DENIED),
        (
            "SSE-S3 upload",
            "s3:PutObject",
            {"s3:x-amz-server-side-encryption": "AES256"},
            iam_eval.DENIED,
        ),
        (
            "another key",
            "s3:PutObject",
            {
                "s3:x-amz-server-side-encryption": "aws:kms",
                "s3:x-amz-server-side-encryption-aws-kms-key-id": (
                    f"arn:aws:kms:{REGION}:{ACCOUNT_ID}:key/00000000-0000-0000-0000-000000000000"
                ),
            },
            iam_eval.DENIED,
        ),
        (
            "the key named by alias",
            "s3:PutObject",
            {
                "s3:x-amz-server-side-encryption": "aws:kms",
                "s3:x-amz-server-side-encryption-aws-kms-key-id": "alias/example-hardened-bucket",
            },
            iam_eval.DENIED,
        ),
        (
            "outside the organization",
            "s3:GetObject",
            {"aws:PrincipalOrgID": "o-otherorg000", "aws:PrincipalIsAWSService": "false"},
            iam_eval.DENIED,
        ),
        ("no organization (an IAM user of another account)", "s3:GetObject", {}, iam_eval.DENIED),
        ("a read inside the organization", "s3:GetObject", {}, iam_eval.NOT_ALLOWED),
        ("an upload with default encryption", "s3:PutObject", {}, iam_eval.NOT_ALLOWED),
        (
            "an upload naming the bucket's key",
            "s3:PutObject",
            {
                "s3:x-amz-server-side-encryption": "aws:kms",
                "s3:x-amz-server-side-encryption-aws-kms-key-id": "BUCKET_KEY_ARN",
            },
            iam_eval.NOT_ALLOWED,
        ),
        (
            "S3 log delivery (an AWS service on its own behalf)",
            "s3:PutObject",
            {"aws:PrincipalIsAWSService": "true", "aws:PrincipalOrgID": ""},
            iam_eval.NOT_ALLOWED,
        ),
    ],
)
def test_the_guards_deny_exactly_what_they_promise(
    sim: Simulator, bucket: Applied, case: str, action: str, context: dict[str, str], verdict: str
) -> None:
    """NOT_ALLOWED means no guard denies: the caller's Allow statements decide."""
    key_arn = client(sim, "kms").describe_key(KeyId="alias/example-hardened-bucket")["KeyMetadata"][
        "Arn"
    ]
    full_context: dict[str, str] = {
        **IN_ORGANIZATION,
        **{k: key_arn if v == "BUCKET_KEY_ARN" else v for k, v in context.items()},
    }
    if case.startswith("no organization"):
        del full_context["aws:PrincipalOrgID"]
    if context.get("aws:PrincipalOrgID") == "":
        del full_context["aws:PrincipalOrgID"]
    request = iam_eval.Request(
        action, f"arn:aws:s3:::{BUCKET}/published/model.tar.gz", full_context
    )
    decision = iam_eval.decide_one(_guards(_bucket_policy(sim)), request)
    assert decision.verdict == verdict, (case, [s.sid for s in decision.deciding])


# --- kms-key --------------------------------------------------------------------------------


def test_the_key_rotates_has_its_alias_and_delegates_to_iam_first(
    sim: Simulator, key: Applied
) -> None:
    kms = client(sim, "kms")
    key_arn = key.outputs["key_arn"]
    assert kms.get_key_rotation_status(KeyId=key_arn)["KeyRotationEnabled"] is True
    aliases = kms.list_aliases(KeyId=key_arn)["Aliases"]
    assert [a["AliasName"] for a in aliases] == ["alias/example-app-logs"]
    policy = json.loads(kms.get_key_policy(KeyId=key_arn, PolicyName="default")["Policy"])
    first, *callers = policy["Statement"]
    assert first["Sid"] == "EnableIamPolicies"
    assert first["Principal"] == {"AWS": f"arn:aws:iam::{ACCOUNT_ID}:root"}
    assert first["Action"] == "kms:*"
    assert [s["Sid"] for s in callers] == ["CloudWatchLogsForOneLogGroup"]


# --- dead-letter-queue ----------------------------------------------------------------------


def test_the_queue_is_encrypted_keeps_two_weeks_and_admits_only_the_named_rule(
    sim: Simulator, queue: Applied
) -> None:
    sqs = client(sim, "sqs")
    url = sqs.get_queue_url(QueueName="example-model-approvals-dlq")["QueueUrl"]
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    key_arn = client(sim, "kms").describe_key(KeyId="alias/example-dead-letters")["KeyMetadata"][
        "Arn"
    ]
    assert attributes["KmsMasterKeyId"] == key_arn
    assert attributes["KmsDataKeyReusePeriodSeconds"] == "300"
    assert attributes["MessageRetentionPeriod"] == "1209600"
    policy = json.loads(attributes["Policy"])
    allow, deny = policy["Statement"]
    rule_arn = client(sim, "events").describe_rule(Name="example-model-approvals")["Arn"]
    assert allow["Sid"] == "AllowEventBridgeFromNamedSources"
    assert allow["Principal"] == {"Service": "events.amazonaws.com"}
    assert allow["Action"] == "sqs:SendMessage"
    assert allow["Condition"] == {"ArnEquals": {"aws:SourceArn": rule_arn}}
    assert deny["Sid"] == "DenyInsecureTransport"
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    (target,) = client(sim, "events").list_targets_by_rule(Rule="example-model-approvals")[
        "Targets"
    ]
    assert target["DeadLetterConfig"]["Arn"] == queue.outputs["queue_arn"]


# --- validation -----------------------------------------------------------------------------


def _edited(blocks_root: Path, tmp_path: Path, block: str, old: str, new: str) -> Path:
    """A fresh copy of the block's example with one edit (validation runs before any apply)."""
    root = tmp_path / "edited"
    copy_module(SHARED / block, root)
    main_tf = root / "modules" / "shared" / block / "examples" / "complete" / "main.tf"
    text = main_tf.read_text(encoding="utf-8")
    assert old in text
    main_tf.write_text(text.replace(old, new, 1), encoding="utf-8")
    return main_tf.parent


@pytest.mark.parametrize(
    ("block", "old", "new", "message"),
    [
        (
            "s3-bucket",
            "      expiration_days                    = 2\n",
            "      expiration_days                    = 2\n"
            "      expired_object_delete_marker       = true\n",
            "A lifecycle rule cannot set both expiration_days and expired_object_delete_marker "
            '(S3 refuses it); use two rules. Offending ids: ["expire-staging"].',
        ),
        (
            "s3-bucket",
            'id          = "tier-published"',
            'id          = "expire-staging"',
            "lifecycle_rules ids must be unique and differ from the module's own rule "
            '"expire-noncurrent-versions-and-abort-uploads"; got ["expire-staging",'
            '"remove-expired-staging-delete-markers","expire-staging"].',
        ),
        (
            "kms-key",
            'sid       = "CloudWatchLogsForOneLogGroup"',
            'sid       = "EnableIamPolicies"',
            'policy_documents must not contain a statement with sid "EnableIamPolicies": '
            "the module writes that statement itself.",
        ),
        (
            "kms-key",
            'alias_name              = "alias/example-app-logs"',
            'alias_name              = "alias/aws/example"',
            'alias_name must be "alias/" followed by letters, digits, /, _ or - and must not '
            'start with "alias/aws/"; got "alias/aws/example".',
        ),
    ],
    ids=["expiration-and-marker", "duplicate-rule-id", "reused-sid", "aws-alias"],
)
def test_bad_input_is_refused_naming_the_value(
    sim: Simulator,
    blocks_root: Path,
    tmp_path: Path,
    block: str,
    old: str,
    new: str,
    message: str,
) -> None:
    example = _edited(blocks_root, tmp_path, block, old, new)
    workspace = setup_terraform(tmp_path / "cli", sim.environment()).workspace(example)
    workspace.init(backend=False)
    with pytest.raises(TerraformFailed) as failure:
        workspace.plan()
    assert message in " ".join(str(failure.value).split())
