"""Typed interface of `modules/hcp-terraform-workspaces`.

Generated from the module's variables.tf and outputs.tf by
`scripts/generate_module_interfaces.py`; edit the HCL, then regenerate.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NotRequired, TypedDict

from cdktn import TerraformProvider
from constructs import Construct

from platform_composition.hcl_module import HclModule


class HcpTerraformWorkspacesWorkspacesValue(TypedDict):
    name: str
    description: NotRequired[str | None]
    working_directory: NotRequired[str | None]
    environment_variables: NotRequired[Mapping[str, str] | None]
    triggered_by: NotRequired[Sequence[str] | None]
    auto_apply: NotRequired[bool | None]


class HcpTerraformWorkspacesVcsRepo(TypedDict):
    identifier: str
    branch: NotRequired[str | None]
    oauth_token_id: NotRequired[str | None]
    github_app_installation_id: NotRequired[str | None]


class HcpTerraformWorkspaces(HclModule):
    """Python interface of modules/hcp-terraform-workspaces (see its README.md).

    Arguments (HCL variable descriptions):
        organization: HCP Terraform organization that holds the project and the workspaces.
        project_name: Project of the workspaces. Its name is part of every run's identity token,
        so hcp-terraform-run-roles must name the same project.
        create_project: Create the project; false looks up an existing project of that name in
        the organization.
        workspaces: Workspaces by key. name: the workspace name (the state of one stack);
        working_directory: the stack's folder in the repository for VCS-driven runs
        (cdktf.out/stacks/<stack>); environment_variables: plain (not secret) environment
        variables such as the TFC_AWS_* variables of dynamic credentials; triggered_by: keys of
        workspaces in this map whose successful applies queue a run here.
        vcs_repo: Repository whose commits start runs (VCS-driven workflow), with the HCP
        Terraform OAuth token or GitHub App installation that reads it; null creates CLI-driven
        workspaces (runs start from terraform plan/apply on an operator's or CI's machine).
        execution_mode: Where runs execute: remote (HCP Terraform's workers) or agent (self-
        hosted agents of agent_pool_id). Dynamic provider credentials need one of the two; local
        execution would run with the operator's own credentials.
        agent_pool_id: Agent pool of the runs when execution_mode is agent.
        terraform_version: Terraform version or constraint of the workspaces' runs (for example
        ~> 1.11.0); null leaves HCP Terraform's default for new workspaces.
        speculative_enabled: Run speculative plans for pull requests (VCS-driven workspaces).
        With separate plan and apply roles, these plans hold read-only credentials only.
    """

    module_name = "hcp-terraform-workspaces"

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        organization: str,
        project_name: str,
        create_project: bool | None = None,
        workspaces: Mapping[str, HcpTerraformWorkspacesWorkspacesValue],
        vcs_repo: HcpTerraformWorkspacesVcsRepo | None = None,
        execution_mode: str | None = None,
        agent_pool_id: str | None = None,
        terraform_version: str | None = None,
        speculative_enabled: bool | None = None,
        providers: Sequence[TerraformProvider] | None = None,
    ) -> None:
        super().__init__(
            scope,
            construct_id,
            providers=providers,
            arguments={
                "organization": organization,
                "project_name": project_name,
                "create_project": create_project,
                "workspaces": workspaces,
                "vcs_repo": vcs_repo,
                "execution_mode": execution_mode,
                "agent_pool_id": agent_pool_id,
                "terraform_version": terraform_version,
                "speculative_enabled": speculative_enabled,
            },
        )

    @property
    def project_id(self) -> str:
        """ID of the project that holds the workspaces."""
        return self.output("project_id")

    @property
    def workspace_ids(self) -> str:
        """Workspace IDs by key."""
        return self.output("workspace_ids")

    @property
    def workspace_names(self) -> str:
        """Workspace names by key."""
        return self.output("workspace_names")

    @property
    def run_triggers(self) -> str:
        """
        The run triggers, as <source key>-><workspace key>: an apply in the source queues a run
        in the workspace.
        """
        return self.output("run_triggers")
