"""Typed interface of `modules/ml-workspace`.

Generated from the module's variables.tf and outputs.tf by
`scripts/generate_module_interfaces.py`; edit the HCL, then regenerate.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NotRequired, TypedDict

from cdktn import TerraformProvider
from constructs import Construct

from platform_composition.hcl_module import HclModule


class MlWorkspaceIdleShutdown(TypedDict):
    idle_timeout_in_minutes: NotRequired[int | float | None]
    min_idle_timeout_in_minutes: NotRequired[int | float | None]
    max_idle_timeout_in_minutes: NotRequired[int | float | None]


class MlWorkspaceSpaceStorage(TypedDict):
    default_ebs_volume_size_in_gb: NotRequired[int | float | None]
    maximum_ebs_volume_size_in_gb: NotRequired[int | float | None]


class MlWorkspaceSagemakerProjects(TypedDict):
    launch_role_name: str
    source_provider_type: NotRequired[str | None]
    source_connection_arn: NotRequired[str | None]
    athena_role_arn: NotRequired[str | None]
    settings_parameter_path: NotRequired[str | None]


class MlWorkspaceUsersValue(TypedDict):
    persona: str
    sso_user_name: NotRequired[str | None]


class MlWorkspaceMlflow(TypedDict):
    enabled: NotRequired[bool | None]
    tracking_server_size: NotRequired[str | None]
    mlflow_version: NotRequired[str | None]
    automatic_model_registration: NotRequired[bool | None]
    weekly_maintenance_window_start: NotRequired[str | None]


class MlWorkspace(HclModule):
    """Python interface of modules/ml-workspace (see its README.md).

    Arguments (HCL variable descriptions):
        name: Team workspace name (e.g. "mlgov-team-a"): prefixes every resource name and the
        SageMaker resources (model package groups, pipelines, projects, endpoints, feature
        groups) the team's roles may create.
        organization_id: AWS Organizations id; persona roles may be assumed only by principals
        of this organization (aws:PrincipalOrgID).
        tags: Tags applied to every taggable resource of the module.
        create_vpc: Whether to create an ML VPC (private subnets only, no internet gateway
        unless enable_internet_egress); false attaches to vpc_id and subnet_ids.
        vpc_cidr: IPv4 CIDR block of the ML VPC when create_vpc is true (a /16 to /24); each
        private subnet takes one quarter of it, the NAT subnets (enable_internet_egress) split
        the last quarter.
        availability_zones: Two or three availability zones of the provider's region (e.g. ["eu-
        central-1a", "eu-central-1b"]) for the created VPC's private subnets (create_vpc = true
        only).
        enable_internet_egress: Whether workspace apps and jobs may reach the internet on HTTPS:
        opens 443 to 0.0.0.0/0 in the workspace security group and, with create_vpc, adds an
        internet gateway and one NAT gateway per AZ. Default: no egress.
        enable_flow_logs: Whether the created VPC sends flow logs (all traffic) to a CloudWatch
        log group encrypted with the team key; ignored when create_vpc is false.
        flow_log_retention_in_days: Retention of the VPC flow log group, in days.
        vpc_id: Existing VPC to attach the workspace to when create_vpc is false (needs DNS
        support and DNS hostnames for private DNS of the interface endpoints).
        subnet_ids: Private subnets of vpc_id, in at least two different availability zones, for
        Studio apps, jobs and the interface endpoints (create_vpc = false only).
        route_table_ids: Route tables of subnet_ids that the S3 gateway endpoint is associated
        with (create_vpc = false and create_vpc_endpoints = true only).
        create_vpc_endpoints: Whether to create the interface VPC endpoints Studio needs in
        VpcOnly mode and the S3 gateway endpoint; set false when the existing VPC already has
        them.
        additional_vpc_endpoint_services: Extra interface endpoint services, named after the
        region part (e.g. "codeartifact.api", "codeartifact.repositories", "athena", "glue",
        "lakeformation", "bedrock-runtime", "sagemaker.studio").
        domain_name: Name of the SageMaker domain; null for the workspace name.
        auth_mode: How users sign in to Studio: "SSO" (IAM Identity Center; user profiles bound
        to Identity Center user names) or "IAM" (presigned URLs created with the persona roles).
        idle_shutdown: Idle shutdown of JupyterLab and Code Editor apps in minutes: the default
        timeout and the range users may choose from.
        space_storage: EBS volume size of Studio spaces in GB: the default and the maximum users
        may choose.
        home_efs_retention: What happens to the domain's home EFS file system when the domain is
        deleted: "Retain" or "Delete". Retained, its mount targets stay in the subnets (see the
        README, Removing a workspace).
        enable_domain_resource_isolation: Whether the execution roles are denied updating,
        deleting or stopping SageMaker resources tagged with another domain's ARN
        (sagemaker:domain-arn), for accounts that host more than one domain.
        project_templates_s3_location: S3 location of the SageMaker project templates
        (CloudFormation YAML) offered in Studio, e.g. "s3://mlgov-project-
        templates-111111111111/templates/"; set as the domain tag
        sagemaker:projectS3TemplatesLocation. Null for none.
        sagemaker_projects: <<-EOT     What the SageMaker project templates of the shared
        portfolio need in this account, or null     for none. `launch_role_name` is the
        LocalRoleName of the portfolio's launch constraints (the     hub's name for it); the
        role is created here, trusted by Service Catalog and (for the Studio     S3 templates)
        CloudFormation, and may create only the team's project resources. Git     repositories
        are reached through a CodeConnections connection: created here for
        `source_provider_type` (GitHub, GitLab, Bitbucket, ...; it stays PENDING until someone
        completes the handshake in the console), or an existing `source_connection_arn`.
        `athena_role_arn`: the team's lake role (data-lake-consumer) that pipeline jobs assume
        to     query the data lake and the feature store's offline store. Settings the templates
        read are     written as SSM parameters under `settings_parameter_path`.   EOT
        users: Studio user profiles, keyed by user profile name: persona ("lead_data_scientist"
        or "data_scientist") selects the execution role, sso_user_name the IAM Identity Center
        user (required with auth_mode SSO, not allowed with IAM).
        lead_data_scientist_trusted_principal_arns: Exact IAM role or user ARNs (e.g. IAM
        Identity Center permission-set roles) allowed to assume the lead data scientist persona
        role, which may approve or reject the team's model packages.
        data_scientist_trusted_principal_arns: Exact IAM role or user ARNs (e.g. IAM Identity
        Center permission-set roles) allowed to assume the data scientist persona role, which
        can register but never approve model packages.
        permissions_boundary_arn: ARN of an IAM managed policy set as the permissions boundary
        of every role the module creates, or null for none.
        role_path: IAM path of every role and managed policy the module creates.
        data_bucket_name: Name of the team data bucket; null for "<name>-data-<account
        id>-<region>".
        artifact_bucket_name: Name of the model-artifact bucket; null for SageMaker's default
        bucket "sagemaker-<region>-<account id>", which the hub's promoter reads by default.
        access_log_bucket_name: Existing bucket, in the same account and region as the team
        buckets, that receives their S3 server access logs, or null for none.
        noncurrent_version_expiration_days: Days after which noncurrent object versions in the
        team buckets are deleted.
        kms_key_deletion_window_in_days: Waiting period, in days, before the team KMS key is
        deleted after it is scheduled for deletion.
        hub_promoter_role_arn: Exact ARN of the hub's model promoter role (model-promotion-hub
        output function_role_arn); model_package_group_policy_json lets only this role read the
        team's model package groups cross-account.
        mlflow: Optional SageMaker MLflow tracking server (own role, artifact store under
        mlflow/ in the artifact bucket): enabled, size (Small, Medium, Large), MLflow version,
        automatic registration into the team registry (always as PendingManualApproval) and
        weekly maintenance window (e.g. "Sun:03:00").
    """

    module_name = "ml-workspace"

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        name: str,
        organization_id: str,
        tags: Mapping[str, str] | None = None,
        create_vpc: bool | None = None,
        vpc_cidr: str | None = None,
        availability_zones: Sequence[str] | None = None,
        enable_internet_egress: bool | None = None,
        enable_flow_logs: bool | None = None,
        flow_log_retention_in_days: int | float | None = None,
        vpc_id: str | None = None,
        subnet_ids: Sequence[str] | None = None,
        route_table_ids: Sequence[str] | None = None,
        create_vpc_endpoints: bool | None = None,
        additional_vpc_endpoint_services: Sequence[str] | None = None,
        domain_name: str | None = None,
        auth_mode: str | None = None,
        idle_shutdown: MlWorkspaceIdleShutdown | None = None,
        space_storage: MlWorkspaceSpaceStorage | None = None,
        home_efs_retention: str | None = None,
        enable_domain_resource_isolation: bool | None = None,
        project_templates_s3_location: str | None = None,
        sagemaker_projects: MlWorkspaceSagemakerProjects | None = None,
        users: Mapping[str, MlWorkspaceUsersValue] | None = None,
        lead_data_scientist_trusted_principal_arns: Sequence[str],
        data_scientist_trusted_principal_arns: Sequence[str],
        permissions_boundary_arn: str | None = None,
        role_path: str | None = None,
        data_bucket_name: str | None = None,
        artifact_bucket_name: str | None = None,
        access_log_bucket_name: str | None = None,
        noncurrent_version_expiration_days: int | float | None = None,
        kms_key_deletion_window_in_days: int | float | None = None,
        hub_promoter_role_arn: str,
        mlflow: MlWorkspaceMlflow | None = None,
        providers: Sequence[TerraformProvider] | None = None,
    ) -> None:
        super().__init__(
            scope,
            construct_id,
            providers=providers,
            arguments={
                "name": name,
                "organization_id": organization_id,
                "tags": tags,
                "create_vpc": create_vpc,
                "vpc_cidr": vpc_cidr,
                "availability_zones": availability_zones,
                "enable_internet_egress": enable_internet_egress,
                "enable_flow_logs": enable_flow_logs,
                "flow_log_retention_in_days": flow_log_retention_in_days,
                "vpc_id": vpc_id,
                "subnet_ids": subnet_ids,
                "route_table_ids": route_table_ids,
                "create_vpc_endpoints": create_vpc_endpoints,
                "additional_vpc_endpoint_services": additional_vpc_endpoint_services,
                "domain_name": domain_name,
                "auth_mode": auth_mode,
                "idle_shutdown": idle_shutdown,
                "space_storage": space_storage,
                "home_efs_retention": home_efs_retention,
                "enable_domain_resource_isolation": enable_domain_resource_isolation,
                "project_templates_s3_location": project_templates_s3_location,
                "sagemaker_projects": sagemaker_projects,
                "users": users,
                "lead_data_scientist_trusted_principal_arns": lead_data_scientist_trusted_principal_arns,
                "data_scientist_trusted_principal_arns": data_scientist_trusted_principal_arns,
                "permissions_boundary_arn": permissions_boundary_arn,
                "role_path": role_path,
                "data_bucket_name": data_bucket_name,
                "artifact_bucket_name": artifact_bucket_name,
                "access_log_bucket_name": access_log_bucket_name,
                "noncurrent_version_expiration_days": noncurrent_version_expiration_days,
                "kms_key_deletion_window_in_days": kms_key_deletion_window_in_days,
                "hub_promoter_role_arn": hub_promoter_role_arn,
                "mlflow": mlflow,
            },
        )

    @property
    def domain_id(self) -> str:
        """ID of the SageMaker domain."""
        return self.output("domain_id")

    @property
    def domain_arn(self) -> str:
        """ARN of the SageMaker domain."""
        return self.output("domain_arn")

    @property
    def domain_url(self) -> str:
        """
        Studio URL of the domain (users sign in through IAM Identity Center in SSO mode, or a
        presigned URL in IAM mode).
        """
        return self.output("domain_url")

    @property
    def user_profile_arns(self) -> str:
        """ARNs of the Studio user profiles, keyed by user profile name."""
        return self.output("user_profile_arns")

    @property
    def persona_role_arns(self) -> str:
        """
        ARNs of the persona roles, keyed by persona (lead_data_scientist, data_scientist).
        """
        return self.output("persona_role_arns")

    @property
    def persona_role_names(self) -> str:
        """
        Names of the persona roles, keyed by persona (lead_data_scientist, data_scientist).
        """
        return self.output("persona_role_names")

    @property
    def execution_role_arns(self) -> str:
        """
        ARNs of the execution roles, keyed by studio_lead_data_scientist, studio_data_scientist
        (the domain default) and pipeline.
        """
        return self.output("execution_role_arns")

    @property
    def execution_role_names(self) -> str:
        """
        Names of the execution roles, keyed by studio_lead_data_scientist, studio_data_scientist
        and pipeline.
        """
        return self.output("execution_role_names")

    @property
    def data_bucket_name(self) -> str:
        """Name of the team data bucket."""
        return self.output("data_bucket_name")

    @property
    def data_bucket_arn(self) -> str:
        """ARN of the team data bucket."""
        return self.output("data_bucket_arn")

    @property
    def artifact_bucket_name(self) -> str:
        """
        Name of the model-artifact bucket (SageMaker's default bucket unless
        artifact_bucket_name was set); pass it to model-approval-forwarder's
        artifact_bucket_arns as an ARN.
        """
        return self.output("artifact_bucket_name")

    @property
    def artifact_bucket_arn(self) -> str:
        """ARN of the model-artifact bucket."""
        return self.output("artifact_bucket_arn")

    @property
    def kms_key_arn(self) -> str:
        """
        ARN of the team KMS key (domain EFS and volumes, both buckets, flow logs); pass it to
        model-approval-forwarder's artifact_kms_key_arns.
        """
        return self.output("kms_key_arn")

    @property
    def vpc_id(self) -> str:
        """ID of the VPC the workspace runs in (created or passed in)."""
        return self.output("vpc_id")

    @property
    def subnet_ids(self) -> str:
        """IDs of the private subnets Studio apps, jobs and the interface endpoints use."""
        return self.output("subnet_ids")

    @property
    def security_group_ids(self) -> str:
        """
        IDs of the module's security groups: workspace (Studio apps, jobs, models) and
        vpc_endpoints (null when create_vpc_endpoints is false).
        """
        return self.output("security_group_ids")

    @property
    def vpc_endpoint_ids(self) -> str:
        """
        IDs of the VPC endpoints the module created, keyed by service (e.g. sagemaker.api, s3).
        """
        return self.output("vpc_endpoint_ids")

    @property
    def mlflow_tracking_server_arn(self) -> str:
        """ARN of the MLflow tracking server, or null when mlflow.enabled is false."""
        return self.output("mlflow_tracking_server_arn")

    @property
    def mlflow_tracking_server_url(self) -> str:
        """URL of the MLflow tracking server, or null when mlflow.enabled is false."""
        return self.output("mlflow_tracking_server_url")

    @property
    def model_package_group_policy_json(self) -> str:
        """
        Resource policy for the team's model package groups: the hub promoter role (inside the
        organization) may DescribeModelPackageGroup, DescribeModelPackage and ListModelPackages,
        nothing else; apply it with PutModelPackageGroupPolicy when a group is created.
        """
        return self.output("model_package_group_policy_json")

    @property
    def project_launch_role_arn(self) -> str:
        """
        Launch role of the SageMaker projects portfolio in this account (null when
        sagemaker_projects is null).
        """
        return self.output("project_launch_role_arn")

    @property
    def project_role_arns(self) -> str:
        """
        CodeBuild (build) and CodePipeline (pipeline) roles of the team's SageMaker projects
        (empty when sagemaker_projects is null).
        """
        return self.output("project_role_arns")

    @property
    def source_connection_arn(self) -> str:
        """
        CodeConnections connection the projects read their repositories through; a connection
        created here is PENDING until its handshake is completed in the console (null when
        sagemaker_projects is null).
        """
        return self.output("source_connection_arn")

    @property
    def project_settings_parameter_names(self) -> str:
        """SSM parameters the SageMaker project templates read, by setting name."""
        return self.output("project_settings_parameter_names")
