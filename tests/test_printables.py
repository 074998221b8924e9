"""The printable PDFs: what each language gets, what is inside, and that builds repeat exactly."""

from __future__ import annotations

import io
import re
import shutil
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from packgen.build import build
from packgen.cli import main
from packgen.errors import BuildFailed, UsageProblem
from packgen.i18n.localise import localise
from packgen.model import LearningLog
from packgen.paths import DEFAULTS_DIR
from packgen.printables.documents import printables
from packgen.resolve import load_pack

from .conftest import EXERCISE_YML, FIXTURES, PACK_YML, READERS_EPOCH, make_pack

A4 = (595.28, 841.89)
LETTER = (612.0, 792.0)

LOG_YML = """\
id: quick-log
kind: learning-log
title: Quick log
summary: Kept after each session.
filled_by: set
fields:
  - id: date
    label: Date
    type: date
    required: true
  - id: notes
    label: What did we learn?
    help: A sentence or two.
    type: long-text
    sharing: confidential
  - id: format
    label: How we met
    type: choice
    choices: [In person, By phone]
  - id: topics
    label: Topics
    type: multiple-choice
    choices: [Time, People, Money]
"""

CHECKLIST = """\
checklist:
  before: [Book a quiet room.]
  after: [Write down the action.]
"""

SMALL_PACK = PACK_YML.replace("languages: [en, fr, ar]", "languages: [en, ar]") + (
    "  - exercise: quick-log\n"
)


def small_pack(root: Path, pack_yml: str = SMALL_PACK) -> Path:
    """Two languages, one exercise with a checklist and one log: every kind of PDF, quickly."""
    return make_pack(
        root,
        {
            "pack.yml": pack_yml,
            "exercises/first-steps.yml": EXERCISE_YML + CHECKLIST,
            "exercises/quick-log.yml": LOG_YML,
        },
    )


def normalised(text: str) -> str:
    """Text as extracted from a PDF, compared without ligature forms, vowel marks or spacing."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(c for c in text if not unicodedata.combining(c) and c != "\u0640")
    return " ".join(text.split())


def text_of(pdf: Path) -> str:
    return normalised(" ".join(page.extract_text() for page in PdfReader(pdf).pages))


def field_names(pdf: Path) -> list[str]:
    form = PdfReader(pdf).trailer["/Root"]["/AcroForm"]
    return [str(field.get_object()["/T"]) for field in form["/Fields"]]


def page_size(pdf: Path) -> tuple[float, float]:
    box = PdfReader(pdf).pages[0].mediabox
    return float(box.width), float(box.height)


def pdfs(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.pdf"))}


READERS = FIXTURES / "readers"
EXPECTED = [
    "readers.pdf",
    "mini-log.pdf",
    "checklists/quick-round.pdf",
    "guides/quick-round.pdf",
    "guides/story-circle.pdf",
]
"""The readers fixture's PDFs: the whole pack, its log, one checklist and a guide per exercise."""


@pytest.fixture(scope="module")
def readers_pack():
    pack, problems = load_pack(READERS)
    assert pack is not None and not problems.errors
    return pack, problems


@pytest.mark.parametrize("lang", ["en", "fr", "ar"])
def test_every_pdf_exists_in_every_language_and_opens(readers_build, lang):
    work, report = readers_build
    downloads = work / "site" / lang / "downloads"
    assert sorted(pdfs(downloads)) == sorted(EXPECTED)
    for name in EXPECTED:
        reader = PdfReader(downloads / name)
        assert len(reader.pages) >= 1
        assert reader.trailer["/Root"]["/Lang"] == lang
        assert reader.metadata.title
    assert report.pdfs_rendered == 3 * len(EXPECTED)


def test_checklists_fit_on_one_page_and_stay_small(readers_build, readers_pack):
    work, _ = readers_build
    pack, problems = readers_pack
    # Facilitator checklists only: an assessment's scoring sheet runs over several pages.
    names = [p.name for p in printables(localise(pack, "en", problems)) if p.kind == "checklist"]
    assert names == ["checklists/quick-round.pdf"]
    for lang in ("en", "fr", "ar"):
        for name in names:
            checklist = work / "site" / lang / "downloads" / name
            assert len(PdfReader(checklist).pages) == 1, checklist
            assert checklist.stat().st_size < 60_000, checklist
        size = (work / "site" / lang / "downloads/mini-log.pdf").stat().st_size
        assert size < 150_000, f"{lang}/mini-log.pdf: {size} bytes"
        assert (work / "site" / lang / "downloads/readers.pdf").stat().st_size < 600_000


