"""The bypass suite: each separation-of-duties path, attempted by principals the platform did
not create, against the guardrails real Terraform rendered and applied.

The default organization is applied into the simulated AWS (the session's `applied_platform`,
management stack first). The simulator does not evaluate SCPs or resource policies, so every
attempt is decided on the applied policy text by `tests.modules.iam_eval` (explicit Deny over
Allow, the condition operators the documents use): a guardrail "refuses" a request when one of
its Deny statements applies. The principals are what a member account can hold without this
platform: an administrator, a PowerUser, a data scientist, a Studio execution role, the
Terraform deployment role. Each path is also tried by the one role it is reserved for, which no
guardrail may refuse (a guardrail that refused everyone would pass the first half).

The names the SCPs protect come from `Naming`; `test_the_scps_name_what_the_hub_created` checks
each against the hub's applied resources, so a renamed resource cannot slip out of the SCPs.
"""

from __future__ import annotations

import json

import pytest

from platform_composition.config import AccountRole, load_platform_config
from platform_composition.naming import Naming
from tests.composition.conftest import ENVIRONMENTS
from tests.modules import iam_eval
from tests.modules.iam_eval import DENIED, Request, Statement
from tests.terraform_state import State
from tests.terraform_support import AppliedPlatform

pytestmark = pytest.mark.slow  # the session's applied sandbox, shared with the e2e tests

CONFIG = load_platform_config(ENVIRONMENTS)
NAMING = Naming(CONFIG)
HUB = CONFIG.shared_services
DEV = CONFIG.by_role(AccountRole.DEV)[0]
(MANAGEMENT,) = CONFIG.by_role(AccountRole.ORGANIZATION)
REGION = HUB.region
P = NAMING.partition
SCP_LIMIT = 5120


def role(account: str, name: str) -> str:
    return f"arn:{P}:iam::{account}:role/{name}"


# -- principals --------------------------------------------------------------------------------
HUB_ADMIN = role(HUB.account_id, "Admin")  # AdministratorAccess
HUB_POWER_USER = role(HUB.account_id, "PowerUser")
DEV_ADMIN = role(DEV.account_id, "Admin")
ML_ENGINEER = role(HUB.account_id, NAMING.ml_engineer_role_name)
OFFICER = role(HUB.account_id, NAMING.governance_officer_role_name)
PROMOTER = NAMING.promoter_role_arn
DEPLOYER = role(HUB.account_id, CONFIG.organization.deployment_role_name or "")
DEV_DEPLOYER = role(DEV.account_id, CONFIG.organization.deployment_role_name or "")
BREAK_GLASS = role(HUB.account_id, NAMING.break_glass_role_name)
WORKSPACE = NAMING.workspace_name(DEV)
LEAD = role(DEV.account_id, f"{WORKSPACE}-lead-data-scientist")
DATA_SCIENTIST = role(DEV.account_id, f"{WORKSPACE}-data-scientist")
STUDIO_LEAD = role(DEV.account_id, f"{WORKSPACE}-studio-lead-data-scientist")
PIPELINE_ROLE, TRIGGER_ROLE = (
    role(HUB.account_id, name) for name in NAMING.deployment_pipeline_role_names
)

# -- resources ---------------------------------------------------------------------------------
CENTRAL_PACKAGE = f"arn:{P}:sagemaker:{REGION}:{HUB.account_id}:model-package/team-a-churn/3"
CENTRAL_GROUP = f"arn:{P}:sagemaker:{REGION}:{HUB.account_id}:model-package-group/team-a-churn"
DEV_PACKAGE = f"arn:{P}:sagemaker:{REGION}:{DEV.account_id}:model-package/{WORKSPACE}-churn/7"
PIPELINE = NAMING.deployment_pipeline_arn
PROD_APPROVAL = f"{PIPELINE}/ApproveProd/ApproveProd"
DEPLOY_PROD = (
    f"arn:{P}:codebuild:{REGION}:{HUB.account_id}:project/"
    f"{NAMING.deployment_pipeline_name}-deploy-prod"
)
PROMOTER_FUNCTION = NAMING.hub_function_arn(NAMING.promoter_function_name)
TRIGGER_FUNCTION = NAMING.hub_function_arn(NAMING.pipeline_trigger_function_name)
SOURCE_ACCOUNTS = (
    f"arn:{P}:ssm:{REGION}:{HUB.account_id}:parameter{NAMING.source_accounts_parameter}"
)
TOOLING = NAMING.deployment_tooling_object_arn.removesuffix("*") + "mlgov-tooling.zip"
# The Signer profile's name is the prefix plus what Terraform generates for name_prefix.
SIGNING_PROFILE = (
    NAMING.signing_profile_arn_pattern.removesuffix("*") + "20261202101010000000000001"
)


