"""Lake Formation authorization of cross-account Glue reads in the simulator.

In AWS, a dev account reads the lake account's catalog in two ways: by naming the lake account
as `CatalogId` (GetDatabase, GetDatabases, GetTable, GetTables), or through a resource link in
its own catalog (`lake_<database>`, whose `TargetDatabase` names the lake account's database),
which GetTable and GetTables follow. Lake Formation then answers with what it grants the
caller: GetTable on a table without permission is AccessDeniedException ("Insufficient Lake
Formation permission(s) on <table>"), GetTables lists only the tables the caller may see.

moto 5.2 ignores `CatalogId` (it answers from the caller's own account, where the lake's
databases do not exist), does not follow resource links and evaluates no Lake Formation
permission. The patches here (server process only, registered by `gaps.patch_simulator`; the
gap is listed in `gaps.GAPS`) answer such reads from the lake account's Glue data, filtered by
the lake account's Lake Formation grants. Reads of a catalog's own databases are left to moto.

Who the caller is: the IAM role of the request's assumed-role session (its exact ARN, path
included) or the IAM user of its access key, and the caller's account. A grant matches when
the lake account grants, with permissions that show metadata (DESCRIBE, SELECT or ALL):

- the caller's principal ARN, on a named resource (Database; Table by name or TableWildcard;
  TableWithColumns; a DataCellsFilter, which shows its table) or on an LF-tag expression
  (LFTagPolicy of resource type DATABASE or TABLE). A resource matches an expression when, for
  every key of the expression, the resource's effective value (a table's own value for a key,
  else its database's) is one of the listed values;
- or the caller's account, and then only for the caller's account's data lake administrators
  (DESCRIBE) or for principals its own Lake Formation re-grants the lake's resource to (grants
  in the caller's catalog naming the lake's catalog), bounded by what the account was granted.

A database needs an explicit grant on the database (cross-account, a table grant does not imply
DESCRIBE on its database); a table needs a grant on the table. Reading through a resource link
also needs DESCRIBE on the link in the caller's own Lake Formation (or being its data lake
administrator). A database or table that does not exist is EntityNotFoundException, as moto
answers it.

What is not modelled: column-level permissions (GetTable returns every column, also for a
TableWithColumns or DataCellsFilter grant), data cells filters at read (row filters, excluded
columns), the caller's IAM policies (moto does not evaluate them), AWS RAM shares and the
grant option (a re-grant in the consumer account is admitted whatever the consumer was granted
with), IAMAllowedPrincipals, the implicit permissions of resource creators, GetDatabase on a
resource link (it returns the link, where AWS follows it when the caller may describe the
target), table resource links, SearchTables, partitions and table versions, and query-time
authorization (Athena, S3 credential vending).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from platform_sandbox.gaps_lake_formation import effective_table_tags

# Permissions that let a principal see a database's or table's metadata.
METADATA_PERMISSIONS = frozenset({"DESCRIBE", "SELECT", "ALL"})
# Every permission a table or database grant can carry ("ALL" is all of them).
_ALL_PERMISSIONS = frozenset(
    {"ALL", "ALTER", "CREATE_TABLE", "DELETE", "DESCRIBE", "DROP", "INSERT", "SELECT"}
)


def insufficient(resource_name: str) -> str:
    """Lake Formation's AccessDeniedException message for a resource the caller may not see."""
    return f"Insufficient Lake Formation permission(s) on {resource_name}"


@dataclass(frozen=True)
class Caller:
    """The principal that signed the request: its account and IAM role or user ARN."""

    account: str
    principal_arn: str


@dataclass(frozen=True)
class CatalogObject:
    """A database (table None) or table of a catalog, with the LF-tags it carries."""

    catalog_id: str
    database: str
    table: str | None
    tags: tuple[tuple[str, frozenset[str]], ...]

    @property
    def kind(self) -> str:
        return "DATABASE" if self.table is None else "TABLE"


def tag_expression_matches(
    expression: Iterable[dict[str, Any]], tags: Iterable[tuple[str, frozenset[str]]]
) -> bool:
    """Whether a resource with these effective LF-tags matches an LF-tag expression: for every
    key of the expression, the resource's value is one of the expression's values."""
    values = dict(tags)
    return all(
        bool(values.get(term["TagKey"], frozenset()) & set(term.get("TagValues") or []))
        for term in expression
    )


