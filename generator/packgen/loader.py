"""Safe YAML loading that remembers where every value came from.

Validation messages must point at a file, line and column, so the loader
walks PyYAML's node tree itself (with the safe constructor for scalars) and
records a mark for every key path.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from packgen.errors import Location, Problems

KeyPath = tuple[str | int, ...]


def display_path(path: Path) -> str:
    """The path as a person would type it: relative to the working folder when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


@dataclass
class YamlDocument:
    """A parsed YAML file: plain data plus the location of each value and each key."""

    path: Path
    data: Any
    values: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    keys: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)

    @property
    def shown(self) -> str:
        return display_path(self.path)

    def location(self, key_path: KeyPath, *, at_key: bool = False) -> Location:
        """Where the value (or its key) at key_path stands; falls back to the nearest parent."""
        path = tuple(key_path)
        while True:
            table = self.keys if at_key else self.values
            if path in table:
                line, col = table[path]
                return Location(self.shown, line, col)
            if at_key and path in self.values:
                line, col = self.values[path]
                return Location(self.shown, line, col)
            if not path:
                return Location(self.shown, 1, 1)
            path = path[:-1]
            at_key = False


MAX_FILE_BYTES = 2_000_000
"""A definition or page bigger than this is refused before it is read (most are ~10 kB)."""
MAX_DEPTH = 40
"""Nesting of lists and mappings; a definition needs about six levels."""
MAX_NUMBER = 1_000_000_000
"""No number in a pack comes near this; bigger ones are typing mistakes or attacks."""

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_STR = "tag:yaml.org,2002:str"
_SCALAR = yaml.ScalarEvent
_MAPPING_START = yaml.MappingStartEvent
_MAPPING_END = yaml.MappingEndEvent
_SEQUENCE_END = yaml.SequenceEndEvent
_DOCUMENT_END = yaml.DocumentEndEvent
_PLAIN_TAGS = {None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlRefused(Exception):
    """Something packgen does not read in a pack's YAML, at a mark."""

    def __init__(self, mark: yaml.Mark | None, message: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message


def _mark(mark: yaml.Mark) -> tuple[int, int]:
    return mark.line + 1, mark.column + 1


class _Frame:
    __slots__ = ("container", "key", "key_mark", "path")

    def __init__(self, container: dict[Any, Any] | list[Any], path: KeyPath) -> None:
        self.container = container
        self.path = path
        self.key: Any = _NO_KEY
        self.key_mark: tuple[int, int] = (0, 0)


_NO_KEY = object()


class _Composer:
    """Builds plain data from the parser's events, recording where each value and key stands.

    Iterative, so deep nesting is a located error rather than a RecursionError;
    aliases are refused where they stand, so an alias bomb costs nothing.
    """

    def __init__(self, doc: YamlDocument, problems: Problems, loader: yaml.SafeLoader) -> None:
        self.doc = doc
        self.problems = problems
        self.loader = loader
        self.resolve = loader.resolve

    def scalar(self, event: yaml.ScalarEvent) -> Any:
        tag = event.tag
        if tag is not None and tag not in ("!", _STR):
            raise YamlRefused(
                event.start_mark, f"unsupported tag {tag!r}: a pack's YAML needs no tags"
            )
        if tag is None or tag == "!":
            # Quoted and block scalars are always text; only plain ones need resolving.
            tag = (
                _STR if event.style else self.resolve(yaml.ScalarNode, event.value, event.implicit)
            )
        if tag == _STR:
            value = event.value
        elif tag == "tag:yaml.org,2002:merge":
            raise YamlRefused(
                event.start_mark, "merge keys (<<) are not supported in a pack: write the keys out"
            )
        else:
            node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
            try:
                value = self.loader.construct_object(node, deep=True)
            except (ValueError, TypeError, IndexError, AttributeError, OverflowError):
                # Such as 2024-13-45, which YAML takes for a date that does not exist.
                kind = tag.rsplit(":", 1)[-1]
                raise YamlRefused(
                    event.start_mark,
                    f"{event.value!r} looks like a {kind} but is not one; put it in quotes "
                    "if it is text",
                ) from None
        if type(value) is str:
            control = _CONTROL.search(value)
            if control:
                # Only an escape ("\x04") gets one this far; translation tools reject them.
                raise YamlRefused(
                    event.start_mark,
                    f"a control character (U+{ord(control.group()):04X}) in this text; remove it",
                )
        elif type(value) is int and abs(value) > MAX_NUMBER:
            raise YamlRefused(
                event.start_mark, f"the number {event.value} is too large (at most {MAX_NUMBER:,})"
            )
        return value

    def compose(self) -> Any:
        loader = self.loader
        get_event = loader.get_event
        values = self.doc.values
        get_event()  # stream start
        if loader.check_event(yaml.StreamEndEvent):
            return {}
        get_event()  # document start
        stack: list[_Frame] = []
        result: Any = None
        while True:
            event = get_event()
            kind = type(event)
            if kind is _SCALAR:
                value = self.scalar(event)
                if not stack:
                    values[()] = _mark(event.start_mark)
                    result = value
                    continue
                parent = stack[-1]
                container = parent.container
                if type(container) is list:
                    path = (*parent.path, len(container))
                    container.append(value)
                elif parent.key is _NO_KEY:
                    if type(value) is not str and type(value) is not int:
                        value = str(value)
                    parent.key, parent.key_mark = value, _mark(event.start_mark)
                    continue
                else:
                    path = self.key_path(parent)
                    if parent.key not in container:
                        container[parent.key] = value
                    parent.key = _NO_KEY
                mark = event.start_mark
                values[path] = (mark.line + 1, mark.column + 1)
                continue
            if kind is _MAPPING_END or kind is _SEQUENCE_END:
                frame = stack.pop()
                if not stack:
                    result = frame.container
                    continue
                parent = stack[-1]
                if type(parent.container) is list:
                    parent.container.append(frame.container)
                else:
                    if parent.key not in parent.container:
                        parent.container[parent.key] = frame.container
                    parent.key = _NO_KEY
                continue
            if kind is _DOCUMENT_END:
                break
            if kind is yaml.AliasEvent:
                raise YamlRefused(
                    event.start_mark,
                    f"aliases (*{event.anchor}) are not supported in a pack: write the value out",
                )
            # The start of a mapping or a list.
            pending = stack[-1] if stack else None
            if pending is not None and type(pending.container) is dict and pending.key is _NO_KEY:
                raise YamlRefused(
                    event.start_mark, "a key must be plain text, not a list or mapping"
                )
            if event.tag not in _PLAIN_TAGS:
                raise yaml.constructor.ConstructorError(
                    None, None, f"unsupported tag {event.tag!r}", event.start_mark
                )
            if len(stack) >= MAX_DEPTH:
                raise YamlRefused(
                    event.start_mark,
                    f"nested more than {MAX_DEPTH} levels deep; packgen stops here",
                )
            if pending is None:
                path = ()
            elif type(pending.container) is list:
                path = (*pending.path, len(pending.container))
            else:
                path = self.key_path(pending)
            values[path] = _mark(event.start_mark)
            stack.append(_Frame({} if kind is _MAPPING_START else [], path))
        if not loader.check_event(yaml.StreamEndEvent):
            event = get_event()
            raise YamlRefused(event.start_mark, "expected one document; found a second (---)")
        return result

    def key_path(self, parent: _Frame) -> KeyPath:
        """The key path of the value about to be placed under parent's pending key."""
        path = (*parent.path, parent.key)
        if parent.key in parent.container:
            first = self.doc.keys[path]
            self.problems.error(
                Location(self.doc.shown, *parent.key_mark),
                f"duplicate key {parent.key!r} (first given on line {first[0]})",
            )
            return (*parent.path, _Duplicate(parent.key))
        self.doc.keys[path] = parent.key_mark
        return path


class _Duplicate(str):
    """The key path of a duplicate key's value, kept apart from the first one's."""

    __slots__ = ()


def _read_text(path: Path, doc: YamlDocument, problems: Problems) -> str | None:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.error(
                Location(doc.shown),
                f"this file is {size / 1e6:.1f} MB; packgen reads files of at most "
                f"{MAX_FILE_BYTES / 1e6:g} MB (split it, or move long text to a page)",
            )
            return None
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.error(Location(doc.shown), f"not UTF-8 text ({exc.reason})")
        return None
    except OSError as exc:
        problems.error(Location(doc.shown), f"cannot read file: {exc.strerror or exc}")
        return None
    nul = text.find("\0")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        column = nul - (text.rfind("\n", 0, nul) + 1) + 1
        problems.error(
            Location(doc.shown, line, column),
            "a NUL byte: this is not a text file, or it is damaged",
        )
        return None
    return text


def load_yaml(path: Path, problems: Problems) -> YamlDocument | None:
    """Parse one YAML file safely; syntax errors become problems, never exceptions."""
    doc = YamlDocument(path=path, data=None)
    text = _read_text(path, doc, problems)
    if text is None:
        return None
    loader: yaml.SafeLoader | None = None
    try:
        loader = _Loader(text)
        doc.data = _Composer(doc, problems, loader).compose()
    except YamlRefused as exc:
        where = Location(doc.shown, *_mark(exc.mark)) if exc.mark else Location(doc.shown)
        problems.error(where, exc.message)
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Location(doc.shown, mark.line + 1, mark.column + 1) if mark else Location(doc.shown)
        problems.error(where, f"invalid YAML: {exc.problem or exc.context}")
        return None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        char = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1])
        problems.error(
            Location(doc.shown, line, column),
            f"invalid YAML: the control character U+{char:04X} is not allowed in a YAML file",
        )
        return None
    except yaml.YAMLError as exc:
        problems.error(Location(doc.shown), f"invalid YAML: {exc}")
        return None
    finally:
        if loader is not None:
            loader.dispose()
    return doc
