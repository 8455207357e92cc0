"""The `lake { ... }` block of the data-governance environment: the governed data lake.

    lake {
      admin_principal_arns = ["arn:aws:iam::666666666666:role/..."]   # Lake Formation admins
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

IAM_ROLE_ARN_RE = re.compile(r"^arn:aws[\w-]*:iam::\d{12}:role/[\w+=,.@/-]+$")
GLUE_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
COLUMN_NAME_RE = re.compile(r"^[a-z_][a-z0-9_]{0,254}$")
TAG_KEY_RE = re.compile(r"^[a-z][a-z0-9_.:-]{0,127}$")
TAG_VALUE_RE = re.compile(r"^[\w.:/=+@-]{1,256}$")
ZONES = ("raw", "curated")
FORMATS = ("parquet", "csv", "json")
GRANT_PERMISSIONS = ("DESCRIBE", "SELECT")


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
class LakeSettings:
    admin_principal_arns: tuple[str, ...]
    lf_tags: Mapping[str, tuple[str, ...]]
    databases: tuple[Database, ...]
    grants: tuple[ConsumerGrant, ...]

    def shared_databases(self, environment: str) -> tuple[str, ...]:
        """Databases a dev environment's grant lets it see (what it links to)."""
        grant = next((g for g in self.grants if g.environment == environment), None)
        if grant is None:
            return ()
        return tuple(db.name for db in self.databases if db.visible_to(grant.expression))


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
    sub.reject_unknown()
    return LakeSettings(admins, lf_tags, databases, grants)


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