def covers(resource: dict[str, Any], grantor_catalog: str, target: CatalogObject) -> bool:
    """Whether a grant's resource (stored in `grantor_catalog`) covers a database or table."""

    def same_catalog(named: dict[str, Any], key: str = "CatalogId") -> bool:
        return (named.get(key) or grantor_catalog) == target.catalog_id

    if "LFTagPolicy" in resource:
        policy = resource["LFTagPolicy"]
        return (
            same_catalog(policy)
            and policy.get("ResourceType") == target.kind
            and tag_expression_matches(policy.get("Expression") or [], target.tags)
        )
    if "Database" in resource:
        database = resource["Database"]
        return (
            target.table is None
            and same_catalog(database)
            and (database.get("Name") == target.database)
        )
    if target.table is None:
        return False
    for key in ("Table", "TableWithColumns"):
        if key in resource:
            table = resource[key]
            return (
                same_catalog(table)
                and table.get("DatabaseName") == target.database
                and ("TableWildcard" in table or table.get("Name") == target.table)
            )
    if "DataCellsFilter" in resource:
        cells = resource["DataCellsFilter"]
        return (
            same_catalog(cells, "TableCatalogId")
            and cells.get("DatabaseName") == target.database
            and cells.get("TableName") == target.table
        )
    return False


def _expanded(permissions: Iterable[str]) -> set[str]:
    held = set(permissions)
    return set(_ALL_PERMISSIONS) if "ALL" in held else held


def granted(
    lake_formation: Any, grantor_catalog: str, principal: str, target: CatalogObject
) -> set[str]:
    """Permissions a Lake Formation backend's catalog grants `principal` on `target`."""
    catalog = lake_formation.grants.get(grantor_catalog)
    held: set[str] = set()
    for permission in list(catalog.permissions) if catalog is not None else []:
        if permission.principal.get("DataLakePrincipalIdentifier") != principal:
            continue
        if covers(permission.resource, grantor_catalog, target):
            held |= _expanded(permission.permissions)
    return held


def is_data_lake_admin(lake_formation: Any, catalog_id: str, principal: str) -> bool:
    settings = lake_formation.settings.get(catalog_id) or {}
    return any(
        admin.get("DataLakePrincipalIdentifier") == principal
        for admin in settings.get("DataLakeAdmins") or []
    )


def caller_permissions(
    caller: Caller, target: CatalogObject, lake_formation_of: Any, region: str
) -> set[str]:
    """What the target's catalog (another account) grants the caller on it, directly or through
    the caller's account and its own Lake Formation."""
    lake = lake_formation_of(target.catalog_id, region)
    held = granted(lake, target.catalog_id, caller.principal_arn, target)
    to_account = granted(lake, target.catalog_id, caller.account, target)
    if to_account:
        own = lake_formation_of(caller.account, region)
        if is_data_lake_admin(own, caller.account, caller.principal_arn):
            held |= {"DESCRIBE"}
        held |= granted(own, caller.account, caller.principal_arn, target) & to_account
    return held


def may_see(caller: Caller, target: CatalogObject, lake_formation_of: Any, region: str) -> bool:
    return bool(
        caller_permissions(caller, target, lake_formation_of, region) & METADATA_PERMISSIONS
    )


# -- the server side --------------------------------------------------------------------------


def _lake_formation_of(account: str, region: str) -> Any:
    from moto.lakeformation.models import lakeformation_backends

    return lakeformation_backends[account][region]


def _glue_of(account: str, region: str) -> Any:
    from moto.glue.models import glue_backends

    return glue_backends[account][region]


def _caller(response: Any) -> Caller:
    """The signer of the request: the exact role ARN of its assumed-role session, else the ARN
    moto's STS gives its access key (an IAM user, or moto's default user)."""
    from moto.sts.models import sts_backends
    from moto.utilities.utils import get_partition

    account = response.current_account
    sts = sts_backends[account][get_partition(response.region)]
    access_key = response.get_access_key()
    assumed = sts.get_assumed_role_from_access_key(access_key)
    if assumed is not None:
        return Caller(account, str(assumed.role_arn))
    _, arn, _ = sts.get_caller_identity(access_key, response.region)
    return Caller(account, str(arn))


def _tags(lake_formation: Any, catalog_id: str, database: str, table: str | None) -> Any:
    database_tags = lake_formation.lf_database_tags.get((catalog_id, database), [])
    tags = database_tags
    if table is not None:
        own = lake_formation.lf_table_tags.get((catalog_id, database, table), [])
        tags = effective_table_tags(database_tags, own)
    return tuple((tag["TagKey"], frozenset(tag.get("TagValues") or [])) for tag in tags)


def catalog_object(catalog_id: str, region: str, database: str, table: str | None) -> CatalogObject:
    lake_formation = _lake_formation_of(catalog_id, region)
    return CatalogObject(
        catalog_id, database, table, _tags(lake_formation, catalog_id, database, table)
    )


