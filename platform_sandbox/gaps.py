"""Every place where the simulated AWS (moto 5.2) differs from AWS, in one file.

Each gap says what real AWS does and how the sandbox closes it: by patching the simulator (in the
server process only) or by seeding it with what AWS would already hold. Product code is never
changed to please the simulator. The SageMaker Studio patches (domains, user profiles, MLflow
tracking servers) are in `gaps_sagemaker_studio`, the Lake Formation patches (LF-tag grants,
data lake settings, resource LF-tags) in `gaps_lake_formation`; their gaps are listed here with
the others.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from platform_sandbox import gaps_cloudformation as cloudformation
from platform_sandbox import gaps_code_signing as code_signing
from platform_sandbox import gaps_codeconnections as codeconnections
from platform_sandbox import gaps_codepipeline as codepipeline
from platform_sandbox import gaps_feature_store as feature_store
from platform_sandbox import gaps_lake_authorization as lake_authorization
from platform_sandbox import gaps_lake_consumer as lake_consumer
from platform_sandbox import gaps_lake_formation as lake_formation
from platform_sandbox import gaps_organization as organization
from platform_sandbox import gaps_sagemaker_studio as studio
from platform_sandbox import gaps_service_catalog as service_catalog

# Powertools for AWS Lambda publishes its public layers from this account (commercial partition).
POWERTOOLS_PUBLISHER_ACCOUNT = "017000801446"


@dataclass(frozen=True)
class Gap:
    """One difference between moto and AWS, and what the sandbox does about it."""

    name: str
    real_aws: str
    sandbox: str


GAPS: tuple[Gap, ...] = (
    Gap(
        "simulator-lost-replies",
        "AWS answers every call it handled; an SDK retries a call only when no reply came, and "
        "a retry of a create that succeeded does not happen.",
        "Under load a connection to the simulator can break after it handled a call and before "
        "the client read the reply; the SDK's retry of that call (same amz-sdk-invocation-id) "
        "would create twice ('already exists') or delete twice ('not found'). The server keeps "
        "the reply of each successful mutating call and answers its retries with it "
        "(`simulator.RetriedCallReplies`); failed calls and reads run again.",
    ),
    Gap(
        "codebuild-codepipeline-source",
        "CreateProject accepts CODEPIPELINE (or NO_SOURCE) sources and CODEPIPELINE artifacts "
        "without a location: the pipeline hands the build its input and takes its output.",
        "moto requires a location for every source and artifact type; the server accepts those "
        "without one.",
    ),
    Gap(
        "lambda-cross-account-layer",
        "A function may use a layer version published by another account that shares it (the "
        "AWS-published Powertools layer lives in account 017000801446).",
        "moto looks a layer ARN up in the function's own account; the server resolves it in the "
        "account and region the ARN names, and the sandbox publishes the Powertools layer "
        "versions in the publishing account.",
    ),
    Gap(
        "s3-conditional-bucket-policy",
        "S3 evaluates a bucket policy's conditions (aws:SecureTransport, aws:PrincipalAccount, "
        "...) against the request, so a TLS-only Deny never matches a TLS request.",
        "moto evaluates bucket policies without any request context, so every conditional Deny "
        "matches (even over TLS); the server evaluates only the statements without conditions. "
        "Policy text is asserted on the plan instead.",
    ),
    Gap(
        "codepipeline-timestamps",
        "GetPipeline and ListPipelines return `created`/`updated` as epoch-second numbers (the "
        "JSON protocol's timestamp format).",
        "moto returns ISO 8601 strings, which the Go SDK in the Terraform provider refuses; the "
        "server returns epoch seconds.",
    ),
    Gap(
        "codebuild-encryption-key",
        "BatchGetProjects returns the customer managed key a project was created with "
        "(`encryptionKey`).",
        "moto always returns the AWS managed alias/aws/s3, so every plan would replace the key; "
        "the server keeps the key of the request.",
    ),
    Gap(
        "lambda-configuration-read-back",
        "GetFunction returns the function's DeadLetterConfig and LoggingConfig (log format, log "
        "group) as created.",
        "moto drops both, so every plan would set them again; the server keeps and returns them.",
    ),
    Gap(
        "security-group-rule-prefix-list-description",
        "A security group rule to a managed prefix list keeps its description "
        "(DescribeSecurityGroupRules).",
        "moto keeps descriptions of CIDR rules only; the server keeps those of prefix-list rules "
        "too.",
    ),
    Gap(
        "ecr-layer-download",
        "GetDownloadUrlForLayer returns a pre-signed HTTPS URL from which the layer's bytes are "
        "downloaded.",
        "moto keeps only layer sizes and does not implement GetDownloadUrlForLayer; the server "
        "keeps uploaded layer bytes and serves them at https://<simulator>/_sandbox/ecr-layer/.",
    ),
    Gap(
        "organization-baseline",
        "The platform is applied into an existing organization: the one `organization.hcl` "
        "names (its id, management account, the root and OUs of `workloads_ou_path`), with "
        "every environment's account in its OU (dev accounts in the workloads OU, the others "
        "where the organization keeps them), trusted access for Service Catalog enabled and the "
        "hub registered as Service Catalog's delegated administrator, so that the hub's "
        "portfolio shares to the workloads OU succeed.",
        "moto's Organizations API draws every organization, root, OU and account id at random, "
        "so the configured organization cannot be built through it; the server builds it in "
        "moto's Organizations backend with the configured ids (POST "
        "/moto-api/sandbox/organization, `gaps_organization`, called by `Sandbox.prepare`), "
        "other accounts under the root, and enables that trusted access (Service Catalog's AWS "
        "Organizations access, ENABLED) and delegation. Account e-mails are invented "
        "(example.com).",
    ),
    Gap(
        "account-baseline-deployment-role",
        "The role Terraform assumes in each account (`deployment_role_name`) exists before the "
        "platform: account vending (e.g. Control Tower) creates it; modules that add the "
        "principal running Terraform to Lake Formation's administrators read it back "
        "(iam:GetRole through aws_iam_session_context).",
        "moto's STS lets any role name be assumed, existing or not; the sandbox creates the "
        "deployment role in every simulated account.",
    ),
    Gap(
        "account-baseline-access-log-bucket",
        "The S3 server access log bucket an environment names (`lake.access_log_bucket`, "
        "`workspace.access_log_bucket`) exists in that account and region before the platform "
        "and admits the S3 logging service: the organization's logging baseline creates it.",
        "An empty simulated account has no such bucket, and S3 refuses logging to a bucket that "
        "does not exist; the sandbox creates each named bucket with that policy.",
    ),
    Gap(
        "test-prod-network",
        "The VPC and private subnets of the test and prod endpoints exist before the platform "
        "(they belong to the account's network baseline).",
        "The sandbox creates a VPC with two private subnets in each target account and writes "
        "their ids into the sandbox's copy of the environment files.",
    ),
    Gap(
        "sagemaker-state-change-events",
        "SageMaker puts a `SageMaker Model Package State Change` event (source `aws.sagemaker`, "
        "detail = the package's description) on the account's default bus when a model package "
        "is registered or updated (approved, rejected).",
        "moto emits no event; the server puts that event on the package account's default bus "
        "after every CreateModelPackage and UpdateModelPackage.",
    ),
    Gap(
        "sagemaker-caller-identity",
        "A model package's `CreatedBy` / `LastModifiedBy` name the calling IAM principal "
        "(`IamIdentity.Arn`, the assumed-role session), so the registry says who registered and "
        "who approved.",
        "moto records a fixed fake Studio user profile; the server records the caller's identity "
        "(moto's STS view of the request's access key).",
    ),
    Gap(
        "sagemaker-partial-updates",
        "UpdateModelPackage and UpdateModelCard change only what the request sets: approval "
        "description, status and customer metadata properties (merged) of a package, content "
        "and status of a card are kept when the request omits them.",
        "moto overwrites them with null (an approval erased the promotion lineage, a card update "
        "its status); the server keeps what the request does not set.",
    ),
    Gap(
        "sagemaker-update-endpoint",
        "UpdateEndpoint moves an endpoint to a new endpoint config (blue/green: Updating, then "
        "InService on the new config, or rolled back on an alarm); with "
        "RetainAllVariantProperties the variants keep their current instance counts.",
        "moto does not implement it; the server switches the endpoint to the new config at once "
        "(InService, no alarm ever fires), keeping instance counts when asked to retain them.",
    ),
    Gap(
        "sagemaker-model-package-group-policy",
        "Put/Get/DeleteModelPackageGroupPolicy store a group's resource policy (cross-account "
        "read for test/prod); Get on a group without one is a ValidationException.",
        "moto does not implement them; the server stores the policy text per group (not "
        "enforced: moto evaluates no resource policy).",
    ),
    Gap(
        "cloudformation-project-resources",
        "CloudFormation creates every resource of a SageMaker project template: "
        "AWS::S3::BucketPolicy, AWS::SageMaker::ModelPackageGroup (with its "
        "ModelPackageGroupPolicy), AWS::CodeBuild::Project, AWS::CodePipeline::Pipeline, and an "
        "AWS::S3::Bucket with every setting it declares (S3 Bucket Key, public access block, "
        "ownership controls, versioning, lifecycle); each resource carries its own tags, the "
        "stack's and aws:cloudformation:stack-name/stack-id/logical-id.",
        "moto skips the four types with a warning (the stack is CREATE_COMPLETE with nothing "
        "behind them) and applies only a bucket's encryption, without the Bucket Key, and tags; "
        "the server creates them in moto's own backends from the properties as given (group "
        "policies where the server keeps them, CodeBuild variables and buildspec, pipeline "
        "stages, triggers and action configurations) and refuses a property it would not apply "
        "(`gaps_cloudformation`). Nothing runs behind them: a new pipeline starts no execution.",
    ),
    Gap(
        "cloudformation-parameter-constraints",
        "CreateStack and UpdateStack refuse (ValidationError, nothing created) a parameter value "
        "that breaks its AllowedValues, AllowedPattern, Min/MaxLength or Min/MaxValue (for SSM "
        "parameter types, the SSM name is checked), an unknown parameter and an SSM parameter "
        "that does not exist; Ref gives a Number parameter as the string given.",
        "moto checks none of it and gives Number parameters as numbers; the server checks them "
        "and gives the string (`gaps_cloudformation`).",
    ),
    Gap(
        "cloudformation-create-rollback",
        "A resource that cannot be created fails the stack, not the CreateStack call: the "
        "resource is CREATE_FAILED, the stack deletes what it created (keeping resources with "
        "DeletionPolicy Retain) and ends ROLLBACK_COMPLETE with the reason.",
        "moto fails the call and leaves the stack CREATE_IN_PROGRESS with what it created; the "
        "server rolls the creation back as CloudFormation does (`gaps_cloudformation`). A "
        "failed update is not rolled back.",
    ),
    Gap(
        "events-cross-account-delivery",
        "A rule whose target is another (cross-account) event bus delivers the event unchanged: "
        "same id, time, `account` (the sender's), region and `resources`.",
        "moto re-puts a new event stamped with the receiving account and without `resources`; "
        "the server hands the original event to the target bus's rules.",
    ),
    Gap(
        "events-lambda-targets",
        "A rule invokes its Lambda targets asynchronously with the event.",
        "moto raises NotImplementedError (PutEvents fails with HTTP 500); the server records "
        "each delivery (function ARN, rule ARN, event as Lambda receives it) and lists them at "
        "https://<simulator>/moto-api/sandbox/lambda-deliveries. Lambda code never runs in "
        "moto: the sandbox runs handlers in-process with those events.",
    ),
    Gap(
        "sagemaker-studio-domain",
        "CreateDomain checks the VPC and subnets and returns the new domain's id (d-<12 "
        "characters>) with its ARN; DescribeDomain returns what the request set, TagPropagation "
        "too; UpdateDomain changes the settings it names; a missing domain is ResourceNotFound; "
        "DeleteDomain is refused while the domain has user profiles. SageMaker also creates the "
        "domain's home EFS and its NFS security groups in the VPC.",
        "moto returns no DomainId (the provider cannot find its domain), drops TagPropagation, "
        "has no UpdateDomain and answers a missing domain with a ValidationException (the "
        "provider's delete waiter fails); the server closes those gaps "
        "(`gaps_sagemaker_studio`). No EFS or security group is created: the ids returned for "
        "them name nothing.",
    ),
    Gap(
        "sagemaker-studio-user-profiles",
        "Create/Describe/Update/Delete/ListUserProfiles manage a domain's user profiles: "
        "InService, a home EFS uid, the IAM Identity Center user in a domain with AuthMode SSO "
        "(only there), tags by ARN user-profile/<domain id>/<name>.",
        "moto has no user profiles; the server keeps them as the request set them, InService at "
        "once (`gaps_sagemaker_studio`).",
    ),
    Gap(
        "sagemaker-mlflow-tracking-servers",
        "Create/Describe/Update/Delete/ListMlflowTrackingServers run a managed MLflow server "
        "(Creating, then Created; MLflow version and maintenance window chosen by AWS when the "
        "request names none).",
        "moto does not implement them; the server keeps each tracking server as the request set "
        "it, Created or Updated at once, its role checked; no MLflow runs "
        "(`gaps_sagemaker_studio`).",
    ),
    Gap(
        "sagemaker-add-tags",
        "AddTags with a key the resource already has replaces that tag's value.",
        "moto appends a second tag with the same key (ListTags shows both, so a changed tag "
        "never converges); the server replaces it, on user profiles and tracking servers too.",
    ),
    Gap(
        "lakeformation-lf-tag-policy-permissions",
        "ListPermissions filtered by an LF-tag expression (Resource.LFTagPolicy: resource type and "
        "expression) or an LF-tag (Resource.LFTag) lists the grants on exactly that expression, "
        "whatever order its keys and values were given in; RevokePermissions on it removes them.",
        "moto stores such grants as the request spelled them and refuses to list by them "
        '("Resource must have either the catalog, table or database field populated"), so the '
        "provider cannot read `aws_lakeformation_permissions` with `lf_tag_policy`; the server "
        "keeps expressions in one canonical order and lists them (`gaps_lake_formation`).",
    ),
    Gap(
        "lakeformation-data-lake-settings-omitted",
        "PutDataLakeSettings replaces the settings: a list the request omits (administrators, "
        "default permissions for new databases and tables, trusted owners, ...) is cleared, and "
        "GetDataLakeSettings returns it empty.",
        "moto stores the request as it came, so omitted lists are missing from "
        "GetDataLakeSettings; the server stores them empty (`gaps_lake_formation`).",
    ),
    Gap(
        "lakeformation-resource-lf-tags",
        "GetResourceLFTags on a table returns its database's tags (LFTagOnDatabase) and the "
        "table's effective tags (inherited from the database, overridden per key by the table; "
        "only the assigned ones with ShowAssignedLFTags), also for a table without tags of its "
        "own; AddLFTagsToResource adds to a resource's tags and refuses values the LF-tag does "
        "not allow.",
        "moto returns only tags assigned to the table itself, fails (HTTP 500) on a database or "
        "table without any, replaces all of a resource's tags on every add and checks tag keys "
        "only; the server answers as Lake Formation does (`gaps_lake_formation`).",
    ),
    Gap(
        "lakeformation-data-cells-filters",
        "Create/Get/Delete/ListDataCellsFilter keep a table's column and row filters (exactly one "
        "of ColumnNames and ColumnWildcard; a duplicate name on the table is "
        "AlreadyExistsException, a missing filter EntityNotFoundException), and ListPermissions "
        "lists the grants on a DataCellsFilter resource.",
        "moto implements only ListDataCellsFilter (always empty) and refuses to list permissions "
        "by a DataCellsFilter resource; the server keeps each filter as the request set it and "
        "lists its grants (`gaps_lake_formation`). Filters are stored, not applied to any query.",
    ),
    Gap(
        "lakeformation-revoke-nothing-held",
        "RevokePermissions of permissions the grantee does not hold on that resource is refused "
        '(InvalidInputException "No permissions revoked. Grantee has no ..."); the Terraform '
        "provider revokes a grant until it gets that answer.",
        "moto answers such a revoke with success, so destroying any aws_lakeformation_permissions "
        "retries until it fails; the server refuses it as Lake Formation does "
        "(`gaps_lake_consumer`).",
    ),
    Gap(
        "lakeformation-authorization",
        "Glue GetDatabase(s)/GetTable(s) naming another account's catalog (CatalogId) or a "
        "database resource link to it answer from that catalog with what its Lake Formation "
        "grants the caller (its role, or its account and then what the account re-grants): "
        'GetTable on a table without permission is AccessDeniedException "Insufficient Lake '
        'Formation permission(s) on <table>", GetTables lists only the permitted tables.',
        "moto ignores CatalogId (answers from the caller's own account), follows no resource "
        "link and enforces no Lake Formation permission; the server answers those reads from "
        "the other account's catalog, filtered by named-resource and LF-tag-expression grants "
        "on the effective LF-tags (`gaps_lake_authorization`). Not modelled: column and cell "
        "filters at read, the caller's IAM policies, the grant option of re-grants.",
    ),
    Gap(
        "sagemaker-feature-groups",
        "CreateFeatureGroup keeps the description, online store (with its KMS key) and "
        "throughput it is given, resolves the offline store's S3 URI and creates the offline "
        "store's Glue table in the named database; feature groups can be tagged and deleted.",
        "moto drops all but the definitions and the offline store, creates no Glue table, "
        "cannot tag or delete a feature group; the server keeps and describes what the request "
        "set and creates the table (`gaps_feature_store`). No records, no ingestion.",
    ),
    Gap(
        "ram-sagemaker-shares",
        "RAM shares feature groups and the feature group catalog, keeps a share's tags and "
        "managed permissions, filters GetResourceShares by ARN, name and status, and adds or "
        "removes principals and resources with Associate-/DisassociateResourceShare.",
        "moto refuses SageMaker resource types, returns every share without tags whatever the "
        "filter and has no Associate-/DisassociateResourceShare; the server does all of it "
        "(`gaps_feature_store`). A share is not visible from the consumer account.",
    ),
    Gap(
        "codeconnections-service",
        "CodeConnections (JSON 1.0, target CodeConnections_20231201) keeps each account's "
        "connections per region: CreateConnection returns arn:aws:codeconnections:<region>:"
        "<account>:connection/<uuid> in status PENDING until the provider's handshake is "
        "completed in the console; GetConnection, ListConnections (filtered by provider type or "
        "host), DeleteConnection, Tag-/UntagResource and ListTagsForResource; "
        "ResourceNotFoundException for an unknown ARN, LimitExceededException beyond 250 "
        "connections, ValidationException for a name longer than 32 characters or an unknown "
        "provider type.",
        "moto has no CodeConnections service (the server cannot even route it: every call is an "
        "HTTP 500); the server answers those seven operations per account and region, with "
        "AWS's errors (`gaps_codeconnections`). Connections stay PENDING and reach no "
        "repository; hosts are not simulated (a connection through a host is refused as "
        "through a host not set up), nor are the other CodeConnections operations.",
    ),
    Gap(
        "servicecatalog-portfolios-and-products",
        "CreatePortfolio and CreateProduct return ids port-/prod- and 13 lower-case letters or "
        "digits; a product comes with its first provisioning artifact, whose CloudFormation "
        "template Service Catalog reads and validates from the template URL (unless "
        "DisableTemplateValidation); DescribePortfolio and DescribeProductAsAdmin return tags, "
        "TagOptions and versions; UpdatePortfolio and UpdateProduct change what they name and "
        "add or remove tags; a missing portfolio or product is ResourceNotFoundException; a "
        "portfolio with products, principals, constraints or shares, or a product in a "
        "portfolio, cannot be deleted (ResourceInUseException).",
        "moto returns UUIDs, creates no provisioning artifact, has no DescribeProductAsAdmin, "
        "UpdatePortfolio or UpdateProduct and answers a missing portfolio with an empty result; "
        "the server keeps portfolios and products per account and region as Service Catalog "
        "does (`gaps_service_catalog`). A template is validated only when it lies in a bucket "
        "the simulator holds (others cannot be read); nothing can be launched from a product.",
    ),
    Gap(
        "servicecatalog-provisioning-artifacts",
        "Create-/Describe-/Update-/Delete-/ListProvisioningArtifacts manage a product's "
        "versions (pa-...): UpdateProvisioningArtifact sets Active and Guidance "
        "(DEFAULT/DEPRECATED), name and description; DescribeProvisioningArtifact reports the "
        "template source (Info.TemplateUrl); a version's type is its product's type; the last "
        "version of a product cannot be deleted.",
        "moto has no provisioning artifacts; the server keeps each version as the request set "
        "it, AVAILABLE at once (`gaps_service_catalog`). No version is ever launched.",
    ),
    Gap(
        "servicecatalog-product-associations-and-constraints",
        "AssociateProductWithPortfolio puts a product in a portfolio (ListPortfoliosForProduct); "
        "constraints (cons-...) apply to a product in a portfolio: LAUNCH names exactly one of "
        "RoleArn and LocalRoleName, and the role must exist in the account; one LAUNCH, "
        "RESOURCE_UPDATE or STACKSET per product and portfolio (DuplicateResourceException), "
        "never LAUNCH and STACKSET together; NOTIFICATION, RESOURCE_UPDATE, TEMPLATE and "
        "STACKSET parameters have their own shapes (InvalidParametersException otherwise); a "
        "product with constraints in a portfolio is not removed from it (ResourceInUseException).",
        "moto implements none of it; the server validates and stores associations and "
        "constraints (`gaps_service_catalog`). Constraints are never applied: nothing launches.",
    ),
    Gap(
        "servicecatalog-tag-options",
        "Create-/Describe-/Update-/Delete-/ListTagOptions keep key=value pairs (tag-..., a pair "
        "exists once: DuplicateResourceException); AssociateTagOptionWithResource attaches one "
        "to a portfolio or product (an inactive TagOption: InvalidStateException; twice: "
        "DuplicateResourceException), listed by ListResourcesForTagOption and in "
        "DescribePortfolio/DescribeProductAsAdmin; an associated TagOption cannot be deleted.",
        "moto has no TagOptions; the server keeps them and their associations "
        "(`gaps_service_catalog`). No launch applies them.",
    ),
    Gap(
        "servicecatalog-principals",
        "AssociatePrincipalWithPortfolio takes IAM principals by full ARN and IAM_PATTERN "
        "principals by account-less ARN (arn:aws:iam:::role/<path>/<name>, * and ? only in the "
        "path and name); a portfolio has at most 10 IAM_PATTERN principals "
        "(LimitExceededException); ListPrincipalsForPortfolio and "
        "DisassociatePrincipalFromPortfolio (by ARN and type) read and remove them.",
        "moto has no principal associations; the server validates, limits and stores them as "
        "AWS does (`gaps_service_catalog`). No end user's access is evaluated against them.",
    ),
    Gap(
        "servicecatalog-portfolio-shares",
        "CreatePortfolioShare shares with an account (Accepted once that account calls "
        "AcceptPortfolioShare) or, from the management account or a delegated administrator "
        "with AWS Organizations access enabled, with the organization, an OU or a member "
        "account (given as id or ARN; imported automatically, so Accepted is true at once), "
        "returning a share-... token whose DescribePortfolioShareStatus names the accounts "
        "reached; principal sharing only to an organization or OU; UpdatePortfolioShare "
        "changes TagOption and principal sharing; DescribePortfolioShares lists by type.",
        "moto keeps organization shares as strings parsed back from an invented token (an OU "
        "given as ARN is never found again), checks nothing against the organization, reports "
        "account shares accepted at once and has no DescribePortfolioShareStatus, "
        "UpdatePortfolioShare or AcceptPortfolioShare; the server answers as AWS does, against "
        "moto's Organizations (`gaps_service_catalog`). Nothing is imported into the recipient "
        "accounts: a shared portfolio is not visible there.",
    ),
    Gap(
        "servicecatalog-organizations-access",
        "EnableAWSOrganizationsAccess and DisableAWSOrganizationsAccess (management account "
        "only, an organization with all features; disabling is refused while Service Catalog "
        "has delegated administrators) turn AWS Organizations trusted access of "
        "servicecatalog.amazonaws.com on and off; GetAWSOrganizationsAccessStatus (management "
        "account or delegated administrator) reports ENABLED or DISABLED.",
        "moto implements none of them; the server checks the caller's place in moto's "
        "Organizations and switches the trusted access there, so "
        "ListAWSServiceAccessForOrganization reports the same state (`gaps_service_catalog`).",
    ),
    Gap(
        "codepipeline-approvals",
        "CodePipeline runs every action of an execution and records each run: GetPipelineState "
        "shows the open manual approval with its token, PutApprovalResult answers it as the "
        "caller (whose ARN CodePipeline keeps as the approval's updatedBy), and "
        "ListActionExecutions lists the runs of an execution with who answered an approval.",
        "moto runs no action and implements none of the three; the server keeps the runs the "
        "pipeline player reports for each action on moto's pipeline record and answers the three "
        "calls from them, the approver being the signer of PutApprovalResult "
        "(`gaps_codepipeline`).",
    ),
    Gap(
        "lambda-code-signing",
        "Signer signing jobs copy an object version signed by a profile into the destination "
        "bucket; Lambda keeps code signing configs and, when code is deployed to a function "
        "with one, refuses bytes changed after signing and (policy Enforce) code that is "
        "unsigned, signed by a profile version the config does not allow, revoked or expired.",
        "moto runs no signing job and has no code signing configs (only "
        "GetFunctionCodeSigningConfig); the server runs signing jobs, serves the configs and "
        "their tags, attaches them to functions and verifies the code of CreateFunction and "
        "UpdateFunctionCode against the record of which profile version signed which bytes "
        "(no cryptographic signature is embedded) (`gaps_code_signing`).",
    ),
)

# Synthesized stacks the sandbox never inits, plans or applies, by the suffix of their name
# (`<environment>-<suffix>`, `AccountStack.STACK_SUFFIX`), with the reason. The coverage table
# lists them as not applied; every other stack is applied.
STACKS_NOT_APPLIED: dict[str, str] = {
    "unified-studio": "needs hashicorp/aws 6.x (DataZone V2), which the sandbox's provider mirror "
    "does not hold, and the simulator (moto) has no DataZone API",
}

# Resource types the simulator cannot create, with the reason (empty while every type applies).
UNSUPPORTED_RESOURCE_TYPES: dict[str, str] = {}

# Resource types the simulator creates only as stored records: Terraform's create, read, update
# and delete work, but nothing runs behind them. The coverage report names them per stack.
RECORD_ONLY_RESOURCE_TYPES: dict[str, str] = {
    "aws_sagemaker_domain": "no home EFS, NFS security groups, apps or spaces behind the domain",
    "aws_sagemaker_user_profile": "no Studio user home or apps behind the profile",
    "aws_sagemaker_mlflow_tracking_server": "no MLflow server behind the record",
    "aws_sagemaker_feature_group": "no online store, records or ingestion behind the group",
    "aws_ram_resource_association": "the shared resource is not visible from the consumer account",
    "aws_ram_principal_association": "nothing is shared into the consumer account",
    "aws_codeconnections_connection": "stays PENDING (no console handshake): no repository is "
    "reachable through it",
    "aws_servicecatalog_product": "nothing can be launched from the product: no ProvisionProduct, "
    "no CloudFormation stack or Terraform engine run behind it",
    "aws_servicecatalog_provisioning_artifact": "the version's template is read once to validate "
    "it (when it is in a simulated bucket) and never launched",
    "aws_servicecatalog_constraint": "validated and stored; no launch ever runs under it",
    "aws_servicecatalog_tag_option_resource_association": "no launch offers or applies the "
    "TagOption",
    "aws_servicecatalog_principal_portfolio_association": "no end user's access is evaluated "
    "against it, in this account or (principal sharing) in a recipient account",
    "aws_servicecatalog_portfolio_share": "nothing is imported into the recipient accounts: the "
    "shared portfolio, its principals and TagOptions are not visible there",
}


# -- patches applied inside the simulator process ---------------------------------------------


def _patch_codebuild_source() -> None:
    from moto.codebuild import responses

    original_source = responses._validate_required_params_source
    original_artifacts = responses._validate_required_params_artifacts

    def validate_source(source: dict[str, Any]) -> None:
        if source.get("type") in ("CODEPIPELINE", "NO_SOURCE") and not source.get("location"):
            return
        original_source(source)

    def validate_artifacts(artifacts: dict[str, Any]) -> None:
        if artifacts.get("type") == "CODEPIPELINE" and not artifacts.get("location"):
            return
        original_artifacts(artifacts)

    responses._validate_required_params_source = validate_source  # type: ignore[assignment]
    responses._validate_required_params_artifacts = validate_artifacts  # type: ignore[assignment]


def _patch_cross_account_layers() -> None:
    from moto.awslambda import models
    from moto.awslambda.utils import get_backend

    def layers_versions_by_arn(self: Any, layer_version_arn: str) -> Any:
        parts = layer_version_arn.split(":")
        region, account = parts[3], parts[4]
        owner = get_backend(account, region) if account != self.account_id else self
        return owner._layers.get_layer_version_by_arn(layer_version_arn)

    models.LambdaBackend.layers_versions_by_arn = layers_versions_by_arn  # type: ignore[method-assign]


def _patch_bucket_policy_conditions() -> None:
    import json

    from moto.iam.access_control import IAMPolicy, PermissionResult
    from moto.s3 import models

    def get_permission(self: Any, action: str, resource: str) -> Any:
        if self.policy is None:
            return PermissionResult.NEUTRAL
        document = json.loads(self.policy.decode())
        statements = document.get("Statement", [])
        if isinstance(statements, dict):
            statements = [statements]
        unconditional = [s for s in statements if not s.get("Condition")]
        if not unconditional:
            return PermissionResult.NEUTRAL
        policy = IAMPolicy(json.dumps({**document, "Statement": unconditional}))
        return policy.is_action_permitted(action, resource)

    models.FakeBucket.get_permission = get_permission  # type: ignore[method-assign]


# digest -> bytes of every layer uploaded to the simulated ECR.
LAYER_BLOBS: dict[str, bytes] = {}


def _patch_ecr_layer_download(base_url: Callable[[], str]) -> None:
    from moto.core.exceptions import JsonRESTError
    from moto.core.responses import ActionResult
    from moto.ecr import models, responses

    original_complete = models.ECRBackend.complete_layer_upload

    def complete_layer_upload(
        self: Any,
        repository_name: str,
        upload_id: str,
        layer_digests: list[str],
        registry_id: str | None = None,
    ) -> Any:
        upload = self._get_repository(repository_name, registry_id).uploads.get(upload_id)
        data = bytes(upload.layer_parts) if upload is not None else b""
        result = original_complete(
            self, repository_name, upload_id, layer_digests, registry_id=registry_id
        )
        LAYER_BLOBS["sha256:" + hashlib.sha256(data).hexdigest()] = data
        return result

    def get_download_url_for_layer(self: Any) -> Any:
        digest = self._get_param("layerDigest")
        if digest not in LAYER_BLOBS:
            raise JsonRESTError("LayersNotFoundException", f"layer {digest} was never uploaded")
        return ActionResult(
            {"downloadUrl": f"{base_url()}/_sandbox/ecr-layer/{digest}", "layerDigest": digest}
        )

    models.ECRBackend.complete_layer_upload = complete_layer_upload  # type: ignore[method-assign]
    responses.ECRResponse.get_download_url_for_layer = get_download_url_for_layer  # type: ignore[method-assign]


def _patch_codepipeline_timestamps() -> None:
    import calendar

    from moto.codepipeline import models

    def metadata(self: Any) -> dict[str, Any]:
        return {
            "pipelineArn": self._arn,
            "created": calendar.timegm(self._created.utctimetuple()),
            "updated": calendar.timegm(self._updated.utctimetuple()),
        }

    models.CodePipeline.metadata = property(metadata)  # type: ignore[method-assign,assignment]


def _caller_identity(response: Any) -> dict[str, Any]:
    """SageMaker's `UserContext` for the principal that signed the request being answered."""
    from moto.sts.models import sts_backends
    from moto.utilities.utils import get_partition

    sts = sts_backends[response.current_account][get_partition(response.region)]
    user_id, arn, _ = sts.get_caller_identity(response.get_access_key(), response.region)
    return {"IamIdentity": {"Arn": arn, "PrincipalId": user_id}}


