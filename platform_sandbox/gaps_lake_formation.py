"""Lake Formation in the simulator: data lake settings, LF-tag grants and resource LF-tags.

moto 5.2 differs from Lake Formation where the data-lake module relies on it:

- it stores a grant on an LF-tag expression (`Resource.LFTagPolicy`) but refuses to list
  permissions by such a resource, which is how the Terraform provider reads
  `aws_lakeformation_permissions` with `lf_tag_policy`;
- PutDataLakeSettings stores the request as it came, so a list the request omits (default
  permissions for new databases and tables) keeps moto's IAMAllowedPrincipals default or is
  missing from GetDataLakeSettings, where Lake Formation clears it;
- GetResourceLFTags on a table shows only the tags assigned to the table itself (and fails on a
  table without any), where Lake Formation also shows those inherited from the database;
- it has no data cells filters (column and row filters) beyond an always empty listing.

These patches (server process only, registered by `gaps.patch_simulator`; the gaps themselves
are listed in `gaps.GAPS`) close those differences. Expressions are kept in one canonical form,
so a grant, its listing and its revocation name the same resource whatever order the keys and
values arrive in.
"""

from __future__ import annotations

import json
from typing import Any


def canonical_resource(resource: dict[str, Any], catalog_id: str) -> dict[str, Any]:
    """An LF-tag policy or LF-tag resource with its catalog, keys and values in one order."""
    if "LFTagPolicy" in resource:
        policy = resource["LFTagPolicy"]
        expression = sorted(
            (
                {"TagKey": term["TagKey"], "TagValues": sorted(term.get("TagValues") or [])}
                for term in policy.get("Expression") or []
            ),
            key=lambda term: str(term["TagKey"]),
        )
        return {
            "LFTagPolicy": {
                "CatalogId": policy.get("CatalogId") or catalog_id,
                "ResourceType": policy.get("ResourceType"),
                "Expression": expression,
            }
        }
    if "DataCellsFilter" in resource:
        cells = resource["DataCellsFilter"]
        return {
            "DataCellsFilter": {
                "TableCatalogId": cells.get("TableCatalogId") or catalog_id,
                "DatabaseName": cells.get("DatabaseName"),
                "TableName": cells.get("TableName"),
                "Name": cells.get("Name"),
            }
        }
    if "LFTag" in resource:
        tag = resource["LFTag"]
        return {
            "LFTag": {
                "CatalogId": tag.get("CatalogId") or catalog_id,
                "TagKey": tag.get("TagKey"),
                "TagValues": sorted(tag.get("TagValues") or []),
            }
        }
    return resource


def matches(granted: dict[str, Any], wanted: dict[str, Any], catalog_id: str) -> bool:
    """Whether a stored grant's resource is the LF-tag policy or LF-tag a listing asks for."""
    return canonical_resource(granted, catalog_id) == canonical_resource(wanted, catalog_id)


def _patch_lf_tag_policy_permissions() -> None:
    """Grants and revocations on LFTagPolicy/LFTag resources in canonical form; ListPermissions
    answers for those resources (moto requires a catalog, database or table resource)."""
    from moto.lakeformation import models, responses

    original_grant = models.LakeFormationBackend.grant_permissions
    original_revoke = models.LakeFormationBackend.revoke_permissions
    original_list = responses.LakeFormationResponse.list_permissions

    def grant_permissions(
        self: Any,
        catalog_id: str,
        principal: dict[str, str],
        resource: dict[str, Any],
        permissions: list[str],
        permissions_with_grant_options: list[str],
    ) -> None:
        original_grant(
            self,
            catalog_id,
            principal,
            canonical_resource(resource, catalog_id),
            permissions,
            permissions_with_grant_options,
        )

    def revoke_permissions(
        self: Any,
        catalog_id: str,
        principal: dict[str, str],
        resource: dict[str, Any],
        permissions_to_revoke: list[str],
        permissions_with_grant_options_to_revoke: list[str],
    ) -> None:
        original_revoke(
            self,
            catalog_id,
            principal,
            canonical_resource(resource, catalog_id),
            permissions_to_revoke,
            permissions_with_grant_options_to_revoke,
        )

    def list_permissions(self: Any) -> str:
        resource = self._get_param("Resource")
        if not resource or not ({"LFTagPolicy", "LFTag", "DataCellsFilter"} & set(resource)):
            return str(original_list(self))
        catalog_id = self._get_param("CatalogId") or self.current_account
        principal = self._get_param("Principal")
        catalog = self.lakeformation_backend.grants.get(catalog_id)
        listed = [
            permission.to_external_form()
            for permission in (catalog.permissions if catalog is not None else [])
            if matches(permission.resource, resource, catalog_id)
            and (principal is None or permission.principal == principal)
        ]
        return json.dumps({"PrincipalResourcePermissions": listed})

    models.LakeFormationBackend.grant_permissions = grant_permissions  # type: ignore[method-assign]
    models.LakeFormationBackend.revoke_permissions = revoke_permissions  # type: ignore[method-assign]
    responses.LakeFormationResponse.list_permissions = list_permissions  # type: ignore[method-assign]