def context(principal: str, resource_account: str, **keys: str) -> dict[str, str]:
    return {
        "aws:PrincipalArn": principal,
        "aws:PrincipalAccount": principal.split(":")[4],
        "aws:ResourceAccount": resource_account,
        **keys,
    }


def attempt(
    action: str, resource: str, principal: str, account: str | None = None, **keys: str
) -> Request:
    owner = account or resource.split(":")[4] or HUB.account_id
    return Request(action, resource, context(principal, owner, **keys))


APPROVE = {"sagemaker:ModelApprovalStatus": "Approved"}

# (path, the attempt by someone else, the same call by the role it is reserved for or None)
SCP_PATHS: list[tuple[str, list[Request], list[Request]]] = [
    (
        "approve a central package",
        [
            attempt("sagemaker:UpdateModelPackage", CENTRAL_PACKAGE, p, **APPROVE)
            for p in (HUB_ADMIN, HUB_POWER_USER, DEPLOYER, PROMOTER, OFFICER)
        ]
        # A role of the hub named like a team lead matches the team pattern, not the registry's.
        + [
            attempt(
                "sagemaker:UpdateModelPackage",
                CENTRAL_PACKAGE,
                role(HUB.account_id, "mlgov-x-lead-data-scientist"),
                **APPROVE,
            )
        ],
        [attempt("sagemaker:UpdateModelPackage", CENTRAL_PACKAGE, ML_ENGINEER, **APPROVE)],
    ),
    (
        "approve a team package in its dev account",
        [
            attempt("sagemaker:UpdateModelPackage", DEV_PACKAGE, p, **APPROVE)
            for p in (DEV_ADMIN, DATA_SCIENTIST, STUDIO_LEAD, DEV_DEPLOYER)
        ],
        [attempt("sagemaker:UpdateModelPackage", DEV_PACKAGE, LEAD, **APPROVE)],
    ),
    (
        "register a package as already approved",
        [
            attempt("sagemaker:CreateModelPackage", package, p, **APPROVE)
            for package, p in (
                (CENTRAL_PACKAGE, PROMOTER),
                (CENTRAL_PACKAGE, ML_ENGINEER),
                (DEV_PACKAGE, DATA_SCIENTIST),
                (DEV_PACKAGE, LEAD),
            )
        ]
        + [
            attempt(
                "sagemaker:CreateModelPackage",
                CENTRAL_PACKAGE,
                PROMOTER,
                **{"sagemaker:ModelApprovalStatus": "Rejected"},
            )
        ],
        [
            attempt(
                "sagemaker:CreateModelPackage",
                CENTRAL_PACKAGE,
                PROMOTER,
                **{"sagemaker:ModelApprovalStatus": "PendingManualApproval"},
            ),
            attempt("sagemaker:CreateModelPackage", DEV_PACKAGE, DATA_SCIENTIST),
        ],
    ),
    (
        "answer the production approval",
        [
            attempt("codepipeline:PutApprovalResult", PROD_APPROVAL, p)
            for p in (HUB_ADMIN, HUB_POWER_USER, ML_ENGINEER, DEPLOYER)
        ],
        [attempt("codepipeline:PutApprovalResult", PROD_APPROVAL, OFFICER)],
    ),
    (
        "start or change the deployment pipeline",
        [
            attempt(action, PIPELINE, p)
            for action in (
                "codepipeline:StartPipelineExecution",
                "codepipeline:UpdatePipeline",
                "codepipeline:DisableStageTransition",
                "codepipeline:RetryStageExecution",
            )
            for p in (HUB_POWER_USER, ML_ENGINEER, OFFICER)
        ],
        [
            attempt("codepipeline:StartPipelineExecution", PIPELINE, TRIGGER_ROLE),
            attempt("codepipeline:UpdatePipeline", PIPELINE, DEPLOYER),
        ],
    ),
    (
        "start or change a deployment build",
        [
            attempt(action, DEPLOY_PROD, p)
            for action in ("codebuild:StartBuild", "codebuild:UpdateProject")
            for p in (HUB_ADMIN, HUB_POWER_USER, ML_ENGINEER)
        ],
        [attempt("codebuild:StartBuild", DEPLOY_PROD, PIPELINE_ROLE)],
    ),
    (
        "change the promotion or trigger function",
        [
            attempt(action, function, p)
            for action in ("lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration")
            for function in (PROMOTER_FUNCTION, TRIGGER_FUNCTION)
            for p in (HUB_ADMIN, HUB_POWER_USER)
        ]
        + [attempt("lambda:UpdateAlias", f"{PROMOTER_FUNCTION}:live", HUB_POWER_USER)],
        [attempt("lambda:UpdateFunctionCode", PROMOTER_FUNCTION, DEPLOYER)],
    ),
    (
        "sign code as the platform or lift the functions' code signing",
        [
            attempt(action, SIGNING_PROFILE, p)
            for action in (
                "signer:StartSigningJob",
                "signer:CancelSigningProfile",
                "signer:RevokeSignature",
            )
            for p in (HUB_ADMIN, HUB_POWER_USER, PROMOTER)
        ]
        + [
            attempt(action, function, HUB_ADMIN)
            for action in (
                "lambda:DeleteFunctionCodeSigningConfig",
                "lambda:PutFunctionCodeSigningConfig",
            )
            for function in (PROMOTER_FUNCTION, TRIGGER_FUNCTION)
        ],
        [attempt("signer:StartSigningJob", SIGNING_PROFILE, DEPLOYER)],
    ),
    (
        "rewrite the promotion parameters",
        [attempt("ssm:PutParameter", SOURCE_ACCOUNTS, p) for p in (HUB_ADMIN, HUB_POWER_USER)],
        [attempt("ssm:PutParameter", SOURCE_ACCOUNTS, DEPLOYER)],
    ),
    (
        "replace the deployment tooling",
        [
            attempt("s3:PutObject", TOOLING, p, account=HUB.account_id)
            for p in (HUB_POWER_USER, PIPELINE_ROLE, ML_ENGINEER)
        ],
        [attempt("s3:PutObject", TOOLING, DEPLOYER, account=HUB.account_id)],
    ),
    (
        "create a role the portfolios' principal pattern matches",
        [
            attempt("iam:CreateRole", role(DEV.account_id, "mlgov-evil-lead-data-scientist"), p)
            for p in (DEV_ADMIN, DATA_SCIENTIST, LEAD)
        ],
        [attempt("iam:CreateRole", LEAD, DEV_DEPLOYER)],
    ),
    (
        "make an approver role trust someone else",
        [
            attempt(action, target, p)
            for action in ("iam:UpdateAssumeRolePolicy", "iam:AttachRolePolicy")
            for target, p in (
                (ML_ENGINEER, HUB_ADMIN),
                (OFFICER, HUB_ADMIN),
                (LEAD, DEV_ADMIN),
                (role(DEV.account_id, NAMING.break_glass_role_name), DEV_ADMIN),
            )
        ],
        [attempt("iam:UpdateAssumeRolePolicy", ML_ENGINEER, DEPLOYER)],
    ),
    (
        "rewrite a platform bucket's policy",
        [
            attempt(action, bucket, p, account=HUB.account_id)
            for action in ("s3:PutBucketPolicy", "s3:DeleteBucketPolicy")
            for bucket in (NAMING.artifact_bucket_arn, NAMING.deployment_artifact_bucket_arn)
            for p in (HUB_ADMIN, HUB_POWER_USER, PROMOTER)
        ],
        [attempt("s3:PutBucketPolicy", NAMING.artifact_bucket_arn, DEPLOYER, HUB.account_id)],
    ),
    (
        "rewrite a central model package group's policy",
        [
            attempt(action, CENTRAL_GROUP, p)
            for action in (
                "sagemaker:PutModelPackageGroupPolicy",
                "sagemaker:DeleteModelPackageGroupPolicy",
            )
            for p in (HUB_ADMIN, HUB_POWER_USER, ML_ENGINEER)
        ],
        [attempt("sagemaker:PutModelPackageGroupPolicy", CENTRAL_GROUP, PROMOTER)],
    ),
    (
        "create a SageMaker domain with internet access",
        [
            attempt("sagemaker:CreateDomain", "*", DEV_ADMIN, account=DEV.account_id, **keys)
            for keys in ({"sagemaker:AppNetworkAccessType": "PublicInternetOnly"}, {})
        ]
        + [
            attempt(
                "sagemaker:UpdateDomain",
                "*",
                DEV_DEPLOYER,
                account=DEV.account_id,
                **{"sagemaker:AppNetworkAccessType": "PublicInternetOnly"},
            )
        ],
        [
            attempt(
                "sagemaker:CreateDomain",
                "*",
                DEV_DEPLOYER,
                account=DEV.account_id,
                **{"sagemaker:AppNetworkAccessType": "VpcOnly"},
            ),
            attempt("sagemaker:UpdateDomain", "*", DEV_DEPLOYER, account=DEV.account_id),
        ],
    ),
    (
        "stop CloudTrail",
        [
            attempt(action, "*", p, account=HUB.account_id)
            for action in ("cloudtrail:StopLogging", "cloudtrail:DeleteTrail")
            for p in (HUB_ADMIN, DEPLOYER)
        ],
        [attempt("cloudtrail:StopLogging", "*", BREAK_GLASS, account=HUB.account_id)],
    ),
]


