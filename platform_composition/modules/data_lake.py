"""Typed interface of `modules/data-lake`.

Generated from the module's variables.tf and outputs.tf by
`scripts/generate_module_interfaces.py`; edit the HCL, then regenerate.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NotRequired, TypedDict

from cdktn import TerraformProvider
from constructs import Construct

from platform_composition.hcl_module import HclModule


class DataLakeDatabasesValueTablesValueColumnsItem(TypedDict):
    name: str
    type: str
    comment: NotRequired[str | None]


class DataLakeDatabasesValueTablesValuePartitionKeysItem(TypedDict):
    name: str
    type: str


class DataLakeDatabasesValueTablesValue(TypedDict):
    description: NotRequired[str | None]
    zone: NotRequired[str | None]
    format: NotRequired[str | None]
    columns: Sequence[DataLakeDatabasesValueTablesValueColumnsItem]
    partition_keys: NotRequired[Sequence[DataLakeDatabasesValueTablesValuePartitionKeysItem] | None]
    lf_tags: NotRequired[Mapping[str, str] | None]


class DataLakeDatabasesValue(TypedDict):
    description: NotRequired[str | None]
    lf_tags: Mapping[str, str]
    tables: NotRequired[Mapping[str, DataLakeDatabasesValueTablesValue] | None]


class DataLakeConsumerGrantsValueTableFiltersValue(TypedDict):
    column_names: NotRequired[Sequence[str] | None]
    excluded_column_names: NotRequired[Sequence[str] | None]
    row_filter: NotRequired[str | None]


class DataLakeConsumerGrantsValue(TypedDict):
    expression: Mapping[str, Sequence[str]]
    permissions: NotRequired[Sequence[str] | None]
    principal_arn: NotRequired[str | None]
    table_filters: NotRequired[Mapping[str, DataLakeConsumerGrantsValueTableFiltersValue] | None]


class DataLakeFeatureStoreFeatureGroupsValueFeaturesItem(TypedDict):
    name: str
    type: str


class DataLakeFeatureStoreFeatureGroupsValue(TypedDict):
    description: NotRequired[str | None]
    record_identifier: str
    event_time: str
    features: Sequence[DataLakeFeatureStoreFeatureGroupsValueFeaturesItem]
    online: NotRequired[bool | None]
    lf_tags: NotRequired[Mapping[str, str] | None]
    shared_with_account_ids: NotRequired[Sequence[str] | None]


class DataLakeFeatureStore(TypedDict):
    database: NotRequired[str | None]
    lf_tags: Mapping[str, str]
    feature_groups: NotRequired[Mapping[str, DataLakeFeatureStoreFeatureGroupsValue] | None]


class DataLake(HclModule):
    """Python interface of modules/data-lake (see its README.md).

    Arguments (HCL variable descriptions):
        name: Name of the lake (e.g. "mlgov-lake"): prefixes every resource name (buckets, KMS
        alias, registration role, Athena workgroup).
        organization_id: AWS Organizations id; the lake and results buckets deny principals
        outside this organization (aws:PrincipalOrgID); consumer accounts belong to it.
        tags: Tags applied to every taggable resource of the module.
        lake_admin_principal_arns: Exact IAM role or user ARNs (e.g. IAM Identity Center
        permission-set roles) that become Lake Formation data lake administrators. The principal
        running Terraform is added as well: only administrators may create LF-tags, assign them
        and grant on them.
        lf_tags: LF-tags of the lake: tag key -> allowed values, e.g. { domain = ["sales",
        "marketing"], classification = ["public", "internal", "confidential"] }. Databases,
        tables and consumer grants may only use these keys and values.
        databases: Glue databases of the lake, keyed by database name: description, lf_tags (tag
        key -> one value, assigned to the database and inherited by its tables) and tables (zone
        "raw" or "curated" selects the bucket, format "parquet", "csv" or "json", columns,
        partition keys, and lf_tags overriding the database's per key).
        consumer_grants: Lake Formation grants to ML dev accounts, keyed by account id:
        expression (LF-tag key -> allowed values; matching databases get DESCRIBE, matching
        tables the permissions), permissions (a subset of DESCRIBE and SELECT; never ALL, never
        with grant option), principal_arn (null: the grants name the account, whose data lake
        administrator re-grants inside it; an IAM role ARN of that account: the grants name that
        role directly, nothing to re-grant) and table_filters ("<database>.<table>" ->
        column_names or excluded_column_names and/or a row_filter expression: the account gets
        the permissions on that data cells filter only, for tables its expression does not
        match). Shared to the account through AWS RAM (cross-account version 4).
        feature_store: Central feature store, or null for none: database (Glue database of the
        offline stores, default "feature_store"), lf_tags (tag key -> one value, assigned to
        that database and inherited by every group's offline table) and feature_groups keyed by
        feature group name: description, record_identifier and event_time (names of two of its
        features; the event time feature is String (ISO 8601) or Fractional (epoch seconds)),
        features (name, type Integral | Fractional | String), online (also keep an online store,
        encrypted with the lake key), lf_tags (overrides of the database's values for the
        group's offline table) and shared_with_account_ids (ML dev accounts that may discover
        the catalog and read the group's records read-only through AWS RAM; its offline table is
        governed by their LF-tag grants).
        access_log_bucket_name: Existing bucket, in the same account and region as the lake
        buckets, that receives their S3 server access logs (prefix s3/<bucket>/), or null for
        none.
        noncurrent_version_expiration_days: Days after which noncurrent object versions in the
        lake and results buckets are deleted.
        kms_key_deletion_window_in_days: Waiting period, in days, before the lake KMS key is
        deleted after it is scheduled for deletion.
        athena_workgroup_name: Name of the Athena workgroup; null for the lake name.
        athena_bytes_scanned_cutoff_per_query: Upper limit of bytes one query in the workgroup
        may scan before Athena cancels it (at least 10 MiB = 10485760); null for no limit.
    """

    module_name = "data-lake"

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        name: str,
        organization_id: str,
        tags: Mapping[str, str] | None = None,
        lake_admin_principal_arns: Sequence[str],
        lf_tags: Mapping[str, Sequence[str]],
        databases: Mapping[str, DataLakeDatabasesValue],
        consumer_grants: Mapping[str, DataLakeConsumerGrantsValue] | None = None,
        feature_store: DataLakeFeatureStore | None = None,
        access_log_bucket_name: str | None = None,
        noncurrent_version_expiration_days: int | float | None = None,
        kms_key_deletion_window_in_days: int | float | None = None,
        athena_workgroup_name: str | None = None,
        athena_bytes_scanned_cutoff_per_query: int | float | None = None,
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
                "lake_admin_principal_arns": lake_admin_principal_arns,
                "lf_tags": lf_tags,
                "databases": databases,
                "consumer_grants": consumer_grants,
                "feature_store": feature_store,
                "access_log_bucket_name": access_log_bucket_name,
                "noncurrent_version_expiration_days": noncurrent_version_expiration_days,
                "kms_key_deletion_window_in_days": kms_key_deletion_window_in_days,
                "athena_workgroup_name": athena_workgroup_name,
                "athena_bytes_scanned_cutoff_per_query": athena_bytes_scanned_cutoff_per_query,
            },
        )

    @property
    def bucket_names(self) -> str:
        """Names of the lake buckets, keyed by zone (raw, curated)."""
        return self.output("bucket_names")

    @property
    def bucket_arns(self) -> str:
        """
        ARNs of the lake buckets, keyed by zone (raw, curated); both are registered with Lake
        Formation.
        """
        return self.output("bucket_arns")

    @property
    def results_bucket_name(self) -> str:
        """Name of the Athena query results bucket."""
        return self.output("results_bucket_name")

    @property
    def results_bucket_arn(self) -> str:
        """ARN of the Athena query results bucket."""
        return self.output("results_bucket_arn")

    @property
    def kms_key_arn(self) -> str:
        """ARN of the lake KMS key (zone and results buckets, Athena results)."""
        return self.output("kms_key_arn")

    @property
    def registration_role_arn(self) -> str:
        """ARN of the role Lake Formation assumes for the registered zone locations."""
        return self.output("registration_role_arn")

    @property
    def lake_admin_arns(self) -> str:
        """
        Lake Formation data lake administrators: lake_admin_principal_arns and the principal
        that ran Terraform.
        """
        return self.output("lake_admin_arns")

    @property
    def database_names(self) -> str:
        """Names of the Glue databases of the lake."""
        return self.output("database_names")

    @property
    def table_names(self) -> str:
        """Names of the Glue tables, keyed by database name."""
        return self.output("table_names")

    @property
    def lf_tag_keys(self) -> str:
        """Keys of the LF-tags defined in the lake's catalog."""
        return self.output("lf_tag_keys")

    @property
    def athena_workgroup_name(self) -> str:
        """Name of the lake's Athena workgroup (enforced configuration, encrypted results)."""
        return self.output("athena_workgroup_name")

    @property
    def consumer_grants(self) -> str:
        """
        LF-tag expressions granted to each consumer account (account id -> { expression,
        permissions, filtered_tables }); the permissions apply to matching tables and to the
        data cells filters of filtered_tables ("<database>.<table>"), matching databases get
        DESCRIBE.
        """
        return self.output("consumer_grants")

    @property
    def feature_store_database_name(self) -> str:
        """
        Glue database of the feature groups' offline stores, or null without a feature store.
        """
        return self.output("feature_store_database_name")

    @property
    def feature_store_bucket_name(self) -> str:
        """
        Bucket of the feature groups' offline stores (registered with Lake Formation), or null
        without a feature store.
        """
        return self.output("feature_store_bucket_name")

    @property
    def feature_store_role_arn(self) -> str:
        """
        Role SageMaker Feature Store assumes to write the offline stores, or null without a
        feature store.
        """
        return self.output("feature_store_role_arn")

    @property
    def feature_group_arns(self) -> str:
        """ARNs of the feature groups, keyed by name."""
        return self.output("feature_group_arns")

    @property
    def feature_group_tables(self) -> str:
        """
        Glue table of each feature group's offline store (in feature_store_database_name), keyed
        by group name.
        """
        return self.output("feature_group_tables")

    @property
    def feature_shares(self) -> str:
        """
        Feature groups shared read-only through AWS RAM, keyed by consumer account id (each of
        those accounts also discovers the feature group catalog).
        """
        return self.output("feature_shares")
