"""Safe YAML loading that remembers where every value came from.

Validation messages must point at a file, line and column, so the loader
walks PyYAML's node tree itself (with the safe constructor for scalars) and
records a mark for every key path.
"""

from __future__ import annotations

import os
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


_PLAIN_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


class _Walker:
    def __init__(self, doc: YamlDocument, problems: Problems, loader: yaml.SafeLoader) -> None:
        self.doc = doc
        self.problems = problems
        self.loader = loader

    def mark(self, node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1, node.start_mark.column + 1

    def build(self, node: yaml.Node, path: KeyPath) -> Any:
        self.doc.values[path] = self.mark(node)
        if not isinstance(node, yaml.ScalarNode) and node.tag not in _PLAIN_TAGS:
            raise yaml.constructor.ConstructorError(
                None, None, f"unsupported tag {node.tag!r}", node.start_mark
            )
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self.loader.construct_object(key_node, deep=True)
                if not isinstance(key, str | int | bool) or isinstance(key, bool):
                    key = str(key)
                if key in result:
                    first = self.doc.keys[(*path, key)]
                    self.problems.error(
                        Location(self.doc.shown, *self.mark(key_node)),
                        f"duplicate key {key!r} (first given on line {first[0]})",
                    )
                    continue
                self.doc.keys[(*path, key)] = self.mark(key_node)
                result[key] = self.build(value_node, (*path, key))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        return self.loader.construct_object(node, deep=True)


def load_yaml(path: Path, problems: Problems) -> YamlDocument | None:
    """Parse one YAML file safely; syntax errors become problems, never exceptions."""
    doc = YamlDocument(path=path, data=None)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problems.error(Location(doc.shown), f"not UTF-8 text ({exc.reason})")
        return None
    except OSError as exc:
        problems.error(Location(doc.shown), f"cannot read file: {exc.strerror}")
        return None
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            doc.data = {}
            return doc
        doc.data = _Walker(doc, problems, loader).build(node, ())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Location(doc.shown, mark.line + 1, mark.column + 1) if mark else Location(doc.shown)
        problems.error(where, f"invalid YAML: {exc.problem or exc.context}")
        return None
    except yaml.YAMLError as exc:
        problems.error(Location(doc.shown), f"invalid YAML: {exc}")
        return None
    finally:
        loader.dispose()
    return doc