@pytest.fixture(scope="module")
def management(applied_platform: AppliedPlatform) -> State:
    return State(applied_platform.state(MANAGEMENT.name))


@pytest.fixture(scope="module")
def hub(applied_platform: AppliedPlatform) -> State:
    return State(applied_platform.state(HUB.name))


@pytest.fixture(scope="module")
def scp_statements(management: State) -> list[Statement]:
    return [
        statement
        for policy in management.resources("aws_organizations_policy")
        for statement in iam_eval.statements_from_json(policy["content"], policy["name"])
    ]


def refused(statements: list[Statement], request: Request) -> bool:
    return iam_eval.decide([s for s in statements if s.effect == "Deny"], [request]).verdict == (
        DENIED
    )


def describe(request: Request) -> str:
    return f"{request.context['aws:PrincipalArn']} {request.action} {request.resource}"


@pytest.mark.parametrize(
    ("path", "attempts", "reserved"), SCP_PATHS, ids=[path for path, _, _ in SCP_PATHS]
)
def test_the_scps_refuse_every_other_principal(
    scp_statements: list[Statement],
    path: str,
    attempts: list[Request],
    reserved: list[Request],
) -> None:
    let_through = [describe(r) for r in attempts if not refused(scp_statements, r)]
    assert not let_through, f"{path}: the SCPs let through {let_through}"
    blocked = [describe(r) for r in reserved if refused(scp_statements, r)]
    assert not blocked, f"{path}: the SCPs refuse the role it is reserved for: {blocked}"