def _epoch_millis(value: Any) -> Any:
    """JSON encoder fallback: timestamps in SageMaker events are epoch milliseconds."""
    import datetime

    if isinstance(value, datetime.datetime):
        return int(value.timestamp() * 1000)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _emit_model_package_state_change(backend: Any, package: Any) -> None:
    import json

    from moto.events.models import events_backends

    events_backends[backend.account_id][backend.region_name].put_events(
        [
            {
                "Source": "aws.sagemaker",
                "DetailType": "SageMaker Model Package State Change",
                "Detail": json.dumps(package.gen_response_object(), default=_epoch_millis),
                "Resources": [package.arn],
            }
        ]
    )


def _result_arn(result: Any) -> str:
    return str(result.result["ModelPackageArn"])


def _patch_sagemaker_model_packages() -> None:
    """Caller identity, partial updates and state-change events of model packages."""
    from moto.sagemaker import models, responses

    original_create = responses.SageMakerResponse.create_model_package
    original_update = responses.SageMakerResponse.update_model_package
    original_backend_update = models.SageMakerModelBackend.update_model_package

    def package(backend: Any, arn: str) -> Any:
        return backend.model_packages[backend.model_package_name_mapping.get(arn, arn)]

    def create_model_package(self: Any) -> Any:
        identity = _caller_identity(self)
        result = original_create(self)
        created = package(self.sagemaker_backend, _result_arn(result))
        created.created_by = identity
        _emit_model_package_state_change(self.sagemaker_backend, created)
        return result

    def update_model_package(self: Any) -> Any:
        identity = _caller_identity(self)
        result = original_update(self)
        updated = package(self.sagemaker_backend, _result_arn(result))
        updated.last_modified_by = identity
        _emit_model_package_state_change(self.sagemaker_backend, updated)
        return result

    def backend_update(
        self: Any,
        model_package_arn: str,
        model_approval_status: str | None,
        approval_description: str | None,
        customer_metadata_properties: dict[str, str] | None,
        customer_metadata_properties_to_remove: list[str],
        additional_inference_specifications_to_add: list[Any] | None,
    ) -> str:
        name = self.model_package_name_mapping.get(model_package_arn, model_package_arn)
        current = self.model_packages.get(name)
        if current is not None:
            if model_approval_status is None:
                model_approval_status = current.model_approval_status
            if approval_description is None:
                approval_description = current.approval_description
            merged = {
                **(current.customer_metadata_properties or {}),
                **(customer_metadata_properties or {}),
            }
            customer_metadata_properties = merged or None
        return original_backend_update(  # type: ignore[no-any-return]
            self,
            model_package_arn,
            model_approval_status,
            approval_description,
            customer_metadata_properties,
            customer_metadata_properties_to_remove,
            additional_inference_specifications_to_add,
        )

    original_card_update = models.SageMakerModelBackend.update_model_card

    def update_model_card(
        self: Any, model_card_name: str, content: Any, model_card_status: Any
    ) -> str:
        latest = (self.model_cards.get(model_card_name) or [None])[-1]
        if latest is not None and content is None:
            content = latest.content
        if latest is not None and model_card_status is None:
            model_card_status = latest.model_card_status
        return original_card_update(  # type: ignore[no-any-return]
            self, model_card_name, content, model_card_status
        )

    models.SageMakerModelBackend.update_model_card = update_model_card  # type: ignore[method-assign,assignment]
    responses.SageMakerResponse.create_model_package = create_model_package  # type: ignore[method-assign]
    responses.SageMakerResponse.update_model_package = update_model_package  # type: ignore[method-assign]
    models.SageMakerModelBackend.update_model_package = backend_update  # type: ignore[method-assign]


