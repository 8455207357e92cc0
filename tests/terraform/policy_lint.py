"""parliament over every policy document Terraform rendered, and the one table of accepted findings.

`collect_policies` finds every IAM and resource policy in `terraform show -json` of an applied
stack (the attributes in `POLICY_ATTRIBUTES`, plus the model package group policy the promoter
builds from the template in SSM); `lint` runs `parliament.analyze_policy_string` on each and keeps
the findings parliament's CLI would show (severity LOW and above). A finding is accepted only by
an entry of `SUPPRESSIONS`: (policy address pattern, parliament issue code, detail pattern, the
exact reason). Anything else fails the test with the policy address and the finding.
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Iterator
from dataclasses import dataclass

import parliament
from parliament.cli import is_finding_filtered

from tests.terraform_state import Resource, State, as_list

# (resource type, attribute) holding a policy document. Every attribute of an applied state that
# holds a policy must be listed here or in MIRRORED_ATTRIBUTES (`unlisted_policy_attributes`).
POLICY_ATTRIBUTES: tuple[tuple[str, str], ...] = (
    ("aws_iam_role", "assume_role_policy"),
    ("aws_iam_role_policy", "policy"),
    ("aws_iam_policy", "policy"),
    ("aws_s3_bucket_policy", "policy"),
    ("aws_kms_key", "policy"),
    ("aws_kms_key_policy", "policy"),
    ("aws_sqs_queue_policy", "policy"),
    ("aws_sns_topic_policy", "policy"),
    ("aws_cloudwatch_event_bus_policy", "policy"),
    ("aws_ecr_repository_policy", "policy"),
    ("aws_ecr_registry_policy", "policy"),
    ("aws_lambda_layer_version_permission", "policy"),
    ("aws_vpc_endpoint", "policy"),
    ("aws_organizations_policy", "content"),
)
# Attributes that only read back the policy another resource sets: (type, attribute) -> the type
# of that resource. The read-back may be stale (e.g. SNS's default topic policy, read when the
# topic was created, before the topic policy replaced it), so what is checked is that a resource
# of that type is attached to this one (names its id or ARN); that one is linted.
MIRRORED_ATTRIBUTES: dict[tuple[str, str], str] = {
    ("aws_s3_bucket", "policy"): "aws_s3_bucket_policy",
    ("aws_sqs_queue", "policy"): "aws_sqs_queue_policy",
    ("aws_sns_topic", "policy"): "aws_sns_topic_policy",
}
# The template the promoter puts on every central model package group (PutModelPackageGroupPolicy)
GROUP_POLICY_PARAMETER = "module.model-promotion-hub.aws_ssm_parameter.group_policy_template"
GROUP_POLICY_TOKEN = "{model_package_group_name}"
GROUP_NAME = "team-a-churn"


@dataclass(frozen=True)
class PolicyDocument:
    stack: str
    address: str  # resource address + "." + attribute
    text: str  # what parliament reads (with the implicit Resource, see `with_implicit_resource`)

    @property
    def where(self) -> str:
        return f"{self.stack}:{self.address}"


@dataclass(frozen=True)
class Finding:
    policy: PolicyDocument
    issue: str
    detail: str
    location: str

    def __str__(self) -> str:
        return f"{self.policy.where}: {self.issue}: {self.detail} {self.location}".rstrip()


@dataclass(frozen=True)
class Suppression:
    """An accepted finding: `address` is an fnmatch pattern over `<stack>:<address>`,
    `detail` one over parliament's detail text (e.g. `*s3:TlsVersion*`)."""

    address: str
    issue: str
    detail: str
    reason: str

    def matches(self, finding: Finding) -> bool:
        return (
            finding.issue == self.issue
            and fnmatch.fnmatchcase(finding.policy.where, self.address)
            and fnmatch.fnmatchcase(finding.detail, self.detail)
        )