def test_the_break_glass_role_passes_every_scp(scp_statements: list[Statement]) -> None:
    """The written break-glass path: one role name, exempt from every statement."""
    for _, attempts, _ in SCP_PATHS:
        for request in attempts:
            glass = Request(
                request.action,
                request.resource,
                {**request.context, "aws:PrincipalArn": BREAK_GLASS},
            )
            assert not refused(scp_statements, glass), describe(glass)


def test_the_scps_fit_and_reach_every_ml_account(management: State) -> None:
    policies = {p["name"]: p for p in management.resources("aws_organizations_policy")}
    assert set(policies) == {
        f"{NAMING.prefix}-ml-separation-of-duties",
        f"{NAMING.prefix}-ml-platform-integrity",
    }
    for policy in policies.values():
        assert policy["type"] == "SERVICE_CONTROL_POLICY"
        assert len(policy["content"]) <= SCP_LIMIT, (policy["name"], len(policy["content"]))
    workloads_ou = CONFIG.organization.workloads_ou_path.rstrip("/").rsplit("/", 1)[-1]
    expected = {workloads_ou} | {
        env.account_id
        for env in CONFIG.environments
        if env.role not in (AccountRole.DEV, AccountRole.ORGANIZATION)
    }
    by_policy: dict[str, set[str]] = {}
    ids = {p["id"]: name for name, p in policies.items()}
    for attachment in management.resources("aws_organizations_policy_attachment"):
        by_policy.setdefault(ids[attachment["policy_id"]], set()).add(attachment["target_id"])
    assert by_policy == dict.fromkeys(policies, expected)
    admin = management.one("aws_organizations_delegated_administrator")
    assert (admin["account_id"], admin["service_principal"]) == (
        HUB.account_id,
        "servicecatalog.amazonaws.com",
    )
    assert management.one("aws_servicecatalog_organizations_access")["enabled"] is True