def _patch_sagemaker_update_endpoint() -> None:
    from moto.core.responses import ActionResult
    from moto.core.utils import utcnow
    from moto.sagemaker import responses
    from moto.sagemaker.exceptions import ValidationError

    def update_endpoint(self: Any) -> Any:
        backend = self.sagemaker_backend
        name = self._get_param("EndpointName")
        endpoint = backend.endpoints.get(name)
        if endpoint is None:
            raise ValidationError(f"Could not find endpoint {name}.")
        config = backend.describe_endpoint_config(self._get_param("EndpointConfigName"))
        variants = endpoint._process_production_variants(config["ProductionVariants"])
        if self._get_param("RetainAllVariantProperties"):
            current = {v["VariantName"]: v for v in endpoint.production_variants}
            for variant in variants:
                for key in ("CurrentInstanceCount", "DesiredInstanceCount"):
                    if key in current.get(variant["VariantName"], {}):
                        variant[key] = current[variant["VariantName"]][key]
        endpoint.endpoint_config_name = config["EndpointConfigName"]
        endpoint.production_variants = variants
        endpoint.data_capture_config = config.get("DataCaptureConfig")
        endpoint.endpoint_status = "InService"
        endpoint.last_modified_time = utcnow()
        return ActionResult({"EndpointArn": endpoint.arn})

    responses.SageMakerResponse.update_endpoint = update_endpoint  # type: ignore[attr-defined]