# The one table of accepted parliament findings: (address pattern over `<stack>:<address>`,
# parliament issue code, detail pattern, reason). fnmatch patterns: `*` also matches `.` and
# `[...]`, so index keys are written as `*`.
SUPPRESSIONS: tuple[Suppression, ...] = (
    Suppression(
        "*:*.aws_kms_key.*.policy",
        "RESOURCE_STAR",
        "*",
        'In a key policy the Resource element must be "*" and stands for the key the policy is '
        "attached to (https://docs.aws.amazon.com/kms/latest/developerguide/"
        "key-policy-overview.html); each statement is narrowed by its principal and conditions. "
        "Same reasoning as the checkov skips CKV_AWS_109/111/356 in the module READMEs.",
    ),
    Suppression(
        "*:*.aws_s3_bucket_policy.*.policy",
        "MISMATCHED_TYPE",
        "Type mismatch: s3:TlsVersion requires a value of type Numeric but given *'1.2'*",
        "False positive: parliament's Numeric pattern is ^\\d+$ (integers only). s3:TlsVersion is "
        "numeric and compared with 1.2, as in the S3 user guide "
        "(https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html"
        "#example-object-tls-version); aws_iam_policy_document renders every condition value as "
        "a string, which IAM numeric operators accept.",
    ),
    Suppression(
        "*:*.aws_s3_bucket_policy.*.policy",
        "UNKNOWN_CONDITION_FOR_ACTION",
        "Unknown condition s3:TlsVersion for action s3:*",
        "DenyTlsOlderThan12 denies s3:* on this bucket below TLS 1.2. The Service Authorization "
        "Reference lists s3:TlsVersion for every S3 action but s3:InitiateReplication (requested "
        "by S3 Batch Replication itself, not over a client connection) and "
        "s3:PutAccessPointPublicAccessBlock (an account-level action, never on this bucket). For "
        "them the key is absent and the Deny does not apply; a Deny never grants, so nothing is "
        "opened.",
    ),
    Suppression(
        "*:*.aws_s3_bucket_policy.*.policy",
        "MISMATCHED_TYPE_BUT_USABLE",
        "Type mismatch: StringNotEquals* requires a value of type String but given Arn",
        "DenyOtherKmsKeys compares s3:x-amz-server-side-encryption-aws-kms-key-id (typed ARN) with "
        "the exact key ARN using StringNotEquals(IfExists), the operator AWS's own SSE-KMS "
        "enforcement examples use for this key; for an exact value, string and ARN comparison "
        "are the same, and parliament itself rates the finding usable.",
    ),
    Suppression(
        "*:module.model-deployment-target.aws_iam_role_policy.deploy.policy",
        "MISMATCHED_TYPE_BUT_USABLE",
        "Type mismatch: StringEqualsIfExists requires a value of type String but given Arn",
        "CreateEndpointConfigsOnlyWithTheEndpointKey compares sagemaker:VolumeKmsKey (typed ARN) "
        "with the exact ARN of the endpoint key: for one exact value string and ARN comparison "
        "are the same (a key id or alias in the request fails either way, closed), and "
        "parliament itself rates the finding usable.",
    ),
    Suppression(
        "prod:module.model-deployment-target.aws_iam_role_policy.deploy.policy",
        "RESOURCE_STAR",
        "*application-autoscaling:*",
        "RegisterEndpointAutoscaling: a scalable target gets a generated id (its ARN is "
        "scalable-target/<random>), so the deploy role cannot name the endpoint's target before "
        "registering it. The statement is scoped by application-autoscaling:service-namespace = "
        "sagemaker and application-autoscaling:scalable-dimension = "
        "sagemaker:variant:DesiredInstanceCount (added with this lint: before, the role could "
        "change any service's scaling in the prod account).",
    ),
    Suppression(
        "*:*.aws_kms_key.*.policy",
        "UNKNOWN_CONDITION_FOR_ACTION",
        "Unknown condition kms:EncryptionContext:aws:logs:arn for action kms:Describe*",
        "The CloudWatch Logs statement is the key policy the CloudWatch Logs guide prescribes "
        "(kms:Encrypt*/Decrypt*/ReEncrypt*/GenerateDataKey*/Describe* for logs.<region> with an "
        "ARN condition on kms:EncryptionContext:aws:logs:arn, https://docs.aws.amazon.com/"
        "AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html). A Describe request carries no "
        "encryption context, so that part of the Allow never matches: it grants nothing more.",
    ),
    Suppression(
        "*:*.aws_kms_key.*.policy",
        "MISMATCHED_TYPE",
        "Type mismatch: Arn* requires a value of type Arn but given String",
        "kms:EncryptionContext:aws:logs:arn holds the log group ARN; ArnEquals/ArnLike on it is "
        "what the CloudWatch Logs guide uses (https://docs.aws.amazon.com/AmazonCloudWatch/"
        "latest/logs/encrypt-log-data-kms.html). The SAR types encryption-context keys as String "
        "because their values are free-form.",
    ),
    Suppression(
        "*:*.aws_ecr_repository_policy.*.policy",
        "UNKNOWN_CONDITION_FOR_ACTION",
        "Unknown condition aws:SourceOrgID for action ecr:*",
        "False positive: parliament 1.6.4's list of global condition keys predates "
        "aws:SourceOrgID, a global key (https://docs.aws.amazon.com/IAM/latest/UserGuide/"
        "reference_policies_condition-keys.html#condition-keys-sourceorgid). With "
        "aws:SourceAccount it limits the SageMaker service principal to pulls on behalf of the "
        "consumer accounts of the organization.",
    ),
    Suppression(
        "*:*.aws_vpc_endpoint.*.policy",
        "OLD_VERSION",
        "*",
        "ml-workspace sets no endpoint policy: what is read back is the endpoint's default "
        "full-access policy, which VPC itself writes with Version 2008-10-17. Access through the "
        "endpoints is decided by the callers' IAM policies; an organization-only endpoint policy "
        "is an open improvement.",
    ),
    Suppression(
        "*:module.ml-workspace.aws_iam_policy.workspace_common.policy",
        "RESOURCE_MISMATCH",
        "*'action': 'sagemaker:DescribeLineageGroup'*",
        "False positive: parliament 1.6.4's action table predates the lineage-group resource type; "
        "the Service Authorization Reference lists lineage-group* for DescribeLineageGroup "
        "(https://docs.aws.amazon.com/service-authorization/latest/reference/"
        "list_amazonsagemaker.html), so the statement names the team's lineage groups.",
    ),
    Suppression(
        "*:module.ml-workspace.aws_iam_policy.workspace_common.policy",
        "RESOURCE_MISMATCH",
        "*'action': 'sagemaker-mlflow:AccessUI'*",
        "False positive: parliament 1.6.4 does not know the sagemaker-mlflow service's "
        "mlflow-tracking-server resource type (https://docs.aws.amazon.com/service-authorization/"
        "latest/reference/list_amazonsagemakerwithmlflow.html); the statement names the team's "
        "tracking server only.",
    ),
    Suppression(
        f"*:{GROUP_POLICY_PARAMETER}.value",
        "RESOURCE_MISMATCH",
        "*'action': 'sagemaker:CreateModel'*",
        "SageMaker's cross-account deployment example grants sagemaker:CreateModel on "
        "model-package/<group>/* in the model package group policy "
        "(https://docs.aws.amazon.com/sagemaker/latest/dg/model-registry-deploy.html"
        "#model-registry-deploy-xaccount): creating a model from another account's package is "
        "authorized against the package, which the Service Authorization Reference does not list "
        "among CreateModel's resource types.",
    ),
    Suppression(
        "*:module.ml-workspace.aws_iam_role_policy.project_launch[[]0[]].policy",
        "RESOURCE_POLICY_PRIVILEGE_ESCALATION",
        "*-project-* due to s3:*",
        "The SageMaker projects launch role creates each project's bucket with the template's "
        "TLS-only bucket policy and lifecycle rule (CloudFormation reads and writes both); it "
        "reads no objects. It is assumable only by Service Catalog and CloudFormation for "
        "launches in its own account (aws:SourceAccount), so the policy it writes is the "
        "template's, not one a person chooses.",
    ),
    Suppression(
        "*:module.ml-workspace.aws_iam_role_policy.project_launch[[]0[]].policy",
        "RESOURCE_STAR",
        "*s3:GetObject*",
        "ReadServiceCatalogTemplateCopies: Service Catalog keeps each version's template in its "
        "own buckets, whose names are not published; the statement is limited by the condition "
        "s3:ExistingObjectTag/servicecatalog:provisioning = true, as in the Service Catalog "
        "launch role example (same reasoning as the checkov skip CKV_AWS_356 in projects.tf).",
    ),
)


