"""Reading and writing PO files exactly as gettext's own tools do.

The reader is strict where a mistake would lose or garble a translation: an
unterminated string, an unknown keyword, a charset that is unknown or that
the bytes don't match, two entries for one source string. Each is a problem
at its line, never a silent truncation. It keeps what Babel's reader drops:
the previous source of fuzzy entries (`#| msgid`) and the fuzzy mark of
obsolete ones. The writer wraps every string, previous sources included, so
that `msgfmt --check` accepts whatever it writes.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from email.parser import HeaderParser
from typing import cast

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import normalize
from babel.util import TextWrapper

WIDTH = 76
_COMMENT_WRAPPER = TextWrapper(width=WIDTH, break_long_words=False)
_HEADER_WRAPPER = TextWrapper(width=WIDTH, subsequent_indent="# ", break_long_words=False)
_STRING = re.compile(r'"([^"\\]*(?:\\.[^"\\]*)*)"\s*$')
_NPLURALS = re.compile(r"nplurals\s*=\s*(\d+)\s*;")
MAX_PLURALS = 6
"""The most plural forms any language has (Arabic)."""
_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(.*)$")
_CHARSET = re.compile(rb"charset=([^\s\\\"]*)")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b"}
_ESCAPES |= {"f": "\f", "v": "\v"}
_ESCAPE = re.compile(r"\\(.?)", re.S)
"""A backslash and what it escapes; nothing, for a backslash that ends the string."""


class PoSyntaxError(ValueError):
    """A PO file that cannot be read as written; line counts from 1."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def _unescape(body: str, line: int) -> str:
    if "\\" not in body:  # most strings have no escape; walking each one took seconds a catalog
        return body

    def replace(match: re.Match[str]) -> str:
        escaped = match.group(1)
        if escaped not in _ESCAPES:
            raise PoSyntaxError(line, f"unknown escape sequence \\{escaped} in a string")
        return _ESCAPES[escaped]

    return _ESCAPE.sub(replace, body)


@dataclass
class _Entry:
    line: int = 0
    fields: dict[str, list[str]] = field(default_factory=dict)
    previous: dict[str, list[str]] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    locations: list[tuple[str, int | None]] = field(default_factory=list)
    auto_comments: list[str] = field(default_factory=list)
    user_comments: list[str] = field(default_factory=list)
    obsolete: bool = False
    msgid_line: int = 0
    current: list[str] | None = None

    @property
    def started(self) -> bool:
        return bool(self.fields or self.previous or self.flags or self.locations) or bool(
            self.auto_comments or self.user_comments
        )


def decode_po(data: bytes) -> tuple[str, int]:
    """The text of a PO file in the charset its header declares, and that header's line.

    Raises PoSyntaxError for an unknown charset, for bytes the charset can't
    read, and for UTF-8 text under a header that says otherwise (which would
    otherwise show every accented letter as two wrong ones).
    """
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    match = _CHARSET.search(data)
    declared = match.group(1).decode("ascii", "replace") if match else "utf-8"
    where = data.count(b"\n", 0, match.start()) + 1 if match else 1
    if declared.upper() == "CHARSET":  # the placeholder of a fresh template
        declared = "utf-8"
    try:
        codec = codecs.lookup(declared)
    except LookupError:
        raise PoSyntaxError(
            where, f"unknown charset {declared!r} in Content-Type; use charset=UTF-8"
        ) from None
    try:
        text = data.decode(codec.name)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise PoSyntaxError(
            line, f"this line is not {declared} text, as the header (line {where}) declares"
        ) from None
    if codec.name != "utf-8" and not data.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            raise PoSyntaxError(
                where,
                f"the header declares charset={declared} but the file is written in UTF-8; "
                "change it to charset=UTF-8",
            )
    return text, where