# Lists PutDataLakeSettings clears when the request omits them (Lake Formation: "passing an
# empty array or omitting the setting revokes it").
_CLEARED_SETTINGS = (
    "DataLakeAdmins",
    "ReadOnlyAdmins",
    "CreateDatabaseDefaultPermissions",
    "CreateTableDefaultPermissions",
    "TrustedResourceOwners",
    "ExternalDataFilteringAllowList",
    "AuthorizedSessionTagValueList",
)


def settings_as_stored(settings: dict[str, Any]) -> dict[str, Any]:
    """The data lake settings Lake Formation keeps for a PutDataLakeSettings request."""
    return {
        **{key: [] for key in _CLEARED_SETTINGS},
        "AllowExternalDataFiltering": False,
        "AllowFullTableExternalDataAccess": False,
        **settings,
    }


def _patch_data_lake_settings() -> None:
    """PutDataLakeSettings replaces the settings: what the request omits is cleared."""
    from moto.lakeformation import models

    original = models.LakeFormationBackend.put_data_lake_settings

    def put_data_lake_settings(self: Any, catalog_id: str, settings: dict[str, Any]) -> None:
        original(self, catalog_id, settings_as_stored(settings or {}))

    models.LakeFormationBackend.put_data_lake_settings = put_data_lake_settings  # type: ignore[method-assign]


