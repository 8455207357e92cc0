"""SageMaker Feature Store and AWS RAM shares in the simulator (the central feature store).

moto 5.2 creates and describes feature groups but drops what a request sets besides the
definitions and the offline store (description, online store, throughput), cannot tag them or
delete them, and creates no Glue table for the offline store. Its RAM refuses SageMaker resource
types, ignores the filters, tags and permissions of a resource share, and has no Associate- or
DisassociateResourceShare. These patches (server process only, registered by
`gaps.patch_simulator`; the gaps themselves are listed in `gaps.GAPS`) keep what each request set
and answer the way SageMaker and RAM do, so that the Terraform provider's create, read, waiters,
update and delete work. Nothing runs behind them: no online store, no records, no ingestion; a
shared resource is not visible from the consumer account.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

# Feature type -> the column type SageMaker gives it in the offline store's Glue table.
OFFLINE_COLUMN_TYPES = {"Integral": "bigint", "Fractional": "double", "String": "string"}
# Columns the offline store adds to every group's table, and its partitions.
OFFLINE_STORE_COLUMNS = (
    ("write_time", "timestamp"),
    ("api_invocation_time", "timestamp"),
    ("is_deleted", "boolean"),
)
OFFLINE_STORE_PARTITIONS = ("year", "month", "day", "hour")
# The SageMaker resource types RAM shares (feature groups; the feature group catalog).
SAGEMAKER_SHAREABLE_TYPES = ("feature-group", "sagemaker-catalog")


@dataclass
class FeatureGroupRecord:
    """A feature group as SageMaker describes it, and its tags."""

    description: dict[str, Any]
    tags: list[dict[str, str]] = field(default_factory=list)


# ARN -> every feature group the simulator holds.
FEATURE_GROUPS: dict[str, FeatureGroupRecord] = {}


def offline_table_input(name: str, description: dict[str, Any], location: str) -> dict[str, Any]:
    """The Glue table SageMaker creates for a group's offline store (Glue table format)."""
    columns = [
        {"Name": d["FeatureName"], "Type": OFFLINE_COLUMN_TYPES[d["FeatureType"]]}
        for d in description["FeatureDefinitions"]
    ] + [{"Name": n, "Type": t} for n, t in OFFLINE_STORE_COLUMNS]
    return {
        "Name": name,
        "Description": f"Offline store of feature group {description['FeatureGroupName']}",
        "TableType": "EXTERNAL_TABLE",
        "Parameters": {"EXTERNAL": "TRUE", "classification": "parquet"},
        "PartitionKeys": [{"Name": p, "Type": "string"} for p in OFFLINE_STORE_PARTITIONS],
        "StorageDescriptor": {
            "Columns": columns,
            "Location": location,
            "InputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
            "OutputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
            "SerdeInfo": {
                "SerializationLibrary": "org.apache.hadoop.hive.ql.io.parquet.serde."
                "ParquetHiveSerDe"
            },
        },
    }


