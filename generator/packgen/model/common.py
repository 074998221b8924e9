"""Building blocks shared by every schema."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints


class Translatable:
    """Marks a string field as text a translator must see (extracted, looked up per language)."""

    def __repr__(self) -> str:
        return "Translatable()"


TRANSLATABLE = Translatable()

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), TRANSLATABLE]
"""Human-readable text in the pack's source language; Markdown allowed."""

Slug = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", min_length=2, max_length=60),
]
"""An identifier: lowercase letters, digits and single hyphens, e.g. `after-action-review`."""

Tags = Annotated[
    list[Slug],
    Field(
        default_factory=list,
        description="Words that group entries across kinds (e.g. remote, health), so that a "
        "tailored pack can include or exclude them together.",
    ),
]
"""The tags any definition may carry, for include: and exclude: by tag."""


def is_translatable(metadata: list[Any]) -> bool:
    return any(isinstance(item, Translatable) for item in metadata)


class Strict(BaseModel):
    """Base for author-facing models: unknown keys are errors, values are not coerced quietly."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Context(StrEnum):
    """Situations a facilitator may have to adapt an exercise to."""

    REMOTE = "remote"
    LOW_CONNECTIVITY = "low-connectivity"
    INSECURE = "insecure"
    MIXED_LANGUAGES = "mixed-languages"
    HIERARCHY = "hierarchy"
    GENDER = "gender"
    LOW_LITERACY = "low-literacy"
    BUSY_SCHEDULES = "busy-schedules"
    INTERPRETATION = "interpretation"
    LARGE_GROUP = "large-group"
