"""Reading python-hcl2 output with errors that name the file, the line, the key and the bad value.

`Reader` wraps one parsed HCL body (a file, or a block inside it), converts values to Python
types, and remembers which keys it consumed so that anything left over is reported as unknown.

A bad value does not stop the reading: the reader records the error, returns no value (None, or
the default for booleans and numbers) and goes on, so one run reports every mistake of a file.
Readers of one file share their list of errors (`child`). A parser that needs values it could
not get calls `checkpoint(mark)`, which stops it when something went wrong since `mark`; its
caller runs it through `attempt`, which keeps the errors and goes on with the next block.
`raise_collected` at the end of a file raises them all.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

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

    def __init__(
        self, file: Path | str, key: str | None, message: str, line: int | None = None
    ) -> None:
        self.file = str(file)
        self.key = key
        self.line = line
        where = f"{self.file}:{line}" if line else self.file
        location = f"{where}: {key}" if key else where
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

    def __init__(self, errors: Iterable[ConfigError], note: str | None = None) -> None:
        self.errors: tuple[ConfigError, ...] = tuple(_flatten(errors))
        if not self.errors:
            raise ValueError("ConfigErrors needs at least one error")
        first = self.errors[0]
        summary = _summary(self.errors)
        Exception.__init__(self, f"{summary}\n{note}" if note else summary)
        self.file, self.key, self.line = first.file, first.key, first.line


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


class _Stopped(ConfigErrors):
    """Raised by `Reader.checkpoint`: the errors it carries are already recorded."""


T = TypeVar("T")


class Reader:
    """Reads typed values out of one parsed HCL body, tracking which keys were consumed.

    `errors` is shared by every reader of one file; `lines` maps key paths (as errors name them)
    to the line they are written on.
    """

    def __init__(
        self,
        file: Path,
        body: Mapping[str, Any],
        prefix: str = "",
        *,
        errors: list[ConfigError] | None = None,
        lines: Mapping[str, int] | None = None,
    ) -> None:
        self.file = file
        self.body = dict(body)
        self.prefix = prefix
        self.seen: set[str] = set()
        self.rejected: set[str] = set()
        self.errors: list[ConfigError] = [] if errors is None else errors
        self.lines: Mapping[str, int] = lines or {}

    def _key(self, key: str) -> str:
        return f"{self.prefix}{key}"

    def child(self, body: Mapping[str, Any], prefix: str) -> Reader:
        """A reader of a block or object of the same file, sharing its errors."""
        return Reader(self.file, body, prefix, errors=self.errors, lines=self.lines)

    def error(self, key: str | None, message: str) -> ConfigError:
        path = self._key(key) if key else (self.prefix.rstrip(".") or None)
        line = None
        if path:
            # A key inside an object value (tags.Team) or a list item (subnet_ids[1]) is reported
            # on the attribute's line.
            parts = re.sub(r"\[\d+\]", "", path).split(".")
            while parts and line is None:
                line = self.lines.get(".".join(parts))
                parts.pop()
        return ConfigError(self.file, path, message, line)

    def report(self, key: str | None, message: str) -> None:
        """Record an error and go on reading."""
        self.errors.append(self.error(key, message))

    def mark(self) -> int:
        """A point to `checkpoint` against."""
        return len(self.errors)

    def checkpoint(self, mark: int) -> None:
        """Stop the current parser when an error was recorded since `mark`."""
        if len(self.errors) > mark:
            raise _Stopped(self.errors[mark:])

    def attempt(self, parse: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """`parse(*args, **kwargs)`, or None when it stopped on an error (which is recorded)."""
        try:
            return parse(*args, **kwargs)
        except _Stopped:
            return None
        except ConfigError as error:
            self.errors.extend(_flatten([error]))
            return None

    def raise_collected(self) -> None:
        """Raise every error recorded for this file, if any, in the order of their lines."""
        errors = list(dict.fromkeys(self.errors))
        raise_all(sorted(errors, key=lambda error: error.line or 0))

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
                self.report(key, f"missing; expected {expected}{self._misspelled(key)}")
            return default
        value = self.body[key]
        if not isinstance(value, str):
            self.report(key, f"got {value!r}; expected {expected} (a quoted string)")
        elif "${" in value:
            self.report(key, f"got {value!r}; expected a literal value, not an expression")
        elif pattern is not None and not pattern.match(value):
            self.report(key, f"got {value!r}; expected {expected}")
        else:
            return value
        return None

    def misspelling_of(self, key: str) -> str | None:
        """The key of this body, not asked for, that looks like a misspelling of absent `key`."""
        if key in self.body:
            return None
        return closest(key, [k for k in self.body if k not in self.seen], cutoff=0.75)

    def _misspelled(self, key: str) -> str:
        guess = self.misspelling_of(key)
        return f" (is {guess!r} a misspelling of {key!r}?)" if guess else ""

    def boolean(self, key: str, *, default: bool) -> bool:
        self.seen.add(key)
        value = self.body.get(key, default)
        if not isinstance(value, bool):
            self.report(key, f"got {value!r}; expected true or false")
            return default
        return value

    def integer(self, key: str, *, minimum: int, maximum: int, default: int) -> int:
        self.seen.add(key)
        value = self.body.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
            self.report(key, f"got {value!r}; expected a whole number from {minimum} to {maximum}")
            return default
        return value

    def string_map(self, key: str) -> dict[str, str]:
        self.seen.add(key)
        value = self.body.get(key, {})
        if not isinstance(value, dict):
            self.report(key, f'got {value!r}; expected a map of strings, e.g. {{ Team = "a" }}')
            return {}
        result: dict[str, str] = {}
        for tag_key, tag_value in value.items():
            if not isinstance(tag_value, str) or not TAG_KEY_RE.match(str(tag_key)):
                self.report(
                    f"{key}.{tag_key}",
                    f"got {tag_value!r}; expected a string value under a tag key of 1-128 "
                    "letters, digits, spaces or _.:/=+-@",
                )
                continue
            result[str(tag_key)] = tag_value
        return result

    def string_list(self, key: str, *, pattern: re.Pattern[str], expected: str) -> tuple[str, ...]:
        """A non-empty list; () when it is missing or wrong (the error is recorded)."""
        self.seen.add(key)
        value = self.body.get(key)
        if not isinstance(value, list) or not value:
            hint = self._misspelled(key) if value is None else ""
            self.report(key, f"got {value!r}; expected a non-empty list of {expected}{hint}")
            return ()
        bad = [
            (index, item)
            for index, item in enumerate(value)
            if not isinstance(item, str) or not pattern.match(item)
        ]
        for index, item in bad:
            self.report(f"{key}[{index}]", f"got {item!r}; expected {expected}")
        return () if bad else tuple(value)

    def sub(self, key: str, body: Mapping[str, Any]) -> Reader:
        """A reader for a nested block or object, its keys reported as `<prefix><key>.<name>`."""
        return self.child(body, f"{self._key(key)}.")

    def block(self, key: str) -> tuple[str | None, dict[str, Any]] | None:
        """A single block, optionally labelled: returns (label, body), or None when it is absent
        or malformed (the error is recorded)."""
        self.seen.add(key)
        if key not in self.body:
            return None
        value = self.body[key]
        if not isinstance(value, list) or len(value) != 1 or not isinstance(value[0], dict):
            self.report(key, "expected exactly one block")
            return None
        body = value[0]
        # A labelled block parses as {label: {...}}; an unlabelled one as its attributes.
        if len(body) == 1:
            ((label, inner),) = body.items()
            if isinstance(inner, dict) and key in LABELLED_BLOCKS:
                return label, inner
        if key in LABELLED_BLOCKS:
            self.report(key, f'expected a labelled block, e.g. {key} "s3" {{ ... }}')
            return None
        return None, body

    def required_block(self, key: str, missing: str) -> tuple[str | None, dict[str, Any]]:
        """A block that must be there: a missing one is recorded as `missing` (a malformed one by
        `block`), and either stops the current parser."""
        mark = self.mark()
        block = self.block(key)
        if block is None and key not in self.body:
            self.report(key, missing)
        self.checkpoint(mark)
        assert block is not None
        return block

    def labelled_blocks(self, key: str) -> list[tuple[str, Reader]]:
        """Every well-formed `key "<label>" { ... }` block, in file order, each label at most
        once (the others are recorded as errors)."""
        self.seen.add(key)
        value = self.body.get(key, [])
        blocks: list[tuple[str, Reader]] = []
        if not isinstance(value, list):
            self.report(key, f'expected {key} "<name>" {{ ... }} blocks')
            return blocks
        for item in value:
            if not isinstance(item, dict) or len(item) != 1:
                self.report(key, f'expected a labelled block, e.g. {key} "<name>" {{ ... }}')
                continue
            ((label, body),) = item.items()
            if not isinstance(body, dict):
                self.report(key, f'expected a labelled block, e.g. {key} "<name>" {{ ... }}')
                continue
            if any(label == seen for seen, _ in blocks):
                self.report(f'{key} "{label}"', "defined twice; expected each name once")
                continue
            blocks.append((str(label), self.child(body, f'{self.prefix}{key} "{label}".')))
        return blocks

    def reject_unknown(self) -> None:
        """Record every key this body holds that no reader asked for."""
        self.reject_keys_outside(self.seen, "unknown key")

    def reject_keys_outside(self, allowed: Iterable[str], what: str) -> None:
        """Record every key of this body not in `allowed`, each with the likeliest key meant."""
        names = sorted(allowed)
        for key in sorted(set(self.body) - set(names) - self.rejected):
            self.rejected.add(key)  # reported once, however often a parser asks
            guess = closest(key, names)
            hint = f"did you mean {guess!r}? " if guess else ""
            self.report(key, f"{what}; {hint}allowed keys here are: {', '.join(names)}")


# Blocks written with one label, e.g. backend "s3" { ... } or network "create" { ... }.
LABELLED_BLOCKS = {"backend", "bootstrap_backend", "network"}


def read_hcl(file: Path) -> Reader:
    """A reader of the file's attributes and blocks.

    A syntax error (nothing else of the file can be read) raises at once and names its line. A
    key set twice in one body is recorded as an error, as Terraform refuses it (python-hcl2 would
    keep the last value), and the reading goes on with the last value.
    """
    if not file.is_file():
        raise ConfigError(file, None, "file not found")
    text = file.read_text(encoding="utf-8")
    try:
        tree = hcl2.parses_to_tree(text)
    except Exception as exc:  # lark raises several unrelated types; all mean "not valid HCL"
        raise ConfigError(file, None, f"not valid HCL: {_syntax_hint(exc, text)}") from exc
    lines, duplicates = attribute_lines(tree)
    parsed = hcl2.serialize(
        hcl2.transform(tree, discard_comments=True), serialization_options=_HCL_OPTIONS
    )
    if not isinstance(parsed, dict):
        raise ConfigError(file, None, "expected HCL attributes and blocks at the top level")
    reader = Reader(file, parsed, lines=lines)
    reader.errors += [
        ConfigError(file, key, f"set twice (lines {first} and {again}); expected it once", again)
        for key, first, again in duplicates
    ]
    return reader


def _syntax_hint(exc: Exception, text: str) -> str:
    """Where the parser stopped, that line as written, and the likely cause."""
    source_lines = text.splitlines()
    line = getattr(exc, "line", None)
    if not isinstance(line, int) or line < 1:
        first = str(exc).strip().splitlines()
        return first[0] if first else type(exc).__name__
    quote = _unclosed_quote(source_lines[:line])
    if quote is not None:
        return (
            f"line {quote}: a quoted string is not closed on this line "
            f"(`{source_lines[quote - 1].strip()}`)"
        )
    if line > len(source_lines):
        return (
            "the file ended inside a block or a list: a closing brace `}` or bracket `]` is missing"
        )
    column = getattr(exc, "column", None)
    source = source_lines[line - 1].strip()
    where = f"line {line}" + (f", column {column}" if isinstance(column, int) else "")
    return (
        f"{where}: the parser did not expect what follows `{source}` (an unclosed brace, "
        "bracket or quote, or an attribute without a value, is the usual cause)"
    )


def _unclosed_quote(lines: list[str]) -> int | None:
    """The first line (1-based) with an odd number of unescaped double quotes outside comments
    and heredocs, which in this configuration's HCL means a string left open."""
    in_heredoc: str | None = None
    for number, line in enumerate(lines, start=1):
        if in_heredoc is not None:
            if line.strip() == in_heredoc:
                in_heredoc = None
            continue
        heredoc = re.search(r"<<-?([A-Z_]+)\s*$", line)
        if heredoc:
            in_heredoc = heredoc.group(1)
        quotes = 0
        escaped = False
        for index, char in enumerate(line):
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                quotes += 1
            elif quotes % 2 == 0 and (char == "#" or line.startswith("//", index)):
                break
        if quotes % 2:
            return number
    return None