def _patch_feature_groups() -> None:
    """CreateFeatureGroup, DescribeFeatureGroup and DeleteFeatureGroup keep and return what the
    request set; the offline store gets its resolved S3 URI and, unless disabled, its Glue table
    in the named database (which must exist, as in SageMaker)."""
    from moto.core.responses import ActionResult, EmptyResult
    from moto.glue.models import glue_backends
    from moto.sagemaker import models, responses
    from moto.sagemaker.exceptions import ResourceInUseException, ResourceNotFound, ValidationError

    def arn_of(self: Any, name: str) -> str:
        name = name.rsplit("/", 1)[-1]
        return (
            f"arn:{self.partition}:sagemaker:{self.region}:{self.current_account}:"
            f"feature-group/{name.lower()}"
        )

    def create_feature_group(self: Any) -> Any:
        name = self._get_param("FeatureGroupName")
        arn = arn_of(self, name)
        if arn in FEATURE_GROUPS:
            raise ResourceInUseException(
                message=f"Resource Already Exists: FeatureGroup with name {name} already exists."
            )
        definitions = self._get_param("FeatureDefinitions") or []
        names = {d["FeatureName"] for d in definitions}
        for key in ("RecordIdentifierFeatureName", "EventTimeFeatureName"):
            if self._get_param(key) not in names:
                raise ValidationError(
                    f"{key} {self._get_param(key)} is not among the feature definitions"
                )
        description: dict[str, Any] = {
            "FeatureGroupArn": arn,
            "FeatureGroupName": name,
            "RecordIdentifierFeatureName": self._get_param("RecordIdentifierFeatureName"),
            "EventTimeFeatureName": self._get_param("EventTimeFeatureName"),
            "FeatureDefinitions": definitions,
            "CreationTime": time.time(),
            "RoleArn": self._get_param("RoleArn"),
            "FeatureGroupStatus": "Created",
            "ThroughputConfig": self._get_param("ThroughputConfig")
            or {"ThroughputMode": "OnDemand"},
        }
        if self._get_param("Description"):
            description["Description"] = self._get_param("Description")
        online = self._get_param("OnlineStoreConfig")
        if online:
            description["OnlineStoreConfig"] = online
        offline = self._get_param("OfflineStoreConfig")
        if offline:
            storage = dict(offline["S3StorageConfig"])
            stamp = int(description["CreationTime"])
            storage["ResolvedOutputS3Uri"] = (
                f"{storage['S3Uri'].rstrip('/')}/{self.current_account}/sagemaker/"
                f"{self.region}/offline-store/{name}-{stamp}/data"
            )
            offline = {**offline, "S3StorageConfig": storage}
            offline.setdefault("TableFormat", "Glue")
            catalog = offline.get("DataCatalogConfig")
            if not offline.get("DisableGlueTableCreation"):
                catalog = catalog or {
                    "Catalog": "AwsDataCatalog",
                    "Database": "sagemaker_featurestore",
                    "TableName": f"{name.replace('-', '_')}_{stamp}",
                }
                glue = glue_backends[self.current_account][self.region]
                try:
                    glue.get_database(catalog["Database"])
                except Exception as error:
                    raise ValidationError(
                        f"Database {catalog['Database']} of the offline store does not exist"
                    ) from error
                glue.create_table(
                    catalog["Database"],
                    catalog["TableName"],
                    offline_table_input(
                        catalog["TableName"], description, storage["ResolvedOutputS3Uri"]
                    ),
                )
            if catalog:
                offline["DataCatalogConfig"] = catalog
            description["OfflineStoreConfig"] = offline
            description["OfflineStoreStatus"] = {"Status": "Active"}
        FEATURE_GROUPS[arn] = FeatureGroupRecord(description, list(self._get_param("Tags") or []))
        return ActionResult({"FeatureGroupArn": arn})

    def record(self: Any) -> FeatureGroupRecord:
        name = self._get_param("FeatureGroupName")
        found = FEATURE_GROUPS.get(arn_of(self, name))
        if found is None:
            raise ResourceNotFound(f"Resource Not Found: FeatureGroup {name} does not exist.")
        return found

    def describe_feature_group(self: Any) -> Any:
        return ActionResult(record(self).description)

    def delete_feature_group(self: Any) -> Any:
        # As in SageMaker, the offline store's data and Glue table stay.
        FEATURE_GROUPS.pop(record(self).description["FeatureGroupArn"])
        return EmptyResult()

    response = responses.SageMakerResponse
    response.create_feature_group = create_feature_group  # type: ignore[method-assign]
    response.describe_feature_group = describe_feature_group  # type: ignore[method-assign]
    response.delete_feature_group = delete_feature_group  # type: ignore[attr-defined]

    original_resource = models.SageMakerModelBackend._get_resource_from_arn

    def resource_from_arn(self: Any, arn: str) -> Any:
        if arn in FEATURE_GROUPS:
            return FEATURE_GROUPS[arn]
        if arn.rsplit(":", 1)[-1].startswith("feature-group/"):
            raise ResourceNotFound(f"Cannot find resource {arn}")
        return original_resource(self, arn)

    models.SageMakerModelBackend._get_resource_from_arn = resource_from_arn  # type: ignore[method-assign]