@pytest.mark.parametrize("lang", ["en", "fr", "ar"])
def test_logs_have_one_form_field_per_log_field(readers_build, readers_pack, lang):
    work, _ = readers_build
    pack, _ = readers_pack
    log = pack.definitions["mini-log"]
    assert isinstance(log, LearningLog)
    pdf = work / "site" / lang / "downloads/mini-log.pdf"
    assert field_names(pdf) == [field.id for field in log.fields]
    fields = PdfReader(pdf).get_fields()
    for field in log.fields:
        kind = fields[field.id]["/FT"]
        assert kind == ("/Btn" if field.type == "choice" else "/Tx"), field.id
    assert {f.type for f in log.fields} >= {"choice", "date"}
    # The whole pack prints the logs without form fields: one form per file is enough.
    assert (
        "/AcroForm"
        not in PdfReader(work / "site" / lang / "downloads/readers.pdf").trailer["/Root"]
    )


def test_arabic_pdfs_contain_their_arabic_titles(readers_build, readers_pack):
    work, _ = readers_build
    pack, problems = readers_pack
    loc = localise(pack, "ar", problems)
    arabic = []
    for printable in printables(loc):
        # Every title stands on the first page: the cover, or the top of the document.
        first_page = PdfReader(work / "site/ar/downloads" / printable.name).pages[0]
        assert normalised(printable.title) in normalised(first_page.extract_text()), printable
        if re.search("[\u0600-\u06ff]", printable.title):
            arabic.append(printable.name)
    # The titles that have a translation really are in Arabic: the pack's and quick round's.
    assert arabic == ["readers.pdf", "checklists/quick-round.pdf", "guides/quick-round.pdf"]


def test_footer_shows_the_pack_title_and_page_numbers(readers_build):
    work, _ = readers_build
    guide = work / "site/en/downloads/guides/quick-round.pdf"
    text = text_of(guide)
    pages = len(PdfReader(guide).pages)
    assert text.count("Readers pack") == pages
    assert f"1 / {pages}" in text and f"{pages} / {pages}" in text


def test_guide_has_a_session_plan_from_the_default_start_time(readers_build):
    work, _ = readers_build
    text = text_of(work / "site/en/downloads/guides/quick-round.pdf")
    assert "Session plan" in text
    assert "9:00 AM – 9:05 AM" in text  # the first step takes 5 minutes
    assert "9:00 AM – 9:30 AM" in text  # the whole 30-minute session
    french = text_of(work / "site/fr/downloads/guides/quick-round.pdf")
    assert "09:00 – 09:05" in french


def outline_titles(items: list) -> list[str]:
    titles: list[str] = []
    for item in items:
        titles.extend(outline_titles(item) if isinstance(item, list) else [item.title])
    return titles


def test_whole_pack_has_cover_contents_bookmarks_and_every_entry(readers_build):
    work, _ = readers_build
    reader = PdfReader(work / "site/en/downloads/readers.pdf")
    cover = normalised(reader.pages[0].extract_text())
    assert "Readers pack" in cover and "English" in cover
    contents = normalised(reader.pages[1].extract_text())
    assert contents.startswith("Contents")
    for title in ("Finding words", "Quick round", "Story circle", "Mini log"):
        assert re.search(re.escape(title) + r" ?\.+ ?\d+", contents), title
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    assert top == ["Contents", "Welcome", "Finding words", "Exercises"]
    everything = outline_titles(reader.outline)
    assert {"Quick round", "Story circle", "Mini log"} <= set(everything)
    assert everything.count("Facilitator checklist") == 1  # only quick round has one
    # The downloads and translation status pages are about the website: not printed.
    assert "Print and download" not in everything and "Translation status" not in everything


