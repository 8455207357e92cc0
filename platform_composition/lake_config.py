"""The `lake { ... }` block of the data-governance environment: the governed data lake.

    lake {
      admin_principal_arns = ["arn:aws:iam::666666666666:role/..."]   # Lake Formation admins
      access_log_bucket    = "org-s3-access-logs-666666666666-eu-west-1" # optional
      lf_tags = { domain = ["sales", "marketing"], classification = ["public", "internal"] }
      database "sales" {
        lf_tags = { domain = "sales", classification = "internal" }
        table "orders" {
          columns = [{ name = "order_id", type = "string" }]
        }
      }
      grant "dev-team-a" {                  # an environment name of a dev account
        expression = { domain = ["sales"] } # LF-tag expression; DESCRIBE and SELECT only
      }
      feature_store {                       # optional: the central feature store
        lf_tags = { domain = "sales", classification = "internal" }
        feature_group "customer-orders" {
          record_identifier = "customer_id"
          event_time        = "event_time"
          features   = [{ name = "customer_id", type = "String" }, ...]
          shared_with = ["dev-team-a"]      # read-only through AWS RAM
        }
      }
    }

Everything that names something else is checked here, with both names in the message: a tag
key or value that `lf_tags` does not define, a grant to an environment that is not a dev account.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from platform_composition.hcl_reader import Reader
from platform_composition.workspace_config import BUCKET_RE

IAM_ROLE_ARN_RE = re.compile(r"^arn:aws[\w-]*:iam::\d{12}:role/[\w+=,.@/-]+$")
GLUE_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
COLUMN_NAME_RE = re.compile(r"^[a-z_][a-z0-9_]{0,254}$")
TAG_KEY_RE = re.compile(r"^[a-z][a-z0-9_.:-]{0,127}$")
TAG_VALUE_RE = re.compile(r"^[\w.:/=+@-]{1,256}$")
ZONES = ("raw", "curated")
FORMATS = ("parquet", "csv", "json")
GRANT_PERMISSIONS = ("DESCRIBE", "SELECT")
FEATURE_GROUP_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
FEATURE_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
FEATURE_TYPES = ("Integral", "Fractional", "String")
# Columns the offline store adds to every group's table.
OFFLINE_STORE_COLUMNS = ("is_deleted", "write_time", "api_invocation_time")


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    comment: str | None = None


@dataclass(frozen=True)
class Table:
    name: str
    description: str | None
    zone: str
    format: str
    columns: tuple[Column, ...]
    partition_keys: tuple[Column, ...]
    lf_tags: Mapping[str, str]


@dataclass(frozen=True)
class Database:
    name: str
    description: str | None
    lf_tags: Mapping[str, str]
    tables: tuple[Table, ...]

    def visible_to(self, expression: Mapping[str, tuple[str, ...]]) -> bool:
        """Whether an LF-tag expression matches the database or one of its tables (a table's
        own tags override the database's, as Lake Formation inherits them)."""
        tag_sets = [dict(self.lf_tags)] + [{**self.lf_tags, **t.lf_tags} for t in self.tables]
        return any(
            all(tags.get(key) in values for key, values in expression.items()) for tags in tag_sets
        )


@dataclass(frozen=True)
class ConsumerGrant:
    """What one dev account may read: an LF-tag expression, with DESCRIBE/SELECT only."""

    environment: str
    expression: Mapping[str, tuple[str, ...]]
    permissions: tuple[str, ...]


@dataclass(frozen=True)
class Feature:
    name: str
    type: str


@dataclass(frozen=True)
class FeatureGroup:
    name: str
    description: str | None
    record_identifier: str
    event_time: str
    features: tuple[Feature, ...]
    online: bool
    lf_tags: Mapping[str, str]
    shared_with: tuple[str, ...]

    @property
    def table_name(self) -> str:
        """The offline store's Glue table (the data-lake module's naming)."""
        return self.name.replace("-", "_")


@dataclass(frozen=True)
class FeatureStore:
    database: str
    lf_tags: Mapping[str, str]
    groups: tuple[FeatureGroup, ...]

    def as_database(self) -> Database:
        """The offline stores as the lake sees them: one table per group, tags inherited."""
        return Database(
            self.database,
            None,
            self.lf_tags,
            tuple(
                Table(g.table_name, g.description, "curated", "parquet", (), (), g.lf_tags)
                for g in self.groups
            ),
        )


@dataclass(frozen=True)
class LakeSettings:
    admin_principal_arns: tuple[str, ...]
    lf_tags: Mapping[str, tuple[str, ...]]
    databases: tuple[Database, ...]
    grants: tuple[ConsumerGrant, ...]
    feature_store: FeatureStore | None = None
    access_log_bucket: str | None = None

    def grant_of(self, environment: str) -> ConsumerGrant | None:
        return next((g for g in self.grants if g.environment == environment), None)

    def shared_databases(self, environment: str) -> tuple[str, ...]:
        """Databases a dev environment's grant lets it see (what it links to), the feature
        store's offline stores included."""
        grant = self.grant_of(environment)
        if grant is None:
            return ()
        databases = self.databases + (
            (self.feature_store.as_database(),) if self.feature_store else ()
        )
        return tuple(db.name for db in databases if db.visible_to(grant.expression))

    def shared_feature_groups(self, environment: str) -> tuple[str, ...]:
        """Feature groups shared read-only with a dev environment through AWS RAM."""
        groups = self.feature_store.groups if self.feature_store else ()
        return tuple(g.name for g in groups if environment in g.shared_with)


def parse_lake(reader: Reader) -> LakeSettings | None:
    """Parse the optional `lake` block of the data-governance environment."""
    block = reader.block("lake")
    if block is None:
        return None
    sub = reader.sub("lake", block[1])
    mark = sub.mark()
    admins = sub.string_list(
        "admin_principal_arns",
        pattern=IAM_ROLE_ARN_RE,
        expected="exact IAM role ARNs of the data lake administrators (data engineers)",
    )
    lf_tags = sub.attempt(_parse_lf_tags, sub)
    databases: list[Database] = []
    grants: list[ConsumerGrant] = []
    feature_store = None
    if lf_tags is None:
        # Every other block names LF-tags: without them it cannot be checked.
        sub.seen |= {"database", "grant", "feature_store"}
    else:
        for name, body in _named(sub, "database"):
            database = sub.attempt(_parse_database, name, body, lf_tags)
            if database is not None:
                databases.append(database)
        unreadable_grants: set[str] = set()
        for name, body in sub.labelled_blocks("grant"):
            grant = sub.attempt(_parse_grant, name, body, lf_tags)
            if grant is None:
                unreadable_grants.add(name)
            else:
                grants.append(grant)
        feature_store = sub.attempt(
            _parse_feature_store, sub, lf_tags, tuple(databases), tuple(grants), unreadable_grants
        )
    access_log_bucket = sub.string(
        "access_log_bucket",
        pattern=BUCKET_RE,
        expected="the name of an existing S3 bucket (this account and region) receiving the lake "
        "buckets' server access logs",
        required=False,
    )
    sub.reject_unknown()
    sub.checkpoint(mark)
    assert lf_tags is not None
    return LakeSettings(
        admins, lf_tags, tuple(databases), tuple(grants), feature_store, access_log_bucket
    )


def _named(reader: Reader, key: str) -> list[tuple[str, Reader]]:
    """The `key "<name>"` blocks whose names are Glue names (the others are recorded)."""
    blocks = []
    for name, body in reader.labelled_blocks(key):
        if GLUE_NAME_RE.match(name):
            blocks.append((name, body))
        else:
            body.report(
                None, f"got {name!r}; expected a Glue name of lowercase letters, digits and _"
            )
    return blocks


def _parse_lf_tags(reader: Reader) -> dict[str, tuple[str, ...]]:
    reader.seen.add("lf_tags")
    mark = reader.mark()
    value = reader.body.get("lf_tags")
    if not isinstance(value, dict) or not value:
        raise reader.error(
            "lf_tags",
            f"got {value!r}; expected a map of LF-tag keys to their allowed values, e.g. "
            '{ domain = ["sales"], classification = ["public", "internal"] }',
        )
    tags: dict[str, tuple[str, ...]] = {}
    for key, values in value.items():
        if not TAG_KEY_RE.match(str(key)):
            reader.report(f"lf_tags.{key}", "is not a valid LF-tag key")
        elif (
            not isinstance(values, list)
            or not values
            or not all(isinstance(v, str) and TAG_VALUE_RE.match(v) for v in values)
        ):
            reader.report(
                f"lf_tags.{key}", f"got {values!r}; expected a non-empty list of tag values"
            )
        else:
            tags[str(key)] = tuple(values)
    reader.checkpoint(mark)
    return tags


def _tag_assignment(
    reader: Reader, key: str, lf_tags: Mapping[str, tuple[str, ...]], *, required: bool
) -> dict[str, str]:
    """LF-tag assignments of a block; the wrong ones are recorded and left out."""
    reader.seen.add(key)
    value = reader.body.get(key, None if required else {})
    if not isinstance(value, dict) or (required and not value):
        reader.report(
            key, f'got {value!r}; expected LF-tag assignments, e.g. {{ domain = "sales" }}'
        )
        return {}
    assigned: dict[str, str] = {}
    for tag_key, tag_value in value.items():
        if tag_key not in lf_tags:
            reader.report(
                f"{key}.{tag_key}",
                f"is not an LF-tag of lake.lf_tags (defined: {', '.join(sorted(lf_tags))})",
            )
        elif tag_value not in lf_tags[tag_key]:
            reader.report(
                f"{key}.{tag_key}",
                f"got {tag_value!r}; expected one of the values lake.lf_tags.{tag_key} allows "
                f"({', '.join(lf_tags[tag_key])})",
            )
        else:
            assigned[str(tag_key)] = str(tag_value)
    return assigned


def _parse_database(name: str, reader: Reader, lf_tags: Mapping[str, tuple[str, ...]]) -> Database:
    mark = reader.mark()
    description = reader.string("description", required=False)
    tags = _tag_assignment(reader, "lf_tags", lf_tags, required=True)
    tables = []
    for table_name, body in _named(reader, "table"):
        table = reader.attempt(_parse_table, table_name, body, lf_tags)
        if table is not None:
            tables.append(table)
    reader.reject_unknown()
    reader.checkpoint(mark)
    return Database(name, description, tags, tuple(tables))


def _columns(reader: Reader, key: str, *, required: bool) -> tuple[Column, ...]:
    """Columns (or partition keys) of a table; the wrong ones are recorded and left out."""
    reader.seen.add(key)
    value = reader.body.get(key, None if required else [])
    if not isinstance(value, list) or (required and not value):
        reader.report(
            key, f'got {value!r}; expected a list such as [{{ name = "id", type = "string" }}]'
        )
        return ()
    columns: list[Column] = []
    for index, item in enumerate(value):
        sub = reader.sub(f"{key}[{index}]", item if isinstance(item, dict) else {})
        if not isinstance(item, dict):
            sub.report(None, f"got {item!r}; expected {{ name = ..., type = ... }}")
            continue
        column = sub.string(
            "name", pattern=COLUMN_NAME_RE, expected="a column name of lowercase letters, _"
        )
        kind = sub.string("type", expected="a Hive/Athena type such as string, bigint, double")
        comment = sub.string("comment", required=False)
        sub.reject_unknown()
        if not column or not kind:
            continue
        if any(c.name == column for c in columns):
            sub.report("name", f"got {column!r} twice; expected unique column names")
            continue
        columns.append(Column(column, kind, comment))
    return tuple(columns)


def _parse_table(name: str, reader: Reader, lf_tags: Mapping[str, tuple[str, ...]]) -> Table:
    mark = reader.mark()
    description = reader.string("description", required=False)
    zone = reader.string("zone", expected=" or ".join(f'"{z}"' for z in ZONES), default="curated")
    if zone is not None and zone not in ZONES:
        reader.report("zone", f"got {zone!r}; expected " + " or ".join(f'"{z}"' for z in ZONES))
    data_format = reader.string(
        "format", expected=", ".join(f'"{f}"' for f in FORMATS), default="parquet"
    )
    if data_format is not None and data_format not in FORMATS:
        reader.report(
            "format",
            f"got {data_format!r}; expected one of " + ", ".join(f'"{f}"' for f in FORMATS),
        )
    columns = _columns(reader, "columns", required=True)
    partitions = _columns(reader, "partition_keys", required=False)
    clash = sorted({c.name for c in columns} & {p.name for p in partitions})
    if clash:
        reader.report("partition_keys", f"got {clash[0]!r}, also a column; expected distinct names")
    tags = _tag_assignment(reader, "lf_tags", lf_tags, required=False)
    reader.reject_unknown()
    reader.checkpoint(mark)
    assert zone and data_format
    return Table(name, description, zone, data_format, columns, partitions, tags)


def _parse_grant(
    environment: str, reader: Reader, lf_tags: Mapping[str, tuple[str, ...]]
) -> ConsumerGrant:
    reader.seen.add("expression")
    mark = reader.mark()
    value: Any = reader.body.get("expression")
    if not isinstance(value, dict) or not value:
        reader.report(
            "expression",
            f"got {value!r}; expected an LF-tag expression, e.g. "
            '{ domain = ["sales"], classification = ["public"] }',
        )
        value = {}
    expression: dict[str, tuple[str, ...]] = {}
    for key, values in value.items():
        unknown = (
            []
            if not isinstance(values, list)
            else [v for v in values if v not in lf_tags.get(key, ())]
        )
        if key not in lf_tags:
            reader.report(
                f"expression.{key}",
                f"is not an LF-tag of lake.lf_tags (defined: {', '.join(sorted(lf_tags))})",
            )
        elif not isinstance(values, list) or not values:
            reader.report(f"expression.{key}", f"got {values!r}; expected a list of values")
        elif unknown:
            reader.report(
                f"expression.{key}",
                f"got {unknown[0]!r}; expected values lake.lf_tags.{key} allows "
                f"({', '.join(lf_tags[key])})",
            )
        else:
            expression[str(key)] = tuple(values)
    permissions: tuple[str, ...] = GRANT_PERMISSIONS
    if "permissions" in reader.body:
        permissions = reader.string_list(
            "permissions",
            pattern=re.compile(r"^(DESCRIBE|SELECT)$"),
            expected='"DESCRIBE" or "SELECT" (never ALL, never a grant option)',
        )
    reader.reject_unknown()
    reader.checkpoint(mark)
    return ConsumerGrant(environment, expression, permissions)


def _parse_feature_store(
    reader: Reader,
    lf_tags: Mapping[str, tuple[str, ...]],
    databases: tuple[Database, ...],
    grants: tuple[ConsumerGrant, ...],
    unreadable_grants: set[str],
) -> FeatureStore | None:
    block = reader.block("feature_store")
    if block is None:
        return None
    sub = reader.sub("feature_store", block[1])
    mark = sub.mark()
    database = sub.string(
        "database",
        pattern=GLUE_NAME_RE,
        expected="a Glue database name of lowercase letters, digits and _",
        default="feature_store",
    )
    if database and any(db.name == database for db in databases):
        sub.report(
            "database",
            f'got {database!r}, also a lake.database "{database}"; expected a database of its '
            "own (SageMaker Feature Store creates its tables)",
        )
    tags_mark = sub.mark()
    tags = _tag_assignment(sub, "lf_tags", lf_tags, required=True)
    store_tags = tags if sub.mark() == tags_mark else None
    groups: list[FeatureGroup] = []
    for name, body in sub.labelled_blocks("feature_group"):
        if not FEATURE_GROUP_RE.match(name) or len(name) > 63:
            body.report(
                None,
                f"got {name!r}; expected a feature group name of up to 63 lowercase letters, "
                "digits and single hyphens, starting with a letter",
            )
            continue
        group = sub.attempt(
            _parse_feature_group, name, body, lf_tags, store_tags, grants, unreadable_grants
        )
        if group is not None:
            groups.append(group)
    sub.reject_unknown()
    sub.checkpoint(mark)
    assert database
    return FeatureStore(database, tags, tuple(groups))


def _parse_feature_group(
    name: str,
    reader: Reader,
    lf_tags: Mapping[str, tuple[str, ...]],
    store_tags: Mapping[str, str] | None,
    grants: tuple[ConsumerGrant, ...],
    unreadable_grants: set[str],
) -> FeatureGroup:
    """One feature group (`store_tags` None: the store's LF-tags are wrong, so the teams it is
    shared with are not checked against them)."""
    mark = reader.mark()
    description = reader.string("description", required=False)
    features = _features(reader)
    # Checked against the features only when every feature could be read.
    features_read = reader.mark() == mark
    names = [f.name for f in features]
    record_identifier = reader.string(
        "record_identifier", expected="the name of one of the group's features"
    )
    if features_read and record_identifier is not None and record_identifier not in names:
        reader.report(
            "record_identifier",
            f"got {record_identifier!r}; expected one of the group's features ({', '.join(names)})",
        )
    event_time = reader.string(
        "event_time", expected="the name of a String or Fractional feature of the group"
    )
    event_types = {f.name: f.type for f in features}
    if (
        features_read
        and event_time is not None
        and event_types.get(event_time) not in ("String", "Fractional")
    ):
        reader.report(
            "event_time",
            f"got {event_time!r}; expected a String (ISO 8601) or Fractional (epoch seconds) "
            "feature of the group ("
            + ", ".join(f.name for f in features if f.type != "Integral")
            + ")",
        )
    online = reader.boolean("online", default=False)
    tags_mark = reader.mark()
    tags = _tag_assignment(reader, "lf_tags", lf_tags, required=False)
    tags_read = store_tags is not None and reader.mark() == tags_mark
    shared_with: tuple[str, ...] = ()
    if "shared_with" in reader.body:
        shared_with = reader.string_list(
            "shared_with",
            pattern=re.compile(r"^[a-z0-9][a-z0-9-]*$"),
            expected="environment names of dev accounts",
        )
    effective = {**(store_tags or {}), **tags}
    for environment in shared_with:
        grant = next((g for g in grants if g.environment == environment), None)
        if environment in unreadable_grants:
            continue  # its grant has errors of its own, reported there
        if grant is None:
            reader.report(
                "shared_with",
                f"names {environment!r}, which has no lake.grant; expected teams the lake "
                f'grants (add grant "{environment}" {{ ... }} first): '
                + ", ".join(g.environment for g in grants),
            )
        elif tags_read and not all(
            effective.get(k) in values for k, values in grant.expression.items()
        ):
            reader.report(
                "shared_with",
                f"names {environment!r}, whose lake.grant expression "
                f"{ {k: list(v) for k, v in grant.expression.items()} } does not match the "
                f"group's LF-tags {effective}; expected the team to be able to read the group's "
                "offline store too (widen the grant or change the group's lf_tags)",
            )
    reader.reject_unknown()
    reader.checkpoint(mark)
    assert record_identifier and event_time
    return FeatureGroup(
        name, description, record_identifier, event_time, features, online, tags, shared_with
    )


def _features(reader: Reader) -> tuple[Feature, ...]:
    """The group's features; the wrong ones are recorded and left out."""
    reader.seen.add("features")
    value = reader.body.get("features")
    if not isinstance(value, list) or not value:
        reader.report(
            "features",
            f'got {value!r}; expected a list such as [{{ name = "customer_id", type = "String" }}]',
        )
        return ()
    features: list[Feature] = []
    for index, item in enumerate(value):
        sub = reader.sub(f"features[{index}]", item if isinstance(item, dict) else {})
        if not isinstance(item, dict):
            sub.report(None, f"got {item!r}; expected {{ name = ..., type = ... }}")
            continue
        name = sub.string(
            "name",
            pattern=FEATURE_NAME_RE,
            expected="a feature name of up to 64 lowercase letters, digits and _",
        )
        kind = sub.string("type", expected=" | ".join(FEATURE_TYPES))
        sub.reject_unknown()
        if not name or not kind:
            continue
        if name in OFFLINE_STORE_COLUMNS:
            sub.report(
                "name", f"got {name!r}; expected a name the offline store does not add itself"
            )
        elif kind not in FEATURE_TYPES:
            sub.report("type", f"got {kind!r}; expected " + " | ".join(FEATURE_TYPES))
        elif any(f.name == name for f in features):
            sub.report("name", f"got {name!r} twice; expected unique feature names")
        else:
            features.append(Feature(name, kind))
    return tuple(features)