def attribute_lines(tree: Tree) -> tuple[dict[str, int], list[tuple[str, int, int]]]:
    """The line of every attribute (its last) and block by key path (`endpoint.name`,
    `backend "s3".bucket`), and (key path, first line, repeated line) of every attribute set twice
    in one body."""
    lines: dict[str, int] = {}
    found: list[tuple[str, int, int]] = []

    def name_of(node: Tree) -> Token:
        identifier = node.children[0]
        assert isinstance(identifier, Tree) and isinstance(identifier.children[0], Token)
        return identifier.children[0]

    def walk(body: Tree, prefix: str) -> None:
        here: dict[str, int] = {}
        for child in body.children:
            if not isinstance(child, Tree):
                continue
            if child.data == "attribute":
                token = name_of(child)
                key = str(token)
                line = token.line or 0
                if key in here:
                    found.append((prefix + key, here[key], line))
                else:
                    here[key] = line
                lines[prefix + key] = line  # the value read is the last one written
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
                token = name_of(child)
                lines.setdefault(f"{prefix}{token}", token.line or 0)
                lines.setdefault(f"{prefix}{token}{label}", token.line or 0)
                for inner in child.children:
                    if isinstance(inner, Tree) and inner.data == "body":
                        walk(inner, f"{prefix}{token}{label}.")

    for node in tree.iter_subtrees_topdown():
        if node.data == "body":
            walk(node, "")
            break
    return lines, found
