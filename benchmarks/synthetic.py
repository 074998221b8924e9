"""A synthetic pack of any size, with every language translated, for the benchmarks.

Each exercise is written from a seeded word bank, so a pack of a given size is
the same on every run: four to eight steps with facilitator notes and
questions, roles, materials, preparation, a checklist, tailoring notes, related
exercises and one link to a page. Exercises are grouped into sections of 25,
each opened by a Markdown page. The other languages' catalogs are made by
`packgen i18n update` and then filled with a pseudo-translation (letters
swapped for accented or Arabic ones, markup and placeholders kept), so each
language's pages differ from the source as a real translation's would, and
every entry passes packgen's catalog checks.

The pack stands alone (no `extends:`); it takes the repository's `templates/`
and `mkdocs.yml` when they exist there, and otherwise packgen's own defaults.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
LANGUAGES = ["en", "fr", "es", "ar", "pt"]
SECTION_SIZE = 25
EDIT_MARK = "Agree who keeps the time before you start."
"""A sentence every synthetic exercise's first step holds, for the one-sentence edit."""

KINDS = ["set-meeting", "challenge-clinic", "team-set", "tacit-tool"]
CONTEXTS = [
    "remote",
    "low-connectivity",
    "insecure",
    "mixed-languages",
    "hierarchy",
    "gender",
    "low-literacy",
    "busy-schedules",
    "interpretation",
    "large-group",
]
NOUNS = [
    "distribution",
    "site",
    "queue",
    "volunteer",
    "checkpoint",
    "committee",
    "warehouse",
    "shelter",
    "clinic",
    "water",
    "point",
    "convoy",
    "assessment",
    "ration",
    "card",
    "referral",
    "hotline",
    "household",
    "survey",
    "supervisor",
    "driver",
    "partner",
    "authority",
    "donor",
    "report",
    "handover",
    "shift",
    "radio",
    "schedule",
    "latrine",
    "market",
    "voucher",
    "registration",
    "complaint",
    "feedback",
    "interpreter",
    "field",
    "office",
    "community",
    "leader",
    "cash",
    "transfer",
    "stock",
    "team",
    "leader",
    "coordination",
    "meeting",
    "caseload",
]
VERBS = [
    "check",
    "agree",
    "notice",
    "ask",
    "share",
    "record",
    "compare",
    "plan",
    "review",
    "explain",
    "listen",
    "prepare",
    "decide",
    "follow",
    "support",
    "visit",
    "confirm",
    "describe",
    "test",
    "adapt",
    "protect",
]
ADJECTIVES = [
    "quiet",
    "late",
    "urgent",
    "small",
    "local",
    "shared",
    "difficult",
    "new",
    "careful",
    "honest",
    "short",
    "clear",
    "practical",
    "safe",
    "open",
    "regular",
    "unexpected",
]
ROLES = ["Facilitator", "Topic holder", "Set member", "Note keeper", "Timekeeper", "Observer"]


