"""Typed schemas for everything an author writes: exercises, tools and learning logs."""

from __future__ import annotations

from packgen.model.assessment import (
    Assessment,
    AssessmentItem,
    AssessmentSection,
    ScoreBand,
    ScoreLevel,
    ScoreReading,
)
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

Definition = Exercise | LearningLog | Assessment
KINDS: dict[str, type[Exercise] | type[LearningLog] | type[Assessment]] = {
    **{kind: Exercise for kind in ACTIVITY_KINDS},
    "learning-log": LearningLog,
    "assessment": Assessment,
}

__all__ = [
    "ACTIVITY_KINDS",
    "KINDS",
    "Assessment",
    "AssessmentItem",
    "AssessmentSection",
    "Checklist",
    "Context",
    "Definition",
    "Exercise",
    "GroupSize",
    "LearningLog",
    "LogField",
    "Role",
    "ScoreBand",
    "ScoreLevel",
    "ScoreReading",
    "Step",
    "Text",
    "is_translatable",
]
