"""Jinja's sandboxes, with each attribute's verdict remembered for its object's type.

Jinja asks `is_safe_attribute` at every attribute a template reads: a menu of
300 pages, drawn on each of 300 pages, asks it millions of times, and most of
a site build's template time went to the answer. Jinja's answer depends only
on the attribute's name and on the object's type (what `isinstance` says of
it), so it is worked out once per type and name by Jinja's own check and
reused. An object whose `__class__` is not its type (a proxy that claims to
be something else) is asked every time, as before.
"""

from __future__ import annotations

from typing import Any

import jinja2.sandbox


class _Remembered:
    """The verdict cache in front of a sandbox's own is_safe_attribute."""

    _verdicts: dict[tuple[type, str], bool]

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        kind = type(obj)
        key = (kind, attr)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = super().is_safe_attribute(obj, attr, value)  # type: ignore[misc]
            if obj.__class__ is kind:
                self._verdicts[key] = verdict
        elif obj.__class__ is not kind:
            return super().is_safe_attribute(obj, attr, value)  # type: ignore[misc, no-any-return]
        return verdict


class SandboxedEnvironment(_Remembered, jinja2.sandbox.SandboxedEnvironment):
    """Jinja's SandboxedEnvironment: no internals, no unsafe callables; verdicts remembered."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._verdicts = {}


class ImmutableSandboxedEnvironment(_Remembered, jinja2.sandbox.ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox (no list.append, dict.update...); verdicts remembered."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._verdicts = {}