class _Writer:
    """Sentences and paragraphs from the word bank, the same for the same seed."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def words(self, pool: list[str], count: int) -> list[str]:
        return [self.rng.choice(pool) for _ in range(count)]

    def sentence(self) -> str:
        noun, other = self.words(NOUNS, 2)
        verb = self.rng.choice(VERBS)
        adjective = self.rng.choice(ADJECTIVES)
        shapes = [
            f"{verb.capitalize()} the {adjective} {noun} with the {other}.",
            f"The {noun} and the {other} {verb} what is {adjective} today.",
            f"Before the {noun}, {verb} how the {other} feels about it.",
            f"Each person says one {adjective} thing about the {noun}.",
            f"If the {noun} is {adjective}, {verb} it with the {other} first.",
        ]
        return self.rng.choice(shapes)

    def paragraph(self, sentences: int = 3) -> str:
        return " ".join(self.sentence() for _ in range(sentences))

    def title(self) -> str:
        adjective, noun = self.rng.choice(ADJECTIVES), self.rng.choice(NOUNS)
        return f"{adjective.capitalize()} {noun}"

    def question(self) -> str:
        noun, verb = self.rng.choice(NOUNS), self.rng.choice(VERBS)
        return f"What would you {verb} about the {noun} next time?"


def exercise(index: int, count: int) -> dict[str, object]:
    """One exercise definition, with everything a real one has."""
    w = _Writer(index)
    steps = []
    for number in range(w.rng.randint(4, 8)):
        instructions = w.paragraph(3) + "\n\n" + "\n".join(f"- {w.sentence()}" for _ in range(3))
        if number == 0:
            instructions = f"{EDIT_MARK} {instructions}"
        steps.append(
            {
                "title": f"{w.title()} ({number + 1})",
                "minutes": w.rng.randint(3, 15),
                "instructions": instructions,
                "facilitator_notes": w.paragraph(2) + " **" + w.sentence().rstrip(".") + "**.",
                "questions": [w.question() for _ in range(w.rng.randint(2, 4))],
            }
        )
    section = index // SECTION_SIZE
    related = sorted({(index + 1) % count, (index + 7) % count} - {index})
    definition: dict[str, object] = {
        "id": exercise_id(index),
        "kind": KINDS[index % len(KINDS)],
        "title": f"Exercise {index + 1}: {w.title()}",
        "summary": w.paragraph(2),
        "purpose": w.paragraph(4)
        + "\n\n"
        + w.paragraph(3)
        + f" See [the section's guide](../{guide_page(section)}).",
        "when_to_use": [w.sentence() for _ in range(3)],
        "group_size": {"min": 3, "max": 8, "ideal": 5},
        "duration": sum(int(step["minutes"]) for step in steps),  # type: ignore[call-overload]
        "roles": [
            {"name": name, "description": w.paragraph(2)}
            for name in w.rng.sample(ROLES, w.rng.randint(2, 4))
        ],
        "materials": [w.sentence() for _ in range(3)],
        "preparation": [w.sentence() for _ in range(3)],
        "steps": steps,
        "tailoring": {
            context: w.paragraph(2) for context in w.rng.sample(CONTEXTS, w.rng.randint(2, 5))
        },
        "checklist": {
            "before": [w.sentence() for _ in range(3)],
            "during": [w.sentence() for _ in range(4)],
            "after": [w.sentence() for _ in range(2)],
        },
        "related": [exercise_id(other) for other in related],
    }
    return definition


class _Dumper(yaml.SafeDumper):
    """Writes text of several lines as a literal block, as authors write it."""


def _text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _text)


def exercise_id(index: int) -> str:
    return f"exercise-{index + 1:04d}"


def guide_page(section: int) -> str:
    return f"guide-{section + 1:02d}.md"


def _guide(section: int, first: int) -> str:
    w = _Writer(100_000 + section)
    items = "\n".join(f"- {w.sentence()}" for _ in range(4))
    return (
        f"# Guide to section {section + 1}\n\n{w.paragraph(4)}\n\n## Before you start\n\n"
        f"{w.paragraph(3)}\n\n{items}\n\n## Where to begin\n\n{w.paragraph(2)} Start with "
        f"[the first exercise](exercises/{exercise_id(first)}.md).\n"
    )


def write_pack(root: Path, exercises: int, languages: list[str] | None = None) -> None:
    """Write the English sources of a synthetic pack of this many exercises at root."""
    languages = languages or LANGUAGES
    for shared in ("templates", "overrides"):
        if (REPO / shared).is_dir():
            shutil.copytree(REPO / shared, root / shared)
    if (REPO / "mkdocs.yml").is_file():
        shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / "exercises").mkdir(parents=True)
    (root / "content").mkdir()
    (root / "content/index.md").write_text(
        "# Benchmark pack\n\nA synthetic pack, written to measure how packgen builds.\n",
        encoding="utf-8",
    )
    contents: list[object] = [{"page": "index.md"}]
    for section, first in enumerate(range(0, exercises, SECTION_SIZE)):
        (root / "content" / guide_page(section)).write_text(
            _guide(section, first), encoding="utf-8"
        )
        last = min(exercises, first + SECTION_SIZE)
        contents.append(
            {
                "section": f"Section {section + 1}",
                "contents": [{"page": guide_page(section)}]
                + [{"exercise": exercise_id(i)} for i in range(first, last)],
            }
        )
    for index in range(exercises):
        text = yaml.dump(
            exercise(index, exercises),
            Dumper=_Dumper,
            allow_unicode=True,
            sort_keys=False,
            width=88,
        )
        (root / "exercises" / f"{exercise_id(index)}.yml").write_text(text, encoding="utf-8")
    contents += [{"generated": "catalogue"}, {"generated": "downloads"}]
    config = {
        "id": "bench",
        "title": "Benchmark pack",
        "summary": "A synthetic pack for measuring builds.",
        "languages": languages,
        "contents": contents,
    }
    (root / "pack.yml").write_text(
        yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )


# Markup, placeholders, link targets, code and entities stay as they are; only words change.
_KEPT = re.compile(
    r"\]\([^)]*\)"
    r"|\]\[[^\]]*\]"
    r"|`+[^`]*`+"
    r"|\{\{[^{}]*\}\}|\{[^{}]*\}"
    r"|%\([A-Za-z_]\w*\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]|%[a-zA-Z]"
    r"|<[^<>]*>"
    r"|&#?\w+;"
    r"|https?://\S+"
    r"|^[ ]{0,3}\[[^\]]+\]:.*$",
    re.M,
)
_LATIN = "abcdefghijklmnopqrstuvwxyz"
_ALPHABETS = {
    "fr": "àbçdéfghîjklmnôpqrstûvwxÿz",
    "es": "ábcdéfghíjklmñópqrstúvwxýz",
    "pt": "ãbçdêfghíjklmnõpqrstúvwxyz",
    "ar": "ابتثجحخدذرزسشصضطظعغفقكلمنه",
}


def pseudo_translate(text: str, lang: str) -> str:
    """The text with its letters swapped for the language's, everything machines read kept."""
    alphabet = _ALPHABETS.get(lang, _ALPHABETS["fr"])
    table = str.maketrans(_LATIN + _LATIN.upper(), alphabet + alphabet.upper())
    out, last = [], 0
    for match in _KEPT.finditer(text):
        out.append(text[last : match.start()].translate(table))
        out.append(match.group(0))
        last = match.end()
    out.append(text[last:].translate(table))
    return "".join(out)


