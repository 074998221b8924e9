"""The parts of the book, each a PDF of its own, bound into one PDF as WeasyPrint writes one.

The parts' pages follow one another, with everything they draw and link; the
file is written by pydyf as WeasyPrint writes it (its objects compressed in
object streams), so that the book is no bigger for being bound. Each part
carries its own subset of every font it uses; as WeasyPrint keeps every glyph
at its place in the font when it subsets one, the subsets of a font are
merged into one, which every part's pages use. The bookmarks follow one
another as the parts do (each part opens with one of the first level,
bookparts.py makes sure of it). The named destinations of the parts become
one name tree, sorted as WeasyPrint sorts it, so that the links between parts
(WeasyPrint links by name) open their targets. The document information and
language are the first part's, and the file identifier is the book's.
"""

from __future__ import annotations

import copy
import io
import zlib
from pathlib import Path
from typing import Any

_PAGE_KEYS = ("MediaBox", "Contents", "Resources", "Annots", "TrimBox", "BleedBox", "Tabs")


class _Copier:
    """pypdf objects of the parts copied into one pydyf PDF, each once."""

    def __init__(self, pdf: Any) -> None:
        self.pdf = pdf
        self.done: dict[tuple[int, int], Any] = {}
        self.part = 0
        self.fonts: dict[str, list[Any]] = {}
        """Each font's embedded subsets (pydyf streams) by the font's name."""

    def value(self, obj: Any) -> Any:
        import pydyf
        from pypdf import generic

        if isinstance(obj, generic.IndirectObject):
            return self.indirect(obj).reference
        if isinstance(obj, generic.NameObject):
            return pydyf.name(str(obj)[1:]) if len(str(obj)) > 1 else b"/"
        if isinstance(obj, generic.BooleanObject):
            return "true" if obj else "false"
        if isinstance(obj, generic.NullObject):
            return "null"
        if isinstance(obj, generic.FloatObject):
            return float(obj)
        if isinstance(obj, generic.NumberObject):
            return int(obj)
        if isinstance(obj, generic.TextStringObject):
            return pydyf.String(obj.original_bytes)
        if isinstance(obj, generic.ByteStringObject):
            return pydyf.String(bytes(obj))
        if isinstance(obj, generic.ArrayObject):
            return pydyf.Array([self.value(item) for item in obj])
        if isinstance(obj, generic.StreamObject):
            stream = pydyf.Stream([obj._data], self._entries(obj, skip=("/Length",)))
            return stream
        if isinstance(obj, generic.DictionaryObject):
            return pydyf.Dictionary(self._entries(obj))
        raise TypeError(f"cannot bind a {type(obj).__name__}")

    def _entries(self, obj: Any, skip: tuple[str, ...] = ()) -> dict[str, Any]:
        return {
            str(key)[1:]: self.value(value)
            for key, value in obj.items()
            if key not in skip and key != "/Parent"
        }

    def indirect(self, ref: Any) -> Any:
        import pydyf
        from pypdf import generic

        known = self.done.get((self.part, ref.idnum))
        if known is not None:
            return known
        obj = ref.get_object()
        # Added before its contents are copied: they may point back at it (a link at its page).
        if isinstance(obj, generic.StreamObject):
            made: Any = pydyf.Stream([obj._data])
        elif isinstance(obj, generic.DictionaryObject):
            made = pydyf.Dictionary()
        elif isinstance(obj, generic.ArrayObject):
            made = pydyf.Array()
        else:
            made = pydyf.Dictionary()
        self.done[(self.part, ref.idnum)] = made
        if isinstance(obj, generic.StreamObject):
            made.extra = pydyf.Dictionary(self._entries(obj, skip=("/Length",)))
            self.pdf.add_object(made)
        elif isinstance(obj, generic.DictionaryObject):
            self.pdf.add_object(made)
            made.update(self._entries(obj))
            if obj.get("/Type") == "/FontDescriptor":
                self._font(obj, made)
        elif isinstance(obj, generic.ArrayObject):
            self.pdf.add_object(made)
            made.extend(self.value(item) for item in obj)
        else:
            # A number or name kept as an object of its own: written where it is used.
            value = self.value(obj)
            self.done[(self.part, ref.idnum)] = _Direct(value)
            return self.done[(self.part, ref.idnum)]
        return made

    def _font(self, descriptor: Any, made: Any) -> None:
        font_file = descriptor.raw_get("/FontFile2") if "/FontFile2" in descriptor else None
        if font_file is None:
            return
        stream = self.done[(self.part, font_file.idnum)]
        name = str(descriptor.get("/FontName", ""))
        self.fonts.setdefault(name.partition("+")[2] or name, []).append((stream, made))


class _Direct:
    """An object pypdf read as indirect that pydyf writes in place."""

    def __init__(self, value: Any) -> None:
        self.reference = value