# --------------------------------------------------------------------------------------------
# Collecting and linting
# --------------------------------------------------------------------------------------------


def _is_policy(value: object) -> bool:
    if not isinstance(value, str) or '"Statement"' not in value:
        return False
    try:
        return isinstance(json.loads(value), dict)
    except ValueError:
        return False


def with_implicit_resource(text: str, arn: str) -> str:
    """The document with `Resource: arn` in every statement that names no resource.

    A role trust policy applies to the role and a repository policy to the repository: AWS
    forbids a Resource element there. parliament treats a statement without one as MALFORMED
    and then stops analysing the whole document; naming the resource the policy is attached
    to lets it check actions, principals and conditions as AWS evaluates them.
    """
    document = json.loads(text)
    for statement in as_list(document.get("Statement")):
        if "Resource" not in statement and "NotResource" not in statement:
            statement["Resource"] = arn
    return json.dumps(document)


def _implicit_resource_arn(state: State, resource: Resource, attribute: str) -> str | None:
    if resource.type == "aws_iam_role" and attribute == "assume_role_policy":
        return str(resource["arn"])
    if resource.type == "aws_ecr_repository_policy":
        (repository,) = [
            r for r in state.resources("aws_ecr_repository") if r["name"] == resource["repository"]
        ]
        return str(repository["arn"])
    return None


