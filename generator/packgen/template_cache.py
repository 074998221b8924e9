"""Compiled templates, kept in memory for the life of the process.

Compiling templates costs more than rendering them: packgen's page templates
are compiled once for every language's environment, and MkDocs makes a new
theme environment for every build (a preview server builds again on every
change in one process). Only memory is used: bytecode read back from a file
could be a pack's code.
"""

from __future__ import annotations

import jinja2


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Jinja's bytecode cache in a dict; Jinja checks each entry against its template's source."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.compiled.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self.compiled.clear()


THEME_TEMPLATES = MemoryBytecodeCache()
"""The theme's templates, as packgen's MkDocs hook compiles them."""