def bind(parts: list[Path], target: Path, identifier: bytes) -> int:
    """Join parts (PDFs WeasyPrint drew) into target; returns its size in bytes."""
    import pydyf
    from pypdf import PdfReader

    pdf = pydyf.PDF()
    copier = _Copier(pdf)
    names: dict[bytes, Any] = {}
    outline: list[Any] = []
    for number, path in enumerate(parts):
        copier.part = number
        reader = PdfReader(path)
        # Every page is known before anything is copied: links and destinations point at them.
        made = []
        for page in reader.pages:
            assert page.indirect_reference is not None
            made.append(pydyf.Dictionary({"Type": "/Page", "Parent": pdf.pages.reference}))
            copier.done[(number, page.indirect_reference.idnum)] = made[-1]
            pdf.add_page(made[-1])
        for page, bound in zip(reader.pages, made, strict=True):
            for key in _PAGE_KEYS:
                if "/" + key in page:
                    bound[key] = copier.value(page.raw_get("/" + key))
        root: Any = reader.trailer["/Root"]
        dests = root.get("/Names", {}).get("/Dests", {}).get("/Names", [])
        for at in range(0, len(dests) - 1, 2):
            name = dests[at]
            raw = name.original_bytes if hasattr(name, "original_bytes") else bytes(name)
            if raw not in names:
                names[raw] = copier.value(dests[at + 1])
        if "/Outlines" in root:
            outline.extend(_read_outline(root["/Outlines"].get_object(), copier))
        if number == 0:
            info = reader.trailer.get("/Info")
            for key, value in (info.get_object() if info is not None else {}).items():
                pdf.info[str(key)[1:]] = copier.value(value)
            if "/Lang" in root:
                pdf.catalog["Lang"] = copier.value(root["/Lang"])
    _merge_fonts(pdf, copier.fonts)
    if names:
        array = pydyf.Array()
        for raw in sorted(names):
            array.append(pydyf.String(raw))
            array.append(names[raw])
        pdf.catalog["Names"] = pydyf.Dictionary({"Dests": pydyf.Dictionary({"Names": array})})
    if outline:
        _write_outline(pdf, outline)
    target.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    pdf.write(buffer, version=b"1.7", identifier=identifier, compress=True)
    data = buffer.getvalue()
    partial = target.with_name(target.name + ".part")
    partial.write_bytes(data)
    partial.replace(target)
    return len(data)


def _read_outline(node: Any, copier: _Copier) -> list[tuple[Any, Any, list[Any], bool]]:
    """A part's bookmarks, each as (title, destination, children, closed)."""
    found = []
    item = node.get("/First")
    while item is not None:
        item = item.get_object()
        closed = int(item.get("/Count", 0)) < 0
        children = _read_outline(item, copier)
        found.append((copier.value(item["/Title"]), copier.value(item["/Dest"]), children, closed))
        item = item.get("/Next")
    return found


def _write_outline(pdf: Any, items: list[Any], parent: Any = None) -> int:
    """Bookmarks as WeasyPrint writes them: each open one counts its open descendants."""
    import pydyf

    top = parent
    if parent is None:
        top = pydyf.Dictionary()
        pdf.add_object(top)
        pdf.catalog["Outlines"] = top.reference
    count = len(items)
    made: list[Any] = []
    for title, dest, children, closed in items:
        entry = pydyf.Dictionary({"Title": title, "Dest": dest, "Parent": top.reference})
        pdf.add_object(entry)
        shown = _write_outline(pdf, children, entry) if children else 0
        entry["Count"] = -shown if closed else shown
        if not closed:
            count += shown
        if made:
            entry["Prev"] = made[-1].reference
            made[-1]["Next"] = entry.reference
        made.append(entry)
    if made:
        top["First"] = made[0].reference
        top["Last"] = made[-1].reference
    if parent is None:
        top["Count"] = count
    return count


def _merge_fonts(pdf: Any, fonts: dict[str, list[Any]]) -> None:
    """One subset of each font for all parts: the glyphs of its subsets, at their places."""
    for uses in fonts.values():
        streams = list({id(stream): stream for stream, _descriptor in uses}.values())
        if len(streams) < 2:
            continue
        merged = _merged_subset(streams)
        if merged is None:
            continue
        for stream in streams[1:]:
            stream.stream = []
        first = streams[0]
        first.stream = [zlib.compress(merged)]
        first.extra["Filter"] = "/FlateDecode"
        first.extra.pop("DecodeParms", None)
        first.extra["Length1"] = len(merged)
        for _stream, descriptor in uses:
            descriptor["FontFile2"] = first.reference
    # Streams emptied above are no longer used; pydyf writes every object it was given, so
    # they are left as empty streams of a few bytes.


def _merged_subset(streams: list[Any]) -> bytes | None:
    """The subsets' glyphs in one font; None where they are not subsets of one font."""
    from fontTools.ttLib import TTFont

    try:
        fonts = [TTFont(io.BytesIO(_decoded(stream))) for stream in streams]
        if any("glyf" not in font or "hmtx" not in font for font in fonts):
            return None
        fonts.sort(key=lambda font: -len(font.getGlyphOrder()))
        base = fonts[0]
        order = base.getGlyphOrder()
        glyf, hmtx = base["glyf"], base["hmtx"]
        for other in fonts[1:]:
            # The same glyph may go by another name in another subset: places are what count.
            places = other.getReverseGlyphMap()
            for gid, name in enumerate(other.getGlyphOrder()):
                glyph = other["glyf"][name]
                if _empty(glyph) or not _empty(glyf[order[gid]]):
                    continue
                glyph = copy.deepcopy(glyph)
                for component in getattr(glyph, "components", None) or []:
                    component.glyphName = order[places[component.glyphName]]
                glyf[order[gid]] = glyph
                hmtx[order[gid]] = other["hmtx"][name]
        base.recalcTimestamp = False
        out = io.BytesIO()
        base.save(out)
        return out.getvalue()
    except Exception:  # a font fontTools cannot read or write: its subsets stay as they are
        return None


def _empty(glyph: Any) -> bool:
    return bool(glyph.numberOfContours == 0)


def _decoded(stream: Any) -> bytes:
    data = b"".join(stream.stream)
    if stream.extra.get("Filter") in (b"/FlateDecode", "/FlateDecode"):
        return zlib.decompress(data)
    return data