@dataclass(frozen=True)
class Target:
    """Where a Glue read is answered from: another account's catalog, maybe through a link."""

    catalog_id: str
    region: str
    database: str
    link: str | None  # the resource link's name in the caller's catalog, if read through one


def _target(response: Any, database: str | None, *, follow_links: bool) -> Target | None:
    """The other account's catalog a read names, or None when moto answers it as it is."""
    params = response.parameters
    catalog_id = params.get("CatalogId") or response.current_account
    if catalog_id != response.current_account:
        return Target(catalog_id, response.region, database or "", None)
    if not follow_links or database is None:
        return None
    own = _glue_of(response.current_account, response.region).databases.get(database)
    link = (own.input.get("TargetDatabase") or {}) if own is not None else {}
    if not link or link.get("CatalogId", catalog_id) == catalog_id:
        return None
    return Target(
        link["CatalogId"], link.get("Region") or response.region, link["DatabaseName"], database
    )


def _access_denied(resource_name: str) -> Exception:
    from moto.core.exceptions import JsonRESTError

    return JsonRESTError("AccessDeniedException", insufficient(resource_name))


def _check_link(caller: Caller, response: Any, link: str) -> None:
    """Reading through a resource link needs DESCRIBE on the link in the caller's catalog."""
    own = _lake_formation_of(caller.account, response.region)
    link_object = CatalogObject(caller.account, link, None, ())
    if is_data_lake_admin(own, caller.account, caller.principal_arn):
        return
    if not granted(own, caller.account, caller.principal_arn, link_object) & METADATA_PERMISSIONS:
        raise _access_denied(link)


def patch_lake_authorization() -> None:
    """GetDatabase(s) and GetTable(s) of another account's catalog, by CatalogId or through a
    resource link, answered from that catalog as its Lake Formation grants allow."""
    from moto.core.responses import ActionResult
    from moto.glue import responses

    response_class = responses.GlueResponse
    original_get_database = response_class.get_database
    original_get_databases = response_class.get_databases
    original_get_table = response_class.get_table
    original_get_tables = response_class.get_tables

    def get_database(self: Any) -> Any:
        name = self.parameters.get("Name")
        target = _target(self, name, follow_links=False)
        if target is None:
            return original_get_database(self)
        database = _glue_of(target.catalog_id, target.region).get_database(target.database)
        wanted = catalog_object(target.catalog_id, target.region, target.database, None)
        if not may_see(_caller(self), wanted, _lake_formation_of, target.region):
            raise _access_denied(target.database)
        return ActionResult({"Database": database.as_dict()})

    def get_databases(self: Any) -> Any:
        target = _target(self, None, follow_links=False)
        if target is None:
            return original_get_databases(self)
        caller = _caller(self)
        visible = [
            database.as_dict()
            for database in _glue_of(target.catalog_id, target.region).get_databases()
            if may_see(
                caller,
                catalog_object(target.catalog_id, target.region, database.name, None),
                _lake_formation_of,
                target.region,
            )
        ]
        return ActionResult({"DatabaseList": visible})

    def get_table(self: Any) -> Any:
        target = _target(self, self.parameters.get("DatabaseName"), follow_links=True)
        if target is None:
            return original_get_table(self)
        caller = _caller(self)
        if target.link is not None:
            _check_link(caller, self, target.link)
        name = self.parameters.get("Name")
        table = _glue_of(target.catalog_id, target.region).get_table(target.database, name)
        wanted = catalog_object(target.catalog_id, target.region, target.database, name)
        if not may_see(caller, wanted, _lake_formation_of, target.region):
            raise _access_denied(name)
        return ActionResult({"Table": table.as_dict()})

    def get_tables(self: Any) -> Any:
        target = _target(self, self.parameters.get("DatabaseName"), follow_links=True)
        if target is None:
            return original_get_tables(self)
        caller = _caller(self)
        if target.link is not None:
            _check_link(caller, self, target.link)
        glue = _glue_of(target.catalog_id, target.region)
        tables = glue.get_tables(target.database, self.parameters.get("Expression"))
        visible = [
            table.as_dict()
            for table in tables
            if may_see(
                caller,
                catalog_object(target.catalog_id, target.region, target.database, table.name),
                _lake_formation_of,
                target.region,
            )
        ]
        database = catalog_object(target.catalog_id, target.region, target.database, None)
        if not visible and not may_see(caller, database, _lake_formation_of, target.region):
            raise _access_denied(target.database)
        return ActionResult({"TableList": visible})

    response_class.get_database = get_database  # type: ignore[method-assign]
    response_class.get_databases = get_databases  # type: ignore[method-assign]
    response_class.get_table = get_table  # type: ignore[method-assign]
    response_class.get_tables = get_tables  # type: ignore[method-assign]