def test_the_catalogue_is_a_chapter_of_the_whole_pack(mini_site):
    everything = outline_titles(PdfReader(mini_site / "site/en/downloads/mini.pdf").outline)
    assert "All exercises and tools" in everything
    assert "Translation status" not in everything


def test_a4_by_default(readers_build):
    work, _ = readers_build
    found = list((work / "site/fr/downloads").rglob("*.pdf"))
    assert len(found) == len(EXPECTED)
    for pdf in found:
        assert page_size(pdf) == pytest.approx(A4, abs=0.5), pdf


def test_a_second_build_renders_nothing_and_gives_the_same_files(
    readers_build, tmp_path, monkeypatch
):
    work, first = readers_build
    monkeypatch.setenv("SOURCE_DATE_EPOCH", READERS_EPOCH)
    again = build(READERS, tmp_path / "site", work_dir=work / "build")
    assert (again.pdfs_rendered, again.pdfs_reused) == (0, first.pdfs_rendered)
    for lang in ("en", "fr", "ar"):
        assert pdfs(tmp_path / "site" / lang) == pdfs(work / "site" / lang)


def test_pages_link_their_pdfs_in_the_readers_language(readers_build):
    work, _ = readers_build
    site = work / "site"
    exercise = (site / "fr/exercises/quick-round.html").read_text(encoding="utf-8")
    assert 'href="../downloads/guides/quick-round.pdf"' in exercise
    assert 'href="../downloads/checklists/quick-round.pdf"' in exercise
    assert "Guide du facilitateur (PDF)" in exercise
    log = (site / "ar/exercises/mini-log.html").read_text(encoding="utf-8")
    assert 'href="../downloads/mini-log.pdf"' in log and "السجل للطباعة (PDF)" in log
    home = (site / "en/index.html").read_text(encoding="utf-8")
    assert 'href="downloads/readers.pdf"' in home
    assert 'href="downloads.html"' in home
    listing = (site / "fr/downloads.html").read_text(encoding="utf-8")
    for name in EXPECTED:
        assert f'href="downloads/{name}"' in listing
    assert re.search(r"\d+\s?ko\b", listing)  # sizes, in French units
    for page in site.rglob("*.html"):
        for target in re.findall(r'href="([^"#]+\.pdf)"', page.read_text(encoding="utf-8")):
            assert (page.parent / target).is_file(), f"{page}: {target}"


EPOCH = "1700000000"


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """The small pack built once with SOURCE_DATE_EPOCH set: (pack folder, site, work folder)."""
    root = small_pack(tmp_path_factory.mktemp("small") / "pack")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        report = build(root, root.parent / "site", work_dir=root.parent / "work")
    assert (report.pdfs_rendered, report.pdfs_reused) == (8, 0)
    return root, root.parent / "site", root.parent / "work"


def test_builds_are_reproducible_and_honour_source_date_epoch(small, tmp_path, monkeypatch):
    root, site, work = small
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    # Another output folder and an empty work folder: nothing can be reused.
    again = build(root, tmp_path / "site", work_dir=tmp_path / "work")
    assert again.pdfs_rendered == 8
    first, second = pdfs(site), pdfs(tmp_path / "site")
    assert len(first) == 8 and first == second
    for name, data in first.items():
        assert str(work).encode() not in data and str(tmp_path).encode() not in data, name
    metadata = PdfReader(site / "ar/downloads/quick-log.pdf").metadata
    assert metadata["/CreationDate"] == metadata["/ModDate"] == "D:20231114221320Z"


def test_a_changed_exercise_renders_only_the_pdfs_it_is_in(small, tmp_path, monkeypatch):
    root, _, work = small
    shutil.copytree(root, tmp_path / "pack")
    shutil.copytree(work, tmp_path / "work")
    exercise = tmp_path / "pack/exercises/first-steps.yml"
    exercise.write_text(exercise.read_text().replace("Ask open questions.", "Ask one question."))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    report = build(tmp_path / "pack", tmp_path / "site", work_dir=tmp_path / "work")
    # The guide and the whole pack, in each language; checklist and log are unchanged.
    assert (report.pdfs_rendered, report.pdfs_reused) == (4, 4)
    assert "Ask one question." in text_of(tmp_path / "site/ar/downloads/guides/first-steps.pdf")


