"""The fonts every PDF is set in, named by file so that every machine renders the same pages.

Fonts are looked up by file name in a few known folders (or in the folders
listed in PACKGEN_FONT_DIRS) and handed to WeasyPrint through @font-face
rules, so what fontconfig happens to prefer on a machine never matters.

Form fields need a font of their own: PDF viewers draw what a reader types
with the field's font, so WeasyPrint embeds that font whole instead of only
the glyphs on the page. A whole Noto Sans would add half a megabyte to each
log, so fields get a copy cut down to what a typist of the language's script
types: its letters, digits and punctuation, and the Latin ones beside Arabic.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import version
from pathlib import Path

from packgen.errors import BuildFailed
from packgen.fingerprint import file_digest
from packgen.output import source_date_epoch

log = logging.getLogger(__name__)

FONT_DIRS_ENV = "PACKGEN_FONT_DIRS"
DEFAULT_FONT_DIRS = (
    "/usr/share/fonts/truetype/noto",
    "/usr/share/fonts/noto",
    "/usr/share/fonts/google-noto",
    "/usr/local/share/fonts",
    "~/.local/share/fonts",
)
DEBIAN_PACKAGE = "fonts-noto-core"
FONTS_FOLDER = "fonts"

TEXT_FAMILY = "packgen-text"
ARABIC_FAMILY = "packgen-arabic"
FIELD_FAMILY = "packgen-field"


@dataclass(frozen=True)
class Face:
    """One font file and the CSS family, weight and style it stands for."""

    family: str
    file: str
    weight: int = 400
    style: str = "normal"


FACES = (
    Face(TEXT_FAMILY, "NotoSans-Regular.ttf"),
    Face(TEXT_FAMILY, "NotoSans-Bold.ttf", 700),
    Face(TEXT_FAMILY, "NotoSans-Italic.ttf", 400, "italic"),
    Face(TEXT_FAMILY, "NotoSans-BoldItalic.ttf", 700, "italic"),
    Face(ARABIC_FAMILY, "NotoNaskhArabic-Regular.ttf"),
    Face(ARABIC_FAMILY, "NotoNaskhArabic-Bold.ttf", 700),
)

_BASIC = ((0x20, 0x7E), (0xA0, 0xFF), (0x2010, 0x2027), (0x2030, 0x203A), (0x20AC, 0x20AC))
"""Letters, digits and punctuation of English, French and other western European languages."""
_LATIN_MORE = (
    (0x100, 0x17F),  # Latin Extended-A: central European, Turkish, Maltese, ŋ
    (0x218, 0x21B),  # Romanian ș ț
    # The hooked and open letters of Hausa, Fula, Bambara, Lingala and other African
    # languages (Ɓ ɓ Ɗ ɗ Ƙ ƙ Ƴ ƴ Ɛ ɛ Ɔ ɔ Ɲ ɲ ...), for names typed in any language.
    *((c, c) for c in (0x181, 0x186, 0x189, 0x18A, 0x18E, 0x190, 0x194, 0x198, 0x199)),
    *((c, c) for c in (0x19D, 0x1B2, 0x1B3, 0x1B4, 0x253, 0x254, 0x256, 0x257, 0x25B)),
    *((c, c) for c in (0x263, 0x272, 0x28B)),
)
_LATIN = ("NotoSans-Regular.ttf", (*_BASIC, *_LATIN_MORE))
"""What a typist of a Latin-script language types: its letters, digits and punctuation.

