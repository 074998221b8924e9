"""Checks that a translation keeps what the page needs from its source.

A translation may reword everything except what machines read: placeholders
that templates fill in, link targets (inline or in link-reference
definitions), inline code, emphasis markers, HTML and the attributes of
attribute lists and tags. Nothing unsafe may come in: a translation the HTML
allow-list would clean (a script, an event handler) is refused outright.
A translation that breaks one of these is not used (the source text shows
instead) and the translator is told where and why.
"""

from __future__ import annotations

import re
from collections import Counter

from packgen.sanitize import markdown_findings

_PLACEHOLDER = re.compile(
    r"%\([A-Za-z_]\w*\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrs]"
    r"|%[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrs]"
    r"|\{\{[^{}]*\}\}"
    r"|\{[A-Za-z_]\w*\}|\{\d+\}"
)
_CODE = re.compile(r"(`+)(.+?)\1")
_LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_REFERENCE = re.compile(r"\]\[([^\]]*)\]")
_AUTOLINK = re.compile(r"<((?:https?|mailto|ftp):[^>\s]+)>")
_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)\b[^>]*>")
_REFERENCE_DEF = re.compile(r"^[ ]{0,3}\[([^\]]+)\]:[ \t]*<?(\S+?)>?(?=\s|$)", re.M)
_ATTR_LIST = re.compile(
    r"\{:?[ \t]*((?:[#.][\w-]+|[^\s{}=]+=(?:\"[^\"]*\"|'[^']*'|[^\s{}]+))"
    r"(?:[ \t]+(?:[#.][\w-]+|[^\s{}=]+=(?:\"[^\"]*\"|'[^']*'|[^\s{}]+)))*)[ \t]*\}"
)
_ATTR_ITEM = re.compile(r"[#.][\w-]+|([^\s=]+)=(\"[^\"]*\"|'[^']*'|\S+)")
_TAG_ATTR = re.compile(r"([^\s\"'>/=]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'<>`][^\s>]*))?")
_WORDED = {"title", "alt", "aria-label", "summary"}
"""Attributes that hold words for readers: a translation translates their values."""
_TAG_WITH_ATTRS = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)(\s[^<>]*)?>")
_STRONG = re.compile(r"\*\*|__")
_EMPHASIS = re.compile(r"(?<![*\w])\*(?!\s)|(?<!\s)\*(?![*\w])|(?<![\w_])_(?!\s)|(?<!\s)_(?![\w_])")


# Every catalog entry is checked on each build: each finder first asks whether the text
# has the one character its pattern needs, which most sentences don't.


def _without_code(text: str) -> str:
    return _CODE.sub(" ", text) if "`" in text else text


def _placeholders(text: str) -> list[str]:
    if "%" not in text and "{" not in text:
        return []
    found: list[str] = _PLACEHOLDER.findall(text)
    return found


def _codes(text: str) -> list[str]:
    if "`" not in text:
        return []
    return [match.group(2).strip() for match in _CODE.finditer(text)]


def _links(plain: str) -> list[str]:
    """Link targets of a text whose code is masked."""
    if "]" not in plain and "<" not in plain:
        return []
    found: list[str] = _LINK_TARGET.findall(plain) + _AUTOLINK.findall(plain)
    found += [f"[{ref}]" for ref in _REFERENCE.findall(plain)]
    return found


def _attribute(name: str, value: str | None) -> str:
    name = name.lower()
    if name in _WORDED or value is None:
        return name
    return f"{name}={value.strip(chr(34) + chr(39))}"


def _attributes(plain: str) -> list[str]:
    """Attributes set by attribute lists and HTML tags; worded ones count by name only."""
    found: list[str] = []
    if "{" not in plain and "<" not in plain:
        return found
    for match in _ATTR_LIST.finditer(plain):
        for item in _ATTR_ITEM.finditer(match[1]):
            found.append(_attribute(item[1], item[2]) if item[1] else item[0])
    for tag in _TAG_WITH_ATTRS.finditer(plain):
        found += [_attribute(a[1], a[2]) for a in _TAG_ATTR.finditer(tag[2] or "")]
    return found


def _reference_targets(plain: str) -> list[str]:
    if "]:" not in plain:
        return []
    return [f"[{m[1]}]: {m[2]}" for m in _REFERENCE_DEF.finditer(plain)]


def _has_markers(plain: str) -> bool:
    """Whether the bold, italic and HTML checks can find anything in plain."""
    return "*" in plain or "_" in plain or "<" in plain


def _names(found: Counter[str]) -> str:
    return ", ".join(repr(item) for item in sorted(found.elements()))


def _compare(what: str, found_in_source: list[str], found_in_target: list[str]) -> list[str]:
    if sorted(found_in_source) == sorted(found_in_target):
        return []
    source, target = Counter(found_in_source), Counter(found_in_target)
    problems = []
    if source - target:
        problems.append(f"{what} missing in the translation: {_names(source - target)}")
    if target - source:
        problems.append(f"{what} not in the source: {_names(target - source)}")
    return problems


def check_translation(source: str, translation: str, *, plural_form: bool = False) -> list[str]:
    """What the translation breaks, as sentences; empty when it is safe to use.

    A plural form may leave out a placeholder (Arabic says "one minute" without
    the number), but may not bring one the source does not have.
    """
    problems: list[str] = []
    source_holders, target_holders = _placeholders(source), _placeholders(translation)
    if plural_form:
        extra = Counter(target_holders) - Counter(source_holders)
        if set(extra) - set(source_holders):
            problems.append(f"placeholders not in the source: {_names(extra)}")
    else:
        problems += _compare("placeholders", source_holders, target_holders)
    problems += _compare("inline code", _codes(source), _codes(translation))
    plain_source, plain_target = _without_code(source), _without_code(translation)
    problems += _compare("link targets", _links(plain_source), _links(plain_target))
    problems += _compare(
        "link-reference targets",
        _reference_targets(plain_source),
        _reference_targets(plain_target),
    )
    problems += _compare("attributes", _attributes(plain_source), _attributes(plain_target))
    unsafe = markdown_findings(translation)
    if unsafe:
        problems.append(f"unsafe content, not allowed in a page: {', '.join(unsafe)}")
    if not _has_markers(plain_source) and not _has_markers(plain_target):
        return problems
    strong = len(_STRONG.findall(plain_source)), len(_STRONG.findall(plain_target))
    if strong[0] != strong[1]:
        problems.append(
            f"bold markers (** or __) differ: {strong[0]} in the source, {strong[1]} here"
        )
    rest_source = _STRONG.sub("", plain_source)
    rest_target = _STRONG.sub("", plain_target)
    emphasis = len(_EMPHASIS.findall(rest_source)), len(_EMPHASIS.findall(rest_target))
    if emphasis[0] != emphasis[1]:
        problems.append(
            f"italic markers (* or _) differ: {emphasis[0]} in the source, {emphasis[1]} here"
        )
    source_tags = {tag.lower() for tag in _TAG.findall(plain_source)}
    new_tags = sorted({tag.lower() for tag in _TAG.findall(plain_target)} - source_tags)
    if new_tags:
        problems.append(f"HTML the source does not have: {', '.join(f'<{t}>' for t in new_tags)}")
    return problems