def _patch_ram() -> None:
    """Resource shares keep their tags and managed permissions; GetResourceShares honours its
    filters; Associate- and DisassociateResourceShare add and remove principals and resources;
    feature groups and the feature group catalog are shareable."""
    import json

    from moto.ram import models, responses, urls
    from moto.ram.exceptions import InvalidParameterException, UnknownResourceException

    share_class = models.ResourceShare
    if getattr(share_class, "sandbox_patched", False):
        return
    share_class.sandbox_patched = True  # type: ignore[attr-defined]
    share_class.SHAREABLE_RESOURCES = [
        *share_class.SHAREABLE_RESOURCES,
        *SAGEMAKER_SHAREABLE_TYPES,
    ]

    original_init = share_class.__init__
    original_describe = share_class.describe

    def init(self: Any, account_id: str, region: str, **kwargs: Any) -> None:
        original_init(self, account_id, region, **kwargs)
        self.tags = list(kwargs.get("tags") or [])
        self.permission_arns = list(kwargs.get("permissionArns") or [])

    def describe(self: Any) -> dict[str, Any]:
        return {**original_describe(self), "tags": getattr(self, "tags", [])}

    share_class.__init__ = init  # type: ignore[method-assign]
    share_class.describe = describe  # type: ignore[method-assign]

    def find(backend: Any, arn: str | None) -> Any:
        for share in backend.resource_shares:
            if share.arn == arn and share.status != "DELETED":
                return share
        raise UnknownResourceException(f"ResourceShare {arn} could not be found.")

    def get_resource_shares(self: Any) -> str:
        owner = self._get_param("resourceOwner")
        if owner not in ("SELF", "OTHER-ACCOUNTS"):
            raise InvalidParameterException(f"{owner} is not a valid resource owner.")
        arns = self._get_param("resourceShareArns") or []
        name = self._get_param("name")
        status = self._get_param("resourceShareStatus")
        shares = [
            share.describe()
            for share in self.ram_backend.resource_shares
            if owner == "SELF"
            and (not arns or share.arn in arns)
            and (name is None or share.name == name)
            and (status is None or share.status == status)
        ]
        return json.dumps({"resourceShares": shares})

    def associate_resource_share(self: Any) -> str:
        share = find(self.ram_backend, self._get_param("resourceShareArn"))
        principals = [p for p in self._get_param("principals") or [] if p not in share.principals]
        resources = [
            r for r in self._get_param("resourceArns") or [] if r not in share.resource_arns
        ]
        share.add_principals(principals)
        share.add_resources(resources)
        return json.dumps({"resourceShareAssociations": associations(share, principals, resources)})

    def disassociate_resource_share(self: Any) -> str:
        share = find(self.ram_backend, self._get_param("resourceShareArn"))
        principals = [p for p in self._get_param("principals") or [] if p in share.principals]
        resources = [r for r in self._get_param("resourceArns") or [] if r in share.resource_arns]
        share.principals = [p for p in share.principals if p not in principals]
        share.resource_arns = [r for r in share.resource_arns if r not in resources]
        return json.dumps(
            {
                "resourceShareAssociations": associations(
                    share, principals, resources, status="DISASSOCIATING"
                )
            }
        )

    def list_resource_share_permissions(self: Any) -> str:
        share = find(self.ram_backend, self._get_param("resourceShareArn"))
        permissions = [
            {
                "arn": arn,
                "name": arn.rsplit("/", 1)[-1],
                "version": "1",
                "defaultVersion": True,
                "status": "ATTACHABLE",
                "permissionType": "AWS_MANAGED",
            }
            for arn in share.permission_arns
        ]
        return json.dumps({"permissions": permissions})

    response = responses.ResourceAccessManagerResponse
    response.get_resource_shares = get_resource_shares  # type: ignore[method-assign]
    response.associate_resource_share = associate_resource_share  # type: ignore[attr-defined]
    response.disassociate_resource_share = disassociate_resource_share  # type: ignore[attr-defined]
    response.list_resource_share_permissions = list_resource_share_permissions  # type: ignore[attr-defined]
    for path in (
        "associateresourceshare",
        "disassociateresourceshare",
        "listresourcesharepermissions",
    ):
        urls.url_paths[f"{{0}}/{path}$"] = response.dispatch


def associations(
    share: Any, principals: list[str], resources: list[str], *, status: str = "ASSOCIATED"
) -> list[dict[str, Any]]:
    """What Associate-/DisassociateResourceShare report for the entities they changed."""
    now = time.time()
    return [
        {
            "resourceShareArn": share.arn,
            "resourceShareName": share.name,
            "associatedEntity": entity,
            "associationType": kind,
            "status": status,
            "creationTime": now,
            "lastUpdatedTime": now,
            "external": False,
        }
        for kind, entities in (("PRINCIPAL", principals), ("RESOURCE", resources))
        for entity in entities
    ]


def patch_feature_store() -> None:
    """Register every patch of this module (idempotent per server process)."""
    from moto.sagemaker import responses

    if not getattr(responses.SageMakerResponse, "sandbox_feature_groups", False):
        _patch_feature_groups()
        responses.SageMakerResponse.sandbox_feature_groups = True  # type: ignore[attr-defined]
    _patch_ram()