def parse_po(text: str) -> list[_Entry]:
    """Every entry of a PO file, obsolete ones included, with its first line."""
    entries: list[_Entry] = []
    entry = _Entry()

    def finish() -> None:
        nonlocal entry
        if entry.fields:
            if "msgid" not in entry.fields:
                raise PoSyntaxError(entry.line, "an entry without msgid")
            if not any(key.startswith("msgstr") for key in entry.fields):
                raise PoSyntaxError(entry.line, "msgid without msgstr")
            entries.append(entry)
        elif entry.previous or entry.flags:
            raise PoSyntaxError(entry.line, "comments with no msgid after them")
        entry = _Entry()

    # Only \n ends a line, as for gettext: str.splitlines() would also cut at \f or U+2028.
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line:
            if entry.fields:
                finish()
            continue
        if line[0] == '"':  # the most frequent line, a string continued: tested first
            if entry.current is None:
                raise PoSyntaxError(number, "a string with no msgid or msgstr before it")
            entry.current.append(_string(line, number))
            continue
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
            if not line:
                continue
            if line.startswith("|"):  # `#~| msgid`: the previous source of an obsolete entry
                line = "#" + line
        if line.startswith("#"):
            kind, body = line[1:2], line[2:].strip() if len(line) > 1 else ""
            if entry.fields:
                finish()
            if not entry.started:
                entry.line = number
            if kind == ",":
                entry.flags += [flag.strip() for flag in body.split(",") if flag.strip()]
            elif kind == ":":
                for ref in body.split():
                    name, _, lineno = ref.rpartition(":")
                    if name and lineno.isdigit():
                        entry.locations.append((name, int(lineno)))
                    else:
                        entry.locations.append((ref, None))
            elif kind == ".":
                entry.auto_comments.append(body)
            elif kind == "|":
                entry.current = _field(entry.previous, body, number, previous=True)
            else:
                entry.user_comments.append(line[1:].removeprefix(" "))
            continue
        if line.startswith('"'):
            if entry.current is None:
                raise PoSyntaxError(number, "a string with no msgid or msgstr before it")
            entry.current.append(_string(line, number))
            continue
        match = _KEYWORD.match(line)
        if match is None:
            word = line.split()[0]
            raise PoSyntaxError(number, f"expected msgid, msgstr or a comment; found {word!r}")
        keyword = match.group(1)
        if keyword in ("msgctxt", "msgid") and any(k.startswith("msgstr") for k in entry.fields):
            finish()
        if not entry.started:
            entry.line = number
        if keyword in entry.fields:
            raise PoSyntaxError(number, f"{keyword} given twice in one entry")
        entry.obsolete = obsolete
        if keyword == "msgid":
            entry.msgid_line = number
        entry.current = _field(entry.fields, line, number, previous=False, match=match)
    finish()
    return entries


def _string(text: str, line: int) -> str:
    match = _STRING.match(text)
    if match is None:
        if text.count('"') % 2 or not text.rstrip().endswith('"'):
            raise PoSyntaxError(line, 'this string has no closing quote (")')
        raise PoSyntaxError(line, "expected one quoted string on this line")
    return _unescape(match.group(1), line)


def _field(
    fields: dict[str, list[str]],
    text: str,
    line: int,
    *,
    previous: bool,
    match: re.Match[str] | None = None,
) -> list[str]:
    """The strings of the field text starts; match is text's _KEYWORD match, when known."""
    match = match or _KEYWORD.match(text)
    if match is None:
        if previous:  # a continuation of the previous source: `#| "..."`
            last = list(fields.values())[-1] if fields else None
            if last is None:
                raise PoSyntaxError(line, "a #| string with no #| msgid before it")
            last.append(_string(text, line))
            return last
        raise PoSyntaxError(line, f"expected msgid or msgstr; found {text.split()[0]!r}")
    parts = [_string(match.group(3), line)]
    fields[match.group(1)] = parts
    return parts


def _message(entry: _Entry) -> Message:
    fields = {key: "".join(parts) for key, parts in entry.fields.items()}
    msgid: str | tuple[str, str] = fields["msgid"]
    string: str | tuple[str, ...] = fields.get("msgstr", "")
    if "msgid_plural" in fields:
        msgid = (fields["msgid"], fields["msgid_plural"])
        forms = sorted(
            (int(key[7:-1]), value) for key, value in fields.items() if key.startswith("msgstr[")
        )
        string = tuple(value for _, value in forms)
    previous = [
        "".join(entry.previous[key]) for key in ("msgid", "msgid_plural") if key in entry.previous
    ]
    message = Message(
        msgid,
        string,
        # Babel keeps a reference without a line number as None, though its hints say int.
        locations=cast("list[tuple[str, int]]", entry.locations),
        flags=entry.flags,
        auto_comments=entry.auto_comments,
        user_comments=entry.user_comments,
        previous_id=previous,
        lineno=entry.msgid_line or entry.line,
        context=fields.get("msgctxt"),
    )
    return message


def read_po_bytes(data: bytes) -> Catalog:
    """A Babel catalog from a PO file's bytes; PoSyntaxError names the line of a mistake."""
    text, _ = decode_po(data)
    entries = parse_po(text)
    catalog = Catalog(charset="utf-8", fuzzy=False)
    seen: dict[tuple[str | None, str], int] = {}
    for entry in entries:
        message = _message(entry)
        key = (message.context, message.id if isinstance(message.id, str) else message.id[0])
        if entry.obsolete:
            catalog.obsolete[catalog._key_for(message.id, message.context)] = message
            continue
        if key in seen:
            raise PoSyntaxError(
                entry.line,
                f"a second entry for the same msgid (the first is at line {seen[key]}); "
                "keep one of the two translations",
            )
        seen[key] = entry.line
        if message.id == "" and message.context is None:
            at = text.find('"Plural-Forms:')
            line = text.count("\n", 0, at) + 1 if at >= 0 else entry.msgid_line or entry.line
            _set_header(catalog, message, line)
            continue
        catalog[message.id] = message
    return catalog


