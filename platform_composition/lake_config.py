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
    admins = sub.string_list(
        "admin_principal_arns",
        pattern=IAM_ROLE_ARN_RE,
        expected="exact IAM role ARNs of the data lake administrators (data engineers)",
    )
    lf_tags = _parse_lf_tags(sub)
    databases = tuple(
        _parse_database(name, body, lf_tags) for name, body in _named(sub, "database")
    )
    grants = tuple(_parse_grant(name, body, lf_tags) for name, body in sub.labelled_blocks("grant"))
    feature_store = _parse_feature_store(sub, lf_tags, databases, grants)
    access_log_bucket = sub.string(
        "access_log_bucket",
        pattern=BUCKET_RE,
        expected="the name of an existing S3 bucket (this account and region) receiving the lake "
        "buckets' server access logs",
        required=False,
    )
    sub.reject_unknown()
    return LakeSettings(admins, lf_tags, databases, grants, feature_store, access_log_bucket)


def _named(reader: Reader, key: str) -> list[tuple[str, Reader]]:
    blocks = reader.labelled_blocks(key)
    for name, body in blocks:
        if not GLUE_NAME_RE.match(name):
            raise body.error(
                None, f"got {name!r}; expected a Glue name of lowercase letters, digits and _"
            )
    return blocks


def _parse_lf_tags(reader: Reader) -> dict[str, tuple[str, ...]]:
    reader.seen.add("lf_tags")
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
            raise reader.error(f"lf_tags.{key}", "is not a valid LF-tag key")
        if (
            not isinstance(values, list)
            or not values
            or not all(isinstance(v, str) and TAG_VALUE_RE.match(v) for v in values)
        ):
            raise reader.error(
                f"lf_tags.{key}", f"got {values!r}; expected a non-empty list of tag values"
            )
        tags[str(key)] = tuple(values)
    return tags


def _tag_assignment(
    reader: Reader, key: str, lf_tags: Mapping[str, tuple[str, ...]], *, required: bool
) -> dict[str, str]:
    reader.seen.add(key)
    value = reader.body.get(key, None if required else {})
    if not isinstance(value, dict) or (required and not value):
        raise reader.error(
            key, f'got {value!r}; expected LF-tag assignments, e.g. {{ domain = "sales" }}'
        )
    for tag_key, tag_value in value.items():
        if tag_key not in lf_tags:
            raise reader.error(
                f"{key}.{tag_key}",
                f"is not an LF-tag of lake.lf_tags (defined: {', '.join(sorted(lf_tags))})",
            )
        if tag_value not in lf_tags[tag_key]:
            raise reader.error(
                f"{key}.{tag_key}",
                f"got {tag_value!r}; expected one of the values lake.lf_tags.{tag_key} allows "
                f"({', '.join(lf_tags[tag_key])})",
            )
    return {str(k): str(v) for k, v in value.items()}


def _parse_database(name: str, reader: Reader, lf_tags: Mapping[str, tuple[str, ...]]) -> Database:
    description = reader.string("description", required=False)
    tags = _tag_assignment(reader, "lf_tags", lf_tags, required=True)
    tables = tuple(_parse_table(t, body, lf_tags) for t, body in _named(reader, "table"))
    reader.reject_unknown()
    return Database(name, description, tags, tables)


def _columns(reader: Reader, key: str, *, required: bool) -> tuple[Column, ...]:
    reader.seen.add(key)
    value = reader.body.get(key, None if required else [])
    if not isinstance(value, list) or (required and not value):
        raise reader.error(
            key, f'got {value!r}; expected a list such as [{{ name = "id", type = "string" }}]'
        )
    columns: list[Column] = []
    for index, item in enumerate(value):
        sub = reader.sub(f"{key}[{index}]", item if isinstance(item, dict) else {})
        if not isinstance(item, dict):
            raise sub.error(None, f"got {item!r}; expected {{ name = ..., type = ... }}")
        column = sub.string(
            "name", pattern=COLUMN_NAME_RE, expected="a column name of lowercase letters, _"
        )
        kind = sub.string("type", expected="a Hive/Athena type such as string, bigint, double")
        comment = sub.string("comment", required=False)
        sub.reject_unknown()
        assert column and kind
        if any(c.name == column for c in columns):
            raise sub.error("name", f"got {column!r} twice; expected unique column names")
        columns.append(Column(column, kind, comment))
    return tuple(columns)


