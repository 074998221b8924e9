"""The names a log's fields and choices take in the digital form, and the rules they keep.

Collected data is keyed by these names, so they come from the definitions'
ids and source text only: a re-translation or a reordering leaves them alone.
The checks run when the pack is loaded, so `packgen check` reports them.
"""

from __future__ import annotations

import re

from packgen.errors import Problems
from packgen.loader import YamlDocument
from packgen.model import LearningLog
from packgen.model.log import ChoiceText

XML_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9._-]*$")
"""The part of XML's Name rule that every form tool accepts: a letter first, no spaces."""

CONFIDENTIAL_GROUP = "confidential"
"""The group that holds a log's confidential fields, so an export can leave it out."""
RESERVED = {"meta", CONFIDENTIAL_GROUP, f"{CONFIDENTIAL_GROUP}-note"}
"""Names the form itself uses: `meta` holds the instance id, the others are ours."""


def action_names(field_id: str) -> tuple[str, str, str]:
    """The what, who and by-when questions of an actions field's repeat."""
    return f"{field_id}-what", f"{field_id}-who", f"{field_id}-by-when"


def check_log(log: LearningLog, doc: YamlDocument, problems: Problems) -> None:
    """Report every field and choice that cannot name a form element or option."""
    first_line: dict[str, int] = {}
    for i, field in enumerate(log.fields):
        where = doc.location(("fields", i, "id"))
        if field.id in first_line:
            problems.error(
                where,
                f"field id {field.id!r} is used twice (first on line {first_line[field.id]}); "
                "each field needs its own id, which names its answers in the collected data",
            )
            continue
        first_line[field.id] = where.line
        if not XML_NAME.match(field.id):
            problems.error(
                where,
                f"field id {field.id!r} cannot name a question of the digital form: it must "
                "start with a letter (an XML name), e.g. 'visit-2' rather than '2-visit'",
            )
        elif field.id in RESERVED:
            problems.error(
                where,
                f"field id {field.id!r} is taken by the digital form itself; "
                f"choose another, e.g. '{field.id}-notes'",
            )
        _check_choices(log, i, doc, problems)


def _check_choices(log: LearningLog, index: int, doc: YamlDocument, problems: Problems) -> None:
    # An empty or one-item list is already refused by the schema (LogField), at its line.
    field = log.fields[index]
    seen: dict[str, str] = {}
    for j, (text, name) in enumerate(zip(field.choices, field.choice_names, strict=True)):
        where = doc.location(("fields", index, "choices", j))
        given = isinstance(text, ChoiceText) and text.id is not None
        if given and not XML_NAME.match(name):
            problems.error(
                doc.location(("fields", index, "choices", j, "id")),
                f"choice id {name!r} is not a valid XML name: use letters, digits, hyphens, "
                "underscores and dots, starting with a letter, e.g. 'named'",
            )
        elif not XML_NAME.match(name):
            problems.error(
                where,
                f"choice {text!r} would be named {name!r} in the digital form, which is not a "
                "valid XML name (it must start with a letter); begin the choice with a word, "
                "e.g. 'Once or twice' rather than '1 or 2 times', or name it: "
                f"{{id: a-name, label: {text}}}",
            )
        elif name in seen:
            problems.error(
                where,
                f"choice {text!r} would have the same name in the digital form as "
                f"{seen[name]!r} ({name!r}); word the two choices differently or give each an id",
            )
        seen.setdefault(name, text)
