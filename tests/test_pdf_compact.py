"""Page drawings made smaller (printables/compact.py): fewer bytes, the same page."""

from __future__ import annotations

import io
import shutil
import subprocess
import zlib
from pathlib import Path

import pytest
from pypdf import PdfReader

from packgen.printables.compact import compact_lines, compact_pages

PAGE = """\
<html lang="{lang}" dir="{dir}"><body>
<h1>{title}</h1>
<p>{text}</p>
<div style="border: 2px solid #226; border-radius: 8px; padding: 6px; background: #eef">
<p>{text}</p><p><strong>{text}</strong> <em>{text}</em></p>
</div>
<ul><li>{text}</li><li>(x) \\ y</li></ul>
</body></html>
"""
TEXTS = {
    "en": ("Field notes (draft)", "Ask what happened, then what was expected, and why. " * 6),
    "ar": ("ملاحظات الميدان", "اسأل عمّا حدث، ثم عمّا كان متوقعًا، ولماذا. " * 6),
}


def draw(lang: str, work: Path, compact: bool) -> bytes:
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    from packgen.printables import linebreak
    from packgen.printables.fonts import find_fonts

    linebreak.install()
    fonts = FontConfiguration()
    css = find_fonts(work).css(lang) + 'html { font: 11pt "packgen-text", "packgen-arabic"; }'
    title, text = TEXTS[lang]
    html = PAGE.format(lang=lang, dir="rtl" if lang == "ar" else "ltr", title=title, text=text)
    return weasyprint.HTML(string=html).write_pdf(
        stylesheets=[weasyprint.CSS(string=css, font_config=fonts)],
        font_config=fonts,
        finisher=(lambda _document, pdf: compact_pages(pdf)) if compact else None,
    )


def content_bytes(pdf: bytes) -> int:
    """Compressed bytes of the pages' drawings."""
    return sum(
        len(page.raw_get("/Contents").get_object()._data)
        for page in PdfReader(io.BytesIO(pdf)).pages
    )


def raster(pdf: bytes, folder: Path, name: str) -> list[bytes]:
    """Grey pixels of each page at 100 dpi, as pdftoppm draws them."""
    from PIL import Image

    (folder / f"{name}.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "100", "-gray", folder / f"{name}.pdf", folder / name], check=True
    )
    return [Image.open(png).tobytes() for png in sorted(folder.glob(f"{name}-*.pgm"))]


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils")
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_compacted_pages_look_the_same_and_weigh_less(lang: str, tmp_path: Path):
    plain = draw(lang, tmp_path / "work", compact=False)
    compacted = draw(lang, tmp_path / "work", compact=True)
    # A fifth of the drawing at least is digits and codes no one can see.
    assert content_bytes(compacted) < 0.8 * content_bytes(plain)
    # The text reads the same (the glyph strings, escapes included, mean the same codes)...
    read = [
        [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
        for pdf in (plain, compacted)
    ]
    assert read[0] == read[1] and TEXTS[lang][0] in read[0][0]
    # ...and the pages look the same: moving a line by a hundredth of a pixel changes no
    # pixel but a few antialiased edges, where a wrong move would shift whole lines.
    before, after = raster(plain, tmp_path, "plain"), raster(compacted, tmp_path, "compacted")
    assert len(before) == len(after) >= 1
    for old, new in zip(before, after, strict=True):
        changed = sum(abs(a - b) > 64 for a, b in zip(old, new, strict=True))
        assert changed < len(old) / 2000, changed


def test_lines_of_text_move_from_one_another_and_numbers_are_rounded():
    lines = [
        b"0.75 0 0 0.75 0 0 cm",
        b"0.419608 0.419608 0.419608 rg",
        b"BT",
        b"1 0 0 -1 76.346457 77.944334 Tm",
        b"/F1 14.666016 Tf",
        b"[<0029>0<0044>0<0028>-39<005c>0] TJ",
        b"1 0 0 -1 76.346457 102.023861 Tm",
        b"[<000d>] TJ",
        b"ET",
        b"60.472441 56.692913 672.755906 55.71811 re",
    ]
    assert compact_lines(lines) == [
        b"0.75 0 0 0.75 0 0 cm",
        b"0.42 0.42 0.42 rg",
        b"BT",
        b"1 0 0 -1 76.35 77.94 Tm",
        b"/F1 14.666 Tf",
        b"[(\x00\\)\x00D\x00\\()-39(\x00\\\\)] TJ",
        # The second line 24.08 px lower, in a text space that is flipped upright.
        b"0 -24.08 Td",
        b"[(\x00\\r)] TJ",
        b"ET",
        b"60.47 56.69 672.76 55.72 re",
    ]


def test_a_magnified_page_keeps_the_digits_its_magnification_needs():
    # Drawn ten times larger, a hundredth would show as a tenth: a thousandth is kept.
    assert compact_lines([b"10 0 0 10 0 0 cm", b"1.23456 5.00049 m"]) == [
        b"10 0 0 10 0 0 cm",
        b"1.235 5 m",
    ]
    # Beyond what rounding can keep up with, the page is left as it is.
    huge = [b"100000 0 0 100000 0 0 cm", b"0.000123 1 m"]
    assert compact_lines(huge) == huge


def test_the_compacted_drawing_is_valid_pdf_syntax():
    # A glyph string of bytes that are syntax elsewhere reads back as those bytes.
    [line] = compact_lines([b"[<28295c0d0a>] TJ"])
    assert line == b"[(\\(\\)\\\\\\r\n)] TJ"
    assert zlib.decompress(zlib.compress(line)) == line