def _parse_table(name: str, reader: Reader, lf_tags: Mapping[str, tuple[str, ...]]) -> Table:
    description = reader.string("description", required=False)
    zone = reader.string("zone", expected=" or ".join(f'"{z}"' for z in ZONES), default="curated")
    if zone not in ZONES:
        raise reader.error(
            "zone", f"got {zone!r}; expected " + " or ".join(f'"{z}"' for z in ZONES)
        )
    data_format = reader.string(
        "format", expected=", ".join(f'"{f}"' for f in FORMATS), default="parquet"
    )
    if data_format not in FORMATS:
        raise reader.error(
            "format",
            f"got {data_format!r}; expected one of " + ", ".join(f'"{f}"' for f in FORMATS),
        )
    columns = _columns(reader, "columns", required=True)
    partitions = _columns(reader, "partition_keys", required=False)
    clash = sorted({c.name for c in columns} & {p.name for p in partitions})
    if clash:
        raise reader.error(
            "partition_keys", f"got {clash[0]!r}, also a column; expected distinct names"
        )
    tags = _tag_assignment(reader, "lf_tags", lf_tags, required=False)
    reader.reject_unknown()
    assert zone and data_format
    return Table(name, description, zone, data_format, columns, partitions, tags)


def _parse_grant(
    environment: str, reader: Reader, lf_tags: Mapping[str, tuple[str, ...]]
) -> ConsumerGrant:
    reader.seen.add("expression")
    value: Any = reader.body.get("expression")
    if not isinstance(value, dict) or not value:
        raise reader.error(
            "expression",
            f"got {value!r}; expected an LF-tag expression, e.g. "
            '{ domain = ["sales"], classification = ["public"] }',
        )
    expression: dict[str, tuple[str, ...]] = {}
    for key, values in value.items():
        if key not in lf_tags:
            raise reader.error(
                f"expression.{key}",
                f"is not an LF-tag of lake.lf_tags (defined: {', '.join(sorted(lf_tags))})",
            )
        if not isinstance(values, list) or not values:
            raise reader.error(f"expression.{key}", f"got {values!r}; expected a list of values")
        unknown = [v for v in values if v not in lf_tags[key]]
        if unknown:
            raise reader.error(
                f"expression.{key}",
                f"got {unknown[0]!r}; expected values lake.lf_tags.{key} allows "
                f"({', '.join(lf_tags[key])})",
            )
        expression[str(key)] = tuple(values)
    permissions: tuple[str, ...] = GRANT_PERMISSIONS
    if "permissions" in reader.body:
        permissions = reader.string_list(
            "permissions",
            pattern=re.compile(r"^(DESCRIBE|SELECT)$"),
            expected='"DESCRIBE" or "SELECT" (never ALL, never a grant option)',
        )
    reader.reject_unknown()
    return ConsumerGrant(environment, expression, permissions)


def _parse_feature_store(
    reader: Reader,
    lf_tags: Mapping[str, tuple[str, ...]],
    databases: tuple[Database, ...],
    grants: tuple[ConsumerGrant, ...],
) -> FeatureStore | None:
    block = reader.block("feature_store")
    if block is None:
        return None
    sub = reader.sub("feature_store", block[1])
    database = sub.string(
        "database",
        pattern=GLUE_NAME_RE,
        expected="a Glue database name of lowercase letters, digits and _",
        default="feature_store",
    )
    assert database
    if any(db.name == database for db in databases):
        raise sub.error(
            "database",
            f'got {database!r}, also a lake.database "{database}"; expected a database of its '
            "own (SageMaker Feature Store creates its tables)",
        )
    tags = _tag_assignment(sub, "lf_tags", lf_tags, required=True)
    groups: list[FeatureGroup] = []
    for name, body in sub.labelled_blocks("feature_group"):
        if not FEATURE_GROUP_RE.match(name) or len(name) > 63:
            raise body.error(
                None,
                f"got {name!r}; expected a feature group name of up to 63 lowercase letters, "
                "digits and single hyphens, starting with a letter",
            )
        groups.append(_parse_feature_group(name, body, lf_tags, tags, grants))
    sub.reject_unknown()
    return FeatureStore(database, tags, tuple(groups))