def test_set_log_fields_show_help_required_and_sharing(small):
    _, site, _ = small
    pdf = site / "en/downloads/quick-log.pdf"
    text = text_of(pdf)
    for expected in (
        "One copy per meeting, filled in for the whole set.",
        "Stays within the set.",
        "A sentence or two.",
        "Confidential",
        "Shareable",
        "Tick one.",
        "Tick all that apply.",
    ):
        assert expected in text
    assert field_names(pdf) == ["date", "notes", "format", "topics"]
    fields = PdfReader(pdf).get_fields()
    assert fields["notes"]["/Ff"] & (1 << 12)  # multi-line text
    assert sorted(fields["format"]["/_States_"]) == ["/0", "/1"]
    assert [k for k in fields if k.startswith("topics.")] == ["topics.1", "topics.2", "topics.3"]


def test_print_settings_paper_and_start_time(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    pack_yml = SMALL_PACK + 'print:\n  paper: Letter\n  start_time: "14:30"\n'
    root = small_pack(tmp_path / "pack", pack_yml)
    build(root, tmp_path / "site", ["en"])
    for pdf in (tmp_path / "site").rglob("*.pdf"):
        assert page_size(pdf) == pytest.approx(LETTER, abs=0.5), pdf
        # Without SOURCE_DATE_EPOCH a PDF carries no date at all, so every build matches.
        assert "/CreationDate" not in PdfReader(pdf).metadata
    text = text_of(tmp_path / "site/en/downloads/guides/first-steps.pdf")
    assert "2:30 PM – 2:40 PM" in text and "2:40 PM – 2:45 PM" in text


def test_bad_print_settings_are_reported_at_their_line(write_pack):
    pack_yml = PACK_YML + "print:\n  paper: A5\n  start_time: 9h30\n"
    result = CliRunner().invoke(main, ["check", str(write_pack({"pack.yml": pack_yml}))])
    assert result.exit_code == 1
    assert "pack.yml:8:10: print.paper: expected one of A4, Letter; found 'A5'" in result.output
    assert "pack.yml:9:15: print.start_time: expected a time on the 24-hour clock" in result.output
    unquoted = PACK_YML + "print:\n  start_time: 14:30\n"
    result = CliRunner().invoke(main, ["check", str(write_pack({"pack.yml": unquoted}))])
    assert 'write the time in quotes, like "14:30"' in result.output
    assert "Traceback" not in result.output


def test_a_tailored_pack_overrides_print_templates(tmp_path):
    small_pack(tmp_path / "base")
    child = tmp_path / "child"
    (child / "templates/print").mkdir(parents=True)
    (child / "pack.yml").write_text(
        "id: child\ntitle: Child pack\nlanguages: [en]\nextends: ../base\n"
    )
    (child / "templates/print/checklist.html.j2").write_text(
        '{% extends "print/_layout.html.j2" %}\n'
        "{% block body %}<h1>Field office checklist: {{ exercise.title }}</h1>{% endblock %}\n"
    )
    base_css = (DEFAULTS_DIR / "templates/print/print.css").read_text()
    css = base_css + "\n@page { margin: 40mm; }\n.pg-head { colour: red; }\n"
    (child / "templates/print/print.css").write_text(css)
    report = build(child, child / "site")
    checklist = text_of(child / "site/en/downloads/checklists/first-steps.pdf")
    assert checklist.startswith("Field office checklist: First steps")
    guide = child / "build/en/print/guides/first-steps.html"
    assert guide.is_file()  # the print HTML is kept for inspection, next to the PDFs
    assert "Facilitator guide" in text_of(child / "site/en/downloads/guides/first-steps.pdf")
    # A mistake in the stylesheet is reported once, at its line in the pack's own copy.
    [mistake] = [w for w in report.warnings if "colour" in w.message]
    assert mistake.location.path.endswith("child/templates/print/print.css")
    assert mistake.location.line == len(css.splitlines())
    assert mistake.message.endswith("unknown property. (in 4 PDFs)")


def test_missing_fonts_stop_the_build_with_install_advice(write_pack, tmp_path, monkeypatch):
    monkeypatch.setenv("PACKGEN_FONT_DIRS", str(tmp_path / "no-fonts"))
    root = write_pack()
    with pytest.raises(
        BuildFailed, match=r"NotoSans-Regular\.ttf.*apt-get install fonts-noto-core"
    ):
        build(root, tmp_path / "site", ["en"])
    result = CliRunner().invoke(main, ["build", str(root), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "fonts-noto-core" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "o").exists()


def test_a_bad_source_date_epoch_is_a_usage_error(write_pack, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(UsageProblem, match="SOURCE_DATE_EPOCH='yesterday'"):
        build(write_pack(), tmp_path / "site", ["en"])


def test_a_log_id_may_not_take_the_whole_packs_file_name(write_pack):
    log = LOG_YML.replace("id: quick-log", "id: tiny")
    _, problems = load_pack(write_pack({"exercises/tiny.yml": log}))
    [error] = problems.errors
    assert "downloads/tiny.pdf" in error.message and error.location.line == 1


def test_cover_shows_the_organisation_and_its_logo(write_pack, tmp_path):
    from PIL import Image

    pack_yml = PACK_YML + "organisation:\n  name: Field Network\n  logo: content/img/logo.png\n"
    map_svg = "<svg xmlns='http://www.w3.org/2000/svg' width='40' height='20'/>"
    index = "# Tiny home\n\n![A map](img/map.svg) ![Lost](img/lost.png)\n"
    root = write_pack(
        {"pack.yml": pack_yml, "content/img/map.svg": map_svg, "content/index.md": index}
    )
    Image.new("RGB", (40, 20), (0, 128, 128)).save(root / "content/img/logo.png")
    report = build(root, tmp_path / "site", ["en"])
    reader = PdfReader(tmp_path / "site/en/downloads/tiny.pdf")
    cover = reader.pages[0]
    assert "Field Network" in cover.extract_text()
    [logo] = cover.images
    assert logo.image.size == (40, 20)
    assert reader.metadata["/Author"] == "Field Network"
    [lost] = [w for w in report.warnings if "lost.png" in w.message and "PDFs" in w.message]
    assert lost.location.path.endswith("content/index.md")
    assert "the PDFs show its description instead" in lost.message


BOOK_PACK = """\
id: book
title: Book pack
summary: Short pages to read in order.
languages: [en, ar]
organisation:
  name: Field Network
print:
  edition: Second edition
  licence: CC BY 4.0
contents:
  - page: index.md
  - section: Basics
    contents:
      - page: one.md
      - page: two.md
      - page: three.md
  - exercise: first-steps
"""


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    """A pack with a section of three short pages and links between them, built in en and ar."""
    root = make_pack(
        tmp_path_factory.mktemp("book") / "pack",
        {
            "pack.yml": BOOK_PACK,
            "content/index.md": "# Book home\n\n"
            "Read [Page two](two.md), then try [the exercise](exercises/first-steps.md).\n",
            **{
                f"content/{name}.md": f"# Page {name}\n\nA short page, {name} paragraph long.\n"
                for name in ("one", "two", "three")
            },
        },
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        build(root, root.parent / "site", work_dir=root.parent / "work")
    return root.parent / "site"


def page_texts(pdf: Path) -> list[str]:
    return [normalised(page.extract_text()) for page in PdfReader(pdf).pages]


def test_cover_gives_publisher_edition_date_licence_and_language(book):
    en = page_texts(book / "en/downloads/book.pdf")[0]
    for expected in (
        "Field Network",
        "Book pack",
        "Short pages to read in order.",
        "Edition Second edition · November 14, 2023",
        "Language English",
        "Licence CC BY 4.0",
    ):
        assert expected in en
    ar = page_texts(book / "ar/downloads/book.pdf")[0]
    assert "Field Network" in ar and "CC BY 4.0" in ar
    assert "نوفمبر" in ar and "العربية" in ar  # the date and the language, in Arabic
    # The single PDFs name the organisation in their footer, beside the page number.
    guide = page_texts(book / "en/downloads/guides/first-steps.pdf")[0]
    assert guide.endswith("Field Network · Book pack 1 / 1")


def test_cover_lines_must_be_short_single_lines(write_pack):
    pack_yml = PACK_YML + "print:\n  edition: |\n    First\n    edition\n  licence: " + "x" * 201
    result = CliRunner().invoke(main, ["check", str(write_pack({"pack.yml": pack_yml}))])
    assert result.exit_code == 1
    assert "pack.yml:8:12: print.edition: expected one line of at most 80 characters" in (
        result.output
    )
    assert "print.licence: expected one line of at most 200 characters" in result.output
    assert "Traceback" not in result.output


def test_short_pages_of_a_section_share_a_page_and_parts_start_one(book):
    pages = page_texts(book / "en/downloads/book.pdf")

    def page_of(title: str) -> int:
        [found] = [n for n, text in enumerate(pages, start=1) if title in text]
        return found

    # Cover, contents, home, the section's three pages together, then the exercise, which
    # is a part of its own (an entry of the menu's top level).
    assert page_of("Page one A short page") == page_of("Page three A short page") == 4
    assert pages[4].startswith("Challenge clinic First steps")
    assert len(pages) == 5


def test_links_read_as_references_with_their_page(book):
    home = page_texts(book / "en/downloads/book.pdf")[2]
    assert "Read “Page two” (p. 4), then try “the exercise” (p. 5)." in home
    # In Arabic, the reader's quotation marks, and packgen's Arabic word for the page.
    ar = page_texts(book / "ar/downloads/book.pdf")[2]
    assert "«Page two» (ص 4)" in ar


def effective_sizes(pdf: Path) -> dict[str, set[float]]:
    """Each run of text on a PDF's pages and the sizes, in points, it is set in."""
    sizes: dict[str, set[float]] = {}

    def visit(text, cm, tm, _font, size):
        if text.strip():
            scale = (tm[2] ** 2 + tm[3] ** 2) ** 0.5 * (cm[2] ** 2 + cm[3] ** 2) ** 0.5
            sizes.setdefault(text.strip(), set()).add(round(size * scale, 2))

    for page in PdfReader(pdf).pages:
        page.extract_text(visitor_text=visit)
    return sizes


def test_hints_and_tags_are_at_least_nine_and_a_half_points(small):
    _, site, _ = small
    log = effective_sizes(site / "en/downloads/quick-log.pdf")
    for hint in ("A sentence or two.", "Tick one.", "Tick all that apply.", "Shareable"):
        assert min(log[hint]) >= 9.5, hint
    assert min(log["Confidential"]) >= 9.5
    guide = effective_sizes(site / "en/downloads/guides/first-steps.pdf")
    small_text = {text for text, sizes in guide.items() if min(sizes) < 9.5}
    # Only the footer (the pack's title, the page number) is smaller.
    assert small_text <= {"Tiny pack", "1 / 1", "Tiny pack 1 / 1"}, small_text


def field_font(pdf: Path) -> tuple[int, set[str]]:
    """The font a viewer types a log's text fields with: its bytes in the file, its letters."""
    from fontTools.ttLib import TTFont

    form = PdfReader(pdf).trailer["/Root"]["/AcroForm"]
    # The font a viewer types with is the one each text field's appearance names.
    [notes] = [f.get_object() for f in form["/Fields"] if f.get_object()["/T"] == "notes"]
    appearance = notes["/DA"]
    name = re.search(r"(/\S+) [\d.]+ Tf", appearance)[1]
    font = form["/DR"]["/Font"][name]
    descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
    stream = descriptor.get_object()["/FontFile2"].get_object()
    characters = set(map(chr, TTFont(io.BytesIO(stream.get_data())).getBestCmap()))
    return len(stream._data), characters


def test_an_arabic_log_field_font_types_latin_and_arabic(small):
    _, site, _ = small
    _, characters = field_font(site / "ar/downloads/quick-log.pdf")
    assert set("UNHCR unhcr 0123456789@.") <= characters
    assert set("مرحبا بالفريق") - {" "} <= characters


@pytest.mark.parametrize(("lang", "budget"), [("en", 20_000), ("ar", 36_000)])
def test_a_log_field_font_holds_what_a_typist_types_and_no_more(small, lang, budget):
    # The field font is embedded whole in every log: a whole Noto Sans would be 40 kB a
    # log, and an Arabic and Latin one 75 kB, a third of a one-language zip in four logs.
    _, site, _ = small
    size, characters = field_font(site / f"{lang}/downloads/quick-log.pdf")
    assert size <= budget, size
    # French and other European letters, and the hooked letters of Hausa or Fula names.
    assert set("àâçéèêëîïôœùûüÿÀÇÉŒ ñäöüßąęłńśźżčřšžğış ɓɗƙƴŋɛɔ €–—«»‘’“”…") - {" "} <= characters
    assert not {c for c in characters if 0x370 <= ord(c) <= 0x4FF}, "no Greek or Cyrillic"


def laid_out_lines(html: str, lang: str, tmp_path: Path) -> list[tuple[str, float]]:
    """Text and width of each line WeasyPrint lays html out in, as packgen draws PDFs."""
    import weasyprint
    from weasyprint.formatting_structure import boxes
    from weasyprint.text.fonts import FontConfiguration

    from packgen.printables import linebreak
    from packgen.printables.fonts import find_fonts

    linebreak.install()
    fonts = FontConfiguration()
    css = find_fonts(tmp_path).css(lang) + (
        'html { font: 11pt "packgen-text", "packgen-arabic"; } p { margin: 0; }'
    )
    direction = "rtl" if lang == "ar" else "ltr"
    document = weasyprint.HTML(
        string=f'<html lang="{lang}" dir="{direction}"><body>{html}</body></html>'
    ).render(stylesheets=[weasyprint.CSS(string=css, font_config=fonts)], font_config=fonts)

    def text(box) -> str:
        if isinstance(box, boxes.TextBox):
            return box.text
        return "".join(text(child) for child in getattr(box, "children", []))

    def lines(box):
        if isinstance(box, boxes.LineBox):
            yield box
        for child in getattr(box, "children", []):
            yield from lines(child)

    return [(text(line).strip(), line.width) for line in lines(document.pages[0]._page_box)]


@pytest.mark.parametrize(
    ("lang", "words", "more"),
    [("en", "alpha beta gamma", "delta"), ("ar", "التعلم من خلال العمل", "مجموعة")],
)
def test_words_that_fill_a_line_before_an_inline_element_stay_on_it(lang, words, more, tmp_path):
    # The words' own width, then a paragraph just that wide where they are followed by a
    # space and an emphasis: only the space overflows, which must not break after one word.
    [(_, width)] = laid_out_lines(f'<div style="float: left">{words}</div>', lang, tmp_path)
    html = f'<p style="width: {width + 0.5}px">{words} <em>{more}</em></p>'
    assert [text for text, _ in laid_out_lines(html, lang, tmp_path)] == [words, more]


def test_the_field_fonts_depend_on_their_sources_alone(tmp_path, monkeypatch):
    from packgen.printables.fonts import find_fonts

    made = []
    for epoch in ("1", "2000000000", None):
        if epoch is None:
            monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
        else:
            monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
        fonts = find_fonts(tmp_path / f"work-{epoch}")
        made.append({script: path.read_bytes() for script, path in fonts.fields.items()})
    assert made[0] == made[1] == made[2]


def test_offline_copies_and_pages_stay_light(readers_build):
    """Size budgets a reader on a slow phone connection feels: zips and exercise pages."""
    work, report = readers_build
    site = work / "site"
    names = {b.name for b in report.bundles}
    assert names == {f"readers-{c}.zip" for c in ("en", "fr", "ar", "all")}
    for bundle in report.bundles:
        assert bundle.size == (site / "downloads" / bundle.name).stat().st_size
        if bundle.lang:
            assert bundle.size <= 1_500_000, (bundle.name, bundle.size)
    for code in ("en", "fr", "ar"):
        pages = sorted(p.stat().st_size for p in (site / code / "exercises").glob("*.html"))
        assert len(pages) == 3 and pages[len(pages) // 2] <= 60_000, (code, pages)
