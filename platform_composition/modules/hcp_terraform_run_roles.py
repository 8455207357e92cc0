"""Typed interface of `modules/hcp-terraform-run-roles`.

Generated from the module's variables.tf and outputs.tf by
`scripts/generate_module_interfaces.py`; edit the HCL, then regenerate.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from cdktn import TerraformProvider
from constructs import Construct

from platform_composition.hcl_module import HclModule


class HcpTerraformRunRoles(HclModule):
    """Python interface of modules/hcp-terraform-run-roles (see its README.md).

    Arguments (HCL variable descriptions):
        name_prefix: Prefix of the role names: <name_prefix>-plan and <name_prefix>-apply, or
        <name_prefix>-run when plan and apply share one role.
        hostname: Hostname of HCP Terraform or of a Terraform Enterprise installation: the OIDC
        issuer is https://<hostname>, and its claims are named <hostname>:aud and
        <hostname>:sub.
        organization: HCP Terraform organization whose runs may assume the roles (the
        organization claim of the run's identity token).
        project: HCP Terraform project that holds the workspaces (the project claim). Only runs
        of the named workspaces in this project are trusted.
        workspaces: Names of the workspaces whose runs may assume the roles. Each name is
        matched exactly: there is no wildcard, so a workspace created later is not trusted until
        it is listed here.
        separate_plan_role: true: plan-phase runs get a read-only role and apply-phase runs the
        role that may change the account (TFC_AWS_PLAN_ROLE_ARN / TFC_AWS_APPLY_ROLE_ARN).
        false: one role for both phases (TFC_AWS_RUN_ROLE_ARN).
        plan_policy_arns: Managed policies of the plan role (with separate_plan_role). A plan
        refreshes every resource of the stack, so it needs read access to all of them; null
        attaches the partition's ReadOnlyAccess.
        apply_policy_arns: Managed policies of the role that applies (the apply role, or the
        single run role). It needs what the stack's resources need to be created, changed and
        destroyed; there is deliberately no default.
        permissions_boundary_arn: Permissions boundary set on every role of this module; null
        sets none.
        audience: Audience (aud claim) of the identity tokens. HCP Terraform uses
        aws.workload.identity unless the workspace sets TFC_AWS_WORKLOAD_IDENTITY_AUDIENCE;
        workspace_environment_variables carries a non-default value.
        create_oidc_provider: Create the IAM OIDC identity provider for https://<hostname>. An
        account holds at most one provider per issuer URL: set false and pass oidc_provider_arn
        when one exists (its client IDs must include audience).
        oidc_provider_arn: ARN of the account's existing OIDC provider for https://<hostname>,
        used when create_oidc_provider is false.
        max_session_duration: Longest session, in seconds, the roles allow. Raise it when a run
        takes longer than an hour (a SageMaker endpoint update can).
        tags: Tags added to every resource of the module.
    """

    module_name = "hcp-terraform-run-roles"

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        name_prefix: str,
        hostname: str | None = None,
        organization: str,
        project: str,
        workspaces: Sequence[str],
        separate_plan_role: bool | None = None,
        plan_policy_arns: Sequence[str] | None = None,
        apply_policy_arns: Sequence[str],
        permissions_boundary_arn: str | None = None,
        audience: str | None = None,
        create_oidc_provider: bool | None = None,
        oidc_provider_arn: str | None = None,
        max_session_duration: int | float | None = None,
        tags: Mapping[str, str] | None = None,
        providers: Sequence[TerraformProvider] | None = None,
    ) -> None:
        super().__init__(
            scope,
            construct_id,
            providers=providers,
            arguments={
                "name_prefix": name_prefix,
                "hostname": hostname,
                "organization": organization,
                "project": project,
                "workspaces": workspaces,
                "separate_plan_role": separate_plan_role,
                "plan_policy_arns": plan_policy_arns,
                "apply_policy_arns": apply_policy_arns,
                "permissions_boundary_arn": permissions_boundary_arn,
                "audience": audience,
                "create_oidc_provider": create_oidc_provider,
                "oidc_provider_arn": oidc_provider_arn,
                "max_session_duration": max_session_duration,
                "tags": tags,
            },
        )

    @property
    def oidc_provider_arn(self) -> str:
        """
        ARN of the IAM OIDC identity provider for HCP Terraform (created here or passed in).
        """
        return self.output("oidc_provider_arn")

    @property
    def plan_role_arn(self) -> str:
        """
        Role that plan-phase runs assume: the read-only plan role, or the single run role
        without separate_plan_role.
        """
        return self.output("plan_role_arn")

    @property
    def apply_role_arn(self) -> str:
        """
        Role that apply-phase runs assume: the apply role, or the single run role without
        separate_plan_role.
        """
        return self.output("apply_role_arn")

    @property
    def role_names(self) -> str:
        """Names of the roles by run phase key (plan and apply, or run)."""
        return self.output("role_names")

    @property
    def workspace_environment_variables(self) -> str:
        """
        Environment variables that make a listed workspace's runs use these roles
        (TFC_AWS_PROVIDER_AUTH and the role ARNs; the audience when it is not HCP Terraform's
        default). None is secret.
        """
        return self.output("workspace_environment_variables")