# (account, region, group name) -> resource policy of every model package group that has one.
GROUP_POLICIES: dict[tuple[str, str, str], str] = {}


def _patch_model_package_group_policies() -> None:
    import json

    from moto.core.responses import ActionResult, EmptyResult
    from moto.sagemaker import responses
    from moto.sagemaker.exceptions import ValidationError

    def group_key(self: Any) -> tuple[tuple[str, str, str], Any]:
        name = str(self._get_param("ModelPackageGroupName")).rsplit("/", 1)[-1]
        group = self.sagemaker_backend.describe_model_package_group(name)  # raises if missing
        return (self.current_account, self.region, name), group

    def put_model_package_group_policy(self: Any) -> Any:
        key, group = group_key(self)
        policy = self._get_param("ResourcePolicy")
        try:
            json.loads(policy)
        except (TypeError, ValueError) as error:
            raise ValidationError(
                f"ResourcePolicy is not a JSON policy document: {error}"
            ) from error
        GROUP_POLICIES[key] = policy
        return ActionResult({"ModelPackageGroupArn": group.arn})

    def get_model_package_group_policy(self: Any) -> Any:
        key, group = group_key(self)
        if key not in GROUP_POLICIES:
            raise ValidationError(f"Cannot find resource policy for {group.arn}")
        return ActionResult({"ResourcePolicy": GROUP_POLICIES[key]})

    def delete_model_package_group_policy(self: Any) -> Any:
        key, group = group_key(self)
        if GROUP_POLICIES.pop(key, None) is None:
            raise ValidationError(f"Cannot find resource policy for {group.arn}")
        return EmptyResult()

    response = responses.SageMakerResponse
    response.put_model_package_group_policy = put_model_package_group_policy  # type: ignore[attr-defined]
    response.get_model_package_group_policy = get_model_package_group_policy  # type: ignore[attr-defined]
    response.delete_model_package_group_policy = delete_model_package_group_policy  # type: ignore[attr-defined]