def test_the_scps_name_what_the_hub_created(hub: State, scp_statements: list[Statement]) -> None:
    """Every resource and role the SCPs protect by name is one the hub stack created."""
    pipeline = hub.one("aws_codepipeline", module="model-deployment-pipeline")
    assert pipeline["arn"] == PIPELINE
    projects = {
        p["arn"] for p in hub.resources("aws_codebuild_project", module="model-deployment-pipeline")
    }
    assert DEPLOY_PROD in projects
    functions = {f["arn"] for f in hub.resources("aws_lambda_function")}
    assert len(projects) == 3
    assert {PROMOTER_FUNCTION, TRIGGER_FUNCTION} <= functions
    roles = {r["arn"] for r in hub.resources("aws_iam_role")}
    assert {ML_ENGINEER, OFFICER, PROMOTER, PIPELINE_ROLE, TRIGGER_ROLE} <= roles
    tooling = hub.one("aws_s3_object", module="model-deployment-pipeline")
    assert f"arn:{P}:s3:::{tooling['bucket']}/{tooling['key']}" == TOOLING
    parameters = {p["name"] for p in hub.resources("aws_ssm_parameter")}
    assert NAMING.source_accounts_parameter in parameters
    # The functions run the signed copies, under the code signing config, signed by the profile
    # the SCP reserves.
    profile = hub.one("aws_signer_signing_profile", module="lambda-code-signing")
    config = hub.one("aws_lambda_code_signing_config", module="lambda-code-signing")
    for function in hub.resources("aws_lambda_function"):
        if function["arn"] in (PROMOTER_FUNCTION, TRIGGER_FUNCTION):
            assert function["code_signing_config_arn"] == config["arn"]
            assert function["s3_key"].startswith("signed/")
    # Each protected name is refused to an outsider, so each pattern matches it.
    for arn, action in (
        (profile["arn"], "signer:StartSigningJob"),
        (profile["version_arn"], "signer:StartSigningJob"),
        (PROMOTER_FUNCTION, "lambda:UpdateFunctionCode"),
        (TRIGGER_FUNCTION, "lambda:UpdateFunctionCode"),
        *((project, "codebuild:StartBuild") for project in projects),
        *((r, "iam:UpdateAssumeRolePolicy") for r in (ML_ENGINEER, OFFICER, PROMOTER)),
    ):
        assert refused(scp_statements, attempt(action, arn, HUB_POWER_USER)), arn


# -- resource policies: the same limits inside the hub, where SCPs may not be allowed ----------


def resource_policy_statements(document: str, source: str) -> list[Statement]:
    """The Deny-to-everyone statements of a resource policy, as identity statements: with
    `Principal: *` they apply to every caller, the hub's own principals included."""
    policy = json.loads(document)
    raw = policy["Statement"] if isinstance(policy["Statement"], list) else [policy["Statement"]]
    everyone = [
        {k: v for k, v in s.items() if k != "Principal"}
        for s in raw
        if s["Effect"] == "Deny" and s.get("Principal") in ("*", {"AWS": "*"})
    ]
    return iam_eval.statements_from_json(json.dumps({"Statement": everyone}), source)


def bucket_policy(hub: State, module: str) -> list[Statement]:
    policy = hub.one("aws_s3_bucket_policy", module=module)
    return resource_policy_statements(policy["policy"], f"{module} bucket policy")


def group_policy(hub: State) -> list[Statement]:
    (template,) = [
        p
        for p in hub.resources("aws_ssm_parameter")
        if p["name"] == NAMING.group_policy_template_parameter
    ]
    document = template["value"].replace("{model_package_group_name}", "team-a-churn")
    return resource_policy_statements(document, "central model package group policy")


