"""Typed interface of `modules/service-catalog-portfolios`.

Generated from the module's variables.tf and outputs.tf by
`scripts/generate_module_interfaces.py`; edit the HCL, then regenerate.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NotRequired, TypedDict

from cdktn import TerraformProvider
from constructs import Construct

from platform_composition.hcl_module import HclModule


class ServiceCatalogPortfoliosPortfoliosMlAdmin(TypedDict):
    display_name: NotRequired[str | None]
    description: NotRequired[str | None]
    principal_patterns: Sequence[str]


class ServiceCatalogPortfoliosPortfoliosSagemakerProjects(TypedDict):
    display_name: NotRequired[str | None]
    description: NotRequired[str | None]
    principal_patterns: Sequence[str]


class ServiceCatalogPortfoliosPortfolios(TypedDict):
    ml_admin: ServiceCatalogPortfoliosPortfoliosMlAdmin
    sagemaker_projects: ServiceCatalogPortfoliosPortfoliosSagemakerProjects


class ServiceCatalogPortfoliosSupport(TypedDict):
    email: NotRequired[str | None]
    url: NotRequired[str | None]
    description: NotRequired[str | None]


class ServiceCatalogPortfoliosProductsValueVersionsItem(TypedDict):
    name: str
    description: str
    artifact_path: NotRequired[str | None]
    template_url: NotRequired[str | None]
    active: NotRequired[bool | None]
    guidance: NotRequired[str | None]


class ServiceCatalogPortfoliosProductsValue(TypedDict):
    portfolio: str
    type: str
    name: str
    description: str
    distributor: NotRequired[str | None]
    studio_template: NotRequired[bool | None]
    versions: Sequence[ServiceCatalogPortfoliosProductsValueVersionsItem]


class ServiceCatalogPortfoliosLaunchRoleNames(TypedDict):
    ml_admin: str
    sagemaker_projects: str


class ServiceCatalogPortfoliosPublishingPipeline(TypedDict):
    repository_id: str
    branch: NotRequired[str | None]
    connection_arn: NotRequired[str | None]
    provider_type: NotRequired[str | None]
    product_sources: Mapping[str, str]
    seed_code_sources: NotRequired[Mapping[str, str] | None]
    cfn_lint_version: NotRequired[str | None]
    codebuild_image: NotRequired[str | None]


class ServiceCatalogPortfolios(HclModule):
    """Python interface of modules/service-catalog-portfolios (see its README.md).

    Arguments (HCL variable descriptions):
        name_prefix: Prefix of every name this module creates (bucket, key alias, hub launch
        roles), e.g. "mlgov".
        organization_id: AWS Organizations id. Only principals of this organization (and of the
        shared OUs) may read the published templates and seed code.
        management_account_id: The organization's management account: OU shares name the OU by
        its ARN (arn:aws:organizations::<management account>:ou/<organization>/<ou>).
        workloads_ou_paths: Organization paths of the OUs whose accounts get the portfolios
        ("o-xxx/r-xxxx/ou-xxxx-xxxxxxxx/"). Each OU (the path's last element) receives an
        organization share with principal sharing; the paths also scope who may read the
        templates bucket (aws:PrincipalOrgPaths).
        share_to_account_ids: Accounts that get account shares in addition to the OU shares
        (e.g. an account outside the workloads OU). Account shares must be accepted in the
        account and do not share principals: associate principals there.
        portfolios: Display name, description and IAM_PATTERN principals of the two portfolios.
        The patterns are account-less role ARNs ("arn:aws:iam:::role/<path>/<name-pattern>")
        that principal sharing applies in every shared account; AWS allows at most 10 per
        portfolio. Anyone able to create a role whose name matches gets the portfolio: keep role
        creation of these names guarded (SCP of the organization stack).
        owner: Owner shown on every portfolio and product (team or contact).
        support: Support contact shown on every product.
        products: <<-EOT     Products by key. `portfolio` is "ml_admin" or "sagemaker_projects";
        `type` is     CLOUD_FORMATION_TEMPLATE, EXTERNAL (Service Catalog Terraform engine) or
        TERRAFORM_CLOUD     (HCP Terraform engine). `versions` lists provisioning artifacts
        oldest first: each names     either a local file (`artifact_path`, uploaded to the
        bucket under     products/<key>/<version>/) or an existing `template_url`. The first
        version is created with     the product; every later one is a separate provisioning
        artifact, so a new version is added     to the list and never replaces the product.
        `guidance = "DEPRECATED"` hides a version from     new launches; `active = false`
        disables it. `studio_template` publishes a     CLOUD_FORMATION_TEMPLATE product's newest
        active version in the Studio S3 templates     location as <key>.yaml.   EOT
        launch_role_names: Names of the launch roles (LocalRoleName launch constraints) per
        portfolio. Service Catalog assumes the role of this name in the account where a product
        is launched, so it must exist in the hub and in every shared account: the ml-workspace
        module creates the SageMaker projects one; the ML admin one comes with the account
        baseline (see ml_admin_launch_role_policy_json).
        create_hub_launch_roles: Create the launch roles in this (hub) account, where Service
        Catalog requires them to exist for the constraints. They hold no permissions here:
        products are launched in the workloads accounts.
        terraform_engine_role_arn_pattern: ARN pattern of the Service Catalog Terraform engine's
        execution role in this account; the ML admin launch role (hub copy and the rendered
        policy for the spokes) trusts it for EXTERNAL products. Null for the reference engine's
        default (role path /TerraformEngine/, name TerraformExecutionRole*).
        tag_options: TagOptions per tag key: the values a person must choose from when launching
        a product of either portfolio (e.g. { "mlgov:team" = ["team-a", "team-b"] }).
        studio_templates_prefix: Prefix (folder) of the Studio S3 templates location in the
        bucket; the ml-workspace domains are tagged with s3://<bucket>/<prefix>.
        seed_code: Seed code bundles (zip files) published under seed-code/<key>.zip for the
        workloads OU, the content a new project repository starts with. Map of key to local
        path.
        publishing_pipeline: <<-EOT     The pipeline that publishes new product versions from
        the portfolio repository, or null for     none. A push to `branch` of `repository_id`
        ("owner/repo", read through CodeConnections: an     existing `connection_arn`, or a
        connection created for `provider_type`, PENDING until its     handshake is completed in
        the console) runs a lint build (cfn-lint on every CloudFormation     source; a Terraform
        source must be a directory of .tf files) and a publish build that adds a     version to
        each product whose content changed. `product_sources` maps product keys to paths     in
        the repository (a template file, or a directory for EXTERNAL/TERRAFORM_CLOUD products);
        `seed_code_sources` maps seed code keys to directories. With the pipeline, the Studio
        templates and seed code of those products are written by the pipeline, not by Terraform.
        EOT
        log_retention_in_days: Retention of the publishing builds' logs.
        bucket_name: Name of the bucket holding product artifacts, Studio templates and seed
        code. Null for "<name_prefix>-portfolio-artifacts-<account>-<region>".
        access_log_bucket_name: Bucket receiving the server access logs of the artifacts bucket,
        or null for none.
        kms_key_deletion_window_in_days: Waiting period before the bucket's KMS key is deleted.
        tags: Tags for every resource.
    """

    module_name = "service-catalog-portfolios"

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        name_prefix: str,
        organization_id: str,
        management_account_id: str,
        workloads_ou_paths: Sequence[str],
        share_to_account_ids: Sequence[str] | None = None,
        portfolios: ServiceCatalogPortfoliosPortfolios,
        owner: str | None = None,
        support: ServiceCatalogPortfoliosSupport | None = None,
        products: Mapping[str, ServiceCatalogPortfoliosProductsValue],
        launch_role_names: ServiceCatalogPortfoliosLaunchRoleNames,
        create_hub_launch_roles: bool | None = None,
        terraform_engine_role_arn_pattern: str | None = None,
        tag_options: Mapping[str, Sequence[str]] | None = None,
        studio_templates_prefix: str | None = None,
        seed_code: Mapping[str, str] | None = None,
        publishing_pipeline: ServiceCatalogPortfoliosPublishingPipeline | None = None,
        log_retention_in_days: int | float | None = None,
        bucket_name: str | None = None,
        access_log_bucket_name: str | None = None,
        kms_key_deletion_window_in_days: int | float | None = None,
        tags: Mapping[str, str] | None = None,
        providers: Sequence[TerraformProvider] | None = None,
    ) -> None:
        super().__init__(
            scope,
            construct_id,
            providers=providers,
            arguments={
                "name_prefix": name_prefix,
                "organization_id": organization_id,
                "management_account_id": management_account_id,
                "workloads_ou_paths": workloads_ou_paths,
                "share_to_account_ids": share_to_account_ids,
                "portfolios": portfolios,
                "owner": owner,
                "support": support,
                "products": products,
                "launch_role_names": launch_role_names,
                "create_hub_launch_roles": create_hub_launch_roles,
                "terraform_engine_role_arn_pattern": terraform_engine_role_arn_pattern,
                "tag_options": tag_options,
                "studio_templates_prefix": studio_templates_prefix,
                "seed_code": seed_code,
                "publishing_pipeline": publishing_pipeline,
                "log_retention_in_days": log_retention_in_days,
                "bucket_name": bucket_name,
                "access_log_bucket_name": access_log_bucket_name,
                "kms_key_deletion_window_in_days": kms_key_deletion_window_in_days,
                "tags": tags,
            },
        )

    @property
    def portfolio_ids(self) -> str:
        """Portfolio ids by key (ml_admin, sagemaker_projects)."""
        return self.output("portfolio_ids")

    @property
    def portfolio_arns(self) -> str:
        """Portfolio ARNs by key (ml_admin, sagemaker_projects)."""
        return self.output("portfolio_arns")

    @property
    def product_ids(self) -> str:
        """Product ids by product key."""
        return self.output("product_ids")

    @property
    def provisioning_artifact_ids(self) -> str:
        """
        Ids of the versions added after each product's first
        (aws_servicecatalog_provisioning_artifact), by product key and version name.
        """
        return self.output("provisioning_artifact_ids")

    @property
    def launch_role_names(self) -> str:
        """
        Launch role names per portfolio (LocalRoleName of the launch constraints): the role of
        this name must exist in every account that launches the portfolio's products.
        """
        return self.output("launch_role_names")

    @property
    def ml_admin_launch_role_trust_policy_json(self) -> str:
        """
        Trust policy for the ML admin launch role in each workloads account (account baseline):
        Service Catalog, and the hub's Terraform engine from inside the organization when the
        portfolio has EXTERNAL products.
        """
        return self.output("ml_admin_launch_role_trust_policy_json")

    @property
    def principal_patterns(self) -> str:
        """
        IAM_PATTERN principals associated with each portfolio (applied in every shared account
        by principal sharing).
        """
        return self.output("principal_patterns")

    @property
    def shared_organizational_unit_ids(self) -> str:
        """OUs each portfolio is shared to (organization shares with principal sharing)."""
        return self.output("shared_organizational_unit_ids")

    @property
    def bucket_name(self) -> str:
        """Bucket holding product artifacts, Studio templates and seed code."""
        return self.output("bucket_name")

    @property
    def bucket_arn(self) -> str:
        """ARN of the artifacts bucket."""
        return self.output("bucket_arn")

    @property
    def kms_key_arn(self) -> str:
        """KMS key of the artifacts bucket."""
        return self.output("kms_key_arn")

    @property
    def studio_templates_s3_location(self) -> str:
        """
        The Studio S3 templates location (s3://<bucket>/<prefix>): tag each SageMaker domain
        with it (ml-workspace's project_templates_s3_location).
        """
        return self.output("studio_templates_s3_location")

    @property
    def studio_template_keys(self) -> str:
        """Object keys of the Studio templates by product key."""
        return self.output("studio_template_keys")

    @property
    def seed_code_s3_uris(self) -> str:
        """S3 URIs of the published seed code bundles by key."""
        return self.output("seed_code_s3_uris")

    @property
    def publishing_pipeline_name(self) -> str:
        """Name of the publishing pipeline (null without publishing_pipeline)."""
        return self.output("publishing_pipeline_name")

    @property
    def publishing_connection_arn(self) -> str:
        """
        CodeConnections connection of the portfolio repository: a connection created here is
        PENDING until its handshake is completed in the console (null without
        publishing_pipeline).
        """
        return self.output("publishing_connection_arn")

    @property
    def ml_admin_launch_role_policy_json(self) -> str:
        """
        Permissions of the ML admin launch role for the account baseline: create, change and
        delete a team ML workspace (names under name_prefix, EC2 and KMS resources tagged
        mlgov:component = ml-workspace), the Terraform engine's resource groups, and Service
        Catalog's artifact copies.
        """
        return self.output("ml_admin_launch_role_policy_json")