# Every event a rule delivered to a Lambda target: function_arn, rule_arn, target_id, event.
LAMBDA_DELIVERIES: list[dict[str, Any]] = []
LAMBDA_DELIVERIES_PATH = "/moto-api/sandbox/lambda-deliveries"
_EVENT_KEYS = ("version", "id", "detail-type", "source", "account", "time", "region", "resources")


def _lambda_payload(target: dict[str, Any], event: dict[str, Any]) -> Any:
    """The event as a Lambda target receives it (ISO 8601 time, no moto-internal keys)."""
    import copy
    import datetime
    import json

    from moto.events.utils import EventTemplateParser

    if "Input" in target:
        return json.loads(target["Input"])
    if "InputTransformer" in target:
        transformer = target["InputTransformer"]
        return EventTemplateParser.parse(
            input_template=transformer.get("InputTemplate"),
            input_paths_map=transformer.get("InputPathsMap", {}),
            event=event,  # type: ignore[arg-type]
        )
    payload = {key: copy.deepcopy(event.get(key)) for key in _EVENT_KEYS}
    payload["detail"] = copy.deepcopy(event.get("detail"))
    if isinstance(payload["time"], int | float):
        moment = datetime.datetime.fromtimestamp(payload["time"], datetime.UTC)
        payload["time"] = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return payload


