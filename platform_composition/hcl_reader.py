"""Reading python-hcl2 output with errors that name the file, the key and the bad value.

`Reader` wraps one parsed HCL body (a file, or a block inside it), converts values to Python
types, and remembers which keys it consumed so that anything left over is reported as unknown.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import hcl2
from hcl2.utils import SerializationOptions
from lark import Token, Tree

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


def closest(word: str, options: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The option `word` most likely misspells: a transposition of it (the same letters) first,
    else difflib's closest match above `cutoff`."""
    names = sorted(options)
    swapped = [name for name in names if sorted(name) == sorted(word) and name != word]
    if swapped:
        return swapped[0]
    close = difflib.get_close_matches(word, names, n=1, cutoff=cutoff)
    return close[0] if close else None


class ConfigErrors(ConfigError):
    """Every error found in one run, reported together (each still names file, key and value)."""

    def __init__(self, errors: Iterable[ConfigError]) -> None:
        self.errors: tuple[ConfigError, ...] = tuple(_flatten(errors))
        if not self.errors:
            raise ValueError("ConfigErrors needs at least one error")
        first = self.errors[0]
        Exception.__init__(self, _summary(self.errors))
        self.file, self.key = first.file, first.key


def _flatten(errors: Iterable[ConfigError]) -> Iterator[ConfigError]:
    for error in errors:
        if isinstance(error, ConfigErrors):
            yield from error.errors
        else:
            yield error


def _summary(errors: tuple[ConfigError, ...]) -> str:
    if len(errors) == 1:
        return str(errors[0])
    lines = [f"{len(errors)} configuration errors:"]
    lines += [f"  - {error}" for error in errors]
    return "\n".join(lines)


def raise_all(errors: list[ConfigError]) -> None:
    """Raise the collected errors, if any: one as itself, several as ConfigErrors."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise ConfigErrors(errors)


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
        """Every key this body holds that no reader asked for."""
        self.reject_keys_outside(self.seen, "unknown key")

    def reject_keys_outside(self, allowed: Iterable[str], what: str) -> None:
        """Every key of this body not in `allowed`, each with the likeliest key meant."""
        names = sorted(allowed)
        errors = []
        for key in sorted(set(self.body) - set(names)):
            guess = closest(key, names)
            hint = f"did you mean {guess!r}? " if guess else ""
            errors.append(
                self.error(key, f"{what}; {hint}allowed keys here are: {', '.join(names)}")
            )
        raise_all(errors)


# Blocks written with one label, e.g. backend "s3" { ... } or network "create" { ... }.
LABELLED_BLOCKS = {"backend", "bootstrap_backend", "network"}


def load_hcl(file: Path) -> dict[str, Any]:
    """The file's attributes and blocks; a syntax error names its line, a key set twice in one
    body is an error (as Terraform refuses it; python-hcl2 would keep the last value)."""
    if not file.is_file():
        raise ConfigError(file, None, "file not found")
    text = file.read_text(encoding="utf-8")
    try:
        tree = hcl2.parses_to_tree(text)
    except Exception as exc:  # lark raises several unrelated types; all mean "not valid HCL"
        raise ConfigError(file, None, f"not valid HCL: {_syntax_hint(exc, text)}") from exc
    raise_all(
        [
            ConfigError(file, key, f"set twice (lines {first} and {again}); expected it once")
            for key, first, again in duplicate_attributes(tree)
        ]
    )
    parsed = hcl2.serialize(
        hcl2.transform(tree, discard_comments=True), serialization_options=_HCL_OPTIONS
    )
    if not isinstance(parsed, dict):
        raise ConfigError(file, None, "expected HCL attributes and blocks at the top level")
    return parsed


def _syntax_hint(exc: Exception, text: str) -> str:
    """Where the parser stopped, and that line as written."""
    line = getattr(exc, "line", None)
    if not isinstance(line, int) or not 1 <= line <= len(text.splitlines()):
        lines = str(exc).strip().splitlines()
        return lines[0] if lines else type(exc).__name__
    column = getattr(exc, "column", None)
    source = text.splitlines()[line - 1].strip()
    where = f"line {line}" + (f", column {column}" if isinstance(column, int) else "")
    return (
        f"{where}: the parser did not expect what follows `{source}` (an unclosed brace, "
        "bracket or quote, or an attribute without a value, is the usual cause)"
    )


def duplicate_attributes(tree: Tree) -> list[tuple[str, int, int]]:
    """(key path, first line, repeated line) of every attribute set twice in one body."""
    found: list[tuple[str, int, int]] = []

    def name_of(node: Tree) -> Token:
        identifier = node.children[0]
        assert isinstance(identifier, Tree) and isinstance(identifier.children[0], Token)
        return identifier.children[0]

    def walk(body: Tree, prefix: str) -> None:
        lines: dict[str, int] = {}
        for child in body.children:
            if not isinstance(child, Tree):
                continue
            if child.data == "attribute":
                token = name_of(child)
                key = str(token)
                line = token.line or 0
                if key in lines:
                    found.append((prefix + key, lines[key], line))
                else:
                    lines[key] = line
            elif child.data == "block":
                # Labels are quoted strings (their characters in string_part) or identifiers.
                labels = [
                    "".join(
                        str(t)
                        for t in label.scan_values(
                            lambda v: isinstance(v, Token) and v.type != "DBLQUOTE"
                        )
                    )
                    for label in child.children[1:]
                    if isinstance(label, Tree) and label.data in ("string", "identifier")
                ]
                label = "".join(f' "{value}"' for value in labels)
                for inner in child.children:
                    if isinstance(inner, Tree) and inner.data == "body":
                        walk(inner, f"{prefix}{name_of(child)}{label}.")

    for node in tree.iter_subtrees_topdown():
        if node.data == "body":
            walk(node, "")
            break
    return found
