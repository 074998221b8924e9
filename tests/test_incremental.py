"""Incremental builds: a changed input remakes exactly what depends on it, and nothing else.

Each test builds a small fixture pack, changes one input, builds again and
looks at what the second build did (its report, which languages MkDocs
built, which PDFs were drawn) and at the files it left (their times and
inodes). No test measures time.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest

import packgen.build
import packgen.build_stages
import packgen.build_state
import packgen.fingerprint
from packgen.build import build
from packgen.build_state import SITE_RECORD, STATE_FILE
from packgen.errors import BuildFailed, PackInvalid
from packgen.folder_sync import FolderWriter
from packgen.output import keep_unchanged

from .conftest import EXERCISE_YML, WritePack
from .test_i18n import run, translate

SECOND_EXERCISE = EXERCISE_YML.replace("id: first-steps", "id: second-look").replace(
    "title: First steps", "title: Second look"
)
TWO_EXERCISES = {
    "pack.yml": """\
        id: tiny
        title: Tiny pack
        languages: [en, fr]
        contents:
          - page: index.md
          - exercise: first-steps
          - exercise: second-look
        """,
    "exercises/second-look.yml": SECOND_EXERCISE,
}
TEAL = "theme:\n  name: material\n  palette:\n    primary: teal\n"


def files_of(site: Path) -> dict[str, tuple[int, int]]:
    """Each file of a site with its modification time and inode."""
    found = {}
    for path in sorted(site.rglob("*")):
        if path.is_file():
            stat = path.stat()
            found[path.relative_to(site).as_posix()] = (stat.st_mtime_ns, stat.st_ino)
    return found


def rewritten(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> set[str]:
    return {name for name, mark in after.items() if before.get(name) != mark}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def no_stage_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any real work fail the test: a build with nothing to do must not load the pack."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the build did work although nothing had changed")

    monkeypatch.setattr(packgen.build_stages, "load_pack", refuse)
    monkeypatch.setattr(packgen.build_stages, "build_languages", refuse)


def test_a_build_with_nothing_changed_reads_no_definition_and_rewrites_no_file(
    write_pack: WritePack, monkeypatch: pytest.MonkeyPatch
):
    root = write_pack()
    first = build(root, printables=False)
    assert not first.unchanged and first.sites_built == ["en", "fr", "ar"]
    before = files_of(root / "site")
    work_before = files_of(root / "build")

    no_stage_runs(monkeypatch)
    second = build(root, printables=False)

    assert second.unchanged
    assert files_of(root / "site") == before
    assert files_of(root / "build") == work_before
    assert second.languages == first.languages
    assert [(b.name, b.size) for b in second.bundles] == [(b.name, b.size) for b in first.bundles]
    assert second.untranslated == first.untranslated


def test_a_build_with_nothing_changed_says_the_last_builds_warnings_again(
    write_pack: WritePack, monkeypatch: pytest.MonkeyPatch
):
    root = write_pack({"mkdocs.yml": TEAL})
    first = build(root, printables=False)
    said = [str(p) for p in first.warnings]
    assert any("teal" in message for message in said), said

    no_stage_runs(monkeypatch)
    again = build(root, printables=False)
    assert again.unchanged
    assert [str(p) for p in again.warnings] == said
    with pytest.raises(PackInvalid, match="strict") as raised:
        build(root, printables=False, strict=True)
    assert [str(p) for p in raised.value.problems] == said


def test_a_changed_option_or_a_touched_site_is_not_taken_for_nothing_changed(
    write_pack: WritePack,
):
    root = write_pack()
    build(root, printables=False)
    assert not build(
        root, languages=["en"], printables=False
    ).unchanged  # another choice of languages
    assert build(root, languages=["en"], printables=False).unchanged

    (root / "site/en/index.html").unlink()
    again = build(root, languages=["en"], printables=False)
    assert not again.unchanged
    assert (root / "site/en/index.html").is_file()
    assert again.sites_reused == ["en"]  # the language's site in the work folder was whole

    with (root / "site/en/index.html").open("a", encoding="utf-8") as page:
        page.write("<!-- edited by hand -->")
    assert not build(root, languages=["en"], printables=False).unchanged
    assert "edited by hand" not in (root / "site/en/index.html").read_text(encoding="utf-8")


def test_a_touched_file_with_the_same_bytes_changes_nothing(write_pack: WritePack):
    root = write_pack()
    build(root, printables=False)
    page = root / "exercises/first-steps.yml"
    os.utime(page, ns=(page.stat().st_atime_ns, page.stat().st_mtime_ns + 5_000_000_000))
    assert build(root, printables=False).unchanged


def test_a_catalog_edit_rebuilds_only_its_language(write_pack: WritePack):
    root = write_pack()
    assert run("i18n", "update", str(root)).exit_code == 0
    build(root, printables=False)
    before = files_of(root / "site")

    translate(root / "locales/fr/LC_MESSAGES/pack.po", {"First steps": "Premiers pas"})
    report = build(root, printables=False)

    assert report.sites_built == ["fr"]
    assert sorted(report.sites_reused) == ["ar", "en"]
    changed = rewritten(before, files_of(root / "site"))
    assert "fr/exercises/first-steps.html" in changed
    assert "Premiers pas" in (root / "site/fr/exercises/first-steps.html").read_text(
        encoding="utf-8"
    )
    # The other languages' pages are the very files of the last build, but where a page
    # gives the size of the zip of every language, which now holds the new French pages.
    others = {name for name in changed if name.startswith(("en/", "ar/"))}
    assert others <= {"en/downloads.html", "en/index.html", "ar/downloads.html", "ar/index.html"}
    assert (
        "en/exercises/first-steps.html" not in changed
        and "ar/exercises/first-steps.html" not in changed
    )


@pytest.mark.parametrize(
    ("change", "rebuilt"),
    [
        ("setting", {"en", "fr", "ar"}),
        ("page", {"en", "fr", "ar"}),
        ("packgen", {"en", "fr", "ar"}),
    ],
)
def test_a_change_every_language_shows_rebuilds_every_language(
    write_pack: WritePack, monkeypatch: pytest.MonkeyPatch, change: str, rebuilt: set[str]
):
    root = write_pack()
    build(root, printables=False)
    if change == "setting":
        (root / "mkdocs.yml").write_text(TEAL, encoding="utf-8")
    elif change == "page":
        edit(root / "content/index.md", "Welcome", "Welcome again")
    else:
        digest = packgen.build_state.code_digest()
        monkeypatch.setattr(packgen.build_state, "code_digest", lambda: digest + "-next")
    report = build(root, printables=False)
    assert not report.unchanged
    assert set(report.sites_built) == rebuilt


def test_a_stopped_build_leaves_no_record_that_claims_more_than_is_on_disk(
    write_pack: WritePack, monkeypatch: pytest.MonkeyPatch
):
    root = write_pack()
    build(root, printables=False)
    assert (root / "build" / STATE_FILE).is_file()
    edit(root / "content/index.md", "Welcome", "Hello")
    seen: dict[str, bool] = {}

    def stopped(
        jobs: Iterable[tuple[str, Path]], _count: int | None = None, **_options: object
    ) -> list[object]:
        seen["state"] = (root / "build" / STATE_FILE).exists()
        seen.update({lang: (path.parent / SITE_RECORD).exists() for lang, path in jobs})
        raise BuildFailed("stopped while MkDocs ran")

    monkeypatch.setattr(packgen.build_stages, "build_languages", stopped)
    with pytest.raises(BuildFailed):
        build(root, printables=False)
    assert seen == {"state": False, "en": False, "fr": False, "ar": False}

    monkeypatch.undo()
    report = build(root, printables=False)
    assert not report.unchanged and set(report.sites_built) == {"en", "fr", "ar"}
    assert "Hello" in (root / "site/en/index.html").read_text(encoding="utf-8")


def test_the_work_folder_keeps_the_times_of_sources_that_did_not_change(write_pack: WritePack):
    root = write_pack()
    build(root, printables=False)
    before = files_of(root / "build/en/docs")
    edit(root / "content/index.md", "Welcome", "Hello")
    build(root, printables=False)
    assert rewritten(before, files_of(root / "build/en/docs")) == {"index.md"}


def test_an_exercise_edit_draws_only_its_pdfs_and_the_whole_pack(write_pack: WritePack):
    root = write_pack(TWO_EXERCISES)
    first = build(root)
    assert first.pdfs_drawn, "the pack has PDFs"
    others = [name for name in first.pdfs_drawn if "second-look" not in name]

    edit(root / "exercises/second-look.yml", "Choose one action.", "Choose two actions.")
    report = build(root)

    drawn = set(report.pdfs_drawn)
    assert drawn, "the exercise's PDFs are drawn again"
    assert all("second-look" in name or name.endswith(("/tiny.pdf",)) for name in drawn), drawn
    assert {name for name in others if "first-steps" in name}.isdisjoint(drawn)
    assert {lang for lang in ("en", "fr") if f"{lang}/tiny.pdf" in drawn} == {"en", "fr"}
    assert set(report.sites_built) == {"en", "fr"}


def test_a_changed_font_file_draws_every_pdf_again(
    write_pack: WritePack, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    from packgen.printables.fonts import FACES, FONT_DIRS_ENV, _find, font_dirs

    fonts = tmp_path / "fonts"
    fonts.mkdir()
    for face in FACES:
        found = _find(face.file, font_dirs())
        assert found is not None, face.file
        shutil.copy(found, fonts / face.file)
    monkeypatch.setenv(FONT_DIRS_ENV, str(fonts))
    root = write_pack({"pack.yml": "id: tiny\ntitle: Tiny pack\nlanguages: [en]\n"})
    first = build(root)
    assert build(root).unchanged

    used = sorted(set(packgen.build_state.read_state(root / "build").also))
    assert used, "the state names the font files the PDFs used"
    font = Path(used[0])
    font.write_bytes(font.read_bytes() + b"\0" * 4)  # trailing bytes: the font still reads
    report = build(root)
    assert not report.unchanged
    assert sorted(report.pdfs_drawn) == sorted(first.pdfs_drawn)


def test_the_folder_writer_writes_only_changed_bytes_and_removes_what_is_gone(tmp_path: Path):
    folder = tmp_path / "docs"
    writer = FolderWriter(folder)
    writer.put("a.md", "one")
    writer.put("sub/b.md", "two")
    first = writer.sync()
    kept = (folder / "a.md").stat().st_mtime_ns
    os.utime(folder / "a.md", ns=(kept - 10**9, kept - 10**9))

    again = FolderWriter(folder)
    again.put("a.md", "one")
    again.put("c.md", "three")
    (folder / "stray.md").write_text("not wanted", encoding="utf-8")
    second = again.sync()

    assert (folder / "a.md").stat().st_mtime_ns == kept - 10**9
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")) == ["a.md", "c.md"]
    assert first != second
    same = FolderWriter(folder)
    same.put("a.md", "one")
    same.put("c.md", "three")
    assert same.sync() == second


def test_keep_unchanged_links_identical_files_to_the_published_ones(tmp_path: Path):
    out, staging = tmp_path / "site", tmp_path / "staging"
    for folder in (out, staging):
        (folder / "en").mkdir(parents=True)
    (out / "en/same.html").write_text("same", encoding="utf-8")
    (out / "en/other.html").write_text("old", encoding="utf-8")
    (staging / "en/same.html").write_text("same", encoding="utf-8")
    (staging / "en/other.html").write_text("new", encoding="utf-8")
    (staging / "en/added.html").write_text("added", encoding="utf-8")

    assert keep_unchanged(staging, out) == 1
    assert (staging / "en/same.html").stat().st_ino == (out / "en/same.html").stat().st_ino
    assert (staging / "en/other.html").stat().st_ino != (out / "en/other.html").stat().st_ino
    assert (staging / "en/other.html").read_text(encoding="utf-8") == "new"
    assert not list(staging.rglob(".*.kept"))


def test_a_preview_pass_builds_one_language_and_carries_the_others_over(write_pack: WritePack):
    root = write_pack()
    build(root, printables=False)
    edit(root / "exercises/first-steps.yml", "title: First steps", "title: Early steps")

    quick = build(root, languages=["en"], printables=False, carry_over=True)

    assert quick.sites_built == ["en"] and quick.languages == ["en", "fr", "ar"]
    page = "exercises/first-steps.html"
    assert "Early steps" in (root / "site/en" / page).read_text(encoding="utf-8")
    assert "First steps" in (root / "site/fr" / page).read_text(encoding="utf-8")  # as it was
    chooser = (root / "site/index.html").read_text(encoding="utf-8")
    assert all(f'href="{code}/' in chooser for code in ("en", "fr", "ar")), chooser
    assert {p.name for p in (root / "site/downloads").glob("*.zip")} == {
        "tiny-en.zip",
        "tiny-fr.zip",
        "tiny-ar.zip",
        "tiny-all.zip",
    }
    assert not (root / "build" / STATE_FILE).exists()  # a preview is never taken for a build

    complete = build(root, printables=False)
    assert not complete.unchanged and set(complete.sites_built) == {"fr", "ar"}
    assert "Early steps" in (root / "site/fr" / page).read_text(encoding="utf-8")
    assert build(root, printables=False).unchanged


MAP_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
    '<rect width="40" height="20" fill="{}"/></svg>\n'
)


def test_templates_images_and_renderers_each_remake_what_uses_them(
    write_pack: WritePack, monkeypatch: pytest.MonkeyPatch
):
    from packgen.render.templates import template_dirs
    from packgen.resolve import load_pack

    root = write_pack(
        {
            "pack.yml": "id: tiny\ntitle: Tiny pack\nlanguages: [en]\ncontents:\n"
            "  - page: index.md\n  - exercise: first-steps\n",
            "content/index.md": "# Tiny home\n\n![A map](img/map.svg)\n",
            "content/img/map.svg": MAP_SVG.format("teal"),
        }
    )
    pack, _ = load_pack(root)
    assert pack is not None
    template = root / "templates/exercise.md.j2"
    if not template.is_file():  # the pack's own copy of the default template, to edit
        shipped = next(d / "exercise.md.j2" for d in template_dirs(pack.layers))
        template.parent.mkdir(exist_ok=True)
        shutil.copy(shipped, template)
    first = build(root)
    every_pdf = sorted(first.pdfs_drawn)
    assert any("first-steps" in name for name in every_pdf) and "en/tiny.pdf" in every_pdf

    # A page template: every site, and no PDF (the PDFs have templates of their own).
    with template.open("a", encoding="utf-8") as handle:
        handle.write("\nA line every exercise page now ends with.\n")
    report = build(root)
    assert report.sites_built == ["en"] and report.pdfs_drawn == []

    # An image: the site, and the one PDF that shows it (the whole pack, with its pages).
    (root / "content/img/map.svg").write_text(MAP_SVG.format("navy"), encoding="utf-8")
    report = build(root)
    assert report.sites_built == ["en"] and report.pdfs_drawn == ["en/tiny.pdf"]

    # Another version of what draws the PDFs: every PDF again.
    import packgen.printables.cache

    drawn_by = packgen.printables.cache.renderers() + "; a newer Pango"
    monkeypatch.setattr(packgen.printables.cache, "renderers", lambda: drawn_by)
    monkeypatch.setattr(packgen.build_state, "renderers", lambda: drawn_by)
    report = build(root)
    assert sorted(report.pdfs_drawn) == every_pdf


def test_another_dependency_version_builds_every_site_again(
    write_pack: WritePack, monkeypatch: pytest.MonkeyPatch
):
    root = write_pack()
    build(root, printables=False)
    versions = packgen.build_state.installed_versions() + "; mkdocs-material 99"
    monkeypatch.setattr(packgen.build_state, "installed_versions", lambda: versions)
    report = build(root, printables=False)
    assert set(report.sites_built) == {"en", "fr", "ar"}


def test_a_build_with_nothing_changed_imports_none_of_the_stages(write_pack: WritePack):
    """Telling that nothing changed must not pay for loading models, templates or MkDocs."""
    root = write_pack()
    build(root, printables=False)
    probe = (
        "import sys\n"
        "from pathlib import Path\n"
        "from packgen.build import build\n"
        f"report = build(Path({str(root)!r}), printables=False)\n"
        "assert report.unchanged, 'the second build did work'\n"
        "heavy = ['packgen.build_stages', 'packgen.model', 'pydantic', 'jinja2', 'mkdocs',"
        " 'weasyprint', 'babel']\n"
        "print(sorted(name for name in heavy if name in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_installed_versions_change_when_a_distribution_is_upgraded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    def versions() -> str:
        packgen.fingerprint.installed_versions.cache_clear()
        return packgen.fingerprint.installed_versions()

    folder = tmp_path / "site-packages"
    info = folder / "some_library-1.2.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: Some.Library\nVersion: 1.2\n")
    monkeypatch.syspath_prepend(str(folder))
    assert "some-library==1.2" in packgen.fingerprint._distribution_names()
    before = versions()
    info.rename(folder / "some_library-1.3.dist-info")
    assert "some-library==1.3" in packgen.fingerprint._distribution_names()
    assert versions() != before
    # A folder not named as installers name them is read for its metadata instead.
    (folder / "some_library-1.3.dist-info").rename(folder / "odd.dist-info")
    assert "some-library==1.2" in packgen.fingerprint._distribution_names()
    packgen.fingerprint.installed_versions.cache_clear()


def test_records_from_another_machine_vouch_for_nothing(
    write_pack: WritePack, monkeypatch: pytest.MonkeyPatch
):
    """A partner's pack folder can arrive with its site/ and build/: built again, cleaned."""
    import packgen.fingerprint

    root = write_pack()
    build(root, languages=["en"], printables=False)
    for page in (root / "site/en/index.html", root / "build/en/site/index.html"):
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace("</body>", "<script>alert(1)</script></body>"), "utf-8")
    state = root / "build" / STATE_FILE
    sealed = json.loads(state.read_text(encoding="utf-8"))
    record = json.loads(sealed["record"])
    record["site"] = packgen.build_state.listing(root / "site")  # the tampered site, listed
    sealed["record"] = json.dumps(record, indent=1, sort_keys=True)
    state.write_text(json.dumps(sealed), encoding="utf-8")
    # The records are sealed with another user's secret, as a copied build/ folder is.
    monkeypatch.setattr(packgen.fingerprint, "_record_key", lambda: b"another machine" * 3)

    report = build(root, languages=["en"], printables=False)

    assert not report.unchanged and report.sites_built == ["en"]
    for page in (root / "site/en/index.html", root / "build/en/site/index.html"):
        assert "<script>alert(1)</script>" not in page.read_text(encoding="utf-8")