def _patch_event_targets() -> None:
    import copy
    import json

    from moto.events import models
    from moto.moto_api._internal import urls
    from moto.utilities.arns import parse_arn

    original = models.Rule.send_to_targets

    def deliver_to_bus(bus_arn: Any, event: Any) -> None:
        receiver = models.events_backends[bus_arn.account][bus_arn.region]
        bus = receiver.describe_event_bus(bus_arn.resource_id)
        for rule in list(bus.rules.values()):
            rule.send_to_targets(copy.deepcopy(event))

    def send_to_targets(self: Any, original_event: Any, transform_input: bool = True) -> None:
        if not self.event_pattern.matches_event(original_event):
            return
        others = []
        for target in self.targets:
            arn = parse_arn(target["Arn"])
            if arn.service == "lambda":
                LAMBDA_DELIVERIES.append(
                    {
                        "function_arn": target["Arn"],
                        "rule_arn": self.arn,
                        "target_id": target["Id"],
                        "event": _lambda_payload(target, original_event),
                    }
                )
            elif arn.service == "events" and arn.resource_type == "event-bus":
                deliver_to_bus(arn, original_event)
            else:
                others.append(target)
        if others:
            rule = copy.copy(self)
            rule.targets = others
            original(rule, original_event, transform_input)

    def lambda_deliveries(request: Any, full_url: str, headers: Any) -> Any:
        return 200, {"Content-Type": "application/json"}, json.dumps(LAMBDA_DELIVERIES)

    models.Rule.send_to_targets = send_to_targets  # type: ignore[method-assign]
    urls.url_paths["{0}" + LAMBDA_DELIVERIES_PATH] = lambda_deliveries