def test_the_registry_bucket_takes_promoted_bytes_from_the_promoter_only(hub: State) -> None:
    # The registry's bucket and key come from the shared blocks (modules/shared/s3-bucket and
    # kms-key), called as artifact_bucket and kms_key.
    registry = "module.central-model-registry.module."
    policy = hub.resource(f"{registry}artifact_bucket.aws_s3_bucket_policy.this")
    statements = resource_policy_statements(
        policy["policy"], "central-model-registry bucket policy"
    )
    bucket = hub.resource(f"{registry}artifact_bucket.aws_s3_bucket.this")["bucket"]
    key = hub.resource(f"{registry}kms_key.aws_kms_key.this")["arn"]
    # Every write as the promoter sends it: TLS 1.3, SSE-KMS with the registry key.
    sent = {
        "aws:SecureTransport": "true",
        "s3:TlsVersion": "1.3",
        "s3:x-amz-server-side-encryption": "aws:kms",
        "s3:x-amz-server-side-encryption-aws-kms-key-id": key,
    }

    def attempt(action: str, resource: str, principal: str, account: str) -> Request:
        return Request(action, resource, {**context(principal, account), **sent})

    artifact = f"arn:{P}:s3:::{bucket}/promoted/{DEV.account_id}/churn/7/model.tar.gz"
    for principal in (HUB_ADMIN, HUB_POWER_USER, ML_ENGINEER, DEPLOYER):
        for action in ("s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion"):
            request = attempt(action, artifact, principal, HUB.account_id)
            assert refused(statements, request), describe(request)
    assert not refused(statements, attempt("s3:PutObject", artifact, PROMOTER, HUB.account_id))
    # Nobody deletes the version a lineage manifest recorded, the promoter included.
    request = attempt("s3:DeleteObjectVersion", artifact, PROMOTER, HUB.account_id)
    assert refused(statements, request)
    staged = f"arn:{P}:s3:::{bucket}/staging/{DEV.account_id}/x"
    assert not refused(statements, attempt("s3:PutObject", staged, PROMOTER, HUB.account_id))


def test_the_group_policy_leaves_approval_to_the_ml_engineer(hub: State) -> None:
    statements = group_policy(hub)
    for principal in (HUB_ADMIN, HUB_POWER_USER, PROMOTER, OFFICER):
        request = attempt("sagemaker:UpdateModelPackage", CENTRAL_PACKAGE, principal, **APPROVE)
        assert refused(statements, request), describe(request)
    approve = attempt("sagemaker:UpdateModelPackage", CENTRAL_PACKAGE, ML_ENGINEER, **APPROVE)
    assert not refused(statements, approve)
    # Metadata edits carry no status and stay open to the package's owners.
    assert not refused(
        statements, attempt("sagemaker:UpdateModelPackage", CENTRAL_PACKAGE, PROMOTER)
    )
    for status in ("Approved", "Rejected"):
        request = attempt(
            "sagemaker:CreateModelPackage",
            CENTRAL_PACKAGE,
            PROMOTER,
            **{"sagemaker:ModelApprovalStatus": status},
        )
        assert refused(statements, request), status
    pending = attempt(
        "sagemaker:CreateModelPackage",
        CENTRAL_PACKAGE,
        PROMOTER,
        **{"sagemaker:ModelApprovalStatus": "PendingManualApproval"},
    )
    assert not refused(statements, pending)


def test_the_pipeline_bucket_keeps_tooling_and_artifacts_to_their_owners(hub: State) -> None:
    # The pipeline's artifact bucket comes from the shared block (modules/shared/s3-bucket),
    # called as artifact_bucket.
    policy = hub.resource(
        "module.model-deployment-pipeline.module.artifact_bucket.aws_s3_bucket_policy.this"
    )
    statements = resource_policy_statements(
        policy["policy"], "model-deployment-pipeline bucket policy"
    )
    tooling = hub.one("aws_s3_object", module="model-deployment-pipeline")
    bundle = f"arn:{P}:s3:::{tooling['bucket']}/{tooling['key']}"
    artifact = f"arn:{P}:s3:::{tooling['bucket']}/{NAMING.deployment_pipeline_name}/tooling/x"
    for principal in (HUB_ADMIN, HUB_POWER_USER, ML_ENGINEER, PIPELINE_ROLE):
        request = attempt("s3:PutObject", bundle, principal, account=HUB.account_id)
        assert refused(statements, request), describe(request)
    assert not refused(statements, attempt("s3:PutObject", bundle, DEPLOYER, HUB.account_id))
    for principal in (HUB_ADMIN, HUB_POWER_USER, OFFICER):
        request = attempt("s3:PutObject", artifact, principal, account=HUB.account_id)
        assert refused(statements, request), describe(request)
    assert not refused(
        statements, attempt("s3:PutObject", artifact, PIPELINE_ROLE, account=HUB.account_id)
    )