def collect_policies(stack: str, state: State) -> Iterator[PolicyDocument]:
    """Every policy document of the stack's applied state."""
    for rtype, attribute in POLICY_ATTRIBUTES:
        for resource in state.resources(rtype):
            value = resource.get(attribute)
            if not value:
                continue
            arn = _implicit_resource_arn(state, resource, attribute)
            text = value if arn is None else with_implicit_resource(value, arn)
            yield PolicyDocument(stack, f"{resource.address}.{attribute}", text)
    for resource in state.resources("aws_ssm_parameter"):
        if resource.address == GROUP_POLICY_PARAMETER:
            template = resource["value"]
            assert GROUP_POLICY_TOKEN in template, resource.address
            yield PolicyDocument(
                stack,
                f"{resource.address}.value",
                template.replace(GROUP_POLICY_TOKEN, GROUP_NAME),
            )


def unlisted_policy_attributes(state: State) -> list[str]:
    """Managed-resource attributes holding a policy that `collect_policies` does not read
    (a mirrored attribute counts as read only when a policy resource is attached to it)."""
    missing = []
    for resource in state.resources():
        for attribute, value in resource.values.items():
            if (resource.type, attribute) in POLICY_ATTRIBUTES or not _is_policy(value):
                continue
            if resource.address == GROUP_POLICY_PARAMETER:
                continue
            source = MIRRORED_ATTRIBUTES.get((resource.type, attribute))
            names = {resource.get("id"), resource.get("arn")} - {None, ""}
            if source is not None and any(
                names & {v for v in other.values.values() if isinstance(v, str)}
                for other in state.resources(source)
            ):
                continue
            missing.append(f"{resource.address}.{attribute}")
    return missing


def lint(policy: PolicyDocument) -> list[Finding]:
    """parliament's findings for one document, as its CLI reports them (LOW and above)."""
    analyzed = parliament.analyze_policy_string(policy.text, filepath=policy.where)
    findings: dict[tuple[str, str, str], Finding] = {}
    for raw in analyzed.findings:
        parliament.enhance_finding(raw)
        if is_finding_filtered(raw):
            continue
        location = {k: v for k, v in (raw.location or {}).items() if k != "filepath"}
        finding = Finding(
            policy, raw.issue, str(raw.detail or ""), json.dumps(location, default=str)
        )
        # parliament repeats a condition finding once per action a wildcard expands to.
        findings.setdefault((finding.issue, finding.detail, finding.location), finding)
    return list(findings.values())


def suppression_for(finding: Finding) -> Suppression | None:
    return next((s for s in SUPPRESSIONS if s.matches(finding)), None)
