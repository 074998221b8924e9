"""Typed schemas for everything an author writes: exercises, tools and learning logs."""

from __future__ import annotations

from packgen.model.common import Context, Text, is_translatable
from packgen.model.exercise import (
    ACTIVITY_KINDS,
    Checklist,
    Exercise,
    GroupSize,
    Role,
    Step,
)
from packgen.model.log import LearningLog, LogField

Definition = Exercise | LearningLog
KINDS: dict[str, type[Exercise] | type[LearningLog]] = {
    **{kind: Exercise for kind in ACTIVITY_KINDS},
    "learning-log": LearningLog,
}

__all__ = [
    "ACTIVITY_KINDS",
    "KINDS",
    "Checklist",
    "Context",
    "Definition",
    "Exercise",
    "GroupSize",
    "LearningLog",
    "LogField",
    "Role",
    "Step",
    "Text",
    "is_translatable",
]