def _parse_feature_group(
    name: str,
    reader: Reader,
    lf_tags: Mapping[str, tuple[str, ...]],
    store_tags: Mapping[str, str],
    grants: tuple[ConsumerGrant, ...],
) -> FeatureGroup:
    description = reader.string("description", required=False)
    features = _features(reader)
    names = [f.name for f in features]
    record_identifier = reader.string(
        "record_identifier", expected="the name of one of the group's features"
    )
    if record_identifier not in names:
        raise reader.error(
            "record_identifier",
            f"got {record_identifier!r}; expected one of the group's features ({', '.join(names)})",
        )
    event_time = reader.string(
        "event_time", expected="the name of a String or Fractional feature of the group"
    )
    event_types = {f.name: f.type for f in features}
    if event_types.get(event_time or "") not in ("String", "Fractional"):
        raise reader.error(
            "event_time",
            f"got {event_time!r}; expected a String (ISO 8601) or Fractional (epoch seconds) "
            "feature of the group ("
            + ", ".join(f.name for f in features if f.type != "Integral")
            + ")",
        )
    online = reader.boolean("online", default=False)
    tags = _tag_assignment(reader, "lf_tags", lf_tags, required=False)
    shared_with: tuple[str, ...] = ()
    if "shared_with" in reader.body:
        shared_with = reader.string_list(
            "shared_with",
            pattern=re.compile(r"^[a-z0-9][a-z0-9-]*$"),
            expected="environment names of dev accounts",
        )
    effective = {**store_tags, **tags}
    for environment in shared_with:
        grant = next((g for g in grants if g.environment == environment), None)
        if grant is None:
            raise reader.error(
                "shared_with",
                f"names {environment!r}, which has no lake.grant; expected teams the lake "
                f'grants (add grant "{environment}" {{ ... }} first): '
                + ", ".join(g.environment for g in grants),
            )
        if not all(effective.get(k) in values for k, values in grant.expression.items()):
            raise reader.error(
                "shared_with",
                f"names {environment!r}, whose lake.grant expression "
                f"{ {k: list(v) for k, v in grant.expression.items()} } does not match the "
                f"group's LF-tags {effective}; expected the team to be able to read the group's "
                "offline store too (widen the grant or change the group's lf_tags)",
            )
    reader.reject_unknown()
    assert record_identifier and event_time
    return FeatureGroup(
        name, description, record_identifier, event_time, features, online, tags, shared_with
    )


def _features(reader: Reader) -> tuple[Feature, ...]:
    reader.seen.add("features")
    value = reader.body.get("features")
    if not isinstance(value, list) or not value:
        raise reader.error(
            "features",
            f'got {value!r}; expected a list such as [{{ name = "customer_id", type = "String" }}]',
        )
    features: list[Feature] = []
    for index, item in enumerate(value):
        sub = reader.sub(f"features[{index}]", item if isinstance(item, dict) else {})
        if not isinstance(item, dict):
            raise sub.error(None, f"got {item!r}; expected {{ name = ..., type = ... }}")
        name = sub.string(
            "name",
            pattern=FEATURE_NAME_RE,
            expected="a feature name of up to 64 lowercase letters, digits and _",
        )
        kind = sub.string("type", expected=" | ".join(FEATURE_TYPES))
        sub.reject_unknown()
        assert name and kind
        if name in OFFLINE_STORE_COLUMNS:
            raise sub.error(
                "name", f"got {name!r}; expected a name the offline store does not add itself"
            )
        if kind not in FEATURE_TYPES:
            raise sub.error("type", f"got {kind!r}; expected " + " | ".join(FEATURE_TYPES))
        if any(f.name == name for f in features):
            raise sub.error("name", f"got {name!r} twice; expected unique feature names")
        features.append(Feature(name, kind))
    return tuple(features)