def _patch_codebuild_encryption_key() -> None:
    from moto.codebuild import responses

    original = responses.CodeBuildResponse.create_project

    def create_project(self: Any) -> Any:
        result = original(self)
        key = self._get_param("encryptionKey")
        project = self.codebuild_backend.codebuild_projects.get(self._get_param("name"))
        if key and project is not None:
            project.project_metadata["encryptionKey"] = key
        return result

    responses.CodeBuildResponse.create_project = create_project  # type: ignore[method-assign]


def _patch_lambda_configuration_read_back() -> None:
    from moto.awslambda import models

    original_init = models.LambdaFunction.__init__
    original_configuration = models.LambdaFunction.get_configuration
    original_update = models.LambdaFunction.update_configuration

    def init(self: Any, account_id: str, spec: dict[str, Any], *args: Any, **kwargs: Any) -> None:
        original_init(self, account_id, spec, *args, **kwargs)
        self.sandbox_dead_letter_config = spec.get("DeadLetterConfig")
        self.sandbox_logging_config = spec.get("LoggingConfig")

    def get_configuration(self: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        config: dict[str, Any] = original_configuration(self, *args, **kwargs)
        dead_letter = getattr(self, "sandbox_dead_letter_config", None)
        if dead_letter and dead_letter.get("TargetArn"):
            config["DeadLetterConfig"] = dead_letter
        logging_config = getattr(self, "sandbox_logging_config", None)
        if logging_config:
            config["LoggingConfig"] = {
                "LogFormat": "Text",
                "LogGroup": f"/aws/lambda/{self.function_name}",
                **logging_config,
            }
        return config

    def update_configuration(self: Any, config_updates: dict[str, Any]) -> dict[str, Any]:
        if "DeadLetterConfig" in config_updates:
            self.sandbox_dead_letter_config = config_updates["DeadLetterConfig"]
        if "LoggingConfig" in config_updates:
            self.sandbox_logging_config = config_updates["LoggingConfig"]
        return original_update(self, config_updates)  # type: ignore[no-any-return]

    models.LambdaFunction.__init__ = init  # type: ignore[method-assign]
    models.LambdaFunction.get_configuration = get_configuration  # type: ignore[method-assign]
    models.LambdaFunction.update_configuration = update_configuration  # type: ignore[method-assign]


def _patch_prefix_list_rule_descriptions() -> None:
    from moto.ec2.models import security_groups

    rule_class = security_groups.SecurityGroupRule
    original_init = rule_class.__init__

    def init(
        self: Any,
        ec2_backend: Any,
        ip_protocol: str,
        group_id: str,
        from_port: str | None,
        to_port: str | None,
        ip_range: dict[str, str] | None,
        source_group: dict[str, str] | None = None,
        prefix_list_id: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        original_init(
            self,
            ec2_backend,
            ip_protocol,
            group_id,
            from_port,
            to_port,
            ip_range,
            source_group,
            prefix_list_id,
            **kwargs,
        )
        self.sandbox_prefix_list_description = (prefix_list_id or {}).get("Description")

    def description(self: Any) -> str | None:
        return (
            self.ip_range.get("Description")
            or self.source_group.get("Description")
            or getattr(self, "sandbox_prefix_list_description", None)
        )

    rule_class.__init__ = init  # type: ignore[method-assign,assignment]
    rule_class.description = property(description)  # type: ignore[assignment,method-assign]


def patch_simulator(base_url: Callable[[], str]) -> None:
    """Close the gaps that need the simulator itself changed (server process only)."""
    _patch_codebuild_source()
    _patch_codebuild_encryption_key()
    _patch_lambda_configuration_read_back()
    _patch_prefix_list_rule_descriptions()
    _patch_codepipeline_timestamps()
    _patch_cross_account_layers()
    _patch_bucket_policy_conditions()
    _patch_ecr_layer_download(base_url)
    _patch_sagemaker_model_packages()
    _patch_model_package_group_policies()
    _patch_sagemaker_update_endpoint()
    _patch_event_targets()
    studio._patch_studio_domains()
    studio._patch_studio_user_profiles()
    studio._patch_mlflow_tracking_servers()
    studio._patch_studio_tags()
    lake_formation.patch_lake_formation()
    lake_consumer._patch_revoke_nothing_held()
    lake_authorization.patch_lake_authorization()
    feature_store.patch_feature_store()
    codeconnections.patch_codeconnections()
    codepipeline.patch_codepipeline()
    code_signing.patch_code_signing()
    cloudformation.patch_cloudformation()
    service_catalog.patch_service_catalog()
    organization.patch_organizations()


# -- seeds: what AWS already holds before the platform is applied ------------------------------


def _layer_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("python/aws_lambda_powertools/__init__.py", "# sandbox stand-in\n")
    return buffer.getvalue()


def seed_powertools_layer(
    session_for: Callable[[str], Any], layer_arn: str, *, client_for: Callable[..., Any]
) -> None:
    """Publish the Powertools layer in its publishing account up to the version the ARN names."""
    parts = layer_arn.split(":")
    region, account, name, version = parts[3], parts[4], parts[6], int(parts[7])
    client = client_for(session_for(account), "lambda", region)
    existing = client.list_layer_versions(LayerName=name).get("LayerVersions", [])
    latest = max((v["Version"] for v in existing), default=0)
    content = _layer_zip()
    for _ in range(latest, version):
        client.publish_layer_version(
            LayerName=name,
            Description="Powertools for AWS Lambda (Python), sandbox stand-in",
            Content={"ZipFile": content},
            CompatibleRuntimes=["python3.13"],
            CompatibleArchitectures=["arm64"],
        )