def effective_table_tags(
    database_tags: list[dict[str, Any]], table_tags: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """A table's LF-tags: its database's, with the table's own value where it assigns a key."""
    own = {tag["TagKey"] for tag in table_tags}
    return [tag for tag in database_tags if tag["TagKey"] not in own] + list(table_tags)


def _patch_resource_lf_tags() -> None:
    """GetResourceLFTags shows a table's inherited tags (unless ShowAssignedLFTags) and its
    database's tags, and answers for databases and tables without tags."""
    from moto.lakeformation import responses

    def get_resource_lf_tags(self: Any) -> str:
        resource = self._get_param("Resource") or {}
        backend = self.lakeformation_backend
        answer: dict[str, Any] = {}
        if "Database" in resource:
            database = resource["Database"]
            key = (database.get("CatalogId", backend.account_id), database["Name"])
            answer["LFTagOnDatabase"] = backend.lf_database_tags.get(key, [])
        elif "Table" in resource or "TableWithColumns" in resource:
            table = resource.get("Table") or resource["TableWithColumns"]
            catalog_id = table.get("CatalogId", backend.account_id)
            database_tags = backend.lf_database_tags.get((catalog_id, table["DatabaseName"]), [])
            table_tags = backend.lf_table_tags.get(
                (catalog_id, table["DatabaseName"], table.get("Name")), []
            )
            answer["LFTagOnDatabase"] = database_tags
            answer["LFTagsOnTable"] = (
                table_tags
                if self._get_param("ShowAssignedLFTags")
                else effective_table_tags(database_tags, table_tags)
            )
            if "TableWithColumns" in resource:
                columns = [
                    {
                        "Name": column,
                        "LFTags": backend.lf_columns_tags.get(
                            (catalog_id, table["DatabaseName"], table["Name"], column), []
                        ),
                    }
                    for column in table.get("ColumnNames") or []
                ]
                answer["LFTagsOnColumns"] = [c for c in columns if c["LFTags"]]
        return json.dumps(answer)

    responses.LakeFormationResponse.get_resource_lf_tags = get_resource_lf_tags  # type: ignore[method-assign]


def _patch_add_lf_tags() -> None:
    """AddLFTagsToResource adds to (or replaces the value of a key among) a resource's tags and
    refuses values the LF-tag does not allow; moto replaces all of them and checks keys only."""
    from moto.lakeformation import models

    original = models.LakeFormationBackend.add_lf_tags_to_resource

    def add_lf_tags_to_resource(
        self: Any, catalog_id: str, resource: dict[str, Any], tags: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        defined = self.list_lf_tags(catalog_id)
        failures = [
            {
                "LFTag": {**tag, "CatalogId": tag.get("CatalogId") or catalog_id},
                "Error": {
                    "ErrorCode": "InvalidInputException",
                    "ErrorMessage": f"Tag value(s) {value} not found for tag key {tag['TagKey']}",
                },
            }
            for tag in tags
            if tag["TagKey"] in defined
            for value in tag.get("TagValues") or []
            if value not in (defined[tag["TagKey"]] or [])
        ]
        if failures:
            return failures
        current: list[dict[str, Any]] = []
        if "Database" in resource:
            database = resource["Database"]
            key = (database.get("CatalogId", self.account_id), database["Name"])
            current = self.lf_database_tags.get(key, [])
        elif "Table" in resource:
            table = resource["Table"]
            key3 = (table.get("CatalogId", self.account_id), table["DatabaseName"], table["Name"])
            current = self.lf_table_tags.get(key3, [])
        named = {tag["TagKey"] for tag in tags}
        kept = [dict(tag) for tag in current if tag["TagKey"] not in named]
        return original(self, catalog_id, resource, kept + [dict(tag) for tag in tags])  # type: ignore[no-any-return]

    models.LakeFormationBackend.add_lf_tags_to_resource = add_lf_tags_to_resource  # type: ignore[method-assign]


# (account, region, table catalog, database, table, filter name) -> the filter's TableData.
DATA_CELLS_FILTERS: dict[tuple[str, str, str, str, str, str], dict[str, Any]] = {}


def _patch_data_cells_filters() -> None:
    """Create/Get/Delete/ListDataCellsFilter keep column and row filters of a table, and
    ListPermissions answers for grants on a DataCellsFilter resource (moto lists none)."""
    from moto.lakeformation import responses, urls
    from moto.lakeformation.exceptions import AlreadyExists, EntityNotFound, InvalidInput

    def filter_key(self: Any, data: dict[str, Any]) -> tuple[str, str, str, str, str, str]:
        return (
            self.current_account,
            self.region,
            data.get("TableCatalogId") or self.current_account,
            data.get("DatabaseName") or "",
            data.get("TableName") or "",
            data.get("Name") or "",
        )

    def named(self: Any) -> dict[str, Any]:
        return {
            name: self._get_param(name)
            for name in ("TableCatalogId", "DatabaseName", "TableName", "Name")
        }

    def create_data_cells_filter(self: Any) -> str:
        data = dict(self._get_param("TableData") or {})
        if ("ColumnNames" in data) == ("ColumnWildcard" in data):
            raise InvalidInput("A filter needs exactly one of ColumnNames and ColumnWildcard.")
        key = filter_key(self, data)
        if key in DATA_CELLS_FILTERS:
            raise AlreadyExists(f"Data cells filter {key[5]} already exists on {key[4]}.")
        data["TableCatalogId"] = key[2]
        DATA_CELLS_FILTERS[key] = data
        return "{}"

    def get_data_cells_filter(self: Any) -> str:
        key = filter_key(self, named(self))
        if key not in DATA_CELLS_FILTERS:
            raise EntityNotFound
        return json.dumps({"DataCellsFilter": DATA_CELLS_FILTERS[key]})

    def delete_data_cells_filter(self: Any) -> str:
        key = filter_key(self, named(self))
        if DATA_CELLS_FILTERS.pop(key, None) is None:
            raise EntityNotFound
        return "{}"

    def list_data_cells_filter(self: Any) -> str:
        table = self._get_param("Table") or {}
        listed = [
            data
            for key, data in DATA_CELLS_FILTERS.items()
            if key[:2] == (self.current_account, self.region)
            and (not table or (key[3], key[4]) == (table.get("DatabaseName"), table.get("Name")))
        ]
        return json.dumps({"DataCellsFilters": listed})

    response = responses.LakeFormationResponse
    response.create_data_cells_filter = create_data_cells_filter  # type: ignore[attr-defined]
    response.get_data_cells_filter = get_data_cells_filter  # type: ignore[attr-defined]
    response.delete_data_cells_filter = delete_data_cells_filter  # type: ignore[attr-defined]
    response.list_data_cells_filter = list_data_cells_filter  # type: ignore[method-assign]
    for action in ("CreateDataCellsFilter", "GetDataCellsFilter", "DeleteDataCellsFilter"):
        urls.url_paths["{0}/" + action + "$"] = urls.response.dispatch


def patch_lake_formation() -> None:
    """Every Lake Formation patch of the simulator (server process only)."""
    _patch_lf_tag_policy_permissions()
    _patch_data_cells_filters()
    _patch_add_lf_tags()
    _patch_data_lake_settings()
    _patch_resource_lf_tags()