Not Greek or Cyrillic: the font is embedded whole in every log, and every glyph costs."""
_ARABIC = (
    (0x60C, 0x60C),  # comma
    (0x61B, 0x61B),  # semicolon
    (0x61F, 0x61F),  # question mark
    (0x621, 0x652),  # letters and harakat
    (0x660, 0x66D),  # Arabic-Indic digits, percent and separators
    (0x670, 0x671),  # superscript alef, alef wasla
    # The letters Persian, Urdu, Pashto and Kurdish add, and their digits.
    *((c, c) for c in (0x679, 0x67E, 0x686, 0x688, 0x691, 0x698, 0x6A4, 0x6A9, 0x6AF)),
    *((c, c) for c in (0x6BA, 0x6BE, 0x6C1, 0x6C3, 0x6CC, 0x6D2, 0x6D4)),
    (0x6F0, 0x6F9),
    # The presentation forms: the field font has no shaping tables, so the viewers that
    # join typed letters do it by choosing these.
    (0xFB50, 0xFBFF),
    (0xFE70, 0xFEFF),
)
FIELD_SCRIPTS: dict[str, tuple[tuple[str, tuple[tuple[int, int], ...]], ...]] = {
    "latin": (_LATIN,),
    # Readers of Arabic type Latin names too (UNHCR, a place, an email address): the Arabic
    # letters, then the Latin ones.
    "arabic": (("NotoNaskhArabic-Regular.ttf", _ARABIC), _LATIN),
}
_ARABIC_SCRIPT = {"ar", "fa", "ur", "ps", "ckb", "sd", "ug", "ks"}


def field_script(lang: str) -> str:
    """Which cut-down field font suits what readers of lang type."""
    base = lang.replace("_", "-").split("-")[0].lower()
    return "arabic" if base in _ARABIC_SCRIPT else "latin"


def font_dirs() -> list[Path]:
    configured = os.environ.get(FONT_DIRS_ENV)
    names = configured.split(os.pathsep) if configured else DEFAULT_FONT_DIRS
    return [Path(name).expanduser() for name in names if name]


def _find(name: str, dirs: list[Path]) -> Path | None:
    for folder in dirs:
        if (folder / name).is_file():
            return folder / name
    for folder in dirs:
        if folder.is_dir():
            found = next(iter(sorted(folder.rglob(name))), None)
            if found is not None:
                return found
    return None


def digest(path: Path) -> str:
    """Content hash of a font or image file, read again only when the file changed."""
    stat = path.stat()
    return _digest(path, stat.st_mtime_ns, stat.st_size)


@cache
def _digest(path: Path, _mtime: int, _size: int) -> str:
    return file_digest(path)


@dataclass
class Fonts:
    """The font files found for this build, and the cut-down field font of each script."""

    faces: dict[Face, Path]
    fields: dict[str, Path] = field(default_factory=dict)

    def css(self, lang: str) -> str:
        """@font-face rules by absolute file URL; print.css names the families."""
        rules = [
            _font_face(face.family, path, face.weight, face.style)
            for face, path in self.faces.items()
        ]
        rules.append(_font_face(FIELD_FAMILY, self.fields[field_script(lang)]))
        return "\n".join(rules) + "\n"

    def files(self, lang: str) -> list[Path]:
        return [*self.faces.values(), self.fields[field_script(lang)]]


def _font_face(family: str, path: Path, weight: int = 400, style: str = "normal") -> str:
    return (
        f'@font-face {{ font-family: "{family}"; src: url("{path.as_uri()}"); '
        f"font-weight: {weight}; font-style: {style}; }}"
    )


def find_fonts(work: Path) -> Fonts:
    """Every font file the PDFs need; stops the build with install advice when one is missing."""
    dirs = font_dirs()
    faces: dict[Face, Path] = {}
    missing: list[str] = []
    for face in FACES:
        path = _find(face.file, dirs)
        if path is None:
            missing.append(face.file)
        else:
            faces[face] = path
    if missing:
        looked = ", ".join(str(d) for d in dirs)
        raise BuildFailed(
            f"the printable PDFs need the font file{'s' * (len(missing) > 1)} "
            f"{', '.join(missing)}, not found in {looked}. On Debian or Ubuntu install them "
            f"with `sudo apt-get install {DEBIAN_PACKAGE}` (or run `make build` as root); "
            f"elsewhere, put the Noto font files in a folder and list it in {FONT_DIRS_ENV}"
        )
    by_file = {face.file: path for face, path in faces.items()}
    fonts = Fonts(faces)
    for script, parts in FIELD_SCRIPTS.items():
        sources = tuple((by_file[name], ranges) for name, ranges in parts)
        fonts.fields[script] = _field_font(sources, script, work / FONTS_FOLDER)
    return fonts


def _field_font(
    sources: tuple[tuple[Path, tuple[tuple[int, int], ...]], ...], script: str, folder: Path
) -> Path:
    """The source fonts cut down to their ranges and made one, kept for the next build."""
    recipe = " ".join(f"{digest(path)} {ranges}" for path, ranges in sources)
    recipe += f" fonttools {version('fonttools')}"
    name = f"field-{script}-{hashlib.sha256(recipe.encode()).hexdigest()[:16]}.ttf"
    target = folder / name
    if target.is_file():
        return target
    cut = [_cut_down(path, ranges) for path, ranges in sources]
    data = cut[0] if len(cut) == 1 else _merged(cut)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob(f"field-{script}-*.ttf"):
        old.unlink()
    partial = target.with_suffix(".part")
    partial.write_bytes(data)
    partial.replace(target)
    log.debug("cut the %s field font down to %d bytes", script, target.stat().st_size)
    return target


def _merged(fonts: list[bytes]) -> bytes:
    """One font with the letters of each; the first font's win where two have a character."""
    from fontTools import merge
    from fontTools.ttLib import TTFont

    # fontTools dates the merged font from SOURCE_DATE_EPOCH and fails on a bad value: say
    # what is wrong with it first. The font keeps the first font's dates, so that its bytes
    # (embedded in every log) depend on the sources alone, not on when it was made.
    source_date_epoch()
    first = TTFont(io.BytesIO(fonts[0]))
    merged = merge.Merger().merge([io.BytesIO(font) for font in fonts])
    merged["head"].created = first["head"].created
    merged["head"].modified = first["head"].modified
    merged.recalcTimestamp = False
    buffer = io.BytesIO()
    merged.save(buffer)
    return buffer.getvalue()


def _cut_down(source: Path, ranges: tuple[tuple[int, int], ...]) -> bytes:
    """The font at source with only the characters in ranges and no layout tables."""
    from fontTools import subset

    options = subset.Options()
    options.hinting = False
    options.layout_features = []
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.drop_tables += ["GSUB", "GPOS", "GDEF"]
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[c for low, high in ranges for c in range(low, high + 1)])
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()
