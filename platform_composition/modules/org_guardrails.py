"""Typed interface of `modules/org-guardrails`.

Generated from the module's variables.tf and outputs.tf by
`scripts/generate_module_interfaces.py`; edit the HCL, then regenerate.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NotRequired, TypedDict

from cdktn import TerraformProvider
from constructs import Construct

from platform_composition.hcl_module import HclModule


class OrgGuardrailsModelApproval(TypedDict):
    registry_account_id: str
    central_approver_role_arns: Sequence[str]
    team_approver_role_arns: Sequence[str]
    never_approver_role_arns: NotRequired[Sequence[str] | None]


class OrgGuardrailsDeployment(TypedDict):
    pipeline_arns: Sequence[str]
    build_project_arns: Sequence[str]
    production_approver_role_arns: Sequence[str]
    operator_role_arns: Sequence[str]


class OrgGuardrailsProtectedResources(TypedDict):
    function_arns: Sequence[str]
    parameter_arns: Sequence[str]
    tooling_object_arns: Sequence[str]
    role_arns: Sequence[str]
    bucket_arns: NotRequired[Sequence[str] | None]
    signing_profile_arns: NotRequired[Sequence[str] | None]
    model_package_group_arns: NotRequired[Sequence[str] | None]
    policy_writer_role_arns: NotRequired[Sequence[str] | None]


class OrgGuardrails(HclModule):
    """Python interface of modules/org-guardrails (see its README.md).

    Arguments (HCL variable descriptions):
        name_prefix: Prefix of the two service control policies ("<prefix>-ml-separation-of-
        duties", "<prefix>-ml-platform-integrity").
        attach_to: Organization targets the policies are attached to: OU ids (ou-...), the root
        (r-...) or account ids (12 digits). SCPs never apply to the management account.
        break_glass_role_arns: Role ARN patterns exempt from every statement: the written break-
        glass path (see the README). Keep it to one role per account, assumable only from the
        management account with MFA.
        platform_admin_role_arns: Role ARN patterns that build the platform (the Terraform
        deployment role, the Service Catalog launch role that creates team workspaces): they may
        change the protected roles, functions, parameters and pipeline, but never approve a
        model.
        model_approval: <<-EOT     Who may set a model package's approval status.
        registry_account_id: the account of the central registry; only
        central_approver_role_arns change statuses there.     central_approver_role_arns: the ML
        engineer role(s) of the registry account.     team_approver_role_arns: role ARN patterns
        of the teams' lead data scientists (dev accounts).     never_approver_role_arns:
        patterns that match team_approver_role_arns but must not approve (Studio execution
        roles).   EOT
        deployment: <<-EOT     The deployment pipeline and its builds.     pipeline_arns: the
        pipelines (arn:...:codepipeline:<region>:<account>:<name>).     build_project_arns:
        their CodeBuild projects.     production_approver_role_arns: the only roles that may
        answer the pipelines' manual approvals (governance officer).     operator_role_arns: the
        roles that run them (pipeline service role, trigger function role).   EOT
        protected_resources: <<-EOT     What only platform admins may change.     function_arns:
        the promotion and trigger functions.     parameter_arns: their SSM parameters and the
        deployment settings (patterns allowed).     tooling_object_arns: the deployment tooling
        bundle object(s) (arn:aws:s3:::bucket/key).     role_arns: platform roles and the role
        name patterns Service Catalog portfolios grant access to (created, changed or trusted
        only by platform admins).     bucket_arns: buckets whose policies, versioning and
        lifecycle only platform admins change (the registry's artifacts, the pipeline's tooling,
        the signed function packages).     signing_profile_arns: Signer profiles that sign the
        functions' code (patterns allowed): only platform admins sign with them, cancel them or
        revoke their signatures.     model_package_group_arns: central model package groups
        whose resource policy only platform admins and policy_writer_role_arns change.
        policy_writer_role_arns: roles that attach the group policy at run time (the promoter).
        EOT
        require_vpc_only_sagemaker_domains: Deny creating or updating a SageMaker domain whose
        AppNetworkAccessType is not VpcOnly.
        protect_cloudtrail: Deny stopping, deleting or reconfiguring CloudTrail trails.
        service_catalog_delegated_admin_account_id: Account registered as Service Catalog
        delegated administrator (the hub that owns the portfolios), after enabling Service
        Catalog's AWS Organizations access. Null: neither is managed (only the management
        account may do both).
        tags: Tags for the policies.
    """

    module_name = "org-guardrails"

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        name_prefix: str,
        attach_to: Sequence[str],
        break_glass_role_arns: Sequence[str],
        platform_admin_role_arns: Sequence[str],
        model_approval: OrgGuardrailsModelApproval,
        deployment: OrgGuardrailsDeployment,
        protected_resources: OrgGuardrailsProtectedResources,
        require_vpc_only_sagemaker_domains: bool | None = None,
        protect_cloudtrail: bool | None = None,
        service_catalog_delegated_admin_account_id: str | None = None,
        tags: Mapping[str, str] | None = None,
        providers: Sequence[TerraformProvider] | None = None,
    ) -> None:
        super().__init__(
            scope,
            construct_id,
            providers=providers,
            arguments={
                "name_prefix": name_prefix,
                "attach_to": attach_to,
                "break_glass_role_arns": break_glass_role_arns,
                "platform_admin_role_arns": platform_admin_role_arns,
                "model_approval": model_approval,
                "deployment": deployment,
                "protected_resources": protected_resources,
                "require_vpc_only_sagemaker_domains": require_vpc_only_sagemaker_domains,
                "protect_cloudtrail": protect_cloudtrail,
                "service_catalog_delegated_admin_account_id": service_catalog_delegated_admin_account_id,
                "tags": tags,
            },
        )

    @property
    def policy_ids(self) -> str:
        """
        Ids of the service control policies, by key (separation-of-duties, platform-integrity).
        """
        return self.output("policy_ids")

    @property
    def policy_documents(self) -> str:
        """The rendered SCP documents, by key: what the bypass tests and reviewers read."""
        return self.output("policy_documents")

    @property
    def attachments(self) -> str:
        """Targets each policy is attached to, by policy key."""
        return self.output("attachments")

    @property
    def service_catalog_delegated_admin_account_id(self) -> str:
        """
        The account registered as Service Catalog delegated administrator (null when not managed
        here).
        """
        return self.output("service_catalog_delegated_admin_account_id")
