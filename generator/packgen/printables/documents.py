"""Which PDFs a language gets, where they go under downloads/, and how big they came out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from packgen.i18n.localise import LocalisedPack
from packgen.model import Assessment, Definition, Exercise, LearningLog
from packgen.paths import DOWNLOADS as DOWNLOADS  # where it was always found

Kind = Literal["pack", "log", "checklist", "assessment", "guide"]


@dataclass(frozen=True)
class Printable:
    """One PDF of one language."""

    kind: Kind
    name: str
    """Path under downloads/, e.g. `guides/set-meeting.pdf`."""
    title: str
    key: str | None = None
    """Id of the exercise or log it is made from; None for the whole pack."""

    @property
    def path(self) -> str:
        """Path under the language's site folder, for links from pages."""
        return f"{DOWNLOADS}/{self.name}"


def listed_definitions(loc: LocalisedPack) -> list[Definition]:
    """The exercises and logs the menu shows, in its order, each once."""
    return [loc.definitions[key] for key in loc.pack.menu.definitions if key in loc.definitions]


def has_checklist(exercise: Exercise) -> bool:
    checklist = exercise.checklist
    return bool(checklist.before or checklist.during or checklist.after)


def printables(loc: LocalisedPack) -> list[Printable]:
    """The whole pack first, then logs, checklists, assessments and guides in menu order."""
    definitions = listed_definitions(loc)
    logs = [d for d in definitions if isinstance(d, LearningLog)]
    exercises = [d for d in definitions if isinstance(d, Exercise)]
    return [
        Printable("pack", f"{loc.config.id}.pdf", loc.config.title),
        *(Printable("log", f"{d.id}.pdf", d.title, d.id) for d in logs),
        *(
            Printable("checklist", f"checklists/{d.id}.pdf", d.title, d.id)
            for d in exercises
            if has_checklist(d)
        ),
        *(
            Printable("assessment", f"checklists/{d.id}.pdf", d.title, d.id)
            for d in definitions
            if isinstance(d, Assessment)
        ),
        *(Printable("guide", f"guides/{d.id}.pdf", d.title, d.id) for d in exercises),
    ]


_CHAPTER_FOLDERS = {"guides": ("exercise-",), "checklists": ("checklist-", "assessment-")}
"""Folders of PDFs that repeat a chapter of the whole pack, and that chapter's anchor prefixes
(as templates/print/pack.html.j2 sets them): the exercise, or its checklist or assessment."""


def chapter_anchors(name: str) -> tuple[str, ...]:
    """Where in the whole-pack PDF the chapter that the PDF at name (under downloads/) repeats
    may be, by anchor; empty for a PDF that repeats no chapter."""
    folder, _, file = name.rpartition("/")
    key = file.removesuffix(".pdf")
    return tuple(prefix + key for prefix in _CHAPTER_FOLDERS.get(folder, ()))


@dataclass
class Downloads:
    """The PDFs of one language as pages link them: what exists and its size in bytes."""

    items: list[Printable] = field(default_factory=list)
    sizes: dict[str, int] = field(default_factory=dict)
    forms: dict[str, str] = field(default_factory=dict)
    """Each log's digital form by log id: its path from the language's folder, no suffix."""

    @property
    def pack(self) -> Printable | None:
        return next((p for p in self.items if p.kind == "pack"), None)

    def of(self, key: str) -> list[Printable]:
        """The PDFs made from one exercise or log: checklist before guide, as pages list them."""
        return [p for p in self.items if p.key == key]

    def kind(self, kind: Kind) -> list[Printable]:
        return [p for p in self.items if p.kind == kind]

    def size(self, item: Printable) -> int:
        return self.sizes.get(item.name, 0)