def translate_catalogs(root: Path) -> tuple[int, int]:
    """Fill every catalog of the pack with pseudo-translations; (translated, refused)."""
    from packgen.i18n.checks import check_translation
    from packgen.i18n.pofile import read_po_bytes, write_po_bytes

    translated = refused = 0
    for po in sorted((root / "locales").glob("*/LC_MESSAGES/*.po")):
        lang = po.parent.parent.name
        catalog = read_po_bytes(po.read_bytes())
        for message in catalog:
            if not message.id or message.string:
                continue
            if isinstance(message.id, tuple):  # plural forms: each gets its own translation
                forms = [pseudo_translate(message.id[0], lang)]
                forms += [pseudo_translate(message.id[1], lang)] * (catalog.num_plurals - 1)
                message.string = tuple(forms)
                translated += 1
                continue
            candidate = pseudo_translate(message.id, lang)
            if check_translation(message.id, candidate):
                refused += 1  # left untranslated, as a translator would leave a hard one
                continue
            message.string = candidate
            translated += 1
        po.write_bytes(write_po_bytes(catalog))
    return translated, refused


def make_pack(root: Path, exercises: int, languages: list[str] | None = None) -> Path:
    """A complete synthetic pack at root: sources, then every language's catalogs translated."""
    write_pack(root, exercises, languages)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "packgen", "-q", "i18n", "update", str(root)],
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise RuntimeError(f"packgen i18n update failed:\n{done.stdout}{done.stderr}")
    translate_catalogs(root)
    return root