def _set_header(catalog: Catalog, message: Message, line: int) -> None:
    headers = HeaderParser().parsestr(str(message.string))
    plural = headers.get("Plural-Forms")
    if plural is not None:
        count = _NPLURALS.search(plural)
        if count is None or not 1 <= int(count.group(1)) <= MAX_PLURALS:
            raise PoSyntaxError(
                line,
                f"Plural-Forms: expected nplurals=N with N from 1 to {MAX_PLURALS}, such as "
                "nplurals=2; plural=(n > 1);",
            )
    try:
        catalog.mime_headers = list(headers.items())
    except ValueError as exc:
        raise PoSyntaxError(line, f"a header field Babel cannot read: {exc}") from None
    catalog.fuzzy = message.fuzzy
    comment = "\n".join("#" + (" " + c if c else "") for c in message.user_comments)
    catalog.header_comment = comment


def _comments(comment: str, prefix: str = "") -> list[str]:
    # Wrapped as Babel and xgettext wrap them, so an update changes no more lines than it must.
    return [f"#{prefix} {line.strip()}" for line in _COMMENT_WRAPPER.wrap(comment)]


def _po_field(prefix: str, keyword: str, text: str) -> str:
    return f"{prefix}{keyword} {normalize(text, prefix=prefix, width=WIDTH)}"


def _entry(message: Message, num_plurals: int, *, obsolete: bool = False) -> list[str]:
    prefix = "#~ " if obsolete else ""
    lines: list[str] = []
    for comment in message.user_comments:
        lines += _comments(comment)
    for comment in message.auto_comments:
        lines += _comments(comment, ".")
    if message.locations and not obsolete:
        ordered = sorted(message.locations, key=lambda at: (at[0], at[1] or -1))
        refs = {f"{name}:{line}" if line else name: None for name, line in ordered}
        lines += _comments(" ".join(refs), ":")
    if message.flags:
        lines.append("#, " + ", ".join(sorted(message.flags)))
    previous = [p for p in (message.previous_id or []) if p]
    if previous and message.fuzzy:
        # Each line its own `#| "..."` string: Babel wraps the whole `#| msgid` as one
        # comment, which cuts strings in two and makes the file invalid.
        mark = "#~| " if obsolete else "#| "
        lines.append(_po_field(mark, "msgid", previous[0]))
        if len(previous) > 1:
            lines.append(_po_field(mark, "msgid_plural", previous[1]))
    if message.context is not None:
        lines.append(_po_field(prefix, "msgctxt", message.context))
    if isinstance(message.id, tuple | list):
        lines.append(_po_field(prefix, "msgid", message.id[0] or ""))
        lines.append(_po_field(prefix, "msgid_plural", message.id[1] or ""))
        forms = (
            message.string if isinstance(message.string, tuple | list) else [message.string or ""]
        )
        for index in range(max(num_plurals, len(forms))):
            form = forms[index] if index < len(forms) else ""
            lines.append(_po_field(prefix, f"msgstr[{index}]", form or ""))
    else:
        lines.append(_po_field(prefix, "msgid", message.id))
        lines.append(_po_field(prefix, "msgstr", str(message.string or "")))
    return lines


def write_po_bytes(catalog: Catalog) -> bytes:
    """The catalog as a PO file (UTF-8) that msgfmt --check accepts, whatever its strings.

    Laid out as Babel lays it out, except where Babel's file would be invalid
    or lose something: previous sources are wrapped string by string, and
    obsolete entries keep their fuzzy mark and previous source.
    """
    catalog.charset = "utf-8"  # what is written below, whatever the file read declared
    blocks: list[str] = []
    header_lines: list[str] = []
    for line in (catalog.header_comment or "").splitlines():
        header_lines += _HEADER_WRAPPER.wrap(line)
    for message in catalog:
        lines = _entry(message, catalog.num_plurals)
        if not message.id:
            lines = header_lines + lines
        blocks.append("\n".join(lines) + "\n")
    for message in catalog.obsolete.values():
        blocks.append("\n".join(_entry(message, catalog.num_plurals, obsolete=True)) + "\n")
    return "\n".join(blocks).encode("utf-8") + b"\n"
