"""Typed interface of `modules/data-lake-consumer`.

Generated from the module's variables.tf and outputs.tf by
`scripts/generate_module_interfaces.py`; edit the HCL, then regenerate.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from cdktn import TerraformProvider
from constructs import Construct

from platform_composition.hcl_module import HclModule


class DataLakeConsumer(HclModule):
    """Python interface of modules/data-lake-consumer (see its README.md).

    Arguments (HCL variable descriptions):
        name: Team workspace name (e.g. "mlgov-team-a"): prefixes every resource name of the
        module (Athena workgroup, role, results bucket, KMS alias).
        organization_id: AWS Organizations id; the Athena role may be assumed only by principals
        of this organization (aws:PrincipalOrgID).
        lake_account_id: AWS account id of the data lake account whose Glue Data Catalog holds
        shared_databases (the catalog id of the resource links' targets).
        shared_databases: Names of the databases in the lake account's Glue Data Catalog that
        the lake account granted this account (DESCRIBE on the database, SELECT and DESCRIBE on
        its tables); one resource link is created per database.
        resource_link_prefix: Prefix of the resource link names: the link to shared database D
        is named "<resource_link_prefix><D>" (default "lake_", e.g. lake_sales). The project
        templates query tables as <prefix><database>.<table>.
        manage_data_lake_settings: Whether the module sets this account's Lake Formation data
        lake settings (administrators = lake_admin_principal_arns and the principal running
        Terraform, no IAMAllowedPrincipals defaults). The settings are one object per account
        and region: set false when another stack owns them.
        lake_admin_principal_arns: Exact IAM role or user ARNs of this account's Lake Formation
        data lake administrators besides the principal running Terraform, which the module
        always adds (only administrators may create the resource links and grant on them).
        athena_user_principal_arns: Exact IAM role ARNs allowed to assume the Athena role, e.g.
        the workspace's persona and execution roles ("arn:aws:iam::<account>:role/mlgov-team-a-
        data-scientist").
        grant_shared_database_permissions: Whether the module grants the Athena role DESCRIBE on
        each shared database and SELECT and DESCRIBE on all its tables in the lake account's
        catalog (besides DESCRIBE on the resource links). Lake Formation accepts these grants
        only if the lake account granted this account the same permissions with the grant
        option; set false when the lake account grants the Athena role itself.
        athena_bytes_scanned_cutoff_per_query: Upper limit of data, in bytes, that one query in
        the workgroup may scan; Athena cancels the query past it (at least 10485760, i.e. 10
        MB).
        results_retention_days: Days after which query results in the results bucket expire
        (noncurrent versions are deleted one day later).
        access_log_bucket_name: Existing bucket, in the same account and region, that receives
        the results bucket's S3 server access logs, or null for none.
        create_kms_key: Whether the module creates the key (rotation on) that encrypts query
        results and the results bucket; false uses kms_key_arn. A flag rather than kms_key_arn
        == null, so that kms_key_arn may be known only after apply (e.g. ml-workspace's
        kms_key_arn in the same configuration).
        kms_key_arn: ARN of an existing customer managed KMS key (e.g. the team key of ml-
        workspace) that encrypts query results and the results bucket when create_kms_key is
        false; must be null when it is true.
        shared_feature_group_arns: ARNs of the central feature store's feature groups shared
        with this account through AWS RAM (read-only managed permission). The Athena role may
        describe them, read their records and search the shared feature group catalog; their
        offline stores are tables of a shared database (list it in shared_databases).
        project_settings_parameter_path: SSM path under which the team's lake settings are
        written for the SageMaker project templates (athena-role-arn, athena-workgroup), e.g.
        "/mlgov/project-settings/" as in ml-workspace's sagemaker_projects; null for none.
        tags: Tags applied to every taggable resource of the module.
    """

    module_name = "data-lake-consumer"

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        name: str,
        organization_id: str,
        lake_account_id: str,
        shared_databases: Sequence[str],
        resource_link_prefix: str | None = None,
        manage_data_lake_settings: bool | None = None,
        lake_admin_principal_arns: Sequence[str] | None = None,
        athena_user_principal_arns: Sequence[str],
        grant_shared_database_permissions: bool | None = None,
        athena_bytes_scanned_cutoff_per_query: int | float | None = None,
        results_retention_days: int | float | None = None,
        access_log_bucket_name: str | None = None,
        create_kms_key: bool | None = None,
        kms_key_arn: str | None = None,
        shared_feature_group_arns: Sequence[str] | None = None,
        project_settings_parameter_path: str | None = None,
        tags: Mapping[str, str] | None = None,
        providers: Sequence[TerraformProvider] | None = None,
    ) -> None:
        super().__init__(
            scope,
            construct_id,
            providers=providers,
            arguments={
                "name": name,
                "organization_id": organization_id,
                "lake_account_id": lake_account_id,
                "shared_databases": shared_databases,
                "resource_link_prefix": resource_link_prefix,
                "manage_data_lake_settings": manage_data_lake_settings,
                "lake_admin_principal_arns": lake_admin_principal_arns,
                "athena_user_principal_arns": athena_user_principal_arns,
                "grant_shared_database_permissions": grant_shared_database_permissions,
                "athena_bytes_scanned_cutoff_per_query": athena_bytes_scanned_cutoff_per_query,
                "results_retention_days": results_retention_days,
                "access_log_bucket_name": access_log_bucket_name,
                "create_kms_key": create_kms_key,
                "kms_key_arn": kms_key_arn,
                "shared_feature_group_arns": shared_feature_group_arns,
                "project_settings_parameter_path": project_settings_parameter_path,
                "tags": tags,
            },
        )

    @property
    def resource_link_names(self) -> str:
        """
        Resource link names, keyed by shared database name ("<resource_link_prefix><database>",
        e.g. sales = "lake_sales"); query tables as <link>.<table>.
        """
        return self.output("resource_link_names")

    @property
    def athena_workgroup_name(self) -> str:
        """
        Name of the Athena workgroup (enforced configuration: results location, SSE_KMS, bytes-
        scanned cutoff).
        """
        return self.output("athena_workgroup_name")

    @property
    def athena_role_arn(self) -> str:
        """
        ARN of the role data scientists and pipelines assume for Athena on the shared databases.
        """
        return self.output("athena_role_arn")

    @property
    def athena_role_name(self) -> str:
        """Name of the Athena role."""
        return self.output("athena_role_name")

    @property
    def results_bucket_name(self) -> str:
        """Name of the Athena query results bucket."""
        return self.output("results_bucket_name")

    @property
    def kms_key_arn(self) -> str:
        """
        ARN of the KMS key that encrypts query results: kms_key_arn when given, otherwise the
        key the module created.
        """
        return self.output("kms_key_arn")

    @property
    def project_settings_parameter_names(self) -> str:
        """
        SSM parameters written for the SageMaker project templates, by setting name (empty when
        project_settings_parameter_path is null).
        """
        return self.output("project_settings_parameter_names")
