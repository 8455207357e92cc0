"""Reading python-hcl2 output with errors that name the file, the key and the bad value.

`Reader` wraps one parsed HCL body (a file, or a block inside it), converts values to Python
types, and remembers which keys it consumed so that anything left over is reported as unknown.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import hcl2
from hcl2.utils import SerializationOptions

_HCL_OPTIONS = SerializationOptions(
    strip_string_quotes=True, explicit_blocks=False, with_comments=False
)
TAG_KEY_RE = re.compile(r"^[\w .:/=+@-]{1,128}$")


class ConfigError(Exception):
    """A configuration file is missing, malformed or inconsistent.

    The message always names the file and, where there is one, the key and the offending value.
    """

    def __init__(self, file: Path | str, key: str | None, message: str) -> None:
        self.file = str(file)
        self.key = key
        location = f"{self.file}: {key}" if key else self.file
        super().__init__(f"{location}: {message}")


class Reader:
    """Reads typed values out of one parsed HCL body, tracking which keys were consumed."""

    def __init__(self, file: Path, body: Mapping[str, Any], prefix: str = "") -> None:
        self.file = file
        self.body = dict(body)
        self.prefix = prefix
        self.seen: set[str] = set()

    def _key(self, key: str) -> str:
        return f"{self.prefix}{key}"

    def error(self, key: str | None, message: str) -> ConfigError:
        return ConfigError(
            self.file, self._key(key) if key else (self.prefix.rstrip(".") or None), message
        )

    def string(
        self,
        key: str,
        *,
        pattern: re.Pattern[str] | None = None,
        expected: str = "a string",
        default: str | None = None,
        required: bool = True,
    ) -> str | None:
        self.seen.add(key)
        if key not in self.body:
            if required and default is None:
                raise self.error(key, f"missing; expected {expected}")
            return default
        value = self.body[key]
        if not isinstance(value, str):
            raise self.error(key, f"got {value!r}; expected {expected} (a quoted string)")
        if "${" in value:
            raise self.error(key, f"got {value!r}; expected a literal value, not an expression")
        if pattern is not None and not pattern.match(value):
            raise self.error(key, f"got {value!r}; expected {expected}")
        return value

    def boolean(self, key: str, *, default: bool) -> bool:
        self.seen.add(key)
        value = self.body.get(key, default)
        if not isinstance(value, bool):
            raise self.error(key, f"got {value!r}; expected true or false")
        return value

    def integer(self, key: str, *, minimum: int, maximum: int, default: int) -> int:
        self.seen.add(key)
        value = self.body.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
            raise self.error(
                key, f"got {value!r}; expected a whole number from {minimum} to {maximum}"
            )
        return value

    def string_map(self, key: str) -> dict[str, str]:
        self.seen.add(key)
        value = self.body.get(key, {})
        if not isinstance(value, dict):
            raise self.error(
                key, f'got {value!r}; expected a map of strings, e.g. {{ Team = "a" }}'
            )
        result: dict[str, str] = {}
        for tag_key, tag_value in value.items():
            if not isinstance(tag_value, str) or not TAG_KEY_RE.match(str(tag_key)):
                raise self.error(
                    f"{key}.{tag_key}",
                    f"got {tag_value!r}; expected a string value under a tag key of 1-128 "
                    "letters, digits, spaces or _.:/=+-@",
                )
            result[str(tag_key)] = tag_value
        return result

    def string_list(self, key: str, *, pattern: re.Pattern[str], expected: str) -> tuple[str, ...]:
        self.seen.add(key)
        value = self.body.get(key)
        if not isinstance(value, list) or not value:
            raise self.error(key, f"got {value!r}; expected a non-empty list of {expected}")
        for index, item in enumerate(value):
            if not isinstance(item, str) or not pattern.match(item):
                raise self.error(f"{key}[{index}]", f"got {item!r}; expected {expected}")
        return tuple(value)

    def sub(self, key: str, body: Mapping[str, Any]) -> Reader:
        """A reader for a nested block or object, its keys reported as `<prefix><key>.<name>`."""
        return Reader(self.file, body, prefix=f"{self._key(key)}.")

    def block(self, key: str) -> tuple[str | None, dict[str, Any]] | None:
        """A single block, optionally labelled: returns (label, body) or None when absent."""
        self.seen.add(key)
        if key not in self.body:
            return None
        value = self.body[key]
        if not isinstance(value, list) or len(value) != 1 or not isinstance(value[0], dict):
            raise self.error(key, "expected exactly one block")
        body = value[0]
        # A labelled block parses as {label: {...}}; an unlabelled one as its attributes.
        if len(body) == 1:
            ((label, inner),) = body.items()
            if isinstance(inner, dict) and key in LABELLED_BLOCKS:
                return label, inner
        if key in LABELLED_BLOCKS:
            raise self.error(key, f'expected a labelled block, e.g. {key} "s3" {{ ... }}')
        return None, body

    def labelled_blocks(self, key: str) -> list[tuple[str, Reader]]:
        """Every `key "<label>" { ... }` block, in file order, each label at most once."""
        self.seen.add(key)
        value = self.body.get(key, [])
        blocks: list[tuple[str, Reader]] = []
        if not isinstance(value, list):
            raise self.error(key, f'expected {key} "<name>" {{ ... }} blocks')
        for item in value:
            if not isinstance(item, dict) or len(item) != 1:
                raise self.error(key, f'expected a labelled block, e.g. {key} "<name>" {{ ... }}')
            ((label, body),) = item.items()
            if not isinstance(body, dict):
                raise self.error(key, f'expected a labelled block, e.g. {key} "<name>" {{ ... }}')
            if any(label == seen for seen, _ in blocks):
                raise self.error(f'{key} "{label}"', "defined twice; expected each name once")
            prefix = f'{self.prefix}{key} "{label}".'
            blocks.append((str(label), Reader(self.file, body, prefix=prefix)))
        return blocks

    def reject_unknown(self) -> None:
        unknown = sorted(set(self.body) - self.seen)
        if unknown:
            allowed = ", ".join(sorted(self.seen))
            raise self.error(unknown[0], f"unknown key; allowed keys here are: {allowed}")


# Blocks written with one label, e.g. backend "s3" { ... } or network "create" { ... }.
LABELLED_BLOCKS = {"backend", "network"}


def load_hcl(file: Path) -> dict[str, Any]:
    if not file.is_file():
        raise ConfigError(file, None, "file not found")
    try:
        with file.open(encoding="utf-8") as handle:
            parsed = hcl2.load(handle, serialization_options=_HCL_OPTIONS)
    except Exception as exc:  # lark raises several unrelated types; all mean "not valid HCL"
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ConfigError(file, None, f"not valid HCL: {first_line}") from exc
    if not isinstance(parsed, dict):
        raise ConfigError(file, None, "expected HCL attributes and blocks at the top level")
    return parsed
